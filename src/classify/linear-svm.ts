/**
 * Linear SVM for many classes, with class weights: the SVM the paper's text names (Section V,
 * "linear SVM"), as scikit-learn's `SVC(kernel='linear')` (libsvm, one-vs-one). The paper's SVM
 * numbers (its baseline, WA 80.56 %) come from the authors' RBF `SVC(C=10, gamma='auto')` instead:
 * kernel-svm.ts, the code protocol's SVM.
 *
 * Each binary problem is solved by dual coordinate descent (liblinear's hinge-loss dual solver,
 * `dual-cd.ts`), which costs O(rows · d) per pass and never forms a kernel matrix, so
 * 11 x 480 training rows of 4354 features (real + 10 augmented sets) stay fast. A problem still
 * short of the tolerance after `greedyAfter` passes (an AAE's synthetic rows) is solved by greedy
 * coordinate descent on its Gram matrix instead (`dual-greedy.ts`), or, with `fallback:
 * 'interior-point'`, by an interior-point method on the normal equations (`dual-ipm.ts`).
 * bench/svm-compare.ts measures it against libsvm-js and ml-svm on EmoDB.
 *
 * The greedy solver's Gram matrix is a GEMM (the interior point's normal matrix a dsyrk), whose
 * rounding depends on the BLAS thread count, so a problem that moves to it can end at another
 * point within the tolerance at 2 threads than at 1 (IEMOCAP fold 1 + 1 noise set, greedy:
 * 47.86 UAR at one thread, 47.59 at two). Dual coordinate
 * descent does not use the BLAS. `reproduce --jobs N` gives each worker cores / N threads (one
 * each for the grids here, run with --jobs 2 on two cores).
 *
 * @example
 * const svm = await linearSvm({ C: 1, classWeight: 'balanced' }).fit(train);
 * const yPred = svm.predict(test.x); // Int32Array, one class index per row
 */
import { checkEveryClassPresent } from '../data/folds';
import { classCounts, type Dataset } from '../data/dataset';
import { checkOptionKeys, DataError, NotFittedError, OptionError } from '../util/errors';
import { Random } from '../util/random';
import type { Classifier } from './classifier';
import { checkClassWeightSpec, resolveClassWeights, type ClassWeightSpec } from './class-weights';
import { loadNative } from '../backend/native';
import { dotRow, solveBinaryDual, type BinaryModel } from './dual-cd';
import { solveBinaryGreedy } from './dual-greedy';
import { solveBinaryInteriorPoint } from './dual-ipm';
import { centredGram, centredGramBytes } from './gram';
import { CLASSIFIER_FORMAT, CLASSIFIER_MANIFEST_VERSION, readArrayFile, writeArrayFile, writeClassifierManifest, type ClassifierManifest } from './io';

