/**
 * Extract IS11 features from wave files into a feature table (one row per file, openSMILE's
 * feature names), the library side of `adan-lab extract --set is11`.
 *
 * ```ts
 * const t = extractIs11(listWavFiles('../shared/data/emodb-wav'), { onProgress: (i, n) => bar(i / n) });
 * t.featureNames.length;  // 4368
 * writeSmileCsv('features.csv', t);
 * ```
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FeatureTable } from '../data/readers/opensmile';
import { DataError, OptionError, checkOptionKeys } from '../util/errors';
import { IS11_FEATURE_NAMES, is11Features, isImplemented } from './is11';
import { readWav } from './wav';

/** Options of {@link extractIs11}. */
export interface ExtractOptions {
  /** Called after each file with (done, total, file). Default: none (quiet). */
  onProgress?: (done: number, total: number, file: string) => void;
  /** Keep only the features this implementation computes (today every IS11 feature). Default false. */
  implementedOnly?: boolean;
  /** Decode wave files whose data chunk is shorter than their header says (`readWav`'s allowTruncated). Default false: an error naming the file. */
  allowTruncated?: boolean;
}

export const EXTRACT_DEFAULTS: Required<Omit<ExtractOptions, 'onProgress'>> & Pick<ExtractOptions, 'onProgress'> = {
  onProgress: undefined,
  implementedOnly: false,
  allowTruncated: false,
};

/** A feature table plus which columns this implementation computes (all of IS11 today). */
export interface Is11Table extends FeatureTable {
  implemented: boolean[];
}

/** Wave files of a folder (sorted by name), or the given files; a file list is checked to exist. */
export function listWavFiles(dirOrFiles: string | readonly string[]): string[] {
  const items = typeof dirOrFiles === 'string' ? [dirOrFiles] : [...dirOrFiles];
  const out: string[] = [];
  for (const item of items) {
    if (!existsSync(item)) throw new DataError(item, 'no such file or folder');
    if (statSync(item).isDirectory()) {
      const wavs = readdirSync(item).filter((f) => f.toLowerCase().endsWith('.wav')).sort();
      if (wavs.length === 0) throw new DataError(item, 'folder holds no .wav files');
      out.push(...wavs.map((f) => path.join(item, f)));
    } else out.push(item);
  }
  return out;
}

/** Compute the IS11 Speaker State features of each file. */
export function extractIs11(files: readonly string[], options: ExtractOptions = {}): Is11Table {
  checkOptionKeys('extractIs11', options, EXTRACT_DEFAULTS);
  const o = { ...EXTRACT_DEFAULTS, ...options };
  if (files.length === 0) throw new OptionError('files', files, 'at least one wave file');
  const keep = IS11_FEATURE_NAMES.map((n) => !o.implementedOnly || isImplemented(n));
  const cols = keep.reduce<number[]>((acc, k, j) => (k ? (acc.push(j), acc) : acc), []);
  const d = cols.length;
  const x = new Float32Array(files.length * d);
  files.forEach((file, r) => {
    const w = readWav(file, { allowTruncated: o.allowTruncated });
    if (w.samples.length < w.sampleRate * 0.08) throw new DataError(file, `too short for IS11 (${w.samples.length} samples at ${w.sampleRate} Hz; need at least 80 ms)`);
    const v = is11Features(w.samples, w.sampleRate);
    for (let j = 0; j < d; j++) x[r * d + j] = v[cols[j]];
    o.onProgress?.(r + 1, files.length, file);
  });
  const featureNames = cols.map((j) => IS11_FEATURE_NAMES[j]);
  return {
    file: files.length === 1 ? files[0] : path.dirname(files[0]),
    rowNames: files.map((f) => path.basename(f)),
    featureNames,
    x, n: files.length, d, extra: {},
    implemented: featureNames.map(isImplemented),
  };
}

/** Path of the IS11 config inside an openSMILE install, relative to its root. */
export const OPENSMILE_IS11_CONFIG = 'config/is09-13/IS11_speaker_state.conf';

/**
 * `--engine opensmile`: run `SMILExtract -C <config> -I <file> -csvoutput <out> -instname <name>`
 * once per file (SMILExtract appends rows). Throws a clear error when SMILExtract is not on PATH.
 */
export function runSmileExtract(files: readonly string[], outCsv: string, config: string, executable = 'SMILExtract'): void {
  for (const file of files) {
    const r = spawnSync(executable, ['-C', config, '-I', file, '-csvoutput', outCsv, '-instname', path.basename(file), '-loglevel', '1'], { encoding: 'utf8' });
    if (r.error && (r.error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new OptionError('engine', 'opensmile', `SMILExtract on PATH (not found: ${executable}); install openSMILE 3.x or use --engine ts`);
    }
    if (r.error) throw r.error;
    if (r.status !== 0) throw new DataError(file, `SMILExtract failed (exit ${r.status}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
}
