import { test } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadClassifier } from '../src/classify/index';
import assert from 'node:assert/strict';
import { makeDataset, type Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { loadDataset } from '../src/data/registry';
import { summarizeFolds, perClassRecall } from '../src/eval/metrics';
import { LinearSvm, linearSvm, LINEAR_SVM_DEFAULTS } from '../src/classify/linear-svm';
import { dotRow, dualObjective, primalObjective, solveBinaryDual, type BinaryProblem } from '../src/classify/dual-cd';
import { solveBinaryGreedy } from '../src/classify/dual-greedy';
import { solveBinaryInteriorPoint } from '../src/classify/dual-ipm';
import { normalizeFold } from '../src/experiment/runner';
import { resolveNormalize } from '../src/experiment/spec';
import { centredGram } from '../src/classify/gram';
import { loadNative } from '../src/backend/native';
import { Random } from '../src/util/random';
import { realData } from './real-data';

/** k Gaussian blobs in d dimensions, centres `sep` apart on the first k axes, unit noise times `noise`. */
function blobs(opts: { perClass: number[]; d: number; sep: number; noise: number; seed: number }): Dataset {
  const rng = new Random(opts.seed);
  const { d } = opts;
  const k = opts.perClass.length;
  const x: number[] = [];
  const y: number[] = [];
  opts.perClass.forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < d; j++) x.push((j === c % d ? opts.sep : 0) + opts.noise * rng.normal());
      y.push(c);
    }
  });
  const n = y.length;
  return makeDataset({
    name: 'blobs', x: Float32Array.from(x), d, y, classes: Array.from({ length: k }, (_, c) => `c${c}`),
    groups: Array.from({ length: n }, (_, i) => `g${i % 3}`),
  });
}

function accuracy(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let ok = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) ok++;
  return ok / a.length;
}

test('fit resolves to the classifier; predict gives one class per row', async () => {
  const train = blobs({ perClass: [20, 25, 15], d: 6, sep: 4, noise: 1, seed: 1 });
  const svm = new LinearSvm();
  assert.equal(await svm.fit(train), svm);
  const test3 = blobs({ perClass: [3, 4, 2], d: 6, sep: 4, noise: 1, seed: 2 });
  const p = svm.predict(test3.x);
  assert.ok(p instanceof Int32Array);
  assert.equal(p.length, 9);
  for (const c of p) assert.ok(c >= 0 && c < 3);
  assert.equal(svm.decisionFunction(test3.x).length, 9 * 3); // 3 pairs
  assert.equal(svm.fitInfo!.problems.length, 3);
  assert.equal(svm.predict(new Float32Array(0)).length, 0);
});

for (const multiclass of ['ovo', 'ovr'] as const) {
  test(`${multiclass}: well-separated blobs are classified perfectly`, async () => {
    const train = blobs({ perClass: [40, 30, 50, 35], d: 10, sep: 8, noise: 1, seed: 3 });
    const held = blobs({ perClass: [20, 20, 20, 20], d: 10, sep: 8, noise: 1, seed: 4 });
    const svm = await linearSvm({ multiclass }).fit(train);
    assert.equal(accuracy(svm.predict(train.x), train.y), 1);
    assert.equal(accuracy(svm.predict(held.x), held.y), 1);
    assert.equal(svm.fitInfo!.notConverged, 0);
  });
}

/**
 * Brute-force reference for the box-constrained dual: every assignment of each α_i to 0, C_i or
 * "free" (3^n), the free ones from the stationarity equations; the lowest objective among the
 * feasible candidates is the optimum (the true one is among them).
 */
