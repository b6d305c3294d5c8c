import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pairedDifference, signFlipP } from '../src/analysis/paired';
import { pairedTable, formatPaired } from '../src/experiment/paired-table';
import { runExperiment } from '../src/experiment/runner';
import { Random } from '../src/util/random';
import { pairedRowsFromCsv, parseCsv } from '../src/notebook/results';
import { toCsv } from '../src/util/csv';
import { subset } from '../src/data/dataset';
import type { ClassifierFactory } from '../src/experiment/factories';
import { NearestMean, ncmFactory, smallData, tempDir } from './experiment-fixtures';

test('sign-flip p-value by hand: [1, 2, 3] reaches |sum| 6 only with all signs equal (2 of 8 patterns)', () => {
  assert.equal(signFlipP(Float64Array.from([1, 2, 3]), new Random(0)), 2 / 8);
  // [1, -1, 2]: |sum| 2 is reached by + + +, - - -, + - +... every pattern with |±1 ±1 ±2| >= 2: 6 of 8
  assert.equal(signFlipP(Float64Array.from([1, -1, 2]), new Random(0)), 6 / 8);
  // all differences zero: every pattern ties the observed 0
  assert.equal(signFlipP(new Float64Array(5), new Random(0)), 1);
});

test('bootstrap interval by hand: [1, 2, 3] against the exact distribution of the 27 equally likely resamples', () => {
  const exact: number[] = [];
  for (const a of [1, 2, 3]) for (const b of [1, 2, 3]) for (const c of [1, 2, 3]) exact.push((a + b + c) / 3);
  exact.sort((x, y) => x - y);
  // the bootstrap distribution is these 27 means, each with probability 1/27: its p-quantile is the
  // first mean whose cumulative probability reaches p (3.7 % sits on 1 and on 3, so [1, 3])
  const q = (p: number): number => exact[Math.ceil(p * exact.length) - 1];
  assert.deepEqual([q(0.025), q(0.975)], [1, 3]);
  const r = pairedDifference([1, 2, 3], { resamples: 200_000, seed: 1 });
  assert.equal(r.delta, 2);
  assert.equal(r.n, 3);
  assert.equal(r.low, q(0.025));
  assert.equal(r.high, q(0.975));
  // a narrower level moves inside the atoms at 1 and 3: the 80 % interval is [4/3, 8/3] exactly
  const r80 = pairedDifference([1, 2, 3], { resamples: 200_000, seed: 1, level: 0.8 });
  assert.ok(Math.abs(r80.low - q(0.1)) < 1e-9 && Math.abs(r80.high - q(0.9)) < 1e-9, `${r80.low} ${r80.high} vs ${q(0.1)} ${q(0.9)}`);
  assert.equal(r.p, 0.25);
});

test('the same seed gives the same interval; a clear effect excludes 0, none does not', () => {
  const d = [0.03, 0.02, 0.05, 0.01, 0.04, 0.02, 0.03, 0.06, 0.02, 0.03];
  assert.deepEqual(pairedDifference(d, { seed: 3 }), pairedDifference(d, { seed: 3 }));
  const clear = pairedDifference(d);
  assert.ok(clear.low > 0 && clear.p < 0.01, JSON.stringify(clear));
  const noise = pairedDifference([0.02, -0.03, 0.01, -0.01, 0.0, 0.03, -0.02, 0.01, -0.01, 0.0]);
  assert.ok(noise.low < 0 && noise.high > 0 && noise.p > 0.5, JSON.stringify(noise));
  assert.throws(() => pairedDifference([]), /no folds/);
  assert.throws(() => pairedDifference([1, NaN]), /not a finite number/);
});

test("a store's paired table: each method against real-only and copy on the same folds and repeats, per number of sets and their mean", async () => {
  const data = smallData();
  const run = await runExperiment({ data, augment: ['none', 'copy', { method: 'noise', options: { scale: 1.5 } }], sets: [0, 1, 2], repeats: 2, classifiers: ['ncm'], seed: 4 }, { storeDir: tempDir('paired'), classifiers: ncmFactory() });
  const rows = pairedTable(run.records, { resamples: 1000 });
  const noise = rows.filter((r) => r.method === 'noise');
  assert.deepEqual(noise.map((r) => `${r.against} ${r.sets}`), ['copy 1', 'copy 2', 'copy mean', 'none 1', 'none 2', 'none mean']);
  assert.deepEqual(rows.filter((r) => r.method === 'copy').map((r) => r.against), ['none', 'none', 'none'], 'copy is not compared with itself');
  // delta by hand for noise at 1 set against real-only: per fold, the mean over repeats of the UAR difference
  const uar = (m: string, sets: number, fold: number, rep: number): number => run.records.find((r) => r.config.augment.method === m && r.config.sets === sets && r.config.fold.index === fold && r.config.repeat === rep)!.outcome.uar;
  const folds = [...new Set(run.records.map((r) => r.config.fold.index))];
  const byHand = folds.map((f) => [1, 2].map((rep) => uar('noise', 1, f, rep) - uar('none', 0, f, rep)).reduce((a, b) => a + b) / 2).reduce((a, b) => a + b) / folds.length;
  const row = noise.find((r) => r.against === 'none' && r.sets === 1)!;
  assert.ok(Math.abs(row.delta - byHand) < 1e-12);
  assert.equal(row.folds, 4);
  assert.equal(row.repeats, 2);
  assert.ok(row.low <= row.delta && row.delta <= row.high);
  const text = formatPaired(rows);
  assert.match(text, /^Paired UAR differences/);
  assert.match(text, /noise\s+ncm\s+copy/);
});

