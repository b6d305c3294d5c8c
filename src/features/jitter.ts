/**
 * Jitter and shimmer per F0 frame, after openSMILE's cPitchJitter with IS11's options
 * (searchRangeRel 0.25, minNumPeriods 2, peak-to-peak amplitudes, correlation-peak period
 * lengths, useBrokenJitterThresh=1). Periods are found by waveform matching: for each period
 * start, the candidate length (within +-25 % of 1/F0) whose two consecutive periods correlate best.
 *
 * The reader walks the waveform frame by frame (10 ms steps) and carries the unused tail of the
 * previous frame over (`lastMis`), so the result depends on the whole F0 sequence: call once per file.
 */
import { quadFrom3pts } from './pitch';

/** Pearson correlation of x[a..a+n) and x[b..b+n) (cPitchJitter::crossCorr). */
function crossCorr(x: Float32Array, a: number, b: number, n: number): number {
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[a + i]; my += x[b + i]; }
  mx /= n; my /= n;
  let cc = 0, nx = 0, ny = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[a + i] - mx, dy = x[b + i] - my;
    cc += dx * dy; nx += dx * dx; ny += dy * dy;
  }
  return cc / (Math.sqrt(nx) * Math.sqrt(ny));
}

/** Peak-to-peak amplitude of x[a+1 .. a+n-2] (cPitchJitter::amplitudeDiff's per-period part). */
function peakToPeak(x: Float32Array, a: number, n: number): number {
  let max = x[a + 1], min = x[a + 1];
  for (let i = 1; i < n - 1; i++) {
    const v = x[a + i];
    if (v > max) max = v;
    if (v < min) min = v;
  }
  return Math.fround(max - min);
}

export interface JitterOptions {
  /** Samples per F0 frame step (frameStep rounded up, 221 at 22,050 Hz). */
  step: number;
  /** Samples per F0 frame (1323 for 60 ms at 22,050 Hz). */
  frameLength: number;
  /** F0 frame k is read at the time stamp of frame k + offset (the pitch smoother's delay). Default 1. */
  offset: number;
  searchRangeRel: number;
  minNumPeriods: number;
}

/**
 * jitterLocal, jitterDDP and shimmerLocal for each F0 frame. `f0[k]` is the F0 of frame k in Hz
 * (0 = unvoiced); `samples` the mono waveform.
 */
