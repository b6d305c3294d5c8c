/**
 * Class weights: how much one training row of each class counts, in the classifiers' losses and
 * margins and in the augmenters' classification losses (Eq. 11). One vocabulary for both:
 * - `'none'`: every row counts 1.
 * - `'balanced'`: n / (k · n_c), scikit-learn's `class_weight='balanced'` (mean weight per row 1).
 * - `'nmax'`: n_max / n_c, the paper's weights (Section IV-D): the largest class counts 1.
 * - `'nmax-floor'`: floor(n_max / n_c), what the authors' code computes (`float(int(max / count))`).
 * - an array: one non-negative weight per class, indexed by label.
 * A class without training rows gets weight 0. `'max-ratio'` is the old spelling of `'nmax'`
 * (classifiers before 2026-12): still accepted, with a deprecation warning.
 */
import { OptionError } from '../util/errors';

export type ClassWeights = 'none' | 'balanced' | 'nmax' | 'nmax-floor' | readonly number[];

export const CLASS_WEIGHT_NAMES = ['none', 'balanced', 'nmax', 'nmax-floor'] as const;

const DEPRECATED: Record<string, (typeof CLASS_WEIGHT_NAMES)[number]> = { 'max-ratio': 'nmax' };
let warned = false;

/** The current spelling of a class-weight setting (a deprecated one warns once per process). */
export function canonicalClassWeights(spec: unknown): unknown {
  if (typeof spec === 'string' && spec in DEPRECATED) {
    if (!warned) {
      warned = true;
      process.emitWarning(`class weights '${spec}' is now spelled '${DEPRECATED[spec]}' (the same n_max / n_c); the old name will go`, 'DeprecationWarning');
    }
    return DEPRECATED[spec];
  }
  return spec;
}

/** Check a class-weight setting at construction time (before the data is known). */
export function checkClassWeights(option: string, spec: unknown): void {
  const s = canonicalClassWeights(spec);
  if ((CLASS_WEIGHT_NAMES as readonly unknown[]).includes(s)) return;
  if (Array.isArray(s) && s.length > 0 && s.every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0) && s.some((v) => v > 0)) return;
  throw new OptionError(option, spec, `'none', 'balanced' (n / (k n_c)), 'nmax' (n_max / n_c, the paper), 'nmax-floor' (the authors' code) or one non-negative weight per class`);
}

/** The weight of each class given the training class counts. */
export function resolveClassWeights(spec: ClassWeights | string, counts: readonly number[], option = 'classWeight'): Float64Array {
  const s = canonicalClassWeights(spec) as ClassWeights;
  const k = counts.length;
  if (Array.isArray(s)) {
    if (s.length !== k) throw new OptionError(option, spec, `${k} weights, one per class`);
    return Float64Array.from(s);
  }
  const n = counts.reduce((a, c) => a + c, 0);
  const max = Math.max(...counts);
  return Float64Array.from(counts, (c) => {
    if (s === 'none') return 1;
    if (c === 0) return 0;
    if (s === 'balanced') return n / (k * c);
    if (s === 'nmax') return max / c;
    if (s === 'nmax-floor') return Math.floor(max / c);
    throw new OptionError(option, spec, `one of ${CLASS_WEIGHT_NAMES.join(', ')} or one weight per class`);
  });
}
