/**
 * Summaries (pooled the authors' way, per fold, over repeats, best number of sets), the files
 * and rows for notebooks, the paper's grids and the side-by-side table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExperiment } from '../src/experiment/runner';
import { summarize, bestSets, curves, matchedCurves, computeTime, formatComputeTime, fitRows, formatEarlyStops, type SummaryRow } from '../src/experiment/summary';
import { toCsv, toRows, writeResults, toDataFrame, loadDanfo } from '../src/experiment/output';
import { reproduceGrid } from '../src/experiment/grid';
import { formatCurves, formatTable, tableNotes, PAPER_TABLE_I, PAPER_TABLE_II } from '../src/experiment/paper';
import { formatRanges } from '../src/experiment/format-ranges';
import type { UnitRecord } from '../src/experiment/store';
import { planUnits } from '../src/experiment/plan';
import { resolveSpec, resolveNormalize } from '../src/experiment/spec';
import { defaultAugmenters } from '../src/experiment/factories';
import { CLASSIFIER_NAMES } from '../src/classify/classifier';
import { countingAugmenters, ncmFactory, smallData, tempDir } from './experiment-fixtures';

const data = smallData();

async function smallRun() {
  const spec = { data, augment: ['none', 'copy', { method: 'noise', options: { scale: 1.5 } }], sets: [0, 1, 3], repeats: 3, classifiers: ['ncm'], seed: 11 };
  return runExperiment(spec, { storeDir: tempDir('sum'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
}

/** Accuracy and mean per-class recall computed directly. */
function byHand(yTrue: number[], yPred: number[], k: number): { wa: number; uar: number } {
  let correct = 0;
  const hit = new Array(k).fill(0);
  const tot = new Array(k).fill(0);
  yTrue.forEach((t, i) => {
    tot[t]++;
    if (yPred[i] === t) {
      correct++;
      hit[t]++;
    }
  });
  const present = tot.map((n, c) => (n > 0 ? hit[c] / n : NaN)).filter((v) => !Number.isNaN(v));
  return { wa: correct / yTrue.length, uar: present.reduce((s, v) => s + v, 0) / present.length };
}

test('pooled WA/UAR over folds, fold mean and std, and mean and std over repeats', async () => {
  const run = await smallRun();
  const s = summarize(run.records);
  assert.equal(s.units.length, run.total);
  // 1 real-only point + 2 methods x 2 set counts.
  assert.equal(s.summary.length, 5);
  for (const row of s.summary) {
    const mine = run.records.filter((r) => r.config.sets === row.sets && r.outcome.augmentLabel === row.augment);
    assert.equal(row.repeats, 3);
    assert.equal(row.folds, 4);
    const perRepeat = [1, 2, 3].map((rep) => {
      const rs = mine.filter((r) => r.config.repeat === rep);
      assert.equal(rs.length, 4);
      const pooled = byHand(rs.flatMap((r) => r.outcome.yTrue), rs.flatMap((r) => r.outcome.yPred), 7);
      const folds = rs.map((r) => byHand(r.outcome.yTrue, r.outcome.yPred, 7).uar);
      const m = folds.reduce((a, b) => a + b, 0) / 4;
      return { ...pooled, foldMean: m, foldStd: Math.sqrt(folds.reduce((a, b) => a + (b - m) ** 2, 0) / 4) };
    });
    const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
    const uars = perRepeat.map((p) => p.uar);
    assert.ok(Math.abs(row.uar - mean(uars)) < 1e-12);
    assert.ok(Math.abs(row.wa - mean(perRepeat.map((p) => p.wa))) < 1e-12);
    assert.ok(Math.abs(row.uarStd - Math.sqrt(mean(uars.map((u) => (u - mean(uars)) ** 2)))) < 1e-12);
    assert.ok(Math.abs(row.uarFoldMean - mean(perRepeat.map((p) => p.foldMean))) < 1e-12);
    assert.ok(Math.abs(row.uarFoldStd - mean(perRepeat.map((p) => p.foldStd))) < 1e-12);
    assert.equal(row.n, data.n);
  }
  // Noise at 1.5 feature std changes the predictions; some repeats differ.
  const noisy = s.summary.find((r) => r.method === 'noise' && r.sets === 3)!;
  assert.ok(noisy.uarStd > 0);
  // Best per method: the highest UAR of its sets >= 1; the baseline is the real-only point.
  const none = s.summary.find((r) => r.method === 'none')!;
  for (const b of s.best) {
    const line = s.summary.filter((r) => r.augment === b.augment);
    assert.equal(b.uar, Math.max(...line.map((r) => r.uar)));
    assert.equal(b.baselineUar, none.uar);
  }
  // Curves put the real-only point at 0 sets of every method.
  const c = curves(s.summary);
  assert.deepEqual(c.filter((r) => r.method === 'copy').map((r) => r.sets), [0, 1, 3]);
});

