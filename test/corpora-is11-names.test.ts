import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadEmodbIs11 } from '../src/data/registry';
import { EMODB_IS11_REMOVED, emodbIs11FeatureNames } from '../src/data/corpora/emodb-is11-names';
import { bareName } from '../src/data/corpora/emodb';
import { readOpensmileCsv } from '../src/data/readers/opensmile';
import { IS11_FEATURE_NAMES } from '../src/features/is11';
import { pearson } from '../src/features/agreement';
import { realData } from './real-data';

const is11 = realData('emodb-is11');
const wav = realData('emodb-wav');

const median = (v: number[]) => { const s = [...v].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;

test('the authors\' 4354 EmoDB columns are IS11 features in openSMILE\'s order, 14 removed', () => {
  const names = emodbIs11FeatureNames();
  assert.equal(names.length, 4354);
  assert.equal(new Set(names).size, 4354);
  assert.equal(EMODB_IS11_REMOVED.length, 14);
  // order kept: each name's IS11 index grows with the column
  const at = names.map((n) => IS11_FEATURE_NAMES.indexOf(n));
  for (let k = 1; k < at.length; k++) assert.ok(at[k] > at[k - 1], `column ${k}`);
});

test('emodb-is11 columns carry names that match openSMILE\'s features of the same files, and shifted names do not',
  { skip: is11.skip || wav.skip }, () => {
    const ds = loadEmodbIs11(is11.path);
    assert.deepEqual(ds.featureNames, emodbIs11FeatureNames());
    const ref = readOpensmileCsv(path.join(wav.path, 'opensmile-is11.csv'));
    const refRow = new Map(ref.rowNames.map((r, i) => [bareName(r), i]));
    const rows = ds.ids.map((id) => refRow.get(bareName(id)));
    assert.ok(rows.every((r) => r !== undefined), 'every EmoDB row has its wav file\'s features');
    const ours = (k: number) => Float64Array.from(rows, (_, i) => ds.x[i * ds.d + k]);
    const theirs = (j: number) => Float64Array.from(rows, (r) => ref.x[r! * ref.d + j]);
    // r of each column with the openSMILE column of its name (at), and with the next one (at + 1)
    const at = ds.featureNames!.map((n) => ref.featureNames.indexOf(n));
    const named = at.map((j, k) => pearson(ours(k), theirs(j)));
    const shifted = at.map((j, k) => (j + 1 < ref.d ? pearson(ours(k), theirs(j + 1)) : 0));
    assert.ok(median(named) > 0.6, `median r with the named column ${median(named).toFixed(3)}`);
    assert.ok(median(shifted) < 0.2, `median r one column off ${median(shifted).toFixed(3)}`);
    // every removal is in its place: the 20 columns before it match their names better than the
    // next names (a removal placed too late would give them those), the 20 after it better than
    // the previous names (a removal placed too early)
    const windowMean = (ks: number[], offset: number) => mean(ks.filter((k) => k >= 0 && k < ds.d).map((k) => (offset === 0 ? named[k] : pearson(ours(k), theirs(at[k] + offset)))));
    for (const removed of EMODB_IS11_REMOVED) {
      const first = at.findIndex((j) => j > removed);
      const before = Array.from({ length: 20 }, (_, i) => first - 20 + i);
      const after = Array.from({ length: 20 }, (_, i) => first + i);
      const what = IS11_FEATURE_NAMES[removed];
      assert.ok(windowMean(before, 0) > windowMean(before, 1) + 0.1, `before the removal of ${what}: r ${windowMean(before, 0).toFixed(2)} with the names vs ${windowMean(before, 1).toFixed(2)} with the next`);
      assert.ok(windowMean(after, 0) > windowMean(after, -1) + 0.1, `after the removal of ${what}: r ${windowMean(after, 0).toFixed(2)} with the names vs ${windowMean(after, -1).toFixed(2)} with the previous`);
    }
  });
