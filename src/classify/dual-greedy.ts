/**
 * Greedy coordinate descent on the linear SVM's dual (the problem of dual-cd.ts), for binary
 * problems on which dual-cd's random passes crawl (linear-svm.ts `greedyAfter`). With the
 * problem's Gram matrix at hand, the whole gradient G = Qα − 1 is kept up to date for O(l) per
 * step, so each step can take the coordinate whose clipped Newton step lowers the dual most (the
 * greedy, second-order choice of libsvm's SMO, without SMO's pair: this dual has no equality
 * constraint, since the bias is a feature). Coordinates stuck at a bound leave the scan
 * (shrinking, as liblinear's). On EmoDB fold 1 with 10 sets of an AAE's rows, anger against
 * boredom (2,079 rows): dual-cd's objective was −161.5 after 1,000 passes and −164.09 after
 * 5,000 (97 s), short of the tolerance both times; this meets it (−164.2) in seconds.
 * The scans (`scanAndStep`) also run in C on the native addon (`greedyScans`; BENCHMARKS.md).
 *
 * The stopping rule is dual-cd's (liblinear's): the spread of the projected gradient is at most
 * the tolerance, here over every coordinate and with 0 included, so it is never looser. Before
 * stopping, the gradient is recomputed exactly from w, so float32 Gram values and rounding drift
 * never decide convergence.
 */
import { dotRow, type BinaryModel, type BinaryProblem } from './dual-cd';
import type { NativeBlas } from '../backend/native';
import type { CentredGram } from './gram';

export interface GreedySettings {
  /** Stop when the projected-gradient spread is at most this (the tolerance of dual-cd). */
  tolerance: number;
  /** Coordinate steps before giving up (a pair step counts as one). */
  maxSteps: number;
  /**
   * Also weigh, at each step, libsvm's pair step (`scanPairsAndStep`): on rows that are not
   * separable (IEMOCAP's) single steps crawl along the bias feature's B² coupling, which a pair
   * step leaves unchanged. Default false: the single steps the committed grids were computed with.
   */
  pairs?: boolean;
}

/** What the greedy solver adds to a binary model: its steps. */
export interface GreedyModel extends BinaryModel {
  steps: number;
}

/** The arrays of one greedy solve; on the native path all are views into `heap`. */
interface GreedyState {
  l: number;
  /** Centred dot products z_iᵀz_j (float32, l x l). */
  K: Float32Array;
  u: Float64Array;
  qd: Float64Array;
  invQd: Float64Array;
  cost: Float64Array;
  ys: Float64Array;
  alpha: Float64Array;
  G: Float64Array;
  active: Int32Array;
  base: number;
  B2: number;
  heap?: ArrayBuffer;
}

/**
 * Solve one binary hinge-loss SVM (see dual-cd.ts for the problem) by greedy coordinate descent
 * from α = 0, given the dot products of the problem rows (gram.ts `centredGram`, in the problem's
 * row order): Q_ij = y_i y_j (x_iᵀx_j + B²). With `blas` (the native addon), the scans run in C
 * (`greedyScans`, the same operations in the same order as `scanAndStep`); without it, in JS.
 */
export function solveBinaryGreedy(p: BinaryProblem, gram: CentredGram, s: GreedySettings, blas?: NativeBlas): GreedyModel {
  const { rows, sign, cost, sqNorm, bias } = p;
  const l = rows.length;
  if (gram.values.length !== l * l || gram.offset.length !== l) throw new Error(`solveBinaryGreedy: the Gram matrix has ${gram.values.length} values, not ${l} x ${l}`);
  const st = greedyState(gram, l, (s.pairs ? blas?.greedyPairScans : blas?.greedyScans) ? 'native' : 'js');
  const B2 = bias * bias;
  st.B2 = B2;
  for (let i = 0; i < l; i++) {
    st.qd[i] = sqNorm[rows[i]] + B2;
    st.invQd[i] = 1 / st.qd[i];
    st.cost[i] = cost[i];
    st.ys[i] = sign[i];
  }
  st.G.fill(-1);
  const scans = (budget: number): number => (s.pairs
    ? (st.heap && blas?.greedyPairScans
      ? blas.greedyPairScans(st.heap, l, ...offsets(st), st.base, st.B2, s.tolerance, budget)
      : scanPairsAndStep(st, s.tolerance, budget))
    : (st.heap && blas?.greedyScans
      ? blas.greedyScans(st.heap, l, ...offsets(st), st.base, st.B2, s.tolerance, budget)
      : scanAndStep(st, s.tolerance, budget)));
  // run the scans until they meet the tolerance on their running gradient, then confirm on the
  // exact one; a failed check starts them again from it, every coordinate active
  let steps = 0;
  let converged = false;
  for (;;) {
    const taken = scans(s.maxSteps - steps);
    steps += taken;
    exactGradient(p, st.alpha, st.G);
    if (!spreadAbove(st.G, st.alpha, st.cost, s.tolerance)) { converged = true; break; }
    if (steps >= s.maxSteps || taken === 0) break; // out of steps, or no step gains (rows whose cost is 0)
  }
  const alpha = Float64Array.from(st.alpha);
  const { w, wB } = primal(p, alpha);
  return { w, b: wB * bias, alpha, iterations: 0, converged, steps };
}