test('a repeat with missing folds is left out of the summary and counted', async () => {
  const run = await smallRun();
  const dropped = run.records.filter((r) => !(r.config.repeat === 2 && r.config.fold.index === 3));
  const s = summarize(dropped);
  for (const row of s.summary) {
    assert.equal(row.repeats, 2);
    assert.equal(row.partialRepeats, 1);
    assert.equal(row.repeatsComplete, true);
  }
  // no repeat complete (each misses another fold): all are pooled, and the table says so
  const ragged = run.records.filter((r) => r.config.fold.index !== r.config.repeat);
  const t = summarize(ragged);
  for (const row of t.summary) {
    assert.equal(row.repeatsComplete, false);
    assert.equal(row.repeats, 3);
  }
  assert.match(formatTable(t), /×3 \(partial repeats\)/);
});

test('a partly finished grid: the best point has the most folds, against the real-only point on those folds', async () => {
  const run = await smallRun();
  const folds = [...new Set(run.records.map((r) => r.config.fold.index))].sort((a, b) => a - b);
  assert.ok(folds.length >= 3, 'the fixture has at least 3 folds');
  const [keep1, keep2] = folds;
  // copy: 1 set finished on two folds, 3 sets on one fold only; the real-only point on every fold.
  const partial = run.records.filter((r) => {
    if (r.config.augment.method !== 'copy') return true;
    const allowed = r.config.sets === 1 ? [keep1, keep2] : [keep1];
    return allowed.includes(r.config.fold.index);
  });
  const s = summarize(partial);
  const copy = s.best.find((b) => b.method === 'copy')!;
  assert.equal(copy.sets, 1, 'the 3-set point (one fold) does not compete');
  assert.equal(copy.foldIndices, `${keep1},${keep2}`);
  const matched = summarize(partial.filter((r) => r.config.augment.method === 'none' && [keep1, keep2].includes(r.config.fold.index))).summary[0];
  assert.equal(copy.baselineUar, matched.uar);
  assert.equal(copy.baselineWa, matched.wa);
  assert.match(formatTable(s), new RegExp(`note: rows pool different numbers of folds \\(${folds.length}, 2; the folds×rep column\\): a row on fewer folds is partial`));
  const all = s.summary.find((r) => r.method === 'none')!;
  assert.equal(all.foldIndices, folds.join(','));
  assert.notEqual(all.uar, matched.uar, 'the fixture makes the two baselines differ, so the test can tell them apart');
  // Without the units a mismatched baseline is unknown, not the all-fold one.
  assert.ok(Number.isNaN(bestSets(s.summary).find((b) => b.method === 'copy')!.baselineUar));
});

test('the compute a store recorded: classifier and augmenter seconds summed, each fit counted once', async () => {
  const run = await smallRun();
  // known timings: 2 s per classifier, and a fit on the first unit of each group: 100 s for the
  // copy groups (relabelled a GAN-type method), 1 s for the noise groups (training-free)
  const seen = new Set<string>();
  const records = run.records.map((r) => {
    const method = r.config.augment.method === 'copy' ? 'wadan' : r.config.augment.method;
    const group = `${r.config.fold.index}/${method}`;
    const first = method !== 'none' && !seen.has(group);
    seen.add(group);
    return { ...r, config: { ...r.config, augment: { ...r.config.augment, method } }, outcome: { ...r.outcome, seconds: 2, augmenterSeconds: first ? (method === 'wadan' ? 100 : 1) : 0 } };
  });
  const groupsOf = (m: string) => new Set(records.filter((r) => r.config.augment.method === m).map((r) => r.config.fold.index)).size;
  const t = computeTime(records);
  assert.equal(t.units, records.length);
  assert.equal(t.classifierSeconds, 2 * records.length);
  assert.equal(t.fits, groupsOf('wadan'), 'only GAN-type fits are counted as fits');
  assert.equal(t.augmenterSeconds, 100 * groupsOf('wadan') + groupsOf('noise'));
  assert.ok(t.firstFinished <= t.lastFinished && t.firstFinished.length > 0);
  assert.match(formatComputeTime(t), new RegExp(`${records.length} units, classifiers ${((2 * records.length) / 3600).toFixed(2)} h, augmenters [0-9.]+ h \\(${groupsOf('wadan')} GAN-type fit\\(s\\)\\)`));
  assert.equal(formatComputeTime(computeTime([])), 'compute recorded: no units');
  assert.deepEqual(t.fitsByMethod, [{ method: 'wadan', fits: groupsOf('wadan'), medianSeconds: 100 }]);
  assert.equal(t.secondsAtMedianFits, t.classifierSeconds + t.augmenterSeconds, 'every fit already at the median');
  assert.match(formatComputeTime(t), new RegExp(`\nGAN-type fits: wadan ${groupsOf('wadan')} x median 100 s; ${((t.classifierSeconds + t.augmenterSeconds) / 3600).toFixed(2)} h in all with each fit at its median$`));
  // one fit whose process was paused for an hour moves the sum, not the median
  let paused = false;
  const withPause = records.map((r) => (!paused && r.outcome.augmenterSeconds === 100 && (paused = true) ? { ...r, outcome: { ...r.outcome, augmenterSeconds: 3700 } } : r));
  const tp = computeTime(withPause);
  assert.equal(tp.augmenterSeconds, t.augmenterSeconds + 3600);
  assert.equal(tp.fitsByMethod[0].medianSeconds, 100);
  assert.equal(tp.secondsAtMedianFits, t.secondsAtMedianFits, 'counted at the median, the paused fit costs what the others do');
});

