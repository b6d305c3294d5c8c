/**
 * Frame-level low-level descriptors of IS11 computed from the 20 ms frames:
 * RMS energy (cEnergy), zero-crossing rate (cMZcr), mel/auditory spectra (cMelspec + cPlp, with
 * and without RASTA filtering), the cSpectral descriptors and MFCC 1-12 (cMfcc).
 * Each function documents the openSMILE component and options it reproduces.
 */

/** cEnergy rms=1: sqrt(mean(x^2)) of the raw (unwindowed) frame. */
export function rmsEnergy(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s / x.length);
}

/** cMZcr zcr=1: zero crossings (strict sign changes, or a zero between opposite signs) per sample. */
export function zeroCrossingRate(x: Float64Array): number {
  let nzc = 0;
  for (let i = 1; i < x.length - 1; i++) {
    if ((x[i - 1] * x[i + 1] <= 0 && x[i] === 0) || x[i - 1] * x[i] < 0) nzc++;
  }
  return Math.fround(nzc / x.length);
}

/** HTK mel scale, as smileDsp_specScaleTransfFwd(f, SPECTSCALE_MEL). */
export const mel = (f: number) => 1127 * Math.log(1 + f / 700);
export const melInv = (m: number) => 700 * (Math.exp(m / 1127) - 1);

/** A triangular mel filter bank laid out as cMelspec does it (shared falling/rising weights per FFT bin). */
export interface MelBank {
  nBands: number;
  lo: number;
  hi: number;
  chanMap: Int32Array;
  coeff: Float64Array;
  /** Band centre frequencies in Hz. */
  centres: Float64Array;
}

/** Build cMelspec's filter bank for `nBins` = nfft/2+1 bins spaced `binHz` apart. */
export function melBank(nBins: number, binHz: number, nBands: number, loHz: number, hiHz: number): MelBank {
  const loMel = mel(loHz), hiMel = mel(hiHz);
  const lo = Math.min(Math.round(loHz / binHz), nBins);
  const hi = Math.min(Math.round(hiHz / binHz), nBins);
  const bw = (hiMel - loMel) / (nBands + 1);
  const cfs = new Float64Array(nBands + 2);
  for (let m = 0; m <= nBands + 1; m++) cfs[m] = loMel + m * bw;
  const chanMap = new Int32Array(nBins);
  let m = 0;
  for (let n = 0; n < nBins; n++) {
    if (n <= lo || n >= hi) chanMap[n] = -3;
    else {
      while (cfs[m] < mel(n * binHz)) {
        if (m > nBands) break;
        m++;
      }
      chanMap[n] = m - 2;
    }
  }
  const coeff = new Float64Array(nBins);
  m = 0;
  for (let n = lo; n < hi; n++) {
    const nM = mel(n * binHz);
    while (nM > cfs[m + 1] && m <= nBands) m++;
    coeff[n] = (cfs[m + 1] - nM) / (cfs[m + 1] - cfs[m]);
  }
  const centres = new Float64Array(nBands);
  for (let b = 1; b <= nBands; b++) centres[b - 1] = melInv(cfs[b]);
  return { nBands, lo, hi, chanMap, coeff, centres };
}

/** Apply a mel bank to a power spectrum. */
export function applyMelBank(power: Float64Array, bank: MelBank): Float64Array {
  const out = new Float64Array(bank.nBands);
  for (let n = bank.lo; n < bank.hi; n++) {
    const m = bank.chanMap[n];
    const a = power[n] * bank.coeff[n];
    if (m > -2) {
      if (m > -1) out[m] += a;
      if (m < bank.nBands - 1) out[m + 1] += power[n] - a;
    }
  }
  return out;
}

/** Hermansky's equal-loudness weight (smileDsp_equalLoudnessWeight, scaled to max 1). */
export function equalLoudness(f: number): number {
  const w = 2 * Math.PI * f;
  const w2 = w * w;
  const c = w2 + 6300000;
  return (1e32 * ((w2 + 56.8e6) * w2 * w2)) / (c * c * (w2 + 0.38e9) * (w2 * w2 * w2 * w + 1.7e31));
}