export function jitterShimmer(samples: Float32Array, f0: ArrayLike<number>, sampleRate: number, options: Partial<JitterOptions> & Pick<JitterOptions, 'step' | 'frameLength'>) {
  const o: JitterOptions = { offset: 1, searchRangeRel: 0.25, minNumPeriods: 2, ...options };
  const T = 1 / sampleRate;
  const K = f0.length;
  const jitterLocal = new Float64Array(K), jitterDDP = new Float64Array(K), shimmerLocal = new Float64Array(K);
  let lastIdx = 0, lastMis = 0;
  let lastT0 = 0, lastDiff = 0;
  let lastJitterLocal = 0, lastJitterDDP = 0, lastShimmerLocal = 0;
  let threshCC = 0.5; // minCC; with useBrokenJitterThresh it becomes the running minimum of the frame
  const lenF = o.frameLength;
  const ppLen = o.step;
  for (let k = 0; k < K; k++) {
    const F0 = Math.fround(f0[k]);
    const startVidx = (k + o.offset) * o.step;
    const toRead0 = ppLen + lastMis;
    let toRead = toRead0;
    let Tf = 0, T0f = 0, T0minF = 0, T0maxF = 0;
    if (F0 > 0) {
      Tf = 1 / F0 / T;
      T0f = Math.round(Tf);
      T0minF = Math.floor((1 - o.searchRangeRel) * Tf);
      T0maxF = Math.ceil((1 + o.searchRangeRel) * Tf);
      const twoPp = o.minNumPeriods * T0maxF + o.minNumPeriods;
      if (toRead < twoPp) toRead = twoPp;
    }
    let maxRead = lastMis + lenF;
    if (toRead > maxRead) toRead = maxRead;
    if (startVidx - lastMis !== lastIdx) {
      lastIdx = startVidx;
      if (toRead > lenF) toRead = lenF;
      if (maxRead > lenF) maxRead = lenF;
    }
    const avail = Math.max(0, Math.min(toRead, samples.length - lastIdx));
    const x = samples.subarray(lastIdx, lastIdx + avail);
    const nT = x.length;
    let nPeriods = 0, nPeriodsLocal = 0, nPeriodsDDP = 0;
    let avgPeriod = 0, jLocal = 0, jDDP = 0, avgAmp = 0, avgAmpDiff = 0;
    let lastPeriod = 0;
    if (F0 > 0) {
      let start = 0;
      let minCC = -2;
      const cc = new Float64Array(T0maxF - T0minF + 1);
      while (start < nT - 2 * T0maxF - 1) {
        for (let t = T0minF; t <= T0maxF; t++) cc[t - T0minF] = crossCorr(x, start, start + t, t);
        let max = cc[T0f - T0minF];
        let maxI = -1;
        for (let i = 1; i < T0maxF - T0minF - 1; i++) {
          if (cc[i - 1] < cc[i] && cc[i] > cc[i + 1]) {
            if (maxI === -1 || cc[i] > max) { maxI = i; max = cc[i]; }
          }
        }
        const pp = maxI === -1 ? T0f : T0minF + maxI;
        const os = start;
        if (maxI >= 0) {
          start += pp;
          const a0 = peakToPeak(x, os, pp), a1 = peakToPeak(x, start, pp);
          const ad = Math.abs(a0 - a1);
          const q = quadFrom3pts(-1, cc[maxI - 1], 0, cc[maxI], 1, cc[maxI + 1]);
          const ccI = q.y;
          const period = Math.fround(Math.abs(T0minF + maxI + q.x) * T);
          // minCC is a 32-bit float; ccI a double: the first period of a frame passes the
          // (broken) threshold only when rounding ccI to float rounded it down
          if (minCC === -2 || minCC > Math.fround(ccI)) minCC = Math.fround(ccI);
          threshCC = minCC;
          if (ccI > threshCC) {
            avgPeriod += period;
            nPeriods++;
            if (lastT0 > 0) {
              const diff = Math.fround(Math.abs(lastT0 - period));
              jLocal += diff;
              nPeriodsLocal++;
              if (lastDiff > 0) { jDDP += Math.abs(lastDiff - diff); nPeriodsDDP++; }
              lastDiff = diff;
            }
            lastT0 = period;
            avgAmp += (a0 + a1) / 2;
            avgAmpDiff += ad;
          }
        } else {
          start += T0f;
        }
        if (start < toRead0 - 1) lastPeriod = start;
      }
      lastMis = toRead0 - lastPeriod;
    } else {
      lastPeriod = toRead0;
      lastMis = 0;
      lastT0 = 0; lastDiff = 0;
      lastJitterDDP = 0; lastJitterLocal = 0; lastShimmerLocal = 0;
    }
    lastIdx += lastPeriod;
    if (nPeriods > 0 && nPeriodsLocal > 0 && F0 > 0) lastJitterLocal = jLocal / nPeriodsLocal / (avgPeriod / nPeriods);
    if ((nPeriods > 0 && nPeriodsLocal > 0 && F0 > 0) || (nPeriods === 0 && F0 > 0)) jitterLocal[k] = (lastJitterLocal = Math.min(lastJitterLocal, 1));
    if (nPeriods > 0 && nPeriodsDDP > 0 && F0 > 0) lastJitterDDP = jDDP / nPeriodsDDP / (avgPeriod / nPeriods);
    if ((nPeriods > 0 && nPeriodsDDP > 0 && F0 > 0) || (nPeriods === 0 && F0 > 0)) jitterDDP[k] = (lastJitterDDP = Math.min(lastJitterDDP, 1));
    if (nPeriods > 0 && F0 > 0) lastShimmerLocal = avgAmp > 0 ? avgAmpDiff / avgAmp : 0;
    if (F0 > 0) shimmerLocal[k] = (lastShimmerLocal = Math.min(lastShimmerLocal, 1));
  }
  return { jitterLocal, jitterDDP, shimmerLocal };
}
