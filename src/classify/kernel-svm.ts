/**
 * RBF-kernel SVM for many classes: scikit-learn's `SVC(kernel='rbf')`, i.e. libsvm's C-SVC with
 * one binary SVM per pair of classes and a vote (the authors' `SVC(kernel='rbf', C=10)`).
 *
 * Same model as libsvm, computed differently where it is faster:
 * - the kernel matrix of the training rows comes from BLAS in blocks (gram.ts) — once per fit,
 *   shared by the k(k−1)/2 binary problems — instead of one value at a time;
 * - each binary problem runs libsvm's SMO step for step (smo.ts: WSS3, shrinking, ρ), so the
 *   dual solutions, intercepts and votes are libsvm's up to float32 rounding of the kernel;
 * - prediction takes the kernel between test rows and the support vectors from BLAS too.
 * Training sets whose n x n kernel does not fit in `cacheSize` (IEMOCAP-sized) use libsvm's
 * column cache instead, filled a block of columns at a time.
 *
 * @example
 * const svm = await kernelSvm({ C: 10, gamma: 'auto' }).fit(train);
 * const yPred = svm.predict(test.x); // Int32Array, one class index per row
 */
import * as path from 'node:path';
import { loadNative } from '../backend/native';
import { checkEveryClassPresent } from '../data/folds';
import { classCounts, type Dataset } from '../data/dataset';
import { checkOptionKeys, DataError, NotFittedError, OptionError } from '../util/errors';
import type { Classifier } from './classifier';
import { checkClassWeightSpec, resolveClassWeights, type ClassWeightSpec } from './class-weights';
import { CachedColumns, GramMatrix, RbfRows, squaredNorms, type KernelColumns } from './gram';
import {
  CLASSIFIER_FORMAT, CLASSIFIER_MANIFEST_VERSION, readArrayFile, writeArrayFile, writeClassifierManifest,
  type ClassifierManifest,
} from './io';
import { libsvmMaxIter, solveSmo } from './smo';

/** γ of the RBF kernel: `'scale'` = 1 / (d · Var(X)), `'auto'` = 1 / d, or a positive number. */
export type GammaSpec = 'scale' | 'auto' | number;

export interface KernelSvmOptions {
  /**
   * The kernel: only `'rbf'`, K(x, z) = exp(−γ‖x − z‖²) (scikit-learn's `kernel`). The key lets
   * `makeClassifier('svm', { kernel: 'rbf' })` choose this class over the linear SVM. Default `'rbf'`.
   */
  kernel: 'rbf';
  /** Cost C of a margin violation (scikit-learn's `C`, libsvm's `-c`). Default 1, as `SVC()`. */
  C: number;
  /**
   * γ of the kernel (scikit-learn's `gamma`): `'scale'` = 1 / (d · Var(X)) with the variance of
   * all training values (1 when that variance is 0), `'auto'` = 1 / d, or a positive number.
   * Default `'scale'`, as `SVC()`.
   */
  gamma: GammaSpec;
  /**
   * Class weights multiplying C per class (scikit-learn's `class_weight`, libsvm's `-wi`):
   * `'none'`, `'balanced'` (n / (k·n_c)), `'max-ratio'` (n_max / n_c, the paper's Section IV-D)
   * or one number per class. Default `'none'`, as `SVC()`.
   */
  classWeight: ClassWeightSpec;
  /** Stop a binary problem when its maximal KKT violation is below this (libsvm's `-e`, scikit-learn's `tol`). Default 1e-3. */
  tolerance: number;
  /** Shrink the active set during SMO (libsvm's `-h`, scikit-learn's `shrinking`): same solution, fewer operations. Default true. */
  shrinking: boolean;
  /**
   * SMO iterations per binary problem before giving up (reported in `fitInfo`). `'auto'`:
   * libsvm's cap max(10⁷, 100·rows of the problem) (scikit-learn's default has none). Default `'auto'`.
   */
  maxIter: 'auto' | number;
  /**
   * Megabytes for kernel values during `fit` (libsvm's `-m`, scikit-learn's `cache_size`, whose
   * default is 200). When the n x n float32 kernel matrix of the training rows fits, it is
   * computed once and shared by all pairs of classes; otherwise each pair keeps libsvm's cache of
   * recently used columns in this budget. Default 1024: the matrix of 5,346 rows (EmoDB fold +
   * 10 augmented sets, 114 MB) fits; 50,000 rows (IEMOCAP-sized) use the cache.
   */
  cacheSize: number;
  /**
   * Accepted so that every classifier takes the experiment runner's seed; the solver is
   * deterministic (libsvm's C-SVC draws no random numbers without probability estimates), so
   * the seed changes nothing. Default 0.
   */
  seed: number;
}

