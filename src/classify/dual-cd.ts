/**
 * Dual coordinate descent for one binary linear SVM with hinge (L1) loss, after Hsieh et al.,
 * "A dual coordinate descent method for large-scale linear SVM" (ICML 2008) — the solver behind
 * liblinear's `-s 3` (L2R_L1LOSS_SVC_DUAL), including its shrinking heuristic.
 *
 * Primal:  min_w  ½‖w‖² + Σ_i C_i max(0, 1 − y_i wᵀx̃_i),   x̃_i = [x_i, B]  (B = bias feature)
 * Dual:    min_α  ½ αᵀQα − Σ_i α_i,  0 ≤ α_i ≤ C_i,   Q_ij = y_i y_j x̃_iᵀx̃_j
 * with w = Σ_i α_i y_i x̃_i kept up to date, so one coordinate step costs O(d).
 *
 * The bias is learned as the weight of a constant feature of value B (liblinear's `-B`), so it
 * is lightly regularised; a larger B makes it closer to libsvm's unregularised intercept.
 */
import type { Random } from '../util/random';

/** One binary problem over a subset of the rows of a shared feature matrix. */
export interface BinaryProblem {
  /** Features of all rows, row-major (only `rows` are used). */
  x: Float32Array;
  /** Feature dimension. */
  d: number;
  /** Rows of `x` in this problem. */
  rows: Int32Array;
  /** Label of each problem row (parallel to `rows`): +1 or −1. */
  sign: Int8Array;
  /** Upper bound C_i of each problem row's dual variable (C times its class weight). */
  cost: Float64Array;
  /** Squared norm ‖x_r‖² of every row r of `x` (indexed by row of `x`, not problem row). */
  sqNorm: Float64Array;
  /** Value B of the constant bias feature; 0 fits no bias. */
  bias: number;
}

export interface DualCdSettings {
  /** Stop when the projected-gradient spread max − min is at most this (liblinear's eps). */
  tolerance: number;
  /** Stop after this many passes over the (active) rows even if not converged. */
  maxIter: number;
  /** Generator for the random order of coordinates in each pass. */
  random: Random;
  /** α to start from (parallel to the problem rows, each within [0, C_i]); default α = 0. */
  start?: Float64Array;
}

export interface BinaryModel {
  /** Weights w (length d). */
  w: Float64Array;
  /** Intercept: decision(x) = wᵀx + b  (b = w_B · B). */
  b: number;
  /** Dual variables α (parallel to the problem rows). */
  alpha: Float64Array;
  /** Passes over the data that were run. */
  iterations: number;
  /** False when `maxIter` passes ended before the tolerance was met. */
  converged: boolean;
}

/** Σ_j w_j x_{o+j} in float64. */
function dotRow(w: Float64Array, x: Float32Array, o: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += w[j] * x[o + j];
    s1 += w[j + 1] * x[o + j + 1];
    s2 += w[j + 2] * x[o + j + 2];
    s3 += w[j + 3] * x[o + j + 3];
  }
  for (; j < d; j++) s0 += w[j] * x[o + j];
  return (s0 + s1) + (s2 + s3);
}

/** w += a · x_{o..o+d}. */
function axpyRow(w: Float64Array, a: number, x: Float32Array, o: number, d: number): void {
  let j = 0;
  for (; j + 3 < d; j += 4) {
    w[j] += a * x[o + j];
    w[j + 1] += a * x[o + j + 1];
    w[j + 2] += a * x[o + j + 2];
    w[j + 3] += a * x[o + j + 3];
  }
  for (; j < d; j++) w[j] += a * x[o + j];
}