function bruteForceDual(p: BinaryProblem): { alpha: Float64Array; objective: number } {
  const n = p.rows.length;
  const Q = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => {
    let s = p.bias * p.bias;
    for (let t = 0; t < p.d; t++) s += p.x[p.rows[i] * p.d + t] * p.x[p.rows[j] * p.d + t];
    return p.sign[i] * p.sign[j] * s;
  }));
  const objective = (a: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) { s -= a[i]; for (let j = 0; j < n; j++) s += 0.5 * a[i] * Q[i][j] * a[j]; }
    return s;
  };
  let best = { alpha: new Float64Array(n), objective: 0 };
  const state = new Array<number>(n).fill(0);
  for (let code = 0; code < 3 ** n; code++) {
    let c = code;
    for (let i = 0; i < n; i++) { state[i] = c % 3; c = Math.floor(c / 3); }
    const a = state.map((s, i) => (s === 1 ? p.cost[i] : 0));
    const free = state.flatMap((s, i) => (s === 2 ? [i] : []));
    if (free.length > 0) {
      // Q_FF a_F = 1 - Q_F,rest a_rest  (Gaussian elimination with partial pivoting)
      const m = free.length;
      const A = free.map((i) => [...free.map((j) => Q[i][j]), 1 - a.reduce((s, aj, j) => s + (free.includes(j) ? 0 : Q[i][j] * aj), 0)]);
      let singular = false;
      for (let col = 0; col < m; col++) {
        let piv = col;
        for (let r = col + 1; r < m; r++) if (Math.abs(A[r][col]) > Math.abs(A[piv][col])) piv = r;
        if (Math.abs(A[piv][col]) < 1e-12) { singular = true; break; }
        [A[col], A[piv]] = [A[piv], A[col]];
        for (let r = 0; r < m; r++) {
          if (r === col) continue;
          const f = A[r][col] / A[col][col];
          for (let t = col; t <= m; t++) A[r][t] -= f * A[col][t];
        }
      }
      if (singular) continue;
      free.forEach((i, r) => { a[i] = A[r][m] / A[r][r]; });
      if (free.some((i) => a[i] < -1e-12 || a[i] > p.cost[i] + 1e-12)) continue;
    }
    const obj = objective(a);
    if (obj < best.objective) best = { alpha: Float64Array.from(a), objective: obj };
  }
  return best;
}

/** The tiny problem of the brute-force test: 8 rows, 9 features, bias 1.5, two costs. */
function tinyProblem(): BinaryProblem {
  const rng = new Random(11);
  const n = 8;
  const d = 9; // d + bias > n: the dual is strictly convex, its optimum unique
  const x = rng.normalArray(n * d);
  const sign = Int8Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
  x[0] += 0.5; // not symmetric in the labels
  const cost = Float64Array.from({ length: n }, (_, i) => (i < 4 ? 0.15 : 0.3));
  const sqNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sqNorm[i] += x[i * d + j] ** 2;
  return { x, d, rows: Int32Array.from({ length: n }, (_, i) => i), sign, cost, sqNorm, bias: 1.5 };
}

test('dual coordinate descent reaches the brute-force optimum of a tiny problem (with bias and per-row costs)', () => {
  const p = tinyProblem();
  const { cost, rows: { length: n } } = p;
  const ref = bruteForceDual(p);
  const atBound = [...ref.alpha].filter((a, i) => Math.abs(a - cost[i]) < 1e-9).length;
  const free = [...ref.alpha].filter((a, i) => a > 1e-9 && a < cost[i] - 1e-9).length;
  assert.ok(atBound > 0 && free > 0, `the tiny problem should have rows at the bound and free ones (bound ${atBound}, free ${free})`);

  const model = solveBinaryDual(p, { tolerance: 1e-10, maxIter: 100000, random: new Random(0) });
  assert.ok(model.converged);
  const obj = dualObjective(p, model.alpha);
  assert.ok(Math.abs(obj - ref.objective) < 1e-8 * Math.max(1, Math.abs(ref.objective)), `dual objective ${obj} vs brute force ${ref.objective}`);
  for (let i = 0; i < n; i++) assert.ok(Math.abs(model.alpha[i] - ref.alpha[i]) < 1e-5, `alpha[${i}] ${model.alpha[i]} vs ${ref.alpha[i]}`);
  // strong duality: primal objective of the returned (w, b) equals minus the dual objective
  const primal = primalObjective(p, model.w, model.b);
  assert.ok(Math.abs(primal + obj) < 1e-6, `primal ${primal} vs -dual ${-obj}`);
});

test('greedy coordinate descent reaches the brute-force optimum of the tiny problem', () => {
  const p = tinyProblem();
  const ref = bruteForceDual(p);
  const model = solveBinaryGreedy(p, centredGram(p.x, p.d, p.rows, undefined), { tolerance: 1e-10, maxSteps: 1e6 });
  assert.ok(model.converged && model.steps > 0);
  const obj = dualObjective(p, model.alpha);
  assert.ok(Math.abs(obj - ref.objective) < 1e-8 * Math.max(1, Math.abs(ref.objective)), `dual objective ${obj} vs brute force ${ref.objective}`);
  for (let i = 0; i < p.rows.length; i++) assert.ok(Math.abs(model.alpha[i] - ref.alpha[i]) < 1e-5, `alpha[${i}] ${model.alpha[i]} vs ${ref.alpha[i]}`);
  assert.ok(Math.abs(primalObjective(p, model.w, model.b) + obj) < 1e-6, 'strong duality');
});

