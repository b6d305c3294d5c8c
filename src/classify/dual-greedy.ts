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
  /** Coordinate steps before giving up. */
  maxSteps: number;
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
  const st = greedyState(gram, l, blas?.greedyScans ? 'native' : 'js');
  const B2 = bias * bias;
  st.B2 = B2;
  for (let i = 0; i < l; i++) {
    st.qd[i] = sqNorm[rows[i]] + B2;
    st.invQd[i] = 1 / st.qd[i];
    st.cost[i] = cost[i];
    st.ys[i] = sign[i];
  }
  st.G.fill(-1);
  const scans = (budget: number): number => (st.heap && blas?.greedyScans
    ? blas.greedyScans(st.heap, l, ...offsets(st), st.base, st.B2, s.tolerance, budget)
    : scanAndStep(st, s.tolerance, budget));
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
