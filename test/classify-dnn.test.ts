import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDataset, type Dataset } from '../src/data/dataset';
import { perClassRecall, wa } from '../src/eval/metrics';
import { tf } from '../src/backend/tf';
import {
  buildDnn, dnn, Dnn, DNN_AUTHORS_OPTIONS, DNN_DEFAULTS, DNN_PRESETS, dnnLogits, dropoutMasks, dnnGradients, fillDropoutMask, trainDnnOneStep, validationSplit, weightedCrossEntropy,
  type DnnLayout, type DnnOptions, type DnnStepOptions, type DnnWeights,
} from '../src/classify/dnn';
import { batchNormInfer, batchNormTrain, batchNormTrainOps, buildBatchNorm, updateMovingStatistics, type BatchNormMovingAverage } from '../src/classify/batch-norm';
import { initBackend } from '../src/backend/init';
import { denseKernelsActive } from '../src/backend/dense';
import { loadNative } from '../src/backend/native';
import { loadDataset } from '../src/data/registry';
import { splitFolds } from '../src/data/folds';
import { summarizeFolds } from '../src/eval/metrics';
import { Random } from '../src/util/random';
import { realData } from './real-data';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadClassifier } from '../src/classify/load';

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
    name: 'blobs', x: Float32Array.from(x), d: opts.d, y, classes: opts.perClass.map((_, c) => `c${c}`),
    groups: y.map((_, i) => `g${i % 3}`),
  });
}

const easy = blobs({ perClass: [30, 30, 30], d: 10, sep: 3, noise: 1, seed: 1 });
const easyTest = blobs({ perClass: [20, 20, 20], d: 10, sep: 3, noise: 1, seed: 2 });
/** Small and quick: one hidden layer of 16, a large step. */
const QUICK = { hiddenLayers: [16], learningRate: 1e-2, epochs: 30, batchSize: 16 };

test('fit resolves to the classifier; predict and predictProba have the right shapes', async () => {
  const net = new Dnn({ ...QUICK, epochs: 2 });
  assert.equal(await net.fit(easy), net);
  const p = net.predict(easyTest.x);
  assert.ok(p instanceof Int32Array);
  assert.equal(p.length, 60);
  const proba = net.predictProba(easyTest.x);
  assert.equal(proba.length, 60 * 3);
  for (let i = 0; i < 60; i++) {
    const row = proba.subarray(3 * i, 3 * i + 3);
    assert.ok(Math.abs(row[0] + row[1] + row[2] - 1) < 1e-5);
    assert.equal(p[i], row.indexOf(Math.max(...row)));
  }
  assert.equal(net.history.length, 2);
  assert.deepEqual(net.weights.kernels.map((k) => k.shape), [[10, 16], [16, 3]]);
  net.dispose();
});

test('learns an easy problem (loss falls, held-out accuracy high)', async () => {
  const net = await dnn(QUICK).fit(easy);
  const h = net.history;
  assert.ok(h[h.length - 1].loss < 0.5 * h[0].loss, `loss ${h[0].loss} -> ${h[h.length - 1].loss}`);
  assert.ok(wa(easyTest.y, net.predict(easyTest.x)) >= 0.95);
  net.dispose();
});

test('the same seed gives identical predictions; another seed does not', async () => {
  const run = async (seed: number): Promise<Float32Array> => {
    const net = await dnn({ ...QUICK, epochs: 3, seed }).fit(easy);
    const p = net.predictProba(easyTest.x);
    net.dispose();
    return p;
  };
  const a = await run(5);
  assert.deepEqual(await run(5), a);
  assert.notDeepEqual(await run(6), a);
});

