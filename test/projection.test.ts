/**
 * Projected hours of a grid or of what a store lacks (`reproduce --dry-run --costs`): units priced
 * by their training rows through hand-made unit costs, fits by their epochs, inner units by
 * their inner training rows; the costs file checked, errors naming it. The costs a real
 * `bench --grid` measures are benchmarks (BENCHMARKS.md), never asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { reproduceGrid } from '../src/experiment/grid';
import { prepareExperiment } from '../src/experiment/prepare';
import { projectUnits, readUnitCosts, formatProjection, type UnitCosts } from '../src/experiment/projection';
import { smallData, tempDir } from './experiment-fixtures';
import { projectRoot } from '../src/data/locate';

const data = smallData();
const loadData = async () => data;

/** 1 s per 100 training rows for each classifier kind listed; fits at `fit` seconds an epoch. */
function costs(kinds: string[], fits: Record<string, number>): UnitCosts {
  return {
    date: '2026-12-06T09:00:00.000Z',
    machine: { cpu: 'test CPU', cores: 2, openblasCoretype: null },
    threads: 1,
    units: [
      ...kinds.flatMap((kind) => [{ dataset: 'emodb', kind, rows: 100, seconds: 1 }, { dataset: 'emodb', kind, rows: 300, seconds: 3 }]),
      ...Object.entries(fits).map(([kind, seconds]) => ({ dataset: 'emodb', kind, rows: 150, seconds })),
      { dataset: 'iemocap', kind: 'svm-linear', rows: 100, seconds: 1000 }, // another corpus: never read for emodb
    ],
  };
}

test('projectUnits: every unit at its training rows, every fit at its epochs, divided by the workers', async () => {
  const prep = await prepareExperiment(reproduceGrid('emodb', { quick: true, data: 'synthetic' }), { loadData });
  const c = costs(['svm-linear'], { 'fit-wadan-paper': 0.5 });
  const p = projectUnits(prep, 'paper', 'emodb', c, { jobs: 2 });
  // quick: folds 1-3 x (real only + copy, noise, smote, 20-epoch WADAN at 1 and 2 sets) x 1 repeat x the SVM
  const rows = prep.folds.reduce((s, f) => s + f.train.n, 0);
  const unitSeconds = (rows / 100) * (1 + 4 * (2 + 3));
  assert.equal(p.units, 3 * (1 + 4 * 2));
  assert.equal(p.fits, 3);
  assert.ok(Math.abs(p.parts['svm-linear'] * 3600 - unitSeconds) < 1e-9);
  assert.ok(Math.abs(p.parts.fits * 3600 - 3 * 20 * 0.5) < 1e-9);
  assert.ok(Math.abs(p.hours - (unitSeconds + 30) / 3600 / 2) < 1e-12);
  assert.match(formatProjection(p, c, 'costs.json'), /^projected: \d+\.\d h on 2 workers for 27 units and 3 augmenter fits \(one worker: fits 0\.0 h, svm-linear 0\.\d h\), at the unit costs of costs\.json \(bench --grid, 2026-12-06, test CPU, 1 BLAS thread a worker\)/);
});

test('projectUnits prices only the units asked for, and no fit for a loaded augmenter', async () => {
  const prep = await prepareExperiment(reproduceGrid('emodb', { quick: true, data: 'synthetic' }), { loadData });
  const c = costs(['svm-linear'], { 'fit-wadan-paper': 0.5 });
  const wadan = prep.groups.filter((g) => g.augmenter?.method === 'wadan');
  const fold1 = wadan.find((g) => g.fold === 1)!;
  const keys = new Set(fold1.units.map((u) => u.key));
  const p = projectUnits(prep, 'paper', 'emodb', c, { jobs: 1, keys });
  assert.equal(p.units, 2);
  assert.equal(p.fits, 1, "only fold 1's WADAN");
  const train1 = prep.folds.find((f) => f.fold.index === 1)!.train.n;
  assert.ok(Math.abs(p.hours * 3600 - ((train1 / 100) * (2 + 3) + 20 * 0.5)) < 1e-9);
  const loaded = projectUnits(prep, 'paper', 'emodb', c, { jobs: 1, keys, loaded: new Set([fold1.key]) });
  assert.equal(loaded.fits, 0);
  assert.ok(Math.abs(loaded.hours * 3600 - (train1 / 100) * (2 + 3)) < 1e-9);
});

test('projectUnits prices an inner unit at its inner training rows (the outer training speakers less those it holds out)', async () => {
  const prep = await prepareExperiment(reproduceGrid('emodb', { quick: true, data: 'synthetic', select: 'inner' }), { loadData });
  const inner = prep.groups.flatMap((g) => g.units).find((u) => u.config.inner && u.config.sets === 2)!;
  assert.ok(inner, 'the quick grid with --select inner has inner units');
  // by hand: rows of neither the outer test speaker nor the inner fold's held-out speakers
  const rows = data.groups.filter((s) => s !== inner.config.fold.group && !inner.config.inner!.test.includes(s)).length;
  assert.ok(rows > 0 && rows < prep.folds[0].train.n);
  const all = new Set(prep.groups.map((g) => g.key));
  const p = projectUnits(prep, 'paper', 'emodb', costs(['svm-linear'], {}), { jobs: 1, keys: new Set([inner.key]), loaded: all });
  assert.ok(Math.abs(p.hours * 3600 - (3 * rows) / 100) < 1e-9, `${p.hours * 3600} s against ${(3 * rows) / 100}`);
});

