import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../src/backend/tf';
import { classWeights, gradientPenalty, weightedCrossEntropy, bceWithLogits, adanEarlyStop, wadanDiscriminatorLoss, Mlp, leakyRelu } from '../src/augment/index';
import { mlpGradientPenalty } from '../src/augment/penalty';
import { Random } from '../src/util/random';

test('class weights are n_max / n_k (Eq. 11, Section IV-D), or the code floor, or none', () => {
  assert.deepEqual([...classWeights([8, 4, 3, 0], 'nmax')].map((v) => +v.toFixed(6)), [1, 2, +(8 / 3).toFixed(6), 0]);
  assert.deepEqual([...classWeights([8, 4, 3], 'nmax-floor')], [1, 2, 2]);
  assert.deepEqual([...classWeights([8, 4, 3], 'none')], [1, 1, 1]);
  assert.throws(() => classWeights([8, 4], [1]), /classWeights/);
});

test('the weighted classifier loss equals a hand computation of Eq. 11', () => {
  const logits = [
    [2.0, 0.5, -1.0],
    [0.1, 0.2, 0.3],
    [-1.0, 3.0, 0.0],
    [0.5, -0.5, 1.5],
  ];
  const labels = [0, 2, 1, 2];
  const counts = [6, 3, 2]; // weights n_max / n_k = 1, 2, 3
  const w = classWeights(counts, 'nmax');
  // by hand: mean_i w_{y_i} * -log softmax(l_i)[y_i]
  let hand = 0;
  let unweighted = 0;
  logits.forEach((l, i) => {
    const lse = Math.log(l.reduce((s, v) => s + Math.exp(v), 0));
    const ce = lse - l[labels[i]];
    hand += w[labels[i]] * ce;
    unweighted += ce;
  });
  hand /= logits.length;
  unweighted /= logits.length;
  const [weighted, plain] = tf.tidy(() => {
    const l = tf.tensor2d(logits);
    const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 3).toFloat() as tf.Tensor2D;
    return [
      weightedCrossEntropy(l, y, tf.tensor1d(labels.map((k) => w[k]))).dataSync()[0],
      weightedCrossEntropy(l, y, tf.ones([4]) as tf.Tensor1D).dataSync()[0],
    ];
  });
  assert.ok(Math.abs(weighted - hand) < 1e-5, `${weighted} vs ${hand}`);
  assert.ok(Math.abs(plain - unweighted) < 1e-5);
  assert.ok(weighted > plain + 0.5, 'weights of the small classes raise the loss here');
});

test('BCE with logits equals -log sigmoid and -log(1 - sigmoid)', () => {
  const v = [-30, -2, 0, 0.7, 25];
  const [one, zero] = tf.tidy(() => [bceWithLogits(tf.tensor1d(v), 1).dataSync()[0], bceWithLogits(tf.tensor1d(v), 0).dataSync()[0]]);
  const sig = (x: number) => 1 / (1 + Math.exp(-x));
  const h1 = v.reduce((s, x) => s - Math.log(sig(x)), 0) / v.length;
  const h0 = v.reduce((s, x) => s - Math.log(1 - sig(x) || Number.MIN_VALUE), 0) / v.length;
  assert.ok(Math.abs(one - h1) < 1e-4 * h1);
  assert.ok(Math.abs(zero - h0) < 1e-4 * h0);
});

/** Float64 forward pass of a tiny critic with the same weights (for finite differences). */
function criticJs(w: number[][][], b: number[][], h: number[]): number {
  let a = h;
  w.forEach((W, l) => {
    const out = W[0].map((_, j) => a.reduce((s, v, i) => s + v * W[i][j], 0) + b[l][j]);
    a = l < w.length - 1 ? out.map((v) => 0.6 * v + 0.4 * Math.abs(v)) : out;
  });
  return a[0];
}

function penaltyJs(w: number[][][], b: number[][], points: number[][], p: number): number {
  const eps = 1e-6;
  let total = 0;
  for (const h of points) {
    let sq = 0;
    for (let i = 0; i < h.length; i++) {
      const up = h.slice();
      const dn = h.slice();
      up[i] += eps;
      dn[i] -= eps;
      const g = (criticJs(w, b, up) - criticJs(w, b, dn)) / (2 * eps);
      sq += g * g;
    }
    total += sq ** (p / 2);
  }
  return total / points.length;
}