/** The arrays of a solve: plain typed arrays, or views into one buffer the addon can read. */
function greedyState(gram: CentredGram, l: number, where: 'native' | 'js'): GreedyState {
  const common = { l, base: gram.base, B2: 0 };
  if (where === 'js') {
    const f = (): Float64Array => new Float64Array(l);
    return { ...common, K: gram.values, u: gram.offset, qd: f(), invQd: f(), cost: f(), ys: f(), alpha: f(), G: f(), active: new Int32Array(l) };
  }
  // [K float32 l², padded to 8 bytes | u, qd, invQd, cost, ys, alpha, G float64 l each | active int32 l]
  const kBytes = Math.ceil((l * l * 4) / 8) * 8;
  const heap = new ArrayBuffer(kBytes + 7 * l * 8 + l * 4);
  const K = new Float32Array(heap, 0, l * l);
  K.set(gram.values);
  const f = (i: number): Float64Array => new Float64Array(heap, kBytes + i * l * 8, l);
  const u = f(0);
  u.set(gram.offset);
  return { ...common, heap, K, u, qd: f(1), invQd: f(2), cost: f(3), ys: f(4), alpha: f(5), G: f(6), active: new Int32Array(heap, kBytes + 7 * l * 8, l) };
}

/** Byte offsets of K, u, qd, invQd, cost, ys, alpha, G, active in the state's buffer. */
function offsets(st: GreedyState): [number, number, number, number, number, number, number, number, number] {
  return [st.K.byteOffset, st.u.byteOffset, st.qd.byteOffset, st.invQd.byteOffset, st.cost.byteOffset, st.ys.byteOffset, st.alpha.byteOffset, st.G.byteOffset, st.active.byteOffset];
}

/**
 * Scans and greedy steps from the current α and G, every coordinate active at the start, until
 * the running spread of the projected gradient is within the tolerance, no step gains, or
 * `budget` steps were taken; returns the steps. native/adan_blas.c `greedyScans` is this loop in C.
 */
