/**
 * The SMO solver of libsvm (Chang & Lin, `Solver` in svm.cpp) for one binary C-SVM, after
 * Fan, Chen & Lin, "Working set selection using second order information for training support
 * vector machines", JMLR 6 (2005) 1889–1918 (WSS3 below).
 *
 * Dual:  min_α  ½ αᵀQα − eᵀα   subject to  yᵀα = 0,  0 ≤ α_i ≤ C_i,   Q_ij = y_i y_j K(x_i, x_j)
 * Decision:  f(x) = Σ_i α_i y_i K(x_i, x) − ρ.
 *
 * This follows libsvm step by step — the same working-set choice (ties included), the same
 * clipped two-variable update, the stopping rule m(α) − M(α) < eps, shrinking every
 * min(l, 1000) iterations with one unshrink when the gap first falls below 10·eps, the gradient
 * reconstruction and ρ as the mean of y_i∇_i over free α_i — so that, given the same kernel
 * values, it visits the same iterates as scikit-learn's SVC. Like libsvm it permutes the
 * variables when shrinking; the kernel is read through `KernelColumns` by original problem row.
 */
import type { KernelColumns } from './gram';

/** τ of Fan et al.: a curvature floor for non-positive-definite steps (libsvm's TAU). */
const TAU = 1e-12;
const LOWER = 0;
const UPPER = 1;
const FREE = 2;

export interface SmoProblem {
  /** Label of each problem row: +1 or −1. */
  y: Int8Array;
  /** Upper bound C_i of each α_i (C times the row's class weight). */
  C: Float64Array;
  /** K(x_i, x_i) of each row (1 for the RBF kernel). */
  QD: Float64Array;
  /** The kernel columns. */
  kernel: KernelColumns;
}

export interface SmoSettings {
  /** Stopping tolerance on the maximal violation m(α) − M(α) (libsvm's `-e`). */
  eps: number;
  /** Shrink the working problem as libsvm's `-h 1`. */
  shrinking: boolean;
  /** Iteration cap (libsvm: max(10⁷, 100 l)). */
  maxIter: number;
}

export interface SmoSolution {
  /** α_i ≥ 0 per problem row, in problem order. */
  alpha: Float64Array;
  /** ρ: the decision is Σ α_i y_i K(x_i, x) − ρ. */
  rho: number;
  /** Dual objective ½ αᵀQα − eᵀα. */
  objective: number;
  iterations: number;
  /** False when `maxIter` iterations ended before the stopping rule held. */
  converged: boolean;
}

/** libsvm's default iteration cap for a problem of l rows. */
export function libsvmMaxIter(l: number): number {
  return Math.max(10_000_000, l > Math.floor(2147483647 / 100) ? 2147483647 : 100 * l);
}