/**
 * A problem random passes crawl on, like an AAE's synthetic rows: 200 rows packed tightly far
 * from the origin (norm 30, spread 0.05), labels drawn at random with a faint signal.
 */
function crawlingProblem(): BinaryProblem {
  return labelledProblem(5, 200, 20, (j, sign, rng) => (j === 0 ? 30 : 0) + 0.05 * rng.normal() + (j === 1 ? 0.03 * sign : 0));
}

/** n rows of dimension d, labels ±1 drawn at random, each feature from `value`; cost 1, bias 10. */
function labelledProblem(seed: number, n: number, d: number, value: (j: number, sign: number, rng: Random) => number): BinaryProblem {
  const rng = new Random(seed);
  const x = new Float32Array(n * d);
  const sign = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    sign[i] = rng.uniform() < 0.5 ? 1 : -1;
    for (let j = 0; j < d; j++) x[i * d + j] = value(j, sign[i], rng);
  }
  const sqNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) sqNorm[i] += x[i * d + j] ** 2;
  return { x, d, rows: Int32Array.from({ length: n }, (_, i) => i), sign, cost: new Float64Array(n).fill(1), sqNorm, bias: 10 };
}

test('where 1,000 random passes do not converge, the greedy solver does, to the optimum dual CD reaches only after thousands of passes', async () => {
  const p = crawlingProblem();
  const capped = solveBinaryDual(p, { tolerance: 0.1, maxIter: 1000, random: new Random(0) });
  assert.equal(capped.converged, false);
  const long = solveBinaryDual(p, { tolerance: 0.1, maxIter: 100000, random: new Random(0) });
  assert.ok(long.converged && long.iterations > 1000, `dual CD converged after ${long.iterations} passes`);
  const greedy = solveBinaryGreedy(p, centredGram(p.x, p.d, p.rows, undefined), { tolerance: 0.1, maxSteps: 1000 * p.rows.length });
  assert.ok(greedy.converged);
  const [og, ol, oc] = [greedy, long, capped].map((m) => dualObjective(p, m.alpha));
  assert.ok(og < oc - 1, `greedy ${og} well below 1,000 passes' ${oc}`);
  assert.ok(Math.abs(og - ol) < 1e-3 * Math.abs(ol), `greedy ${og} vs converged dual CD ${ol}`);
  // the stopping rule, checked from scratch: the projected gradient's spread from w is within the tolerance
  assert.ok(spread(p, greedy) <= 0.1, `spread ${spread(p, greedy)}`);

  // the classifier moves such a problem to the greedy solver after greedyAfter passes
  const ds = makeDataset({ name: 'crawl', x: p.x, d: p.d, y: Array.from(p.sign, (s) => (s > 0 ? 0 : 1)), classes: ['a', 'b'], groups: Array.from(p.sign, () => 'g') });
  const svm = await linearSvm({ bias: 10 }).fit(ds);
  const [q] = svm.fitInfo!.problems;
  assert.ok(q.iterations === LINEAR_SVM_DEFAULTS.greedyAfter && q.greedySteps > 0 && q.converged, JSON.stringify(q));
  // never moved: greedyAfter at maxIter, or a Gram matrix above the memory allowed
  for (const o of [{ greedyAfter: 1000 }, { greedyMemory: 0.1 }]) {
    const passesOnly = await linearSvm({ bias: 10, ...o }).fit(ds);
    assert.equal(passesOnly.fitInfo!.notConverged, 1, JSON.stringify(o));
    assert.deepEqual([passesOnly.fitInfo!.problems[0].iterations, passesOnly.fitInfo!.problems[0].greedySteps], [1000, 0]);
  }
});