test('tensor count is flat across epochs and back to the start after dispose', async () => {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const net = await dnn({ ...QUICK, epochs: 6, validationFraction: 0.2, onEpoch: () => counts.push(tf.memory().numTensors) }).fit(easy);
  assert.equal(counts.length, 6);
  assert.ok(counts.every((c) => c === counts[0]), `tensors per epoch: ${counts.join(', ')}`);
  const fitted = tf.memory().numTensors;
  assert.equal(fitted, before + 4, 'only the 2 kernels and 2 biases stay after fit');
  net.predict(easyTest.x);
  net.predictProba(easyTest.x);
  assert.equal(tf.memory().numTensors, fitted);
  await net.fit(easy); // refitting frees the old weights
  assert.equal(tf.memory().numTensors, fitted);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('early stopping: a stratified validation split from the training rows, best weights kept', async () => {
  const noisy = blobs({ perClass: [40, 40], d: 10, sep: 0.8, noise: 1, seed: 3 });
  const split = validationSplit(noisy, 0.25, new Random(1));
  assert.equal(split.valRows.length, 20);
  assert.equal(split.fitRows.length + split.valRows.length, noisy.n);
  assert.equal(new Set([...split.fitRows, ...split.valRows]).size, noisy.n, 'disjoint and covering the training rows');
  assert.deepEqual([0, 1].map((c) => [...split.valRows].filter((i) => noisy.y[i] === c).length), [10, 10]);

  const net = await dnn({ hiddenLayers: [64], learningRate: 3e-2, epochs: 300, validationFraction: 0.25, patience: 5 }).fit(noisy);
  const h = net.history;
  assert.ok(h.length < 300, `stopped after ${h.length} epochs`);
  assert.ok(h.every((r) => r.valLoss !== undefined && r.valAccuracy !== undefined));
  const best = h.reduce((b, r) => (r.valLoss! < b.valLoss! ? r : b));
  assert.equal(net.bestEpoch, best.epoch);
  assert.equal(h.length, best.epoch + 5);
  // the kept weights are those of the best epoch: their validation loss is the best one
  const valSet = { x: new Float32Array(20 * 10), y: new Int32Array(20) };
  const s = validationSplit(noisy, 0.25, new Random(0).derive('validation'));
  s.valRows.forEach((i, r) => { valSet.x.set(noisy.x.subarray(i * 10, i * 10 + 10), r * 10); valSet.y[r] = noisy.y[i]; });
  const proba = net.predictProba(valSet.x);
  let ce = 0;
  valSet.y.forEach((c, r) => { ce -= Math.log(proba[2 * r + c]); });
  assert.ok(Math.abs(ce / 20 - best.valLoss!) < 1e-4, `val loss of kept weights ${ce / 20} vs best ${best.valLoss}`);
  net.dispose();
  assert.throws(() => validationSplit(blobs({ perClass: [1, 1], d: 2, sep: 1, noise: 1, seed: 0 }), 0.3, new Random(0)), /leaves no validation rows/);
});

test('class weights shift the decision toward the minority class', async () => {
  const train = blobs({ perClass: [200, 20], d: 5, sep: 1.5, noise: 1, seed: 4 });
  const held = blobs({ perClass: [200, 200], d: 5, sep: 1.5, noise: 1, seed: 5 });
  const opts = { hiddenLayers: [16], learningRate: 1e-2, epochs: 15 };
  const plain = await dnn({ ...opts, classWeight: 'none' }).fit(train);
  const weighted = await dnn({ ...opts, classWeight: 'nmax' }).fit(train);
  const minority = (net: Dnn): number => perClassRecall(held.y, net.predict(held.x), 2)[1];
  assert.ok(minority(weighted) > minority(plain) + 0.2, `minority recall: weighted ${minority(weighted)} vs none ${minority(plain)}`);
  plain.dispose();
  weighted.dispose();
});

test('Xavier init and the paper presets', () => {
  const net = buildDnn([300, 100, 7], new Random(0));
  const w = net.kernels[0].dataSync();
  const limit = Math.sqrt(6 / 400);
  let sq = 0;
  for (const v of w) { assert.ok(Math.abs(v) <= limit); sq += v * v; }
  assert.ok(Math.abs(Math.sqrt(sq / w.length) - limit / Math.sqrt(3)) < 0.01 * limit, 'uniform(-limit, limit) has std limit/sqrt(3)');
  assert.ok(net.biases.every((b) => b.dataSync().every((v) => v === 0)));
  tf.dispose([...net.kernels, ...net.biases]);
  assert.deepEqual(DNN_DEFAULTS.hiddenLayers, [100, 100]);
  assert.deepEqual(DNN_PRESETS.iemocap.hiddenLayers, [512, 512, 512, 512]);
  assert.equal(DNN_PRESETS.iemocap.classWeight, 'nmax');
  assert.equal(DNN_DEFAULTS.learningRate, 1e-4);
});

test('bad input: unfitted, wrong dimension, a class with no rows, bad options', async () => {
  assert.throws(() => dnn().predict(easy.x), /dnn is not fitted yet: call fit before predict/);
  assert.throws(() => dnn().predictProba(easy.x), /call fit before predictProba/);
  const net = await dnn({ ...QUICK, epochs: 1 }).fit(easy);
  assert.throws(() => net.predict(new Float32Array(15)), /x has length 15, not a multiple of the fitted dimension 10/);
  net.dispose();
  const gap = makeDataset({ ...easy, name: 'gap', y: Array.from(easy.y, (c) => (c === 1 ? 0 : c)) });
  await assert.rejects(dnn(QUICK).fit(gap), /gap: dnn\.fit: class 'c1' has no training rows/);
  assert.throws(() => dnn({ hiddenLayers: [100, 0] }), /option dnn\.hiddenLayers: got \[100,0\], expected an array of positive integers/);
  assert.throws(() => dnn({ epochs: 0 }), /dnn\.epochs: got 0, expected a positive integer/);
  assert.throws(() => dnn({ validationFraction: 1 }), /dnn\.validationFraction/);
  assert.throws(() => dnn({ lr: 1 } as never), /dnn\.lr.*known options/);
});

// ---- the authors' network: tanh, BatchNorm, dropout, L2 on layers 2.. (DNN_AUTHORS_OPTIONS) ----

/** Assert two arrays agree elementwise within `tol` (absolute). */
function near(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

/** Overwrite a variable's values (no tensor left behind). */
function set(v: tf.Variable, values: number[]): void {
  tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
}

test('BatchNorm by hand: batch mean and biased variance in training, moving statistics when predicting', async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const bn = buildBatchNorm(2);
  set(bn.gamma, [2, 1]);
  set(bn.beta, [0.5, 0]);
  const a = tf.tensor2d([[1, 2], [3, 6], [5, 10]]);
  const eps = 1e-3;
  const { y, mean, variance } = tf.tidy(() => batchNormTrain(a, bn, eps));
  // column 0: mean 3, variance ((-2)² + 0² + 2²) / 3 = 8/3; column 1: mean 6, variance (16 + 0 + 16) / 3 = 32/3
  near(mean.dataSync(), [3, 6], 1e-6, 'batch mean');
  near(variance.dataSync(), [8 / 3, 32 / 3], 1e-5, 'batch variance (divided by n, not n - 1)');
  const s0 = Math.sqrt(8 / 3 + eps);
  const s1 = Math.sqrt(32 / 3 + eps);
  near(y.dataSync(), [2 * -2 / s0 + 0.5, -4 / s1, 0.5, 0, 2 * 2 / s0 + 0.5, 4 / s1], 1e-5, 'training output');
  // prediction: moving mean (1, -1), moving variance (4, 0.25); the batch's statistics play no part
  set(bn.movingMean, [1, -1]);
  set(bn.movingVariance, [4, 0.25]);
  const yHat = tf.tidy(() => batchNormInfer(a, bn, eps));
  const m0 = Math.sqrt(4 + eps);
  const m1 = Math.sqrt(0.25 + eps);
  near(yHat.dataSync(), [0.5, 3 / m1, 2 * 2 / m0 + 0.5, 7 / m1, 2 * 4 / m0 + 0.5, 11 / m1], 1e-5, 'prediction output');
  tf.dispose([a, y, mean, variance, yHat, bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]);
  assert.equal(tf.memory().numTensors, before);
});

test("BatchNorm's written-out gradient equals autograd of the same ops (input, gamma, beta)", async () => {
  await initBackend();
  const rng = new Random(4);
  const bn = buildBatchNorm(5);
  set(bn.gamma, Array.from(rng.normalArray(5)));
  set(bn.beta, Array.from(rng.normalArray(5)));
  const a = tf.variable(tf.tensor2d(rng.normalArray(7 * 5, 1, 2), [7, 5]));
  const dy = tf.tensor2d(rng.normalArray(7 * 5), [7, 5]);
  const before = tf.memory().numTensors;
  const grads = (f: () => tf.Tensor2D): Float32Array[] => tf.tidy(() => {
    const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(f(), dy)) as tf.Scalar, [a, bn.gamma, bn.beta]);
    return [a, bn.gamma, bn.beta].map((v) => g[v.name].dataSync() as Float32Array);
  });
  const moments: tf.Tensor[] = [];
  const written = grads(() => {
    const { y, mean, variance } = batchNormTrain(a, bn, 1e-3);
    moments.push(mean, variance);
    return y;
  });
  tf.dispose(moments);
  assert.equal(tf.memory().numTensors, before, 'no tensor left by the custom gradient');
  const autograd = grads(() => batchNormTrainOps(a, bn, 1e-3));
  ['input', 'gamma', 'beta'].forEach((what, i) => near(written[i], autograd[i], 1e-5, `d${what}`));
  tf.dispose([a, dy, ...[bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]]);
});

