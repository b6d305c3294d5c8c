/**
 * adan-lab's public API: everything a notebook or script needs, from one import. The rooms
 * below are re-exported whole (their names do not clash: the build fails if two rooms ever
 * export the same name for different things); the notebook helpers (quick/full parameters,
 * cached fits, tables, progress lines) are part of it, so a notebook's cells import from here
 * only (in a notebook: `from '../dist/src/index'`; test/notebook-files.test.ts checks it).
 * What it leaves out: the CLI (src/cli, the library's face, never imported by it) and the
 * benchmarks (bench/, which import the library, not the other way round).
 *
 * ```ts
 * import { loadDataset, splitFolds, wadan, linearSvm, uar } from 'adan-lab';
 * const ds = loadDataset('emodb-is11');
 * const [{ train, test }] = splitFolds(ds, [1]);
 * const aug = await wadan({ epochs: 1500 }).fit(train);
 * const synthetic = aug.sample(train.y);
 * ```
 */
export * from './data';
export * from './eval';
export * from './backend';
export * from './augment';
export * from './classify';
export * from './analysis';
export * from './plot';
export * from './experiment';
export * from './features';
export { SYNTHETIC_NOTICE } from './data/synthetic';
export * from './protocol';
export * from './notebook';
// The seeded generator, for a cell that draws its own subsample the way the library does.
export { Random } from './util/random';
