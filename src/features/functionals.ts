/**
 * openSMILE functionals (cFunctionals and its cFunctional* parts) as the IS11 Speaker State
 * configuration uses them. Each function maps one contour to named values; names are openSMILE's.
 *
 * Time normalisation follows the config: `segment` divides by the contour length,
 * `second` multiplies frame counts by the frame period (0.01 s), `frame` leaves counts.
 */
import { Contour } from './dsp';

export type TimeNorm = 'segment' | 'second' | 'frame';

/** Which functionals a cFunctionals instance computes, in openSMILE's output order. */
export interface FunctionalsConfig {
  percentiles: boolean;
  /** Means: which of amean / qmean / nnz are output (in that order). */
  means: { amean: boolean; qmean: boolean; nnz: boolean; norm: TimeNorm };
  moments: boolean;
  peaks: boolean;
  /** Segments: algorithm and thresholds; absent = not enabled. */
  segments?: { algorithm: 'relTh' | 'nonX'; thresholds: number[] };
  regression: boolean;
  /** Times: which outputs; absent = not enabled. */
  times?: { levelAndRise: boolean; curvature: boolean; duration: boolean; norm: TimeNorm };
  lpc: boolean;
  /** nonZeroFuncts: compute over the non-zero values only. */
  nonZero: boolean;
  /** Frame period in seconds. */
  period: number;
}

/** Names of the values `computeFunctionals` returns for a config, in order. */
export function functionalNames(c: FunctionalsConfig): string[] {
  const n: string[] = [];
  if (c.percentiles) n.push('quartile1', 'quartile2', 'quartile3', 'iqr1-2', 'iqr2-3', 'iqr1-3', 'percentile1.0', 'percentile99.0', 'pctlrange0-1');
  if (c.means.amean) n.push('amean');
  if (c.means.qmean) n.push('qmean');
  if (c.means.nnz) n.push('nnz');
  if (c.moments) n.push('stddev', 'skewness', 'kurtosis');
  if (c.peaks) n.push('meanPeakDist', 'peakMean', 'peakMeanMeanDist', 'peakDistStddev');
  if (c.segments) n.push('meanSegLen', 'maxSegLen', 'minSegLen', 'segLenStddev');
  if (c.regression) n.push('linregc1', 'linregerrQ', 'qregc1', 'qregc2', 'qregerrQ', 'centroid');
  if (c.times) {
    if (c.times.levelAndRise) n.push('downleveltime25', 'upleveltime90', 'risetime', 'falltime');
    if (c.times.curvature) n.push('leftctime', 'rightctime');
    if (c.times.duration) n.push('duration');
  }
  if (c.lpc) n.push('lpgain', 'lpc0', 'lpc1', 'lpc2', 'lpc3', 'lpc4');
  return n;
}

