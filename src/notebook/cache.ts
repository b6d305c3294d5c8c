/**
 * Fitted augmenters kept on disk for notebooks: the same method, options and training rows give
 * the same folder, so re-running a cell (or another notebook that needs the same model) loads
 * it instead of training again. Training checkpoints every `checkpointEvery` epochs, so a
 * kernel restarted during a long fit resumes it.
 *
 * @example
 *   const wadan = await fitCached('wadan', { epochs: 1500 }, fold.train, { dir: p.augmenterDir });
 *   wadan.history;   // per-epoch losses, also when loaded from the cache
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../data/dataset';
import { loadAugmenter, makeAugmenter, type AugmenterMap, type AugmentOptionsMap } from '../augment/index';
import type { AugmentMethod, EpochRecord } from '../augment/augmenter';
import { MANIFEST_FILE } from '../augment/io';
import { datasetFingerprint, stableKey } from '../experiment/hash';
import { progressLine } from './display';

/** Bump when what a cached folder holds changes meaning (2: ADAN/WADAN default to the code's grouped updates). */
export const AUGMENTER_CACHE_VERSION = 2;

/** Options of {@link fitCached}. */
export interface FitCachedOptions {
  /** Folder of the cache (one sub-folder per model). Required. */
  dir: string;
  /** Label of the progress line. Default: the method. */
  label?: string;
  /** Show an updating progress line while training. Default true. */
  progress?: boolean;
  /** Checkpoint every this many epochs (0 = never). Default 50. */
  checkpointEvery?: number;
  /** Called after every trained epoch (not when loaded from the cache). */
  onEpoch?: (record: EpochRecord) => void;
}

/** The cache folder of a method + options + training rows. */
export function cacheFolder(dir: string, method: string, options: object, train: Dataset): string {
  const key = stableKey({ v: AUGMENTER_CACHE_VERSION, method, options, data: { name: train.name, fingerprint: datasetFingerprint(train) } });
  return path.join(dir, `${method}-${key}`);
}

/**
 * The augmenter `makeAugmenter(method, options)` fitted on `train`: loaded from the cache when
 * it holds one, else fitted (with progress and checkpoints) and saved there.
 */
export async function fitCached<M extends AugmentMethod>(method: M, options: Partial<AugmentOptionsMap[M]>, train: Dataset, opts: FitCachedOptions): Promise<AugmenterMap[M]> {
  if (!opts || typeof opts.dir !== 'string' || opts.dir === '') throw new Error('fitCached: options.dir (the cache folder) is required');
  const folder = cacheFolder(opts.dir, method, options, train);
  const modelDir = path.join(folder, 'model');
  if (fs.existsSync(path.join(modelDir, MANIFEST_FILE))) {
    const loaded = (await loadAugmenter(modelDir)) as AugmenterMap[M];
    // Say what the cached model cost, so a re-run notebook keeps that line in its output.
    if (opts.progress !== false) progressLine(opts.label ?? method).done(`${describeTraining(loaded.history)} (loaded from the cache)`);
    return loaded;
  }
  const aug = makeAugmenter(method, options);
  const epochs = (options as { epochs?: number }).epochs;
  const line = opts.progress === false ? undefined : progressLine(opts.label ?? method);
  const start = Date.now();
  const every = opts.checkpointEvery ?? 50;
  let epochsNow = 0;
  await aug.fit(train, {
    checkpointDir: every > 0 ? path.join(folder, 'checkpoint') : undefined,
    checkpointEvery: every,
    resume: every > 0,
    onEpoch: (r) => {
      epochsNow++;
      opts.onEpoch?.(r);
      if (line) {
        const losses = Object.entries(r).filter(([k]) => k !== 'epoch' && k !== 'seconds').slice(0, 6).map(([k, v]) => `${k} ${Number(v).toFixed(3)}`).join('  ');
        line.update(`epoch ${r.epoch}${epochs ? `/${epochs}` : ''} (${((Date.now() - start) / 1000).toFixed(0)} s)  ${losses}`);
      }
    },
  });
  await aug.save(modelDir);
  fs.rmSync(path.join(folder, 'checkpoint'), { recursive: true, force: true });
  const wall = ((Date.now() - start) / 1000).toFixed(1);
  const resumedAt = aug.history.length - epochsNow;
  const trained = trainingSeconds(aug.history);
  line?.done(
    resumedAt > 0
      ? `trained ${aug.history.length} epochs, ${trained.toFixed(1)} s of training in all (resumed from a checkpoint at epoch ${resumedAt}; ${wall} s in this run)`
      : `trained ${aug.history.length} epochs in ${wall} s`,
  );
  return aug;
}

/** The sum of the epochs' own times, wherever (and in however many runs) they ran. */
function trainingSeconds(history: readonly EpochRecord[]): number {
  return history.reduce<number>((sum, r) => sum + r.seconds, 0);
}

/** `trained N epochs, S s of training`. */
function describeTraining(history: readonly EpochRecord[]): string {
  return `trained ${history.length} epochs, ${trainingSeconds(history).toFixed(1)} s of training`;
}
