/**
 * Class weights shared by the classifiers: how much one training row of each class counts.
 */
import { OptionError } from '../util/errors';

/**
 * How to weight the classes.
 * - `'none'`: every row counts 1.
 * - `'balanced'`: n / (k · n_c), scikit-learn's `class_weight='balanced'` (mean weight per row 1).
 * - `'max-ratio'`: n_max / n_c, the paper's weights (Section IV-D): the largest class counts 1.
 * - an array: one positive weight per class, indexed by label.
 */
export type ClassWeightSpec = 'none' | 'balanced' | 'max-ratio' | readonly number[];

/** Check a class-weight option at construction time (before the data is known). */
export function checkClassWeightSpec(option: string, spec: unknown): void {
  if (spec === 'none' || spec === 'balanced' || spec === 'max-ratio') return;
  if (Array.isArray(spec) && spec.length > 0 && spec.every((v) => typeof v === 'number' && Number.isFinite(v) && v > 0)) return;
  throw new OptionError(option, spec, `'none', 'balanced', 'max-ratio' or an array of positive numbers (one per class)`);
}

/** The weight of each class given the training class counts (all counts must be positive). */
export function resolveClassWeights(spec: ClassWeightSpec, counts: readonly number[], option = 'classWeight'): Float64Array {
  const k = counts.length;
  const n = counts.reduce((s, c) => s + c, 0);
  if (spec === 'none') return new Float64Array(k).fill(1);
  if (spec === 'balanced') return Float64Array.from(counts, (c) => n / (k * c));
  if (spec === 'max-ratio') {
    const max = Math.max(...counts);
    return Float64Array.from(counts, (c) => max / c);
  }
  if (spec.length !== k) throw new OptionError(option, spec, `${k} weights, one per class`);
  return Float64Array.from(spec);
}
