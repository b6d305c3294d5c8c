import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { runExperiment } from '../src/experiment/runner';
import { countingAugmenters, ncmFactory, smallData, tempDir } from './experiment-fixtures';
import { writeResults } from '../src/experiment/output';
import { summarize } from '../src/experiment/summary';

test('publish-results writes the committed tables of a store: text tables, per-unit rows, paired comparisons, fits', async () => {
  const store = tempDir('publish');
  await runExperiment({ data: smallData(), augment: ['none', 'copy', 'noise'], sets: [0, 1, 2], repeats: 2, classifiers: ['ncm'], protocol: 'paper' }, { storeDir: store, classifiers: ncmFactory() });
  const out = tempDir('published');
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), store, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['table.txt', 'curves.txt', 'paired.txt', 'best.csv', 'summary.csv', 'curves.csv', 'units.csv', 'paired.csv', 'fits.csv']) assert.ok(fs.existsSync(path.join(out, f)), f);
  const units = fs.readFileSync(path.join(out, 'units.csv'), 'utf8').trim().split('\n');
  assert.equal(units.length - 1, 4 * (1 + 2 * 2) * 2, 'one row per unit');
  assert.match(units[0], /fold.*repeat.*uar/);
  const paired = fs.readFileSync(path.join(out, 'paired.csv'), 'utf8').trim().split('\n');
  assert.equal(paired[0], 'dataset,method,augment,classifier,sets,against,delta,low,high,p,folds,repeats');
  assert.match(fs.readFileSync(path.join(out, 'table.txt'), 'utf8'), /protocol paper/);
  assert.equal(spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), path.join(out, 'nope'), out]).status, 1);
});

test('publish-results --whole-folds leaves out the augmented units of a fold still being computed; real-only units stay', async () => {
  const store = tempDir('publish-partial');
  const data = smallData();
  await runExperiment({ data, augment: ['none', 'copy'], sets: [0, 1, 2], classifiers: ['ncm'], protocol: 'paper' }, { storeDir: store, classifiers: ncmFactory() });
  // noise on folds 1-3 only: fold 4 is the fold "still being computed"
  await runExperiment({ data, augment: ['noise'], sets: [1, 2], folds: [1, 2, 3], classifiers: ['ncm'], protocol: 'paper' }, { storeDir: store, classifiers: ncmFactory() });
  const publish = (...flags: string[]) => {
    const out = tempDir('published-partial');
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), store, out, ...flags], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [header, ...rows] = fs.readFileSync(path.join(out, 'units.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    const fold = header.indexOf('fold');
    const method = header.indexOf('method');
    return { rows: rows.map((c) => `${c[fold]}:${c[method]}`), stderr: r.stderr };
  };
  const all = publish();
  const whole = publish('--whole-folds');
  assert.ok(all.rows.includes('4:copy'), 'without the flag the partial fold is published');
  assert.equal(whole.rows.filter((r) => r.startsWith('4:') && !r.endsWith(':none')).length, 0, "no augmented unit of fold 4");
  assert.equal(whole.rows.filter((r) => r === '4:none').length, all.rows.filter((r) => r === '4:none').length, 'its real-only units stay');
  assert.equal(whole.rows.filter((r) => !r.startsWith('4:')).length, all.rows.filter((r) => !r.startsWith('4:')).length, 'whole folds are all there');
  assert.match(whole.stderr, /left out fold 4 \(2 of 4 augmented units\)/);
});

test('publish-results --outer-only leaves out the inner units of --select inner: no inner.csv, no inner choice, the outer tables unchanged', async () => {
  const store = tempDir('publish-inner');
  const spec = { data: smallData(), augment: ['none', 'copy'], sets: [0, 1, 2], classifiers: ['ncm'], protocol: 'paper' as const };
  await runExperiment(spec, { storeDir: store, classifiers: ncmFactory() });
  const before = tempDir('published-outer');
  assert.equal(spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), store, before], { encoding: 'utf8' }).status, 0);
  await runExperiment({ ...spec, select: 'inner' }, { storeDir: store, classifiers: ncmFactory() });
  const publish = (...flags: string[]) => {
    const out = tempDir('published-inner');
    const r = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), store, out, ...flags], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return out;
  };
  const all = publish();
  const outer = publish('--outer-only');
  assert.ok(fs.existsSync(path.join(all, 'inner.csv')), 'without the flag the inner choices are published');
  assert.match(fs.readFileSync(path.join(all, 'best.csv'), 'utf8'), /,\d+:\d+/, 'and best.csv has a choice per fold');
  assert.ok(!fs.existsSync(path.join(outer, 'inner.csv')), 'with it, no inner.csv');
  for (const f of ['best.csv', 'units.csv', 'paired.csv', 'curves.csv']) {
    assert.equal(fs.readFileSync(path.join(outer, f), 'utf8'), fs.readFileSync(path.join(before, f), 'utf8'), `${f} is what the outer grid alone gave`);
  }
});