test("projectUnits under the code protocol: GAN's fit priced as the paper's (same options), ADAN's as its own; a missing kind names the costs", async () => {
  const prep = await prepareExperiment(reproduceGrid('emodb', { protocol: 'code', data: 'synthetic', methods: ['none', 'gan', 'adan'], folds: [1] }), { loadData });
  const c = costs(['svm-rbf', 'dnn-code'], { 'fit-gan-paper': 0.01, 'fit-adan-code': 0.02, 'fit-adan-paper': 100 });
  const p = projectUnits(prep, 'code', 'emodb', c, { jobs: 1 });
  assert.ok(Math.abs(p.parts.fits * 3600 - 1500 * (0.01 + 0.02)) < 1e-9);
  assert.throws(() => projectUnits(prep, 'code', 'emodb', costs(['svm-rbf'], { 'fit-gan-paper': 0.01, 'fit-adan-code': 0.02 }), { jobs: 1, source: 'my-costs.json' }), /my-costs\.json: no dnn-code timing for emodb; `adan-lab bench --grid --json --datasets emodb`/);
  assert.throws(() => projectUnits(prep, 'code', 'emodb', costs(['svm-rbf', 'dnn-code'], { 'fit-gan-paper': 0.01 }), { jobs: 1, source: 'c.json' }), /c\.json: no fit-adan-code timing/);
});

test('readUnitCosts: a bench --grid --json output is read; anything else is refused naming the file', () => {
  const dir = tempDir('costs');
  const good = path.join(dir, 'good.json');
  fs.writeFileSync(good, JSON.stringify({ ...costs(['svm-linear'], {}), projectedHours: {}, notes: [] }));
  assert.equal(readUnitCosts(good).units.length, 3);
  const bad = (name: string, text: string, pattern: RegExp) => {
    const f = path.join(dir, name);
    fs.writeFileSync(f, text);
    assert.throws(() => readUnitCosts(f), (e: Error) => e.message.startsWith(f) && pattern.test(e.message), name);
  };
  bad('notjson.json', '{"units": [', /not JSON/);
  bad('shape.json', JSON.stringify({ units: [{ dataset: 'emodb', kind: 'svm-linear', rows: 0, seconds: 1 }], date: 'x', machine: {} }), /not a unit-cost table/);
  bad('nounits.json', JSON.stringify({ date: 'x', machine: {} }), /not a unit-cost table/);
  assert.throws(() => readUnitCosts(path.join(dir, 'absent.json')), /absent\.json: cannot read it \(ENOENT\); write one with `adan-lab bench --grid --json >/);
});

test('reproduce --dry-run --costs prints the hours of the missing units, fits kept or reused not priced; --costs without --dry-run is a usage error', async () => {
  const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
  const cli = (...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
  const dir = tempDir('dry-costs');
  const file = path.join(dir, 'costs.json');
  fs.writeFileSync(file, JSON.stringify(costs(['svm-linear'], { 'fit-wadan-paper': 0.5 })));
  const store = path.join(dir, 'store');
  const r = cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--costs', file, '--jobs', '2', '--json');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.projection.units, out.total);
  assert.equal(out.projection.fits, 3);
  assert.equal(out.projection.jobs, 2);
  const text = cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--costs', file);
  assert.match(text.stdout, /\nprojected: \d+\.\d h on 1 worker for 27 units and 3 augmenter fits/);
  assert.match(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run').stdout, /\nhours: add --costs FILE, a saved `adan-lab bench --grid --json` of this machine/);
  const usage = cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--costs', file);
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /--costs: got ".*costs\.json", expected only with --dry-run/);
  // a fit the store kept, or one --reuse-fits offers, is loaded, not fitted: not priced
  const prep = await prepareExperiment(reproduceGrid('emodb', { quick: true, data: 'synthetic' }));
  const [w1, w2] = prep.groups.filter((g) => g.augmenter?.method === 'wadan');
  const keep = (dir: string, key: string) => {
    fs.mkdirSync(path.join(dir, 'augmenters', key), { recursive: true });
    fs.writeFileSync(path.join(dir, 'augmenters', key, 'experiment-group.json'), '{}');
  };
  const kept = path.join(dir, 'kept');
  keep(kept, w1.key);
  assert.equal(JSON.parse(cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', kept, '--dry-run', '--costs', file, '--json').stdout).projection.fits, 2);
  const other = path.join(dir, 'other');
  keep(other, w2.key);
  fs.writeFileSync(path.join(other, 'store.json'), '{}');
  const reused = cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', kept, '--dry-run', '--costs', file, '--json', '--reuse-fits', other);
  assert.equal(JSON.parse(reused.stdout).projection.fits, 1, reused.stderr);
  const nowhere = cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', kept, '--dry-run', '--costs', file, '--reuse-fits', path.join(dir, 'absent'));
  assert.equal(nowhere.status, 2);
  assert.match(nowhere.stderr, /--reuse-fits: got ".*absent", expected a result store/);
  fs.writeFileSync(file, 'nope');
  const broken = cli('reproduce', 'emodb', '--quick', '--data', 'synthetic', '--store', store, '--dry-run', '--costs', file);
  assert.equal(broken.status, 1);
  assert.match(broken.stderr, /costs\.json: not JSON/);
  assert.equal(fs.existsSync(store), false, 'a dry run writes nothing');
});