test("BatchNorm moving statistics: Keras 2.1's debiased average with n / (n - 1 - eps), PyTorch's, tf.keras'", async () => {
  await initBackend();
  const eps = 1e-3;
  const m = 0.99;
  // two batches: (mean 2, biased variance 3) over 4 rows, then (mean -1, variance 0.5) over 5 rows
  const run = (movingAverage: BatchNormMovingAverage, steps: [number, number, number][]): [number, number] => {
    const bn = buildBatchNorm(1);
    for (const [mu, v, rows] of steps) {
      tf.tidy(() => updateMovingStatistics(bn, tf.tensor1d([mu]), tf.tensor1d([v]), rows, { momentum: m, epsilon: eps, movingAverage }));
    }
    const out: [number, number] = [bn.movingMean.dataSync()[0], bn.movingVariance.dataSync()[0]];
    tf.dispose([bn.gamma, bn.beta, bn.movingMean, bn.movingVariance]);
    return out;
  };
  const b1: [number, number, number] = [2, 3, 4];
  const b2: [number, number, number] = [-1, 0.5, 5];
  const kv = (v: number, n: number): number => v * n / (n - (1 + eps)); // Keras' "unbiased" variance
  // Keras 2.1 on TF1: zero-debiased, so after one step the moving values are the batch's own
  near(run('keras-2.1', [b1]), [2, kv(3, 4)], 1e-6, 'keras-2.1 after 1 step');
  const w = 1 - m * m; // 1 - m^t, t = 2
  near(run('keras-2.1', [b1, b2]), [((1 - m) * m * 2 + (1 - m) * -1) / w, ((1 - m) * m * kv(3, 4) + (1 - m) * kv(0.5, 5)) / w], 1e-6, 'keras-2.1 after 2 steps');
  // PyTorch BatchNorm1d(momentum = 0.01): from 0 / 1, variance times n / (n - 1)
  near(run('pytorch', [b1, b2]), [m * (1 - m) * 2 + (1 - m) * -1, m * (m + (1 - m) * 3 * 4 / 3) + (1 - m) * 0.5 * 5 / 4], 1e-6, 'pytorch after 2 steps');
  near(run('tf-keras', [b1]), [(1 - m) * 2, m + (1 - m) * 3], 1e-6, 'tf-keras after 1 step');
  // a batch of one row changes nothing
  near(run('keras-2.1', [[5, 0, 1]]), [0, 1], 0, 'one-row batch, keras-2.1');
  near(run('pytorch', [b1, [5, 0, 1]]), run('pytorch', [b1]), 0, 'one-row batch, pytorch');
});