test('compare-units: a re-run of the same units agrees with the committed units.csv; an edited UAR is found and named', async () => {
  const data = smallData();
  const spec = { data, augment: ['none', 'copy'], sets: [0, 1], classifiers: ['ncm'], protocol: 'paper' as const };
  const first = tempDir('compare-first');
  const run = await runExperiment(spec, { storeDir: first, classifiers: ncmFactory() });
  writeResults(summarize(run.records), path.join(first, 'results'), run.records);
  const again = tempDir('compare-again');
  await runExperiment({ ...spec, folds: [2, 3] }, { storeDir: again, classifiers: ncmFactory() });
  const csv = path.join(first, 'results', 'units.csv');
  const compare = (file: string) => spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'compare-units.js'), again, file], { encoding: 'utf8' });
  const inAgain = fs.readdirSync(path.join(again, 'units')).flatMap((d) => fs.readdirSync(path.join(again, 'units', d))).length;
  const same = compare(csv);
  assert.equal(same.status, 0, same.stderr);
  assert.equal(same.stdout.split('\n')[0], `${inAgain} units of ${again} are in ${csv}: ${inAgain} with the same WA, UAR and rows, 0 not`);
  // one unit of fold 2 with its UAR changed in the committed table
  const lines = fs.readFileSync(csv, 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const row = lines.findIndex((l, i) => i > 0 && l.split(',')[header.indexOf('fold')] === '2');
  const cells = lines[row].split(',');
  const uar = header.indexOf('uar');
  cells[uar] = String(Number(cells[uar]) - 0.01);
  lines[row] = cells.join(',');
  const edited = path.join(tempDir('compare-edited'), 'units.csv');
  fs.writeFileSync(edited, lines.join('\n') + '\n');
  const one = compare(edited);
  const missing = compare(path.join(first, 'nope.csv'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /nope\.csv: no such file/);
  assert.match(one.stdout, new RegExp(`: ${inAgain - 1} with the same WA, UAR and rows, 1 not\\n  fold 2 .*: UAR \\+1\\.00 points`));
});

test("compare-units: a DNN unit that kept stages is compared with the same unit without them (the same final network)", async () => {
  const data = smallData();
  const spec = (options: Record<string, unknown>) => ({ data, augment: ['none', 'copy'], sets: [0, 1], folds: [1, 2], classifiers: [{ name: 'dnn', options: { hiddenLayers: [8], epochs: 4, ...options } }], protocol: 'paper' as const });
  const plain = tempDir('compare-plain');
  const run = await runExperiment(spec({}), { storeDir: plain });
  writeResults(summarize(run.records), path.join(plain, 'results'), run.records);
  const staged = tempDir('compare-staged');
  const again = await runExperiment(spec({ stages: [2] }), { storeDir: staged });
  assert.ok(again.records.every((r) => r.outcome.stages?.length === 1 && !run.records.some((p) => p.key === r.key)), 'other keys, stages kept');
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'compare-units.js'), staged, path.join(plain, 'results', 'units.csv')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`^${again.records.length} units of .* ${again.records.length} with the same WA, UAR and rows, 0 not`));
});

test('compare-units --repeat-one: repeat 1 of an augmenter per repeat trains the grid\'s augmenter, so its units are the grid\'s', async () => {
  const data = smallData();
  const spec = { data, augment: ['none', { method: 'noise', options: { scale: 1.5 } }], sets: [0, 1, 2], repeats: 2, folds: [1, 2], classifiers: ['ncm'], protocol: 'paper' as const };
  const grid = tempDir('compare-grid');
  const run = await runExperiment(spec, { storeDir: grid, classifiers: ncmFactory(), augmenters: countingAugmenters() });
  writeResults(summarize(run.records), path.join(grid, 'results'), run.records);
  const seeds = tempDir('compare-seeds');
  await runExperiment({ ...spec, augmenterPerRepeat: true }, { storeDir: seeds, classifiers: ncmFactory(), augmenters: countingAugmenters() });
  const csv = path.join(grid, 'results', 'units.csv');
  const compare = (...extra: string[]) => spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'compare-units.js'), seeds, csv, ...extra], { encoding: 'utf8' });
  // 2 folds x 2 sets of repeat 1, the nearest-mean classifier is deterministic: all the same
  const one = compare('--repeat-one');
  assert.equal(one.status, 0, one.stderr);
  assert.equal(one.stdout.split('\n')[0], `4 repeat-1 units (as one augmenter per fold) of ${seeds} are in ${csv}: 4 with the same WA, UAR and rows, 0 not`);
  // without the flag only the real-only units share keys (2 folds x 2 repeats); repeat 2's augmenter is another
  assert.match(compare().stdout, /^4 units of .*: 4 with the same/);
});
