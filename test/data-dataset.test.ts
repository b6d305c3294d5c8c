import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeDataset, subset, concat, classCounts, groupCounts, row } from '../src/data/dataset';
import { DataError } from '../src/util/errors';

const base = () => ({
  name: 'tiny.csv',
  x: Float32Array.from([1, 2, 3, 4, 5, 6]),
  d: 2,
  y: [0, 1, 1],
  classes: ['a', 'b'],
  groups: ['g1', 'g1', 'g2'],
  ids: ['r0', 'r1', 'r2'],
});

test('makeDataset keeps rows, labels, groups and ids together', () => {
  const ds = makeDataset(base());
  assert.equal(ds.n, 3);
  assert.equal(ds.d, 2);
  assert.deepEqual([...row(ds, 2)], [5, 6]);
  assert.deepEqual(classCounts(ds), [1, 2]);
  assert.deepEqual(groupCounts(ds), [{ name: 'g1', count: 2 }, { name: 'g2', count: 1 }]);
});

test('bad input names the file and the problem', () => {
  assert.throws(() => makeDataset({ ...base(), y: [0, 1] }), (e: Error) => e instanceof DataError && /tiny\.csv/.test(e.message) && /disagree in count/.test(e.message));
  assert.throws(() => makeDataset({ ...base(), y: [0, 1, 2] }), /row 2 \(r2\) has label 2, outside 0\.\.1/);
  assert.throws(() => makeDataset({ ...base(), x: Float32Array.from([1, 2, 3, NaN, 5, 6]) }), /tiny\.csv: row 2 \(r1\), feature 2 of 2, is NaN/);
  assert.throws(() => makeDataset({ ...base(), x: Float32Array.from([1, 2, 3, 4, Infinity, 6]) }), /row 3 \(r2\), feature 1 of 2, is Infinity/);
  assert.throws(() => makeDataset({ ...base(), x: Float32Array.from([1, 2, 3, 4, 5]) }), /not a multiple of the dimension 2/);
  assert.throws(() => makeDataset({ ...base(), groups: ['g1'] }), /3 feature rows but 1 group entries/);
});

test('subset copies the chosen rows in order; concat stacks and checks compatibility', () => {
  const ds = makeDataset(base());
  const s = subset(ds, [2, 0]);
  assert.deepEqual([...s.x], [5, 6, 1, 2]);
  assert.deepEqual([...s.y], [1, 0]);
  assert.deepEqual(s.ids, ['r2', 'r0']);
  s.x[0] = 99;
  assert.equal(ds.x[4], 5, 'subset must not alias the source');
  const c = concat([ds, s]);
  assert.equal(c.n, 5);
  assert.deepEqual([...c.y], [0, 1, 1, 1, 0]);
  const other = makeDataset({ ...base(), classes: ['a', 'c'] });
  assert.throws(() => concat([ds, other]), /classes a,c differ/);
  assert.throws(() => subset(ds, [3]), /outside/);
});
