import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNative } from '../src/backend/native';
import { makeDataset, type Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { loadDataset } from '../src/data/registry';
import { perClassRecall, summarizeFolds } from '../src/eval/metrics';
import {
  KernelSvm, kernelSvm, KERNEL_SVM_DEFAULTS, LinearSvm, LINEAR_SVM_DEFAULTS, loadClassifier, makeClassifier, resolveGamma,
} from '../src/classify';
import { centredGram, RbfRows } from '../src/classify/gram';
import { kernelStats } from '../src/backend/stats';
import { Random } from '../src/util/random';
import { realData } from './real-data';

/**
 * Rows reproducible in Python bit for bit: a 32-bit LCG (Numerical Recipes) gives 24-bit
 * uniforms u, and feature j of a row of class c is (j == c ? 2.5 : 0) + 4 (u − 0.5), exact in
 * float64 and rounded once to float32 (JS Math.fround, NumPy astype(float32)).
 */
function lcgBlobs(seed: number, counts: number[], d = 4): Dataset {
  let s = seed >>> 0;
  const u = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) / 2 ** 24;
  };
  const x: number[] = [];
  const y: number[] = [];
  counts.forEach((m, c) => {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < d; j++) x.push((j === c ? 2.5 : 0) + 4 * (u() - 0.5));
      y.push(c);
    }
  });
  return makeDataset({
    name: 'lcg', x: Float32Array.from(x), d, y, classes: counts.map((_, c) => `c${c}`), groups: y.map((_, i) => `g${i % 3}`),
  });
}

/** k Gaussian blobs in d dimensions, centres `sep` apart on the first k axes. */
function blobs(opts: { perClass: number[]; d: number; sep: number; noise: number; seed: number }): Dataset {
  const rng = new Random(opts.seed);
  const x: number[] = [];
  const y: number[] = [];
  opts.perClass.forEach((count, c) => {
    for (let i = 0; i < count; i++) {
      for (let j = 0; j < opts.d; j++) x.push((j === c % opts.d ? opts.sep : 0) + opts.noise * rng.normal());
      y.push(c);
    }
  });
  return makeDataset({
    name: 'blobs', x: Float32Array.from(x), d: opts.d, y, classes: opts.perClass.map((_, c) => `c${c}`), groups: y.map((_, i) => `g${i % 3}`),
  });
}

function rbf(a: ArrayLike<number>, b: ArrayLike<number>, gamma: number): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return Math.exp(-gamma * s);
}

