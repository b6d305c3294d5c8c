import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { realData } from './real-data';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
const run = (...args: string[]) => execFileSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('data info --json on emodb-is11 reports the paper\'s EmoDB', { skip: realData('emodb-is11').skip }, () => {
  const info = JSON.parse(run('data', 'info', 'emodb-is11', '--json'));
  assert.equal(info.rows, 535);
  assert.equal(info.dims, 4354);
  assert.deepEqual(info.classes.map((c: { count: number }) => c.count), [127, 81, 46, 69, 71, 62, 79]);
  assert.equal(info.groups.length, 10);
});

test('data info --json on iemocap-is10 reports 5531 x 1582, 4 classes, 5 sessions', { skip: realData('iemocap-is10').skip }, () => {
  const info = JSON.parse(run('data', 'info', 'iemocap-is10', '--json'));
  assert.equal(info.rows, 5531);
  assert.equal(info.dims, 1582);
  assert.deepEqual(info.classes.map((c: { count: number }) => c.count), [1103, 1636, 1708, 1084]);
  assert.equal(info.groups.length, 5);
});

test('data info on synthetic says the data are synthetic', () => {
  const out = run('data', 'info', 'synthetic');
  assert.match(out, /synthetic: 535 rows x 4354 features/);
  assert.match(out, /SYNTHETIC data/);
});

test('an unknown dataset or flag fails with a message naming it', () => {
  const bad = spawnSync(process.execPath, [bin, 'data', 'info', 'no-such-set'], { encoding: 'utf8' });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /"no-such-set"/);
  const flag = spawnSync(process.execPath, [bin, 'data', 'info', '--jsn'], { encoding: 'utf8' });
  assert.notEqual(flag.status, 0);
  assert.match(flag.stderr, /--jsn/);
  const cmd = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /unknown command 'frobnicate'/);
});

test('the first word of a two-word command lists its subcommands; --help on it succeeds', () => {
  const asked = spawnSync(process.execPath, [bin, 'notebooks', '--help'], { encoding: 'utf8' });
  assert.equal(asked.status, 0);
  assert.match(asked.stdout, /adan-lab notebooks run \[--quick\]/);
  const bare = spawnSync(process.execPath, [bin, 'data'], { encoding: 'utf8' });
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /adan-lab data info/);
  const wrong = spawnSync(process.execPath, [bin, 'notebooks', 'execute'], { encoding: 'utf8' });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /unknown command 'notebooks execute'; notebooks has:\n {2}adan-lab notebooks run/);
});

test('the top-level help names every augmenter that eval and reproduce accept', () => {
  const help = run('--help');
  const methods = ['none', 'copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan'];
  assert.match(help, new RegExp(`adan-lab eval .*--augment ${methods.join('\\|')}`));
  assert.match(help, new RegExp(`adan-lab reproduce .*--methods ${methods.join(',')}`));
});

test('results show on a folder that is not a result store fails and says so', () => {
  const missing = spawnSync(process.execPath, [bin, 'results', 'show', path.join(projectRoot, 'no-such-store')], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no-such-store is not a result store \(no such folder\)/);
  const other = spawnSync(process.execPath, [bin, 'results', 'show', path.join(projectRoot, 'notebooks')], { encoding: 'utf8' });
  assert.equal(other.status, 1);
  assert.match(other.stderr, /notebooks is not a result store \(no store\.json or units\/ in it\)/);
});
