/**
 * A primal-dual interior-point method for the linear SVM's dual (the problem of dual-cd.ts),
 * for binary problems too large for the greedy solver's Gram matrix on which dual coordinate
 * descent crawls (IEMOCAP's rows with 5 or more synthetic sets: BENCHMARKS.md).
 *
 * Dual:  min ½ αᵀZZᵀα − Σα,  0 ≤ α ≤ C,  Z = diag(y)[X, B]  (l rows, d + 1 columns)
 * Each Newton step solves (ZZᵀ + D)Δα = r with D diagonal; with E = D⁻¹ that is
 * (I + ZᵀEZ)Δw = ZᵀEr, Δα = E(r − ZΔw): a (d+1) x (d+1) system whatever the rows, so a step
 * costs O(l·d²) (one dsyrk), and the number of steps (12-25 a problem on IEMOCAP's rows, 0-10
 * sets) grows slowly with the rows, not with their conditioning, which is what makes coordinate
 * descent crawl. Mehrotra's predictor-corrector
 * (Nocedal & Wright, Numerical Optimization, 16.6), as Ferris & Munson, "Interior-point methods
 * for massive support vector machines" (SIAM J. Optim. 2003), did for this dual.
 *
 * The interior point it ends at is then handed to dual coordinate descent (dual-cd.ts `start`)
 * with α within a hair of a bound put on it, so the model that comes out has met the same
 * stopping rule as every other problem's (liblinear's projected-gradient spread).
 */
import type { NativeBlas } from '../backend/native';
import { DataError } from '../util/errors';
import { axpyRow, dotRow, type BinaryProblem } from './dual-cd';

export interface InteriorPointSettings {
  /** Newton steps before giving up; the point reached is still handed on. Default 100. */
  maxSteps?: number;
  /**
   * Stop when the mean complementarity μ is at most this times the mean C. Default 1e-6: on
   * IEMOCAP fold 1 (happy against neutral) 12 Newton steps and 3 finishing passes, where 1e-10
   * takes 15 steps and 1 pass, and a Newton step costs some 100 passes.
   */
  gap?: number;
}

export interface InteriorPointResult {
  /** α at the last interior point, those within `snap` of a bound on it. */
  alpha: Float64Array;
  /** Newton steps taken. */
  steps: number;
  /** Mean complementarity at the end, relative to the mean C. */
  gap: number;
  /** True when the normal matrix stopped being positive definite (the point before is kept). */
  breakdown: boolean;
}

/** Share of C_i within which an interior α is put on its bound before coordinate descent finishes. */
const SNAP = 1e-8;
/** Rows whose weight in the normal matrix (E_i) is at most this leave its product: below the identity's rounding. */
const NEGLIGIBLE = 1e-14;

/** The rows of one problem gathered into one buffer with the solver's float64 scratch (the addon takes byte offsets into one buffer). */
interface Layout {
  buffer: ArrayBuffer;
  x: Float32Array;
  scale: Float64Array;
  M: Float64Array;
  rhs: Float64Array;
  scaleOff: number;
  mOff: number;
  rhsOff: number;
}

function layout(p: BinaryProblem): Layout {
  const { x: all, d, rows } = p;
  const l = rows.length;
  const d1 = d + 1;
  const xBytes = Math.ceil((l * d * 4) / 8) * 8;
  const scaleOff = xBytes;
  const mOff = scaleOff + l * 8;
  const rhsOff = mOff + d1 * d1 * 8;
  const buffer = new ArrayBuffer(rhsOff + d1 * 8);
  const x = new Float32Array(buffer, 0, l * d);
  for (let i = 0; i < l; i++) x.set(all.subarray(rows[i] * d, (rows[i] + 1) * d), i * d);
  return { buffer, x, scale: new Float64Array(buffer, scaleOff, l), M: new Float64Array(buffer, mOff, d1 * d1), rhs: new Float64Array(buffer, rhsOff, d1), scaleOff, mOff, rhsOff };
}

/** out_i = y_i (x_iᵀv + B v_d): Z v. */
function timesZ(L: Layout, d: number, sign: Int8Array, bias: number, v: Float64Array, out: Float64Array): void {
  const vb = v[d] * bias;
  for (let i = 0; i < out.length; i++) out[i] = sign[i] * (dotRow(v, L.x, i * d, d) + vb);
}

