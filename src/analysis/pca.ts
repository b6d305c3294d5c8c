/**
 * Principal component scores by randomized SVD (Halko, Martinsson & Tropp 2011), seeded: the
 * step t-SNE takes first (4354 dims -> 50) and the t-SNE initialisation (the first two scores).
 *
 * Cost: about (3 + 2 powerIterations) passes of n x d x (k + oversample) multiply-adds; for
 * 1070 x 4354 -> 50 that is a second or two here. Only the scores are returned, not the axes.
 *
 * @example
 *   const scores = pcaScores(dataset, 50, { seed: 1 });   // Float64Array n x 50, row-major
 */
import { checkRows, Rows } from './rows';
import { Random, toRandom } from '../util/random';
import { OptionError, checkOptionKeys } from '../util/errors';

export interface PcaOptions {
  /** Extra random directions beyond k (accuracy of the randomized range finder). Default 10. */
  oversample?: number;
  /** Power iterations (accuracy when the spectrum decays slowly). Default 2. */
  powerIterations?: number;
  /** Seed or generator for the random test matrix. Default 0. */
  seed?: number | Random;
}

/** Defaults of {@link PcaOptions}. */
export const PCA_DEFAULTS: Required<PcaOptions> = { oversample: 10, powerIterations: 2, seed: 0 };

/**
 * Scores of the rows of `r` (centred) on their first `k` principal axes: Float64Array n x k,
 * row-major, columns in order of decreasing variance. The sign of each column is fixed so that
 * its largest-magnitude entry is positive (deterministic across seeds up to accuracy).
 */
export function pcaScores(r: Rows, k: number, options: PcaOptions = {}): Float64Array {
  checkOptionKeys('pca', options, PCA_DEFAULTS);
  const o = { ...PCA_DEFAULTS, ...options };
  checkRows('pca', r);
  const { n, d } = r;
  if (!Number.isInteger(k) || k < 1 || k > Math.min(n, d)) throw new OptionError('pca.k', k, `an integer in 1..min(n, d) = 1..${Math.min(n, d)}`);
  if (!Number.isInteger(o.oversample) || o.oversample < 0) throw new OptionError('pca.oversample', o.oversample, 'a non-negative integer');
  if (!Number.isInteger(o.powerIterations) || o.powerIterations < 0) throw new OptionError('pca.powerIterations', o.powerIterations, 'a non-negative integer');
  const rng = toRandom(o.seed);
  const l = Math.min(k + o.oversample, n, d);

  // Centred copy Xc (n x d).
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += r.x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const X = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) X[i * d + j] = r.x[i * d + j] - mean[j];

  // Range finder: Y = Xc Omega, then (Xc Xc^T)^q Y with re-orthonormalisation.
  const omega = new Float64Array(d * l);
  for (let t = 0; t < omega.length; t++) omega[t] = rng.normal();
  let Q = orthonormalize(times(X, n, d, omega, l), n, l);
  for (let it = 0; it < o.powerIterations; it++) {
    const Z = orthonormalize(transposeTimes(X, n, d, Q, l), d, l);
    Q = orthonormalize(times(X, n, d, Z, l), n, l);
  }
  // B = Q^T Xc (l x d); B B^T = Z^T Z with Z = Xc^T Q (d x l).
  const Z = transposeTimes(X, n, d, Q, l);
  const G = new Float64Array(l * l);
  for (let t = 0; t < d; t++) {
    for (let a = 0; a < l; a++) {
      const za = Z[t * l + a];
      if (za === 0) continue;
      for (let b = a; b < l; b++) G[a * l + b] += za * Z[t * l + b];
    }
  }
  for (let a = 0; a < l; a++) for (let b = 0; b < a; b++) G[a * l + b] = G[b * l + a];
  const { values, vectors } = symmetricEigen(G, l);
  // Scores = Q U S (Xc ~ Q B = Q U S V^T, so Xc V = Q U S); S = sqrt(eigenvalue).
  const order = Array.from({ length: l }, (_, i) => i).sort((a, b) => values[b] - values[a]).slice(0, k);
  const scores = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const e = order[c];
    const s = Math.sqrt(Math.max(0, values[e]));
    for (let i = 0; i < n; i++) {
      let v = 0;
      for (let a = 0; a < l; a++) v += Q[i * l + a] * vectors[a * l + e];
      scores[i * k + c] = v * s;
    }
    let big = 0;
    for (let i = 0; i < n; i++) if (Math.abs(scores[i * k + c]) > Math.abs(big)) big = scores[i * k + c];
    if (big < 0) for (let i = 0; i < n; i++) scores[i * k + c] = -scores[i * k + c];
  }
  return scores;
}

