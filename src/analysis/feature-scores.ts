/**
 * How well each feature alone separates the classes: the one-way ANOVA F statistic per feature
 * (scikit-learn's `f_classif`), and the best-separating feature with enough distinct values to
 * draw as a histogram (paper Fig. 5 picks a feature at random; a random IS11 column is often
 * discrete-valued and says little).
 *
 * @example
 *   const f = fClassif(train, train.y);                          // F per feature
 *   const j = informativeFeature(train, train.y);                // the column to draw
 *   train.featureNames?.[j];                                     // e.g. 'pcm_fftMag_mfcc_sma[1]_amean'
 */
import { checkRows, Rows } from './rows';
import { OptionError, checkOptionKeys } from '../util/errors';

/**
 * One-way ANOVA F per feature: between-class mean square over within-class mean square, with
 * k - 1 and n - k degrees of freedom (k classes present). A feature constant within every class
 * but not across them gets Infinity; a constant feature, NaN (as scikit-learn).
 */
export function fClassif(r: Rows, labels: ArrayLike<number>): Float64Array {
  checkRows('fClassif', r);
  if (labels.length !== r.n) throw new Error(`fClassif: ${labels.length} labels for ${r.n} rows`);
  const present = [...new Set(Array.from(labels))].sort((a, b) => a - b);
  const k = present.length;
  if (k < 2 || r.n <= k) throw new Error(`fClassif: needs at least 2 classes and more rows than classes (${k} classes, ${r.n} rows)`);
  const slot = new Map(present.map((c, i) => [c, i]));
  const count = new Float64Array(k);
  for (let i = 0; i < r.n; i++) count[slot.get(labels[i])!]++;
  const sum = new Float64Array(k * r.d);
  const total = new Float64Array(r.d);
  for (let i = 0; i < r.n; i++) {
    const c = slot.get(labels[i])! * r.d;
    for (let j = 0; j < r.d; j++) { const v = r.x[i * r.d + j]; sum[c + j] += v; total[j] += v; }
  }
  // within-class sum of squares around the class means (two passes: no cancellation)
  const within = new Float64Array(r.d);
  for (let i = 0; i < r.n; i++) {
    const s = slot.get(labels[i])!;
    for (let j = 0; j < r.d; j++) { const e = r.x[i * r.d + j] - sum[s * r.d + j] / count[s]; within[j] += e * e; }
  }
  const f = new Float64Array(r.d);
  for (let j = 0; j < r.d; j++) {
    const grand = total[j] / r.n;
    let between = 0;
    for (let s = 0; s < k; s++) { const e = sum[s * r.d + j] / count[s] - grand; between += count[s] * e * e; }
    f[j] = (between / (k - 1)) / (within[j] / (r.n - k));
  }
  return f;
}

/** Options of {@link informativeFeature}. */
export interface InformativeFeatureOptions {
  /** Only features with at least this share of distinct values among the rows. Default 0.5. */
  minDistinct?: number;
}

/** Defaults of {@link InformativeFeatureOptions}. */
export const INFORMATIVE_FEATURE_DEFAULTS: Required<InformativeFeatureOptions> = { minDistinct: 0.5 };

/**
 * The feature with the largest ANOVA F among those with at least `minDistinct` x n distinct
 * values (so its histogram shows a distribution, not a handful of spikes).
 */
export function informativeFeature(r: Rows, labels: ArrayLike<number>, options: InformativeFeatureOptions = {}): number {
  checkOptionKeys('informativeFeature', options, INFORMATIVE_FEATURE_DEFAULTS);
  const minDistinct = options.minDistinct ?? INFORMATIVE_FEATURE_DEFAULTS.minDistinct;
  if (!(minDistinct >= 0 && minDistinct <= 1)) throw new OptionError('informativeFeature.minDistinct', minDistinct, 'a share in [0, 1]');
  const f = fClassif(r, labels);
  let best = -1;
  for (let j = 0; j < r.d; j++) {
    if (!Number.isFinite(f[j]) || (best >= 0 && f[j] <= f[best])) continue;
    const distinct = new Set<number>();
    for (let i = 0; i < r.n; i++) distinct.add(r.x[i * r.d + j]);
    if (distinct.size >= minDistinct * r.n) best = j;
  }
  if (best < 0) throw new Error(`informativeFeature: no feature has a finite F and ${Math.ceil(minDistinct * r.n)} or more distinct values`);
  return best;
}

/**
 * Share of `rows` whose nearest class centroid of `reference` (Euclidean; centroids of the
 * reference rows' classes) is their own class: how well a space keeps the classes of rows it
 * was not fitted on (e.g. a held-out speaker's E(x) against the training rows' E(x)).
 */
export function nearestCentroidShare(reference: Rows & { y: ArrayLike<number> }, rows: Rows & { y: ArrayLike<number> }): number {
  checkRows('nearestCentroidShare', reference);
  checkRows('nearestCentroidShare', rows);
  if (reference.d !== rows.d) throw new Error(`nearestCentroidShare: ${reference.d} and ${rows.d} columns`);
  const d = reference.d;
  const sums = new Map<number, { n: number; c: Float64Array }>();
  for (let i = 0; i < reference.n; i++) {
    const s = sums.get(reference.y[i]) ?? { n: 0, c: new Float64Array(d) };
    s.n++;
    for (let j = 0; j < d; j++) s.c[j] += reference.x[i * d + j];
    sums.set(reference.y[i], s);
  }
  const centroids = [...sums.entries()].map(([label, s]) => ({ label, c: s.c.map((v) => v / s.n) }));
  let hit = 0;
  for (let i = 0; i < rows.n; i++) {
    let best = -1;
    let bestDist = Infinity;
    for (const { label, c } of centroids) {
      let dist = 0;
      for (let j = 0; j < d; j++) { const e = rows.x[i * d + j] - c[j]; dist += e * e; }
      if (dist < bestDist) { bestDist = dist; best = label; }
    }
    if (best === rows.y[i]) hit++;
  }
  return rows.n === 0 ? NaN : hit / rows.n;
}