/** Solve one binary C-SVM dual by SMO with WSS3 and shrinking, as libsvm's `Solver::Solve`. */
export function solveSmo(problem: SmoProblem, settings: SmoSettings): SmoSolution {
  const { kernel } = problem;
  const l = problem.y.length;
  const { eps } = settings;
  // per position (swapped when shrinking, as libsvm's arrays)
  const y = Float64Array.from(problem.y);
  const C = Float64Array.from(problem.C);
  const QD = Float64Array.from(problem.QD);
  const alpha = new Float64Array(l);
  const G = new Float64Array(l).fill(-1); // ∇ = Qα + p with p = −e and α = 0
  const Gbar = new Float64Array(l); // Σ over α_j = C_j of C_j Q_ij
  const status = new Uint8Array(l).fill(LOWER);
  const active = Int32Array.from({ length: l }, (_, i) => i); // original problem row at each position
  const slot = Int32Array.from(active, (o) => kernel.slot[o]); // its entry inside a kernel column
  let activeSize = l;
  let unshrink = false;

  const updateStatus = (i: number): void => {
    status[i] = alpha[i] >= C[i] ? UPPER : alpha[i] <= 0 ? LOWER : FREE;
  };

  const swap = (i: number, j: number): void => {
    let t = y[i]; y[i] = y[j]; y[j] = t;
    t = C[i]; C[i] = C[j]; C[j] = t;
    t = QD[i]; QD[i] = QD[j]; QD[j] = t;
    t = alpha[i]; alpha[i] = alpha[j]; alpha[j] = t;
    t = G[i]; G[i] = G[j]; G[j] = t;
    t = Gbar[i]; Gbar[i] = Gbar[j]; Gbar[j] = t;
    t = status[i]; status[i] = status[j]; status[j] = t;
    t = active[i]; active[i] = active[j]; active[j] = t;
    t = slot[i]; slot[i] = slot[j]; slot[j] = t;
  };

  /**
   * The kernel column of position i. On a miss of a cached kernel, the columns of the most
   * violating positions are computed in the same block: they are the likeliest next picks.
   */
  const columnOf = (i: number): Float32Array => {
    const o = active[i];
    if (kernel.block > 1 && !kernel.has(o)) kernel.fetch(likelyNext(o));
    return kernel.column(o);
  };

  const likelyNext = (first: number): Int32Array => {
    // the block − 1 most violating positions whose columns are not at hand, in one pass
    // (a running top list: a full sort per miss would cost more than the kernel block)
    const want = kernel.block - 1;
    const top = new Int32Array(want);
    const topScore = new Float64Array(want).fill(-Infinity);
    let found = 0;
    for (let t = 0; t < activeSize; t++) {
      // violation of t as an "i" (I_up: −y∇) and as a "j" (I_low: y∇)
      const yg = y[t] * G[t];
      const up = (y[t] > 0 ? status[t] !== UPPER : status[t] !== LOWER) ? -yg : -Infinity;
      const low = (y[t] > 0 ? status[t] !== LOWER : status[t] !== UPPER) ? yg : -Infinity;
      const score = up > low ? up : low;
      if (found === want && !(score > topScore[want - 1])) continue;
      const o = active[t];
      if (o === first || kernel.has(o)) continue;
      let k = found < want ? found++ : want - 1;
      while (k > 0 && topScore[k - 1] < score) {
        topScore[k] = topScore[k - 1];
        top[k] = top[k - 1];
        k--;
      }
      topScore[k] = score;
      top[k] = o;
    }
    const out = new Int32Array(found + 1);
    out[0] = first;
    out.set(top.subarray(0, found), 1);
    return out;
  };

  /** Column of position i when positions `need[q..]` come next (a cached kernel computes a block of them). */
  const columnIn = (need: Int32Array, q: number): Float32Array => {
    const o = active[need[q]];
    if (kernel.block > 1 && !kernel.has(o)) {
      kernel.fetch(Array.from(need.subarray(q, q + kernel.block), (p) => active[p]));
    }
    return kernel.column(o);
  };

  const reconstructGradient = (): void => {
    if (activeSize === l) return;
    for (let j = activeSize; j < l; j++) G[j] = Gbar[j] - 1;
    let nFree = 0;
    for (let j = 0; j < activeSize; j++) if (status[j] === FREE) nFree++;
    if (nFree * l > 2 * activeSize * (l - activeSize)) {
      const need = Int32Array.from({ length: l - activeSize }, (_, q) => activeSize + q);
      for (let q = 0; q < need.length; q++) {
        const i = need[q];
        const col = columnIn(need, q);
        const yi = y[i];
        let g = G[i];
        for (let j = 0; j < activeSize; j++) if (status[j] === FREE) g += alpha[j] * (yi * y[j] * col[slot[j]]);
        G[i] = g;
      }
    } else {
      const need = Int32Array.from({ length: activeSize }, (_, i) => i).filter((i) => status[i] === FREE);
      for (let q = 0; q < need.length; q++) {
        const i = need[q];
        const col = columnIn(need, q);
        const ai = alpha[i];
        const yi = y[i];
        for (let j = activeSize; j < l; j++) G[j] += ai * (yi * y[j] * col[slot[j]]);
      }
    }
  };

  let outI = -1;
  let outJ = -1;
  /** WSS3; true when the stopping rule holds (no working set). */
  const selectWorkingSet = (): boolean => {
    let Gmax = -Infinity;
    let Gmax2 = -Infinity;
    let GmaxIdx = -1;
    let GminIdx = -1;
    let objDiffMin = Infinity;
    for (let t = 0; t < activeSize; t++) {
      if (y[t] > 0) {
        if (status[t] !== UPPER && -G[t] >= Gmax) { Gmax = -G[t]; GmaxIdx = t; }
      } else if (status[t] !== LOWER && G[t] >= Gmax) { Gmax = G[t]; GmaxIdx = t; }
    }
    const i = GmaxIdx;
    if (i !== -1) {
      const col = columnOf(i);
      const QDi = QD[i];
      for (let j = 0; j < activeSize; j++) {
        let gradDiff: number;
        if (y[j] > 0) {
          if (status[j] === LOWER) continue;
          if (G[j] >= Gmax2) Gmax2 = G[j];
          gradDiff = Gmax + G[j];
        } else {
          if (status[j] === UPPER) continue;
          if (-G[j] >= Gmax2) Gmax2 = -G[j];
          gradDiff = Gmax - G[j];
        }
        if (gradDiff > 0) {
          // QD_i + QD_j − 2 y_i y_j Q_ij = QD_i + QD_j − 2 K_ij in both of libsvm's branches
          const quad = QDi + QD[j] - 2 * col[slot[j]];
          const objDiff = -(gradDiff * gradDiff) / (quad > 0 ? quad : TAU);
          if (objDiff <= objDiffMin) { GminIdx = j; objDiffMin = objDiff; }
        }
      }
    }
    if (Gmax + Gmax2 < eps || GminIdx === -1) return true;
    outI = GmaxIdx;
    outJ = GminIdx;
    return false;
  };

  const beShrunk = (i: number, Gmax1: number, Gmax2: number): boolean => {
    if (status[i] === UPPER) return y[i] > 0 ? -G[i] > Gmax1 : -G[i] > Gmax2;
    if (status[i] === LOWER) return y[i] > 0 ? G[i] > Gmax2 : G[i] > Gmax1;
    return false;
  };

  const doShrinking = (): void => {
    let Gmax1 = -Infinity; // max { −y_i ∇_i | i ∈ I_up }
    let Gmax2 = -Infinity; // max { y_i ∇_i | i ∈ I_low }
    for (let i = 0; i < activeSize; i++) {
      if (y[i] > 0) {
        if (status[i] !== UPPER && -G[i] >= Gmax1) Gmax1 = -G[i];
        if (status[i] !== LOWER && G[i] >= Gmax2) Gmax2 = G[i];
      } else {
        if (status[i] !== UPPER && -G[i] >= Gmax2) Gmax2 = -G[i];
        if (status[i] !== LOWER && G[i] >= Gmax1) Gmax1 = G[i];
      }
    }
    if (!unshrink && Gmax1 + Gmax2 <= eps * 10) {
      unshrink = true;
      reconstructGradient();
      activeSize = l;
    }
    for (let i = 0; i < activeSize; i++) {
      if (!beShrunk(i, Gmax1, Gmax2)) continue;
      activeSize--;
      while (activeSize > i) {
        if (!beShrunk(activeSize, Gmax1, Gmax2)) { swap(i, activeSize); break; }
        activeSize--;
      }
    }
  };

  const calculateRho = (): number => {
    let nFree = 0;
    let ub = Infinity;
    let lb = -Infinity;
    let sumFree = 0;
    for (let i = 0; i < activeSize; i++) {
      const yG = y[i] * G[i];
      if (status[i] === UPPER) {
        if (y[i] < 0) ub = Math.min(ub, yG); else lb = Math.max(lb, yG);
      } else if (status[i] === LOWER) {
        if (y[i] > 0) ub = Math.min(ub, yG); else lb = Math.max(lb, yG);
      } else {
        nFree++;
        sumFree += yG;
      }
    }
    return nFree > 0 ? sumFree / nFree : (ub + lb) / 2;
  };

  const maxIter = settings.maxIter;
  let iter = 0;
  let counter = Math.min(l, 1000) + 1;
  let converged = false;
  while (iter < maxIter) {
    if (--counter === 0) {
      counter = Math.min(l, 1000);
      if (settings.shrinking) doShrinking();
    }
    if (selectWorkingSet()) {
      reconstructGradient();
      activeSize = l;
      if (selectWorkingSet()) { converged = true; break; }
      counter = 1; // shrink at the next iteration
    }
    ++iter;
    const i = outI;
    const j = outJ;
    const Ki = columnOf(i);
    const Kj = columnOf(j);
    const Kij = Ki[slot[j]];
    const Ci = C[i];
    const Cj = C[j];
    const oldAi = alpha[i];
    const oldAj = alpha[j];
    let ai = oldAi;
    let aj = oldAj;
    let quad = QD[i] + QD[j] - 2 * Kij;
    if (quad <= 0) quad = TAU;
    if (y[i] !== y[j]) {
      const delta = (-G[i] - G[j]) / quad;
      const diff = ai - aj;
      ai += delta;
      aj += delta;
      if (diff > 0) {
        if (aj < 0) { aj = 0; ai = diff; }
      } else if (ai < 0) { ai = 0; aj = -diff; }
      if (diff > Ci - Cj) {
        if (ai > Ci) { ai = Ci; aj = Ci - diff; }
      } else if (aj > Cj) { aj = Cj; ai = Cj + diff; }
    } else {
      const delta = (G[i] - G[j]) / quad;
      const sum = ai + aj;
      ai -= delta;
      aj += delta;
      if (sum > Ci) {
        if (ai > Ci) { ai = Ci; aj = sum - Ci; }
      } else if (aj < 0) { aj = 0; ai = sum; }
      if (sum > Cj) {
        if (aj > Cj) { aj = Cj; ai = sum - Cj; }
      } else if (ai < 0) { ai = 0; aj = sum; }
    }
    alpha[i] = ai;
    alpha[j] = aj;

    // ∇_k += Q_ki Δα_i + Q_kj Δα_j, with Q_ki = y_k y_i K_ki (sign flips are exact)
    const di = y[i] * (ai - oldAi);
    const dj = y[j] * (aj - oldAj);
    for (let k = 0; k < activeSize; k++) {
      const s = slot[k];
      G[k] += y[k] * (Ki[s] * di + Kj[s] * dj);
    }

    const wasUpperI = status[i] === UPPER;
    const wasUpperJ = status[j] === UPPER;
    updateStatus(i);
    updateStatus(j);
    if (wasUpperI !== (status[i] === UPPER)) updateGbar(i, wasUpperI ? -Ci : Ci);
    if (wasUpperJ !== (status[j] === UPPER)) updateGbar(j, wasUpperJ ? -Cj : Cj);
  }

  function updateGbar(i: number, c: number): void {
    const col = columnOf(i);
    const cy = c * y[i];
    for (let k = 0; k < l; k++) Gbar[k] += y[k] * (cy * col[slot[k]]);
  }

  if (!converged && activeSize < l) {
    reconstructGradient();
    activeSize = l;
  }
  const rho = calculateRho();
  let v = 0;
  for (let i = 0; i < l; i++) v += alpha[i] * (G[i] - 1);
  const out = new Float64Array(l);
  for (let i = 0; i < l; i++) out[active[i]] = alpha[i];
  return { alpha: out, rho, objective: v / 2, iterations: iter, converged };
}
