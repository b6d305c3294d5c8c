/**
 * Leave-one-group-out cross-validation (leave-one-speaker-out for EmoDB, leave-one-session-out
 * for IEMOCAP). A fold's training rows never include a row of its test group.
 */
import { DataError } from '../util/errors';
import { classCounts, subset, type Dataset } from './dataset';

export interface Fold {
  /** 1-based fold number, in order of first appearance of the group. */
  index: number;
  /** The held-out group (speaker or session). */
  group: string;
  train: Int32Array;
  test: Int32Array;
}

/** One fold per distinct group, in order of first appearance (file i of the authors' data = fold i). */
export function leaveOneGroupOut(groups: readonly string[]): Fold[] {
  const order: string[] = [];
  const seen = new Set<string>();
  for (const g of groups) if (!seen.has(g)) { seen.add(g); order.push(g); }
  if (order.length < 2) throw new Error(`leaveOneGroupOut: need at least 2 groups, got ${order.length}`);
  return order.map((group, i) => {
    const train: number[] = [];
    const test: number[] = [];
    groups.forEach((g, r) => (g === group ? test : train).push(r));
    return { index: i + 1, group, train: Int32Array.from(train), test: Int32Array.from(test) };
  });
}

export interface FoldData {
  fold: Fold;
  train: Dataset;
  test: Dataset;
}

/**
 * The train and test Datasets of the given folds (1-based numbers; all when omitted).
 * Throws when a class has no training rows in a fold: nothing could learn it there.
 */
export function splitFolds(ds: Dataset, which?: readonly number[]): FoldData[] {
  const folds = leaveOneGroupOut(ds.groups);
  const chosen = which ?? folds.map((f) => f.index);
  return chosen.map((k) => {
    const fold = folds[k - 1];
    if (!fold) throw new Error(`fold ${k} does not exist: ${ds.name} has folds 1..${folds.length} (one per group: ${folds.map((f) => f.group).join(', ')})`);
    const train = subset(ds, fold.train, `${ds.name} fold ${k} train`);
    const test = subset(ds, fold.test, `${ds.name} fold ${k} test`);
    checkEveryClassPresent(train, `fold ${k} (test group ${fold.group})`);
    return { fold, train, test };
  });
}

/** DataError when some class has no rows in `train`. */
export function checkEveryClassPresent(train: Dataset, where: string): void {
  const counts = classCounts(train);
  const missing = train.classes.filter((_, c) => counts[c] === 0);
  if (missing.length > 0) {
    throw new DataError(train.name, `${where}: class ${missing.map((m) => `'${m}'`).join(', ')} has no training rows`);
  }
}