function scanAndStep(st: GreedyState, tolerance: number, budget: number): number {
  const { l, K, u, qd, invQd, cost, ys, alpha, G, active, base, B2 } = st;
  for (let i = 0; i < l; i++) active[i] = i;
  // shrinking (as liblinear's): a coordinate at a bound whose gradient pushes against it harder
  // than the last scan's largest violation leaves the scan (until the next call)
  let activeSize = l;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let steps = 0;
  let last = -1; // coordinate whose step is not yet applied to G
  let lastStep = 0;
  for (;;) {
    let pgMax = 0;
    let pgMin = 0;
    let best = -1;
    let bestGain = 0;
    let bestStep = 0;
    const row = last >= 0 ? last * l : 0;
    // Q_lj t = y_l y_j (z_lᵀz_j + u_l + u_j + c + B²) t
    const c = last >= 0 ? lastStep * ys[last] : 0;
    const cl = last >= 0 ? u[last] + base + B2 : 0;
    for (let k = 0; k < activeSize; k++) {
      const j = active[k];
      if (last >= 0) G[j] += c * ys[j] * (K[row + j] + u[j] + cl);
      const g = G[j];
      const a = alpha[j];
      const C = cost[j];
      if (a === 0) {
        if (g >= 0) { // projected gradient 0: nothing to gain here
          if (g > pgMaxOld) { activeSize--; active[k] = active[activeSize]; active[activeSize] = j; k--; }
          continue;
        }
      } else if (a === C && g <= 0) {
        if (g < pgMinOld) { activeSize--; active[k] = active[activeSize]; active[activeSize] = j; k--; }
        continue;
      }
      if (g > pgMax) pgMax = g; else if (g < pgMin) pgMin = g;
      let t = -g * invQd[j];
      if (t < -a) t = -a; else if (t > C - a) t = C - a;
      const gain = -(g * t + 0.5 * qd[j] * t * t);
      if (gain > bestGain) { bestGain = gain; best = j; bestStep = t; }
    }
    last = -1;
    if (pgMax - pgMin <= tolerance || best < 0) break;
    pgMaxOld = pgMax > 0 ? pgMax : Infinity;
    pgMinOld = pgMin < 0 ? pgMin : -Infinity;
    if (steps >= budget) break;
    const before = alpha[best];
    const next = before + bestStep;
    alpha[best] = next < 0 ? 0 : next > cost[best] ? cost[best] : next;
    last = best;
    lastStep = alpha[best] - before;
    steps++;
  }
  return steps;
}

/** libsvm's TAU: the least curvature a pair step assumes (rows that coincide have none). */
const TAU = 1e-12;

/**
 * `scanAndStep` with libsvm's pair steps beside the single ones. A pair (i, j) moves
 * α_i by y_i t and α_j by −y_j t, t ≥ 0, which leaves Σ y α, and so the bias feature's B²
 * term, unchanged; its curvature ‖x_i − x_j‖² has no B² in it. i is the most violating
 * coordinate that can raise y_i α_i (largest −y_i G_i), j the partner with the largest
 * second-order gain (libsvm's WSS2, Fan et al. 2005). Each step takes the pair or the best
 * single step (below), and the single steps' stopping rule is unchanged. No shrinking: as
 * liblinear's, it made the pair steps restart, 1.20 M steps against 0.43 M without on IEMOCAP
 * fold 1, happy against neutral. native/adan_blas.c `greedyPairScans` is this loop in C.
 */
