/**
 * A grid run fold by fold, each finished fold saved as an archive (archive.ts) in a folder that
 * can be committed, so that the same call continues on another machine: it first merges the
 * archives it finds into the store, then computes the folds still missing, one at a time, and
 * saves each as soon as it is complete. For grids longer than a machine lives (a session that
 * ends, a node that is reclaimed): the fold in progress is saved too, every `partialEvery`
 * seconds, as `fold-NN.partial.jsonl.gz` (merged like the others, removed when its fold is
 * saved whole), so at most that long is lost, even where one fold outlasts a machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportStore } from './archive';
import { mergeStores } from './merge';
import { openStore, prepareExperiment, type RunOptions, type RunResult } from './prepare';
import { runExperiment } from './runner';
import type { ExperimentSpec } from './spec';

/** The archive of fold `fold` in `dir`: `fold-NN.jsonl.gz`. */
export function foldArchive(dir: string, fold: number): string {
  return path.join(dir, `fold-${String(fold).padStart(2, '0')}.jsonl.gz`);
}

/** The fold in progress, saved as far as it has run: `fold-NN.partial.jsonl.gz`. */
export function partialFoldArchive(dir: string, fold: number): string {
  return path.join(dir, `fold-${String(fold).padStart(2, '0')}.partial.jsonl.gz`);
}

/** Seconds between two saves of the fold in progress, by default. */
export const PARTIAL_EVERY = 1800;

export interface FoldArchiveEvents {
  /** The archives found in the folder were merged into the store (before any computing). */
  onRestored?: (files: string[], copied: number) => void;
  /** Fold `fold` (the `position`-th of `count` folds the spec runs) is about to run. */
  onFoldStart?: (fold: number, position: number, count: number) => void;
  /** Fold `fold` is complete and saved in `file` (`units`: the store's units of that fold). */
  onFoldSaved?: (fold: number, file: string, units: number) => void;
  /** The fold in progress was saved as far as it has run, in `file` (`units` so far). */
  onPartialSaved?: (fold: number, file: string, units: number) => void;
  /** Seconds between saves of the fold in progress (default `PARTIAL_EVERY`; 0: never). */
  partialEvery?: number;
}

/**
 * `runExperiment` fold by fold with archives in `archiveDir` (created when missing). Runs
 * every fold of the spec (`spec.folds`, or all the dataset's) in order; a fold the store already
 * holds whole is found in a moment and its archive written again (the same bytes). Not with
 * `shard`: a shard's part of a fold is not the fold. Returns the records of all the folds (its
 * `specHash` is the last fold's: each fold runs a spec of its own).
 */
export async function runFoldByFold(spec: ExperimentSpec, options: RunOptions & FoldArchiveEvents & { archiveDir: string }): Promise<RunResult> {
  const { archiveDir, onRestored, onFoldStart, onFoldSaved, onPartialSaved, partialEvery = PARTIAL_EVERY, ...run } = options;
  if (!(Number.isFinite(partialEvery) && partialEvery >= 0)) throw new Error(`runFoldByFold: partialEvery must be a number of seconds >= 0, got ${partialEvery}`);
  if (run.shard !== undefined) throw new Error('runFoldByFold: not with a shard (each fold is saved whole); give one or the other');
  if (fs.existsSync(archiveDir) && !fs.statSync(archiveDir).isDirectory()) throw new Error(`${archiveDir}: not a folder of fold archives`);
  const saved = fs.existsSync(archiveDir) ? fs.readdirSync(archiveDir).filter((f) => /^fold-\d+(\.partial)?\.jsonl\.gz$/.test(f)).sort().map((f) => path.join(archiveDir, f)) : [];
  // the spec first: its folds and data are checked before any fold runs, and the store takes
  // its dataset and protocol from the spec, so that an archive of others is refused by name
  const prep = await prepareExperiment(spec, run);
  openStore(prep, run.storeDir);
  if (saved.length > 0) {
    let copied: number;
    try {
      copied = mergeStores(saved, run.storeDir).copied; // not inside ?.(), as the export below
    } catch (err) {
      throw new Error(`${(err as Error).message} (a saved fold of ${archiveDir}: restore it from git, or remove it and that fold is computed again)`);
    }
    onRestored?.(saved, copied);
  }
  const folds = prep.folds.map((f) => f.fold.index);
  const t0 = performance.now();
  const parts: RunResult[] = [];
  for (const [i, fold] of folds.entries()) {
    onFoldStart?.(fold, i + 1, folds.length);
    const partial = partialFoldArchive(archiveDir, fold);
    const timer = partialEvery > 0 ? setInterval(() => savePartial(run.storeDir, partial, fold, onPartialSaved, run.onWarning), partialEvery * 1000) : undefined;
    timer?.unref();
    let part: RunResult;
    try {
      part = await runExperiment({ ...spec, folds: [fold] }, run);
    } finally {
      clearInterval(timer);
    }
    parts.push(part);
    const file = foldArchive(archiveDir, fold);
    fs.mkdirSync(archiveDir, { recursive: true });
    const units = exportStore(run.storeDir, file, { folds: [fold] }); // not inside ?.(): without a listener it would not run
    fs.rmSync(partial, { force: true }); // the whole fold holds every unit it held
    onFoldSaved?.(fold, file, units);
  }
  const last = parts[parts.length - 1];
  return {
    ...last,
    records: parts.flatMap((p) => p.records),
    total: parts.reduce((n, p) => n + p.total, 0),
    computed: parts.reduce((n, p) => n + p.computed, 0),
    reused: parts.reduce((n, p) => n + p.reused, 0),
    seconds: (performance.now() - t0) / 1000,
  };
}

/** Save the fold in progress as far as it has run; a failure is a warning (the run goes on, the last save stays). */
function savePartial(storeDir: string, file: string, fold: number, onSaved: FoldArchiveEvents['onPartialSaved'], warn: ((m: string) => void) | undefined): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    onSaved?.(fold, file, exportStore(storeDir, file, { folds: [fold] }));
  } catch (err) {
    if (/has no unit on fold/.test((err as Error).message)) return; // nothing of this fold stored yet
    (warn ?? ((m: string) => console.warn(`adan-lab: ${m}`)))(`fold ${fold} not saved as far as it has run (${(err as Error).message}); the run goes on`);
  }
}