test('the greedy solver\'s scans in C (native addon) take exactly the steps of the JS ones', { skip: loadNative().addon?.greedyScans ? false : 'native addon absent or built before greedyScans' }, () => {
  const p = crawlingProblem();
  const gram = centredGram(p.x, p.d, p.rows, undefined);
  const settings = { tolerance: 0.1, maxSteps: 1000 * p.rows.length };
  const js = solveBinaryGreedy(p, gram, settings);
  const native = solveBinaryGreedy(p, gram, settings, loadNative().addon);
  assert.ok(js.converged && native.converged);
  assert.equal(native.steps, js.steps);
  assert.deepEqual(native.alpha, js.alpha);
  // a step budget stops both at the same point
  const short = { tolerance: 0.1, maxSteps: 5000 };
  const [a, b] = [solveBinaryGreedy(p, gram, short), solveBinaryGreedy(p, gram, short, loadNative().addon)];
  assert.ok(!a.converged && a.steps === 5000 && b.steps === 5000);
  assert.deepEqual(b.alpha, a.alpha);
});

/**
 * Rows that are not separable, like IEMOCAP's: two overlapping Gaussian classes off the origin
 * (mean 0.5 on every axis, the classes 0.6 apart on the first), labels at random.
 */
function overlapProblem(): BinaryProblem {
  return labelledProblem(7, 400, 20, (j, sign, rng) => rng.normal() + (j === 0 ? 0.3 * sign : 0) + 0.5);
}

/** The largest minus the smallest projected gradient (0 included), from the model's w and b. */
function spread(p: BinaryProblem, m: { w: Float64Array; b: number; alpha: Float64Array }): number {
  let hi = 0;
  let lo = 0;
  p.rows.forEach((r, i) => {
    const g = p.sign[i] * (dotRow(m.w, p.x, r * p.d, p.d) + m.b) - 1;
    const a = m.alpha[i];
    const pg = a === 0 ? Math.min(g, 0) : a === p.cost[i] ? Math.max(g, 0) : g;
    hi = Math.max(hi, pg);
    lo = Math.min(lo, pg);
  });
  return hi - lo;
}

test('pair steps: the tiny problem\'s brute-force optimum; on rows that are not separable the same tolerance in a tenth of the steps or fewer', async () => {
  const tiny = tinyProblem();
  const ref = bruteForceDual(tiny);
  const exact = solveBinaryGreedy(tiny, centredGram(tiny.x, tiny.d, tiny.rows, undefined), { tolerance: 1e-10, maxSteps: 1e6, pairs: true });
  assert.ok(exact.converged && exact.steps > 0);
  assert.ok(Math.abs(dualObjective(tiny, exact.alpha) - ref.objective) < 1e-8 * Math.max(1, Math.abs(ref.objective)));
  for (let i = 0; i < tiny.rows.length; i++) assert.ok(Math.abs(exact.alpha[i] - ref.alpha[i]) < 1e-5, `alpha[${i}] ${exact.alpha[i]} vs ${ref.alpha[i]}`);

  const p = overlapProblem();
  const gram = centredGram(p.x, p.d, p.rows, undefined);
  const settings = { tolerance: 0.1, maxSteps: 1000 * p.rows.length };
  const single = solveBinaryGreedy(p, gram, settings);
  const pairs = solveBinaryGreedy(p, gram, { ...settings, pairs: true });
  assert.ok(single.converged && pairs.converged);
  assert.ok(pairs.steps * 10 < single.steps, `pair steps ${pairs.steps}, single steps ${single.steps}`);
  assert.ok(spread(p, pairs) <= 0.1, `spread ${spread(p, pairs)}`);
  // two points within the same tolerance: their duals agree to a small fraction
  const [op, os] = [pairs, single].map((m) => dualObjective(p, m.alpha));
  assert.ok(Math.abs(op - os) < 1e-3 * Math.abs(os), `pairs ${op} vs single ${os}`);
  // the classifier's option reaches the solver
  const ds = makeDataset({ name: 'overlap', x: p.x, d: p.d, y: Array.from(p.sign, (s) => (s > 0 ? 0 : 1)), classes: ['a', 'b'], groups: Array.from(p.sign, () => 'g') });
  const [withPairs, without] = await Promise.all([linearSvm({ greedyAfter: 0, greedyPairs: true }).fit(ds), linearSvm({ greedyAfter: 0 }).fit(ds)]);
  assert.ok(withPairs.fitInfo!.problems[0].greedySteps * 10 < without.fitInfo!.problems[0].greedySteps, JSON.stringify([withPairs.fitInfo, without.fitInfo]));
  assert.throws(() => linearSvm({ greedyPairs: 'yes' as never }), /linearSvm\.greedyPairs/);
});