/** X (n x d, float32) times M (d x l) -> n x l; four columns of X per pass over a row of out. */
function times(X: Float32Array, n: number, d: number, M: Float64Array, l: number): Float64Array {
  const out = new Float64Array(n * l);
  for (let i = 0; i < n; i++) {
    const o = i * l;
    const xi = i * d;
    let t = 0;
    for (; t + 3 < d; t += 4) {
      const x0 = X[xi + t], x1 = X[xi + t + 1], x2 = X[xi + t + 2], x3 = X[xi + t + 3];
      const m0 = t * l, m1 = m0 + l, m2 = m1 + l, m3 = m2 + l;
      for (let a = 0; a < l; a++) out[o + a] += x0 * M[m0 + a] + x1 * M[m1 + a] + x2 * M[m2 + a] + x3 * M[m3 + a];
    }
    for (; t < d; t++) {
      const x = X[xi + t];
      const m = t * l;
      for (let a = 0; a < l; a++) out[o + a] += x * M[m + a];
    }
  }
  return out;
}

/** X^T (d x n) times M (n x l) -> d x l; four rows of X per pass over a row of out. */
function transposeTimes(X: Float32Array, n: number, d: number, M: Float64Array, l: number): Float64Array {
  const out = new Float64Array(d * l);
  let i = 0;
  for (; i + 3 < n; i += 4) {
    const m0 = i * l, m1 = m0 + l, m2 = m1 + l, m3 = m2 + l;
    const r0 = i * d, r1 = r0 + d, r2 = r1 + d, r3 = r2 + d;
    for (let t = 0; t < d; t++) {
      const x0 = X[r0 + t], x1 = X[r1 + t], x2 = X[r2 + t], x3 = X[r3 + t];
      const o = t * l;
      for (let a = 0; a < l; a++) out[o + a] += x0 * M[m0 + a] + x1 * M[m1 + a] + x2 * M[m2 + a] + x3 * M[m3 + a];
    }
  }
  for (; i < n; i++) {
    const m = i * l;
    for (let t = 0; t < d; t++) {
      const x = X[i * d + t];
      const o = t * l;
      for (let a = 0; a < l; a++) out[o + a] += x * M[m + a];
    }
  }
  return out;
}

/** Orthonormal columns (modified Gram–Schmidt, twice) of an r x c matrix, in place. */
function orthonormalize(A: Float64Array, r: number, c: number): Float64Array {
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < c; a++) {
      for (let b = 0; b < a; b++) {
        let dotab = 0;
        for (let i = 0; i < r; i++) dotab += A[i * c + a] * A[i * c + b];
        for (let i = 0; i < r; i++) A[i * c + a] -= dotab * A[i * c + b];
      }
      let norm = 0;
      for (let i = 0; i < r; i++) norm += A[i * c + a] * A[i * c + a];
      norm = Math.sqrt(norm);
      for (let i = 0; i < r; i++) A[i * c + a] = norm > 1e-300 ? A[i * c + a] / norm : 0;
    }
  }
  return A;
}

/** Eigen-decomposition of a small symmetric matrix by cyclic Jacobi rotations. vectors[:, e] is column e. */
export function symmetricEigen(S: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const A = Float64Array.from(S);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    let diag = 0;
    for (let p = 0; p < m; p++) {
      diag += A[p * m + p] * A[p * m + p];
      for (let q = p + 1; q < m; q++) off += A[p * m + q] * A[p * m + q];
    }
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * m + q] - A[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p];
          const akq = A[k * m + q];
          A[k * m + p] = c * akp - s * akq;
          A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k];
          const aqk = A[q * m + k];
          A[p * m + k] = c * apk - s * aqk;
          A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p];
          const vkq = V[k * m + q];
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(m);
  for (let i = 0; i < m; i++) values[i] = A[i * m + i];
  return { values, vectors: V };
}
