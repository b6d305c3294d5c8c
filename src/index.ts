/**
 * adan-lab's public API: everything a notebook or script needs, from one import.
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
