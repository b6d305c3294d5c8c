/**
 * EmoDB (Berlin Database of Emotional Speech) naming conventions. A file name such as
 * `03a01Fa.wav` says everything: characters 1-2 the speaker (03, 08, ..., 16), 3-5 the text
 * (a01 ... b10), 6 the emotion letter (German initial), 7 the version (a, b, ...).
 *
 * Labels follow the authors' order: W L E A F T N = anger (Wut), boredom (Langeweile),
 * disgust (Ekel), fear (Angst), happiness (Freude), sadness (Trauer), neutral -> 0..6.
 */
import * as path from 'node:path';
import { DataError } from '../../util/errors';

/** Emotion letters in label order 0..6. */
export const EMODB_LETTERS = ['W', 'L', 'E', 'A', 'F', 'T', 'N'] as const;

/** Class names in label order 0..6 (same order as `EMODB_LETTERS`). */
export const EMODB_CLASSES = ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral'] as const;

/** The ten speakers, in the authors' fold order: fold i of `emodb_tst_loso{i}.mat` holds speaker i. */
export const EMODB_SPEAKERS = ['03', '08', '09', '10', '11', '12', '13', '14', '15', '16'] as const;

/** One EmoDB file name, taken apart. */
export interface EmodbName {
  /** The bare name without folder, quotes or extension, e.g. `03a01Fa`. */
  id: string;
  /** Speaker code, characters 1-2, e.g. `03`. */
  speaker: string;
  /** Text code, characters 3-5, e.g. `a01`. */
  text: string;
  /** Emotion letter, character 6, e.g. `F`. */
  letter: string;
  /** Label 0..6 in `EMODB_CLASSES` order. */
  label: number;
  /** Version letter, character 7. */
  version: string;
}

/** Shape of an EmoDB name: 2 digits, a/b and 2 digits, an upper-case letter, a lower-case letter. */
const EMODB_NAME = /^(\d\d)([ab]\d\d)([A-Z])([a-z])$/;

/** Strip folders, surrounding quotes and the extension: `'/x/03a01Fa.wav'` -> `03a01Fa`. */
export function bareName(name: string): string {
  let s = name.trim();
  if (s.length >= 2 && (s[0] === "'" || s[0] === '"') && s[s.length - 1] === s[0]) s = s.slice(1, -1);
  s = path.basename(s.replace(/\\/g, '/'));
  const dot = s.lastIndexOf('.');
  return dot > 0 ? s.slice(0, dot) : s;
}

/** True when `name` (after `bareName`) looks like an EmoDB file name, whatever its letter. */
export function isEmodbName(name: string): boolean {
  return EMODB_NAME.test(bareName(name));
}

/**
 * Take an EmoDB name apart. `file` is the file named in errors (the list or feature table the
 * name came from; default the name itself). An unknown emotion letter or a name that does not
 * follow the convention is a DataError naming the file, the name and the letter.
 */
export function parseEmodbName(name: string, file: string = name): EmodbName {
  const id = bareName(name);
  const m = EMODB_NAME.exec(id);
  if (!m) {
    throw new DataError(file, `'${name}' is not an EmoDB file name (expected e.g. 03a01Fa: speaker 2 digits, text a01-b10, emotion letter, version letter)`);
  }
  const [, speaker, text, letter, version] = m;
  const label = (EMODB_LETTERS as readonly string[]).indexOf(letter);
  if (label < 0) {
    throw new DataError(file, `'${name}' has unknown EmoDB emotion letter '${letter}' (character 6; expected one of ${EMODB_LETTERS.join(' ')})`);
  }
  return { id, speaker, text, letter, label, version };
}

/** Label of an emotion letter (W -> 0 ... N -> 6); DataError naming `file` for any other letter. */
export function emodbLabel(letter: string, file: string): number {
  const label = (EMODB_LETTERS as readonly string[]).indexOf(letter);
  if (label < 0) throw new DataError(file, `unknown EmoDB emotion letter '${letter}' (expected one of ${EMODB_LETTERS.join(' ')})`);
  return label;
}

/** Labels (0..6), speakers (groups) and bare ids of a list of EmoDB names, in the same order. */
export function emodbLabels(names: readonly string[], file: string): { y: Int32Array; groups: string[]; ids: string[] } {
  const y = new Int32Array(names.length);
  const groups: string[] = new Array(names.length);
  const ids: string[] = new Array(names.length);
  names.forEach((name, i) => {
    const p = parseEmodbName(name, file);
    y[i] = p.label;
    groups[i] = p.speaker;
    ids[i] = p.id;
  });
  return { y, groups, ids };
}
