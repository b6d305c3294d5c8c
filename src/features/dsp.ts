/**
 * DSP building blocks of the openSMILE chain: framing (cFramer), windows (cWindower),
 * zero-padded real FFT magnitude (cTransformFFT + cFFTmagphase), and the contour
 * post-processing (cContourSmoother, cDeltaRegression).
 */

/** Frame length / step in samples the way cWinToVecProcessor rounds seconds to samples. */
export function framesOf(seconds: number, sampleRate: number): number {
  return Math.round(seconds / (1 / sampleRate));
}

/**
 * Cut `x` into frames of `size` samples every `step` samples (frameCenterSpecial=left):
 * only complete frames, the first starting at sample 0. Returns frames row-major.
 */
export function frame(x: Float32Array, size: number, step: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let start = 0; start + size <= x.length; start += step) {
    out.push(Float64Array.from(x.subarray(start, start + size)));
  }
  return out;
}

/** Hamming window, openSMILE's variant 0.54 - 0.46 cos(2 pi i / (N-1)). */
export function hammingWindow(n: number): Float64Array {
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.54 - 0.46 * Math.cos((2 * Math.PI * i) / (n - 1));
  return w;
}

/** Gaussian window exp(-0.5 ((i - (N-1)/2) / (sigma (N-1)/2))^2), sigma clipped to (0, 0.5]. */
export function gaussWindow(n: number, sigma: number): Float64Array {
  const s = sigma <= 0 ? 0.01 : Math.min(sigma, 0.5);
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = (i - (n - 1) / 2) / ((s * (n - 1)) / 2);
    w[i] = Math.exp(-0.5 * t * t);
  }
  return w;
}

export function nextPow2(n: number): number {
  let p = 4;
  while (p < n) p *= 2;
  return p;
}

/** Cached twiddles and bit reversal per FFT size. */
const fftPlans = new Map<number, { cos: Float64Array; sin: Float64Array; rev: Uint32Array }>();

function fftPlan(n: number) {
  let plan = fftPlans.get(n);
  if (!plan) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let i = 0; i < n / 2; i++) {
      cos[i] = Math.cos((2 * Math.PI * i) / n);
      sin[i] = -Math.sin((2 * Math.PI * i) / n);
    }
    const rev = new Uint32Array(n);
    const bits = Math.log2(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >> b) & 1) << (bits - 1 - b);
      rev[i] = r;
    }
    plan = { cos, sin, rev };
    fftPlans.set(n, plan);
  }
  return plan;
}

/** In-place iterative radix-2 complex FFT of (re, im), length a power of two. */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  const { cos, sin, rev } = fftPlan(n);
  for (let i = 0; i < n; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
  for (let size = 2; size <= n; size *= 2) {
    const half = size / 2;
    const stride = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * stride];
        const wi = sin[k * stride];
        const a = start + k;
        const b = a + half;
        const xr = re[b] * wr - im[b] * wi;
        const xi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - xr; im[b] = im[a] - xi;
        re[a] += xr; im[a] += xi;
      }
    }
  }
}

/**
 * Magnitude spectrum of a windowed frame zero-padded at the end to the next power of two
 * (cTransformFFT with zeroPadSymmetric=0, then cFFTmagphase): nfft/2+1 bins, unnormalised.
 */
export function magnitudeSpectrum(frameData: Float64Array, window: Float64Array, nfft: number): Float64Array {
  const re = new Float64Array(nfft);
  const im = new Float64Array(nfft);
  for (let i = 0; i < frameData.length; i++) re[i] = frameData[i] * window[i];
  fft(re, im);
  const mag = new Float64Array(nfft / 2 + 1);
  for (let k = 0; k <= nfft / 2; k++) mag[k] = Math.sqrt(re[k] * re[k] + im[k] * im[k]);
  return mag;
}

/**
 * A contour (one value per frame). `smooth` and `delta` follow openSMILE's window processors:
 * frames before the start read as copies of the first frame (verified against openSMILE 3.0.2
 * output), and `dropTail` trailing frames are dropped where openSMILE does not flush them.
 */
export type Contour = Float64Array;

/** cContourSmoother: moving average over `win` frames (centred); with `noZero` zeros stay zero and are not averaged in. */
export function smooth(x: Contour, win: number, noZero: boolean, dropTail: number): Contour {
  const half = Math.floor(win / 2);
  const n = Math.max(0, x.length - dropTail);
  const y = new Float64Array(n);
  // 32-bit float arithmetic as in openSMILE's data memory: contours such as the ZCR take few
  // distinct values, and ties between smoothed values must break the same way.
  const f = Math.fround;
  const at = (i: number) => f(x[Math.min(Math.max(i, 0), x.length - 1)]);
  for (let t = 0; t < n; t++) {
    const xt = f(x[t]);
    if (noZero) {
      if (xt === 0) { y[t] = 0; continue; }
      let s = xt;
      let c = 1;
      for (let w = 1; w <= half; w++) {
        const a = at(t - w); const b = at(t + w);
        if (a !== 0) { s = f(s + a); c++; }
        if (b !== 0) { s = f(s + b); c++; }
      }
      y[t] = f(s / c);
    } else {
      let s = xt;
      for (let w = 1; w <= half; w++) { s = f(s + at(t - w)); s = f(s + at(t + w)); }
      y[t] = f(s / win);
    }
  }
  return y;
}

/** cDeltaRegression with deltaWin W: sum_i i (x[t+i] - x[t-i]) / (2 sum_i i^2). */
export function delta(x: Contour, win: number, dropTail: number): Contour {
  let norm = 0;
  for (let i = 1; i <= win; i++) norm += i * i;
  norm *= 2;
  const n = Math.max(0, x.length - dropTail);
  const y = new Float64Array(n);
  const f = Math.fround;
  const at = (i: number) => f(x[Math.min(Math.max(i, 0), x.length - 1)]);
  for (let t = 0; t < n; t++) {
    let s = 0;
    for (let i = 1; i <= win; i++) s = f(s + f(i * f(at(t + i) - at(t - i))));
    y[t] = f(s / norm);
  }
  return y;
}
