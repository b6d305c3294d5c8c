/**
 * `select: 'inner'` (inner.ts, inner-select.ts) on small synthetic data: the plan of a spec
 * without it is the plan it always was (keys recorded before inner folds existed), inner folds
 * are a seeded partition of the training speakers, inner units are stored, resumed and sharded
 * like outer ones, a store computed without inner selection is reused as it is, and the choice
 * is argmax of the pooled inner UAR with ties to fewer sets.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareExperiment, runExperiment, ExperimentAborted } from '../src/experiment/runner';
import { reproduceGrid } from '../src/experiment/grid';
import { summarize } from '../src/experiment/summary';
import { canonicalJson, sha256 } from '../src/experiment/hash';
import { makeSynthetic } from '../src/data/synthetic';
import { innerFolds } from '../src/experiment/inner';
import { innerChoices, innerColumns, isInner, outerIndex } from '../src/experiment/inner-select';
import { formatPaired, pairedTable } from '../src/experiment/paired-table';
import { uar } from '../src/eval/metrics';
import { toCsv } from '../src/experiment/output';
import { pairedRowsFromCsv, parseCsv } from '../src/notebook/results';
import { pairedMarkdown } from '../src/notebook/table-markdown';
import type { UnitGroup, UnitConfig } from '../src/experiment/plan';
import type { UnitRecord } from '../src/experiment/store';
import type { ExperimentSpec } from '../src/experiment/spec';
import { countingAugmenters, ncmFactory, smallData, smallSpec, tempDir, withoutTimings } from './experiment-fixtures';

const digest = (groups: readonly UnitGroup[]): string => sha256(JSON.stringify(groups.map((g) => [g.key, g.units.map((u) => u.key)])));
const factories = () => ({ classifiers: ncmFactory(), augmenters: countingAugmenters() });

test('the plan without inner selection is the plan main computed (keys, groups, order, stored spec)', async () => {
  // digests computed on main (87b0f80) before inner folds existed
  const small = await prepareExperiment(smallSpec(smallData()), factories());
  assert.equal(digest(small.groups), '2859dd0720cb02a8a1657e2a4bc60ac34740d05b8af47260f1f2e92ce60c3da8');
  assert.equal(sha256(canonicalJson(small.storedSpec)).slice(0, 16), 'feb79b2eba7b4038');
  const grid = await prepareExperiment({ ...reproduceGrid('emodb', { stepsControl: true }), data: makeSynthetic({ n: 300, d: 20, speakers: 10, seed: 1 }) });
  assert.equal(grid.groups.flatMap((g) => g.units).length, 5160);
  assert.equal(digest(grid.groups), 'e034900b37580d0fd274282222ee5c3f11b82bb472351f0d1cc2d5a34f68ffc4');
});

test('with inner selection the outer units are the same; inner units are added, 3 per outer unit with sets >= 1', async () => {
  const spec = smallSpec(smallData());
  const plain = await prepareExperiment(spec, factories());
  const inner = await prepareExperiment({ ...spec, select: 'inner' }, factories());
  const outerKeys = (groups: readonly UnitGroup[]) => groups.flatMap((g) => g.units).filter((u) => !u.config.inner).map((u) => u.key);
  assert.deepEqual(outerKeys(inner.groups), outerKeys(plain.groups));
  const augmented = plain.groups.flatMap((g) => g.units).filter((u) => u.config.sets > 0).length;
  const innerUnits = inner.groups.flatMap((g) => g.units).filter((u) => u.config.inner);
  assert.equal(innerUnits.length, 3 * augmented);
  // auto rows: copy, noise and smote refit per inner fold, each with a group (augmenter) of its own
  assert.ok(innerUnits.every((u) => u.config.inner!.rows === 'refit'));
  assert.ok(innerUnits.every((u) => inner.groups.find((g) => g.key === u.group)!.inner !== undefined));
  const shared = await prepareExperiment({ ...spec, select: 'inner', innerRows: 'shared' }, factories());
  for (const g of shared.groups) {
    const kinds = new Set(g.units.map((u) => (u.config.inner ? 'inner' : 'outer')));
    if (kinds.has('inner')) assert.ok(kinds.has('outer') && !g.inner, 'shared inner units join the group of their outer augmenter');
  }
  assert.equal(shared.groups.length, plain.groups.length, 'no augmenter fit added');
  assert.deepEqual(shared.storedSpec.select, 'inner');
});

test('inner folds: a seeded partition of the outer fold\'s training groups, never its test group', () => {
  const train = ['03', '08', '09', '10', '11', '12', '13', '14', '15'];
  const a = innerFolds(train, { group: '16' }, 0);
  assert.deepEqual(a.map((f) => f.test.length), [3, 3, 3]);
  assert.deepEqual(a.flatMap((f) => f.test).sort(), train);
  assert.deepEqual(innerFolds([...train].reverse(), { group: '16' }, 0), a, 'the order rows come in does not matter');
  const seeds = new Set([0, 1, 2, 3, 4].map((s) => JSON.stringify(innerFolds(train, { group: '16' }, s))));
  assert.ok(seeds.size > 1, 'the seed deals them');
  assert.deepEqual(innerFolds(['s1', 's2', 's3', 's4'], { group: 's5' }, 0).map((f) => f.test.length), [2, 1, 1]);
  assert.throws(() => innerFolds(['s1', 's2'], { group: 's3' }, 0), /spec\.innerFolds: got 3, expected at most the number of training groups/);
  assert.throws(() => innerFolds(['s1', 's2', 's3'], { group: 's3' }, 0), /outer test group s3 is among the training groups/);
});

test('inner options are checked and named', async () => {
  const spec = smallSpec(smallData());
  await assert.rejects(prepareExperiment({ ...spec, select: 'nested' } as unknown as ExperimentSpec, factories()), /spec\.select: got "nested", expected one of test, inner/);
  await assert.rejects(prepareExperiment({ ...spec, innerRows: 'refit' }, factories()), /spec\.innerRows: got "refit", expected only with spec\.select 'inner'/);
  await assert.rejects(prepareExperiment({ ...spec, select: 'inner', innerFolds: 1 }, factories()), /spec\.innerFolds: got 1, expected a whole number >= 2/);
  await assert.rejects(prepareExperiment({ ...spec, select: 'inner', sets: [0] }, factories()), /spec\.sets: .*some number of sets >= 1 when spec\.select is 'inner'/);
});

test('a store computed without inner selection is reused as it is; an interrupted inner run resumes; shards cover it', async () => {
  const spec = { ...smallSpec(smallData()), augment: ['none', 'copy', { method: 'noise', options: { scale: 0.5 } }] };
  const storeDir = tempDir('inner-reuse');
  const plain = await runExperiment(spec, { storeDir, ...factories() });
  // interrupted after 10 inner units, then the same call again
  const controller = new AbortController();
  let seen = 0;
  await assert.rejects(
    runExperiment({ ...spec, select: 'inner' }, { storeDir, ...factories(), signal: controller.signal, onProgress: (p) => p.unit && ++seen === 10 && controller.abort() }),
    ExperimentAborted,
  );
  const resumed = await runExperiment({ ...spec, select: 'inner' }, { storeDir, ...factories() });
  assert.equal(resumed.reused, plain.total + 10);
  assert.equal(resumed.computed, resumed.total - plain.total - 10);
  const outer = resumed.records.filter((r) => !isInner(r));
  assert.deepEqual(outer.map((r) => r.checksum).sort(), plain.records.map((r) => r.checksum).sort(), 'the outer units are the stored ones, untouched');

  // the same inner grid in one go, and as two shards into one store
  const fresh = await runExperiment({ ...spec, select: 'inner' }, { storeDir: tempDir('inner-fresh'), ...factories() });
  const sharedStore = tempDir('inner-shards');
  const one = await runExperiment({ ...spec, select: 'inner' }, { storeDir: sharedStore, shard: '1/2', ...factories() });
  const two = await runExperiment({ ...spec, select: 'inner' }, { storeDir: sharedStore, shard: '2/2', ...factories() });
  const preds = (rs: readonly UnitRecord[]) => Object.fromEntries(rs.map((r) => [r.key, r.outcome.yPred]));
  assert.deepEqual(preds([...one.records, ...two.records]), preds(fresh.records));
  assert.deepEqual(preds(resumed.records), preds(fresh.records), 'the interrupted run ends where one run does');
  assert.equal(one.total + two.total, fresh.total);
  const s = summarize(fresh.records);
  assert.equal(s.units.length, plain.total, 'tables of outer units only');
  assert.deepEqual(withoutTimings(summarize(resumed.records)), withoutTimings(s));
  assert.ok(s.best.filter((b) => b.method !== 'none').every((b) => b.setsInner.split(' ').length === 4 && Number.isFinite(b.uarInner)));
});

test('refit rows fit one augmenter per inner fold on its training rows; shared rows fit none more', async () => {
  const spec: ExperimentSpec = { data: smallData(), augment: ['copy'], sets: [1, 2], classifiers: ['ncm'], folds: [1, 2], select: 'inner' };
  const refit = countingAugmenters();
  await runExperiment({ ...spec, innerRows: 'refit' }, { storeDir: tempDir('inner-refit'), classifiers: ncmFactory(), augmenters: refit });
  assert.equal(refit.fits, 2 + 2 * 3);
  const shared = countingAugmenters();
  const run = await runExperiment({ ...spec, innerRows: 'shared' }, { storeDir: tempDir('inner-shared'), classifiers: ncmFactory(), augmenters: shared });
  assert.equal(shared.fits, 2);
  // a shared inner unit trains on its inner fold's real rows plus that fold's worth of each set
  for (const r of run.records.filter(isInner)) assert.equal(r.outcome.trainSynthetic, r.config.sets * r.outcome.trainReal);
});

/** A unit record with given predictions (only the fields the choice reads). */
function unit(fold: number, sets: number, repeat: number, inner: number | undefined, yTrue: number[], yPred: number[], stages?: { epochs: number; yPred: number[] }[], epochs?: number): UnitRecord {
  const config = {
    v: 1, data: { name: 'd', fingerprint: 'f', n: 0, d: 1 }, normalize: 'none', train: 'real+synthetic', fold: { index: fold, group: `g${fold}` },
    augment: { method: 'copy', options: {}, perRepeat: false }, sets, repeat, classifier: { name: 'c', options: {} }, seed: 0,
    ...(inner ? { inner: { index: inner, count: 2, test: [`t${inner}`], rows: 'refit' } } : {}),
  } as UnitConfig;
  return { format: 'adan-lab/unit@1', key: `${fold}/${sets}/${repeat}/${inner}`, config, checksum: '', outcome: { ids: [], yTrue, yPred, classes: ['a', 'b'], ...(stages ? { stages, epochs } : {}), wa: 0, uar: 0, trainReal: 0, trainSynthetic: 0, seconds: 0, augmenterSeconds: 0, augmentLabel: 'copy', classifierLabel: 'c', finishedAt: '' } };
}

