/**
 * The fused Adam (one native pass per variable) against tfjs' own Adam over several steps, its
 * op-based path on other backends, checkpoint round trip, and a flat tensor count.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import { loadNative } from '../src/backend/native';
import { adamStats, applyGradientsWithDecay, FusedAdam, makeAdam } from '../src/backend/adam';
import { withOriginalKernels } from '../src/backend/kernels';
import { Random } from '../src/util/random';
import { maxRelErr } from './numeric';

const native = loadNative();
const noNative = native.addon ? false : `native addon absent: ${native.reason}`;
const PAPER = { learningRate: 1e-3, beta1: 0.5, beta2: 0.999, epsilon: 1e-5 }; // larger lr: visible moves

/** A small two-layer regression problem with fixed data and initial weights. */
function problem(seed: number) {
  const rng = new Random(seed);
  const x = tf.tensor2d(rng.normalArray(64 * 20), [64, 20]);
  const y = tf.tensor2d(rng.normalArray(64 * 3), [64, 3]);
  const w1 = tf.variable(tf.tensor2d(rng.normalArray(20 * 16, 0, 0.3), [20, 16]));
  const b1 = tf.variable(tf.zeros([16]));
  const w2 = tf.variable(tf.tensor2d(rng.normalArray(16 * 3, 0, 0.3), [16, 3]));
  const vars = [w1, b1, w2];
  const loss = () => tf.losses.meanSquaredError(y, tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2)) as tf.Scalar;
  const dispose = () => tf.dispose([x, y, ...vars]);
  return { vars, loss, dispose };
}

/** Train `steps` steps with `opt`; return the losses and the final weights. */
function train(opt: tf.Optimizer, seed: number, steps: number): { losses: number[]; weights: Float32Array[] } {
  const p = problem(seed);
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const cost = opt.minimize(p.loss, true, p.vars)!;
    losses.push(cost.dataSync()[0]);
    cost.dispose();
  }
  const weights = p.vars.map((v) => v.dataSync() as Float32Array);
  p.dispose();
  return { losses, weights };
}

test('makeAdam is the fused Adam on the native backend and equals tf.train.adam over 25 steps', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const fused = makeAdam(PAPER);
  assert.ok(fused instanceof FusedAdam);
  const mine = train(fused, 1, 25);
  const ref = train(tf.train.adam(PAPER.learningRate, PAPER.beta1, PAPER.beta2, PAPER.epsilon), 1, 25);
  assert.ok(mine.losses[24] < mine.losses[0], 'it trains');
  for (let i = 0; i < 3; i++) assert.ok(maxRelErr(mine.weights[i], ref.weights[i]) <= 1e-5, `variable ${i}: ${maxRelErr(mine.weights[i], ref.weights[i])}`);
  for (let i = 0; i < 25; i++) assert.ok(Math.abs(mine.losses[i] - ref.losses[i]) <= 1e-5 * Math.abs(ref.losses[i]));
  fused.dispose();
});

/** `steps` steps with an L2 decay on w1 and w2 (not b1): fused (`applyGradientsWithDecay`) or added with tfjs ops first. */
function trainDecayed(opt: tf.Optimizer, seed: number, steps: number, fused: boolean): Float32Array[] {
  const p = problem(seed);
  const decay = 2 * 0.1; // the authors' DNN: l2 = 0.1
  const decays = new Map([p.vars[0], p.vars[2]].map((v) => [v.name, decay]));
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      const { grads } = tf.variableGrads(p.loss, p.vars);
      const named = p.vars.map((v) => ({ name: v.name, tensor: grads[v.name] }));
      if (fused) applyGradientsWithDecay(opt, named, decays);
      else opt.applyGradients(named.map(({ name, tensor }, j) => ({ name, tensor: decays.has(name) ? tf.add(tensor, tf.mul(p.vars[j], decay)) : tensor })));
    });
  }
  const weights = p.vars.map((v) => v.dataSync() as Float32Array);
  p.dispose();
  return weights;
}

test("an L2 decay inside the fused Adam pass equals tfjs' add(g, mul(w, decay)) before it, bit for bit", { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const fused = trainDecayed(makeAdam(PAPER), 3, 20, true);
  const ops = trainDecayed(makeAdam(PAPER), 3, 20, false);
  const plain = train(makeAdam(PAPER), 3, 20).weights;
  for (let i = 0; i < 3; i++) assert.deepEqual(fused[i], ops[i], `variable ${i}`);
  assert.notDeepEqual(fused[0], plain[0], 'the decay moved the penalised weights');
  // any other optimizer gets the same gradients through tfjs ops
  const other = trainDecayed(tf.train.adam(PAPER.learningRate, PAPER.beta1, PAPER.beta2, PAPER.epsilon), 3, 20, true);
  const otherOps = trainDecayed(tf.train.adam(PAPER.learningRate, PAPER.beta1, PAPER.beta2, PAPER.epsilon), 3, 20, false);
  for (let i = 0; i < 3; i++) assert.deepEqual(other[i], otherOps[i], `tf.train.adam, variable ${i}`);
});

