/**
 * The INTERSPEECH 2011 Speaker State feature set (openSMILE `config/is09-13/IS11_speaker_state.conf`):
 * 4368 functionals of smoothed low-level descriptors and their deltas, in openSMILE's order with
 * openSMILE's names.
 *
 * All four functionals groups are computed: A (energy, auditory-spectrum sums, ZCR), B (RASTA
 * auditory bands, cSpectral, MFCC), Nz (F0, voicing, jitter, shimmer over voiced frames) and F0
 * (voiced-segment statistics). Agreement with openSMILE 3.0.2: docs/features-agreement.md.
 */
import { Contour, delta, frame, framesOf, gaussWindow, hammingWindow, magnitudeSpectrum, nextPow2, smooth } from './dsp';
import { computeFunctionals, functionalNames, FunctionalsConfig } from './functionals';
import { postSmoothSimple, ShsPitch } from './pitch';
import { jitterShimmer } from './jitter';
import { applyMelBank, auditorySpectrum, equalLoudness, melBank, mfcc, RastaAuditorySpectrum, rmsEnergy, Spectral, SPECTRAL_NAMES, zeroCrossingRate } from './lld';

/** Frame period of every LLD level (frameStep = 0.010 s). */
export const FRAME_PERIOD = 0.01;

const levelTimes = { levelAndRise: true, curvature: false, duration: false, norm: 'segment' as const };

/** functionalsA / functionalsB (the same functionals; B uses two relative segment thresholds). */
const FUNCTIONALS_A: FunctionalsConfig = {
  percentiles: true, means: { amean: true, qmean: false, nnz: false, norm: 'frame' }, moments: true, peaks: true,
  segments: { algorithm: 'relTh', thresholds: [0.25] }, regression: true, times: levelTimes, lpc: true, nonZero: false, period: FRAME_PERIOD,
};
const FUNCTIONALS_B: FunctionalsConfig = { ...FUNCTIONALS_A, segments: { algorithm: 'relTh', thresholds: [0.25, 0.75] } };
/** functionalsNz: pitch and voice quality over voiced (non-zero) frames. */
const FUNCTIONALS_NZ: FunctionalsConfig = {
  percentiles: true, means: { amean: true, qmean: true, nnz: false, norm: 'frame' }, moments: true, peaks: true,
  regression: true, times: { levelAndRise: true, curvature: true, duration: false, norm: 'segment' }, lpc: true, nonZero: true, period: FRAME_PERIOD,
};
/** functionalsF0: voiced-segment statistics of F0. */
const FUNCTIONALS_F0: FunctionalsConfig = {
  percentiles: false, means: { amean: false, qmean: false, nnz: true, norm: 'segment' }, moments: false, peaks: false,
  segments: { algorithm: 'nonX', thresholds: [] }, regression: false, times: { levelAndRise: false, curvature: false, duration: true, norm: 'second' },
  lpc: false, nonZero: false, period: FRAME_PERIOD,
};

const A_LLDS = ['audspec_lengthL1norm', 'audspecRasta_lengthL1norm', 'pcm_RMSenergy', 'pcm_zcr'];
const B_LLDS = [
  ...Array.from({ length: 26 }, (_, i) => `audSpec_Rfilt@[${i}]`),
  ...SPECTRAL_NAMES.map((s) => `pcm_fftMag_${s}`),
  ...Array.from({ length: 12 }, (_, i) => `pcm_fftMag_mfcc@[${i + 1}]`),
];
const NZ_LLDS = ['F0final', 'voicingFinalUnclipped', 'jitterLocal', 'jitterDDP', 'shimmerLocal'];

/** openSMILE name of an LLD after smoothing (`_sma`) and optionally delta (`_de`); `@` marks where the array index goes. */
function lldName(base: string, de: boolean, infix = ''): string {
  const suffix = de ? `_sma${infix}_de` : `_sma${infix}`;
  return base.includes('@') ? base.replace('@', suffix) : base + suffix;
}

function groupNames(llds: string[], c: FunctionalsConfig, infix = ''): string[] {
  const f = functionalNames(c);
  const names: string[] = [];
  for (const de of [false, true]) for (const l of llds) for (const fn of f) names.push(`${lldName(l, de, infix)}_${fn}`);
  return names;
}

/** The 4368 IS11 feature names, in openSMILE's column order. */
export const IS11_FEATURE_NAMES: readonly string[] = [
  ...groupNames(A_LLDS, FUNCTIONALS_A),
  ...groupNames(B_LLDS, FUNCTIONALS_B),
  ...groupNames(NZ_LLDS, FUNCTIONALS_NZ),
  ...groupNames(['F0final'], FUNCTIONALS_F0, '_ff0'),
];

/** Descriptor group of a feature name (the LLD, without array index, smoothing and delta). */
export function descriptorGroup(name: string): string {
  return name.replace(/_sma.*$/, '');
}

/** LLD contours of one file, one array per descriptor (before smoothing). */
export interface Is11Contours {
  /** Group A: audspec sum, RASTA audspec sum, RMS energy, ZCR (20 ms frames). */
  a: Contour[];
  /** Group B: 26 RASTA auditory bands, 12 cSpectral descriptors, MFCC 1-12 (20 ms frames). */
  b: Contour[];
  /** Pitch group: F0final, voicingFinalUnclipped, jitterLocal, jitterDDP, shimmerLocal (60 ms frames). */
  pitch: Contour[];
}

