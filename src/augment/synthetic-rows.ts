/**
 * Helpers every augmenter's `sample` shares: label checks and wrapping generated rows as a
 * Dataset marked `synthetic: true`.
 */
import { makeDataset, type Dataset } from '../data/dataset';
import { OptionError } from '../util/errors';
import type { AugmentMethod } from './augmenter';

/** Labels as Int32Array, each checked to lie in 0..k-1. */
export function checkLabels(what: string, labels: ArrayLike<number>, classes: readonly string[]): Int32Array {
  const out = Int32Array.from(labels as ArrayLike<number>);
  for (let i = 0; i < out.length; i++) {
    const v = (labels as ArrayLike<number>)[i];
    if (!(Number.isInteger(v) && v >= 0 && v < classes.length)) {
      throw new OptionError(`${what}.sample labels[${i}]`, v, `a class index 0..${classes.length - 1} (${classes.join(', ')})`);
    }
  }
  return out;
}

/** Generated rows (original feature space) as a Dataset: group "synthetic", ids `<method>-<i>`. */
export function syntheticDataset(
  method: AugmentMethod,
  x: Float32Array,
  d: number,
  labels: Int32Array,
  classes: readonly string[],
  featureNames?: readonly string[],
): Dataset {
  const n = labels.length;
  return makeDataset({
    name: `${method}-synthetic`,
    x,
    d,
    y: labels,
    classes,
    groups: new Array(n).fill('synthetic'),
    ids: Array.from({ length: n }, (_, i) => `${method}-${i}`),
    featureNames,
    synthetic: true,
  });
}

/** Row indices of each class, indexed by label. */
export function rowsByClass(y: Int32Array, k: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: k }, () => []);
  for (let i = 0; i < y.length; i++) lists[y[i]].push(i);
  return lists.map((l) => Int32Array.from(l));
}
