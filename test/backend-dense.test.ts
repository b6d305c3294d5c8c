/**
 * The fused layer kernels (AdanDense, AdanNorm and their gradients, src/backend/dense.ts) against
 * the same layers written as tfjs ops, and Mlp.applyKept's replayed gradient against a fresh
 * forward pass: values and gradients within float32 rounding, only the products autograd needs,
 * no second forward pass on replay.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import { loadNative } from '../src/backend/native';
import { kernelStats } from '../src/backend/kernels';
import { denseKernelsActive, denseLayer, denseLayerOps, fixedNorm, fixedNormOps, meanSquaredError, softmaxCrossEntropy, withTfjsOps, type DenseActivation, type NormParams } from '../src/backend/dense';
import { Mlp, type BatchNormMode } from '../src/augment/nets';
import { Random } from '../src/util/random';
import { maxRelErr } from './numeric';

const native = loadNative();
const noNative = native.addon ? false : `native addon absent: ${native.reason}`;

/** maxRelErr of two tensors of the same shape. */
function relErr(x: tf.Tensor, ref: tf.Tensor): number {
  assert.deepEqual(x.shape, ref.shape);
  return maxRelErr(x.dataSync(), ref.dataSync());
}

const randn = (rng: Random, shape: number[], scale = 1) => tf.tensor(rng.normalArray(shape.reduce((a, b) => a * b, 1)).map((v) => v * scale), shape);

test('a dense layer as one kernel equals the tfjs ops, forward and every gradient', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  assert.ok(denseKernelsActive());
  const rng = new Random(11);
  for (const [m, k, n] of [[5, 7, 3], [33, 120, 65], [128, 300, 1]] as const) {
    for (const act of ['linear', 'leaky', 'tanh'] as DenseActivation[]) {
      tf.tidy(() => {
        const x = randn(rng, [m, k]) as tf.Tensor2D;
        const w = randn(rng, [k, n], 1 / Math.sqrt(k)) as tf.Tensor2D;
        const b = randn(rng, [n], 0.5) as tf.Tensor1D;
        const dy = randn(rng, [m, n]);
        const loss = (f: typeof denseLayer) => (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(f(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, act, 0.2), dy));
        const mine = tf.grads(loss(denseLayer))([x, w, b]);
        const ref = tf.grads(loss(denseLayerOps))([x, w, b]);
        const where = `${m}x${k}x${n} ${act}`;
        assert.ok(relErr(denseLayer(x, w, b, act, 0.2), denseLayerOps(x, w, b, act, 0.2)) < 1e-5, `forward ${where}`);
        ['x', 'w', 'b'].forEach((name, i) => assert.ok(relErr(mine[i], ref[i]) < 1e-4, `d${name} ${where}: ${relErr(mine[i], ref[i])}`));
      });
    }
  }
});

test('BatchNorm on given statistics as one kernel equals the tfjs ops, forward and gradients', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(12);
  tf.tidy(() => {
    const [m, n] = [40, 23];
    const a = randn(rng, [m, n]) as tf.Tensor2D;
    const p: NormParams = {
      gamma: randn(rng, [n]) as tf.Tensor1D,
      beta: randn(rng, [n]) as tf.Tensor1D,
      mean: randn(rng, [n], 0.3) as tf.Tensor1D,
      variance: tf.add(tf.abs(randn(rng, [n])), 0.1) as tf.Tensor1D,
      epsilon: 1e-3,
    };
    const dy = randn(rng, [m, n]);
    assert.ok(relErr(fixedNorm(a, p), fixedNormOps(a, p)) < 1e-6);
    const loss = (f: typeof fixedNorm) => (aa: tf.Tensor, g: tf.Tensor, bt: tf.Tensor) => tf.sum(tf.mul(f(aa as tf.Tensor2D, { ...p, gamma: g as tf.Tensor1D, beta: bt as tf.Tensor1D }), dy));
    const mine = tf.grads(loss(fixedNorm))([a, p.gamma, p.beta]);
    const ref = tf.grads(loss(fixedNormOps))([a, p.gamma, p.beta]);
    ['a', 'gamma', 'beta'].forEach((name, i) => assert.ok(relErr(mine[i], ref[i]) < 1e-5, `d${name}: ${relErr(mine[i], ref[i])}`));
  });
});

test('the mean squared error as one kernel equals the tfjs ops, value and both gradients', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(15);
  tf.tidy(() => {
    const x = randn(rng, [64, 301]);
    const y = tf.tanh(randn(rng, [64, 301]));
    const ops = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.squaredDifference(a, b)) as tf.Scalar;
    assert.ok(relErr(meanSquaredError(x, y), ops(x, y)) < 1e-6);
    // scaled by 3 so that dy is not 1
    const mine = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(3, meanSquaredError(a, b)))([x, y]);
    const ref = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.mul(3, ops(a, b)))([x, y]);
    ['x', 'y'].forEach((name, i) => assert.ok(relErr(mine[i], ref[i]) < 1e-6, `d${name}: ${relErr(mine[i], ref[i])}`));
  });
});

