/**
 * The command line as a researcher meets it: flags named in every error, usage errors exit 2,
 * options that do not apply are ignored with a note, bad audio is refused, the dry run honours
 * --shard, interrupted runs say how to resume.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { runBenchmark } from '../bench/table3';
import { prepareExperiment } from '../src/experiment/prepare';
import { formatTable } from '../src/experiment/paper';
import { PAPER_TABLE_I } from '../src/protocol/paper';
import { summarize } from '../src/experiment/summary';
import { runExperiment } from '../src/experiment/runner';
import { makeDataset } from '../src/data/dataset';
import { makeSynthetic } from '../src/data/synthetic';
import { encodeWav } from '../src/features/wav';
import { ncmFactory, smallData, tempDir } from './experiment-fixtures';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });

test('usage errors name the flag the user typed and exit 2', () => {
  const cases: [string[], RegExp][] = [
    [['eval', '--data', 'synthetic', '--augment', 'foo'], /option '--augment <method>' argument 'foo' is invalid\. Allowed choices are none, copy, noise, smote, gan, cgan, aae, adan, wadan/],
    [['eval', '--data', 'synthetic', '--augment', 'copy', '--sets', '-1'], /option '--sets <n>' argument '-1' is invalid\. expected a number of augmented sets in 0\.\.10/],
    [['eval', '--data', 'synthetic', '--sets', '11'], /'--sets <n>' argument '11' is invalid/],
    [['eval', '--data', 'synthetic', '--augment', 'wadan', '--epochs', '-5'], /option '--epochs <n>' argument '-5' is invalid\. expected a whole number >= 1/],
    [['eval', '--data', 'synthetic', '--bogus'], /unknown option '--bogus'/],
    [['eval', '--data', 'synthetic', '--folds', '1,x'], /option '--folds <list>' argument '1,x' is invalid/],
    [['eval', '--data', 'synthetic', '--repeats', '0'], /'--repeats <n>' argument '0' is invalid/],
    [['eval', '--data', 'synthetic', '--classifier', 'knn'], /'--classifier <name>' argument 'knn' is invalid\. Allowed choices are svm, dnn/],
    [['eval', '--data', 'synthetic', '--protocol', 'authors'], /'--protocol <name>' argument 'authors' is invalid\. Allowed choices are paper, code/],
    [['eval', '--data', 'synthetic', '--classifier-options', '{epochs:3}'], /'--classifier-options <json>' argument '\{epochs:3\}' is invalid\. expected a JSON object/],
    [['eval', '--data', 'synthetic', '--sets', '2'], /--sets: got 2, expected 0 without --augment/],
    [['eval', '--data', 'synthetic', '--augment', 'copy', '--sets', '0'], /--sets: got 0, expected >= 1 with --augment copy/],
    [['eval', '--data', 'synthetic', '--jobs', '0'], /'--jobs <n>' argument '0' is invalid/],
    [['reproduce', 'emodb', '--quick', '--shard', 'abc', '--dry-run'], /option '--shard <i\/N>' argument 'abc' is invalid/],
    [['reproduce', 'emodb', '--quick', '--shard', '3/2', '--dry-run'], /'--shard <i\/N>' argument '3\/2' is invalid/],
    [['reproduce', 'emodb', '--quick', '--shard', '0/2', '--dry-run'], /'--shard <i\/N>' argument '0\/2' is invalid/],
    [['reproduce', 'emodb', '--methods', 'copy,foo', '--dry-run'], /'--methods <list>' argument 'copy,foo' is invalid\. expected some of .*; unknown: foo/],
    [['reproduce', 'emodb', '--sets', '0,11', '--dry-run'], /'--sets <list>' argument '0,11' is invalid\. expected comma-separated numbers of augmented sets in 0\.\.10/],
    [['reproduce', 'emodb', '--quick', '--data', 'synthetic', '--sets', '0,5', '--dry-run'], /--sets: option sets: got "0,5", expected some of 0, 1, 2/],
    [['reproduce', 'emodb', '--quick', '--data', 'synthetic', '--sets', '0', '--select', 'inner', '--dry-run'], /--sets: option sets: got "0", expected some number of sets >= 1 with select inner/],
    [['reproduce', 'tess'], /value 'tess' is invalid for argument 'corpus'\. Allowed choices are emodb, iemocap/],
  ];
  for (const [args, pattern] of cases) {
    const r = cli(...args);
    assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, pattern, args.join(' '));
  }
});

test("an option the classifier or augmenter does not know is named with the flag that carried it", () => {
  const r = cli('eval', '--data', 'synthetic', '--classifier', 'dnn', '--folds', '1', '--classifier-options', '{"epoch":3}', '--json');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--classifier-options: option dnn\.epoch: got 3, expected one of the known options: .*epochs/);
  const a = cli('eval', '--data', 'synthetic', '--augment', 'noise', '--folds', '1', '--augment-options', '{"scale":-1}', '--json');
  assert.equal(a.status, 2);
  assert.match(a.stderr, /--augment-options: option noise\.scale: got -1/);
});

test('one command line loops over all methods: --epochs and options a method does not take are ignored with a note', () => {
  const r = cli('eval', '--data', 'synthetic', '--augment', 'copy', '--epochs', '5', '--augment-options', '{"alpha":0.1}', '--folds', '1', '--json');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /note: copy takes no alpha, --epochs; ignored/);
  assert.equal(JSON.parse(r.stdout).augment, 'copy');
  const noise = cli('eval', '--data', 'synthetic', '--augment', 'noise', '--augment-options', '{"scale":0.5}', '--folds', '1', '--json');
  assert.equal(noise.status, 0, noise.stderr);
  assert.doesNotMatch(noise.stderr, /ignored/);
});

test('help: every flag with its default and a line of text; `help eval` is `eval --help`', () => {
  const help = cli('eval', '--help');
  assert.equal(help.status, 0);
  for (const flag of ['--data', '--classifier', '--augment', '--sets', '--epochs', '--folds', '--repeats', '--seed', '--protocol', '--classifier-options', '--augment-options', '--jobs', '--store', '--data-dir', '--json']) {
    assert.match(help.stdout, new RegExp(`\\n\\s+${flag}\\b`), flag);
  }
  assert.equal(cli('help', 'eval').stdout, help.stdout);
  assert.match(cli('reproduce', '--help').stdout.replace(/\s+/g, ' '), /--quick the small grid/);
});

test('a truncated or empty wave file is refused naming the file; --allow-truncated decodes what is there', () => {
  const dir = tempDir('wav');
  const samples = Float64Array.from({ length: 22050 }, (_, i) => 0.3 * Math.sin((2 * Math.PI * 220 * i) / 22050));
  const full = encodeWav([samples], 22050, 'pcm', 16);
  const cut = path.join(dir, 'cut.wav');
  fs.writeFileSync(cut, full.subarray(0, 44 + 22050)); // half the data chunk
  const out = path.join(dir, 'f.csv');
  const r = cli('extract', '--set', 'is11', cut, '--out', out);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /cut\.wav: truncated: the data chunk says 44100 bytes but the file holds 22050 of them \(50\.0 %\)/);
  assert.equal(fs.existsSync(out), false);
  const ok = cli('extract', '--set', 'is11', cut, '--out', out, '--allow-truncated');
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(fs.readFileSync(out, 'utf8').trim().split('\n').length, 2);
  const empty = path.join(dir, 'empty.wav');
  fs.writeFileSync(empty, full.subarray(0, 44));
  const e = cli('extract', '--set', 'is11', empty, '--out', out, '--allow-truncated');
  assert.equal(e.status, 1);
  assert.match(e.stderr, /empty\.wav: no audio: the data chunk holds 0 bytes/);
});

test('--dry-run lists the units of its shard only', () => {
  const store = tempDir('dry');
  const all = JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--json').stdout);
  const one = JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--json', '--shard', '1/2').stdout);
  const two = JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--json', '--shard', '2/2').stdout);
  assert.equal(all.total, 27);
  assert.equal(one.total + two.total, all.total);
  assert.ok(one.total > 0 && two.total > 0);
  assert.equal(two.shard, '2/2');
  assert.equal(fs.existsSync(path.join(store, 'units')), false, 'a dry run writes nothing');
  const some = JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--json', '--sets', '0,2').stdout);
  assert.equal(some.total, 3 + 4 * 3, '--sets 0,2: real only and 2 sets of 4 methods on 3 folds');
});

test('a test fold without some class is named when the experiment starts', async () => {
  const base = smallData();
  // speaker of fold 2 loses every row of class 0 (moved to fold 1's speaker)
  const groups = [...base.groups];
  const g2 = [...new Set(groups)].sort()[1];
  for (let i = 0; i < base.n; i++) if (groups[i] === g2 && base.y[i] === 0) groups[i] = [...new Set(base.groups)].sort()[0];
  const data = makeDataset({ ...base, groups });
  const prep = await prepareExperiment({ data, classifiers: ['ncm'] }, { classifiers: ncmFactory() });
  assert.equal(prep.notes.length, 1);
  assert.match(prep.notes[0], new RegExp(`^fold 2 \\(${g2}\\) has no test rows of ${base.classes[0]}: its own UAR averages the other ${base.classes.length - 1} classes; pooled UAR covers all$`));
  const warnings: string[] = [];
  await runExperiment({ data, classifiers: ['ncm'], folds: [2] }, { storeDir: tempDir('note'), classifiers: ncmFactory(), onWarning: (m) => warnings.push(m) });
  assert.ok(warnings.some((w) => /fold 2 .* has no test rows/.test(w)));
});

test('a missing corpus says where it was looked for, how to get it, and that --data synthetic runs meanwhile', () => {
  const r = spawnSync(process.execPath, [bin, 'eval', '--data', 'emodb-is11', '--data-dir', os.tmpdir(), '--folds', '1'], { encoding: 'utf8', env: { ...process.env, ADAN_DATA_DIR: '/nonexistent' } });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /emodb-is11: dataset folder 'emodb-is11' not found in .*data\/README\.md.*--data synthetic runs on a seeded stand-in/);
});

test('the table: its two "sets" columns are named, its marks explained, and an exact +0.00 is said why', async () => {
  // more features than rows: the classes are linearly separable, and copies of real rows leave the SVM's margin where it was
  const data = makeSynthetic({ n: 90, d: 300, speakers: 3, seed: 5 });
  const run = await runExperiment({ data, augment: ['none', 'copy'], sets: [0, 1], classifiers: ['svm'], folds: [1] }, { storeDir: tempDir('table') });
  const text = formatTable(summarize(run.records), PAPER_TABLE_I);
  assert.match(text, /paper sets .* ours sets/);
  assert.match(text, /'–' where the paper gives no number, '\?' where it does not say at how many sets/);
  assert.match(text, /note: copy \+ svm: the best point scores exactly as real rows alone \(ΔUAR \+0\.00\)/);
});

test('bench options left undefined take their defaults (bench --json without --epochs)', async () => {
  const r = await runBenchmark({ epochs: undefined, threads: undefined, warmupEpochs: 1, sgemmRepeats: 1, profile: false, rows: [480], shape: { inputDim: 60, hidden: 40, latent: 8, classifierHidden: 16, adversaryHidden: 12, zDim: 6, batchSize: 32 } });
  assert.ok(r.msPerIteration > 0);
});

test('Ctrl-C stops a run with exit 130 and says the same command continues it', { skip: process.platform === 'win32' }, async () => {
  const store = tempDir('sigint');
  const child = spawn(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => {
    stderr += String(b);
    if (/\] \d+\/27/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.equal(code, 130, stderr);
  assert.match(stderr, /interrupted; every finished unit is stored: run the same command again to continue where it stopped/);
});
