/**
 * IEMOCAP conventions: utterance ids, label sets, and the corpus' own label files.
 *
 * An utterance id such as `Ses01F_impro01_F000` or `Ses02M_script01_1_M012` reads:
 * - `Ses01F`: session 1, in the dialogue where the Female actor wore the markers. This letter
 *   does NOT say who speaks.
 * - `impro01` / `script01_1`: the dialogue, improvised or scripted.
 * - `F000`: the turn; its letter is the gender of the actor who speaks it.
 * Each session has one female and one male actor, so the speaker is the session plus the letter
 * of the last part: `Ses01F_impro01_M003` is spoken by `Ses01M`, the male actor of session 1.
 *
 * Label sets: the categorical labels of `Session*\/dialog/EmoEvaluation/*.txt` (11 codes,
 * `IEMOCAP_CODES`, the paper's "entire dataset, 11 classes", 10,039 utterances), and the usual
 * four classes angry / happy / neutral / sad, with excited optionally merged into happy (the
 * convention of the iemocap-is10 files here: 1103 / 1636 / 1708 / 1084).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError, OptionError } from '../../util/errors';

/** The 11 categorical codes of the EmoEvaluation files, in this label order. */
export const IEMOCAP_CODES = ['neu', 'hap', 'sad', 'ang', 'sur', 'fea', 'dis', 'fru', 'exc', 'oth', 'xxx'] as const;
export type IemocapCode = (typeof IEMOCAP_CODES)[number];

/** Class names of the 11 codes (`xxx` = the evaluators did not agree). */
export const IEMOCAP_CODE_NAMES: Record<IemocapCode, string> = {
  neu: 'neutral', hap: 'happiness', sad: 'sadness', ang: 'anger', sur: 'surprise', fea: 'fear',
  dis: 'disgust', fru: 'frustration', exc: 'excited', oth: 'other', xxx: 'no agreement',
};

/** The four-class set, in the label order of iemocap-is10 (0..3). */
export const IEMOCAP_4_CLASSES = ['angry', 'happy', 'neutral', 'sad'] as const;

/** Which labels to keep and how to name them. */
export interface IemocapLabelOptions {
  /** '4' (angry, happy, neutral, sad; other codes dropped) or '11' (every code). Default '4'. */
  classes: '4' | '11';
  /** With '4': count `exc` (excited) as happy. Default true (as iemocap-is10). */
  mergeExcited: boolean;
}

export const IEMOCAP_LABEL_DEFAULTS: IemocapLabelOptions = { classes: '4', mergeExcited: true };

/** One utterance id, taken apart. */
export interface IemocapId {
  id: string;
  /** Session number 1..5. */
  session: number;
  /** `Ses01` ... `Ses05`: the group of leave-one-session-out. */
  sessionName: string;
  /** The actor who speaks: session + gender of the turn, e.g. `Ses01M`. */
  speaker: string;
  /** Gender of the speaking actor. */
  gender: 'F' | 'M';
  /** Dialogue, e.g. `impro01`, `script01_1`. */
  dialog: string;
  /** True for improvised dialogues (`impro...`), false for scripted ones. */
  improvised: boolean;
}

const ID_PATTERN = /^Ses(\d\d)([FM])_((?:impro|script)[A-Za-z0-9]*(?:_[A-Za-z0-9]+)*?)_([FM])([A-Za-z0-9]*)$/;

/** True when `id` looks like an IEMOCAP utterance id. */
export function isIemocapId(id: string): boolean {
  return ID_PATTERN.test(stripName(id));
}

/** Take an utterance id apart; DataError naming `file` when it does not follow the convention. */
export function parseIemocapId(id: string, file: string = id): IemocapId {
  const bare = stripName(id);
  const m = ID_PATTERN.exec(bare);
  if (!m) throw new DataError(file, `'${id}' is not an IEMOCAP utterance id (expected e.g. Ses01F_impro01_F000 or Ses01F_script01_1_M003)`);
  const session = Number(m[1]);
  const sessionName = `Ses${m[1]}`;
  const gender = m[4] as 'F' | 'M';
  return { id: bare, session, sessionName, speaker: `${sessionName}${gender}`, gender, dialog: m[3], improvised: m[3].startsWith('impro') };
}

/** Strip quotes, folders and a `.wav` (or other) extension from a row name. */
function stripName(name: string): string {
  let s = name.trim();
  if (s.length >= 2 && (s[0] === "'" || s[0] === '"') && s[s.length - 1] === s[0]) s = s.slice(1, -1);
  s = s.replace(/\\/g, '/');
  s = s.slice(s.lastIndexOf('/') + 1);
  return s.replace(/\.[A-Za-z0-9]+$/, '');
}

/** Class names of a label set. */
export function iemocapClasses(options: Partial<IemocapLabelOptions> = {}): string[] {
  const o = resolve(options);
  return o.classes === '4' ? [...IEMOCAP_4_CLASSES] : IEMOCAP_CODES.map((c) => IEMOCAP_CODE_NAMES[c]);
}

/**
 * Label of one EmoEvaluation code in a label set, or -1 when the set leaves it out
 * (e.g. `fru` in the four-class set). An unknown code is a DataError naming `file`.
 */
