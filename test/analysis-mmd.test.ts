import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mmd, mmdTerms, MMD_DEFAULTS } from '../src/analysis/mmd';
import { rows } from '../src/analysis/rows';
import { Random } from '../src/util/random';
import { loadDataset } from '../src/data/registry';
import { subset } from '../src/data/dataset';
import { realData } from './real-data';

const rbf = (d2: number, sigmas: readonly number[]) => sigmas.reduce((s, sg) => s + Math.exp(-d2 / (2 * sg * sg)), 0);

/** Straight transcription of the paper's formula, every pair visited, for comparison. */
function bruteForce(a: Float32Array, b: Float32Array, d: number, sigmas: readonly number[]): number {
  const n = a.length / d;
  const m = b.length / d;
  const k = (x: Float32Array, i: number, y: Float32Array, j: number) => {
    let s = 0;
    for (let t = 0; t < d; t++) s += (x[i * d + t] - y[j * d + t]) ** 2;
    return rbf(s, sigmas);
  };
  let xx = 0, yy = 0, xy = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) xx += k(a, i, a, j);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) yy += k(b, i, b, j);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) xy += k(a, i, b, j);
  return xx / (n * n) + yy / (m * m) - (2 * xy) / (n * m);
}

test('MMD matches a hand computation on three 1-D points', () => {
  // X = {0, 1}, Y = {3}, sigma = 1: k(x, y) = exp(-(x - y)^2 / 2).
  const X = rows(Float32Array.from([0, 1]), 1);
  const Y = rows(Float32Array.from([3]), 1);
  const xx = (1 + 1 + 2 * Math.exp(-0.5)) / 4; // pairs (0,0) (1,1) (0,1) (1,0)
  const yy = 1;
  const xy = (Math.exp(-9 / 2) + Math.exp(-4 / 2)) / 2;
  const t = mmdTerms(X, Y, { sigmas: [1] });
  assert.ok(Math.abs(t.xx - xx) < 1e-12, `xx ${t.xx} vs ${xx}`);
  assert.ok(Math.abs(t.yy - yy) < 1e-12);
  assert.ok(Math.abs(t.xy - xy) < 1e-12);
  assert.ok(Math.abs(t.mmd - (xx + yy - 2 * xy)) < 1e-12);
  // Two widths: the kernel is the sum, so the MMD is the sum of the single-width MMDs.
  const both = mmdTerms(X, Y, { sigmas: [1, 2] });
  const two = mmd(X, Y, { sigmas: [2] });
  assert.ok(Math.abs(both.mmd - (t.mmd + two)) < 1e-12);
  assert.ok(Math.abs(both.perSigma[1].mmd - two) < 1e-12);
});

test('unbiased MMD leaves the diagonal out (hand computation on four 1-D points)', () => {
  // X = {0, 1}, Y = {3, 5}, sigma = 1.
  const X = rows(Float32Array.from([0, 1]), 1);
  const Y = rows(Float32Array.from([3, 5]), 1);
  const k = (u: number, v: number) => Math.exp(-((u - v) ** 2) / 2);
  const xx = (2 * k(0, 1)) / 2;
  const yy = (2 * k(3, 5)) / 2;
  const xy = (k(0, 3) + k(0, 5) + k(1, 3) + k(1, 5)) / 4;
  const t = mmdTerms(X, Y, { sigmas: [1], estimator: 'unbiased' });
  assert.ok(Math.abs(t.mmd - (xx + yy - 2 * xy)) < 1e-12, `${t.mmd} vs ${xx + yy - 2 * xy}`);
  const biased = mmd(X, Y, { sigmas: [1] });
  assert.ok(Math.abs(biased - ((2 + 2 * k(0, 1)) / 4 + (2 + 2 * k(3, 5)) / 4 - 2 * xy)) < 1e-12);
  assert.throws(() => mmd(X, rows(Float32Array.from([3]), 1), { estimator: 'unbiased' }), /at least 2 rows/);
});

test('MMD is 0 for identical sets and symmetric', () => {
  const r = new Random(3);
  const a = rows(r.normalArray(37 * 9), 9);
  const copy = rows(Float32Array.from(a.x), 9);
  assert.ok(Math.abs(mmd(a, copy)) < 1e-12, `identical sets: ${mmd(a, copy)}`);
  const b = rows(r.normalArray(23 * 9, 0.5, 1.5), 9);
  const ab = mmd(a, b);
  const ba = mmd(b, a);
  assert.ok(ab > 0.01, `different distributions should be apart, got ${ab}`);
  assert.ok(Math.abs(ab - ba) < 1e-12, `${ab} vs ${ba}`);
});

test('blocked MMD equals the brute-force formula for every block size (uneven sizes, tile remainders)', () => {
  const r = new Random(11);
  const d = 7;
  const a = rows(r.normalArray(13 * d), d);
  const b = rows(r.normalArray(6 * d, 0.3), d);
  const sigmas = [0.5, 1, 5];
  const ref = bruteForce(a.x, b.x, d, sigmas);
  for (const blockSize of [1, 2, 3, 5, 64]) {
    const v = mmd(a, b, { sigmas, blockSize });
    assert.ok(Math.abs(v - ref) < 1e-10, `blockSize ${blockSize}: ${v} vs ${ref}`);
  }
});

test('MMD grows with the shift between two Gaussians (paper kernel widths)', () => {
  const r = new Random(5);
  const d = 20;
  const a = rows(r.normalArray(60 * d), d);
  const values = [0, 1, 3].map((shift) => mmd(a, rows(r.normalArray(60 * d, shift), d)));
  assert.ok(values[0] < values[1] && values[1] < values[2], `not increasing: ${values}`);
  assert.deepEqual(MMD_DEFAULTS.sigmas, [0.1, 1, 5, 10, 100]);
});

test('MMD rejects mismatched dimensions and bad options', () => {
  const a = rows(new Float32Array(6), 3);
  const b = rows(new Float32Array(6), 2);
  assert.throws(() => mmd(a, b), /3 and 2 features/);
  assert.throws(() => mmd(a, a, { sigmas: [0] }), /mmd\.sigmas/);
  assert.throws(() => mmd(a, a, { sigma: 1 } as never), /mmd\.sigma/);
});

const rd = realData('emodb-is11');

test('on EmoDB, two speakers differ far more than random halves of their pooled rows (unbiased MMD)', { skip: rd.skip }, () => {
  const ds = loadDataset('emodb-is11');
  const rowsOf = (g: string) => ds.groups.flatMap((x, i) => (x === g ? [i] : []));
  const [ga, gb] = [...new Set(ds.groups)];
  const a = subset(ds, rowsOf(ga));
  const b = subset(ds, rowsOf(gb));
  const between = mmd(a, b, { estimator: 'unbiased' });
  const pooled = [...rowsOf(ga), ...rowsOf(gb)];
  new Random(1).shuffle(pooled);
  const half = pooled.length >> 1;
  const within = mmd(subset(ds, pooled.slice(0, half)), subset(ds, pooled.slice(half)), { estimator: 'unbiased' });
  assert.ok(between > 0.01, `between speakers ${ga} and ${gb}: ${between}`);
  assert.ok(between > 5 * Math.abs(within), `between ${between} vs random halves ${within}`);
});