test('the choice: UAR pooled over inner folds, mean over repeats, argmax with ties to fewer sets; uarInner pools the outer units at the choices', () => {
  const right = [0, 1], wrong = [1, 0];
  const records = [
    // fold 1: 1 set scores 0.5 pooled (one inner fold right, one wrong); 2 sets 1.0 in repeat 1, 0.5 in repeat 2 -> 0.75: chooses 2
    unit(1, 1, 1, 1, [0, 1], right), unit(1, 1, 1, 2, [0, 1], wrong), unit(1, 1, 2, 1, [0, 1], right), unit(1, 1, 2, 2, [0, 1], wrong),
    unit(1, 2, 1, 1, [0, 1], right), unit(1, 2, 1, 2, [0, 1], right), unit(1, 2, 2, 1, [0, 1], right), unit(1, 2, 2, 2, [0, 1], wrong),
    // fold 2: a tie (1.0 each): fewer sets
    unit(2, 1, 1, 1, [0, 1], right), unit(2, 1, 1, 2, [0, 1], right), unit(2, 2, 1, 1, [0, 1], right), unit(2, 2, 1, 2, [0, 1], right),
    // outer test units: fold 1 at 2 sets all right, at 1 set all wrong; fold 2 at 1 set half right
    unit(1, 1, 1, undefined, [0, 1], wrong), unit(1, 2, 1, undefined, [0, 1], right), unit(2, 1, 1, undefined, [0, 0, 1, 1], [0, 1, 0, 1]), unit(2, 2, 1, undefined, [0, 1], wrong),
  ];
  const choices = innerChoices(records);
  assert.deepEqual(choices.map((c) => [c.fold, c.sets, c.scores.map((s) => s.uar)]), [[1, 2, [0.5, 0.75]], [2, 1, [1, 1]]]);
  const [columns] = [...innerColumns(records).values()];
  assert.equal(columns.setsInner, '1:2 2:1');
  // pooled: fold 1 [0,1]->[0,1] and fold 2 [0,0,1,1]->[0,1,0,1]: class 0 2/3, class 1 2/3
  assert.ok(Math.abs(columns.uarInner - 2 / 3) < 1e-12, String(columns.uarInner));
  // an outer unit changed (a test fold) moves no choice
  const flipped = records.map((r) => (isInner(r) ? r : { ...r, outcome: { ...r.outcome, yPred: r.outcome.yPred.map((p) => 1 - p) } }));
  assert.deepEqual(innerChoices(flipped), choices);
});