/** out = Zᵀu: Σ_i y_i u_i [x_i, B]. */
function timesZt(L: Layout, d: number, sign: Int8Array, bias: number, u: Float64Array, out: Float64Array): void {
  out.fill(0);
  let last = 0;
  for (let i = 0; i < u.length; i++) {
    const a = sign[i] * u[i];
    if (a === 0) continue;
    last += a;
    axpyRow(out, a, L.x, i * d, d);
  }
  out[d] = last * bias;
}

/** M = I + Σ scale_i z̃ z̃ᵀ and its Cholesky factor (lower, row-major) in JS, for builds without the addon's `ipmNormal`. */
function normalJs(L: Layout, d: number, bias: number, floor: number): number {
  const d1 = d + 1;
  const { M, x, scale } = L;
  M.fill(0);
  const z = new Float64Array(d1);
  for (let i = 0; i < scale.length; i++) {
    const s = scale[i];
    if (!(s > floor)) continue;
    for (let j = 0; j < d; j++) z[j] = x[i * d + j];
    z[d] = bias;
    for (let r = 0; r < d1; r++) {
      const a = s * z[r];
      for (let c = 0, o = r * d1; c <= r; c++) M[o + c] += a * z[c];
    }
  }
  for (let j = 0; j < d1; j++) M[j * d1 + j] += 1;
  for (let j = 0; j < d1; j++) {
    let s = M[j * d1 + j];
    for (let k = 0; k < j; k++) s -= M[j * d1 + k] * M[j * d1 + k];
    if (!(s > 0)) return j + 1;
    const piv = Math.sqrt(s);
    M[j * d1 + j] = piv;
    for (let i = j + 1; i < d1; i++) {
      let t = M[i * d1 + j];
      for (let k = 0; k < j; k++) t -= M[i * d1 + k] * M[j * d1 + k];
      M[i * d1 + j] = t / piv;
    }
  }
  return 0;
}

/** rhs = M⁻¹ rhs with `normalJs`'s factor. */
function solveJs(L: Layout, d1: number): void {
  const { M, rhs } = L;
  for (let i = 0; i < d1; i++) {
    let s = rhs[i];
    for (let k = 0; k < i; k++) s -= M[i * d1 + k] * rhs[k];
    rhs[i] = s / M[i * d1 + i];
  }
  for (let i = d1 - 1; i >= 0; i--) {
    let s = rhs[i];
    for (let k = i + 1; k < d1; k++) s -= M[k * d1 + i] * rhs[k];
    rhs[i] = s / M[i * d1 + i];
  }
}

/** The largest step in (0, 1] that keeps v + step·dv ≥ 0. */
function maxStep(v: Float64Array, dv: Float64Array, negate = false): number {
  let step = 1;
  for (let i = 0; i < v.length; i++) {
    const dvi = negate ? -dv[i] : dv[i];
    if (dvi < 0) step = Math.min(step, -v[i] / dvi);
  }
  return step;
}

/**
 * Solve one binary problem's dual to an interior point near its optimum (the caller finishes
 * with dual coordinate descent). `blas` with `ipmNormal` forms and factorises the normal matrix
 * natively (dsyrk, dpotrf); without it the same in JS, slowly.
 */