/** Apply the functionals of `c` to one contour. */
export function computeFunctionals(contour: Contour, c: FunctionalsConfig): Float64Array {
  const names = functionalNames(c);
  const out = new Float64Array(names.length);
  let x: Contour = contour;
  if (c.nonZero) x = contour.filter((v) => v !== 0);
  const n = x.length;
  if (n === 0) return out; // openSMILE outputs zeros for an empty input
  let min = x[0], max = x[0], sum = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  // openSMILE hands the mean to its functionals as a 32-bit float; the regression is sensitive to that
  const mean = Math.fround(sum / n);
  let k = 0;
  if (c.percentiles) {
    const sorted = Float64Array.from(x).sort();
    const q1 = pctl(sorted, 0.25), q2 = pctl(sorted, 0.5), q3 = pctl(sorted, 0.75);
    const p1 = pctl(sorted, 0.01), p99 = pctl(sorted, 0.99);
    out[k++] = q1; out[k++] = q2; out[k++] = q3;
    out[k++] = q2 - q1; out[k++] = q3 - q2; out[k++] = q3 - q1;
    out[k++] = p1; out[k++] = p99; out[k++] = Math.abs(p99 - p1);
  }
  if (c.means.amean) out[k++] = mean;
  if (c.means.qmean) {
    let q = 0;
    for (let i = 0; i < n; i++) q += x[i] * x[i];
    out[k++] = q / n;
  }
  if (c.means.nnz) {
    let nz = 0;
    for (let i = 0; i < n; i++) if (x[i] !== 0) nz++;
    out[k++] = c.means.norm === 'segment' ? nz / n : c.means.norm === 'second' ? nz / c.period : nz;
  }
  if (c.moments) {
    let m2 = 0, m3 = 0, m4 = 0;
    for (let i = 0; i < n; i++) {
      const d = x[i] - mean, d2 = d * d;
      m2 += d2; m3 += d2 * d; m4 += d2 * d2;
    }
    m2 /= n;
    const sd = Math.sqrt(m2);
    out[k++] = m2 > 0 ? sd : 0;
    out[k++] = m2 > 0 ? m3 / (n * m2 * sd) : 0;
    out[k++] = m2 > 0 ? m4 / (n * m2 * m2) : 0;
  }
  if (c.peaks) {
    const p = peaks(x, min, max, mean);
    out[k++] = p.meanDist * c.period; // Peaks.norm = second
    out[k++] = p.peakMean;
    out[k++] = p.peakMean - mean;
    out[k++] = p.distStddev * c.period;
  }
  if (c.segments) {
    const s = c.segments.algorithm === 'relTh' ? segmentsRelTh(x, min, max, c.segments.thresholds) : segmentsNonX(x, 0);
    // Segments.norm = second
    out[k++] = s.mean * c.period; out[k++] = s.max * c.period; out[k++] = s.min * c.period; out[k++] = s.stddev * c.period;
  }
  if (c.regression) {
    const r = regression(x, mean);
    out[k++] = r.m; out[k++] = r.leq; out[k++] = r.a; out[k++] = r.b; out[k++] = r.qeq; out[k++] = r.centroid;
  }
  if (c.times) {
    const t = c.times;
    const norm = t.norm === 'segment' ? n : t.norm === 'second' ? 1 / c.period : 1;
    const norm1 = t.norm === 'segment' ? n - 1 : t.norm === 'second' ? (n - 1) / (n * c.period) : (n - 1) / n;
    const norm2 = t.norm === 'segment' ? n - 2 : t.norm === 'second' ? (n - 2) / (n * c.period) : (n - 2) / n;
    if (t.levelAndRise) {
      const range = max - min;
      const l25 = 0.25 * range + min, l90 = 0.9 * range + min;
      let n25 = 0, n90 = 0, nR = 0, nF = 0;
      for (let i = 0; i < n; i++) {
        if (x[i] <= l25) n25++;
        if (x[i] <= l90) n90++;
        if (i > 0) {
          if (x[i - 1] < x[i]) nR++;
          else if (x[i - 1] > x[i]) nF++;
        }
      }
      out[k++] = n25 / norm;
      out[k++] = (n - n90) / norm;
      out[k++] = norm1 !== 0 ? nR / norm1 : 0;
      out[k++] = norm1 !== 0 ? nF / norm1 : 0;
    }
    if (t.curvature) {
      let nLC = 0, nRC = 0;
      for (let i = 1; i < n - 1; i++) {
        const a1 = x[i] - x[i - 1], a2 = x[i + 1] - x[i];
        if (a2 < a1) nRC++;
        else if (a1 < a2) nLC++;
      }
      out[k++] = norm2 !== 0 ? nLC / norm2 : 0;
      out[k++] = norm2 !== 0 ? nRC / norm2 : 0;
    }
    if (t.duration) out[k++] = t.norm === 'second' ? n * c.period : n;
  }
  if (c.lpc) {
    const order = 5;
    const acf = new Float64Array(order + 1);
    // openSMILE accumulates the autocorrelation and runs Durbin in 32-bit floats; LPC of these
    // smooth contours is ill-conditioned, so we round the same way to stay close to its output.
    const f = Math.fround;
    for (let lag = 0; lag <= order; lag++) {
      let s = 0;
      for (let i = lag; i < n; i++) s = f(s + f(f(x[i]) * f(x[i - lag])));
      acf[lag] = s;
    }
    const { a, gain } = levinson(acf, order);
    out[k++] = gain / n;
    for (let i = 0; i < order; i++) out[k++] = a[i];
  }
  return out;
}