/** cPlp auditory spectrum without RASTA: max(band, melfloor) * eql, then ^compression. */
export function auditorySpectrum(bands: Float64Array, eql: Float64Array, compression = 0.33, melfloor = 0.00000000093): Float64Array {
  const out = new Float64Array(bands.length);
  for (let i = 0; i < bands.length; i++) out[i] = Math.pow(Math.max(bands[i], melfloor) * eql[i], compression);
  return out;
}

/**
 * cPlp with newRASTA=1: log bands, RASTA band-pass (FIR numerator, IIR pole switched on after
 * 5 frames, output zero for the first 5 frames), add log equal-loudness, compress, exp.
 * Stateful over frames: one instance per file.
 */
export class RastaAuditorySpectrum {
  private readonly fir: number[];
  private readonly iir: number;
  private readonly buf: Float64Array;
  private init = 0;
  private readonly logEql: Float64Array;

  constructor(eql: Float64Array, framePeriod: number, private readonly compression = 0.33, private readonly melfloor = 0.00000000093, upper = 29, lower = 1) {
    this.iir = 1 - Math.sin(2 * Math.PI * lower * framePeriod);
    const om = Math.cos(2 * Math.PI * upper * framePeriod);
    const norm = Math.sqrt(10 * (32 * om * om + 8));
    this.fir = [2 / norm, (-4 * om) / norm, 0, (4 * om) / norm, -2 / norm];
    this.buf = new Float64Array(eql.length * 4);
    this.logEql = eql.map(Math.log);
  }

  next(bands: Float64Array): Float64Array {
    const n = bands.length;
    const out = new Float64Array(n);
    const f = this.fir, b = this.buf;
    const on = this.init >= 5 ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const x = Math.log(Math.max(bands[i], this.melfloor));
      const y = f[0] * x + b[i * 4];
      b[i * 4] = f[1] * x + b[i * 4 + 1] + on * this.iir * y;
      b[i * 4 + 1] = f[2] * x + b[i * 4 + 2];
      b[i * 4 + 2] = f[3] * x + b[i * 4 + 3];
      b[i * 4 + 3] = f[4] * x;
      const v = on ? y : 0;
      out[i] = Math.exp((v + this.logEql[i]) * this.compression);
    }
    if (this.init < 5) this.init++;
    return out;
  }
}

/** cMfcc (htkcompatible): log(max(band, 1)), DCT-II with sqrt(2/M), cepstral liftering. */
export function mfcc(bands: Float64Array, first: number, last: number, lifter: number): Float64Array {
  const M = bands.length;
  const logs = bands.map((v) => Math.log(Math.max(v, 1)));
  const out = new Float64Array(last - first + 1);
  const k = Math.sqrt(2 / M);
  for (let i = first; i <= last; i++) {
    let s = 0;
    for (let m = 0; m < M; m++) s += logs[m] * Math.cos((Math.PI * i * (m + 0.5)) / M);
    out[i - first] = k * s * (1 + (lifter / 2) * Math.sin((Math.PI * i) / lifter));
  }
  return out;
}

/** Names of the cSpectral outputs IS11 enables, in output order. */
export const SPECTRAL_NAMES = ['fband25-650', 'fband1000-4000', 'spectralRollOff25.0', 'spectralRollOff50.0', 'spectralRollOff75.0', 'spectralRollOff90.0', 'spectralFlux', 'spectralEntropy', 'spectralVariance', 'spectralSkewness', 'spectralKurtosis', 'spectralSlope'];

/**
 * cSpectral with IS11's options (bands 25-650 and 1000-4000 Hz, roll-off 25/50/75/90 %, flux,
 * entropy, variance, skewness, kurtosis, slope; power spectrum; bins 1..N-1; oldSlopeScale=1).
 * Stateful (flux needs the previous frame): one instance per file.
 */
export class Spectral {
  private prev: Float64Array | null = null;
  private readonly frq: Float64Array;
  private readonly bands: { iL: number; wL: number; iR: number; wR: number }[];

