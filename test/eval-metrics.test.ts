import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wa, uar, confusionMatrix, perClassRecall, summarizeFolds, meanStd } from '../src/eval/metrics';

test('WA (Eq. 19) and UAR (Eq. 20) on a hand-worked example', () => {
  const yTrue = [0, 0, 0, 0, 1, 1, 2, 2];
  const yPred = [0, 0, 0, 1, 1, 0, 2, 1];
  assert.deepEqual(confusionMatrix(yTrue, yPred, 3), [[3, 1, 0], [1, 1, 0], [0, 1, 1]]);
  assert.equal(wa(yTrue, yPred), 5 / 8);
  assert.deepEqual(perClassRecall(yTrue, yPred, 3), [0.75, 0.5, 0.5]);
  assert.ok(Math.abs(uar(yTrue, yPred, 3) - (0.75 + 0.5 + 0.5) / 3) < 1e-12);
  assert.throws(() => wa([0, 1], [0]), /2 true labels but 1 predictions/);
  assert.throws(() => confusionMatrix([0, 3], [0, 1], 3), /outside 0\.\.2/);
});

test('pooled figures differ from the fold mean; std is over folds', () => {
  const s = summarizeFolds([
    { fold: 'a', yTrue: [0, 1], yPred: [0, 1] },       // WA 1, UAR 1
    { fold: 'b', yTrue: [0, 0, 0, 1], yPred: [0, 1, 1, 1] }, // WA 0.5, UAR (1/3 + 1)/2
  ], 2);
  assert.equal(s.wa, 4 / 6);
  assert.ok(Math.abs(s.uar - (2 / 4 + 2 / 2) / 2) < 1e-12);
  assert.equal(s.waFoldMean, 0.75);
  assert.equal(s.waFoldStd, 0.25);
  assert.ok(Math.abs(s.uarFoldMean - (1 + 2 / 3) / 2) < 1e-12);
  assert.deepEqual(meanStd([1, 3]), { mean: 2, std: 1 });
});