test('the fused Adam writes weights in place only where no other tensor or kernel can see them, with the same bits', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const steps = (opt: tf.Optimizer, p: ReturnType<typeof problem>, n: number, each?: () => void): void => {
    for (let i = 0; i < n; i++) {
      each?.();
      opt.minimize(p.loss, false, p.vars);
    }
  };
  // in place from the second step on: the variables keep the tensors the first step wrote
  const p = problem(5);
  const opt = makeAdam(PAPER);
  steps(opt, p, 1);
  const ids = p.vars.map((v) => v.dataId);
  let before = adamStats.inPlace;
  steps(opt, p, 9);
  assert.equal(adamStats.inPlace - before, 9 * p.vars.length, 'every later update wrote in place');
  p.vars.forEach((v, i) => assert.equal(v.dataId, ids[i], `variable ${i} kept its tensor`));
  const afterTen = p.vars.map((v) => v.dataSync().slice());
  // a tensor sharing a weight's memory (tf.clone shares it) keeps its values through the next step
  const shared = tf.clone(p.vars[0]);
  before = adamStats.inPlace;
  steps(opt, p, 1);
  assert.equal(adamStats.inPlace - before, p.vars.length - 1, 'all but the shared weight in place');
  assert.deepEqual(shared.dataSync(), afterTen[0], 'the clone did not change');
  assert.notDeepEqual(p.vars[0].dataSync(), afterTen[0], 'the variable moved');
  tf.dispose(shared);
  // the same ten steps with the kernels re-registered before each (a new generation: a fresh tensor every step)
  const q = problem(5);
  const fresh = makeAdam(PAPER);
  before = adamStats.inPlace;
  steps(fresh, q, 10, () => withOriginalKernels(() => undefined));
  assert.equal(adamStats.inPlace, before, 'never in place across a change of kernels');
  q.vars.forEach((v, i) => assert.deepEqual(v.dataSync(), afterTen[i], `variable ${i}: same bits in place and not`));
  opt.dispose();
  fresh.dispose();
  p.dispose();
  q.dispose();
});

test('FusedAdam off the native path (cpu backend) follows tf.train.adam too', async () => {
  await initBackend({ backend: 'cpu' });
  assert.ok(!(makeAdam(PAPER) instanceof FusedAdam), 'makeAdam falls back to tf.train.adam');
  const mine = train(new FusedAdam(PAPER), 2, 10);
  const ref = train(tf.train.adam(PAPER.learningRate, PAPER.beta1, PAPER.beta2, PAPER.epsilon), 2, 10);
  for (let i = 0; i < 3; i++) assert.ok(maxRelErr(mine.weights[i], ref.weights[i]) <= 1e-5);
});

test('getWeights/setWeights resume training exactly where it stopped', async () => {
  await initBackend({ backend: native.addon ? 'native' : 'wasm' });
  const p = problem(3);
  const a = new FusedAdam(PAPER);
  for (let i = 0; i < 5; i++) a.minimize(p.loss, false, p.vars);
  const saved = await a.getWeights();
  assert.equal(saved[0].name, 'iter');
  assert.equal(saved.length, 1 + 2 * p.vars.length);
  assert.match(saved[1].name, /\/m$/);
  const copies = saved.map((w) => ({ name: w.name, tensor: tf.clone(w.tensor) }));
  const start = p.vars.map((v) => tf.clone(v));
  a.minimize(p.loss, false, p.vars);
  const continued = p.vars.map((v) => v.dataSync() as Float32Array);
  // rewind the weights, restore the optimizer state into a fresh Adam, take the same step
  p.vars.forEach((v, i) => v.assign(start[i]));
  const b = new FusedAdam(PAPER);
  await b.setWeights(copies);
  assert.equal(b.iterations, 5);
  b.minimize(p.loss, false, p.vars);
  p.vars.forEach((v, i) => assert.deepEqual(v.dataSync(), continued[i]));
  a.dispose();
  b.dispose();
  tf.dispose([...start, ...copies.map((c) => c.tensor)]);
  p.dispose();
});

test('the tensor count stays flat across Adam steps', async () => {
  await initBackend({ backend: native.addon ? 'native' : 'wasm' });
  const p = problem(4);
  const opt = makeAdam(PAPER);
  opt.minimize(p.loss, false, p.vars); // creates the moments
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) opt.minimize(p.loss, false, p.vars);
  assert.equal(tf.memory().numTensors, before);
  opt.dispose();
  p.dispose();
});

test('bad Adam options are rejected, naming the option', () => {
  assert.throws(() => makeAdam({ learningRate: -1 }), /adam.learningRate/);
  assert.throws(() => makeAdam({ beta1: 1 }), /adam.beta1/);
  assert.throws(() => makeAdam({ lr: 1 } as never), /adam.lr/);
});