export interface LinearSvmOptions {
  /** Cost C of a margin violation (scikit-learn's `C`). Default 1, as `SVC()`. */
  C: number;
  /**
   * Class weights multiplying C per class (scikit-learn's `class_weight`): `'none'`,
   * `'balanced'` (n / (k·n_c)), `'nmax'` (n_max / n_c, the paper's Section IV-D) or one
   * number per class. Default `'none'`, as `SVC()`.
   */
  classWeight: ClassWeightSpec;
  /**
   * `'ovo'`: one binary SVM per pair of classes and a vote (libsvm and `SVC`); ties go to the
   * lower class index, as in libsvm. `'ovr'`: one per class against the rest, largest score
   * wins (liblinear and `LinearSVC`). Default `'ovo'`.
   */
  multiclass: 'ovo' | 'ovr';
  /**
   * Value B of the constant feature whose weight is the intercept (liblinear's `-B`); 0 fits
   * no intercept. The intercept is regularised as b²/(2B²), so a larger B comes closer to
   * libsvm's (SVC's) unregularised one, at some cost in passes when B is much larger than the
   * rows' norms. Default 10: on EmoDB IS11 (leave-one-speaker-out, 535 pooled predictions) it
   * agrees with libsvm on 507 rows against 501 for B = 1, at the same cost (B = 100: 522, but
   * up to 3x the passes on the real rows alone).
   */
  bias: number;
  /**
   * Stop a binary problem when the spread of its projected dual gradient is at most this
   * (liblinear's `-e`, whose default for this solver is 0.1). Default 0.1.
   */
  tolerance: number;
  /** Passes over the rows per binary problem before giving up (reported in `fitInfo`). Default 1000. */
  maxIter: number;
  /**
   * Passes of dual coordinate descent after which a binary problem that has not met the
   * tolerance is solved again, from α = 0, by greedy coordinate descent on its Gram matrix
   * (dual-greedy.ts: the same dual and stopping rule, at most `maxIter` x rows steps). Rows that
   * random passes crawl on then converge. Measured on EmoDB fold 1 with 10 synthetic sets, one
   * BLAS thread (BENCHMARKS.md): an AAE's rows left 11 of 21 problems unconverged after 1,000
   * passes (127 s); moved after 30 passes, all 21 converge, in 23 s (scikit-learn's
   * `SVC(kernel='linear')` on the same rows: 22.5 s). EmoDB's real rows converge in at most 16
   * passes, so their models are exactly those of dual coordinate descent alone; cGAN's, ADAN's
   * and WADAN's 10 sets move 1-3 problems (up to 1.6 s more) and predict the same test rows.
   * On IEMOCAP's rows, which are not separable, every problem moves and the switch costs 1.7-3.3x
   * the seconds for one to three more converged problems: `maxIter` there gives liblinear's speed.
   * 0: greedy from the start; `maxIter` or more: never. Default 30.
   */
  greedyAfter: number;
  /**
   * Megabytes a problem's greedy solve may hold (its l x l float32 Gram matrix, its l centred
   * rows and a GEMM block): larger problems keep to dual coordinate descent and `maxIter`.
   * EmoDB's largest (two classes of a fold + 10 sets, ~2,100 rows) need ~57 MB; an IEMOCAP pair
   * of 20,000 rows would need 1.8 GB. Default 1024.
   */
  greedyMemory: number;
  /**
   * Let the greedy solver take libsvm's pair steps beside its single ones (dual-greedy.ts
   * `scanPairsAndStep`): the same problem and stopping rule, a different path to it. On rows that
   * are not separable single steps crawl: IEMOCAP fold 1, happy against neutral (2,682 real rows)
   * stopped at its cap of 2.68 M steps short of the tolerance (29 s), and meets it in 0.43 M
   * steps with them (10 s; BENCHMARKS.md, "Linear SVM: pair steps"). Default false: the committed EmoDB
   * grids were computed without them, and a store's keys do not name defaults, so a new default
   * would mix two solvers' units in one store. The paper protocol sets it for IEMOCAP
   * (src/protocol/protocols.ts), whose grid has not run.
   */
  greedyPairs: boolean;
  /**
   * What solves a problem that dual coordinate descent leaves short of the tolerance after
   * `greedyAfter` passes. `'greedy'`: greedy coordinate descent on its Gram matrix, while that
   * fits `greedyMemory` (above it, dual coordinate descent goes on to `maxIter`). `'interior-point'`:
   * a primal-dual interior-point method on the (d+1) x (d+1) normal equations (dual-ipm.ts),
   * whose cost grows linearly with the rows and does not depend on their conditioning, then
   * dual coordinate descent from its point to the same stopping rule; no memory limit but d².
   * On IEMOCAP fold 1 with 10 noise sets (48,906 rows), greedy-or-passes left 5 of 6 problems at
   * the 1,000-pass cap; this converges all six (BENCHMARKS.md, "Linear SVM: an interior point").
   * Default `'greedy'`: the committed EmoDB grids' solver (a store's keys do not name defaults).
   */
  fallback: 'greedy' | 'interior-point';
  /** Seed for the random order of coordinates (results are identical for the same seed). Default 0. */
  seed: number;
}

/** Defaults of {@link LinearSvmOptions}: scikit-learn's `SVC(kernel='linear')` where it has the option (C, class weights, one-vs-one). */
export const LINEAR_SVM_DEFAULTS: Readonly<LinearSvmOptions> = Object.freeze({
  C: 1,
  classWeight: 'none',
  multiclass: 'ovo',
  bias: 10,
  tolerance: 0.1,
  maxIter: 1000,
  greedyAfter: 30,
  greedyMemory: 1024,
  greedyPairs: false,
  fallback: 'greedy',
  seed: 0,
});

/** What fitting did: one entry per binary problem. */
export interface LinearSvmFitInfo {
  problems: {
    positive: number; negative: number; rows: number;
    /** Passes of dual coordinate descent. */
    iterations: number;
    /** Steps of the greedy solver, when the problem moved to it (`greedyAfter`), else 0. */
    greedySteps: number;
    /** Newton steps of the interior-point solver, when the problem moved to it (`fallback`), else 0. */
    interiorPointSteps: number;
    /** Share of the problem's α at their upper bound (C times the row's class weight) when dual coordinate descent stopped. */
    boundShare: number;
    converged: boolean; supportVectors: number;
  }[];
  /** Binary problems that ended short of the tolerance (`maxIter` passes, or `maxIter` x rows greedy steps). */
  notConverged: number;
  seconds: number;
}