test('with stages the choice is of sets and epochs together: ties to fewer sets, then fewer epochs; uarInner reads each outer unit at its fold\'s epochs', () => {
  const right = [0, 1], wrong = [1, 0];
  // a unit trained 20 epochs whose network after 10 predicted `at10`
  const staged = (fold: number, sets: number, inner: number | undefined, yTrue: number[], at10: number[], at20: number[]) => unit(fold, sets, 1, inner, yTrue, at20, [{ epochs: 10, yPred: at10 }], 20);
  const records = [
    // fold 1: (1 set, 10 epochs) 1.0; (1, 20) 0.5; (2, 10) 0.5; (2, 20) 0.5: chooses 1 set after 10 epochs
    staged(1, 1, 1, [0, 1], right, wrong), staged(1, 1, 2, [0, 1], right, right),
    staged(1, 2, 1, [0, 1], wrong, right), staged(1, 2, 2, [0, 1], right, wrong),
    // fold 2: (1, 10) 0.5; the others 1.0: the tie goes to fewer sets before fewer epochs, (1, 20)
    staged(2, 1, 1, [0, 1], wrong, right), staged(2, 1, 2, [0, 1], right, right),
    staged(2, 2, 1, [0, 1], right, right), staged(2, 2, 2, [0, 1], right, right),
    // outer units: fold 1 at 1 set right after 10 epochs, wrong after 20; fold 2 at 1 set half right after 20
    staged(1, 1, undefined, [0, 1], right, wrong), staged(1, 2, undefined, [0, 1], wrong, wrong),
    staged(2, 1, undefined, [0, 0, 1, 1], [1, 1, 0, 0], [0, 1, 0, 1]), staged(2, 2, undefined, [0, 1], wrong, wrong),
  ];
  const choices = innerChoices(records);
  assert.deepEqual(choices.map((c) => [c.fold, c.sets, c.epochs]), [[1, 1, 10], [2, 1, 20]]);
  assert.deepEqual(choices[0].scores.map((s) => [s.sets, s.epochs, s.uar]), [[1, 10, 1], [1, 20, 0.5], [2, 10, 0.5], [2, 20, 0.5]]);
  assert.deepEqual(choices[1].scores.map((s) => s.uar), [0.5, 1, 1, 1]);
  const [columns] = [...innerColumns(records).values()];
  assert.deepEqual([columns.setsInner, columns.epochsInner], ['1:1 2:1', '1:10 2:20']);
  // fold 1 read after 10 epochs ([0,1] -> [0,1]) and fold 2 after 20 ([0,0,1,1] -> [0,1,0,1]): 2/3 each class
  // (fold 1 read after 20 epochs would give 1/3)
  assert.ok(Math.abs(columns.uarInner - 2 / 3) < 1e-12, String(columns.uarInner));
  // an outer unit changed, at any epoch, moves no choice
  const flip = (p: number[]) => p.map((v) => 1 - v);
  const flipped = records.map((r) => (isInner(r) ? r : { ...r, outcome: { ...r.outcome, yPred: flip(r.outcome.yPred), stages: r.outcome.stages!.map((s) => ({ ...s, yPred: flip(s.yPred) })) } }));
  assert.deepEqual(innerChoices(flipped), choices);
  // units without stages keep the choice of sets alone: no epochs anywhere
  const plain = records.map((r) => ({ ...r, outcome: { ...r.outcome, stages: undefined, epochs: undefined } }));
  assert.ok(innerChoices(plain).every((c) => c.epochs === undefined && c.scores.every((s) => !('epochs' in s))));
  assert.equal([...innerColumns(plain).values()][0].epochsInner, '');
});