test('with the steps control in the store, every other line is also compared with it at the same k, and paired.csv keeps the comparison', async () => {
  // 'epochy': nearest class means of every (40 / epochs)-th training row, so that the steps
  // control's longer training changes its predictions (as a DNN's would)
  const epochy: ClassifierFactory = {
    names: ['epochy'],
    make: (_name, options) => {
      const { epochs = 5 } = options as { epochs?: number };
      const c = new NearestMean({});
      const fit = c.fit.bind(c);
      const every = Math.max(1, Math.floor(40 / epochs));
      c.fit = async (train) => fit(subset(train, Array.from({ length: Math.ceil(train.n / every) }, (_, i) => i * every)));
      return Object.assign(c, { options: { ...c.options, epochs } }) as unknown as NearestMean;
    },
  };
  const run = await runExperiment({ data: smallData(), augment: ['none', 'copy', { method: 'noise', options: { scale: 1.5 } }, 'steps'], sets: [0, 1, 2], repeats: 2, classifiers: [{ name: 'epochy', options: { epochs: 5 } }], seed: 4 }, { storeDir: tempDir('paired-steps'), classifiers: epochy });
  const uar = (m: string, sets: number, fold: number, rep: number): number => run.records.find((r) => r.config.augment.method === m && r.config.sets === sets && r.config.fold.index === fold && r.config.repeat === rep)!.outcome.uar;
  const folds = [...new Set(run.records.map((r) => r.config.fold.index))];
  assert.ok(folds.some((f) => uar('steps', 2, f, 1) !== uar('none', 0, f, 1)), 'the steps control scores otherwise than real rows as trained');
  const rows = pairedTable(run.records, { resamples: 1000 });
  const against = (m: string) => [...new Set(rows.filter((r) => r.method === m).map((r) => r.against))];
  assert.deepEqual(against('noise'), ['copy', 'none', 'steps']);
  assert.deepEqual(against('copy'), ['none', 'steps']);
  assert.deepEqual(against('steps'), ['copy', 'none'], 'the steps control is not compared with itself');
  // by hand: noise at 2 sets minus the steps control at k = 2, per fold the mean over repeats
  const byHand = folds.map((f) => [1, 2].map((rep) => uar('noise', 2, f, rep) - uar('steps', 2, f, rep)).reduce((a, b) => a + b) / 2).reduce((a, b) => a + b) / folds.length;
  const row = rows.find((r) => r.method === 'noise' && r.against === 'steps' && r.sets === 2)!;
  assert.ok(Math.abs(row.delta - byHand) < 1e-12, `${row.delta} vs ${byHand}`);
  // against real rows, the rows are those of a store without the steps control: same seeds, same numbers
  const without = pairedTable(run.records.filter((r) => r.config.augment.method !== 'steps'), { resamples: 1000 });
  assert.deepEqual(rows.filter((r) => r.against !== 'steps' && r.method !== 'steps'), without);
  assert.match(formatPaired(rows), /noise\s+epochy\s+steps/);
  // copy against the control is the control against copy negated, row for row: one bootstrap, not two
  const mirror = rows.filter((r) => r.method === 'copy' && r.against === 'steps');
  assert.deepEqual(mirror.map((r) => [r.sets, r.delta, r.low, r.high, r.p]), rows.filter((r) => r.method === 'steps' && r.against === 'copy').map((r) => [r.sets, -r.delta, -r.high, -r.low, r.p]));
  assert.equal(mirror.length, 3, '1 and 2 sets and their mean');
  // paired.csv round trip (the notebooks read it): 'steps' stays 'steps'
  const back = pairedRowsFromCsv(parseCsv(toCsv(rows as unknown as Record<string, unknown>[])));
  assert.deepEqual(back.map((r) => r.against), rows.map((r) => r.against));
  // a value it does not know is an error, never a comparison with real rows
  assert.throws(() => pairedRowsFromCsv(parseCsv(toCsv([{ ...rows[0], against: 'real' }] as unknown as Record<string, unknown>[]))), /paired\.csv: against "real" is not none, copy or steps/);
});