  constructor(private readonly nBins: number, binHz: number) {
    this.frq = new Float64Array(nBins);
    for (let i = 0; i < nBins; i++) this.frq[i] = i * binHz;
    this.bands = [[25, 650], [1000, 4000]].map(([L, H]) => this.bandIndex(L, H));
  }

  private bandIndex(L: number, H: number) {
    const frq = this.frq, n = this.nBins;
    let ii = 0;
    for (; ii < n; ii++) if (frq[ii] > L) break;
    let wL = ii < n && ii > 0 ? (frq[ii] - L) / (frq[ii] - frq[ii - 1]) : 1;
    let iL = Math.max(ii - 1, 0);
    for (ii = 0; ii < n; ii++) if (frq[ii] >= H) break;
    let wR = ii < n && ii > 0 ? (H - frq[ii - 1]) / (frq[ii] - frq[ii - 1]) : 1;
    let iR = ii < n && frq[ii] === H ? ii : ii - 1;
    if (iR >= n) iR = n - 1;
    if (wL === 0) wL = 1;
    if (wR === 0) wR = 1;
    iL = Math.floor(iL);
    return { iL, wL, iR, wR };
  }

  next(mag: Float64Array): Float64Array {
    const n = this.nBins, frq = this.frq;
    const lo = 1, hi = n - 1, nBins = hi - lo + 1;
    const P = new Float64Array(n);
    for (let i = 0; i < n; i++) P[i] = mag[i] * mag[i];
    const out = new Float64Array(SPECTRAL_NAMES.length);
    let k = 0;
    let frameSum = 0;
    for (let j = lo; j <= hi; j++) frameSum += P[j];
    for (const b of this.bands) {
      let s = P[b.iL] * b.wL;
      for (let j = b.iL + 1; j < b.iR; j++) s += P[j];
      s += P[b.iR] * b.wR;
      out[k++] = s / nBins;
    }
    const rolls = [0.25, 0.5, 0.75, 0.9];
    const ro = new Float64Array(4);
    let sumC = 0;
    for (let j = lo; j <= hi; j++) {
      sumC += P[j];
      for (let r = 0; r < 4; r++) if (ro[r] === 0 && sumC >= rolls[r] * frameSum) ro[r] = frq[j];
    }
    for (let r = 0; r < 4; r++) out[k++] = ro[r];
    if (this.prev === null) out[k++] = 0;
    else {
      let a = 0;
      for (let j = lo; j <= hi; j++) { const d = mag[j] - this.prev[j]; a += d * d; }
      out[k++] = a > 0 ? Math.sqrt(a / nBins) : 0;
    }
    this.prev = mag;
    // entropy of the power spectrum (smileStat_entropy, all values >= 0)
    const floor = 0.0000001;
    let dn = frameSum;
    if (dn < floor) dn = floor;
    let e = 0;
    for (let j = lo; j <= hi; j++) {
      let v = P[j];
      if (v <= floor) v = floor;
      const p = v / dn;
      if (p > 0) e += (p * Math.log(p)) / Math.LN2;
    }
    out[k++] = -e;
    let sumA = 0;
    const sumB = frameSum;
    for (let j = lo; j <= hi; j++) sumA += frq[j] * P[j];
    const u = sumB !== 0 ? sumA / sumB : 0;
    let m2 = 0, m3 = 0, m4 = 0;
    for (let j = lo; j <= hi; j++) {
      const t = frq[j] - u;
      const m = t * t * P[j];
      m2 += m; m3 += m * t; m4 += m * t * t;
    }
    const s2 = sumB !== 0 ? m2 / sumB : 0;
    out[k++] = s2;
    out[k++] = s2 <= 0 ? 0 : m3 / (sumB * s2 * Math.sqrt(s2));
    out[k++] = s2 === 0 ? 0 : m4 / (sumB * s2 * s2);
    let Sf = 0, S2f = 0;
    for (let j = lo; j <= hi; j++) { Sf += frq[j]; S2f += frq[j] * frq[j]; }
    const deno = nBins * S2f - Sf * Sf;
    const slope = deno !== 0 ? (nBins * sumA - Sf * sumB) / deno : 0;
    out[k++] = slope * (nBins - 1);
    return out;
  }
}
