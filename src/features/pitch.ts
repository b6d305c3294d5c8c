/**
 * F0 by sub-harmonic summation, as IS11 configures it in openSMILE:
 * 60 ms Gaussian-windowed frames (sigma 0.4) -> FFT magnitude -> cSpecScale (peak enhancement,
 * 3-tap smoothing, natural cubic spline onto an octave axis from 25 Hz to Nyquist with as many
 * points as FFT bins, auditory weighting) -> cPitchShs (15 harmonics, compression 0.85,
 * 4 candidates, 52-620 Hz) -> cPitchSmoother (no post-smoothing: F0final is the best candidate
 * when its voicing exceeds 0.7, else 0; voicingFinalUnclipped is its voicing).
 */

/** Natural cubic spline second derivatives (Numerical Recipes `spline` with natural ends). */
function splineSecondDerivatives(x: Float64Array, y: Float64Array): Float64Array {
  const n = x.length;
  const y2 = new Float64Array(n);
  const u = new Float64Array(n);
  for (let i = 1; i < n - 1; i++) {
    const sig = (x[i] - x[i - 1]) / (x[i + 1] - x[i - 1]);
    const p = sig * y2[i - 1] + 2;
    y2[i] = (sig - 1) / p;
    u[i] = (y[i + 1] - y[i]) / (x[i + 1] - x[i]) - (y[i] - y[i - 1]) / (x[i] - x[i - 1]);
    u[i] = ((6 * u[i]) / (x[i + 1] - x[i - 1]) - sig * u[i - 1]) / p;
  }
  y2[n - 1] = 0;
  for (let k = n - 2; k >= 0; k--) y2[k] = y2[k] * y2[k + 1] + u[k];
  return y2;
}

/** Peak enhancement of a linear magnitude spectrum (smileDsp_specEnhanceSHS): zero bins more than 2 away from local maxima. */
export function enhancePeaks(a: Float64Array): void {
  const n = a.length;
  if (n < 2) return;
  const pos: number[] = [];
  if (a[0] > a[1]) pos.push(0);
  for (let i = 1; i < n - 1; i++) if (a[i] > a[i - 1] && a[i] >= a[i + 1]) pos.push(i);
  if (a[n - 1] > a[n - 2]) pos.push(n - 1);
  if (pos.length === 1) {
    // openSMILE reads posmax[1] here (one past the only maximum): an uninitialised 0 from calloc
    for (let j = 0; j <= -3; j++) a[j] = 0;
    for (let j = 3; j < n; j++) a[j] = 0;
  } else {
    for (let i = 1; i < pos.length; i++) for (let j = pos[i - 1] + 3; j <= pos[i] - 3; j++) a[j] = 0;
  }
}

/** 3-tap smoothing (1 2 1)/4 of a magnitude spectrum (smileDsp_specSmoothSHS); the last bin is left as is. */
export function smoothSpectrum(a: Float64Array): void {
  let prev = 0;
  for (let i = 0; i < a.length - 1; i++) {
    const ai = a[i];
    a[i] = (prev + 2 * ai + a[i + 1]) / 4;
    prev = ai;
  }
}

/** Vertex of the parabola through three points (smileMath_quadFrom3pts), with peak-picking fallback. */
export function quadFrom3pts(x1: number, y1: number, x2: number, y2: number, x3: number, y3: number): { x: number; y: number } {
  const den = x1 * x1 * x2 + x2 * x2 * x3 + x3 * x3 * x1 - x3 * x3 * x2 - x2 * x2 * x1 - x1 * x1 * x3;
  if (den !== 0) {
    const a = (y1 * x2 + y2 * x3 + y3 * x1 - y3 * x2 - y2 * x1 - y1 * x3) / den;
    const b = (x1 * x1 * y2 + x2 * x2 * y3 + x3 * x3 * y1 - x3 * x3 * y2 - x2 * x2 * y1 - x1 * x1 * y3) / den;
    const c = (x1 * x1 * x2 * y3 + x2 * x2 * x3 * y1 + x3 * x3 * x1 * y2 - x3 * x3 * x2 * y1 - x2 * x2 * x1 * y3 - x1 * x1 * x3 * y2) / den;
    if (a !== 0) {
      const x = -b / (2 * a);
      return { x, y: c - a * x * x };
    }
  }
  if (y1 > y2 && y1 > y3) return { x: x1, y: y1 };
  if (y2 > y1 && y2 > y3) return { x: x2, y: y2 };
  if (y3 > y1 && y3 > y2) return { x: x3, y: y3 };
  return { x: x1, y: y1 };
}