interface LinearSvmState {
  d: number;
  k: number;
  classes: readonly string[];
  /** Binary models, row-major m x d. */
  w: Float64Array;
  b: Float64Array;
  /** OvO: the class voted for by a positive (pos) or negative (neg) score of model m. OvR: pos = class, neg = -1. */
  pos: Int32Array;
  neg: Int32Array;
  classWeights: Float64Array;
}

export class LinearSvm implements Classifier {
  readonly name = 'svm';
  readonly options: Readonly<LinearSvmOptions>;
  /** Set by `fit`. */
  fitInfo?: LinearSvmFitInfo;
  private state?: LinearSvmState;

  /**
   * `kernel: 'linear'` may be given (so that `makeClassifier('svm', { kernel })` can choose
   * between this and the RBF `KernelSvm`); it is not stored in `options`, so a model given it
   * is the same, with the same options, as one without it.
   */
  constructor(options: Partial<LinearSvmOptions> & { kernel?: 'linear' } = {}) {
    const { kernel, ...rest } = options;
    if ('kernel' in options && kernel !== 'linear') {
      throw new OptionError('linearSvm.kernel', kernel, `'linear' (for the RBF kernel use makeClassifier('svm', { kernel: 'rbf' }) or kernelSvm())`);
    }
    options = rest;
    checkOptionKeys('linearSvm', options, LINEAR_SVM_DEFAULTS);
    const o = { ...LINEAR_SVM_DEFAULTS, ...options };
    if (!(typeof o.C === 'number' && o.C > 0 && Number.isFinite(o.C))) throw new OptionError('linearSvm.C', o.C, 'a positive number');
    checkClassWeightSpec('linearSvm.classWeight', o.classWeight);
    if (o.multiclass !== 'ovo' && o.multiclass !== 'ovr') throw new OptionError('linearSvm.multiclass', o.multiclass, `'ovo' or 'ovr'`);
    if (!(typeof o.bias === 'number' && o.bias >= 0 && Number.isFinite(o.bias))) throw new OptionError('linearSvm.bias', o.bias, 'a number >= 0');
    if (!(typeof o.tolerance === 'number' && o.tolerance > 0)) throw new OptionError('linearSvm.tolerance', o.tolerance, 'a positive number');
    if (!(Number.isInteger(o.maxIter) && o.maxIter > 0)) throw new OptionError('linearSvm.maxIter', o.maxIter, 'a positive integer');
    if (!(Number.isInteger(o.greedyAfter) && o.greedyAfter >= 0)) throw new OptionError('linearSvm.greedyAfter', o.greedyAfter, 'an integer >= 0');
    if (!(typeof o.greedyMemory === 'number' && o.greedyMemory >= 0)) throw new OptionError('linearSvm.greedyMemory', o.greedyMemory, 'a number of megabytes >= 0');
    if (typeof o.greedyPairs !== 'boolean') throw new OptionError('linearSvm.greedyPairs', o.greedyPairs, 'true or false');
    if (o.fallback !== 'greedy' && o.fallback !== 'interior-point') throw new OptionError('linearSvm.fallback', o.fallback, `'greedy' or 'interior-point'`);
    if (!Number.isFinite(o.seed)) throw new OptionError('linearSvm.seed', o.seed, 'a finite number');
    if (Array.isArray(o.classWeight)) o.classWeight = Object.freeze([...o.classWeight]);
    this.options = Object.freeze(o);
  }

