import test from 'node:test';
import assert from 'node:assert/strict';
import { fClassif, informativeFeature, nearestCentroidShare } from '../src/analysis/feature-scores';
import { rows } from '../src/analysis/rows';
import { loadEmodbIs11 } from '../src/data/registry';
import { splitFolds } from '../src/data/folds';
import { realData } from './real-data';

test('fClassif: the one-way ANOVA F, computed by hand', () => {
  // columns: 1,2,3 | 4,5,6 (F = 13.5); constant within each class (Infinity); constant (NaN)
  const x = Float32Array.from([1, 1, 7, 2, 1, 7, 3, 1, 7, 4, 2, 7, 5, 2, 7, 6, 2, 7]);
  const f = fClassif(rows(x, 3), [0, 0, 0, 1, 1, 1]);
  // class means 2 and 5, grand 3.5: between 2 x 3 x 1.5^2 = 13.5 on 1 df; within 4 on 4 df
  assert.equal(f[0], 13.5);
  assert.equal(f[1], Infinity);
  assert.ok(Number.isNaN(f[2]));
  // three classes with unequal sizes: means 1, 3, 6 (grand 2.75); between (4 x 1.75^2 +
  // 2 x 0.25^2 + 2 x 3.25^2) / 2 = 33.5 / 2; within (0 + 0.5 + 2) / (8 - 3) = 0.5
  const g = fClassif(rows(Float32Array.from([1, 1, 1, 1, 2.5, 3.5, 5, 7]), 1), [0, 0, 0, 0, 1, 1, 2, 2]);
  assert.ok(Math.abs(g[0] - 33.5) < 1e-12, String(g[0]));
  assert.throws(() => fClassif(rows(x, 3), [0, 0, 0, 0, 0, 0]), /at least 2 classes/);
  assert.throws(() => fClassif(rows(x, 3), [0, 1]), /2 labels for 6 rows/);
});

test('informativeFeature skips a discrete feature that separates better, and checks its option', () => {
  // feature 0: three values, separating almost perfectly; feature 1: continuous, separating less well
  const y = [0, 0, 0, 0, 1, 1, 1, 1];
  const x = Float32Array.from([0, 0.1, 0, 0.3, 0, 0.2, 0.01, 0.45, 1, 0.5, 1, 0.9, 1, 0.7, 1, 0.35]);
  assert.equal(informativeFeature(rows(x, 2), y), 1);
  assert.equal(informativeFeature(rows(x, 2), y, { minDistinct: 0 }), 0);
  assert.throws(() => informativeFeature(rows(x, 2), y, { minDistinct: 2 }), /minDistinct/);
  assert.throws(() => informativeFeature(rows(x, 2), y, { minDisticnt: 0.5 } as never), /minDisticnt/);
});

const emodb = realData('emodb-is11');
test('informativeFeature on EmoDB\'s training speakers of fold 1: a named, continuous, top-1 % feature', { skip: emodb.skip }, () => {
  const [fold] = splitFolds(loadEmodbIs11(emodb.path), [1]);
  const j = informativeFeature(fold.train, fold.train.y);
  const f = fClassif(fold.train, fold.train.y);
  const finite = Array.from(f).filter(Number.isFinite).sort((a, b) => b - a);
  assert.ok(f[j] >= finite[Math.floor(finite.length / 100)], `F ${f[j]} below the top 1 %`);
  assert.match(fold.train.featureNames![j], /_sma/);
  const distinct = new Set(Array.from({ length: fold.train.n }, (_, i) => fold.train.x[i * fold.train.d + j])).size;
  assert.ok(distinct >= fold.train.n / 2, `${distinct} distinct values`);
});

test('nearestCentroidShare: rows nearest their own class centroid of the reference rows, by hand', () => {
  // reference: class 0 around (0, 0), class 1 around (4, 0)
  const reference = { ...rows(Float32Array.from([-1, 0, 1, 0, 3, 0, 5, 0]), 2), y: [0, 0, 1, 1] };
  // (1.9, 0) is nearer 0's centroid (0, 0): right; (2.1, 5) nearer (4, 0): wrong for label 0; (6, 1): right
  const probe = { ...rows(Float32Array.from([1.9, 0, 2.1, 5, 6, 1]), 2), y: [0, 0, 1] };
  assert.equal(nearestCentroidShare(reference, probe), 2 / 3);
  assert.throws(() => nearestCentroidShare(reference, { ...rows(Float32Array.from([1, 2, 3]), 3), y: [0] }), /2 and 3 columns/);
});