test('the weighted softmax cross-entropy as one kernel equals the tfjs ops, value and gradient', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(16);
  tf.tidy(() => {
    const [m, k] = [37, 7];
    const logits = randn(rng, [m, k], 3) as tf.Tensor2D;
    const labels = Int32Array.from({ length: m }, () => rng.int(k));
    const targets = tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat() as tf.Tensor2D;
    const weights = tf.tensor1d(Array.from(labels, (l) => 0.5 + l / 3));
    const ops = (l: tf.Tensor) => tf.mean(tf.mul(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(l)), 1)), weights)) as tf.Scalar;
    assert.ok(relErr(softmaxCrossEntropy(logits, targets, weights), ops(logits)) < 1e-6);
    const mine = tf.grad((l: tf.Tensor) => tf.mul(2, softmaxCrossEntropy(l as tf.Tensor2D, targets, weights)))(logits);
    const ref = tf.grad((l: tf.Tensor) => tf.mul(2, ops(l)))(logits);
    assert.ok(relErr(mine, ref) < 1e-5, `dlogits: ${relErr(mine, ref)}`);
  });
});

test('only the products autograd needs run: no input gradient for a layer fed by data', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(13);
  const [m, k, n] = [16, 50, 30];
  const x = randn(rng, [m, k]) as tf.Tensor2D;
  const w = tf.variable(randn(rng, [k, n]));
  const b = tf.variable(tf.zeros([n]));
  const before = kernelStats.nativeFlops;
  const { grads } = tf.variableGrads(() => tf.sum(denseLayer(x, w as tf.Tensor2D, b as tf.Tensor1D, 'tanh', 0.2)) as tf.Scalar, [w, b]);
  // forward x w and dW = x^T dz; dx = dz w^T would add another 2 m k n
  assert.equal(kernelStats.nativeFlops - before, 2 * (2 * m * k * n));
  assert.deepEqual(grads[w.name].shape, [k, n]);
  tf.dispose([x, w, b, ...Object.values(grads)]);
});

test('withTfjsOps switches the layers to tfjs ops (for gradients of gradients)', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  assert.ok(denseKernelsActive());
  withTfjsOps(() => assert.ok(!denseKernelsActive()));
  assert.ok(denseKernelsActive());
  // a second derivative through the ops works; through the fused kernel it refuses loudly
  const x = tf.tensor2d([[0.3, -0.2]]);
  const w = tf.tensor2d([[0.5], [1.5]]);
  const b = tf.tensor1d([0.1]);
  const hessianDiag = (f: typeof denseLayer) => tf.grad((xx: tf.Tensor) => tf.sum(tf.grad((x2: tf.Tensor) => tf.sum(f(x2 as tf.Tensor2D, w, b, 'leaky', 0.2)))(xx)));
  assert.equal(hessianDiag(denseLayerOps)(x).shape.join(), '1,2');
  assert.throws(() => hessianDiag(denseLayer)(x), /gradient/i);
  tf.dispose([x, w, b]);
});

for (const batchNorm of ['fixed', 'none'] as BatchNormMode[]) {
  test(`Mlp.applyKept (${batchNorm} BatchNorm): the replayed gradient equals a fresh forward pass's, without a second forward`, { skip: noNative }, async () => {
    await initBackend({ backend: 'native' });
    const rng = new Random(14);
    const mlp = new Mlp({ name: 'E', input: 60, hidden: [40, 30], output: 8, batchNorm, activation: 'tanh' }, rng, `kept-${batchNorm}`);
    // non-trivial BatchNorm parameters, so their gradients are tested too
    for (const bn of mlp.norms) {
      bn.gamma.assign(tf.add(1, tf.mul(0.2, randn(rng, [bn.gamma.size]))) as tf.Tensor1D);
      bn.beta.assign(tf.mul(0.1, randn(rng, [bn.beta.size])) as tf.Tensor1D);
    }
    const x = randn(rng, [32, 60]) as tf.Tensor2D;
    const target = randn(rng, [32, 8]);
    const vars = mlp.trainable();
    const loss = (out: tf.Tensor) => tf.mean(tf.squaredDifference(out, target)) as tf.Scalar;
    const fresh = tf.variableGrads(() => loss(mlp.apply(x, true)), vars);
    tf.tidy(() => {
      const kept = mlp.applyKept(x, true);
      const calls = kernelStats.native;
      const flops = kernelStats.nativeFlops;
      const replayed = tf.variableGrads(() => loss(kept.replay()), vars);
      assert.ok(relErr(replayed.value, fresh.value) < 1e-6);
      for (const v of vars) assert.ok(relErr(replayed.grads[v.name], fresh.grads[v.name]) < 1e-5, `${v.name}: ${relErr(replayed.grads[v.name], fresh.grads[v.name])}`);
      // backward only: a weight gradient per layer and the input gradients of layers 2..3
      const layerFlops = [60 * 40, 40 * 30, 30 * 8].map((p) => 2 * 32 * p);
      assert.equal(kernelStats.nativeFlops - flops, layerFlops[0] + 2 * layerFlops[1] + 2 * layerFlops[2]);
      assert.ok(kernelStats.native - calls <= 5, 'only the backward products ran');
      return undefined;
    });
    // a replay after an update of the network would mix old activations with new weights: refused
    const kept = mlp.applyKept(x, true);
    mlp.kernels[0].assign(tf.mul(mlp.kernels[0], 0.5) as tf.Tensor2D);
    assert.throws(() => kept.replay(), /updated since the kept forward pass/);
    tf.dispose([x, target, fresh.value, kept.output, ...Object.values(fresh.grads)]);
    mlp.dispose();
  });
}