/** Defaults of {@link KernelSvmOptions}: scikit-learn's `SVC()` where it has the option. */
export const KERNEL_SVM_DEFAULTS: Readonly<KernelSvmOptions> = Object.freeze({
  kernel: 'rbf',
  C: 1,
  gamma: 'scale',
  classWeight: 'none',
  tolerance: 1e-3,
  shrinking: true,
  maxIter: 'auto',
  cacheSize: 1024,
  seed: 0,
});

/**
 * Columns a kernel cache computes per miss on BLAS: the missing one and the 7 likeliest next.
 * One GEMM reads the problem's rows once for all of them, so a block costs little more than a
 * column; more look-ahead guesses wrong more often. Measured on 5,346 EmoDB rows with 10 MB of
 * cache (about a quarter of each problem's columns): CPU seconds 30 (1 column per miss), 15 (4),
 * 17 (8), 18 (16), 40 (64). The JS loop has no such fixed cost: 1 there.
 */
const CACHE_BLOCK = 8;
/** Test rows x support vectors per kernel block at prediction (floats). */
const PREDICT_BLOCK_FLOATS = 1 << 22;

/** What fitting did. */
export interface KernelSvmFitInfo {
  /** One entry per pair of classes, in libsvm's order (0,1), (0,2), …, (1,2), … */
  problems: {
    positive: number;
    negative: number;
    rows: number;
    iterations: number;
    converged: boolean;
    /** Rows with α > 0 in this problem. */
    supportVectors: number;
    /** Of those, rows with α at its bound C_i. */
    boundedSupportVectors: number;
    /** Dual objective at the solution (libsvm's `obj`). */
    objective: number;
    rho: number;
  }[];
  /** Binary problems that hit `maxIter` before the tolerance was met. */
  notConverged: number;
  /** γ used (the option resolved on the training rows). */
  gamma: number;
  /** Distinct training rows that are a support vector of some pair. */
  supportVectors: number;
  kernel: {
    /** `'gram'`: the full matrix, shared; `'cache'`: libsvm's column cache per pair. */
    storage: 'gram' | 'cache';
    /** Bytes of kernel values held at once. */
    bytes: number;
    /** `'native'`: dot products by the BLAS addon; `'js'`: the JS loop. */
    compute: 'native' | 'js';
    /** BLAS threads (0 for the JS loop). */
    threads: number;
    /** Columns of kernel values computed (the Gram matrix: n; the cache: summed over pairs, recomputations included). */
    columnsComputed: number;
    /** Seconds spent computing kernel values (included in `seconds`). */
    seconds: number;
  };
  seconds: number;
}

/** The fitted model, in libsvm's (and scikit-learn's) layout. */
interface KernelSvmState {
  d: number;
  k: number;
  classes: readonly string[];
  gamma: number;
  /** Support vectors grouped by class (class order, training order within a class), with norms. */
  sv: RbfRows;
  /** Support vectors per class (scikit-learn's `n_support_`). */
  nSupport: Int32Array;
  /** Training row of each support vector (scikit-learn's `support_`). */
  support: Int32Array;
  /** (k − 1) x nSV: libsvm's `sv_coef`, scikit-learn's `dual_coef_` (α_i y_i per pair). */
  dualCoef: Float64Array;
  /** ρ per pair: decision = Σ coef·K − ρ (scikit-learn's `intercept_` = −ρ). */
  rho: Float64Array;
  classWeights: Float64Array;
}

export class KernelSvm implements Classifier {
  readonly name = 'svm';
  readonly options: Readonly<KernelSvmOptions>;
  /** Set by `fit`. */
  fitInfo?: KernelSvmFitInfo;
  private state?: KernelSvmState;

