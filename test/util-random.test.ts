import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random, toRandom } from '../src/util/random';

test('the same seed gives the same stream; different seeds differ', () => {
  const a = new Random(42), b = new Random(42), c = new Random(43);
  const sa = Array.from({ length: 20 }, () => a.nextUint32());
  const sb = Array.from({ length: 20 }, () => b.nextUint32());
  const sc = Array.from({ length: 20 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('uniform lies in [0, 1) with mean near 1/2; normal has mean 0 and variance 1', () => {
  const r = new Random(7);
  const n = 20000;
  let su = 0, sn = 0, sn2 = 0;
  for (let i = 0; i < n; i++) {
    const u = r.uniform();
    assert.ok(u >= 0 && u < 1);
    su += u;
    const z = r.normal();
    sn += z;
    sn2 += z * z;
  }
  assert.ok(Math.abs(su / n - 0.5) < 0.01, `uniform mean ${su / n}`);
  assert.ok(Math.abs(sn / n) < 0.03, `normal mean ${sn / n}`);
  assert.ok(Math.abs(sn2 / n - 1) < 0.04, `normal variance ${sn2 / n}`);
});

test('int covers its range evenly and permutation is a permutation', () => {
  const r = new Random(1);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 5000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(c > 900 && c < 1100, `counts ${counts}`);
  const p = [...r.permutation(100)].sort((a, b) => a - b);
  assert.deepEqual(p, Array.from({ length: 100 }, (_, i) => i));
  assert.throws(() => r.int(0), /positive integer/);
});

test('derive depends on the seed and the name, not on draws made before', () => {
  const a = new Random(5);
  const b = new Random(5);
  b.uniform();
  b.uniform();
  assert.equal(a.derive('noise').uniform(), b.derive('noise').uniform());
  assert.notEqual(a.derive('noise').uniform(), a.derive('shuffle').uniform());
  assert.equal(toRandom(3).uniform(), new Random(3).uniform());
  assert.throws(() => new Random(NaN), /finite/);
});