/** Solve one binary hinge-loss SVM by dual coordinate descent with shrinking (liblinear). */
export function solveBinaryDual(p: BinaryProblem, s: DualCdSettings): BinaryModel {
  const { x, d, rows, sign, cost, sqNorm, bias } = p;
  const l = rows.length;
  const w = new Float64Array(d);
  let wB = 0; // weight of the bias feature
  const B2 = bias * bias;
  const alpha = s.start ? Float64Array.from(s.start) : new Float64Array(l);
  for (let i = 0; i < l; i++) {
    if (alpha[i] === 0) continue;
    const delta = alpha[i] * sign[i];
    axpyRow(w, delta, x, rows[i] * d, d);
    wB += delta * bias;
  }
  const qd = new Float64Array(l);
  for (let i = 0; i < l; i++) qd[i] = sqNorm[rows[i]] + B2;
  const index = new Int32Array(l);
  for (let i = 0; i < l; i++) index[i] = i;

  let activeSize = l;
  let pgMaxOld = Infinity;
  let pgMinOld = -Infinity;
  let iter = 0;
  let converged = false;
  while (iter < s.maxIter) {
    let pgMaxNew = -Infinity;
    let pgMinNew = Infinity;
    // random order of the active coordinates (Fisher–Yates on index[0..activeSize))
    for (let i = activeSize - 1; i > 0; i--) {
      const j = s.random.int(i + 1);
      const t = index[i]; index[i] = index[j]; index[j] = t;
    }
    for (let k = 0; k < activeSize; k++) {
      const i = index[k];
      const yi = sign[i];
      const o = rows[i] * d;
      const G = yi * (dotRow(w, x, o, d) + wB * bias) - 1; // ∂/∂α_i of the dual
      const C = cost[i];
      const a = alpha[i];
      let pg = 0; // projected gradient
      if (a === 0) {
        if (G > pgMaxOld) { // shrink: α_i is likely to stay at 0
          activeSize--; index[k] = index[activeSize]; index[activeSize] = i; k--;
          continue;
        } else if (G < 0) pg = G;
      } else if (a === C) {
        if (G < pgMinOld) { // shrink: α_i is likely to stay at C
          activeSize--; index[k] = index[activeSize]; index[activeSize] = i; k--;
          continue;
        } else if (G > 0) pg = G;
      } else pg = G;
      if (pg > pgMaxNew) pgMaxNew = pg;
      if (pg < pgMinNew) pgMinNew = pg;
      if (Math.abs(pg) > 1e-12) {
        const next = Math.min(Math.max(a - G / qd[i], 0), C);
        alpha[i] = next;
        const delta = (next - a) * yi;
        axpyRow(w, delta, x, o, d);
        wB += delta * bias;
      }
    }
    iter++;
    if (pgMaxNew - pgMinNew <= s.tolerance) {
      if (activeSize === l) { converged = true; break; }
      // converged on the active set: check every row once more without shrinking
      activeSize = l;
      pgMaxOld = Infinity;
      pgMinOld = -Infinity;
      continue;
    }
    pgMaxOld = pgMaxNew <= 0 ? Infinity : pgMaxNew;
    pgMinOld = pgMinNew >= 0 ? -Infinity : pgMinNew;
  }
  return { w, b: wB * bias, alpha, iterations: iter, converged };
}

/** The dual objective ½‖Σ α_i y_i x̃_i‖² − Σ α_i of a solution (for checks and tests). */
export function dualObjective(p: BinaryProblem, alpha: Float64Array): number {
  const { x, d, rows, sign, bias } = p;
  const w = new Float64Array(d);
  let wB = 0;
  let sumA = 0;
  for (let i = 0; i < rows.length; i++) {
    if (alpha[i] === 0) continue;
    axpyRow(w, alpha[i] * sign[i], x, rows[i] * d, d);
    wB += alpha[i] * sign[i] * bias;
    sumA += alpha[i];
  }
  let ww = wB * wB;
  for (let j = 0; j < d; j++) ww += w[j] * w[j];
  return 0.5 * ww - sumA;
}

/** The primal objective ½‖w̃‖² + Σ C_i max(0, 1 − y_i(wᵀx_i + b)) of a linear model. */
export function primalObjective(p: BinaryProblem, w: Float64Array, b: number): number {
  const { x, d, rows, sign, cost, bias } = p;
  let ww = bias === 0 ? 0 : (b / bias) * (b / bias);
  for (let j = 0; j < d; j++) ww += w[j] * w[j];
  let loss = 0;
  for (let i = 0; i < rows.length; i++) {
    const m = sign[i] * (dotRow(w, x, rows[i] * d, d) + b);
    if (m < 1) loss += cost[i] * (1 - m);
  }
  return 0.5 * ww + loss;
}

export { dotRow, axpyRow };
