/**
 * Inner selection (`select: 'inner'`) never reads a test-fold row: on the real EmoDB features
 * (skipped when absent), the outer test speaker's rows are poisoned (features replaced by noise,
 * labels rotated) under the same plan, and every inner prediction, score and choice stays what
 * it was, while the outer test UAR moves (so the poison did reach the test fold). The plan is
 * kept because every seed derives from the data's fingerprint: poisoning the dataset itself
 * would redraw every augmented set and classifier start, whatever the code reads. Linear SVM, 'noise', 2 numbers of sets, fold 1:
 * seconds, not minutes. Both ways of giving the inner units their synthetic rows are checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { realData } from './real-data';
import type { Dataset } from '../src/data/dataset';
import { Random } from '../src/util/random';
import { loadDataset } from '../src/data/registry';
import { prepareExperiment, runPrepared, type RunResult } from '../src/experiment/runner';
import { summarize, type Summary } from '../src/experiment/summary';
import { formatTable } from '../src/experiment/paper';
import { isInner } from '../src/experiment/inner-select';
import type { ExperimentSpec } from '../src/experiment/spec';
import type { UnitRecord } from '../src/experiment/store';
import { tempDir } from './experiment-fixtures';

const rd = realData('emodb-is11');
let emodb: Dataset | undefined; // loaded once for both tests

/** A fold's test rows with features drawn at random and every label moved to the next class. */
function poison(test: Dataset): Dataset {
  const rng = new Random(99);
  const x = Float32Array.from(test.x, () => rng.normal() * 3);
  const y = Int32Array.from(test.y, (c) => (c + 1) % test.classes.length);
  return { ...test, x, y };
}

/** Inner units' predictions by key. */
function innerPredictions(records: readonly UnitRecord[]): Record<string, number[]> {
  return Object.fromEntries(records.filter(isInner).map((r) => [r.key, r.outcome.yPred]));
}

/**
 * The spec run twice under one plan (keys, seeds): as it is, and with the outer test fold's rows
 * poisoned, so that only those rows differ.
 */
async function cleanAndPoisoned(spec: ExperimentSpec, name: string): Promise<{ cleanRun: RunResult; poisonedRun: RunResult; clean: Summary; poisoned: Summary }> {
  const prep = await prepareExperiment(spec);
  const bad = { ...prep, folds: prep.folds.map((f) => ({ ...f, test: poison(f.test) })) };
  const cleanRun = await runPrepared(prep, { storeDir: tempDir(`${name}-clean`) });
  const poisonedRun = await runPrepared(bad, { storeDir: tempDir(`${name}-poisoned`) });
  return { cleanRun, poisonedRun, clean: summarize(cleanRun.records), poisoned: summarize(poisonedRun.records) };
}

for (const innerRows of ['auto', 'shared'] as const) {
  test(`inner choices ignore a poisoned test fold (innerRows ${innerRows})`, { skip: rd.skip }, async () => {
    emodb ??= loadDataset('emodb-is11');
    const spec: ExperimentSpec = { data: emodb, folds: [1], augment: ['noise'], sets: [1, 2], classifiers: ['svm'], normalize: 'zscore', seed: 0, select: 'inner', innerRows };
    const { cleanRun, poisonedRun, clean, poisoned } = await cleanAndPoisoned(spec, 'inner');

    assert.equal(clean.inner.length, 1);
    const scores = clean.inner[0].scores.map((s) => s.uar);
    assert.notEqual(scores[0], scores[1], 'the inner scores of 1 and 2 sets differ (a choice that is not just the tie-break)');
    assert.deepEqual(innerPredictions(poisonedRun.records), innerPredictions(cleanRun.records), 'every inner prediction unchanged');
    assert.deepEqual(poisoned.inner, clean.inner, 'inner scores and choices unchanged');
    assert.equal(poisoned.best[0].setsInner, clean.best[0].setsInner);
    // the poison reached the outer test fold: its UAR at the choice moved (to chance or below)
    assert.notEqual(poisoned.best[0].uarInner, clean.best[0].uarInner);
    assert.ok(poisoned.best[0].uarInner < 0.3, `poisoned test UAR ${poisoned.best[0].uarInner}`);
  });
}

test('a DNN with stages chooses its epochs and sets without reading the poisoned test fold (the real-only line chooses its epochs too)', { skip: rd.skip }, async () => {
  emodb ??= loadDataset('emodb-is11');
  const dnn = { name: 'dnn', options: { epochs: 6, stages: [2, 4], learningRate: 1e-3 } };
  const spec: ExperimentSpec = { data: emodb, folds: [1], augment: ['noise'], sets: [0, 1, 2], classifiers: [dnn], normalize: 'zscore', seed: 0, select: 'inner' };
  const { cleanRun, poisonedRun, clean, poisoned } = await cleanAndPoisoned(spec, 'inner-dnn');

  const staged = (rs: readonly UnitRecord[]) => Object.fromEntries(rs.filter(isInner).map((r) => [r.key, [r.outcome.yPred, r.outcome.stages]]));
  assert.deepEqual(staged(poisonedRun.records), staged(cleanRun.records), 'every inner prediction, at every stage, unchanged');
  assert.ok(cleanRun.records.every((r) => r.outcome.epochs === 6 && r.outcome.stages?.map((s) => s.epochs).join() === '2,4'));
  assert.deepEqual(poisoned.inner, clean.inner, 'inner scores and choices unchanged');
  assert.deepEqual(clean.inner.map((c) => c.method).sort(), ['noise', 'none'], 'the real-only line chooses too');
  for (const c of clean.inner) assert.equal(c.scores.length, (c.method === 'none' ? 1 : 2) * 3, `${c.method}: every number of sets at 2, 4 and 6 epochs`);
  const distinct = new Set(clean.inner.flatMap((c) => c.scores.map((s) => s.uar)));
  assert.ok(distinct.size > 2, 'the epochs move the inner scores (a choice that is not just the tie-break)');
  for (const b of clean.best) assert.match(b.epochsInner, /^1:[246]$/, `${b.method}: ${b.epochsInner}`);
  assert.deepEqual(poisoned.best.map((b) => b.epochsInner), clean.best.map((b) => b.epochsInner));
  // the table prints each row's chosen epochs, the real-only row's too
  const table = formatTable(clean).split('\n');
  assert.match(table[1], /inner UAR +inner sets +inner epochs/);
  const epochsColumn = table[1].indexOf('inner epochs');
  for (const b of clean.best) {
    const row = table.find((l) => l.startsWith(b.method === 'none' ? 'none (real only)' : b.augment))!;
    assert.equal(row.slice(epochsColumn, epochsColumn + 'inner epochs'.length).trim(), b.epochsInner.split(':')[1], row);
  }
  // the poison reached the outer test fold
  assert.ok(poisoned.best.every((b, i) => b.uarInner !== clean.best[i].uarInner && b.uarInner < 0.3), poisoned.best.map((b) => b.uarInner).join());
});