/** Compute the frame-level descriptors of groups A and B from mono samples. */
export function is11Contours(samples: Float32Array, sampleRate: number): Is11Contours {
  const size25 = framesOf(0.02, sampleRate);
  const step = framesOf(FRAME_PERIOD, sampleRate);
  const frames = frame(samples, size25, step);
  const nfft = nextPow2(size25);
  const nBins = nfft / 2 + 1;
  const binHz = sampleRate / nfft;
  const win = hammingWindow(size25);
  const bankAud = melBank(nBins, binHz, 26, 20, 8000);
  const eql = bankAud.centres.map(equalLoudness);
  const rasta = new RastaAuditorySpectrum(eql, FRAME_PERIOD);
  const spectral = new Spectral(nBins, binHz);
  const T = frames.length;
  const a = Array.from({ length: 4 }, () => new Float64Array(T));
  const b = Array.from({ length: B_LLDS.length }, () => new Float64Array(T));
  const htkScale = 32767 * 32767;
  for (let t = 0; t < T; t++) {
    const x = frames[t];
    const mag = magnitudeSpectrum(x, win, nfft);
    const power = mag.map((v) => v * v);
    const bands = applyMelBank(power, bankAud);
    const aud = auditorySpectrum(bands, eql);
    const audR = rasta.next(bands);
    a[0][t] = aud.reduce((s, v) => s + Math.abs(v), 0) / aud.length; // cVectorOperation ll1: mean absolute value
    a[1][t] = audR.reduce((s, v) => s + Math.abs(v), 0) / audR.length;
    a[2][t] = rmsEnergy(x);
    a[3][t] = zeroCrossingRate(x);
    let k = 0;
    for (let i = 0; i < 26; i++) b[k++][t] = audR[i];
    const sp = spectral.next(mag);
    for (let i = 0; i < sp.length; i++) b[k++][t] = sp[i];
    const mfccBands = bands.map((v) => v * htkScale);
    const cc = mfcc(mfccBands, 1, 12, 22);
    for (let i = 0; i < 12; i++) b[k++][t] = cc[i];
  }
  return { a, b, pitch: pitchContours(samples, sampleRate) };
}

/** F0final and voicingFinalUnclipped per 60 ms frame (SHS pitch, see pitch.ts). */
export function pitchContours(samples: Float32Array, sampleRate: number): Contour[] {
  const size = framesOf(0.06, sampleRate);
  const step = framesOf(FRAME_PERIOD, sampleRate);
  const frames = frame(samples, size, step);
  const nfft = nextPow2(size);
  const win = gaussWindow(size, 0.4);
  const shs = new ShsPitch(nfft / 2 + 1, sampleRate / nfft);
  const f0 = new Float64Array(frames.length);
  const voicing = new Float64Array(frames.length);
  frames.forEach((x, t) => {
    const r = shs.next(magnitudeSpectrum(x, win, nfft));
    f0[t] = r.f0;
    voicing[t] = r.voicing;
  });
  // cPitchSmoother post-smoothing (one frame shorter; see postSmoothSimple)
  const s = postSmoothSimple(f0, voicing);
  const j = jitterShimmer(samples, s.f0, sampleRate, { step, frameLength: size });
  return [s.f0, s.voicing, j.jitterLocal, j.jitterDDP, j.shimmerLocal];
}

/**
 * How many trailing frames openSMILE's window processors drop (they do not flush at the end of
 * input): the delta regression (window 2) loses 2, and the functionals read the common length.
 */
const DELTA_TAIL = 2;

/**
 * The pitch level loses one frame in the pitch smoother (already dropped by pitchContours) and
 * two in the delta: the functionals see 191 of the 194 60-ms frames of a 2 s file, as openSMILE.
 */
const PITCH_TAIL = DELTA_TAIL;

function groupFunctionals(contours: Contour[], c: FunctionalsConfig, noZeroSma: boolean, tail = DELTA_TAIL): Float64Array[] {
  const smoothed = contours.map((x) => smooth(x, 3, noZeroSma, 0));
  const deltas = smoothed.map((x) => delta(x, 2, 0));
  const n = Math.max(0, Math.min(...deltas.map((d) => d.length)) - tail);
  const out: Float64Array[] = [];
  for (const x of smoothed) out.push(computeFunctionals(x.subarray(0, n), c));
  for (const x of deltas) out.push(computeFunctionals(x.subarray(0, n), c));
  return out;
}

/** All 4368 IS11 features of one file, in IS11_FEATURE_NAMES order. */
export function is11Features(samples: Float32Array, sampleRate: number): Float64Array {
  const { a, b, pitch } = is11Contours(samples, sampleRate);
  const out = new Float64Array(IS11_FEATURE_NAMES.length).fill(NaN);
  let k = 0;
  for (const part of [groupFunctionals(a, FUNCTIONALS_A, false), groupFunctionals(b, FUNCTIONALS_B, false)]) {
    for (const v of part) { out.set(v, k); k += v.length; }
  }
  // functionalsNz over F0final, voicing, jitter and shimmer, then functionalsF0 over F0final_sma (ff0)
  for (const part of [groupFunctionals(pitch, FUNCTIONALS_NZ, true, PITCH_TAIL), groupFunctionals([pitch[0]], FUNCTIONALS_F0, true, PITCH_TAIL)]) {
    for (const v of part) { out.set(v, k); k += v.length; }
  }
  return out;
}

/** Whether feature `name` is one this implementation computes (every IS11 name; kept for tables that mix sets). */
export function isImplemented(name: string): boolean {
  return IS11_FEATURE_NAMES.includes(name);
}