test('best sets of a partly finished line: only points on the most folds, and on the most common fold set, compete', () => {
  const row = (sets: number, uar: number, foldIndices: string): SummaryRow =>
    ({ dataset: 'd', method: 'wadan', augment: 'wadan', augmentOptions: '', sets, classifier: 'svm', classifierName: 'svm', classifierOptions: '', train: 'real+synthetic', repeats: 1, partialRepeats: 0, folds: foldIndices.split(',').length, foldIndices, n: 10, wa: uar, waStd: 0, uar, uarStd: 0, waFoldMean: uar, waFoldStd: 0, uarFoldMean: uar, uarFoldStd: 0, seconds: 0, augmenterSeconds: 0 }) as SummaryRow;
  // 9 sets finished on one fold only, with the highest UAR: it must not win
  assert.equal(bestSets([row(1, 0.70, '1,2'), row(2, 0.72, '1,2'), row(9, 0.95, '1')])[0].sets, 2);
  // two points on other folds (3,4) than the rest (1,2): the most common set wins
  assert.equal(bestSets([row(1, 0.70, '1,2'), row(2, 0.72, '1,2'), row(3, 0.71, '1,2'), row(4, 0.99, '3,4')])[0].sets, 2);
});

test('best sets: ties go to fewer sets; by WA when asked', () => {
  const row = (sets: number, uar: number, wa: number): SummaryRow =>
    ({ dataset: 'd', method: 'copy', augment: 'copy', augmentOptions: '', sets, classifier: 'svm', classifierName: 'svm', classifierOptions: '', train: 'real+synthetic', repeats: 1, partialRepeats: 0, folds: 2, foldIndices: '1,2', n: 10, wa, waStd: 0, uar, uarStd: 0, waFoldMean: wa, waFoldStd: 0, uarFoldMean: uar, uarFoldStd: 0, seconds: 0, augmenterSeconds: 0 }) as SummaryRow;
  const rows = [row(1, 0.7, 0.8), row(2, 0.75, 0.7), row(5, 0.75, 0.9)];
  assert.equal(bestSets(rows)[0].sets, 2);
  assert.equal(bestSets(rows, 'wa')[0].sets, 5);
  assert.ok(Number.isNaN(bestSets(rows)[0].baselineUar), 'no real-only point in these rows');
});

test('results as CSV and JSON files, plain rows, and a danfojs DataFrame', async () => {
  const run = await smallRun();
  const s = summarize(run.records);
  const dir = path.join(tempDir('out'), 'results');
  const files = writeResults(s, dir, run.records);
  assert.deepEqual(files.map((f) => path.basename(f)).sort(), ['best.csv', 'best.json', 'curves.csv', 'curves.json', 'fits.csv', 'paired.csv', 'predictions.csv', 'summary.csv', 'summary.json', 'units.csv', 'units.json']);
  const csv = fs.readFileSync(path.join(dir, 'summary.csv'), 'utf8').trim().split('\n');
  assert.equal(csv.length, s.summary.length + 1);
  assert.equal(csv[0].split(',')[0], 'dataset');
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'units.json'), 'utf8')), toRows(s, 'units'));
  // curves from the records: matched curves (on a complete grid, the same rows as curves())
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, 'curves.json'), 'utf8')), JSON.parse(JSON.stringify(matchedCurves(run.records))));
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'curves.json'), 'utf8')).length, toRows(s, 'curves').length);
  const predictions = fs.readFileSync(path.join(dir, 'predictions.csv'), 'utf8').trim().split('\n');
  assert.equal(predictions.length, 1 + run.records.reduce((a, r) => a + r.outcome.ids.length, 0));
  assert.equal(toCsv([{ a: 'x,y', b: 'say "hi"', c: 1.5 }]), 'a,b,c\n"x,y","say ""hi""",1.5\n');
  // danfojs passed in as a module: the DataFrame gets the rows.
  class DataFrame {
    constructor(readonly rows: Record<string, unknown>[]) {}
  }
  const df = (await toDataFrame(s, 'best', { DataFrame })) as DataFrame;
  assert.deepEqual(df.rows, toRows(s, 'best'));
  // Without the module: the danfojs adan-lab depends on, a real DataFrame of the same rows.
  const dfd = await loadDanfo();
  const real = (await toDataFrame(s, 'best')) as { shape: number[]; columns: string[] };
  assert.ok(real instanceof (dfd.DataFrame as unknown as new () => object));
  const rows = toRows(s, 'best');
  assert.deepEqual(real.shape, [rows.length, Object.keys(rows[0]).length]);
  assert.deepEqual(real.columns, Object.keys(rows[0]));
});

