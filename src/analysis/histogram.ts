/**
 * Histograms of one feature with Freedman–Diaconis bins (paper Fig. 5: real vs AAE vs ADAN).
 *
 * Freedman–Diaconis: bin width h = 2 IQR n^(-1/3), IQR the interquartile range. Quantiles use
 * linear interpolation between order statistics (numpy's default, "type 7").
 *
 * @example
 *   const h = histogram(column(real, 123));                 // FD bins of the real values
 *   const [r, s] = histograms([column(real, 123), column(synth, 123)]); // shared bins
 */
import { checkRows, Rows } from './rows';
import { OptionError, checkOptionKeys } from '../util/errors';

/** The q-quantile (0 <= q <= 1) of `values` with linear interpolation (numpy's default). */
export function quantile(values: ArrayLike<number>, q: number): number {
  if (!(q >= 0 && q <= 1)) throw new OptionError('quantile.q', q, 'a number in [0, 1]');
  if (values.length === 0) throw new Error('quantile: no values');
  const sorted = Float64Array.from(values).sort();
  return quantileSorted(sorted, q);
}

function quantileSorted(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Interquartile range: 75th minus 25th percentile. */
export function iqr(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) throw new Error('iqr: no values');
  return quantileSorted(sorted, 0.75) - quantileSorted(sorted, 0.25);
}

/**
 * Freedman–Diaconis bin width, 2 IQR n^(-1/3). 0 when the IQR is 0 (half the values or more are
 * equal); {@link histogram} then falls back to Sturges' number of bins.
 */
export function freedmanDiaconisWidth(values: ArrayLike<number>): number {
  if (values.length === 0) throw new Error('freedmanDiaconisWidth: no values');
  return 2 * iqr(values) * Math.cbrt(1 / values.length);
}

export interface HistogramOptions {
  /** Bin width; default undefined = Freedman–Diaconis of the values (of all series in {@link histograms}). */
  binWidth?: number;
  /** [lo, hi] range the bins cover; default undefined = [min, max] of the values. */
  extent?: readonly [number, number];
  /** Upper limit on the number of bins (a guard against a tiny FD width on long tails). Default 200. */
  maxBins?: number;
}

/** Defaults of {@link HistogramOptions}. */
export const HISTOGRAM_DEFAULTS: HistogramOptions & { maxBins: number } = {
  binWidth: undefined,
  extent: undefined,
  maxBins: 200,
};

/** Bins and counts. Bin b is [edges[b], edges[b + 1]); the last bin also holds its upper edge. */
export interface Histogram {
  /** Bin edges, length bins + 1, ascending. */
  edges: number[];
  /** Values per bin, length bins. */
  counts: number[];
  /** Width of every bin. */
  binWidth: number;
  /** Number of values counted (values outside `extent` are not). */
  n: number;
}

/** Histogram of `values` with Freedman–Diaconis bins unless `binWidth` is given. */
export function histogram(values: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  return histograms([values], options)[0];
}

/**
 * Histograms of several series on the same bins (so real and synthetic bars line up): the
 * extent spans all series and the default width is Freedman–Diaconis of all values pooled.
 */
export function histograms(series: readonly ArrayLike<number>[], options: HistogramOptions = {}): Histogram[] {
  checkOptionKeys('histogram', options, HISTOGRAM_DEFAULTS);
  const o = { ...HISTOGRAM_DEFAULTS, ...options };
  if (series.length === 0) throw new Error('histograms: no series given');
  const pooled: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (!Number.isFinite(v)) throw new Error(`histogram: value ${i} is ${v}; only finite values can be binned`);
      pooled.push(v);
    }
  }
  if (pooled.length === 0) throw new Error('histogram: no values');
  let lo: number, hi: number;
  if (o.extent) {
    [lo, hi] = o.extent;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && hi > lo)) throw new OptionError('histogram.extent', o.extent, '[lo, hi] with finite lo < hi');
  } else {
    lo = Math.min(...pooled);
    hi = Math.max(...pooled);
  }
  if (!Number.isInteger(o.maxBins) || o.maxBins < 1) throw new OptionError('histogram.maxBins', o.maxBins, 'a positive integer');
  let width = o.binWidth ?? freedmanDiaconisWidth(pooled);
  if (o.binWidth !== undefined && !(o.binWidth > 0 && Number.isFinite(o.binWidth))) {
    throw new OptionError('histogram.binWidth', o.binWidth, 'a positive finite number');
  }
  let bins: number;
  if (hi === lo) {
    bins = 1;
    width = width > 0 ? width : 1;
    lo -= width / 2;
    hi = lo + width;
  } else {
    if (!(width > 0)) width = (hi - lo) / Math.ceil(Math.log2(pooled.length) + 1); // Sturges when IQR = 0
    bins = Math.max(1, Math.ceil((hi - lo) / width - 1e-9)); // tolerance: (hi - lo) / width may round just above an integer
    if (bins > o.maxBins) {
      bins = o.maxBins;
      width = (hi - lo) / bins;
    }
  }
  const edges = Array.from({ length: bins + 1 }, (_, b) => lo + b * width);
  return series.map((s) => {
    const counts = new Array<number>(bins).fill(0);
    let n = 0;
    for (let i = 0; i < s.length; i++) {
      const v = s[i];
      if (v < lo || v > hi) continue;
      let b = Math.floor((v - lo) / width);
      if (b >= bins) b = bins - 1;
      counts[b]++;
      n++;
    }
    return { edges, counts, binWidth: width, n };
  });
}

/** Column `j` of `r` (one feature of every row) as a Float64Array. */
export function column(r: Rows, j: number): Float64Array {
  checkRows('column', r);
  if (!(Number.isInteger(j) && j >= 0 && j < r.d)) throw new Error(`column: feature ${j} outside 0..${r.d - 1}`);
  const out = new Float64Array(r.n);
  for (let i = 0; i < r.n; i++) out[i] = r.x[i * r.d + j];
  return out;
}