/** Settings of the IS11 SHS pitch tracker (defaults are the config's). */
export interface ShsOptions {
  minF: number;
  minPitch: number;
  maxPitch: number;
  nHarmonics: number;
  compressionFactor: number;
  nCandidates: number;
  voicingCutoff: number;
}

export const SHS_DEFAULTS: ShsOptions = { minF: 25, minPitch: 52, maxPitch: 620, nHarmonics: 15, compressionFactor: 0.85, nCandidates: 4, voicingCutoff: 0.7 };

/** Per-frame F0 (0 when unvoiced) and voicing probability from FFT magnitude frames. */
export class ShsPitch {
  private readonly ft: Float64Array;
  private readonly target: Float64Array;
  private readonly audw: Float64Array;
  private readonly ppo: number;
  private readonly fmint: number;
  private readonly fstept: number;
  private readonly o: ShsOptions;
  /** Spline interval index and weights per target point. */
  private readonly klo: Int32Array;

  constructor(private readonly nMag: number, binHz: number, options: Partial<ShsOptions> = {}) {
    this.o = { ...SHS_DEFAULTS, ...options };
    const maxF = binHz * (nMag - 1);
    const log2 = Math.log2;
    this.fmint = log2(this.o.minF);
    const fmaxt = log2(maxF);
    const nPoints = nMag;
    const dt = (fmaxt - this.fmint) / (nPoints - 1);
    this.ft = new Float64Array(nMag);
    for (let i = 1; i < nMag; i++) this.ft[i] = Math.log(i * binHz) / Math.log(2);
    this.ft[0] = 2 * this.ft[1] - this.ft[2];
    this.target = new Float64Array(nPoints);
    for (let i = 0; i < nPoints; i++) this.target[i] = this.fmint + i * dt;
    this.klo = new Int32Array(nPoints);
    for (let i = 0; i < nPoints; i++) {
      let lo = 0, hi = nMag - 1;
      while (hi - lo > 1) {
        const k = (hi + lo) >> 1;
        if (this.ft[k] > this.target[i]) hi = k; else lo = k;
      }
      this.klo[i] = lo;
    }
    const nOctaves = log2(maxF / this.o.minF);
    const ppo = nPoints / nOctaves;
    this.audw = new Float64Array(nPoints);
    const atanS = ppo * log2(65 / 50) - 1;
    for (let i = 0; i < nPoints; i++) this.audw[i] = 0.5 + Math.atan((3 * (i + 1 - atanS)) / ppo) / Math.PI;
    // cPitchShs reads these through the level's float meta data
    this.ppo = Math.fround(ppo);
    this.fstept = Math.fround((Math.fround(fmaxt) - Math.fround(this.fmint)) / (nPoints - 1));
    this.fmint = Math.fround(this.fmint);
  }

  /** Octave-scale, auditorily weighted spectrum of one magnitude frame (cSpecScale). */
  scale(mag: Float64Array): Float64Array {
    const y = Float64Array.from(mag.subarray(0, this.nMag));
    enhancePeaks(y);
    smoothSpectrum(y);
    const y2 = splineSecondDerivatives(this.ft, y);
    const out = new Float64Array(this.target.length);
    for (let i = 0; i < out.length; i++) {
      const lo = this.klo[i], hi = lo + 1;
      const h = this.ft[hi] - this.ft[lo];
      const a = (this.ft[hi] - this.target[i]) / h, b = (this.target[i] - this.ft[lo]) / h;
      let v = a * y[lo] + b * y[hi] + ((a * a * a - a) * y2[lo] + (b * b * b - b) * y2[hi]) * (h * h) / 6;
      v = Math.fround(v);
      out[i] = v > 0 ? Math.fround(v * this.audw[i]) : 0;
    }
    return out;
  }

