/**
 * The flags several commands share, declared once: name, value, default and one line of help,
 * with a parser that rejects a bad value naming the flag (commander prints
 * "error: option '--sets <list>' argument '-1' is invalid. ..." and the CLI exits 2).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { MAX_SETS } from '../protocol/paper';
import { DEFAULT_PROTOCOL, PROTOCOL_NAMES } from '../protocol/protocols';
import { availableParallelism } from 'node:os';

/** A whole number in [min, max]. */
export function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER, what = 'a whole number'): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected ${what} ${max < Number.MAX_SAFE_INTEGER ? `in ${min}..${max}` : `>= ${min}`}.`);
    return n;
  };
}

/** Comma-separated whole numbers in [min, max], without duplicates, e.g. `1,2,3`. */
export function numberList(min: number, max = Number.MAX_SAFE_INTEGER, what = 'numbers'): (v: string) => number[] {
  return (v) => {
    const parts = v.split(',').map((s) => s.trim());
    const out = parts.map(Number);
    if (parts.some((p) => p === '') || out.some((n) => !Number.isInteger(n) || n < min || n > max)) {
      throw new InvalidArgumentError(`expected comma-separated ${what} ${max < Number.MAX_SAFE_INTEGER ? `in ${min}..${max}` : `>= ${min}`}, e.g. ${min},${min + 1}.`);
    }
    if (new Set(out).size !== out.length) throw new InvalidArgumentError(`expected ${what} without duplicates.`);
    return out;
  };
}

/** A comma-separated list of names from `allowed`. */
export function nameList(allowed: readonly string[]): (v: string) => string[] {
  return (v) => {
    const names = v.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
    const unknown = names.filter((n) => !allowed.includes(n));
    if (names.length === 0 || unknown.length > 0) throw new InvalidArgumentError(`expected some of ${allowed.join(', ')} (comma-separated)${unknown.length ? `; unknown: ${unknown.join(', ')}` : ''}.`);
    return names;
  };
}

/** A JSON object, e.g. `{"epochs":550}`. */
export function jsonObject(v: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch (err) {
    throw new InvalidArgumentError(`expected a JSON object, e.g. '{"epochs":550}' (${(err as Error).message}).`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new InvalidArgumentError(`expected a JSON object, e.g. '{"epochs":550}'.`);
  return parsed as Record<string, unknown>;
}

/** `i/N` with 1 <= i <= N. */
export function shardSpec(v: string): string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(v);
  if (!m || Number(m[2]) < 1 || Number(m[1]) < 1 || Number(m[1]) > Number(m[2])) throw new InvalidArgumentError("expected 'i/N' with 1 <= i <= N, e.g. 2/8.");
  return `${Number(m[1])}/${Number(m[2])}`;
}

/** Worker processes: a whole number >= 1, or `auto` (one per core). */
export function jobsSpec(v: string): number {
  if (v === 'auto') return availableParallelism();
  return wholeNumber(1, 1024, "a whole number of worker processes (or 'auto', one per core)")(v);
}

/** `--protocol paper|code`. */
export function protocolOption(): Option {
  return new Option('--protocol <name>', "classifiers and augmenter settings: the paper's text, or the authors' code (README, \"Protocols\")").choices(PROTOCOL_NAMES).default(DEFAULT_PROTOCOL);
}

/** `--jobs N`. */
export function jobsOption(): Option {
  return new Option('--jobs <n>', 'worker processes that share the cores and the store (each gets cores / N BLAS threads); auto = one per core').argParser(jobsSpec).default(1);
}

/** `--data-dir DIR`. */
export function dataDirOption(): Option {
  return new Option('--data-dir <dir>', 'look for named datasets here first (then $ADAN_DATA_DIR, ./data, ../shared/data)');
}

/** `--sets` of `eval`: one number of augmented sets. */
export const setsParser = wholeNumber(0, MAX_SETS, 'a number of augmented sets');

/**
 * How an IEMOCAP features file is labelled from the user's corpus: `--iemocap-root` and the
 * label set (the library's LoadOptions, src/data/registry.ts). With the full release, the paper's
 * improvised four-class set is `--improvised-only --no-merge-excited`.
 */
export function addIemocapOptions(c: Command): Command {
  return c
    .option('--iemocap-root <dir>', 'IEMOCAP corpus root (the folder with Session1..5/dialog/EmoEvaluation): labels for a features file of IEMOCAP utterances')
    .option('--improvised-only', 'IEMOCAP: keep improvised dialogues only (the paper\'s setting: 2,280 utterances in 4 classes)', false)
    .addOption(new Option('--classes <n>', 'IEMOCAP label set: 4 (angry, happy, neutral, sad) or 11 (every EmoEvaluation code)').choices(['4', '11']).default('4'))
    .option('--merge-excited', 'IEMOCAP, 4 classes: count excited as happy (default, as iemocap-is10)')
    .option('--no-merge-excited', 'IEMOCAP, 4 classes: leave excited out (the paper\'s improvised set)');
}

/** The LoadOptions of the IEMOCAP flags, with `--data-dir`. */
export function loadOptionsOf(o: { dataDir?: string; iemocapRoot?: string; improvisedOnly?: boolean; classes?: string; mergeExcited?: boolean }): { dataDir?: string; iemocapRoot?: string; improvisedOnly: boolean; iemocapClasses: '4' | '11'; mergeExcited: boolean } {
  return { dataDir: o.dataDir, iemocapRoot: o.iemocapRoot, improvisedOnly: Boolean(o.improvisedOnly), iemocapClasses: (o.classes ?? '4') as '4' | '11', mergeExcited: o.mergeExcited ?? true };
}
