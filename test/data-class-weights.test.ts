import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkClassWeights, resolveClassWeights } from '../src/data/class-weights';
import { classWeights } from '../src/augment/losses';
import { makeClassifier } from '../src/classify/index';
import { makeAugmenter } from '../src/augment/index';

const counts = [8, 4, 3, 0];

test('one vocabulary: the same weights for classifiers and augmenters, classes without rows weigh 0', () => {
  const n = 15;
  assert.deepEqual([...resolveClassWeights('none', counts)], [1, 1, 1, 1]);
  assert.deepEqual([...resolveClassWeights('nmax', counts)], [1, 2, 8 / 3, 0]);
  assert.deepEqual([...resolveClassWeights('nmax-floor', counts)], [1, 2, 2, 0]);
  assert.deepEqual([...resolveClassWeights('balanced', counts)], [n / 32, n / 16, n / 12, 0]);
  assert.deepEqual([...resolveClassWeights([1, 0.5, 2, 0], counts)], [1, 0.5, 2, 0]);
  for (const spec of ['none', 'nmax', 'nmax-floor', 'balanced'] as const) {
    assert.deepEqual([...classWeights(counts, spec)], [...Float32Array.from(resolveClassWeights(spec, counts))], spec);
  }
  // both sides accept every name
  for (const spec of ['none', 'nmax', 'nmax-floor', 'balanced'] as const) {
    makeClassifier('svm', { classWeight: spec });
    makeClassifier('dnn', { classWeight: spec }).dispose();
    (makeAugmenter('adan', { classWeights: spec }) as { dispose(): void }).dispose();
  }
});

test("'max-ratio' (the classifiers' old name) still means n_max / n_c, with one deprecation warning", async () => {
  const warnings: string[] = [];
  const listen = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', listen);
  try {
    assert.deepEqual([...resolveClassWeights('max-ratio', counts)], [1, 2, 8 / 3, 0]);
    checkClassWeights('dnn.classWeight', 'max-ratio');
    await new Promise((r) => setImmediate(r));
  } finally {
    process.off('warning', listen);
  }
  assert.equal(warnings.filter((w) => /DeprecationWarning: class weights 'max-ratio' is now spelled 'nmax'/.test(w)).length, 1);
});

test('bad class weights name the option and list the vocabulary', () => {
  assert.throws(() => checkClassWeights('dnn.classWeight', 'inverse'), /option dnn\.classWeight: got "inverse", expected 'none', 'balanced' .* 'nmax' .* 'nmax-floor'/);
  assert.throws(() => checkClassWeights('adan.classWeights', [1, -1]), /adan\.classWeights/);
  assert.throws(() => checkClassWeights('x', [0, 0]), /non-negative weight/);
  assert.throws(() => resolveClassWeights([1, 2], counts, 'svm.classWeight'), /svm\.classWeight: .*4 weights, one per class/);
});