test('writeResults refuses a summary of other units than its records, before writing anything', async () => {
  const run = await smallRun();
  const dir = path.join(tempDir('out-mismatch'), 'results');
  const fewer = run.records.slice(1);
  assert.throws(() => writeResults(summarize(fewer), dir, run.records), /summary holds \d+ outer units and the records \d+/);
  assert.throws(() => writeResults(summarize(run.records), dir, fewer), /pass summarize\(records\)/);
  assert.equal(fs.existsSync(dir), false, 'nothing written');
  writeResults(summarize(fewer), dir, fewer); // the same units: written
  assert.ok(fs.existsSync(path.join(dir, 'paired.csv')));
});

test('the paper grids: full = 9 methods x 0..10 sets x 3 repeats x svm, dnn; quick is small and says its WADAN is short', () => {
  const full = reproduceGrid('emodb');
  const resolved = resolveSpec(full, defaultAugmenters.methods, CLASSIFIER_NAMES);
  assert.equal(resolved.normalize, 'auto');
  resolved.normalize = resolveNormalize(resolved.normalize, 'emodb-is11');
  // The authors' EmoDB features come z-normalised (as scikit-learn's anchor used them); anything else is z-scored per training fold.
  assert.equal(resolved.normalize, 'none');
  assert.equal(resolveNormalize('auto', 'iemocap-is10'), 'zscore');
  assert.equal(resolveNormalize('zscore', 'emodb-is11'), 'zscore');
  assert.deepEqual(resolved.augment.map((a) => a.method), ['none', 'copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan']);
  assert.deepEqual(resolved.augment.filter((a) => a.options.epochs !== undefined).map((a) => a.options.epochs), [1500, 1500, 1500, 1500, 1500]);
  const folds = Array.from({ length: 10 }, (_, i) => ({ index: i + 1, group: `s${i + 1}` }));
  const units = planUnits(resolved, { name: 'emodb-is11', fingerprint: 'f', n: 535, d: 4354 }, folds).flatMap((g) => g.units);
  assert.equal(units.length, 10 * 3 * 2 * (1 + 8 * 10));
  assert.deepEqual(resolved.classifiers.map((c) => c.options), [{}, { hiddenLayers: [100, 100], classWeight: 'none' }]);
  const quick = reproduceGrid('emodb', { quick: true });
  assert.deepEqual(quick.folds, [1, 2, 3]);
  assert.deepEqual(quick.sets, [0, 1, 2]);
  assert.equal(quick.repeats, 1);
  assert.throws(() => reproduceGrid('ravdess' as 'emodb'), /'emodb' or 'iemocap'/);
  assert.throws(() => reproduceGrid('emodb', { quick: true, epoch: 3 } as object), /reproduceGrid\.epoch/);
});

test('reproduce --methods plans the units of the full grid for those methods (so a later full run reuses them)', () => {
  const folds = Array.from({ length: 10 }, (_, i) => ({ index: i + 1, group: `s${i + 1}` }));
  const keysOf = (spec: ReturnType<typeof reproduceGrid>) => {
    const resolved = resolveSpec(spec, defaultAugmenters.methods, CLASSIFIER_NAMES);
    resolved.normalize = resolveNormalize(resolved.normalize, 'emodb-is11');
    return planUnits(resolved, { name: 'emodb-is11', fingerprint: 'f', n: 535, d: 4354 }, folds).flatMap((g) => g.units.map((u) => ({ key: u.key, method: u.config.augment.method, classifier: u.config.classifier.name })));
  };
  const all = keysOf(reproduceGrid('emodb'));
  const part = keysOf(reproduceGrid('emodb', { methods: ['none', 'smote', 'wadan'] }));
  assert.equal(part.length, 10 * 3 * 2 * (1 + 2 * 10));
  assert.deepEqual(part.map((u) => u.key).sort(), all.filter((u) => ['none', 'smote', 'wadan'].includes(u.method)).map((u) => u.key).sort());
  assert.throws(() => reproduceGrid('emodb', { methods: ['smote', 'vae'] }), /methods.*vae/);
  const svmOnly = keysOf(reproduceGrid('emodb', { methods: ['none', 'smote', 'wadan'], classifiers: ['svm'] }));
  assert.deepEqual(svmOnly.map((u) => u.key).sort(), part.filter((u) => u.classifier === 'svm').map((u) => u.key).sort());
  assert.throws(() => reproduceGrid('emodb', { classifiers: ['rbf'] }), /classifiers.*rbf/);
});