/** A net of the given sizes with BatchNorm, weights set to small fixed values (no randomness). */
function fixedNet(sizes: number[]): DnnWeights {
  const net = buildDnn(sizes, new Random(0), true);
  net.kernels.forEach((k, l) => set(k, Array.from({ length: k.size }, (_, i) => 0.3 * Math.sin(1 + i + 7 * l))));
  net.biases.forEach((b, l) => set(b, Array.from({ length: b.size }, (_, i) => 0.1 * Math.cos(i + l))));
  net.norms.forEach((bn, l) => {
    set(bn.gamma, Array.from({ length: bn.gamma.size }, (_, i) => 1 + 0.2 * i + 0.1 * l));
    set(bn.beta, Array.from({ length: bn.beta.size }, (_, i) => 0.05 * (i - l)));
    set(bn.movingMean, Array.from({ length: bn.gamma.size }, (_, i) => 0.1 * (i + 1)));
    set(bn.movingVariance, Array.from({ length: bn.gamma.size }, (_, i) => 0.5 + 0.25 * i));
  });
  return net;
}

const disposeNet = (net: DnnWeights): void => tf.dispose([...net.kernels, ...net.biases, ...net.norms.flatMap((bn) => [bn.gamma, bn.beta, bn.movingMean, bn.movingVariance])]);

/** The authors' forward pass written out in plain arrays (rows x cols, row-major, float64). */
function authorsForwardByHand(net: DnnWeights, x: number[][], training: boolean, masks: number[][][], eps: number): number[][] {
  const mat = (v: tf.Variable): number[][] => {
    const [r, c] = v.shape;
    const d = Array.from(v.dataSync());
    return Array.from({ length: r }, (_, i) => d.slice(i * c, (i + 1) * c));
  };
  const affine = (h: number[][], w: number[][], b: number[]): number[][] => h.map((row) => b.map((bj, j) => bj + row.reduce((s, v, i) => s + v * w[i][j], 0)));
  const norm = (h: number[][], l: number): number[][] => {
    const bn = net.norms[l];
    const gamma = Array.from(bn.gamma.dataSync());
    const beta = Array.from(bn.beta.dataSync());
    const cols = gamma.length;
    let mean = Array.from(bn.movingMean.dataSync());
    let variance = Array.from(bn.movingVariance.dataSync());
    if (training) {
      mean = Array.from({ length: cols }, (_, j) => h.reduce((s, r) => s + r[j], 0) / h.length);
      variance = Array.from({ length: cols }, (_, j) => h.reduce((s, r) => s + (r[j] - mean[j]) ** 2, 0) / h.length);
    }
    return h.map((r) => r.map((v, j) => gamma[j] * (v - mean[j]) / Math.sqrt(variance[j] + eps) + beta[j]));
  };
  const tanh = (h: number[][]): number[][] => h.map((r) => r.map(Math.tanh));
  const drop = (h: number[][], l: number): number[][] => (training ? h.map((r, i) => r.map((v, j) => v * masks[l][i][j])) : h);
  let h = x;
  const last = net.kernels.length - 1;
  for (let l = 0; l < last; l++) {
    const z = affine(h, mat(net.kernels[l]), Array.from(net.biases[l].dataSync()));
    // layer 1: Dense(tanh) -> BN; layers 2..: Dense -> BN -> tanh; then dropout
    h = drop(l === 0 ? norm(tanh(z), l) : tanh(norm(z, l)), l);
  }
  return affine(h, mat(net.kernels[last]), Array.from(net.biases[last].dataSync()));
}