  constructor(options: Partial<KernelSvmOptions> = {}) {
    checkOptionKeys('svm', options, KERNEL_SVM_DEFAULTS);
    const o = { ...KERNEL_SVM_DEFAULTS, ...options };
    if (o.kernel !== 'rbf') throw new OptionError('svm.kernel', o.kernel, `'rbf' (the linear SVM is LinearSvm: makeClassifier('svm', { kernel: 'linear' }))`);
    if (!(typeof o.C === 'number' && o.C > 0 && Number.isFinite(o.C))) throw new OptionError('svm.C', o.C, 'a positive number');
    if (!(o.gamma === 'scale' || o.gamma === 'auto' || (typeof o.gamma === 'number' && o.gamma > 0 && Number.isFinite(o.gamma)))) {
      throw new OptionError('svm.gamma', o.gamma, `'scale', 'auto' or a positive number`);
    }
    checkClassWeightSpec('svm.classWeight', o.classWeight);
    if (!(typeof o.tolerance === 'number' && o.tolerance > 0 && Number.isFinite(o.tolerance))) throw new OptionError('svm.tolerance', o.tolerance, 'a positive number');
    if (typeof o.shrinking !== 'boolean') throw new OptionError('svm.shrinking', o.shrinking, 'true or false');
    if (!(o.maxIter === 'auto' || (Number.isInteger(o.maxIter) && o.maxIter > 0))) throw new OptionError('svm.maxIter', o.maxIter, `'auto' or a positive integer`);
    if (!(typeof o.cacheSize === 'number' && o.cacheSize > 0 && Number.isFinite(o.cacheSize))) throw new OptionError('svm.cacheSize', o.cacheSize, 'a positive number of megabytes');
    if (!(typeof o.seed === 'number' && Number.isFinite(o.seed))) throw new OptionError('svm.seed', o.seed, 'a finite number');
    if (Array.isArray(o.classWeight)) o.classWeight = Object.freeze([...o.classWeight]);
    this.options = Object.freeze(o);
  }

  /** Fit one binary SVM per pair of classes on the training rows. */
  async fit(train: Dataset): Promise<this> {
    const t0 = performance.now();
    const { x, d, n, y } = train;
    const k = train.classes.length;
    if (k < 2) throw new DataError(train.name, `a classifier needs at least 2 classes, got ${k} (${train.classes.join(', ')})`);
    checkEveryClassPresent(train, 'svm.fit');
    const o = this.options;
    const counts = classCounts(train);
    const classWeights = resolveClassWeights(o.classWeight, counts, 'svm.classWeight');
    const gamma = resolveGamma(o.gamma, x, d);

    // libsvm groups the rows by class (scikit-learn sorts the labels), keeping their order within a class
    const start = new Int32Array(k);
    for (let c = 1; c < k; c++) start[c] = start[c - 1] + counts[c - 1];
    const perm = new Int32Array(n); // class-sorted position → training row
    const next = start.slice();
    for (let i = 0; i < n; i++) perm[next[y[i]]++] = i;

    const blas = loadNative().addon;
    const tk = performance.now();
    const rows = new RbfRows(x, d, gamma, blas, perm);
    const budget = o.cacheSize * 2 ** 20;
    const gram = n * n * 4 <= budget ? new GramMatrix(rows) : undefined;
    let kernelSeconds = (performance.now() - tk) / 1000;
    let columnsComputed = gram ? n : 0;
    let maxL = 0;
    for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) maxL = Math.max(maxL, counts[a] + counts[b]);
    const pool = gram ? undefined : new Float32Array(CachedColumns.poolFloats(maxL, budget, CACHE_BLOCK));

