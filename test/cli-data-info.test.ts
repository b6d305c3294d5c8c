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
  assert.equal(bad.status, 2, 'a name that is no dataset is a usage error');
  assert.match(bad.stderr, /"no-such-set"/);
  const flag = spawnSync(process.execPath, [bin, 'data', 'info', '--jsn'], { encoding: 'utf8' });
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /unknown option '--jsn'\n\(Did you mean --json\?\)/);
  const cmd = spawnSync(process.execPath, [bin, 'frobnicate'], { encoding: 'utf8' });
  assert.equal(cmd.status, 2);
  assert.match(cmd.stderr, /unknown command 'frobnicate'/);
});

test('the first word of a two-word command lists its subcommands; --help on it succeeds', () => {
  const asked = spawnSync(process.execPath, [bin, 'notebooks', '--help'], { encoding: 'utf8' });
  assert.equal(asked.status, 0);
  assert.match(asked.stdout, /run \[options\] \[files\.\.\.\]\s+execute the notebooks headless/);
  const bare = spawnSync(process.execPath, [bin, 'data'], { encoding: 'utf8' });
  assert.equal(bare.status, 2);
  assert.match(bare.stderr, /info \[options\] \[dataset\]/);
  const wrong = spawnSync(process.execPath, [bin, 'notebooks', 'execute'], { encoding: 'utf8' });
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /unknown command 'execute'/);
});

test('eval and reproduce --help list every augmenter they accept, with the defaults', () => {
  const methods = ['none', 'copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan'];
  const evalHelp = run('eval', '--help').replace(/\s+/g, ' ');
  assert.match(evalHelp, new RegExp(`--augment <method> .*\\(choices: ${methods.map((m) => `"${m}"`).join(', ')}, default: "none"\\)`));
  assert.match(evalHelp, /--seed <n> .*\(default: 0\)/);
  assert.equal(run('help', 'eval'), run('eval', '--help'));
  const reproduceHelp = run('reproduce', '--help').replace(/\s+/g, ' ');
  assert.match(reproduceHelp, new RegExp(`--methods <list> only these methods of the grid, some of ${methods.join(',')}`));
  assert.match(reproduceHelp, /--protocol <name> .*\(choices: "paper", "code", default: "paper"\)/);
});

test('results show on a folder that is not a result store fails and says so', () => {
  const missing = spawnSync(process.execPath, [bin, 'results', 'show', path.join(projectRoot, 'no-such-store')], { encoding: 'utf8' });
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /no-such-store is not a result store \(no such folder\)/);
  const other = spawnSync(process.execPath, [bin, 'results', 'show', path.join(projectRoot, 'notebooks')], { encoding: 'utf8' });
  assert.equal(other.status, 1);
  assert.match(other.stderr, /notebooks is not a result store \(no store\.json or units\/ in it\)/);
});