test('the pair scans in C (native addon) take exactly the steps of the JS ones', { skip: loadNative().addon?.greedyPairScans ? false : 'native addon absent or built before greedyPairScans' }, () => {
  for (const p of [overlapProblem(), crawlingProblem()]) {
    const gram = centredGram(p.x, p.d, p.rows, undefined);
    const settings = { tolerance: 0.1, maxSteps: 1000 * p.rows.length, pairs: true };
    const js = solveBinaryGreedy(p, gram, settings);
    const native = solveBinaryGreedy(p, gram, settings, loadNative().addon);
    assert.ok(js.converged && native.converged);
    assert.equal(native.steps, js.steps);
    assert.deepEqual(native.alpha, js.alpha);
    // a step budget stops both at the same point
    const half = Math.floor(js.steps / 2);
    const short = { tolerance: 0.1, maxSteps: half, pairs: true };
    const [a, b] = [solveBinaryGreedy(p, gram, short), solveBinaryGreedy(p, gram, short, loadNative().addon)];
    assert.ok(!a.converged && a.steps === half && b.steps === half, JSON.stringify([js.steps, a.steps, b.steps]));
    assert.deepEqual(b.alpha, a.alpha);
  }
});

test('the interior-point solver reaches the brute-force optimum of the tiny problem, in JS and on the native addon', () => {
  const p = tinyProblem();
  const ref = bruteForceDual(p);
  const blas = loadNative().addon;
  for (const addon of blas?.ipmNormal ? [undefined, blas] : [undefined]) {
    const point = solveBinaryInteriorPoint(p, { gap: 1e-14 }, addon);
    assert.ok(!point.breakdown && point.steps > 0 && point.steps < 60, JSON.stringify({ steps: point.steps, gap: point.gap }));
    for (let i = 0; i < p.rows.length; i++) assert.ok(Math.abs(point.alpha[i] - ref.alpha[i]) < 1e-6, `alpha[${i}] ${point.alpha[i]} vs ${ref.alpha[i]} (${addon ? 'native' : 'JS'})`);
    assert.ok(Math.abs(dualObjective(p, point.alpha) - ref.objective) < 1e-8 * Math.max(1, Math.abs(ref.objective)));
  }
});

test('where passes crawl or rows overlap, dual CD from the interior point meets the tolerance in a few passes, at the greedy solver\'s optimum', () => {
  for (const p of [crawlingProblem(), overlapProblem()]) {
    const point = solveBinaryInteriorPoint(p, {}, loadNative().addon);
    const model = solveBinaryDual(p, { tolerance: 0.1, maxIter: 1000, random: new Random(0), start: point.alpha });
    // (from α = 0 the crawling rows take over 1,000 passes: the greedy solver's test above)
    assert.ok(model.converged && model.iterations <= 5, `${model.iterations} passes after ${point.steps} Newton steps`);
    assert.ok(spread(p, model) <= 0.1, `spread ${spread(p, model)}`);
    const greedy = solveBinaryGreedy(p, centredGram(p.x, p.d, p.rows, undefined), { tolerance: 1e-6, maxSteps: 1e7, pairs: true });
    assert.ok(greedy.converged);
    const [oi, og] = [model, greedy].map((m) => dualObjective(p, m.alpha));
    assert.ok(Math.abs(oi - og) < 1e-6 * Math.abs(og), `interior point then passes ${oi} vs greedy to 1e-6 ${og}`);
    // the point alone, before the passes: within a hair of the same optimum
    assert.ok(Math.abs(dualObjective(p, point.alpha) - og) < 1e-6 * Math.abs(og));
  }
  // dual CD's start: w is rebuilt from the given α, so after a pass w is still Σ α_i y_i x̃_i, and
  // the pass (a descent) lowers the start's dual
  const p = overlapProblem();
  const start = Float64Array.from(p.cost, (c, i) => (i % 3 === 0 ? c : i % 3 === 1 ? c / 2 : 0));
  const fromStart = solveBinaryDual(p, { tolerance: 0.1, maxIter: 1, random: new Random(0), start });
  assert.equal(fromStart.iterations, 1);
  assert.ok(dualObjective(p, fromStart.alpha) < dualObjective(p, start));
  const w = new Float64Array(p.d);
  let b = 0;
  p.rows.forEach((r, i) => {
    for (let j = 0; j < p.d; j++) w[j] += fromStart.alpha[i] * p.sign[i] * p.x[r * p.d + j];
    b += fromStart.alpha[i] * p.sign[i] * p.bias * p.bias;
  });
  for (let j = 0; j < p.d; j++) assert.ok(Math.abs(w[j] - fromStart.w[j]) < 1e-9 * (1 + Math.abs(w[j])), `w[${j}] ${fromStart.w[j]} vs Σ α y x ${w[j]}`);
  assert.ok(Math.abs(b - fromStart.b) < 1e-9 * (1 + Math.abs(b)));
});

