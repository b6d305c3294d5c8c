/**
 * `adan-lab reproduce --select inner`: bad values name the flag and exit 2; the dry run counts
 * the inner units; two workers compute inner units as one process does, and the tables print
 * and write the inner columns (best.csv's setsInner, uarInner; inner.csv). (A quick EmoDB-shaped
 * grid through the CLI takes minutes: the library run on small data stands in for it.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { smallData, tempDir } from './experiment-fixtures';
import { runExperiment } from '../src/experiment/runner';
import { summarize } from '../src/experiment/summary';
import { formatTable } from '../src/experiment/paper';
import { writeResults } from '../src/experiment/output';
import type { ExperimentSpec } from '../src/experiment/spec';
import type { UnitRecord } from '../src/experiment/store';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('--select and --inner-rows: bad values and combinations name the flag, exit 2', () => {
  const bad = cli('reproduce', 'emodb', '--quick', '--select', 'nested', '--dry-run');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /option '--select <how>' argument 'nested' is invalid\. Allowed choices are test, inner/);
  const rows = cli('reproduce', 'emodb', '--quick', '--inner-rows', 'refit', '--dry-run');
  assert.equal(rows.status, 2);
  assert.match(rows.stderr, /--inner-rows: got "refit", expected only with --select inner/);
});

test('--select inner --dry-run counts the inner units beside the grid\'s', () => {
  const store = tempDir('cli-select-dry');
  const plain = JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--json').stdout);
  const inner = JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--json', '--select', 'inner').stdout);
  // quick EmoDB: 3 folds x 4 augmenters x 2 numbers of sets >= 1 x 1 repeat x svm, 3 inner folds each
  assert.equal(inner.total, plain.total + 3 * 4 * 2 * 3);
  assert.ok(inner.missing.some((l: string) => /\(inner folds\)/.test(l)));
});

test('--augmenter-per-repeat: its own augmented units, the real-only ones shared with the grid', () => {
  const store = tempDir('cli-per-repeat');
  const grid = ['reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--store', store];
  assert.equal(cli(...grid).status, 0);
  const plain = JSON.parse(cli(...grid, '--dry-run', '--json').stdout);
  const seeds = JSON.parse(cli(...grid, '--dry-run', '--json', '--augmenter-per-repeat').stdout);
  // quick EmoDB: 3 folds x (real only + copy at 1 and 2 sets) x 1 repeat x svm
  assert.deepEqual([plain.stored, plain.total], [9, 9]);
  assert.deepEqual([seeds.stored, seeds.total], [3, 9]);
});

test('inner units with --jobs 2 (library): the same records as one process; tables print and write the inner columns', async () => {
  const spec: ExperimentSpec = { data: smallData(), augment: ['none', 'copy', 'smote'], sets: [0, 1, 2], classifiers: ['svm'], select: 'inner', seed: 3 };
  const two = await runExperiment(spec, { storeDir: tempDir('inner-jobs2'), jobs: 2 });
  const one = await runExperiment(spec, { storeDir: tempDir('inner-jobs1') });
  const preds = (rs: readonly UnitRecord[]) => Object.fromEntries(rs.map((r) => [r.key, r.outcome.yPred]));
  assert.deepEqual(preds(two.records), preds(one.records));
  const summary = summarize(two.records);
  const table = formatTable(summary);
  assert.match(table, /mean-sets UAR +inner UAR +inner sets/);
  assert.doesNotMatch(table, /had seen their test speakers/, 'copy and smote refit per inner fold (auto): no shared rows to warn of');
  const dir = tempDir('inner-tables');
  writeResults(summary, dir, two.records);
  const best = fs.readFileSync(path.join(dir, 'best.csv'), 'utf8').split('\n');
  const header = best[0].split(',');
  for (const c of ['uarMeanSets', 'setsInner', 'uarInner', 'epochsInner']) assert.ok(header.includes(c), c);
  assert.deepEqual(header.slice(-3), ['setsInner', 'uarInner', 'epochsInner']);
  // no stages (a classifier without epochs): no epochs chosen, the column empty
  assert.match(best.find((l) => l.startsWith('synthetic,copy,'))!, /,1:[12] 2:[12] 3:[12] 4:[12],0\.\d+,$/, 'each of the 4 folds chose 1 or 2 sets');
  assert.match(fs.readFileSync(path.join(dir, 'inner.csv'), 'utf8').split('\n')[0], /fold,group,innerRows,sets,epochs,uarInnerFolds,repeats,chosen$/);
  assert.equal(fs.readFileSync(path.join(dir, 'predictions.csv'), 'utf8').split('\n').length - 2, summary.units.reduce((n, u) => n + u.n, 0), 'test predictions of outer units only');
});
