import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leaveOneGroupOut, splitFolds } from '../src/data/folds';
import { makeDataset } from '../src/data/dataset';
import { makeSynthetic } from '../src/data/synthetic';

test('leave-one-group-out: one fold per group in order of appearance, test rows never in training', () => {
  const ds = makeSynthetic({ n: 140, d: 8, speakers: 4 });
  const folds = leaveOneGroupOut(ds.groups);
  assert.equal(folds.length, 4);
  const seen = new Set<number>();
  for (const f of folds) {
    const train = new Set(f.train);
    for (const i of f.test) {
      assert.equal(ds.groups[i], f.group);
      assert.ok(!train.has(i), `row ${i} of test group ${f.group} is in the training rows`);
      seen.add(i);
    }
    for (const i of f.train) assert.notEqual(ds.groups[i], f.group);
    assert.equal(f.train.length + f.test.length, ds.n);
  }
  assert.equal(seen.size, ds.n, 'every row is tested exactly once');
  const parts = splitFolds(ds, [2]);
  assert.equal(parts.length, 1);
  assert.ok(parts[0].test.groups.every((g) => g === folds[1].group));
  assert.throws(() => splitFolds(ds, [5]), /fold 5 does not exist: .* folds 1\.\.4/);
});

test('a fold where a class has no training rows is refused, naming the class', () => {
  const ds = makeDataset({
    name: 'toy', d: 1, x: Float32Array.from([0, 1, 2, 3]), y: [0, 0, 1, 0],
    classes: ['calm', 'angry'], groups: ['s1', 's1', 's2', 's2'],
  });
  assert.throws(() => splitFolds(ds), /fold 2 \(test group s2\): class 'angry' has no training rows/);
});