test('reproduce --sets plans the full grid\'s units at those numbers of sets, and computes them as the full grid does', async () => {
  const folds = Array.from({ length: 5 }, (_, i) => ({ index: i + 1, group: `Ses0${i + 1}` }));
  const keysOf = (spec: ReturnType<typeof reproduceGrid>) => {
    const resolved = resolveSpec(spec, defaultAugmenters.methods, CLASSIFIER_NAMES);
    resolved.normalize = resolveNormalize(resolved.normalize, 'iemocap-is10');
    return planUnits(resolved, { name: 'iemocap-is10', fingerprint: 'f', n: 5531, d: 1582 }, folds, (c) => c.name === 'dnn').flatMap((g) => g.units.map((u) => ({ key: u.key, sets: u.config.sets, method: u.config.augment.method })));
  };
  const reduced = [0, 1, 2, 3, 5, 10];
  const all = keysOf(reproduceGrid('iemocap', { stepsControl: true }));
  const part = keysOf(reproduceGrid('iemocap', { stepsControl: true, sets: [10, 0, 2, 1, 3, 5] }));
  assert.deepEqual(reproduceGrid('iemocap', { sets: [10, 0, 2, 1, 3, 5] }).sets, reduced, "in the grid's order");
  // 5 sessions x 3 repeats x (2 real-only + 8 methods x 5 sets x 2 classifiers + the steps control's 5 x DNN)
  assert.equal(part.length, 5 * 3 * (2 + 8 * 5 * 2 + 5));
  assert.deepEqual(part.map((u) => u.key).sort(), all.filter((u) => reduced.includes(u.sets)).map((u) => u.key).sort());
  assert.throws(() => reproduceGrid('iemocap', { sets: [0, 11] }), /option sets: got "0,11", expected some of 0, 1, 2/);
  assert.throws(() => reproduceGrid('emodb', { quick: true, sets: [0, 5] }), /option sets: .*expected some of 0, 1, 2$/);
  assert.throws(() => reproduceGrid('emodb', { sets: [] }), /option sets/);
  // the same units compute the same: set j is drawn with seeds of its own, whatever else the grid asks
  const recording = () => {
    const drawn: string[] = []; // seed and rows of every set sampled
    const f = countingAugmenters();
    const make = f.make.bind(f);
    f.make = (method, options, seed) => {
      const a = make(method, options, seed);
      const sample = a.sample.bind(a);
      a.sample = (labels, o) => {
        const set = sample(labels, o);
        drawn.push(`${o?.seed} ${set.x.reduce((t, v) => t + v, 0)}`);
        return set;
      };
      return a;
    };
    return { factory: f, drawn };
  };
  const spec = { data, folds: [1, 2], augment: ['none', { method: 'noise', options: { scale: 1.5 } }], repeats: 2, classifiers: ['ncm'], seed: 5 };
  const fullDraws = recording();
  const someDraws = recording();
  const full = await runExperiment({ ...spec, sets: [0, 1, 2, 3] }, { storeDir: tempDir('sets-full'), classifiers: ncmFactory(), augmenters: fullDraws.factory });
  const some = await runExperiment({ ...spec, sets: [0, 2] }, { storeDir: tempDir('sets-some'), classifiers: ncmFactory(), augmenters: someDraws.factory });
  assert.equal(some.records.length, 2 * 2 * 2, '2 folds x 2 repeats x (real only, 2 sets)');
  // the 2-set units draw sets 1 and 2 of each fold and repeat: sets the full grid (up to 3) drew too
  assert.equal(new Set(someDraws.drawn).size, 2 * 2 * 2);
  assert.equal(new Set(fullDraws.drawn).size, 2 * 2 * 3);
  for (const d of someDraws.drawn) assert.ok(fullDraws.drawn.includes(d), `set ${d} was not drawn by the full grid`);
  const preds = new Map(full.records.map((r) => [r.key, r.outcome.yPred]));
  for (const r of some.records) assert.deepEqual(r.outcome.yPred, preds.get(r.key), `unit ${r.config.augment.method} x ${r.config.sets} sets`);
});

