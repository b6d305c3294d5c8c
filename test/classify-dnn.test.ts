import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDataset, type Dataset } from '../src/data/dataset';
import { perClassRecall, wa } from '../src/eval/metrics';
import { tf } from '../src/backend/tf';
import { buildDnn, dnn, Dnn, DNN_DEFAULTS, DNN_PRESETS, validationSplit } from '../src/classify/dnn';
import { Random } from '../src/util/random';

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
