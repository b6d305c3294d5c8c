import { test } from 'node:test';
import assert from 'node:assert/strict';
import { column, freedmanDiaconisWidth, histogram, histograms, iqr, quantile } from '../src/analysis/histogram';
import { rows } from '../src/analysis/rows';

test('Freedman–Diaconis width is 2 IQR n^(-1/3) on known data', () => {
  // 1..8: quartiles (linear interpolation) 2.75 and 6.25, IQR 3.5; n = 8, n^(-1/3) = 1/2.
  const v = [5, 1, 8, 3, 2, 7, 4, 6];
  assert.equal(quantile(v, 0.25), 2.75);
  assert.equal(quantile(v, 0.75), 6.25);
  assert.equal(iqr(v), 3.5);
  assert.ok(Math.abs(freedmanDiaconisWidth(v) - 3.5) < 1e-12);
  // 27 values 0..26: IQR 13, n^(-1/3) = 1/3 -> 26/3.
  const w = Array.from({ length: 27 }, (_, i) => i);
  assert.ok(Math.abs(freedmanDiaconisWidth(w) - (2 * 13) / 3) < 1e-12);
});

test('histogram uses FD bins from min to max and counts every value once', () => {
  const v = Array.from({ length: 27 }, (_, i) => i);
  const h = histogram(v);
  assert.ok(Math.abs(h.binWidth - 26 / 3) < 1e-12);
  assert.equal(h.counts.length, 3);
  assert.equal(h.edges.length, 4);
  assert.equal(h.edges[0], 0);
  assert.ok(Math.abs(h.edges[3] - 26) < 1e-9);
  assert.deepEqual(h.counts, [9, 9, 9]); // [0, 8.67) [8.67, 17.3) [17.3, 26]: the max lands in the last bin
  assert.equal(h.n, 27);
});

test('histograms share bins across series and the default width pools all values', () => {
  const a = [0, 1, 2, 3, 4, 5, 6, 7];
  const b = [4, 5, 6, 7, 8, 9, 10, 11];
  const [ha, hb] = histograms([a, b]);
  assert.deepEqual(ha.edges, hb.edges);
  assert.equal(ha.edges[0], 0);
  assert.ok(ha.edges[ha.edges.length - 1] >= 11);
  assert.ok(Math.abs(ha.binWidth - freedmanDiaconisWidth([...a, ...b])) < 1e-12);
  assert.equal(ha.counts.reduce((s, c) => s + c, 0), 8);
  assert.equal(hb.counts.reduce((s, c) => s + c, 0), 8);
  const fixed = histogram(a, { binWidth: 2 });
  assert.deepEqual(fixed.counts, [2, 2, 2, 2]);
});

test('histogram with zero IQR falls back to Sturges, constant values give one bin', () => {
  const v = [1, 1, 1, 1, 1, 1, 1, 5];
  const h = histogram(v);
  assert.ok(h.binWidth > 0);
  assert.equal(h.counts.reduce((s, c) => s + c, 0), 8);
  const c = histogram([2, 2, 2]);
  assert.deepEqual(c.counts, [3]);
  assert.throws(() => histogram([1, NaN]), /NaN/);
  assert.throws(() => histogram([1, 2], { bins: 3 } as never), /histogram\.bins/);
});

test('column takes one feature of every row', () => {
  const r = rows(Float32Array.from([1, 2, 3, 4, 5, 6]), 3);
  assert.deepEqual(Array.from(column(r, 1)), [2, 5]);
  assert.throws(() => column(r, 3), /outside 0\.\.2/);
});
