/**
 * Reading what a store holds of a spec without computing: a half-run grid (one shard of two)
 * reads back as exactly that shard's units, the rest listed as missing, and nothing is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareExperiment, runExperiment } from '../src/experiment/runner';
import { readStored, describeMissing } from '../src/experiment/stored';
import { formatRanges } from '../src/experiment/format-ranges';
import { ResultStore, type UnitRecord } from '../src/experiment/store';
import { summarize, curves, matchedCurves, partialCurves, type SummaryRow } from '../src/experiment/summary';
import { runInNotebook } from '../src/notebook/experiments';
import { countingAugmenters, ncmFactory, smallData, smallSpec, tempDir, withoutTimings } from './experiment-fixtures';

const data = smallData();
const spec = smallSpec(data);

test('readStored returns the stored part of a spec and lists the rest, computing and writing nothing', async () => {
  const dir = tempDir('stored');
  const half = await runExperiment(spec, { storeDir: dir, shard: '1/2', classifiers: ncmFactory(), augmenters: countingAugmenters() });
  const before = new ResultStore(dir).keys().sort();
  const aug = countingAugmenters();
  const part = await readStored(spec, { storeDir: dir, classifiers: ncmFactory(), augmenters: aug });
  assert.equal(aug.fits, 0, 'no augmenter fitted');
  assert.deepEqual(new ResultStore(dir).keys().sort(), before, 'the store is unchanged');
  assert.deepEqual(part.records.map((r) => r.key).sort(), half.records.map((r) => r.key).sort());
  assert.ok(part.missing.length > 0 && part.records.length > 0);
  assert.equal(part.total, part.records.length + part.missing.length);
  const planned = new Set([...part.records.map((r) => r.key), ...part.missing.map((u) => u.key)]);
  assert.equal(planned.size, part.total, 'stored and missing do not overlap');
  assert.deepEqual(withoutTimings(summarize(part.records)), withoutTimings(summarize(half.records)));

  // The description accounts for every missing unit, once.
  const lines = describeMissing(part.missing);
  const counted = lines.reduce((s, l) => s + Number(/: (\d+) units?,/.exec(l)![1]), 0);
  assert.equal(counted, part.missing.length);
  for (const l of lines) assert.match(l, /^.+ × .+: \d+ units?, folds? [\d–, ]+$/);
});

test('readStored with the spec already prepared reads the same part without loading the data again', async () => {
  const dir = tempDir('stored-prepared');
  let loads = 0;
  const loadData = (name: string) => {
    loads++;
    assert.equal(name, 'small-data');
    return data;
  };
  const named = { ...spec, data: 'small-data' };
  const half = await runExperiment(named, { storeDir: dir, shard: '2/2', classifiers: ncmFactory(), augmenters: countingAugmenters(), loadData });
  loads = 0;
  const prepared = await prepareExperiment(named, { classifiers: ncmFactory(), augmenters: countingAugmenters(), loadData });
  const part = await readStored(named, { storeDir: dir, classifiers: ncmFactory(), augmenters: countingAugmenters(), loadData, prepared });
  assert.equal(loads, 1, 'the data were loaded once, to prepare');
  const fresh = await readStored(named, { storeDir: dir, classifiers: ncmFactory(), augmenters: countingAugmenters(), loadData });
  assert.equal(loads, 2, 'without it, readStored loads them itself');
  assert.deepEqual(part.records.map((r) => r.key), fresh.records.map((r) => r.key));
  assert.deepEqual(part.missing.map((u) => u.key), fresh.missing.map((u) => u.key));
  assert.deepEqual(part.records.map((r) => r.key).sort(), half.records.map((r) => r.key).sort());
  assert.ok(part.records.length > 0 && part.missing.length > 0);
});

test('readStored on an absent store finds nothing and does not create it; a damaged unit counts as missing', async () => {
  const absent = path.join(tempDir('absent'), 'no-store');
  const none = await readStored(spec, { storeDir: absent, classifiers: ncmFactory(), augmenters: countingAugmenters() });
  assert.equal(none.records.length, 0);
  assert.equal(none.missing.length, none.total);
  assert.ok(!fs.existsSync(absent), 'no folder created');

  const dir = tempDir('damaged');
  const full = await runExperiment(spec, { storeDir: dir, classifiers: ncmFactory(), augmenters: countingAugmenters() });
  const victim = full.records[5].key;
  fs.writeFileSync(new ResultStore(dir).unitPath(victim), '{"truncated');
  const warnings: string[] = [];
  const part = await readStored(spec, { storeDir: dir, classifiers: ncmFactory(), augmenters: countingAugmenters(), onWarning: (m) => warnings.push(m) });
  assert.deepEqual(part.missing.map((u) => u.key), [victim]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], new RegExp(`${victim}\\.json: .*counted as missing`));
});

test('formatRanges joins consecutive numbers', () => {
  assert.equal(formatRanges([7, 1, 2, 3, 5, 8, 3]), '1–3, 5, 7–8');
  assert.equal(formatRanges([4]), '4');
  assert.equal(formatRanges([]), '');
});

test('runInNotebook with computeMissing: false summarises the stored units and prints what is missing', async () => {
  const small = { data, augment: ['none', 'copy'], sets: [0, 1, 2], repeats: 1, classifiers: ['svm'], seed: 3 } as const;
  const dir = tempDir('nb-stored');
  const half = await runExperiment({ ...small, augment: [...small.augment], sets: [...small.sets], classifiers: [...small.classifiers] }, { storeDir: dir, shard: '2/2' });
  const logged: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => void logged.push(a.join(' '));
  let out;
  try {
    out = await runInNotebook({ ...small, augment: [...small.augment], sets: [...small.sets], classifiers: [...small.classifiers] }, { storeDir: dir, label: 'grid', computeMissing: false, progress: false });
  } finally {
    console.log = log;
  }
  assert.equal(out.run.records.length, half.records.length);
  assert.deepEqual(withoutTimings(out.summary), withoutTimings(summarize(half.records)));
  assert.equal(new ResultStore(dir).keys().length, half.records.length, 'nothing computed');
  assert.match(logged[0], new RegExp(`^grid: ${half.records.length} of ${out.run.total} units found in .*; nothing computed`));
  assert.ok(logged.some((l) => /^ {2}\S+ × svm: \d+ units?, folds? /.test(l)), logged.join('\n'));
  // An empty store is an error that says how to fill it, not an empty table.
  await assert.rejects(
    runInNotebook({ ...small, augment: [...small.augment], sets: [...small.sets], classifiers: [...small.classifiers] }, { storeDir: tempDir('nb-empty'), label: 'grid', computeMissing: false, progress: false, fillCommand: 'adan-lab reproduce emodb' }),
    /grid: none of the \d+ units is in .*computeMissing is false: fill the store first \(`adan-lab reproduce emodb`/,
  );
});

test('matchedCurves: a complete grid gives curves(); a missing unit drops its (fold, repeat) pair from that curve and its 0-sets point only', async () => {
  const dir = tempDir('matched');
  const run = await runExperiment(spec, { storeDir: dir, classifiers: ncmFactory(), augmenters: countingAugmenters() });
  const strip = (rows: SummaryRow[]) => rows.map(({ seconds, augmenterSeconds, ...r }) => r);
  assert.deepEqual(strip(matchedCurves(run.records)), strip(curves(summarize(run.records).summary)));

  // Remove copy's 2-sets unit of fold 2, repeat 1, first classifier.
  const hole = run.records.find((r) => r.config.augment.method === 'copy' && r.config.sets === 2 && r.config.fold.index === 2 && r.config.repeat === 1 && r.outcome.classifierLabel === 'ncm defaults')!;
  const partial = run.records.filter((r) => r !== hole);
  const rows = matchedCurves(partial);
  const copy = rows.filter((r) => r.augment === 'copy' && r.classifier === 'ncm defaults');
  assert.deepEqual([...new Set(copy.map((r) => r.sets))], [0, 1, 2, 3]);
  // Repeat 1 now lacks fold 2 on this curve: the block is folds 1, 3, 4 x both repeats (6 pairs, more
  // than fold 1-4 x repeat 2), at every point of the curve alike, its 0-sets point included.
  for (const r of copy) assert.deepEqual([r.foldIndices, r.repeats, r.partialRepeats], ['1,3,4', 2, 0], `copy at ${r.sets} sets`);
  const expected = summarize(partial.filter((r) => r.config.fold.index !== 2 && r.outcome.classifierLabel === 'ncm defaults' && (r.config.augment.method === 'copy' || r.config.augment.method === 'none'))).summary;
  assert.deepEqual(copy.map((r) => r.uar), expected.map((r) => r.uar));
  // Other curves keep both repeats.
  for (const r of rows.filter((q) => !(q.augment === 'copy' && q.classifier === 'ncm defaults'))) assert.equal(r.repeats, 2, `${r.augment} ${r.classifier} ${r.sets}`);

  // A number of sets stored on no pair is not part of the curve; a curve with no complete pair is left out.
  const isCopy = (r: UnitRecord): boolean => r.config.augment.method === 'copy' && r.outcome.classifierLabel === 'ncm defaults';
  const noThree = run.records.filter((r) => !(isCopy(r) && r.config.sets === 3));
  assert.deepEqual(matchedCurves(noThree).filter((r) => r.augment === 'copy' && r.classifier === 'ncm defaults').map((r) => [r.sets, r.repeats]), [[0, 2], [1, 2], [2, 2]]);
  const holes = run.records.filter((r) => !(isCopy(r) && (r.config.fold.index === 1 ? r.config.sets === 1 : r.config.sets === 2)));
  assert.ok(!matchedCurves(holes).some((r) => r.augment === 'copy' && r.classifier === 'ncm defaults'));
  assert.ok(matchedCurves(holes).some((r) => r.augment === 'copy' && r.classifier === 'ncm shrink=0.3'));
});

test('matchedCurves keeps the largest block of folds x repeats: three finished repeats on folds 1-3 beat fold 4 of one repeat', async () => {
  const run = await runExperiment({ ...spec, repeats: 3, augment: ['none', 'copy'] }, { storeDir: tempDir('block'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
  // fold 4 finished for repeat 1 only (a shard half-way through it)
  const partial = run.records.filter((r) => !(r.config.augment.method === 'copy' && r.config.fold.index === 4 && r.config.repeat > 1 && r.config.sets === 3));
  const rows = matchedCurves(partial);
  for (const r of rows) assert.deepEqual([r.foldIndices, r.repeats], ['1,2,3', 3], `${r.augment} ${r.classifier} ${r.sets}`);
  assert.deepEqual(partialCurves(rows, partial), ['copy × ncm defaults: folds 1–3, 3 repeats', 'copy × ncm shrink=0.3: folds 1–3, 3 repeats']);
});

test('matchedCurves without real-only units: the curves without a 0-sets point', async () => {
  const run = await runExperiment(spec, { storeDir: tempDir('nobase'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
  const rows = matchedCurves(run.records.filter((r) => r.config.augment.method !== 'none'));
  assert.ok(rows.length > 0);
  assert.ok(rows.every((r) => r.sets > 0 && r.folds === 4 && r.repeats === 2));
  assert.equal(matchedCurves(run.records.filter((r) => r.config.augment.method === 'none')).length, 0, 'baselines alone make no curve');
});

test('partialCurves names the curves on fewer folds or repeats than the fullest', async () => {
  const run = await runExperiment(spec, { storeDir: tempDir('partial-curves'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
  assert.deepEqual(partialCurves(matchedCurves(run.records)), []);
  const partial = run.records.filter((r) => !(r.config.augment.method === 'smote' && r.config.fold.index === 3));
  assert.deepEqual(partialCurves(matchedCurves(partial)), ['smote × ncm defaults: folds 1–2, 4, 2 repeats', 'smote × ncm shrink=0.3: folds 1–2, 4, 2 repeats']);
  // A grid partial everywhere: against the curves alone nothing looks partial; against the records, all do.
  const half = run.records.filter((r) => r.config.augment.method === 'none' || r.config.fold.index <= 2);
  assert.deepEqual(partialCurves(matchedCurves(half)), []);
  assert.equal(partialCurves(matchedCurves(half), half).length, 6);
});