test("paired 'inner' rows: each fold read at its own choice, against real rows read at the epochs chosen for them", () => {
  const right = [0, 1], wrong = [1, 0], half = [0, 0];
  // a unit of `method` after 20 epochs (`at20`) that kept its predictions after 10 (`at10`); uar as the runner records it
  const staged = (method: 'none' | 'copy' | 'steps', fold: number, sets: number, inner: number | undefined, at10: number[], at20: number[]): UnitRecord => {
    const u = unit(fold, sets, 1, inner, [0, 1], at20, [{ epochs: 10, yPred: at10 }], 20);
    return { ...u, key: `${method}/${u.key}`, config: { ...u.config, augment: { ...u.config.augment, method } }, outcome: { ...u.outcome, augmentLabel: method, uar: uar([0, 1], at20, 2) } };
  };
  const records = [
    // copy: fold 1 chooses (2 sets, 20 epochs), fold 2 (1 set, 10 epochs)
    staged('copy', 1, 1, 1, wrong, wrong), staged('copy', 1, 1, 2, wrong, wrong), staged('copy', 1, 2, 1, wrong, right), staged('copy', 1, 2, 2, wrong, right),
    staged('copy', 2, 1, 1, right, wrong), staged('copy', 2, 1, 2, right, wrong), staged('copy', 2, 2, 1, wrong, wrong), staged('copy', 2, 2, 2, wrong, wrong),
    // real rows only: fold 1 chooses 10 epochs, fold 2 20
    staged('none', 1, 0, 1, right, wrong), staged('none', 1, 0, 2, right, wrong), staged('none', 2, 0, 1, wrong, right), staged('none', 2, 0, 2, wrong, right),
    // outer units. copy at its choices: fold 1 (2 sets, 20 epochs) 1.0, fold 2 (1 set, 10 epochs) 0.5; elsewhere 0
    staged('copy', 1, 1, undefined, wrong, wrong), staged('copy', 1, 2, undefined, wrong, right),
    staged('copy', 2, 1, undefined, half, wrong), staged('copy', 2, 2, undefined, wrong, wrong),
    // real rows only at their choices: fold 1 after 10 epochs 0.5 (1.0 after 20), fold 2 after 20 0.5 (1.0 after 10):
    // read at copy's epochs instead, the differences would be 0 and -0.5
    staged('none', 1, 0, undefined, half, right), staged('none', 2, 0, undefined, right, half),
  ];
  const rows = pairedTable(records).filter((r) => r.sets === 'inner');
  assert.equal(rows.length, 1, 'copy against real rows only (copy is not compared with itself)');
  const [r] = rows;
  // per fold: 1.0 - 0.5 = 0.5 and 0.5 - 0.5 = 0; mean 0.25; bootstrap over 2 folds: means 0, 0.25, 0.5; sign flips: |mean| 0.25 always, p = 1
  assert.deepEqual([r.method, r.against, r.folds, r.repeats], ['copy', 'none', 2, 1]);
  assert.ok(Math.abs(r.delta - 0.25) < 1e-12, String(r.delta));
  assert.deepEqual([r.low, r.high, r.p], [0, 0.5, 1]);
  assert.match(formatPaired(pairedTable(records)), /inner choice \[95 % interval\][\s\S]*\+25\.0 \[\+0\.0, \+50\.0\]\s+1\.000/);
  // with a steps control that chooses otherwise than copy (fold 1: 1 set after 10 epochs; fold 2:
  // 2 sets after 20) and whose outer units are half right at its own choices, right at copy's:
  // copy against it, each at its own choice, is 1.0 - 0.5 and 0.5 - 0.5 (mean 0.25); read at
  // copy's choices it would be 0 and -0.5. The control against copy is the same row negated.
  const stepsRecords = [
    staged('steps', 1, 1, 1, right, wrong), staged('steps', 1, 1, 2, right, wrong), staged('steps', 1, 2, 1, wrong, wrong), staged('steps', 1, 2, 2, wrong, wrong),
    staged('steps', 2, 1, 1, wrong, wrong), staged('steps', 2, 1, 2, wrong, wrong), staged('steps', 2, 2, 1, wrong, right), staged('steps', 2, 2, 2, wrong, right),
    staged('steps', 1, 1, undefined, half, wrong), staged('steps', 1, 2, undefined, wrong, right),
    staged('steps', 2, 1, undefined, right, wrong), staged('steps', 2, 2, undefined, wrong, half),
  ];
  const withSteps = pairedTable([...records, ...stepsRecords]).filter((x) => x.sets === 'inner');
  assert.deepEqual(withSteps.map((x) => `${x.method} ${x.against}`), ['copy none', 'copy steps', 'steps copy', 'steps none']);
  const vs = (m: string, a: string) => withSteps.find((x) => x.method === m && x.against === a)!;
  assert.deepEqual([vs('copy', 'none').delta, vs('copy', 'steps').folds], [r.delta, 2], 'against real rows as without the control');
  assert.ok(Math.abs(vs('copy', 'steps').delta - 0.25) < 1e-12, JSON.stringify(withSteps));
  assert.deepEqual([vs('steps', 'copy').delta, vs('steps', 'copy').low, vs('steps', 'copy').high, vs('steps', 'copy').p], [-vs('copy', 'steps').delta, -vs('copy', 'steps').high, -vs('copy', 'steps').low, vs('copy', 'steps').p]);
  // the choices summarize made, passed in, give the same rows as choices computed here
  assert.deepEqual(pairedTable(records, { choices: summarize(records).inner }), pairedTable(records));
  // outerIndex finds a line's outer unit by fold, sets and repeat, and never an inner one
  const index = outerIndex(records);
  const copyLine = [...index.lines.keys()].find((k) => index.lines.get(k)![0].config.augment.method === 'copy')!;
  assert.deepEqual(index.unit(copyLine, 2, 1, 1)?.outcome.stages?.[0].yPred, half, 'the outer copy unit of fold 2, 1 set');
  assert.equal(index.unit(copyLine, 3, 1, 1), undefined);
  assert.ok([...index.lines.values()].flat().every((u) => !isInner(u)) && records.some(isInner));
  // without inner units there is no such row, and the table has no such column
  const outer = pairedTable(records.filter((u) => !isInner(u)));
  assert.ok(outer.length > 0 && outer.every((x) => x.sets !== 'inner'));
  assert.doesNotMatch(formatPaired(outer), /inner choice/);
  // real rows that kept stages but have not chosen on fold 1 yet: fold 1 is left out, never read at its final epochs
  const partial = pairedTable(records.filter((u) => !(isInner(u) && u.config.augment.method === 'none' && u.config.fold.index === 1))).find((x) => x.sets === 'inner')!;
  assert.deepEqual([partial.folds, partial.delta], [1, 0]);
  assert.match(formatPaired(pairedTable(records.filter((u) => !(isInner(u) && u.config.augment.method === 'none' && u.config.fold.index === 1)))), /\+0\.0 \[\+0\.0, \+0\.0\] \(1 folds\)/);
  // nor with no choice at all yet: no row
  assert.equal(pairedTable(records.filter((u) => !(isInner(u) && u.config.augment.method === 'none'))).filter((x) => x.sets === 'inner').length, 0);
  // without stages (an SVM) real rows only are read as trained: copy chooses 2 sets on fold 1 (1.0) and 1 on fold 2 (0),
  // real rows score 1.0 and 0.5: differences 0 and -0.5
  const plain = records.filter((u) => !(isInner(u) && u.config.augment.method === 'none')).map((u) => ({ ...u, outcome: { ...u.outcome, stages: undefined, epochs: undefined } }));
  const svm = pairedTable(plain).find((x) => x.sets === 'inner')!;
  assert.deepEqual([svm.folds, svm.delta], [2, -0.25]);
  // paired.csv keeps the row, and the notebooks read it back
  const back = pairedRowsFromCsv(parseCsv(toCsv(pairedTable(records) as unknown as Record<string, unknown>[])));
  assert.deepEqual(back.filter((x) => x.sets === 'inner').map((x) => [x.method, x.against, x.delta]), [['copy', 'none', 0.25]]);
  const asDnn = back.map((x) => ({ ...x, classifier: 'dnn' })); // the markdown lists the grid's classifiers
  assert.deepEqual(pairedMarkdown([{ label: 'A', paired: asDnn }], [], 'inner').split('\n').slice(2), ['| copy | DNN | +25.0 [+0.0, +50.0], p 1.00 (2) |']);
});

