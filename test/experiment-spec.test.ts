/**
 * Bad configurations fail before any work, with errors that name the field, the value and
 * what was expected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { makeDataset } from '../src/data/dataset';
import { runExperiment, prepareExperiment } from '../src/experiment/runner';
import { resolveSpec } from '../src/experiment/spec';
import { evalSpec } from '../src/experiment/eval';
import { defaultAugmenters } from '../src/experiment/factories';
import { countingAugmenters, ncmFactory, smallData, tempDir } from './experiment-fixtures';
import type { ExperimentSpec } from '../src/experiment/spec';

const data = smallData();
const base: ExperimentSpec = { data, augment: ['none', 'copy'], sets: [0, 1], classifiers: ['ncm'] };
const factories = () => ({ classifiers: ncmFactory(), augmenters: countingAugmenters() });

async function rejects(spec: ExperimentSpec, pattern: RegExp): Promise<void> {
  const storeDir = tempDir('bad');
  await assert.rejects(runExperiment(spec, { storeDir, ...factories() }), pattern);
  assert.equal(fs.existsSync(`${storeDir}/units`), false, 'nothing was written');
}

test('unknown augmentation method or classifier', async () => {
  await rejects({ ...base, augment: ['none', 'mixup'] }, /spec\.augment\[1\]\.method: got "mixup", expected one of none, steps, copy, noise, smote/);
  await rejects({ ...base, classifiers: ['rf'] }, /spec\.classifiers\[0\]\.name: got "rf", expected one of ncm/);
  // With the project's factories the lists are the paper's.
  assert.throws(() => resolveSpec({ ...base, augment: ['mixup'] }, defaultAugmenters.methods, ['svm', 'dnn']), /one of none, steps, copy, noise, smote, gan, cgan, aae, adan, wadan/);
});

test('numbers of sets outside 0..10, repeats below 1', async () => {
  await rejects({ ...base, sets: [0, 11] }, /spec\.sets: got 11, expected a whole number of augmented sets in 0\.\.10/);
  await rejects({ ...base, sets: [-1] }, /spec\.sets: got -1/);
  await rejects({ ...base, sets: [1.5] }, /spec\.sets: got 1\.5/);
  await rejects({ ...base, sets: [] }, /spec\.sets/);
  await rejects({ ...base, repeats: 0 }, /spec\.repeats: got 0, expected a whole number >= 1/);
});

test('a fold whose training rows miss a class', async () => {
  // Class 'c' occurs only for speaker s2: the fold that holds s2 out has no 'c' to learn.
  const n = 60;
  const x = new Float32Array(n * 3).map((_, i) => Math.sin(i));
  const groups = Array.from({ length: n }, (_, i) => `s${1 + Math.floor(i / 20)}`);
  const y = Array.from({ length: n }, (_, i) => (i >= 20 && i < 25 ? 2 : i % 2));
  const odd = makeDataset({ name: 'odd', x, d: 3, y, classes: ['a', 'b', 'c'], groups });
  await rejects({ ...base, data: odd }, /odd fold 2 train: fold 2 \(test group s2\): class 'c' has no training rows/);
  // Leaving that fold out is fine.
  const ok = await prepareExperiment({ ...base, data: odd, folds: [1, 3] }, factories());
  assert.deepEqual(ok.folds.map((f) => f.fold.index), [1, 3]);
});

test('folds that do not exist, typos in spec keys, bad options, contradictory settings', async () => {
  await rejects({ ...base, folds: [5] }, /fold 5 does not exist: synthetic has folds 1\.\.4/);
  await rejects({ ...base, folds: [0] }, /spec\.folds/);
  await rejects({ ...base, repeat: 3 } as unknown as ExperimentSpec, /spec\.repeat: got 3, expected one of the known options/);
  await rejects({ ...base, classifiers: [{ name: 'ncm', options: { shrnk: 0.1 } }] }, /ncm\.shrnk/);
  await rejects({ ...base, augment: [{ method: 'copy', options: { sede: 1 } }] }, /copy\.sede/);
  await rejects({ ...base, augment: [{ method: 'none', options: { scale: 1 } }] }, /no options for method 'none'/);
  await rejects({ ...base, train: 'synthetic' }, /sets >= 1 when spec\.train is 'synthetic'/);
  await rejects({ ...base, augment: ['copy', 'copy'] }, /distinct labels/);
  await rejects({ ...base, augment: ['copy', { method: 'noise', label: 'copy' }] }, /distinct labels/);
  await rejects({ ...base, normalize: 'minmax' as 'zscore' }, /spec\.normalize/);
  await assert.rejects(runExperiment(base, { storeDir: '', ...factories() }), /storeDir/);
  await assert.rejects(runExperiment(base, { storeDir: tempDir('shard'), shard: '3/2', ...factories() }), /option shard/);
});

test('the eval command rejects sets without a method and a method without sets', () => {
  assert.throws(() => evalSpec({ data: 'synthetic', classifier: 'svm', sets: 2 }), /--sets: got 2, expected 0 without --augment/);
  assert.throws(() => evalSpec({ data: 'synthetic', classifier: 'svm', augment: 'copy', sets: 0 }), /--sets: got 0, expected >= 1/);
  assert.deepEqual(evalSpec({ data: 'synthetic', classifier: 'svm', augment: 'wadan', epochs: 10 }).augment, [{ method: 'wadan', options: { epochs: 10 } }]);
});
