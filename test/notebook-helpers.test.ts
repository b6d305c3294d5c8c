/** src/notebook: quick/full parameters, tables, notebook clean-up, the augmenter cache, figure helpers. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quickMode, notebookParams, describeMode } from '../src/notebook/quick';
import { markdownTable, guardKernelSends, isBusySocketError } from '../src/notebook/display';
import { EventEmitter } from 'node:events';
import { cleanNotebook, foldCarriageReturns, svgOnLines, type NotebookJson } from '../src/notebook/clean';
import { cacheFolder, fitCached } from '../src/notebook/cache';
import { halves, sampleRows, evaluateAugmenter, realVsSynthetic2d } from '../src/notebook/figures';
import { lossNames } from '../src/notebook/experiments';
import { loadForNotebook, sampleFraction } from '../src/notebook/data';
import { classCounts, groupCounts } from '../src/data/dataset';
import { makeSynthetic, SYNTHETIC_NOTICE } from '../src/data/synthetic';
import { splitFolds } from '../src/data/folds';
import { makeAugmenter } from '../src/augment/index';

test('quickMode reads ADAN_QUICK and rejects values it does not know', () => {
  assert.equal(quickMode({}), false);
  assert.equal(quickMode({ ADAN_QUICK: '1' }), true);
  assert.equal(quickMode({ ADAN_QUICK: 'TRUE' }), true);
  assert.equal(quickMode({ ADAN_QUICK: '0' }), false);
  assert.equal(quickMode({ ADAN_QUICK: '' }), false);
  assert.throws(() => quickMode({ ADAN_QUICK: 'quik' }), /ADAN_QUICK="quik"/);
});

test('notebookParams picks the settings of the mode and names the store', () => {
  const settings = { quick: { epochs: 10, folds: [1] }, full: { epochs: 1500, folds: [1, 2, 3] } };
  const q = notebookParams('04-emodb', settings, { quick: true, resultsDir: '/r' });
  assert.equal(q.epochs, 10);
  assert.deepEqual(q.folds, [1]);
  assert.equal(q.mode, 'quick');
  assert.equal(q.storeDir, path.join('/r', '04-emodb', 'quick'));
  assert.equal(q.augmenterDir, path.join('/r', 'augmenters'));
  const f = notebookParams('04-emodb', settings, { quick: false, resultsDir: '/r' });
  assert.equal(f.epochs, 1500);
  assert.equal(f.storeDir, path.join('/r', '04-emodb', 'full'));
  assert.match(describeMode(q), /QUICK/);
  assert.match(describeMode(q), /never the method/);
  assert.throws(() => notebookParams('x', { quick: { a: 1 }, full: { b: 1 } } as never), /only in one: a, b/);
  assert.throws(() => notebookParams('../x', settings), /plain folder name/);
});

test('markdownTable prints percent columns, integers and missing values', () => {
  const md = markdownTable([{ method: 'wadan', sets: 2, uar: 0.7523, wa: NaN }, { method: 'a|b', sets: 0, uar: 0.5, wa: 0.6 }], { percent: ['uar', 'wa'], digits: 1 });
  assert.equal(md, ['| method | sets | uar (%) | wa (%) |', '|---|---|---|---|', '| wadan | 2 | 75.2 | – |', '| a\\|b | 0 | 50.0 | 60.0 |'].join('\n'));
  assert.equal(markdownTable([]), '(no rows)');
  // a whole number in a column of fractions keeps the column's decimals; a column of counts stays integer
  assert.equal(markdownTable([{ rows: 480, s: 0.2 }, { rows: 2000, s: 1 }], { digits: 3 }), '| rows | s |\n|---|---|\n| 480 | 0.200 |\n| 2000 | 1.000 |');
});

test('cleanNotebook drops timing metadata and transient ids and folds carriage returns', () => {
  assert.equal(foldCarriageReturns('a 1%\ra 50%\ra 100%\nnext\n'), 'a 100%\nnext\n');
  const nb: NotebookJson = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' }, widgets: { big: true } },
    cells: [{ cell_type: 'code', execution_count: 1, source: 'x', metadata: { tags: ['parameters'], execution: { 'iopub.status.busy': 't' } }, outputs: [{ output_type: 'stream', name: 'stdout', text: ['1\r2\r3\n'] }, { output_type: 'display_data', data: { 'text/plain': 'a' }, metadata: {}, transient: { display_id: 'abc' } }] }],
  };
  const out = cleanNotebook(nb);
  assert.deepEqual(out.cells[0].metadata, { tags: ['parameters'] });
  assert.deepEqual(out.cells[0].outputs![0].text, ['3\n']);
  assert.equal(out.cells[0].outputs![1].transient, undefined);
  assert.equal(out.metadata.widgets, undefined);
  assert.ok(nb.cells[0].metadata!.execution, 'the input is not changed');
});

test('fitCached fits once, then loads the same model from its folder', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-cache-'));
  try {
    const ds = makeSynthetic({ n: 80, d: 12 });
    const [fold] = splitFolds(ds, [1]);
    const a = await fitCached('noise', { seed: 3 }, fold.train, { dir, progress: false });
    const folder = cacheFolder(dir, 'noise', { seed: 3 }, fold.train);
    assert.ok(fs.existsSync(path.join(folder, 'model')), 'the fitted model is saved in its folder');
    const b = await fitCached('noise', { seed: 3 }, fold.train, { dir, progress: false });
    assert.deepEqual(b.sample(fold.train.y, { seed: 5 }).x, a.sample(fold.train.y, { seed: 5 }).x, 'the cached model samples the same rows');
    assert.notEqual(cacheFolder(dir, 'noise', { seed: 4 }, fold.train), folder, 'other options, other folder');
    const [fold2] = splitFolds(ds, [2]);
    assert.notEqual(cacheFolder(dir, 'noise', { seed: 3 }, fold2.train), folder, 'other training rows, other folder');
    await assert.rejects(fitCached('noise', {}, fold.train, { dir: '' }), /options\.dir/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fitCached resumes an interrupted fit from its checkpoint and says so, counting every epoch\'s time', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-resume-'));
  const written: string[] = [];
  const write = process.stderr.write;
  try {
    const ds = makeSynthetic({ n: 80, d: 12 });
    const [fold] = splitFolds(ds, [1]);
    const options = { epochs: 3, batchSize: 32, seed: 1 };
    const stop = new Error('interrupted');
    await assert.rejects(fitCached('wadan', options, fold.train, { dir, checkpointEvery: 1, progress: false, onEpoch: (r) => { if (r.epoch === 3) throw stop; } }), (e: unknown) => e === stop);
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    const aug = await fitCached('wadan', options, fold.train, { dir, checkpointEvery: 1, label: 'W' });
    process.stderr.write = write;
    assert.equal(aug.history.length, 3);
    const done = written.filter((l) => l.startsWith('W: trained'));
    const total = aug.history.reduce((s, r) => s + r.seconds, 0);
    assert.equal(done.length, 1, written.join(''));
    assert.match(done[0], new RegExp(`^W: trained 3 epochs, ${total.toFixed(1)} s of training in all \\(resumed from a checkpoint at epoch 2; [0-9.]+ s in this run\\)`));
    written.length = 0;
    process.stderr.write = ((chunk: string | Uint8Array) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    const again = await fitCached('wadan', options, fold.train, { dir, checkpointEvery: 1, label: 'W' });
    process.stderr.write = write;
    assert.deepEqual(again.history, aug.history, 'the second call loads the saved model');
    assert.deepEqual(written, [`W: trained 3 epochs, ${total.toFixed(1)} s of training (loaded from the cache)\n`], 'a cached model still says what it cost');
  } finally {
    process.stderr.write = write;
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('in a kernel, a display message the socket refused does not kill it; other rejections still do', () => {
  const proc = new EventEmitter() as unknown as NodeJS.Process;
  const rethrow = (reason: unknown): void => {
    throw reason; // what the wasm backend's listener does
  };
  proc.on('unhandledRejection', rethrow);
  const busy = Object.assign(new Error('Socket is busy writing; only one send operation may be in progress at any time'), { code: 'EBUSY', errno: 16 });
  assert.throws(() => proc.emit('unhandledRejection', busy, Promise.resolve()), /busy writing/, 'unguarded: fatal');
  const errors: unknown[] = [];
  const log = console.error;
  console.error = (...a: unknown[]) => void errors.push(a.join(' '));
  try {
    guardKernelSends(proc);
    guardKernelSends(proc);
    assert.equal(proc.listeners('unhandledRejection').length, 1, 'wrapped once');
    proc.emit('unhandledRejection', busy, Promise.resolve());
    proc.emit('unhandledRejection', busy, Promise.resolve());
    assert.equal(errors.length, 1, 'one warning');
    assert.throws(() => proc.emit('unhandledRejection', new Error('a real bug'), Promise.resolve()), /a real bug/);
    assert.ok(isBusySocketError(busy));
    assert.ok(!isBusySocketError(Object.assign(new Error('other'), { code: 'EBUSY' })));
    assert.ok(!isBusySocketError(undefined));
  } finally {
    console.error = log;
  }
});

test('halves are disjoint, sampleRows is seeded and bounded', () => {
  const ds = makeSynthetic({ n: 51, d: 5 });
  const [a, b] = halves(ds, 1);
  assert.equal(a.n, 25);
  assert.equal(b.n, 25);
  const ids = new Set(a.ids);
  assert.ok(b.ids.every((id) => !ids.has(id)));
  assert.equal(sampleRows(ds, 100, 0), ds);
  assert.deepEqual(sampleRows(ds, 10, 2).ids, sampleRows(ds, 10, 2).ids);
  assert.equal(sampleRows(ds, 10, 2).n, 10);
});

test('realVsSynthetic2d draws 2-D rows at their own coordinates, and refuses other widths', () => {
  const a = makeSynthetic({ n: 30, d: 2 });
  const b = makeSynthetic({ n: 20, d: 2, seed: 3 });
  const spec = realVsSynthetic2d(a, b, { sourceNames: { real: 'E(x)', synthetic: 'prior' } }) as { data: { values: { x: number; y: number; source: string }[] } };
  const values = spec.data.values;
  assert.equal(values.length, 50);
  assert.deepEqual(values.slice(0, 30).map((v) => [v.x, v.y]), Array.from({ length: 30 }, (_, i) => [a.x[2 * i], a.x[2 * i + 1]]));
  assert.deepEqual([...new Set(values.map((v) => v.source))], ['E(x)', 'prior']);
  assert.throws(() => realVsSynthetic2d(makeSynthetic({ n: 30, d: 3 }), b), /must be 2-D \(got 3 and 2 columns\)/);
});

test('evaluateAugmenter adds k training folds of synthetic rows and scores the held-out rows', async () => {
  const ds = makeSynthetic({ n: 140, d: 20, speakers: 4 });
  const [fold] = splitFolds(ds, [1]);
  const copy = await makeAugmenter('copy', {}).fit(fold.train);
  const scores = await evaluateAugmenter(copy, fold.train, fold.test, { sets: [2, 0] });
  assert.deepEqual(scores.map((s) => s.sets), [0, 2]);
  assert.deepEqual(scores.map((s) => s.trainRows), [fold.train.n, 3 * fold.train.n]);
  for (const s of scores) assert.ok(s.uar > 1 / 7 && s.uar <= 1 && s.wa > 0, `scores ${JSON.stringify(s)}`);
});

test('lossNames keeps losses and leaves measurements out', () => {
  assert.deepEqual(lossNames([{ epoch: 1, seconds: 2, D: 1, G: 2, labelFidelity: 0.1, pReal: 0.5 }, { epoch: 2, seconds: 2, D: 1, G: 2, GP: 3 }]), ['D', 'G', 'GP']);
});

test('loadForNotebook falls back to the synthetic stand-in and says so', () => {
  const r = loadForNotebook('emodb-is11', { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nodata-')), announce: false, syntheticShape: { n: 60, d: 8 } });
  assert.equal(r.real, false);
  assert.equal(r.data.n, 60);
  assert.ok(r.note.includes(SYNTHETIC_NOTICE));
  assert.match(r.note, /emodb-is11 was not found/);
});

test('sampleFraction keeps a seeded share of every speaker and class', () => {
  const ds = makeSynthetic({ n: 400, d: 6 });
  const s = sampleFraction(ds, 0.25, 3);
  assert.ok(Math.abs(s.n - 100) <= 20, `${s.n} rows`);
  assert.match(s.name, /25 % sample/);
  assert.equal(groupCounts(s).length, groupCounts(ds).length, 'every speaker is kept');
  assert.ok(classCounts(s).every((c) => c > 0), 'every class is kept');
  assert.deepEqual(sampleFraction(ds, 0.25, 3).ids, s.ids);
  assert.notDeepEqual(sampleFraction(ds, 0.25, 4).ids, s.ids);
  assert.equal(sampleFraction(ds, 1), ds);
  assert.throws(() => sampleFraction(ds, 0), /fraction/);
});

test('svgOnLines breaks the path data of a long curve into lines, the same path, idempotent', () => {
  const d = 'M0,0' + Array.from({ length: 3000 }, (_, i) => `L${i + 1},${(Math.sin(i) * 100).toFixed(3)}`).join('');
  const svg = `<svg><g><path d="${d}" stroke="red"></path><text>a L b</text></g></svg>`;
  const out = svgOnLines(svg);
  assert.ok(d.length > 20_000);
  assert.ok(Math.max(...out.split('\n').map((l) => l.length)) < 2_000, 'no long line left');
  assert.equal(out.replace(/\n/g, ''), svg, 'only newlines were added');
  assert.equal(svgOnLines(out), out, 'cleaning twice changes nothing');
});

test('svgOnLines puts one element per line, never splitting text', () => {
  const svg = '<svg x="1"><g class="a"><path d="M0,0"></path><text x="2">a><b</text></g></svg>';
  const lines = svgOnLines(svg);
  assert.equal(lines.replace(/\n/g, ''), svg, 'only newlines are added');
  assert.deepEqual(lines.split('\n'), ['<svg x="1">', '<g class="a">', '<path d="M0,0"></path>', '<text x="2">a><b</text>', '</g>', '</svg>']);
  assert.equal(svgOnLines(lines), lines, 'idempotent');
});