test('fallback: interior-point takes over a crawling problem after greedyAfter passes, whatever greedyMemory; options are checked', async () => {
  const p = crawlingProblem();
  const ds = makeDataset({ name: 'crawl', x: p.x, d: p.d, y: Array.from(p.sign, (s) => (s > 0 ? 0 : 1)), classes: ['a', 'b'], groups: Array.from(p.sign, () => 'g') });
  for (const o of [{}, { greedyMemory: 0.1 }]) {
    const svm = await linearSvm({ bias: 10, fallback: 'interior-point', ...o }).fit(ds);
    const [q] = svm.fitInfo!.problems;
    assert.ok(q.converged && q.interiorPointSteps > 0 && q.greedySteps === 0, JSON.stringify(q));
    assert.ok(q.iterations > LINEAR_SVM_DEFAULTS.greedyAfter && q.iterations <= LINEAR_SVM_DEFAULTS.greedyAfter + 5, `passes ${q.iterations}`);
    // deterministic: the same options give the same model
    const again = await linearSvm({ bias: 10, fallback: 'interior-point', ...o }).fit(ds);
    assert.deepEqual([again.model.w, again.model.b], [svm.model.w, svm.model.b]);
  }
  // never moved when greedyAfter is maxIter
  const passesOnly = await linearSvm({ bias: 10, fallback: 'interior-point', greedyAfter: 1000 }).fit(ds);
  assert.deepEqual([passesOnly.fitInfo!.notConverged, passesOnly.fitInfo!.problems[0].interiorPointSteps], [1, 0]);
  assert.throws(() => linearSvm({ fallback: 'newton' as never }), /linearSvm\.fallback.*'greedy' or 'interior-point'/);
});

const iemocap = realData('iemocap-is10');
test('iemocap-is10 fold 1, real rows: with fallback interior-point every problem converges and predicts as the greedy solver with pair steps, up to the tolerance', { skip: iemocap.skip }, async () => {
  const ds = loadDataset('iemocap-is10');
  const [raw] = splitFolds(ds, [1]);
  const f = { ...raw, ...normalizeFold(raw.train, raw.test, resolveNormalize('auto', ds.name)) };
  const ipm = await linearSvm({ fallback: 'interior-point' }).fit(f.train);
  assert.equal(ipm.fitInfo!.notConverged, 0);
  assert.ok(ipm.fitInfo!.problems.some((q) => q.interiorPointSteps > 0), 'some problem needs more than greedyAfter passes on these rows');
  const greedy = await linearSvm({ greedyPairs: true }).fit(f.train);
  assert.equal(greedy.fitInfo!.notConverged, 0);
  // two points within a tolerance of 0.1 (BENCHMARKS.md: the two greedy variants differ on 1-3 % of these rows)
  const same = accuracy(ipm.predict(f.test.x), greedy.predict(f.test.x));
  assert.ok(same >= 0.97, `same prediction on ${(100 * same).toFixed(1)} % of the test rows`);
});

