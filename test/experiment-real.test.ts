/**
 * The runner on the real EmoDB features (skipped when the corpus is absent): the linear SVM,
 * leave-one-speaker-out with pooled predictions, lands within 1.5 points of scikit-learn's
 * SVC(kernel='linear') on these exact files (WA 80.93 %, UAR 79.44 %; data/README.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realData } from './real-data';
import { runEval } from '../src/experiment/eval';

const rd = realData('emodb-is11');

test('adan-lab eval --data emodb-is11 --classifier svm lands within 1.5 points of scikit-learn', { skip: rd.skip }, async () => {
  const report = await runEval({ data: 'emodb-is11', classifier: 'svm' });
  assert.equal(report.folds, 10);
  assert.equal(report.n, 535);
  assert.ok(Math.abs(report.wa - 0.8093) <= 0.015, `WA ${(100 * report.wa).toFixed(2)} % vs scikit-learn 80.93 %`);
  assert.ok(Math.abs(report.uar - 0.7944) <= 0.015, `UAR ${(100 * report.uar).toFixed(2)} % vs scikit-learn 79.44 %`);
});