    const m = (k * (k - 1)) / 2;
    const coefOf: Float64Array[] = []; // α_i y_i per problem row, per pair
    const rho = new Float64Array(m);
    const nonzero = new Uint8Array(n); // by class-sorted position
    const problems: KernelSvmFitInfo['problems'] = [];
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const ca = counts[a];
        const l = ca + counts[b];
        const sign = new Int8Array(l);
        const cost = new Float64Array(l);
        const stored = new Int32Array(l);
        for (let r = 0; r < l; r++) {
          const pos = r < ca ? start[a] + r : start[b] + r - ca;
          stored[r] = pos;
          sign[r] = r < ca ? 1 : -1;
          cost[r] = o.C * classWeights[r < ca ? a : b];
        }
        const cache = gram ? undefined : new CachedColumns(rows, [[start[a], ca], [start[b], l - ca]], pool!, blas ? CACHE_BLOCK : 1);
        const columns: KernelColumns = cache ?? gram!.columns(stored);
        const sol = solveSmo(
          { y: sign, C: cost, QD: new Float64Array(l).fill(1), kernel: columns },
          { eps: o.tolerance, shrinking: o.shrinking, maxIter: o.maxIter === 'auto' ? libsvmMaxIter(l) : o.maxIter },
        );
        if (cache) {
          kernelSeconds += cache.seconds;
          columnsComputed += cache.computed;
        }
        const coef = new Float64Array(l);
        let sv = 0;
        let bounded = 0;
        for (let r = 0; r < l; r++) {
          const al = sol.alpha[r];
          if (al > 0) {
            sv++;
            if (al >= cost[r]) bounded++;
            nonzero[stored[r]] = 1;
          }
          coef[r] = al * sign[r];
        }
        rho[coefOf.length] = sol.rho;
        coefOf.push(coef);
        problems.push({
          positive: a, negative: b, rows: l, iterations: sol.iterations, converged: sol.converged,
          supportVectors: sv, boundedSupportVectors: bounded, objective: sol.objective, rho: sol.rho,
        });
      }
    }

    // libsvm's model: the union of support vectors by class, coefficients in (k − 1) rows
    const nSupport = new Int32Array(k);
    for (let c = 0; c < k; c++) for (let r = 0; r < counts[c]; r++) nSupport[c] += nonzero[start[c] + r];
    const svPositions: number[] = [];
    for (let p = 0; p < n; p++) if (nonzero[p]) svPositions.push(p);
    const nsv = svPositions.length;
    const svStart = new Int32Array(k);
    for (let c = 1; c < k; c++) svStart[c] = svStart[c - 1] + nSupport[c - 1];
    const dualCoef = new Float64Array(Math.max(0, k - 1) * nsv);
    let p = 0;
    for (let a = 0; a < k; a++) {
      for (let b = a + 1; b < k; b++) {
        const coef = coefOf[p++];
        const ca = counts[a];
        // coefficients of class a's rows go to row b − 1, of class b's rows to row a
        let q = svStart[a];
        for (let r = 0; r < ca; r++) if (nonzero[start[a] + r]) dualCoef[(b - 1) * nsv + q++] = coef[r];
        q = svStart[b];
        for (let r = 0; r < counts[b]; r++) if (nonzero[start[b] + r]) dualCoef[a * nsv + q++] = coef[ca + r];
      }
    }
    const support = Int32Array.from(svPositions, (pos) => perm[pos]);
    const sv = rows.keep(svPositions);
    this.state = { d, k, classes: train.classes, gamma, sv, nSupport, support, dualCoef, rho, classWeights };
    this.fitInfo = {
      problems,
      notConverged: problems.filter((q) => !q.converged).length,
      gamma,
      supportVectors: nsv,
      kernel: {
        storage: gram ? 'gram' : 'cache',
        bytes: gram ? gram.bytes : pool!.byteLength,
        compute: blas ? 'native' : 'js',
        threads: blas ? blas.getThreads() : 0,
        columnsComputed,
        seconds: kernelSeconds,
      },
      seconds: (performance.now() - t0) / 1000,
    };
    return this;
  }

  /**
   * Decision values, row-major n x k(k−1)/2, pairs in libsvm's order (0,1), (0,2), …, (1,2), …:
   * Σ_s coef_s K(x, sv_s) − ρ over the support vectors of the pair's two classes; positive
   * favours the pair's first class. For k > 2 these are scikit-learn's
   * `decision_function` with `decision_function_shape='ovo'`; for k = 2 scikit-learn flips the sign.
   */
  decisionFunction(x: Float32Array): Float64Array {
    const s = this.fitted('decisionFunction');
    const nt = this.rowsOf(x, s.d, 'decisionFunction');
    const { k, d } = s;
    const m = (k * (k - 1)) / 2;
    const nsv = s.sv.n;
    const out = new Float64Array(nt * m);
    const svStart = new Int32Array(k);
    for (let c = 1; c < k; c++) svStart[c] = svStart[c - 1] + s.nSupport[c - 1];
    const chunk = Math.max(1, Math.min(nt, Math.floor(PREDICT_BLOCK_FLOATS / Math.max(1, nsv))));
    const kv = new Float32Array(chunk * nsv);
    const at = Float64Array.from({ length: chunk }, (_, r) => r * nsv);
    for (let t0 = 0; t0 < nt; t0 += chunk) {
      const t1 = Math.min(nt, t0 + chunk);
      const q = x.subarray(t0 * d, t1 * d);
      s.sv.cross(q, squaredNorms(q, d), 0, nsv, kv, at);
      for (let t = t0; t < t1; t++) {
        const kb = (t - t0) * nsv;
        let p = 0;
        for (let a = 0; a < k; a++) {
          for (let b = a + 1; b < k; b++) {
            // as libsvm's svm_predict_values: class a's terms, then class b's, then − ρ
            let sum = 0;
            const ca = (b - 1) * nsv;
            for (let v = svStart[a], e = v + s.nSupport[a]; v < e; v++) sum += s.dualCoef[ca + v] * kv[kb + v];
            const cb = a * nsv;
            for (let v = svStart[b], e = v + s.nSupport[b]; v < e; v++) sum += s.dualCoef[cb + v] * kv[kb + v];
            out[t * m + p] = sum - s.rho[p];
            p++;
          }
        }
      }
    }
    return out;
  }

  /** One class index per row of `x` (n x d, the fitted dimension): the one-vs-one vote, ties to the lowest class index (libsvm). */
  predict(x: Float32Array): Int32Array {
    const s = this.fitted('predict');
    const dec = this.decisionFunction(x);
    const { k } = s;
    const m = (k * (k - 1)) / 2;
    const n = dec.length / m;
    const out = new Int32Array(n);
    const votes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      votes.fill(0);
      let p = 0;
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) votes[dec[i * m + p++] > 0 ? a : b]++;
      let best = 0;
      for (let c = 1; c < k; c++) if (votes[c] > votes[best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** The fitted model in scikit-learn's names, for inspection (arrays are the model's own: do not modify). */
  get model(): {
    classes: readonly string[];
    gamma: number;
    supportVectors: Float32Array;
    support: Int32Array;
    nSupport: Int32Array;
    dualCoef: Float64Array;
    intercept: Float64Array;
    classWeights: Float64Array;
  } {
    const s = this.fitted('model');
    return {
      classes: s.classes, gamma: s.gamma, supportVectors: s.sv.rows, support: s.support, nSupport: s.nSupport,
      dualCoef: s.dualCoef, intercept: s.rho.map((r) => -r), classWeights: s.classWeights,
    };
  }

  /**
   * Write the fitted model to `dir`: `classifier.json` (options, classes, γ, ρ, support counts
   * and indices) and two little-endian arrays, `support-vectors.f32` (nSV x d) and
   * `dual-coef.f64` ((k − 1) x nSV). `loadClassifier(dir)` rebuilds it.
   */
  async save(dir: string): Promise<void> {
    const s = this.fitted('save');
    const nsv = s.sv.n;
    const supportVectors = writeArrayFile(dir, 'support-vectors.f32', s.sv.rows, [nsv, s.d]);
    const dualCoef = writeArrayFile(dir, 'dual-coef.f64', s.dualCoef, [s.k - 1, nsv]);
    const manifest: ClassifierManifest = {
      format: CLASSIFIER_FORMAT,
      version: CLASSIFIER_MANIFEST_VERSION,
      kind: 'kernel-svm',
      options: { ...this.options } as Record<string, unknown>,
      classes: [...s.classes],
      d: s.d,
      gamma: s.gamma,
      rho: Array.from(s.rho),
      nSupport: Array.from(s.nSupport),
      support: Array.from(s.support),
      classWeights: Array.from(s.classWeights),
      files: { supportVectors, dualCoef },
      fitInfo: this.fitInfo,
    };
    writeClassifierManifest(dir, manifest);
  }

  /** Rebuild a fitted model from a manifest `loadClassifier` has read (and checked in its common part). */
  static fromManifest(dir: string, m: ClassifierManifest, file = path.join(dir, 'classifier.json')): KernelSvm {
    let svm: KernelSvm;
    try {
      svm = new KernelSvm(m.options as Partial<KernelSvmOptions>);
    } catch (e) {
      throw new DataError(file, `options: ${(e as Error).message}`);
    }
    const k = m.classes.length;
    const { d } = m;
    const gamma = m.gamma;
    if (!(typeof gamma === 'number' && gamma > 0 && Number.isFinite(gamma))) throw new DataError(file, `gamma ${JSON.stringify(gamma)} is not a positive number`);
    const ints = (name: string, len: number): Int32Array => {
      const v = m[name];
      if (!Array.isArray(v) || v.length !== len || !v.every((e) => Number.isInteger(e) && e >= 0)) throw new DataError(file, `${name} must be ${len} non-negative integers`);
      return Int32Array.from(v as number[]);
    };
    const nums = (name: string, len: number): Float64Array => {
      const v = m[name];
      if (!Array.isArray(v) || v.length !== len || !v.every((e) => typeof e === 'number' && Number.isFinite(e))) throw new DataError(file, `${name} must be ${len} finite numbers`);
      return Float64Array.from(v as number[]);
    };
    const nSupport = ints('nSupport', k);
    const nsv = nSupport.reduce((a, b) => a + b, 0);
    const support = ints('support', nsv);
    const rho = nums('rho', (k * (k - 1)) / 2);
    const classWeights = nums('classWeights', k);
    const svx = readArrayFile(dir, m.files.supportVectors, 'supportVectors', file);
    const dualCoef = readArrayFile(dir, m.files.dualCoef, 'dualCoef', file);
    if (!(svx instanceof Float32Array) || svx.length !== nsv * d) throw new DataError(path.join(dir, m.files.supportVectors.file), `expected float32 [${nsv}, ${d}] (the support counts and d of the manifest)`);
    if (!(dualCoef instanceof Float64Array) || dualCoef.length !== (k - 1) * nsv) throw new DataError(path.join(dir, m.files.dualCoef.file), `expected float64 [${k - 1}, ${nsv}]`);
    svm.state = {
      d, k, classes: [...m.classes], gamma, sv: new RbfRows(svx, d, gamma, loadNative().addon),
      nSupport, support, dualCoef, rho, classWeights,
    };
    svm.fitInfo = m.fitInfo as KernelSvmFitInfo | undefined;
    return svm;
  }

  private fitted(verb: string): KernelSvmState {
    if (!this.state) throw new NotFittedError('svm', verb);
    return this.state;
  }

  private rowsOf(x: Float32Array, d: number, verb: string): number {
    if (!(x instanceof Float32Array)) throw new TypeError(`svm.${verb}: x must be a Float32Array (row-major n x ${d})`);
    if (x.length % d !== 0) {
      throw new DataError('svm', `${verb}: x has length ${x.length}, not a multiple of the fitted dimension ${d} (expected n x ${d} features)`);
    }
    return x.length / d;
  }
}

/**
 * γ as scikit-learn resolves it on the training rows x (n x d): `'auto'` → 1/d, `'scale'` →
 * 1/(d · Var(x)) with the population variance of all n·d values (1 when it is 0), a number as is.
 */
export function resolveGamma(spec: GammaSpec, x: Float32Array, d: number): number {
  if (typeof spec === 'number') return spec;
  if (spec === 'auto') return 1 / d;
  const N = x.length;
  let sum = 0;
  for (let i = 0; i < N; i++) sum += x[i];
  const mean = sum / N;
  let ss = 0;
  for (let i = 0; i < N; i++) {
    const t = x[i] - mean;
    ss += t * t;
  }
  const variance = ss / N;
  return variance === 0 ? 1 : 1 / (d * variance);
}

/** An RBF-kernel SVM (notebook-friendly factory): `await kernelSvm({ C: 10, gamma: 'auto' }).fit(train)`. */
export function kernelSvm(options: Partial<KernelSvmOptions> = {}): KernelSvm {
  return new KernelSvm(options);
}
