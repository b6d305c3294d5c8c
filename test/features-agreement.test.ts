import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnCorrelations, pearson, summarise } from '../src/features/agreement';

test('pearson: +1 / -1 for affine relations, NaN for a constant column, matches a hand computation', () => {
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [3, 5, 7, 9]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [4, 3, 2, 1]) + 1) < 1e-12);
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
  // x = [1,2,3], y = [1,3,2]: deviations (-1,0,1) and (-1,1,0): r = 1 / (sqrt 2 * sqrt 2) = 0.5
  assert.ok(Math.abs(pearson([1, 2, 3], [1, 3, 2]) - 0.5) < 1e-12);
});

test('columnCorrelations and summarise group features by their LLD', () => {
  // 3 rows x 3 columns; ours equals the reference except column 2, which is reversed
  const ref = Float32Array.from([1, 10, 5, 2, 20, 6, 3, 40, 7]);
  const ours = Float32Array.from([1, 10, 7, 2, 20, 6, 3, 40, 5]);
  const r = columnCorrelations(ours, ref, 3, 3);
  assert.ok(Math.abs(r[0] - 1) < 1e-6 && Math.abs(r[1] - 1) < 1e-6 && Math.abs(r[2] + 1) < 1e-6);
  const names = ['pcm_RMSenergy_sma_amean', 'pcm_RMSenergy_sma_de_amean', 'pcm_zcr_sma_amean'];
  const s = summarise(names, r);
  assert.equal(s.overall.features, 3);
  assert.deepEqual(s.groups.map((g) => [g.group, g.features, g.atLeast95]), [['pcm_RMSenergy', 2, 1], ['pcm_zcr', 1, 0]]);
});