export function iemocapLabel(code: string, file: string, options: Partial<IemocapLabelOptions> = {}): number {
  const o = resolve(options);
  const k = (IEMOCAP_CODES as readonly string[]).indexOf(code);
  if (k < 0) throw new DataError(file, `unknown IEMOCAP emotion code '${code}' (expected one of ${IEMOCAP_CODES.join(' ')})`);
  if (o.classes === '11') return k;
  switch (code) {
    case 'ang': return 0;
    case 'hap': return 1;
    case 'exc': return o.mergeExcited ? 1 : -1;
    case 'neu': return 2;
    case 'sad': return 3;
    default: return -1;
  }
}

function resolve(options: Partial<IemocapLabelOptions>): IemocapLabelOptions {
  const o = { ...IEMOCAP_LABEL_DEFAULTS, ...options };
  if (o.classes !== '4' && o.classes !== '11') throw new OptionError('classes', o.classes, "'4' or '11'");
  if (typeof o.mergeExcited !== 'boolean') throw new OptionError('mergeExcited', o.mergeExcited, 'true or false');
  return o;
}

/** One evaluated turn of an EmoEvaluation file. */
export interface EmoEvaluationTurn {
  id: string;
  /** Categorical code (one of `IEMOCAP_CODES`). */
  code: IemocapCode;
  start: number;
  end: number;
  /** Valence, activation, dominance (the bracketed triple). */
  vad: [number, number, number];
}

const TURN_LINE = /^\[\s*([\d.]+)\s*-\s*([\d.]+)\s*\]\s+(\S+)\s+(\S+)\s+\[\s*([-\d.]+)\s*,\s*([-\d.]+)\s*,\s*([-\d.]+)\s*\]\s*$/;

/**
 * Parse the text of one EmoEvaluation file: the summary lines
 * `[6.2901 - 8.2357]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]`; the evaluators' lines
 * (`C-E1: ...`, `A-E2: ...`) and the header are skipped. A summary line that does not parse, or
 * carries an unknown code, is a DataError naming the file and the line number.
 */
export function parseEmoEvaluation(text: string, file: string): EmoEvaluationTurn[] {
  const out: EmoEvaluationTurn[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.startsWith('[')) return;
    if (line.startsWith('[START_TIME')) return; // header
    const m = TURN_LINE.exec(line);
    if (!m) throw new DataError(file, `line ${i + 1} is not a turn summary '[start - end]<TAB>id<TAB>code<TAB>[v, a, d]': ${JSON.stringify(line)}`);
    const code = m[4];
    if (!(IEMOCAP_CODES as readonly string[]).includes(code)) {
      throw new DataError(file, `line ${i + 1}: unknown emotion code '${code}' for ${m[3]} (expected one of ${IEMOCAP_CODES.join(' ')})`);
    }
    out.push({ id: m[3], code: code as IemocapCode, start: Number(m[1]), end: Number(m[2]), vad: [Number(m[5]), Number(m[6]), Number(m[7])] });
  });
  return out;
}

/**
 * Every turn's code from a corpus root (the folder that holds `Session1` ... `Session5`, as
 * `IEMOCAP_full_release` ships): reads `Session*\/dialog/EmoEvaluation/*.txt`. Returns id -> code.
 * A root with no such files is a DataError; so is an id evaluated twice with different codes.
 */
export function readIemocapLabels(root: string): Map<string, IemocapCode> {
  if (!fs.existsSync(root)) throw new DataError(root, 'IEMOCAP root folder not found');
  const sessions = fs.readdirSync(root).filter((n) => /^Session\d+$/.test(n)).sort();
  const labels = new Map<string, IemocapCode>();
  let files = 0;
  for (const s of sessions) {
    const dir = path.join(root, s, 'dialog', 'EmoEvaluation');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.txt')).sort()) {
      const file = path.join(dir, name);
      files++;
      for (const t of parseEmoEvaluation(fs.readFileSync(file, 'utf8'), file)) {
        const before = labels.get(t.id);
        if (before && before !== t.code) throw new DataError(file, `${t.id} is labelled '${t.code}' here but '${before}' in an earlier file`);
        labels.set(t.id, t.code);
      }
    }
  }
  if (files === 0) throw new DataError(root, 'no Session*/dialog/EmoEvaluation/*.txt files: is this the IEMOCAP_full_release folder?');
  return labels;
}

/**
 * Labels and groups for rows named by utterance id. Rows whose code the label set leaves out are
 * reported in `keep` = false (drop them); an id with no label at all is a DataError naming `file`.
 * Groups are sessions (`Ses01`..`Ses05`), the unit of the paper's leave-one-session-out.
 */
export function iemocapRowLabels(
  ids: readonly string[],
  labels: ReadonlyMap<string, string>,
  file: string,
  options: Partial<IemocapLabelOptions> = {},
): { y: Int32Array; groups: string[]; speakers: string[]; keep: boolean[] } {
  const y = new Int32Array(ids.length);
  const groups: string[] = [];
  const speakers: string[] = [];
  const keep: boolean[] = [];
  ids.forEach((raw, i) => {
    const p = parseIemocapId(raw, file);
    const code = labels.get(p.id);
    if (code === undefined) throw new DataError(file, `row ${i} (${p.id}) has no label in the IEMOCAP label files`);
    const k = iemocapLabel(code, file, options);
    y[i] = Math.max(k, 0);
    keep.push(k >= 0);
    groups.push(p.sessionName);
    speakers.push(p.speaker);
  });
  return { y, groups, speakers, keep };
}