function scanPairsAndStep(st: GreedyState, tolerance: number, budget: number): number {
  const { l, K, u, qd, invQd, cost, ys, alpha, G, base, B2 } = st;
  let steps = 0;
  // up to two coordinates whose steps are not yet applied to G
  let last1 = -1;
  let step1 = 0;
  let last2 = -1;
  let step2 = 0;
  for (;;) {
    let pgMax = 0;
    let pgMin = 0;
    let best = -1;
    let bestGain = 0;
    let bestStep = 0;
    let up = -1;
    let upMax = -Infinity;
    const r1 = last1 >= 0 ? last1 * l : 0;
    const c1 = last1 >= 0 ? step1 * ys[last1] : 0;
    const cl1 = last1 >= 0 ? u[last1] + base + B2 : 0;
    const r2 = last2 >= 0 ? last2 * l : 0;
    const c2 = last2 >= 0 ? step2 * ys[last2] : 0;
    const cl2 = last2 >= 0 ? u[last2] + base + B2 : 0;
    for (let j = 0; j < l; j++) {
      if (last1 >= 0) G[j] += c1 * ys[j] * (K[r1 + j] + u[j] + cl1);
      if (last2 >= 0) G[j] += c2 * ys[j] * (K[r2 + j] + u[j] + cl2);
      const g = G[j];
      const a = alpha[j];
      const C = cost[j];
      const y = ys[j];
      if (y > 0 ? a < C : a > 0) {
        const v = -y * g;
        if (v > upMax) { upMax = v; up = j; }
      }
      if (a === 0 ? g >= 0 : a === C && g <= 0) continue; // projected gradient 0
      if (g > pgMax) pgMax = g; else if (g < pgMin) pgMin = g;
      let t = -g * invQd[j];
      if (t < -a) t = -a; else if (t > C - a) t = C - a;
      const gain = -(g * t + 0.5 * qd[j] * t * t);
      if (gain > bestGain) { bestGain = gain; best = j; bestStep = t; }
    }
    last1 = -1;
    last2 = -1;
    if (pgMax - pgMin <= tolerance || best < 0 || steps >= budget) break;
    steps++;
    // the pair's second coordinate: it can lower y_j α_j, and the pair's gain b²/(2q) is largest
    let low = -1;
    let lowGain = 0;
    const ri = up * l;
    const ci = up >= 0 ? u[up] + base + B2 : 0;
    const qi = up >= 0 ? qd[up] : 0;
    if (up >= 0) {
      for (let j = 0; j < l; j++) {
        const a = alpha[j];
        const y = ys[j];
        if (!(y > 0 ? a > 0 : a < cost[j])) continue;
        const b = upMax + y * G[j];
        if (b <= 0) continue;
        let q = qi + qd[j] - 2 * (K[ri + j] + u[j] + ci);
        if (q <= TAU) q = TAU;
        const gain = (b * b) / q;
        if (gain > lowGain) { lowGain = gain; low = j; }
      }
    }
    // the pair is taken when its unclipped gain b²/(2q) beats the single step's clipped one
    // (libsvm's estimate): weighing the pair's clipped gain instead left IEMOCAP fold 1's
    // happy/neutral problem at its step cap, as single steps alone
    if (low >= 0 && 0.5 * lowGain > bestGain) {
      const i = up;
      const j = low;
      let q = qi + qd[j] - 2 * (K[ri + j] + u[j] + ci);
      if (q <= TAU) q = TAU;
      const b = upMax + ys[j] * G[j];
      let t = b / q;
      const ti = ys[i] > 0 ? cost[i] - alpha[i] : alpha[i];
      const tj = ys[j] > 0 ? alpha[j] : cost[j] - alpha[j];
      if (t > ti) t = ti;
      if (t > tj) t = tj;
      const ai = alpha[i];
      const ni = ai + ys[i] * t;
      alpha[i] = ni < 0 ? 0 : ni > cost[i] ? cost[i] : ni;
      last1 = i;
      step1 = alpha[i] - ai;
      const aj = alpha[j];
      const nj = aj - ys[j] * t;
      alpha[j] = nj < 0 ? 0 : nj > cost[j] ? cost[j] : nj;
      last2 = j;
      step2 = alpha[j] - aj;
      continue;
    }
    const before = alpha[best];
    const next = before + bestStep;
    alpha[best] = next < 0 ? 0 : next > cost[best] ? cost[best] : next;
    last1 = best;
    step1 = alpha[best] - before;
  }
  return steps;
}

/** w = Σ α_i y_i x_i and the bias feature's weight. */
function primal(p: BinaryProblem, alpha: Float64Array): { w: Float64Array; wB: number } {
  const { x, d, rows, sign, bias } = p;
  const w = new Float64Array(d);
  let wB = 0;
  for (let i = 0; i < rows.length; i++) {
    if (alpha[i] === 0) continue;
    const a = alpha[i] * sign[i];
    const o = rows[i] * d;
    for (let j = 0; j < d; j++) w[j] += a * x[o + j];
    wB += a * bias;
  }
  return { w, wB };
}

/** G_i = y_i (wᵀx_i + w_B B) − 1 from the primal weights of α (O(l·d)); returns true. */
function exactGradient(p: BinaryProblem, alpha: Float64Array, G: Float64Array): true {
  const { x, d, rows, sign, bias } = p;
  const { w, wB } = primal(p, alpha);
  for (let i = 0; i < rows.length; i++) G[i] = sign[i] * (dotRow(w, x, rows[i] * d, d) + wB * bias) - 1;
  return true;
}

/** Whether the projected-gradient spread (0 included) is above the tolerance. */
function spreadAbove(G: Float64Array, alpha: Float64Array, cost: Float64Array, tolerance: number): boolean {
  let pgMax = 0;
  let pgMin = 0;
  for (let i = 0; i < G.length; i++) {
    const g = G[i];
    if (alpha[i] === 0 && g > 0) continue;
    if (alpha[i] === cost[i] && g < 0) continue;
    if (g > pgMax) pgMax = g;
    if (g < pgMin) pgMin = g;
  }
  return pgMax - pgMin > tolerance;
}
