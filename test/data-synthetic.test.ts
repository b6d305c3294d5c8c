import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeSynthetic } from '../src/data/synthetic';
import { classCounts, groupCounts } from '../src/data/dataset';

test('the synthetic set is EmoDB-shaped, flagged synthetic, and seeded', () => {
  const ds = makeSynthetic();
  assert.equal(ds.n, 535);
  assert.equal(ds.d, 4354);
  assert.equal(ds.synthetic, true);
  assert.deepEqual(classCounts(ds), [127, 81, 46, 69, 71, 62, 79]);
  assert.equal(groupCounts(ds).length, 10);
  const again = makeSynthetic({ n: 100, d: 30 });
  assert.deepEqual(again.x, makeSynthetic({ n: 100, d: 30 }).x);
  assert.notDeepEqual(again.x, makeSynthetic({ n: 100, d: 30, seed: 1 }).x);
  assert.throws(() => makeSynthetic({ rows: 5 } as never), /option synthetic\.rows/);
});

test('classes are separable: a nearest-class-mean rule beats chance by far', () => {
  const ds = makeSynthetic({ n: 300, d: 200 });
  const k = ds.classes.length;
  const means = Array.from({ length: k }, () => new Float64Array(ds.d));
  const counts = classCounts(ds);
  for (let i = 0; i < ds.n; i++) for (let j = 0; j < ds.d; j++) means[ds.y[i]][j] += ds.x[i * ds.d + j] / counts[ds.y[i]];
  let correct = 0;
  for (let i = 0; i < ds.n; i++) {
    let best = 0, bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < ds.d; j++) s += (ds.x[i * ds.d + j] - means[c][j]) ** 2;
      if (s < bestDist) { bestDist = s; best = c; }
    }
    if (best === ds.y[i]) correct++;
  }
  assert.ok(correct / ds.n > 0.5, `accuracy ${correct / ds.n}`);
});
