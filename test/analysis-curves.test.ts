import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionCells, embeddedPoints, lossFields, lossRows, recallRows, uarVsSets } from '../src/analysis/curves';

test('lossRows turns a history into one row per epoch and loss, skipping seconds', () => {
  const history = [
    { epoch: 1, seconds: 0.2, lossD: 0.7, lossG: 1.1 },
    { epoch: 2, seconds: 0.2, lossD: 0.6, lossG: NaN },
  ];
  assert.deepEqual(lossFields(history), ['lossD', 'lossG']);
  assert.deepEqual(lossRows(history), [
    { epoch: 1, loss: 'lossD', value: 0.7 },
    { epoch: 1, loss: 'lossG', value: 1.1 },
    { epoch: 2, loss: 'lossD', value: 0.6 },
  ]);
  assert.deepEqual(lossRows(history, ['lossG']), [{ epoch: 1, loss: 'lossG', value: 1.1 }]);
  assert.throws(() => lossRows(history, ['lossX']), /no field "lossX".*lossD, lossG/);
  assert.throws(() => lossRows([]), /empty/);
});

test('uarVsSets gives percent points per method and classifier, each curve starting at the baseline', () => {
  const results = [
    { method: 'none', sets: 0, classifier: 'SVM', uar: 0.8, uarStd: 0 },
    { method: 'smote', augment: 'SMOTE', sets: 2, classifier: 'SVM', uar: 0.82, uarStd: 0.01 },
    { method: 'smote', augment: 'SMOTE', sets: 1, classifier: 'SVM', uar: 0.81 },
    { method: 'adan', sets: 1, classifier: 'DNN', uar: 0.75, wa: 0.77 },
  ];
  const p = uarVsSets(results);
  const smote = p.filter((q) => q.method === 'SMOTE');
  assert.deepEqual(smote.map((q) => q.sets), [0, 1, 2]);
  assert.equal(smote[0].value, 80); // the SVM baseline copied in
  assert.ok(Math.abs(smote[2].value - 82) < 1e-9);
  assert.ok(Math.abs(smote[2].std - 1) < 1e-9);
  assert.equal(smote[1].std, 0);
  // No DNN baseline given: the adan curve has no 0-sets point.
  assert.deepEqual(p.filter((q) => q.method === 'adan').map((q) => q.sets), [1]);
  const wa = uarVsSets(results.filter((r) => r.wa !== undefined), { metric: 'wa' });
  assert.deepEqual(wa.map((q) => [q.method, q.sets]), [['adan', 1]]);
  assert.ok(Math.abs(wa[0].value - 77) < 1e-9);
  assert.throws(() => uarVsSets(results, { metric: 'wa' }), /smote \/ SVM at \d sets has no wa/);
});

test('confusionCells and recallRows use the metrics module counts', () => {
  const yTrue = [0, 0, 0, 1, 1, 2];
  const yPred = [0, 0, 1, 1, 1, 0];
  const cells = confusionCells(yTrue, yPred, ['a', 'b', 'c']);
  assert.equal(cells.length, 9);
  const get = (t: string, p: string) => cells.find((c) => c.actual === t && c.predicted === p)!;
  assert.equal(get('a', 'a').count, 2);
  assert.ok(Math.abs(get('a', 'a').rate - 2 / 3) < 1e-12);
  assert.equal(get('c', 'a').count, 1);
  assert.equal(get('c', 'c').rate, 0);
  assert.deepEqual(recallRows(yTrue, yPred, ['a', 'b', 'c']).map((r) => [r.class, r.support]), [['a', 3], ['b', 2], ['c', 1]]);
});

test('embeddedPoints marks rows after the real count as synthetic', () => {
  const emb = Float32Array.from([0, 1, 2, 3, 4, 5]);
  const pts = embeddedPoints(emb, [1, 0, 1], ['anger', 'boredom'], 2);
  assert.deepEqual(pts.map((p) => [p.emotion, p.source, p.x, p.y]), [['boredom', 'real', 0, 1], ['anger', 'real', 2, 3], ['boredom', 'synthetic', 4, 5]]);
  assert.deepEqual(embeddedPoints(emb, [0, 0, 1], ['a', 'b'], [true, false, true]).map((p) => p.source), ['synthetic', 'real', 'synthetic']);
  assert.throws(() => embeddedPoints(emb, [0, 1], ['a', 'b']), /expected n x 2 = 4/);
});