export function solveBinaryInteriorPoint(p: BinaryProblem, s: InteriorPointSettings = {}, blas?: NativeBlas): InteriorPointResult {
  const { d, sign, cost, bias } = p;
  const l = p.rows.length;
  const d1 = d + 1;
  const maxSteps = s.maxSteps ?? 100;
  let meanC = 0;
  for (let i = 0; i < l; i++) meanC += cost[i];
  meanC /= l;
  const gapTol = (s.gap ?? 1e-6) * meanC;
  const L = layout(p);
  const native = blas?.ipmNormal && blas.cholSolve ? blas : undefined;
  const factor = (): boolean => {
    let floor = 0;
    for (let i = 0; i < l; i++) floor = Math.max(floor, L.scale[i]);
    floor *= NEGLIGIBLE;
    const info = native ? native.ipmNormal!(L.buffer, l, d, 0, L.scaleOff, bias, L.mOff, floor) : normalJs(L, d, bias, floor);
    return info === 0;
  };
  const alpha = new Float64Array(l);
  const sl = new Float64Array(l); // multipliers of α ≥ 0
  const tl = new Float64Array(l); // multipliers of α ≤ C
  for (let i = 0; i < l; i++) { alpha[i] = cost[i] / 2; sl[i] = 1; tl[i] = 1; }
  const w = new Float64Array(d1);
  const g = new Float64Array(l);
  const rd = new Float64Array(l);
  const r = new Float64Array(l);
  const zdw = new Float64Array(l);
  const da = new Float64Array(l), ds = new Float64Array(l), dt = new Float64Array(l);
  const dac = new Float64Array(l), dsc = new Float64Array(l), dtc = new Float64Array(l);
  const slack = new Float64Array(l);
  const er = new Float64Array(l);
  /** Δα = E(r − Z M⁻¹ ZᵀEr). */
  const newton = (out: Float64Array): void => {
    for (let i = 0; i < l; i++) er[i] = L.scale[i] * r[i];
    timesZt(L, d, sign, bias, er, L.rhs);
    if (native) native.cholSolve!(L.buffer, d1, L.mOff, L.rhsOff);
    else solveJs(L, d1);
    timesZ(L, d, sign, bias, L.rhs, zdw);
    for (let i = 0; i < l; i++) out[i] = L.scale[i] * (r[i] - zdw[i]);
  };
  let steps = 0;
  let mu = Infinity;
  let breakdown = false;
  for (;;) {
    timesZt(L, d, sign, bias, alpha, w);
    timesZ(L, d, sign, bias, w, g);
    mu = 0;
    for (let i = 0; i < l; i++) {
      g[i] -= 1;
      rd[i] = g[i] - sl[i] + tl[i];
      slack[i] = cost[i] - alpha[i];
      mu += alpha[i] * sl[i] + slack[i] * tl[i];
    }
    mu /= 2 * l;
    if (!Number.isFinite(mu)) throw new DataError('linearSvm', 'the interior-point solver met a non-finite value (rows with NaN or infinite features?)');
    if (mu <= gapTol || steps >= maxSteps) break;
    for (let i = 0; i < l; i++) L.scale[i] = 1 / (sl[i] / alpha[i] + tl[i] / slack[i]);
    if (!factor()) { breakdown = true; break; }
    // predictor: the affine-scaling direction (μ = 0)
    for (let i = 0; i < l; i++) r[i] = -rd[i] - sl[i] + tl[i];
    newton(da);
    for (let i = 0; i < l; i++) {
      ds[i] = -sl[i] - (sl[i] / alpha[i]) * da[i];
      dt[i] = -tl[i] + (tl[i] / slack[i]) * da[i];
    }
    let step = Math.min(maxStep(alpha, da), maxStep(slack, da, true), maxStep(sl, ds), maxStep(tl, dt));
    let muAff = 0;
    for (let i = 0; i < l; i++) {
      muAff += (alpha[i] + step * da[i]) * (sl[i] + step * ds[i]) + (slack[i] - step * da[i]) * (tl[i] + step * dt[i]);
    }
    muAff /= 2 * l;
    const target = mu * (muAff / mu) ** 3;
    // corrector: centring towards σμ and the predictor's second-order terms
    for (let i = 0; i < l; i++) {
      r[i] = -rd[i] + (target - da[i] * ds[i]) / alpha[i] - sl[i] - (target + da[i] * dt[i]) / slack[i] + tl[i];
    }
    newton(dac);
    for (let i = 0; i < l; i++) {
      dsc[i] = (target - alpha[i] * sl[i] - da[i] * ds[i] - sl[i] * dac[i]) / alpha[i];
      dtc[i] = (target - slack[i] * tl[i] + da[i] * dt[i] + tl[i] * dac[i]) / slack[i];
    }
    // one step length for α and the multipliers, so the dual residual shrinks by (1 − step)
    step = 0.995 * Math.min(maxStep(alpha, dac), maxStep(slack, dac, true), maxStep(sl, dsc), maxStep(tl, dtc));
    for (let i = 0; i < l; i++) {
      alpha[i] += step * dac[i];
      sl[i] += step * dsc[i];
      tl[i] += step * dtc[i];
    }
    steps++;
  }
  for (let i = 0; i < l; i++) {
    if (alpha[i] <= SNAP * cost[i]) alpha[i] = 0;
    else if (alpha[i] >= (1 - SNAP) * cost[i]) alpha[i] = cost[i];
  }
  return { alpha, steps, gap: mu / meanC, breakdown };
}