test("the authors' layer order by hand: Dense(tanh) -> BN -> dropout, then Dense -> BN -> tanh -> dropout; predicting uses moving statistics and no dropout", async () => {
  await initBackend();
  const before = tf.memory().numTensors;
  const net = fixedNet([3, 4, 3, 2]);
  const layout = { ...DNN_DEFAULTS, ...DNN_AUTHORS_OPTIONS };
  const xs = [[0.5, -1, 2], [1.5, 0.2, -0.7], [-0.3, 0.8, 0.1], [2, -1.2, 0.4], [0, 0.3, -1.5]];
  const x = tf.tensor2d(xs);
  const masks = dropoutMasks(5, [4, 3], 0.5, new Random(3));
  const maskValues = masks.map((m) => {
    const v = Array.from(m.dataSync());
    return xs.map((_, i) => v.slice(i * m.shape[1], (i + 1) * m.shape[1]));
  });
  assert.ok(maskValues.flat(2).every((v) => v === 0 || v === 2), 'inverted dropout at rate 0.5: units are 0 or 2');
  const moments: { mean: tf.Tensor1D; variance: tf.Tensor1D }[] = [];
  const train = tf.tidy(() => dnnLogits(net, x, layout, { masks, moments }));
  near(train.dataSync(), authorsForwardByHand(net, xs, true, maskValues, 1e-3).flat(), 1e-5, 'training logits');
  assert.equal(moments.length, 2, 'one batch mean and variance per BatchNorm layer');
  const predict = tf.tidy(() => dnnLogits(net, x, layout));
  near(predict.dataSync(), authorsForwardByHand(net, xs, false, [], 1e-3).flat(), 1e-5, 'prediction logits');
  tf.dispose([x, train, predict, ...masks, ...moments.flatMap((m) => [m.mean, m.variance])]);
  disposeNet(net);
  assert.equal(tf.memory().numTensors, before);
});

test('dropout masks come from the seed: 0 or 1/(1 - rate), about rate of them 0, the same seed the same masks', () => {
  const draw = (seed: number): Float32Array[] => {
    const masks = dropoutMasks(200, [50, 30], 0.3, new Random(seed));
    const out = masks.map((m) => m.dataSync() as Float32Array);
    tf.dispose(masks);
    return out;
  };
  const a = draw(1);
  assert.deepEqual(a.map((m) => m.length), [200 * 50, 200 * 30]);
  const all = a.flatMap((m) => Array.from(m));
  assert.ok(all.every((v) => v === 0 || Math.abs(v - 1 / 0.7) < 1e-6));
  const dropped = all.filter((v) => v === 0).length / all.length;
  assert.ok(Math.abs(dropped - 0.3) < 0.02, `dropped fraction ${dropped}`);
  assert.deepEqual(draw(1), a);
  assert.notDeepEqual(draw(2), a);
});

test("the addon draws the JS loop's dropout masks bit for bit, layer after layer", { skip: loadNative().addon ? false : 'native addon absent: masks come from the JS loop only' }, async () => {
  await initBackend({ backend: 'native' });
  assert.ok(denseKernelsActive(), 'the masks come from the addon');
  for (const rate of [0.5, 0.3, 0.1, 0.9, 1 / 3]) {
    const random = new Random(11);
    const masks = dropoutMasks(50, [512, 100, 7], rate, random);
    const native = masks.map((m) => m.dataSync() as Float32Array);
    tf.dispose(masks);
    // the same stream through the JS loop, as dropoutMasks seeds it
    const again = new Random(11);
    const state = Int32Array.from({ length: 4 }, () => again.nextUint32() | 0);
    for (const [l, n] of [512, 100, 7].entries()) {
      const values = new Float32Array(50 * n);
      fillDropoutMask(values, rate * 4294967296, 1 / (1 - rate), state);
      assert.deepEqual(native[l], values, `rate ${rate}, layer ${l}`);
    }
    assert.equal(random.nextUint32(), again.nextUint32(), 'the seeding stream moved alike');
  }
});

