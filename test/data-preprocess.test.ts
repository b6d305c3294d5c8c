import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ZScore, MaxAbsScaler, DropConstant, Pipeline } from '../src/data/preprocess';
import { Random } from '../src/util/random';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-5) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= tol * (1 + Math.abs(b[i])), `index ${i}: ${a[i]} vs ${b[i]}`);
};

test('ZScore: training columns get mean 0 and std 1; inverse restores; test rows use training statistics', () => {
  const r = new Random(3);
  const d = 4, n = 50;
  const x = new Float32Array(n * d).map((_, i) => 10 * (i % d) + (i % d + 1) * r.normal());
  const z = new ZScore().fit(x, d);
  const t = z.transform(x);
  for (let j = 0; j < d; j++) {
    let m = 0, v = 0;
    for (let i = 0; i < n; i++) m += t[i * d + j];
    m /= n;
    for (let i = 0; i < n; i++) v += (t[i * d + j] - m) ** 2;
    assert.ok(Math.abs(m) < 1e-5);
    assert.ok(Math.abs(v / n - 1) < 1e-4);
  }
  close(z.inverseTransform(t), x, 1e-5);
  // A test row is scaled with the training mean/std, not its own.
  const test1 = Float32Array.from([0, 10, 20, 30]);
  const out = z.transform(test1);
  close(out, [0, 1, 2, 3].map((j) => (test1[j] - z.mean![j]) / z.scale![j]));
});

test('MaxAbsScaler maps training columns into [-1, 1] with max |x| = 1 and inverts exactly', () => {
  const x = Float32Array.from([2, -8, 0, -4, 4, 0]); // 3 rows x 2
  const s = new MaxAbsScaler().fit(x, 2);
  assert.deepEqual([...s.scale!], [4, 8]);
  const t = s.transform(x);
  assert.deepEqual([...t], [0.5, -1, 0, -0.5, 1, 0]);
  close(s.inverseTransform(t), x);
  assert.throws(() => new MaxAbsScaler().transform(x), /not fitted yet: call fit before transform/);
  assert.throws(() => s.transform(Float32Array.from([1, 2, 3])), /not a multiple of the fitted dimension 2/);
});

test('DropConstant drops the zero-variance features of the training fold; a pipeline chains fits', () => {
  const x = Float32Array.from([1, 5, 2, 1, 5, 3, 1, 5, 4]); // 3 x 3, columns 0 and 1 constant
  const drop = new DropConstant().fit(x, 3);
  assert.deepEqual([...drop.keep!], [2]);
  assert.deepEqual([...drop.transform(x)], [2, 3, 4]);
  assert.deepEqual(drop.names(['a', 'b', 'c']), ['c']);
  const p = new Pipeline([new DropConstant(), new MaxAbsScaler()]).fit(x, 3);
  assert.deepEqual([...p.transform(x)], [0.5, 0.75, 1]);
  assert.throws(() => p.inverseTransform(Float32Array.from([1])), /step 0 \(DropConstant\) has no inverse/);
});