/** Linearly interpolated percentile of sorted values (Percentiles.interp = 1). */
export function pctl(sorted: Float64Array, p: number): number {
  const n = sorted.length;
  const idx = p * (n - 1);
  const i1 = Math.min(Math.max(Math.floor(idx), 0), n - 1);
  const i2 = Math.min(Math.max(Math.ceil(idx), 0), n - 1);
  if (i1 === i2) return sorted[i1];
  return sorted[i1] * (i2 - idx) + sorted[i2] * (idx - i1);
}

/** cFunctionalPeaks (overlapFlag=1): peak means and inter-peak distances in frames. */
function peaks(x: Contour, min: number, max: number, mean: number) {
  const n = x.length;
  const range = max - min;
  let lastlast = x[0], last = n > 1 ? x[1] : 0;
  let lastMin = 0, lastMax = 0, curMaxPos = 0, lastMaxPos = -1, flag = false;
  let nPeaks = 0, peakSum = 0;
  const dists: number[] = [];
  for (let i = 2; i < n; i++) {
    const v = x[i];
    if (lastlast < last && last > v) {
      if (!flag) lastMax = v;
      else if (v > lastMax) { lastMax = v; curMaxPos = i; }
      if (lastMax - lastMin > 0.11 * range) { flag = true; curMaxPos = i; }
    } else if (lastlast > last && last < v) {
      lastMin = v;
    }
    if (flag && (v < lastMax - 0.09 * range || i === n - 1)) {
      nPeaks++;
      peakSum += lastMax;
      if (lastMaxPos >= 0) dists.push(curMaxPos - lastMaxPos);
      lastMaxPos = curMaxPos;
      flag = false;
    }
    lastlast = last;
    last = v;
  }
  let meanDist: number, distStddev = 0;
  if (dists.length > 0) {
    meanDist = dists.reduce((s, d) => s + d, 0) / dists.length;
    for (const d of dists) distStddev += (d - meanDist) ** 2;
    distStddev = Math.sqrt(distStddev / dists.length);
  } else {
    meanDist = n + 1;
  }
  return { meanDist, distStddev, peakMean: nPeaks > 0 ? peakSum / nPeaks : 0 };
}

interface SegStats { mean: number; max: number; min: number; stddev: number }

function segStats(lens: number[]): SegStats {
  if (lens.length === 0) return { mean: 0, max: 0, min: 0, stddev: 0 };
  const total = lens.reduce((s, v) => s + v, 0);
  const mean = lens.length > 1 ? total / lens.length : total;
  let dev = 0;
  if (lens.length > 1) {
    for (const l of lens) dev += (l - mean) ** 2;
    dev = Math.sqrt(dev / lens.length);
  }
  return { mean, max: Math.max(...lens), min: Math.min(...lens), stddev: dev };
}

/** cFunctionalSegments relTh: boundaries where a 3-frame running mean crosses min + t * range. */
function segmentsRelTh(x: Contour, min: number, max: number, rel: number[]): SegStats {
  const n = x.length;
  const maxNumSeg = 100;
  const th = rel.map((t) => min + (max - min) * t);
  let segMinLng = Math.trunc(n / maxNumSeg) - 1;
  if (segMinLng < 2) segMinLng = 2;
  let lastSeg = -Math.trunc(segMinLng / 2);
  let ravg = 0, raLast = 0;
  const lens: number[] = [];
  for (let i = 0; i < n; i++) {
    ravg += x[i];
    if (i >= 3) ravg -= x[i - 3];
    const ra = ravg / Math.min(i + 1, 3);
    let cross = false;
    for (const t of th) if ((ra > t && raLast <= t) || (ra < t && raLast >= t)) cross = true;
    raLast = ra;
    if (cross && i - lastSeg > segMinLng) {
      if (lens.length < maxNumSeg) lens.push(i - lastSeg);
      lastSeg = i;
    }
  }
  return segStats(lens);
}