test("the DNN's tape-free gradients are tfjs autograd's, bit for bit, for every layout (native backend)", async () => {
  await initBackend();
  if (!denseKernelsActive()) return; // dnnGradients is the native backend's path only
  const sizes = [37, 16, 9, 5];
  const rows = 19;
  const rng = new Random(21);
  const x = tf.tensor2d(rng.normalArray(rows * sizes[0]), [rows, sizes[0]]);
  const labels = Array.from({ length: rows }, (_, i) => (i * 7) % sizes[3]);
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), sizes[3]).toFloat() as tf.Tensor2D;
  const rowWeight = tf.tensor1d(labels.map((c) => 1 + c / 4));
  const base = { batchNorm: false, batchNormPlacement: 'authors', batchNormEpsilon: 1e-3, dropout: 0 } as const;
  const layouts: Array<{ name: string; layout: DnnLayout }> = [
    { name: 'plain relu (the paper)', layout: { ...base, activation: 'relu' } },
    { name: 'plain tanh', layout: { ...base, activation: 'tanh' } },
    { name: "the authors' (tanh, BatchNorm, dropout)", layout: { ...base, activation: 'tanh', batchNorm: true, dropout: 0.5 } },
    { name: 'relu, BatchNorm before, dropout', layout: { ...base, activation: 'relu', batchNorm: true, batchNormPlacement: 'before-activation', dropout: 0.3 } },
    { name: 'relu, BatchNorm after', layout: { ...base, activation: 'relu', batchNorm: true, batchNormPlacement: 'after-activation' } },
  ];
  const bytes = (t: tf.Tensor): Buffer => {
    const a = t.dataSync();
    return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  };
  for (const { name, layout } of layouts) {
    const net = buildDnn(sizes, new Random(3), layout.batchNorm);
    const vars = [...net.kernels, ...net.biases, ...net.norms.flatMap((bn) => [bn.gamma, bn.beta])];
    const masks = layout.dropout > 0 ? dropoutMasks(rows, sizes.slice(1, -1), layout.dropout, new Random(8)) : undefined;
    const tapeMoments: { mean: tf.Tensor1D; variance: tf.Tensor1D }[] = [];
    const mineMoments: { mean: tf.Tensor1D; variance: tf.Tensor1D }[] = [];
    const tape = tf.variableGrads(() => weightedCrossEntropy(dnnLogits(net, x, layout, { masks, moments: tapeMoments }), oneHot, rowWeight), vars);
    const mine = tf.tidy(() => dnnGradients(net, vars, x, oneHot, rowWeight, layout, { masks, moments: mineMoments }));
    assert.ok(bytes(mine.value).equals(bytes(tape.value)), `${name}: loss`);
    for (const v of vars) assert.ok(bytes(mine.grads[v.name]).equals(bytes(tape.grads[v.name])), `${name}: gradient of ${v.name}`);
    assert.equal(mineMoments.length, tapeMoments.length, `${name}: one pair of statistics per BatchNorm layer`);
    mineMoments.forEach((m, l) => assert.ok(bytes(m.mean).equals(bytes(tapeMoments[l].mean)) && bytes(m.variance).equals(bytes(tapeMoments[l].variance)), `${name}: layer ${l}'s statistics`));
    tf.dispose([mine.value, tape.value, ...Object.values(mine.grads), ...Object.values(tape.grads), ...(masks ?? []), ...[...mineMoments, ...tapeMoments].flatMap((m) => [m.mean, m.variance])]);
    disposeNet(net);
  }
  tf.dispose([x, oneHot, rowWeight]);
});

test('L2 reaches only the chosen kernels: one SGD step adds -lr · 2λW to exactly those (gradient check)', async () => {
  await initBackend();
  const sizes = [4, 5, 3, 2];
  const x = tf.tensor2d(new Random(5).normalArray(6 * 4), [6, 4]);
  const oneHot = tf.tensor2d([[1, 0], [0, 1], [1, 0], [0, 1], [0, 1], [1, 0]]);
  const rowWeight = tf.ones([6]) as tf.Tensor1D;
  const lr = 0.5;
  const lambda = 0.1;
  for (const layout of [{ activation: 'relu', batchNorm: false }, { activation: 'tanh', batchNorm: true }] as const) {
    const step = (l2: number, l2Layers: DnnOptions['l2Layers']): { before: Float32Array[]; after: Float32Array[] } => {
      const net = buildDnn(sizes, new Random(9), layout.batchNorm);
      const vars = (): tf.Variable[] => [...net.kernels, ...net.biases, ...net.norms.flatMap((bn) => [bn.gamma, bn.beta])];
      const before = vars().map((v) => v.dataSync().slice() as Float32Array);
      const sgd = tf.train.sgd(lr);
      const o: DnnStepOptions = { ...DNN_DEFAULTS, ...layout, dropout: 0, l2, l2Layers };
      trainDnnOneStep(net, sgd, x, oneHot, rowWeight, o);
      const after = vars().map((v) => v.dataSync().slice() as Float32Array);
      sgd.dispose();
      disposeNet(net);
      return { before, after };
    };
    const none = step(0, 'all');
    for (const l2Layers of ['all', 'all-but-first'] as const) {
      const pen = step(lambda, l2Layers);
      pen.after.forEach((values, i) => {
        const isPenalised = i < sizes.length - 1 && (l2Layers === 'all' || i > 0);
        const expected = Array.from(none.after[i], (v, j) => v - (isPenalised ? lr * 2 * lambda * pen.before[i][j] : 0));
        near(values, expected, 2e-6, `${layout.activation}${layout.batchNorm ? '+BN' : ''} ${l2Layers}: variable ${i}`);
      });
    }
  }
  tf.dispose([x, oneHot, rowWeight]);
});