test('formatTable prints ours next to the paper, with the notes on how to read it', async () => {
  const run = await smallRun();
  const s = summarize(run.records);
  const text = formatTable(s, PAPER_TABLE_I);
  assert.match(text, /Table I \(EmoDB\)/);
  assert.match(text, /84\.49±0\.19/); // WADAN + DNN in the paper
  assert.match(text, /not run/); // the paper's svm/dnn rows we did not run
  const copy = s.best.find((b) => b.method === 'copy')!;
  assert.ok(text.includes((100 * copy.uar).toFixed(2)));
  assert.match(text, /chosen on the test folds/);
  assert.match(text, /note: these lines have 1, 3 augmented sets \(the paper's grid: 1-10\); the best point and the mean over sets are among these only\./);
  const tenSets = { ...s, summary: Array.from({ length: 10 }, (_, i) => ({ ...s.summary.find((r) => r.sets > 0)!, sets: i + 1 })) };
  assert.ok(!tableNotes(tenSets).some((n) => /augmented sets? \(the paper's grid/.test(n)), "the paper's 1-10: nothing to say");
  assert.doesNotMatch(text, /fewer than the paper's 1500 epochs/);
  // A short WADAN run gets the warning of SPEC's reference run.
  const short = { ...s, best: [...s.best, { ...copy, method: 'wadan', augment: 'wadan', augmentOptions: 'epochs=50' }] };
  assert.match(formatTable(short, PAPER_TABLE_I), /wadan \(50 epochs\) trained for fewer than the paper's 1500 epochs\. Short runs make GAN-type augmentation look harmful/);
  assert.match(formatTable(s, PAPER_TABLE_II), /compare trends, not digits/);
});

test('kept augmenters are loaded, not fitted again, when a later run needs their groups (e.g. for another classifier)', async () => {
  const store = tempDir('kept');
  const plain = { name: 'ncm', options: {} };
  const shrunk = { name: 'ncm', options: { shrink: 0.5 } };
  const spec = { data, augment: [{ method: 'smote', options: {} }], sets: [1, 2], repeats: 2, folds: [1, 2], classifiers: [plain] };
  const first = countingAugmenters();
  await runExperiment(spec, { storeDir: store, classifiers: ncmFactory(), augmenters: first, keepAugmenters: true });
  assert.equal(first.fits, 2);
  const second = countingAugmenters();
  const both = await runExperiment({ ...spec, classifiers: [plain, shrunk] }, { storeDir: store, classifiers: ncmFactory(), augmenters: second });
  assert.deepEqual([second.fits, second.loads], [0, 2]);
  // the new units saw the sets a fresh fit draws
  const fresh = await runExperiment({ ...spec, classifiers: [shrunk] }, { storeDir: tempDir('kept-fresh'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
  const preds = (records: typeof fresh.records) => records.filter((r) => r.config.classifier.options.shrink === 0.5 && r.config.sets > 0).map((r) => `${r.config.fold.index}/${r.config.repeat}/${r.config.sets}:${r.outcome.yPred.join('')}`).sort();
  assert.equal(preds(fresh.records).length, 2 * 2 * 2);
  assert.deepEqual(preds(both.records), preds(fresh.records));
  // a kept augmenter that no longer loads is fitted again, with a warning, and the run completes
  const keptDirs = fs.readdirSync(path.join(store, 'augmenters')).map((g) => path.join(store, 'augmenters', g));
  assert.equal(keptDirs.length, 2);
  for (const dir of keptDirs) for (const f of fs.readdirSync(dir)) if (f !== 'experiment-group.json') fs.rmSync(path.join(dir, f), { recursive: true });
  const third = countingAugmenters();
  const warnings: string[] = [];
  const shrunkMore = { name: 'ncm', options: { shrink: 0.25 } };
  await runExperiment({ ...spec, classifiers: [plain, shrunk, shrunkMore] }, { storeDir: store, classifiers: ncmFactory(), augmenters: third, onWarning: (m) => warnings.push(m) });
  assert.deepEqual([third.loads, third.fits], [2, 2]);
  assert.ok(warnings.length === 2 && warnings.every((w) => /does not load.*fitting it again/.test(w)), warnings.join('; '));
});

test('augmenterPerRepeat: false fits one augmenter per fold and method; repeats still draw different sets; true keeps it for repeat 1', async () => {
  const augmenters = countingAugmenters();
  const spec = { data, augment: [{ method: 'noise', options: { scale: 1.5 } }], sets: [1, 2], repeats: 3, folds: [1, 2], classifiers: ['ncm'], augmenterPerRepeat: false };
  const gridStore = tempDir('shared-aug');
  const run = await runExperiment(spec, { storeDir: gridStore, classifiers: ncmFactory(), augmenters, keepAugmenters: true });
  assert.equal(augmenters.fits, 2);
  const preds = [1, 2, 3].map((rep) => JSON.stringify(run.records.filter((r) => r.config.repeat === rep && r.config.sets === 2).map((r) => r.outcome.yPred)));
  assert.ok(new Set(preds).size > 1, 'repeats differ');
  const perRepeat = countingAugmenters();
  const seeds = await runExperiment({ ...spec, augmenterPerRepeat: true }, { storeDir: tempDir('per-repeat'), classifiers: ncmFactory(), augmenters: perRepeat });
  assert.equal(perRepeat.fits, 6);
  // both in one summary: two lines, told apart by label and augmenterSeeds
  const s = summarize([...run.records, ...seeds.records]);
  assert.deepEqual(s.best.map((b) => [b.augment, b.augmenterSeeds]).sort(), [[`${run.records[0].outcome.augmentLabel}`, 1], [`${run.records[0].outcome.augmentLabel} (an augmenter per repeat)`, 3]].sort());
  assert.ok(s.summary.every((r) => r.repeats === 3 && r.folds === 2), 'no line pools both kinds');
  // repeat 1 keeps the grid's own augmenter: in the grid's store its fit loads, and its sets are the grid's
  const again = countingAugmenters();
  const inGridStore = await runExperiment({ ...spec, augmenterPerRepeat: true }, { storeDir: gridStore, classifiers: ncmFactory(), augmenters: again });
  assert.deepEqual([again.loads, again.fits], [2, 4], "repeat 1's fits load; repeats 2 and 3 fit their own");
  const predsOf = (rs: readonly UnitRecord[], perRepeat: boolean, rep: number) =>
    JSON.stringify(rs.filter((r) => r.config.augment.perRepeat === perRepeat && r.config.repeat === rep && r.config.sets === 2).map((r) => [r.config.fold.index, r.outcome.yPred]));
  assert.equal(predsOf(inGridStore.records, true, 1), predsOf(run.records, false, 1), "repeat 1: the grid's sets");
  assert.notEqual(predsOf(inGridStore.records, true, 2), predsOf(run.records, false, 2), 'repeat 2: another augmenter');
  assert.equal(predsOf(inGridStore.records, true, 2), predsOf(seeds.records, true, 2), 'the same per-repeat units in any store');
});

test("train: 'synthetic' fits the classifier on the augmented sets alone (Fig. 8)", async () => {
  const run = await runExperiment(
    { data, augment: ['copy'], sets: [1, 2], folds: [1], classifiers: ['ncm'], train: 'synthetic' },
    { storeDir: tempDir('synthetic-only'), classifiers: ncmFactory(), augmenters: countingAugmenters() },
  );
  const trainRows = data.n - run.records[0].outcome.yTrue.length;
  assert.deepEqual(run.records.map((r) => [r.config.sets, r.outcome.trainReal, r.outcome.trainSynthetic]), [
    [1, 0, trainRows],
    [2, 0, 2 * trainRows],
  ]);
});

test('formatCurves: one line per method and classifier, UAR at every number of sets beside the real-only point', async () => {
  const run = await smallRun();
  const s = summarize(run.records);
  const text = formatCurves(curves(s.summary));
  const lines = text.split('\n');
  assert.match(lines[1], /^method\s+classifier\s+folds\s+rep\s+real only\s+1\s+3$/);
  const base = s.summary.find((r) => r.method === 'none')!;
  for (const method of ['copy', 'noise']) {
    const line = lines.find((l) => l.startsWith(`${method} `));
    assert.ok(line, `a line for ${method}`);
    const cells = line!.trim().split(/\s+/);
    const at = (k: number) => s.summary.find((r) => r.method === method && r.sets === k)!;
    assert.deepEqual(cells.slice(-3), [(100 * base.uar).toFixed(2), (100 * at(1).uar).toFixed(2), (100 * at(3).uar).toFixed(2)]);
  }
  assert.equal(lines.filter((l) => l.startsWith('none')).length, 0, 'the real-only point is a column, not a line');
});

test('formatCurves on matched rows: a partial line names its folds and its real-only point is the baseline on those folds', async () => {
  const run = await smallRun();
  const folds = [...new Set(run.records.map((r) => r.config.fold.index))].sort((a, b) => a - b);
  assert.ok(folds.length >= 3, 'needs three folds or more');
  // copy at 3 sets is missing on the first fold (every repeat): its line pools the other folds
  const partial = run.records.filter((r) => !(r.config.augment.method === 'copy' && r.config.sets === 3 && r.config.fold.index === folds[0]));
  const lines = formatCurves(matchedCurves(partial)).split('\n');
  const cells = (m: string): string[] => lines.find((l) => l.startsWith(`${m} `))!.trim().split(/\s+/);
  const rest = folds.slice(1);
  const onRest = summarize(partial.filter((r) => r.config.augment.method === 'none' && rest.includes(r.config.fold.index))).summary[0];
  const copy = cells('copy');
  assert.equal(copy[2], formatRanges(rest));
  assert.equal(copy[4], (100 * onRest.uar).toFixed(2), 'real-only point on the folds of the line');
  const onAll = summarize(partial.filter((r) => r.config.augment.method === 'none')).summary[0];
  assert.deepEqual(cells('noise').slice(2, 6), ['all', String(folds.length), '3', (100 * onAll.uar).toFixed(2)]);
  assert.match(lines[0], /partial line is pooled on the folds × repeats that hold all its points/);
});

test('the median fit is taken per kind of fit: the same method with other options is a line of its own', async () => {
  const run = await smallRun();
  const seen = new Set<string>();
  const records = run.records.map((r) => {
    if (r.config.augment.method === 'none') return r;
    // copy -> a 1,500-epoch WADAN fit of 100 s; noise -> a 400-epoch one of 30 s (first unit of each group)
    const long = r.config.augment.method === 'copy';
    const group = `${r.config.fold.index}/${long}`;
    const first = !seen.has(group);
    seen.add(group);
    return { ...r, config: { ...r.config, augment: { ...r.config.augment, method: 'wadan', options: { epochs: long ? 1500 : 400 } } }, outcome: { ...r.outcome, augmenterSeconds: first ? (long ? 100 : 30) : 0 } };
  });
  const t = computeTime(records);
  assert.deepEqual(
    t.fitsByMethod.map((f) => [f.method, f.medianSeconds]),
    [['wadan (epochs=1500, ' + data.name + ')', 100], ['wadan (epochs=400, ' + data.name + ')', 30]],
  );
});

test('formatCurves keeps datasets apart: two stores merged show a dataset column and no crossed points', async () => {
  const run = await smallRun();
  const other = run.records.map((r) => ({ ...r, key: r.key + 'x', config: { ...r.config, data: { ...r.config.data, name: 'other-set' } }, outcome: r.config.augment.method === 'none' ? r.outcome : { ...r.outcome, yPred: r.outcome.yPred.map(() => 0) } }));
  const text = formatCurves(matchedCurves([...run.records, ...other]));
  const lines = text.split('\n');
  assert.match(lines[1], /^dataset\s+method/);
  const mine = lines.filter((l) => l.startsWith(data.name));
  // the other set's augmented points predict one class only: UAR 1/7 = 14.29 %
  assert.ok(mine.length >= 2 && mine.every((l) => !/\b14\.29\b/.test(l)), `no point of the other dataset on this one's lines:\n${text}`);
  assert.ok(lines.some((l) => l.startsWith('other-set') && /\b14\.29\b/.test(l)), text);
});

test("the epochs each GAN-type fit trained are stored: ADAN's early stop shows per fold in fits.csv and the CLI line", async () => {
  const tiny = { latentDim: 4, zDim: 3, encoderHidden: [8], decoderHidden: [8], classifierHidden: [8], generatorHidden: [8], discriminatorHidden: [8], fidelityRows: 0, batchSize: 32 };
  const spec = {
    data, folds: [1, 2], sets: [1], classifiers: ['ncm'], seed: 2,
    augment: [{ method: 'adan', options: { ...tiny, epochs: 30, earlyStop: true, earlyStopAfter: 0, earlyStopTolerance: 0.5 } }, { method: 'wadan', options: { ...tiny, epochs: 3 } }],
  };
  const dir = tempDir('fits');
  const run = await runExperiment(spec, { storeDir: dir, classifiers: ncmFactory() });
  const rows = fitRows(run.records);
  assert.deepEqual(rows.map((r) => [r.method, r.fold]), [['adan', 1], ['adan', 2], ['wadan', 1], ['wadan', 2]]);
  for (const r of rows.filter((x) => x.method === 'adan')) assert.ok(r.epochs < 30 && r.epochs > 0, `adan stopped at ${r.epochs}`);
  for (const r of rows.filter((x) => x.method === 'wadan')) assert.equal(r.epochs, 3);
  assert.match(formatEarlyStops(rows), /^adan stopped early in 2 of 2 fits: fold 1 at epoch \d+, fold 2 at epoch \d+ \(of 30\)$/);
  writeResults(summarize(run.records), path.join(dir, 'results'), run.records);
  const csv = fs.readFileSync(path.join(dir, 'results', 'fits.csv'), 'utf8').trim().split('\n');
  assert.equal(csv[0], 'dataset,method,augmentOptions,fold,repeat,epochsAsked,epochs,seconds');
  assert.equal(csv.length, 5);
});