test('the centred Gram gives every dot product of the rows; on the native BLAS as in JS, up to float32 rounding', () => {
  const p = crawlingProblem();
  const rows = Int32Array.from({ length: 60 }, (_, i) => 3 * i);
  const blas = loadNative().addon;
  for (const g of [centredGram(p.x, p.d, rows, undefined), ...(blas ? [centredGram(p.x, p.d, rows, blas)] : [])]) {
    for (let i = 0; i < 60; i++) {
      for (let j = 0; j < 60; j++) {
        let exact = 0;
        for (let t = 0; t < p.d; t++) exact += p.x[rows[i] * p.d + t] * p.x[rows[j] * p.d + t];
        const got = g.values[i * 60 + j] + g.offset[i] + g.offset[j] + g.base;
        // the rows' products are ~900 and differ by ~0.05: float32 products of the raw rows would be off by 3e-5
        assert.ok(Math.abs(got - exact) < 1e-6, `(${i}, ${j}): ${got} vs ${exact}`);
        assert.equal(g.values[i * 60 + j], g.values[j * 60 + i]);
      }
    }
  }
  // more rows than one GEMM block (512)
  const rng = new Random(3);
  const n = 700;
  const d = 6;
  const x = Float32Array.from(rng.normalArray(n * d), (v, i) => v + (i % d === 0 ? 20 : 0));
  const exact = (r: number, t: number): number => { let e = 0; for (let k = 0; k < d; k++) e += x[r * d + k] * x[t * d + k]; return e; };
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (const g of [centredGram(x, d, all, undefined), ...(blas ? [centredGram(x, d, all, blas)] : [])]) {
    for (const [r, t] of [[0, 0], [3, 699], [699, 3], [511, 512], [512, 511], [600, 650], [699, 699], [100, 520]]) {
      assert.ok(Math.abs(g.values[r * n + t] + g.offset[r] + g.offset[t] + g.base - exact(r, t)) < 1e-4, `(${r}, ${t})`);
    }
  }
});

test('class weights shift the decision toward the minority class', async () => {
  // overlapping classes, 10:1 imbalance
  const train = blobs({ perClass: [300, 30], d: 5, sep: 1.5, noise: 1, seed: 5 });
  const held = blobs({ perClass: [300, 300], d: 5, sep: 1.5, noise: 1, seed: 6 });
  const plain = await linearSvm({ classWeight: 'none' }).fit(train);
  const balanced = await linearSvm({ classWeight: 'balanced' }).fit(train);
  const manual = await linearSvm({ classWeight: [1, 10] }).fit(train);
  const minorityRecall = (svm: LinearSvm): number => perClassRecall(held.y, svm.predict(held.x), 2)[1];
  const majorityRecall = (svm: LinearSvm): number => perClassRecall(held.y, svm.predict(held.x), 2)[0];
  assert.ok(minorityRecall(balanced) > minorityRecall(plain) + 0.2, `minority recall: balanced ${minorityRecall(balanced)} vs none ${minorityRecall(plain)}`);
  assert.ok(majorityRecall(balanced) < majorityRecall(plain), 'the majority class pays for it');
  // 'balanced' is n/(k n_c) = [0.55, 5.5]: the same ratio as [1, 10], so the same decisions up to C
  assert.deepEqual([...balanced.model.classWeights].map((w) => +w.toFixed(3)), [0.55, 5.5]);
  assert.ok(minorityRecall(manual) > minorityRecall(plain) + 0.2);
});

test('the same seed gives identical models; options are checked', async () => {
  const train = blobs({ perClass: [30, 30, 30], d: 8, sep: 2, noise: 1, seed: 7 });
  const a = await linearSvm({ seed: 3 }).fit(train);
  const b = await linearSvm({ seed: 3 }).fit(train);
  assert.deepEqual(a.model.w, b.model.w);
  assert.deepEqual(a.model.b, b.model.b);
  assert.equal(LINEAR_SVM_DEFAULTS.C, 1);
  assert.throws(() => linearSvm({ c: 1 } as never), /linearSvm\.c.*known options: C, classWeight/);
  assert.throws(() => linearSvm({ C: 0 }), /option linearSvm\.C: got 0, expected a positive number/);
  assert.throws(() => linearSvm({ classWeight: 'auto' as never }), /linearSvm\.classWeight: got "auto"/);
  assert.throws(() => linearSvm({ multiclass: 'crammer' as never }), /linearSvm\.multiclass/);
  assert.throws(() => linearSvm({ greedyAfter: -1 }), /option linearSvm\.greedyAfter: got -1, expected an integer >= 0/);
  assert.throws(() => linearSvm({ greedyMemory: -1 }), /option linearSvm\.greedyMemory: got -1/);
  await assert.rejects(linearSvm({ classWeight: [1, 2] }).fit(train), /linearSvm\.classWeight.*expected 3 weights, one per class/);
});