function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]} (tolerance ${tol})`);
  }
}

/**
 * The exact C-SVM dual optimum of a tiny problem by enumeration: each α_i at 0, at C or free
 * (3^n cases); for the free ones, the stationarity and equality conditions
 *   Q_FF α_F + β y_F = 1 − Q_FB α_B,   y_Fᵀ α_F = −y_Bᵀ α_B
 * are solved; among the feasible points the lowest objective is the optimum (the objective is
 * strictly convex, its minimiser is one of them). ρ = −β (libsvm's sign).
 */
function bruteForceSvc(x: number[][], y: number[], C: number, gamma: number): { alpha: number[]; rho: number } {
  const n = y.length;
  const Q = x.map((a, i) => x.map((b, j) => y[i] * y[j] * rbf(a, b, gamma)));
  const objective = (a: number[]): number => {
    let s = 0;
    for (let i = 0; i < n; i++) { s -= a[i]; for (let j = 0; j < n; j++) s += 0.5 * a[i] * Q[i][j] * a[j]; }
    return s;
  };
  let best: { alpha: number[]; rho: number; obj: number } | undefined;
  for (let code = 0; code < 3 ** n; code++) {
    const state = Array.from({ length: n }, (_, i) => Math.floor(code / 3 ** i) % 3);
    const a = state.map((s) => (s === 1 ? C : 0));
    const free = state.flatMap((s, i) => (s === 2 ? [i] : []));
    let beta = NaN;
    if (free.length > 0) {
      const m = free.length;
      // unknowns α_F (m) and β; rows: stationarity for each free i, then the equality constraint
      const A = free.map((i) => [...free.map((j) => Q[i][j]), y[i], 1 - a.reduce((s, aj, j) => s + (free.includes(j) ? 0 : Q[i][j] * aj), 0)]);
      A.push([...free.map((j) => y[j]), 0, -a.reduce((s, aj, j) => s + (free.includes(j) ? 0 : y[j] * aj), 0)]);
      const sol = solveLinear(A);
      if (!sol) continue;
      free.forEach((i, r) => { a[i] = sol[r]; });
      beta = sol[m];
      if (free.some((i) => a[i] <= 1e-12 || a[i] >= C - 1e-12)) continue;
    } else if (Math.abs(a.reduce((s, ai, i) => s + y[i] * ai, 0)) > 1e-12) {
      continue;
    }
    const obj = objective(a);
    if (!best || obj < best.obj) best = { alpha: a, rho: -beta, obj };
  }
  return best!;
}

/** Gaussian elimination with partial pivoting on an augmented matrix; undefined when singular. */
function solveLinear(A: number[][]): number[] | undefined {
  const m = A.length;
  for (let col = 0; col < m; col++) {
    let piv = col;
    for (let r = col + 1; r < m; r++) if (Math.abs(A[r][col]) > Math.abs(A[piv][col])) piv = r;
    if (Math.abs(A[piv][col]) < 1e-12) return undefined;
    [A[col], A[piv]] = [A[piv], A[col]];
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = A[r][col] / A[col][col];
      for (let t = col; t <= m; t++) A[r][t] -= f * A[col][t];
    }
  }
  return A.map((row, r) => row[m] / row[r]);
}

test('a tiny two-class problem: α, ρ and decision values match the exact dual optimum', async () => {
  // two points of the positive class sit among the negative ones: some α at C, some free
  const x = [[0, 0], [1, 0], [0.2, 0.9], [1.6, 1.2], [0.5, 0.4], [1.1, 0.6]];
  const labels = [0, 0, 0, 1, 1, 1]; // class 0 is libsvm's +1 (the first class of the pair)
  const y = labels.map((c) => (c === 0 ? 1 : -1));
  const C = 1.5;
  const gamma = 0.7;
  const ref = bruteForceSvc(x, y, C, gamma);
  const atC = ref.alpha.filter((a) => Math.abs(a - C) < 1e-9).length;
  const free = ref.alpha.filter((a) => a > 1e-9 && a < C - 1e-9).length;
  assert.ok(atC > 0 && free > 0, `the problem should have bounded and free support vectors (at C: ${atC}, free: ${free})`);

  const train = makeDataset({ name: 'tiny', x: Float32Array.from(x.flat()), d: 2, y: labels, classes: ['pos', 'neg'], groups: labels.map(() => 'g') });
  const svm = await kernelSvm({ C, gamma, tolerance: 1e-10 }).fit(train);
  assert.equal(svm.fitInfo!.notConverged, 0);
  // dual_coef_ holds α_i y_i of the support vectors, in training order within each class
  const coef = new Array(6).fill(0);
  svm.model.support.forEach((row, s) => { coef[row] = svm.model.dualCoef[s]; });
  assertClose(coef, ref.alpha.map((a, i) => a * y[i]), 1e-6, 'α y');
  assertClose(svm.model.intercept, [-ref.rho], 1e-6, 'intercept');
  const probes = [[0.5, 0.5], [2, 2], [-1, 0.3], [0.9, 0.1]];
  const expected = probes.map((p) => x.reduce((s, xi, i) => s + ref.alpha[i] * y[i] * rbf(xi, p, gamma), 0) - ref.rho);
  assertClose(svm.decisionFunction(Float32Array.from(probes.flat())), expected, 1e-6, 'decision');
  assert.deepEqual([...svm.predict(Float32Array.from(probes.flat()))], expected.map((v) => (v > 0 ? 0 : 1)));
});

/*
 * Reference: scikit-learn 1.2.1 (/usr/bin/python3 on the development machine), recorded once:
 *
 *   import numpy as np
 *   from sklearn.svm import SVC
 *   def lcg(seed):
 *       s = seed
 *       while True:
 *           s = (s * 1664525 + 1013904223) % 2**32
 *           yield (s >> 8) / 2**24
 *   def blobs(seed, counts, d=4):
 *       u = lcg(seed); X = []; y = []
 *       for c, m in enumerate(counts):
 *           for _ in range(m):
 *               X.append([(2.5 if j == c else 0.0) + 4 * (next(u) - 0.5) for j in range(d)]); y.append(c)
 *       return np.array(X, dtype=np.float32), np.array(y)
 *   X, y = blobs(7, [12, 10, 8]); T, _ = blobs(8, [3, 3, 3])
 *   for kw in [dict(C=2, gamma=0.3), dict(C=2, gamma=0.3, class_weight={0: 1, 1: 3, 2: 1}), dict(C=1, gamma='scale')]:
 *       s = SVC(decision_function_shape='ovo', **kw).fit(X, y)
 *       print(repr(s._gamma), s.n_iter_, s.support_.tolist(), s.n_support_.tolist(),
 *             [float(v) for v in s.intercept_], [[float(v) for v in r] for r in s.decision_function(T)],
 *             s.predict(T).tolist())
 */
const SKLEARN = [
  {
    options: { C: 2, gamma: 0.3 },
    gamma: 0.3,
    iterations: [39, 29, 33],
    support: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29],
    nSupport: [12, 9, 7],
    intercept: [0.09664000708142327, 0.15497712029990834, 0.1093156851077812],
    decision: [
      [0.42681411236743116, 0.4868300326661399, 0.1331203007436514], [0.6483594305332746, 0.5689374529815558, -0.027746160315391316],
      [0.33530859969553173, 0.4513789456655144, 0.09944021443635791], [0.12482480987769666, 0.5500823527843439, 0.2961102944461733],
      [1.0304210829423743, 0.6314400781608833, -0.2575823690998702], [-0.8502933706104712, -0.5844774447934513, 0.5079447004146964],
      [0.3855780754970807, -0.13064130825223336, -0.34444914658111825], [0.6257611588074722, 0.821798524433506, -0.06366530605491841],
      [0.12192356997733259, -0.33009018309353677, -0.2514616057342569],
    ],
    predict: [0, 0, 0, 0, 0, 1, 2, 0, 2],
  },
  {
    options: { C: 2, gamma: 0.3, classWeight: [1, 3, 1] },
    gamma: 0.3,
    iterations: [42, 29, 33],
    support: [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 18, 19, 20, 21, 22, 23, 25, 26, 27, 28, 29],
    nSupport: [11, 9, 7],
    intercept: [0.08049308108987699, 0.15497712029990834, 0.13460366745915567],
    decision: [
      [0.42047056225927115, 0.4868300326661399, 0.17051595517837206], [0.7443214981071842, 0.5689374529815558, -0.016746444636774938],
      [0.32847353590648554, 0.4513789456655144, 0.1256034584080499], [0.16210907624349932, 0.5500823527843439, 0.31880472822711725],
      [0.6283949033334897, 0.6314400781608833, -0.12377482964285422], [-0.8420955401252536, -0.5844774447934513, 0.5006032085296651],
      [0.4240276901458483, -0.13064130825223336, -0.3982683421448864], [0.6109869881758166, 0.821798524433506, -0.04187431553321791],
      [0.10849071530084478, -0.33009018309353677, -0.2323553184267719],
    ],
    predict: [0, 0, 0, 0, 0, 1, 2, 0, 2],
  },
  {
    options: { C: 1, gamma: 'scale' as const },
    gamma: 0.10930130517620529,
    iterations: [26, 25, 15],
    support: [0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 14, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29],
    nSupport: [11, 8, 8],
    intercept: [-0.036413471464443944, 0.057210139954717514, 0.0779884718320035],
    decision: [
      [0.5847712020078369, 0.661083279262334, 0.07555471036840664], [1.0230205895162614, 0.7042646256394814, -0.29677710176938],
      [0.8221437368082108, 0.8408574811387757, -0.07256326667660976], [-0.24643152228453397, 0.15077800971755007, 0.15325682694769846],
      [0.5511767167097463, 0.5865928413656294, -0.1043511920592354], [-0.9881837608351197, -0.5601746073090171, 0.13383624335420355],
      [0.5652182924385426, -0.48960586757021146, -0.8895120390245173], [0.9480998093149982, 0.6687052257076952, -0.4002379334607177],
      [-0.001648897910152422, -0.3771868829295081, -0.3830437598580997],
    ],
    predict: [0, 0, 0, 1, 0, 1, 2, 0, 2],
  },
];

for (const ref of SKLEARN) {
  test(`agrees with scikit-learn SVC on a 3-class problem: ${JSON.stringify(ref.options)}`, async () => {
    const train = lcgBlobs(7, [12, 10, 8]);
    const probe = lcgBlobs(8, [3, 3, 3]);
    const svm = await kernelSvm(ref.options).fit(train);
    assert.ok(Math.abs(svm.model.gamma - ref.gamma) <= 1e-12 * ref.gamma, `gamma ${svm.model.gamma} vs ${ref.gamma}`);
    // the same SMO path (libsvm's iteration counts), the same support vectors
    assert.deepEqual(svm.fitInfo!.problems.map((p) => p.iterations), ref.iterations);
    assert.deepEqual([...svm.model.support], ref.support);
    assert.deepEqual([...svm.model.nSupport], ref.nSupport);
    // float32 kernel values (libsvm: float64, cached as float32) leave ~1e-7 differences
    assertClose(svm.model.intercept, ref.intercept, 1e-6, 'intercept');
    assertClose(svm.decisionFunction(probe.x), ref.decision.flat(), 1e-6, 'decision');
    assert.deepEqual([...svm.predict(probe.x)], ref.predict);
  });
}

test("gamma resolves as scikit-learn's: 'auto' = 1/d, 'scale' = 1/(d Var X), a number as given", async () => {
  const train = lcgBlobs(7, [12, 10, 8]);
  assert.equal(resolveGamma('auto', train.x, train.d), 1 / 4);
  assert.equal(resolveGamma(0.25, train.x, train.d), 0.25);
  const mean = train.x.reduce((s, v) => s + v, 0) / train.x.length;
  const variance = train.x.reduce((s, v) => s + (v - mean) ** 2, 0) / train.x.length;
  assert.ok(Math.abs(resolveGamma('scale', train.x, train.d) - 1 / (4 * variance)) < 1e-15);
  assert.equal(resolveGamma('scale', new Float32Array(8).fill(3), 4), 1, 'zero variance: 1, as scikit-learn');
  assert.equal((await kernelSvm({ gamma: 'auto' }).fit(train)).fitInfo!.gamma, 0.25);
  assert.equal((await kernelSvm().fit(train)).model.gamma, resolveGamma('scale', train.x, train.d), "the default is 'scale'");
});

test('class weights shift the decision toward the up-weighted class', async () => {
  const train = blobs({ perClass: [200, 40], d: 5, sep: 1.5, noise: 1, seed: 5 });
  const held = blobs({ perClass: [300, 300], d: 5, sep: 1.5, noise: 1, seed: 6 });
  const recall = async (classWeight: 'none' | 'balanced' | number[]): Promise<number[]> =>
    perClassRecall(held.y, (await kernelSvm({ classWeight, gamma: 'auto' }).fit(train)).predict(held.x), 2);
  const plain = await recall('none');
  const balanced = await recall('balanced');
  const up = await recall([1, 5]);
  assert.ok(balanced[1] > plain[1] + 0.1, `minority recall: balanced ${balanced[1]} vs none ${plain[1]}`);
  assert.ok(balanced[0] < plain[0], 'the majority class pays for it');
  assert.ok(up[1] > plain[1] + 0.1, `minority recall with weights [1, 5]: ${up[1]} vs ${plain[1]}`);
});

test('save then loadClassifier predicts exactly what the saved model did; damaged files are named', async () => {
  const train = blobs({ perClass: [30, 25, 20], d: 6, sep: 2, noise: 1, seed: 9 });
  const probe = blobs({ perClass: [10, 10, 10], d: 6, sep: 2, noise: 1, seed: 10 });
  const svm = await kernelSvm({ C: 3, classWeight: 'balanced' }).fit(train);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-svm-'));
  try {
    await svm.save(dir);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'classifier.json'), 'utf8'));
    assert.equal(manifest.format, 'adan-lab/classifier');
    assert.equal(manifest.version, 1);
    assert.equal(manifest.kind, 'kernel-svm');
    assert.equal(manifest.gamma, svm.model.gamma);
    assert.deepEqual(manifest.options, { ...svm.options });
    const loaded = await loadClassifier(dir);
    assert.ok(loaded instanceof KernelSvm);
    assert.deepEqual(loaded.decisionFunction(probe.x), svm.decisionFunction(probe.x));
    assert.deepEqual(loaded.predict(probe.x), svm.predict(probe.x));

    const sv = path.join(dir, 'support-vectors.f32');
    const bytes = fs.readFileSync(sv);
    fs.writeFileSync(sv, bytes.subarray(0, bytes.length - 4));
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes(sv) && /truncated/.test(e.message));
    const altered = Buffer.from(bytes);
    altered[10] ^= 1;
    fs.writeFileSync(sv, altered);
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes(sv) && /SHA-256/.test(e.message));
    fs.writeFileSync(sv, bytes);
    await loadClassifier(dir);

    const mf = path.join(dir, 'classifier.json');
    fs.writeFileSync(mf, JSON.stringify({ ...manifest, kind: 'random-forest' }));
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes(mf) && /kind "random-forest".*known: kernel-svm, linear-svm, dnn/.test(e.message));
    fs.writeFileSync(mf, '{"format": "adan-lab/classifier", ');
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes(mf) && /not valid JSON/.test(e.message));
    fs.writeFileSync(mf, JSON.stringify({ ...manifest, rho: [1] }));
    await assert.rejects(loadClassifier(dir), /rho must be 3 finite numbers/);
    await assert.rejects(loadClassifier(path.join(dir, 'nothing')), /no classifier manifest here/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('kernel blocks match the formula, from BLAS and from the JS loop; the Gram matrix is symmetric with unit diagonal', () => {
  const rng = new Random(3);
  const d = 37;
  const n = 70;
  const x = rng.normalArray(n * d);
  const gamma = 1 / d;
  const blas = loadNative().addon;
  for (const rows of [new RbfRows(x, d, gamma, undefined), ...(blas ? [new RbfRows(x, d, gamma, blas)] : [])]) {
    const what = rows.blas ? 'BLAS' : 'JS';
    const K = rows.gram();
    for (let i = 0; i < n; i++) {
      assert.equal(K[i * n + i], 1);
      for (let j = 0; j < n; j++) {
        assert.equal(K[i * n + j], K[j * n + i]);
        const exact = rbf(x.subarray(i * d, (i + 1) * d), x.subarray(j * d, (j + 1) * d), gamma);
        assert.ok(Math.abs(K[i * n + j] - exact) < 1e-6, `${what} K[${i}][${j}] ${K[i * n + j]} vs ${exact}`);
      }
    }
    // rows 5..9 against rows 20..50, written at chosen offsets
    const out = new Float32Array(5 * 40);
    rows.crossRows([5, 6, 7, 8, 9], 20, 50, out, [0, 40, 80, 120, 160]);
    for (let r = 0; r < 5; r++) for (let c = 0; c < 30; c++) assert.ok(Math.abs(out[r * 40 + c] - K[(5 + r) * n + 20 + c]) < 1e-6, `${what} cross`);
  }
});

test('the Gram blocks count their products where benchmarks read them (kernelStats), the floor of bench --grid', { skip: loadNative().addon ? false : 'native addon absent: no products to count' }, () => {
  const blas = loadNative().addon!;
  const d = 29;
  const n = 300;
  const x = new Random(4).normalArray(n * d);
  const rows = new RbfRows(x, d, 1 / d, blas);
  let f0 = kernelStats.nativeFlops;
  rows.crossRows([5, 6, 7, 8, 9], 20, 50, new Float32Array(5 * 30), [0, 30, 60, 90, 120]);
  assert.equal(kernelStats.nativeFlops - f0, 2 * 5 * 30 * d, 'five rows against thirty');
  f0 = kernelStats.nativeFlops;
  rows.gram();
  const gram = kernelStats.nativeFlops - f0;
  // at least the blocks on and above the diagonal, at most the whole square
  assert.ok(gram >= n * n * d && gram <= 2 * n * n * d, `Gram matrix: ${gram} FLOPs`);
  f0 = kernelStats.nativeFlops;
  const l = 260;
  centredGram(x, d, Array.from({ length: l }, (_, i) => i + 20), blas);
  const centred = kernelStats.nativeFlops - f0;
  assert.ok(centred >= l * l * d && centred <= 2 * l * l * d, `centred Gram: ${centred} FLOPs`);
});

test('native and JS kernels give the same predictions', { skip: loadNative().addon ? false : 'native addon absent: both runs would use the JS loop' }, async () => {
  const train = blobs({ perClass: [60, 50, 40, 30], d: 20, sep: 2, noise: 1.2, seed: 11 });
  const probe = blobs({ perClass: [30, 30, 30, 30], d: 20, sep: 2, noise: 1.2, seed: 12 });
  const native = await kernelSvm({ C: 5 }).fit(train);
  assert.equal(native.fitInfo!.kernel.compute, 'native');
  const file = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-svm-js-'));
  try {
    fs.writeFileSync(path.join(file, 'data.json'), JSON.stringify({ train: { ...train, x: [...train.x], y: [...train.y] }, probe: [...probe.x] }));
    const script = `
      const fs = require('node:fs');
      const { makeDataset } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'data', 'dataset.js'))});
      const { kernelSvm } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'classify', 'kernel-svm.js'))});
      const data = JSON.parse(fs.readFileSync(${JSON.stringify(path.join(file, 'data.json'))}, 'utf8'));
      (async () => {
        const train = makeDataset({ ...data.train, x: Float32Array.from(data.train.x) });
        const svm = await kernelSvm({ C: 5 }).fit(train);
        const probe = Float32Array.from(data.probe);
        console.log(JSON.stringify({ compute: svm.fitInfo.kernel.compute, predict: [...svm.predict(probe)], decision: [...svm.decisionFunction(probe)] }));
      })().catch((e) => { console.error(e); process.exit(1); });`;
    const env = { ...process.env, ADAN_NATIVE_PATH: path.join(__dirname, 'no-such-addon.node') };
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim().split('\n').pop()!);
    assert.equal(out.compute, 'js');
    assert.deepEqual(out.predict, [...native.predict(probe.x)]);
    assertClose(out.decision, native.decisionFunction(probe.x), 1e-4, 'decision JS vs native');
  } finally {
    fs.rmSync(file, { recursive: true, force: true });
  }
});

test("libsvm's column cache (kernel matrix too large for cacheSize) gives the Gram matrix's model", async () => {
  const train = blobs({ perClass: [150, 120, 100], d: 12, sep: 1.5, noise: 1, seed: 13 });
  const probe = blobs({ perClass: [40, 40, 40], d: 12, sep: 1.5, noise: 1, seed: 14 });
  const full = await kernelSvm({ C: 4 }).fit(train);
  assert.equal(full.fitInfo!.kernel.storage, 'gram');
  // 0.2 MB: 370² floats do not fit, and one pair's 270 columns of 270 do not either
  const cached = await kernelSvm({ C: 4, cacheSize: 0.2 }).fit(train);
  assert.equal(cached.fitInfo!.kernel.storage, 'cache');
  assert.ok(cached.fitInfo!.kernel.bytes <= 0.2 * 2 ** 20, `cache of ${cached.fitInfo!.kernel.bytes} bytes`);
  assert.ok(cached.fitInfo!.kernel.columnsComputed > 370, 'columns were computed again after being dropped');
  assert.deepEqual([...cached.predict(probe.x)], [...full.predict(probe.x)]);
  assertClose(cached.decisionFunction(probe.x), full.decisionFunction(probe.x), 1e-4, 'decision cache vs Gram');
  // a cache that holds each pair's columns: computed once per pair, the same model again
  const perPair = await kernelSvm({ C: 4, cacheSize: 0.5 }).fit(train);
  assert.equal(perPair.fitInfo!.kernel.storage, 'cache');
  assert.deepEqual([...perPair.predict(probe.x)], [...full.predict(probe.x)]);
});

test('shrinking changes the path, not the solution; maxIter stops and says so', async () => {
  const train = blobs({ perClass: [80, 60, 70], d: 8, sep: 1.2, noise: 1, seed: 15 });
  const probe = blobs({ perClass: [30, 30, 30], d: 8, sep: 1.2, noise: 1, seed: 16 });
  const a = await kernelSvm({ C: 10, tolerance: 1e-8 }).fit(train);
  const b = await kernelSvm({ C: 10, tolerance: 1e-8, shrinking: false }).fit(train);
  assertClose(a.decisionFunction(probe.x), b.decisionFunction(probe.x), 1e-5, 'shrinking vs not');
  assert.equal(a.fitInfo!.notConverged, 0);
  const capped = await kernelSvm({ C: 10, maxIter: 5 }).fit(train);
  assert.equal(capped.fitInfo!.notConverged, 3);
  assert.ok(capped.fitInfo!.problems.every((p) => !p.converged && p.iterations === 5));
  // the seed is accepted and changes nothing (the solver is deterministic)
  const seeded = await kernelSvm({ C: 10, tolerance: 1e-8, seed: 42 }).fit(train);
  assert.deepEqual(seeded.decisionFunction(probe.x), a.decisionFunction(probe.x));
});

test('bad options and unfitted use fail with clear errors; makeClassifier dispatches on kernel', async () => {
  assert.equal(KERNEL_SVM_DEFAULTS.C, 1);
  assert.equal(KERNEL_SVM_DEFAULTS.gamma, 'scale');
  assert.equal(KERNEL_SVM_DEFAULTS.tolerance, 1e-3);
  assert.ok(Object.isFrozen(KERNEL_SVM_DEFAULTS));
  assert.throws(() => kernelSvm({ gamma: 0 }), /option svm\.gamma: got 0, expected 'scale', 'auto' or a positive number/);
  assert.throws(() => kernelSvm({ gamma: -1 }), /option svm\.gamma: got -1/);
  assert.throws(() => kernelSvm({ gamma: NaN }), /option svm\.gamma/);
  assert.throws(() => kernelSvm({ gamma: 'sacle' as never }), /option svm\.gamma: got "sacle"/);
  assert.throws(() => kernelSvm({ C: 0 }), /option svm\.C: got 0, expected a positive number/);
  assert.throws(() => kernelSvm({ C: -2 }), /option svm\.C: got -2/);
  assert.throws(() => kernelSvm({ kernel: 'poly' as never }), /option svm\.kernel: got "poly", expected 'rbf'/);
  assert.throws(() => kernelSvm({ degree: 3 } as never), /option svm\.degree: got 3, expected one of the known options: kernel, C, gamma/);
  assert.throws(() => kernelSvm({ tolerance: 0 }), /svm\.tolerance/);
  assert.throws(() => kernelSvm({ maxIter: 1.5 }), /svm\.maxIter: got 1\.5, expected 'auto' or a positive integer/);
  assert.throws(() => kernelSvm({ cacheSize: 0 }), /svm\.cacheSize/);
  assert.throws(() => kernelSvm({ shrinking: 1 as never }), /svm\.shrinking/);
  assert.throws(() => kernelSvm({ classWeight: 'auto' as never }), /svm\.classWeight: got "auto"/);

  const train = lcgBlobs(7, [12, 10, 8]);
  const svm = kernelSvm();
  assert.throws(() => svm.predict(train.x), /svm is not fitted yet: call fit before predict/);
  assert.throws(() => svm.decisionFunction(train.x), /svm is not fitted yet: call fit before decisionFunction/);
  await assert.rejects(svm.save(os.tmpdir()), /svm is not fitted yet: call fit before save/);
  assert.equal(await svm.fit(train), svm, 'fit resolves to the classifier');
  assert.throws(() => svm.predict(new Float32Array(10)), /x has length 10, not a multiple of the fitted dimension 4/);
  assert.equal(svm.predict(new Float32Array(0)).length, 0);
  await assert.rejects(kernelSvm({ classWeight: [1, 2] }).fit(train), /svm\.classWeight.*expected 3 weights, one per class/);
  const gap = makeDataset({ ...train, name: 'gap', y: Array.from(train.y, (c) => (c === 2 ? 0 : c)) });
  await assert.rejects(kernelSvm().fit(gap), /gap: svm\.fit: class 'c2' has no training rows/);

  const rbfSvm = makeClassifier('svm', { kernel: 'rbf', C: 10, gamma: 'auto' });
  assert.ok(rbfSvm instanceof KernelSvm);
  assert.equal(rbfSvm.name, 'svm');
  assert.equal(rbfSvm.options.C, 10);
  const linear = makeClassifier('svm', { kernel: 'linear' });
  assert.ok(linear instanceof LinearSvm);
  // kernel: 'linear' is accepted but not stored: the same options as {} (experiment stores hash them)
  assert.deepEqual(linear.options, makeClassifier('svm', {}).options);
  // (a store's unit keys hash the options a spec gives, not these defaults: greedyAfter,
  // greedyMemory, greedyPairs and fallback, added later, left every key as it was)
  assert.deepEqual(Object.keys(LINEAR_SVM_DEFAULTS), ['C', 'classWeight', 'multiclass', 'bias', 'tolerance', 'maxIter', 'greedyAfter', 'greedyMemory', 'greedyPairs', 'fallback', 'seed']);
  assert.throws(() => makeClassifier('svm', { kernel: 'poly' } as never), /option linearSvm\.kernel: got "poly", expected 'linear' \(for the RBF kernel use/);
  assert.throws(() => new LinearSvm({ kernel: 'rbf' } as never), /linearSvm\.kernel: got "rbf"/);
});

const rd = realData('emodb-is11');
test("emodb-is11, leave-one-speaker-out, pooled: within 0.3 points of SVC(kernel='rbf', C=10, gamma='auto') (WA 80.56, UAR 78.31)", { skip: rd.skip }, async () => {
  const ds = loadDataset('emodb-is11');
  const preds = [];
  for (const f of splitFolds(ds)) {
    const svm = await makeClassifier('svm', { kernel: 'rbf', C: 10, gamma: 'auto' }).fit(f.train);
    assert.equal(svm.fitInfo!.notConverged, 0);
    preds.push({ fold: f.fold.group, yTrue: f.test.y, yPred: svm.predict(f.test.x) });
  }
  const s = summarizeFolds(preds, ds.classes.length);
  assert.ok(Math.abs(100 * s.wa - 80.56) <= 0.3, `WA ${(100 * s.wa).toFixed(2)} %`);
  assert.ok(Math.abs(100 * s.uar - 78.31) <= 0.3, `UAR ${(100 * s.uar).toFixed(2)} %`);
});