  /** F0 (Hz, 0 if unvoiced) and voicing of one magnitude frame. */
  next(mag: Float64Array): { f0: number; voicing: number } {
    const x = this.scale(mag);
    const N = x.length;
    const { nHarmonics, compressionFactor, nCandidates } = this.o;
    // 32-bit float arithmetic as in openSMILE (peak picking compares near-equal sums)
    const f = Math.fround;
    const ss = Float32Array.from(x);
    let scale = f(compressionFactor);
    for (let h = 2; h <= nHarmonics; h++) {
      const shift = Math.floor(this.ppo * Math.log2(h));
      for (let j = shift; j < N; j++) ss[j - shift] += f(x[j] * scale);
      scale = f(scale * f(compressionFactor));
    }
    for (let j = 0; j < N; j++) {
      ss[j] /= nHarmonics;
      if (ss[j] < 0) ss[j] = 0;
    }
    const cand = new Float64Array(nCandidates), score = new Float64Array(nCandidates), voice = new Float64Array(nCandidates);
    let nCand = 0;
    let ssMean = ss[0];
    let i = 1;
    for (; i < N - 1; i++) {
      if (ss[i - 1] < ss[i] && ss[i] > ss[i + 1] && (ss[i] > score[0] || score[0] === 0)) {
        for (let j = nCandidates - 1; j > 0; j--) { score[j] = score[j - 1]; cand[j] = cand[j - 1]; }
        cand[0] = i;
        score[0] = ss[i];
        if (nCand < nCandidates) nCand++;
      }
      ssMean += ss[i];
    }
    ssMean = (ssMean + ss[i]) / N;
    for (let c = 0; c < nCand; c++) {
      const j = cand[c];
      const f1 = f(f(j * this.fstept) + this.fmint);
      const f2 = f(f((j + 1) * this.fstept) + this.fmint);
      const f0 = f(f((j - 1) * this.fstept) + this.fmint);
      const q = quadFrom3pts(f0, ss[j - 1], f1, ss[j], f2, ss[j + 1]);
      cand[c] = Math.pow(2, q.x);
      score[c] = q.y;
      voice[c] = q.y > 0 && q.y > ssMean ? 1 - ssMean / q.y : 0;
    }
    // cPitchBase: drop out-of-range candidates (shifting the rest up)
    if (nCand > 0) {
      for (let c = 0; c < nCandidates && nCand > 0; c++) {
        if (cand[c] > this.o.maxPitch || cand[c] < this.o.minPitch) {
          const orig = cand[c];
          let j = c + 1;
          for (; j < nCandidates; j++) { cand[j - 1] = cand[j]; voice[j - 1] = voice[j]; score[j - 1] = score[j]; }
          cand[j - 1] = 0; voice[j - 1] = 0; score[j - 1] = 0;
          if (orig > 0) { nCand--; c--; }
        }
      }
    }
    let best = 0;
    for (let c = 1; c < nCandidates; c++) if (score[c] > score[best]) best = c;
    const v = Math.fround(voice[best]);
    return { f0: v > this.o.voicingCutoff ? Math.fround(cand[best]) : 0, voicing: v };
  }
}

/**
 * cPitchSmoother's "simple" post-smoothing (one frame of look-ahead): removes single-frame voiced
 * islands, replaces single-frame octave jumps by the next frame's F0, and keeps one-frame gaps.
 * openSMILE 3.0.2 applies it to IS11's F0final (the reference output shows its fingerprints).
 * The first call returns before touching its state, so the result is one frame shorter, output
 * t is frame t for t >= 1, and output 0 has F0 0 and voicing 0.
 */
export function postSmoothSimple(pitch: ArrayLike<number>, voicing: ArrayLike<number>): { f0: Float64Array; voicing: Float64Array } {
  const T = pitch.length;
  const f0 = new Float64Array(Math.max(0, T - 1));
  const v = new Float64Array(Math.max(0, T - 1));
  let last = 0, lastVoice = 0, onsFlag = 0, onsFlagO = 0;
  for (let t = 0; t < T; t++) {
    const p = pitch[t];
    if (t === 0) continue; // the first frame only primes the smoother: output 0 is F0 0, voicing 0
    v[t - 1] = lastVoice;
    lastVoice = voicing[t];
    if (last === 0 && p > 0) onsFlag = 1;
    if (last > 0 && p === 0 && onsFlag === 0) onsFlag = -1;
    if (last > 0 && p > 0) onsFlag = 0;
    if (last === 0 && p === 0) onsFlag = 0;
    if (p === 0 && onsFlag === 1) last = 0;
    else if (p > 0 && onsFlag === -1) last = p;
    let doubling = false, halfing = false;
    if (last > 0 && p > 0) {
      const factor = Math.fround(last / p);
      if (factor > 1.2) halfing = true;
      else if (factor < 0.8) doubling = true;
    }
    if (doubling && onsFlagO === -1) last = p;
    else if (halfing && onsFlagO === 1) last = p;
    if (doubling) onsFlagO = 1;
    if (halfing && onsFlag === 0) onsFlagO = -1;
    if (!(halfing || doubling)) onsFlagO = 0;
    f0[t - 1] = last;
    last = p;
  }
  return { f0, voicing: v };
}