test('bad input: unfitted, wrong dimension, a class with no rows, one class', async () => {
  const train = blobs({ perClass: [10, 10, 10], d: 4, sep: 3, noise: 1, seed: 8 });
  assert.throws(() => linearSvm().predict(train.x), /linearSvm is not fitted yet: call fit before predict/);
  const svm = await linearSvm().fit(train);
  assert.throws(() => svm.predict(new Float32Array(10)), /x has length 10, not a multiple of the fitted dimension 4/);
  assert.throws(() => svm.predict([1, 2, 3, 4] as never), /must be a Float32Array/);
  const noRowsOfC2 = makeDataset({ ...train, name: 'gap', y: Array.from(train.y, (c) => (c === 2 ? 0 : c)) });
  await assert.rejects(linearSvm().fit(noRowsOfC2), /gap: linearSvm\.fit: class 'c2' has no training rows/);
  const single = makeDataset({ name: 'one', x: train.x, d: 4, y: new Int32Array(30), classes: ['only'], groups: train.groups });
  await assert.rejects(linearSvm().fit(single), /at least 2 classes/);
});

const rd = realData('emodb-is11');
test('emodb-is11, leave-one-speaker-out, pooled: within 1.5 points of SVC(kernel="linear") (WA 80.93, UAR 79.44)', { skip: rd.skip }, async () => {
  const ds = loadDataset('emodb-is11');
  const preds = [];
  for (const f of splitFolds(ds)) {
    const svm = await linearSvm().fit(f.train);
    assert.equal(svm.fitInfo!.notConverged, 0);
    preds.push({ fold: f.fold.group, yTrue: f.test.y, yPred: svm.predict(f.test.x) });
  }
  const s = summarizeFolds(preds, ds.classes.length);
  assert.ok(Math.abs(100 * s.wa - 80.93) <= 1.5, `WA ${(100 * s.wa).toFixed(2)} %`);
  assert.ok(Math.abs(100 * s.uar - 79.44) <= 1.5, `UAR ${(100 * s.uar).toFixed(2)} %`);
});

test('emodb-is11 fold 1, real rows: every problem converges within greedyAfter passes, so the model is dual CD\'s bit for bit; greedy from the start predicts the same test rows', { skip: rd.skip }, async () => {
  const [f] = splitFolds(loadDataset('emodb-is11'), [1]);
  const svm = await linearSvm().fit(f.train);
  const passesOnly = await linearSvm({ greedyAfter: LINEAR_SVM_DEFAULTS.maxIter }).fit(f.train);
  assert.ok(svm.fitInfo!.problems.every((q) => q.converged && q.greedySteps === 0 && q.iterations < LINEAR_SVM_DEFAULTS.greedyAfter));
  assert.deepEqual(svm.model.w, passesOnly.model.w);
  assert.deepEqual(svm.model.b, passesOnly.model.b);
  // both solvers to a tight tolerance: the same optimum, so the same predictions
  const tight = { tolerance: 1e-3 };
  const cd = await linearSvm({ ...tight, greedyAfter: LINEAR_SVM_DEFAULTS.maxIter }).fit(f.train);
  const greedy = await linearSvm({ ...tight, greedyAfter: 0 }).fit(f.train);
  assert.ok(greedy.fitInfo!.problems.every((q) => q.converged && q.iterations === 0 && q.greedySteps > 0));
  assert.deepEqual([...greedy.predict(f.test.x)], [...cd.predict(f.test.x)]);
});

test('save then loadClassifier predicts exactly what the saved linear SVM did (ovo and ovr); a damaged weights file is named', async () => {
  const train = blobs({ perClass: [30, 25, 20], d: 8, sep: 3, noise: 1, seed: 9 });
  const held = blobs({ perClass: [10, 10, 10], d: 8, sep: 3, noise: 1, seed: 10 });
  for (const multiclass of ['ovo', 'ovr'] as const) {
    const svm = await linearSvm({ multiclass, classWeight: 'balanced', seed: 3 }).fit(train);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-linsvm-'));
    await svm.save(dir);
    const loaded = (await loadClassifier(dir)) as LinearSvm;
    assert.ok(loaded instanceof LinearSvm);
    assert.deepEqual(loaded.predict(held.x), svm.predict(held.x));
    assert.deepEqual(loaded.decisionFunction(held.x), svm.decisionFunction(held.x));
    assert.deepEqual(loaded.options, svm.options);
    fs.writeFileSync(path.join(dir, 'weights.f64'), Buffer.alloc(8));
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes('weights.f64') && /truncated/.test(e.message));
  }
  await assert.rejects(new LinearSvm().save(os.tmpdir()), /not fitted yet: call fit before save/);
});