test("the MLP critic's penalty with its gradient written out equals double back-propagation (value, every kernel and bias)", () => {
  const rng = new Random(4);
  const D = new Mlp({ name: 'D', input: 6, hidden: [9, 7], output: 1, batchNorm: 'none', activation: 'linear' }, rng, 'gp-analytic');
  const interp = tf.tensor2d(rng.normalArray(11 * 6), [11, 6]);
  for (const p of [2, 5, 10]) {
    const mine = tf.variableGrads(() => tf.mul(3, mlpGradientPenalty(D, interp, p)) as tf.Scalar, D.trainable());
    const ref = tf.variableGrads(() => tf.mul(3, gradientPenalty((h) => D.apply(h, true), interp, p)) as tf.Scalar, D.trainable());
    const close = (a: tf.Tensor, b: tf.Tensor, what: string) => {
      const x = a.dataSync();
      const y = b.dataSync();
      const scale = Math.max(1e-6, ...Array.from(y, Math.abs));
      assert.ok(x.every((v, i) => Math.abs(v - y[i]) <= 1e-4 * scale), `p=${p} ${what}: ${Array.from(x).slice(0, 4)} vs ${Array.from(y).slice(0, 4)}`);
    };
    close(mine.value, ref.value, 'penalty');
    for (const v of D.trainable()) {
      // double back-propagation leaves out what the penalty does not depend on (the last bias)
      if (ref.grads[v.name]) close(mine.grads[v.name], ref.grads[v.name], v.name);
      else assert.equal(mine.grads[v.name].abs().max().dataSync()[0], 0, `${v.name} has no gradient`);
    }
    assert.ok(D.kernels.every((k) => mine.grads[k.name].abs().max().dataSync()[0] > 0), 'kernels get a gradient');
    tf.dispose([mine.value, ref.value, ...Object.values(mine.grads), ...Object.values(ref.grads)]);
  }
  tf.dispose(interp);
  D.dispose();
});

test("WADAN's gradient penalty and its gradient w.r.t. D's weights equal finite-difference estimates", () => {
  const rng = new Random(3);
  const D = new Mlp({ name: 'D', input: 3, hidden: [5], output: 1, batchNorm: 'none', activation: 'linear' }, rng, 'gp-test');
  const hReal = rng.normalArray(4 * 3);
  const hFake = rng.normalArray(4 * 3);
  const mu = rng.uniformArray(4);
  const points = Array.from({ length: 4 }, (_, i) => Array.from({ length: 3 }, (_, j) => (1 - mu[i]) * hReal[i * 3 + j] + mu[i] * hFake[i * 3 + j]));
  const w = D.kernels.map((k) => k.arraySync() as number[][]);
  const b = D.biases.map((v) => v.arraySync() as number[]);
  for (const p of [2, 5, 10]) {
    const interp = tf.tensor2d(points);
    const value = tf.tidy(() => gradientPenalty((h) => D.apply(h, true), interp, p).dataSync()[0]);
    const fd = penaltyJs(w, b, points, p);
    assert.ok(Math.abs(value - fd) <= 1e-3 * Math.abs(fd) + 1e-6, `p=${p}: penalty ${value} vs finite difference ${fd}`);
    // d(Eq. 17)/d(weights) through the double back-propagation, against finite differences in float64
    const lambda = 10;
    const { grads } = tf.variableGrads(() => wadanDiscriminatorLoss(D, tf.tensor2d(hReal, [4, 3]), tf.tensor2d(hFake, [4, 3]), interp, lambda, p).loss, D.trainable());
    const g0 = grads[D.kernels[0].name].arraySync() as number[][];
    const eq17 = (ww: number[][][]) => {
      const mean = (rows: Float32Array) => Array.from({ length: 4 }, (_, i) => criticJs(ww, b, Array.from(rows.subarray(i * 3, i * 3 + 3)))).reduce((s, v) => s + v, 0) / 4;
      return mean(hReal) - mean(hFake) + lambda * penaltyJs(ww, b, points, p);
    };
    for (const [i, j] of [[0, 0], [1, 3], [2, 4]]) {
      const e = 1e-4;
      const up = w.map((m) => m.map((r) => r.slice()));
      const dn = w.map((m) => m.map((r) => r.slice()));
      up[0][i][j] += e;
      dn[0][i][j] -= e;
      const fdGrad = (eq17(up) - eq17(dn)) / (2 * e);
      assert.ok(Math.abs(g0[i][j] - fdGrad) <= 2e-3 * Math.max(1, Math.abs(fdGrad)), `p=${p}: dL/dW[${i}][${j}] ${g0[i][j]} vs ${fdGrad}`);
    }
    tf.dispose([interp, ...Object.values(grads)]);
  }
  D.dispose();
});

test('LeakyReLU is the authors\' 0.6 x + 0.4 |x|', () => {
  const out = tf.tidy(() => leakyRelu(tf.tensor1d([-2, 0, 3])).dataSync());
  assert.deepEqual([...out].map((v) => +v.toFixed(6)), [-0.4, 0, 3]);
});

test("ADAN's early stop follows the code's rule (after epoch 200, balanced D in nearby epochs)", () => {
  const rec = (epoch: number, p: number) => ({ epoch, seconds: 0, pReal: p, pFake: p });
  const balancedFrom = (start: number, count: number) => Array.from({ length: count }, (_, i) => rec(start + i, 0.505));
  // before epoch 200 nothing counts
  assert.equal(adanEarlyStop(balancedFrom(1, 150), 200, 0.01), false);
  // the fifth consecutive qualifying epoch stops (first sets the reference, three increase the count, then stop)
  const h = [...Array.from({ length: 201 }, (_, i) => rec(i + 1, 0.9)), ...balancedFrom(202, 4)];
  assert.equal(adanEarlyStop(h, 200, 0.01), false);
  assert.equal(adanEarlyStop([...h, rec(206, 0.5)], 200, 0.01), true);
  // unbalanced epochs never stop
  assert.equal(adanEarlyStop(Array.from({ length: 400 }, (_, i) => rec(i + 1, 0.7)), 200, 0.01), false);
});