/** cFunctionalSegments nonX (new code): runs of values != X of at least segMinLng=3 frames, pauses of pauseMinLng=2. */
function segmentsNonX(x: Contour, X: number): SegStats {
  const segMinLng = 3, pauseMinLng = 2;
  let segStartIndex = 0, inSegment = 0, segStart = 0, segEnd = 0;
  const lens: number[] = [];
  const add = (end: number, start: number) => lens.push(end - start);
  let i = 0;
  for (; i < x.length; i++) {
    if (x[i] !== X) {
      if (inSegment === 1) {
        segEnd = 0; segStart++;
        if (segStart >= segMinLng) { segStart = 0; inSegment = 2; }
      } else if (inSegment === 0) {
        segStart++; segStartIndex = i; inSegment = 1;
      } else if (inSegment === 2) {
        segEnd = 0;
      }
    }
    if (x[i] === X) {
      if (inSegment === 2) {
        segStart = 0; segEnd++;
        if (segEnd >= pauseMinLng) { inSegment = 0; add(i - segEnd, segStartIndex); segEnd = 0; }
      } else if (inSegment === 1) {
        segEnd++;
        if (segEnd >= pauseMinLng) { inSegment = 0; segEnd = 0; segStart = 0; }
      }
    }
  }
  if (inSegment === 2) { segEnd++; add(i - segEnd, segStartIndex); }
  return segStats(lens);
}

/** cFunctionalRegression: linear and quadratic fits over t = 0..N-1, errors per frame, centroid over the segment. */
function regression(x: Contour, mean: number) {
  const n = x.length;
  let num = 0, num2 = 0;
  for (let i = 0; i < n; i++) { num += x[i] * i; num2 += x[i] * i * i; }
  const asum = mean * n;
  const centroidRaw = asum !== 0 ? num / asum : 0;
  const centroid = centroidRaw / n;
  let m = 0, t = 0, a = 0, b = 0, c = 0;
  if (n > 1) {
    const NNm1 = n * (n - 1);
    const S1 = NNm1 / 2;
    const S2 = (NNm1 * (2 * n - 1)) / 6;
    const S1dS2 = S1 / S2;
    const tmp = n - S1 * S1dS2;
    t = tmp === 0 ? 0 : (asum - num * S1dS2) / tmp;
    m = (num - t * S1) / S2;
    const S3 = S1 * S1;
    const n1 = n - 1;
    const S4 = (S2 * (3 * (n1 * n1 + n1) - 1)) / 5;
    const det = S4 * S2 * n + 2 * S3 * S1 * S2 - S2 * S2 * S2 - S3 * S3 * n - S3 * S4;
    if (det !== 0) {
      a = ((S2 * n - S3) * num2 + (S1 * S2 - S3 * n) * num + (S3 * S1 - S2 * S2) * asum) / det;
      b = ((S1 * S2 - S3 * n) * num2 + (S4 * n - S2 * S2) * num + (S3 * S2 - S4 * S1) * asum) / det;
      c = ((S3 * S1 - S2 * S2) * num2 + (S3 * S2 - S4 * S1) * num + (S4 * S2 - S3 * S3) * asum) / det;
    }
  } else {
    t = c = x[0];
  }
  let leq = 0, qeq = 0;
  for (let i = 0; i < n; i++) {
    const e = x[i] - (m * i + t);
    leq += e * e;
    const q = x[i] - (a * i * i + b * i + c);
    qeq += q * q;
  }
  const fin = (v: number) => (Number.isFinite(v) ? v : 0);
  return { m: fin(m), leq: fin(leq / n), a: fin(a), b: fin(b), qeq: fin(qeq / n), centroid: fin(centroid) };
}

/** Levinson-Durbin recursion on an autocorrelation (smileDsp_calcLpcAcf): coefficients a[0..p-1] and the residual error. */
export function levinson(r: Float64Array, p: number): { a: Float64Array; gain: number } {
  const f = Math.fround;
  const a = new Float32Array(p);
  if (r[0] === 0) return { a: new Float64Array(p), gain: 0 };
  let e = f(r[0]);
  for (let m = 1; m <= p; m++) {
    let s = f(r[m]);
    for (let i = 1; i < m; i++) s = f(s + f(a[i - 1] * r[m - i]));
    const k = f(f(-1 / e) * s);
    a[m - 1] = k;
    for (let i = 1; i <= Math.floor(m / 2); i++) {
      const x = a[i - 1];
      a[i - 1] += k * a[m - i - 1];
      if (i < Math.floor(m / 2) || (m & 1) === 1) a[m - i - 1] += k * x;
    }
    e = f(e * f(1 - f(k * k)));
    if (e === 0) {
      for (let i = m; i < p; i++) a[i] = 0;
      break;
    }
  }
  return { a: Float64Array.from(a), gain: e };
}