test("the grid with inner selection keeps the paper DNN's stages (and real-only inner units for it); the SVM's outer units and the code protocol are unchanged", async () => {
  const data = makeSynthetic({ n: 300, d: 20, speakers: 10, seed: 1 });
  const dnnOf = (s: ExperimentSpec) => (s.classifiers as { name: string; options?: Record<string, unknown> }[]).find((c) => c.name === 'dnn')!.options!;
  assert.deepEqual(dnnOf(reproduceGrid('emodb', { select: 'inner' })).stages, [10, 20, 30, 40]);
  assert.equal(dnnOf(reproduceGrid('emodb', {})).stages, undefined);
  assert.equal(dnnOf(reproduceGrid('emodb', { select: 'inner', protocol: 'code' })).stages, undefined);
  const plain = await prepareExperiment({ ...reproduceGrid('emodb', { methods: ['none', 'copy'] }), data });
  const inner = await prepareExperiment({ ...reproduceGrid('emodb', { methods: ['none', 'copy'], select: 'inner' }), data });
  const units = (p: typeof plain) => p.groups.flatMap((g) => g.units);
  const outerSvm = (p: typeof plain) => units(p).filter((u) => !u.config.inner && u.config.classifier.name === 'svm').map((u) => u.key).sort();
  assert.deepEqual(outerSvm(inner), outerSvm(plain));
  const realInner = units(inner).filter((u) => u.config.inner && u.config.sets === 0);
  assert.ok(realInner.length > 0 && realInner.every((u) => u.config.classifier.name === 'dnn'), 'real-only inner units only where epochs are chosen');
  assert.equal(realInner.length, 10 * 3 * 3, '10 folds x 3 repeats x 3 inner folds');
});