  /** Fit one binary SVM per pair of classes (or per class) on the training rows. */
  async fit(train: Dataset): Promise<this> {
    const t0 = performance.now();
    const { x, d, n, y } = train;
    const k = train.classes.length;
    if (k < 2) throw new DataError(train.name, `a classifier needs at least 2 classes, got ${k} (${train.classes.join(', ')})`);
    checkEveryClassPresent(train, 'linearSvm.fit');
    const o = this.options;
    const counts = classCounts(train);
    const classWeights = resolveClassWeights(o.classWeight, counts, 'linearSvm.classWeight');

    const sqNorm = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = i * d, e = j + d; j < e; j++) s += x[j] * x[j];
      sqNorm[i] = s;
    }
    const byClass: number[][] = Array.from({ length: k }, () => []);
    for (let i = 0; i < n; i++) byClass[y[i]].push(i);

    const pairs: [number, number][] = [];
    if (o.multiclass === 'ovo') {
      for (let a = 0; a < k; a++) for (let b = a + 1; b < k; b++) pairs.push([a, b]);
    } else {
      for (let c = 0; c < k; c++) pairs.push([c, -1]);
    }
    const m = pairs.length;
    const W = new Float64Array(m * d);
    const B = new Float64Array(m);
    const root = new Random(o.seed);
    const problems: LinearSvmFitInfo['problems'] = [];
    pairs.forEach(([a, b], p) => {
      const rows = b >= 0 ? Int32Array.from([...byClass[a], ...byClass[b]]) : Int32Array.from({ length: n }, (_, i) => i);
      const sign = new Int8Array(rows.length);
      const cost = new Float64Array(rows.length);
      for (let r = 0; r < rows.length; r++) {
        const c = y[rows[r]];
        sign[r] = c === a ? 1 : -1;
        cost[r] = o.C * classWeights[c];
      }
      const problem = { x, d, rows, sign, cost, sqNorm, bias: o.bias };
      const ipm = o.fallback === 'interior-point' && o.greedyAfter < o.maxIter;
      const greedy = !ipm && o.greedyAfter < o.maxIter && centredGramBytes(rows.length, d) <= o.greedyMemory * 2 ** 20;
      const passes = greedy || ipm ? o.greedyAfter : o.maxIter;
      const random = root.derive(`problem ${a}/${b}`);
      let model: BinaryModel & { greedySteps?: number; interiorPointSteps?: number } = passes > 0
        ? solveBinaryDual(problem, { tolerance: o.tolerance, maxIter: passes, random })
        : { w: new Float64Array(0), b: 0, alpha: new Float64Array(0), iterations: 0, converged: false };
      const boundShare = shareAtBound(model.alpha, cost);
      if (!model.converged && ipm) {
        // an interior point near the optimum, then the passes' own stopping rule from there
        const point = solveBinaryInteriorPoint(problem, {}, loadNative().addon);
        const finish = solveBinaryDual(problem, { tolerance: o.tolerance, maxIter: o.maxIter, random, start: point.alpha });
        model = { ...finish, iterations: model.iterations + finish.iterations, interiorPointSteps: point.steps };
      } else if (!model.converged && greedy) {
        const blas = loadNative().addon;
        // the problem's own Gram matrix: one of all the rows, shared, cost more where only a few
        // problems move (cGAN's and ADAN's rows), and no less on AAE's, where all 21 do
        const g = solveBinaryGreedy(problem, centredGram(x, d, rows, blas), { tolerance: o.tolerance, maxSteps: o.maxIter * rows.length, pairs: o.greedyPairs }, blas);
        model = { ...g, iterations: model.iterations, greedySteps: g.steps };
      }
      W.set(model.w, p * d);
      B[p] = model.b;
      let sv = 0;
      for (const al of model.alpha) if (al > 0) sv++;
      problems.push({ positive: a, negative: b, rows: rows.length, iterations: model.iterations, greedySteps: model.greedySteps ?? 0, interiorPointSteps: model.interiorPointSteps ?? 0, boundShare, converged: model.converged, supportVectors: sv });
    });
    this.state = {
      d, k, classes: train.classes, w: W, b: B,
      pos: Int32Array.from(pairs, (q) => q[0]), neg: Int32Array.from(pairs, (q) => q[1]),
      classWeights,
    };
    this.fitInfo = { problems, notConverged: problems.filter((q) => !q.converged).length, seconds: (performance.now() - t0) / 1000 };
    return this;
  }

  /**
   * Scores of every binary model, row-major n x m: m = k(k−1)/2 pairs in order (0,1), (0,2), …
   * for `'ovo'` (positive favours the first class), m = k for `'ovr'`.
   */
  decisionFunction(x: Float32Array): Float64Array {
    const s = this.fitted('decisionFunction');
    const n = this.rowsOf(x, s.d, 'decisionFunction');
    const m = s.b.length;
    const out = new Float64Array(n * m);
    const { d } = s;
    for (let i = 0; i < n; i++) {
      const xi = x.subarray(i * d, (i + 1) * d);
      for (let p = 0; p < m; p++) out[i * m + p] = dotRow(s.w.subarray(p * d, (p + 1) * d), xi, 0, d) + s.b[p];
    }
    return out;
  }

  /** One class index per row of `x` (n x d, the fitted dimension). */
  predict(x: Float32Array): Int32Array {
    const s = this.fitted('predict');
    const scores = this.decisionFunction(x);
    const m = s.b.length;
    const n = scores.length / m;
    const out = new Int32Array(n);
    const votes = new Int32Array(s.k);
    for (let i = 0; i < n; i++) {
      let best = 0;
      if (s.neg[0] < 0) { // one-vs-rest: largest score
        for (let c = 1; c < m; c++) if (scores[i * m + c] > scores[i * m + best]) best = c;
        out[i] = s.pos[best];
      } else { // one-vs-one: vote, ties to the lower class (libsvm)
        votes.fill(0);
        for (let p = 0; p < m; p++) votes[scores[i * m + p] > 0 ? s.pos[p] : s.neg[p]]++;
        for (let c = 1; c < s.k; c++) if (votes[c] > votes[best]) best = c;
        out[i] = best;
      }
    }
    return out;
  }

  /**
   * Write the fitted model to `dir`: `classifier.json` (options, classes, pairs, class weights)
   * and `weights.f64` (m x d) and `intercepts.f64` (m). `loadClassifier(dir)` rebuilds it.
   */
  async save(dir: string): Promise<void> {
    const s = this.fitted('save');
    const m = s.b.length;
    const manifest: ClassifierManifest = {
      format: CLASSIFIER_FORMAT,
      version: CLASSIFIER_MANIFEST_VERSION,
      kind: 'linear-svm',
      options: { ...this.options } as Record<string, unknown>,
      classes: [...s.classes],
      d: s.d,
      pos: Array.from(s.pos),
      neg: Array.from(s.neg),
      classWeights: Array.from(s.classWeights),
      files: { weights: writeArrayFile(dir, 'weights.f64', s.w, [m, s.d]), intercepts: writeArrayFile(dir, 'intercepts.f64', s.b, [m]) },
      fitInfo: this.fitInfo,
    };
    writeClassifierManifest(dir, manifest);
  }

  /** Rebuild a fitted model from a manifest `loadClassifier` has read (and checked in its common part). */
  static fromManifest(dir: string, m: ClassifierManifest, file: string): LinearSvm {
    let svm: LinearSvm;
    try {
      svm = new LinearSvm(m.options as Partial<LinearSvmOptions>);
    } catch (e) {
      throw new DataError(file, `options: ${(e as Error).message}`);
    }
    const k = m.classes.length;
    const ints = (name: string): Int32Array => {
      const v = m[name];
      if (!Array.isArray(v) || !v.every((e) => Number.isInteger(e) && e >= -1 && e < k)) throw new DataError(file, `${name} must be class indices (or -1)`);
      return Int32Array.from(v as number[]);
    };
    const pos = ints('pos');
    const neg = ints('neg');
    const w = readArrayFile(dir, m.files.weights, 'weights', file);
    const b = readArrayFile(dir, m.files.intercepts, 'intercepts', file);
    if (b.length !== pos.length || neg.length !== pos.length || w.length !== pos.length * m.d) throw new DataError(file, `${pos.length} binary models named, but weights hold ${w.length / m.d} and intercepts ${b.length}`);
    const cw = m.classWeights;
    if (!Array.isArray(cw) || cw.length !== k) throw new DataError(file, `classWeights must be ${k} numbers`);
    svm.state = { d: m.d, k, classes: [...m.classes], w: Float64Array.from(w), b: Float64Array.from(b), pos, neg, classWeights: Float64Array.from(cw as number[]) };
    svm.fitInfo = (m.fitInfo as LinearSvmFitInfo | undefined) ?? undefined;
    return svm;
  }

  /** The learned weights (m x d), intercepts and per-class weights, for inspection. */
  get model(): { w: Float64Array; b: Float64Array; d: number; classes: readonly string[]; classWeights: Float64Array } {
    const s = this.fitted('model');
    return { w: s.w, b: s.b, d: s.d, classes: s.classes, classWeights: s.classWeights };
  }

  private fitted(verb: string): LinearSvmState {
    if (!this.state) throw new NotFittedError('linearSvm', verb);
    return this.state;
  }

  private rowsOf(x: Float32Array, d: number, verb: string): number {
    if (!(x instanceof Float32Array)) throw new TypeError(`linearSvm.${verb}: x must be a Float32Array (row-major n x ${d})`);
    if (x.length % d !== 0) {
      throw new DataError('linearSvm', `${verb}: x has length ${x.length}, not a multiple of the fitted dimension ${d} (expected n x ${d} features)`);
    }
    return x.length / d;
  }
}

/** A linear SVM (notebook-friendly factory): `await linearSvm({ C: 1 }).fit(train)`. */
export function linearSvm(options: Partial<LinearSvmOptions> = {}): LinearSvm {
  return new LinearSvm(options);
}

/** Share of `alpha` at its upper bound `cost` (0 for no rows). */
function shareAtBound(alpha: Float64Array, cost: Float64Array): number {
  let at = 0;
  for (let i = 0; i < alpha.length; i++) if (alpha[i] >= cost[i]) at++;
  return alpha.length ? at / alpha.length : 0;
}