test("the authors' options learn an easy problem; predictions use moving statistics and no dropout", async () => {
  const net = await dnn({ ...DNN_AUTHORS_OPTIONS, hiddenLayers: [32, 32], epochs: 40, batchSize: 16, seed: 1 }).fit(easy);
  assert.ok(wa(easyTest.y, net.predict(easyTest.x)) >= 0.95, `held-out accuracy ${wa(easyTest.y, net.predict(easyTest.x))}`);
  const h = net.history;
  assert.ok(h[h.length - 1].loss < 0.5 * h[0].loss, `loss ${h[0].loss} -> ${h[h.length - 1].loss}`);
  assert.ok(net.weights.norms.every((bn) => bn.debias.steps === 40 * Math.ceil(90 / 16)), 'moving statistics updated once per batch');
  // predictProba is the deterministic forward pass written out by hand (no dropout, moving statistics)
  const xs = Array.from({ length: 5 }, (_, i) => Array.from(easyTest.x.subarray(i * 10, i * 10 + 10)));
  const logits = authorsForwardByHand(net.weights, xs, false, [], 1e-3);
  const proba = net.predictProba(easyTest.x.subarray(0, 50));
  const softmax = logits.flatMap((r) => {
    const mx = Math.max(...r);
    const e = r.map((v) => Math.exp(v - mx));
    const z = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / z);
  });
  near(proba, softmax, 1e-5, 'predictProba');
  assert.deepEqual(net.predictProba(easyTest.x), net.predictProba(easyTest.x), 'prediction draws nothing at random');
  net.dispose();
});

test("the authors' options: the same seed gives the same model, another seed other weights", async () => {
  const opts = { ...DNN_AUTHORS_OPTIONS, hiddenLayers: [16, 8], epochs: 3, batchSize: 16 };
  const run = async (seed: number): Promise<{ proba: Float32Array; weights: Float32Array[] }> => {
    const net = await dnn({ ...opts, seed }).fit(easy);
    const out = { proba: net.predictProba(easyTest.x), weights: [...net.weights.kernels, ...net.weights.norms.map((bn) => bn.movingMean)].map((v) => v.dataSync() as Float32Array) };
    net.dispose();
    return out;
  };
  const a = await run(5);
  const b = await run(5);
  assert.deepEqual(b.proba, a.proba);
  assert.deepEqual(b.weights, a.weights);
  const c = await run(6);
  c.weights.forEach((w, i) => assert.notDeepEqual(w, a.weights[i], `weight ${i} differs with another seed`));
  // dropout is drawn from the seed too: with dropout off the same seed trains another model
  const net = await dnn({ ...opts, dropout: 0, seed: 5 }).fit(easy);
  assert.notDeepEqual(net.predictProba(easyTest.x), a.proba);
  net.dispose();
});

test("the authors' options: tensor count flat across epochs and back to the start after dispose", async () => {
  const before = tf.memory().numTensors;
  const counts: number[] = [];
  const net = await dnn({ ...DNN_AUTHORS_OPTIONS, hiddenLayers: [16, 8], epochs: 5, batchSize: 16, validationFraction: 0.2, onEpoch: () => counts.push(tf.memory().numTensors) }).fit(easy);
  assert.equal(counts.length, 5);
  assert.ok(counts.every((c) => c === counts[0]), `tensors per epoch: ${counts.join(', ')}`);
  const fitted = tf.memory().numTensors;
  // 3 kernels, 3 biases; 2 BatchNorm layers of gamma, beta, moving mean and variance
  assert.equal(fitted, before + 6 + 2 * 4);
  net.predict(easyTest.x);
  assert.equal(tf.memory().numTensors, fitted);
  await net.fit(easy);
  assert.equal(tf.memory().numTensors, fitted);
  net.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test('bad values of the new options name the option', () => {
  const cases: [Partial<DnnOptions>, RegExp][] = [
    [{ activation: 'sigmoid' as never }, /option dnn\.activation: got "sigmoid", expected one of 'relu', 'tanh'/],
    [{ batchNorm: 1 as never }, /option dnn\.batchNorm: got 1, expected true or false/],
    [{ batchNormPlacement: 'before' as never }, /option dnn\.batchNormPlacement: got "before", expected one of 'before-activation', 'after-activation', 'authors'/],
    [{ batchNormMomentum: 1 }, /option dnn\.batchNormMomentum: got 1, expected a number in \[0, 1\)/],
    [{ batchNormMomentum: 0.01 - 1 }, /dnn\.batchNormMomentum/],
    [{ batchNormEpsilon: 0 }, /option dnn\.batchNormEpsilon: got 0, expected a positive number/],
    [{ batchNormMovingAverage: 'keras' as never }, /option dnn\.batchNormMovingAverage: got "keras", expected one of 'keras-2\.1', 'pytorch', 'tf-keras'/],
    [{ dropout: 1 }, /option dnn\.dropout: got 1, expected a number in \[0, 1\)/],
    [{ dropout: -0.1 }, /dnn\.dropout/],
    [{ l2Layers: 'first' as never }, /option dnn\.l2Layers: got "first", expected one of 'all', 'all-but-first'/],
  ];
  for (const [options, message] of cases) assert.throws(() => dnn(options), message);
  assert.equal(DNN_DEFAULTS.activation, 'relu');
  assert.equal(DNN_DEFAULTS.batchNorm, false);
  assert.equal(DNN_DEFAULTS.dropout, 0);
  assert.equal(DNN_DEFAULTS.l2Layers, 'all');
});

const emodb = realData('emodb-is11');
test("emodb-is11 LOSO, the authors' network, one seed: within 2.5 points of the PyTorch replica (WA 79.1, UAR 77.2)", { skip: emodb.skip }, async () => {
  const ds = loadDataset('emodb-is11');
  const preds = [];
  for (const f of splitFolds(ds)) {
    const net = await dnn({ ...DNN_AUTHORS_OPTIONS, seed: f.fold.index }).fit(f.train);
    preds.push({ fold: f.fold.group, yTrue: f.test.y, yPred: net.predict(f.test.x) });
    net.dispose();
  }
  const s = summarizeFolds(preds, ds.classes.length);
  assert.ok(Math.abs(100 * s.wa - 79.1) <= 2.5, `WA ${(100 * s.wa).toFixed(2)} %`);
  assert.ok(Math.abs(100 * s.uar - 77.2) <= 2.5, `UAR ${(100 * s.uar).toFixed(2)} %`);
});

test("save then loadClassifier predicts exactly what the saved DNN did (the authors' BatchNorm network and the plain one); damaged files are named", async () => {
  for (const options of [{ ...QUICK, ...DNN_AUTHORS_OPTIONS, hiddenLayers: [16, 8], epochs: 5, seed: 4 }, { ...QUICK, classWeight: 'balanced' as const, seed: 4 }]) {
    const net = await dnn(options).fit(easy);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-dnn-save-'));
    await net.save(dir);
    const loaded = (await loadClassifier(dir)) as Dnn;
    assert.ok(loaded instanceof Dnn);
    assert.deepEqual(loaded.predictProba(easyTest.x), net.predictProba(easyTest.x));
    assert.deepEqual(loaded.predict(easyTest.x), net.predict(easyTest.x));
    assert.deepEqual({ ...loaded.options }, { ...net.options });
    assert.deepEqual(loaded.history, net.history);
    loaded.dispose();
    // a weights file of another length, then the right length with other bytes
    const weights = path.join(dir, 'weights.f32');
    const good = fs.readFileSync(weights);
    fs.writeFileSync(weights, good.subarray(0, 8));
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes('weights.f32') && /truncated/.test(e.message));
    const changed = Buffer.from(good);
    changed[0] ^= 1;
    fs.writeFileSync(weights, changed);
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes('weights.f32') && /SHA-256/.test(e.message));
    // options that describe another network than the weights
    fs.writeFileSync(weights, good);
    const manifestFile = path.join(dir, 'classifier.json');
    const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8'));
    fs.writeFileSync(manifestFile, JSON.stringify({ ...m, options: { ...m.options, hiddenLayers: [32] } }));
    await assert.rejects(loadClassifier(dir), (e: Error) => e.message.includes('classifier.json') && /shapes do not match/.test(e.message));
    net.dispose();
  }
  await assert.rejects(new Dnn().save(os.tmpdir()), /not fitted yet: call fit before save/);
});

test('stages: stagedPredict after 3 of 8 epochs is a 3-epoch fit, its last entry is predict, and keeping them changes nothing', async () => {
  const staged = await dnn({ ...QUICK, epochs: 8, stages: [3, 5], seed: 4 }).fit(easy);
  const at = staged.stagedPredict(easyTest.x);
  assert.deepEqual(at.map((s) => s.epoch), [3, 5, 8]);
  assert.deepEqual(at[2].yPred, staged.predict(easyTest.x), 'the last entry is the final network, which is still in place');
  const short = await dnn({ ...QUICK, epochs: 3, seed: 4 }).fit(easy);
  const shortProba = short.predictProba(easyTest.x);
  assert.deepEqual(at[0].yPred, short.predict(easyTest.x), 'the stage after 3 epochs predicts as a fit of 3 epochs');
  const plain = await dnn({ ...QUICK, epochs: 8, seed: 4 }).fit(easy);
  assert.deepEqual(plain.predictProba(easyTest.x), staged.predictProba(easyTest.x), 'the same final network, bit for bit');
  assert.deepEqual(plain.stagedPredict(easyTest.x).map((s) => s.epoch), [8], 'without stages: the final network only');
  // the stages differ from the end here (an easy problem, but 3 epochs of lr 1e-2 are not 8)
  assert.notDeepEqual(shortProba, plain.predictProba(easyTest.x));
  for (const n of [staged, short, plain]) n.dispose();
  assert.throws(() => dnn({ epochs: 8, stages: [5, 3] }), /dnn\.stages.*increasing whole numbers of epochs below epochs \(8\)/);
  assert.throws(() => dnn({ epochs: 8, stages: [8] }), /dnn\.stages/);
  assert.throws(() => dnn({ epochs: 8, stages: [0.5] }), /dnn\.stages/);
  assert.throws(() => dnn({ epochs: 8, stages: [4], validationFraction: 0.2 }), /no stages with early stopping/);
});
