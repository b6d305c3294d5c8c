/**
 * Store archives (archive.ts) and merging them (merge.ts): a grid saved fold by fold and put back
 * on another machine is the same store, and a damaged or foreign archive is refused by name.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { spawnSync } from 'node:child_process';
import { runExperiment } from '../src/experiment/runner';
import { ResultStore } from '../src/experiment/store';
import { exportStore, readArchive } from '../src/experiment/archive';
import { mergeStores } from '../src/experiment/merge';
import { foldArchive, partialFoldArchive, PARTIAL_EVERY, runFoldByFold } from '../src/experiment/fold-archives';
import { summarize } from '../src/experiment/summary';
import { countingAugmenters, ncmFactory, smallData, smallSpec, tempDir, withoutTimings } from './experiment-fixtures';
import { projectRoot } from '../src/data/locate';

const data = smallData();
const spec = smallSpec(data);
const factories = () => ({ classifiers: ncmFactory(), augmenters: countingAugmenters() });

/** Rewrite an archive's decompressed lines. */
function editArchive(file: string, edit: (lines: string[]) => string[]): void {
  const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
  fs.writeFileSync(file, zlib.gzipSync(edit(lines).join('\n') + '\n'));
}

test('a store exported fold by fold and merged into an empty store is the same store: same records, nothing left to compute', async () => {
  const dir = tempDir('archive-src');
  const run = await runExperiment({ ...spec, protocol: 'paper' }, { storeDir: dir, ...factories() });
  const folds = [...new Set(run.records.map((r) => r.config.fold.index))].sort();
  assert.equal(folds.length, 4);
  const files = folds.map((f) => path.join(tempDir('archive-files'), `fold-${f}.jsonl.gz`));
  const counts = folds.map((f, i) => exportStore(dir, files[i], { folds: [f] }));
  assert.deepEqual(counts, folds.map((f) => run.records.filter((r) => r.config.fold.index === f).length));
  // each archive holds its fold only, and the store's identity
  const first = readArchive(files[0]);
  assert.ok(first.records.every((r) => r.config.fold.index === folds[0]));
  assert.equal(first.identity.protocol, 'paper');
  assert.equal(first.identity.dataset?.name, new ResultStore(dir).identity().dataset?.name);
  // the same store exports the same bytes
  const again = path.join(tempDir('archive-again'), 'a.jsonl.gz');
  exportStore(dir, again, { folds: [folds[0]] });
  assert.deepEqual(fs.readFileSync(again), fs.readFileSync(files[0]));

  const out = path.join(tempDir('archive-out'), 'store');
  const report = mergeStores(files, out);
  assert.equal(report.copied, run.records.length);
  const byKey = (rs: { key: string }[]) => [...rs].sort((a, b) => (a.key < b.key ? -1 : 1));
  assert.deepEqual(byKey(new ResultStore(out).all()), byKey(new ResultStore(dir).all()));
  assert.deepEqual(new ResultStore(out).identity(), new ResultStore(dir).identity());
  assert.deepEqual(new ResultStore(out).specs(), new ResultStore(dir).specs());
  const resumed = await runExperiment({ ...spec, protocol: 'paper' }, { storeDir: out, ...factories() });
  assert.equal(resumed.computed, 0);
  // merging an archive into the store it came from changes nothing
  assert.deepEqual(mergeStores([files[1], dir], out), { copied: 0, same: run.records.length, damaged: [] });
});

test('an edited, truncated or foreign archive is refused with its file and line, and the target store is left as it was', async () => {
  const dir = tempDir('archive-bad-src');
  await runExperiment({ ...spec, folds: [1], protocol: 'paper' }, { storeDir: dir, ...factories() });
  const file = path.join(tempDir('archive-bad'), 'fold-1.jsonl.gz');
  const n = exportStore(dir, file);
  assert.ok(n > 10);
  const out = tempDir('archive-bad-out');

  const edited = `${file}.edited.gz`;
  fs.copyFileSync(file, edited);
  editArchive(edited, (lines) => {
    const r = JSON.parse(lines[3]);
    r.outcome.yPred[0] = (r.outcome.yPred[0] + 1) % 4;
    lines[3] = JSON.stringify(r);
    return lines;
  });
  assert.throws(() => readArchive(edited), (e: Error) => e.message.startsWith(`${edited}: line 4: checksum mismatch`));
  assert.throws(() => mergeStores([edited], out), /line 4: checksum mismatch/);
  assert.deepEqual(new ResultStore(out).keys(), []);

  const truncated = `${file}.short.gz`;
  fs.copyFileSync(file, truncated);
  editArchive(truncated, (lines) => lines.slice(0, -1));
  assert.throws(() => readArchive(truncated), new RegExp(`holds ${n - 1} units where its header says ${n}`));

  const cut = `${file}.cut.gz`;
  const whole = fs.readFileSync(file);
  fs.writeFileSync(cut, whole.subarray(0, whole.length >> 1));
  assert.throws(() => readArchive(cut), (e: Error) => e.message.startsWith(`${cut}: not a store archive, or a truncated or damaged one`));
  assert.throws(() => readArchive(`${file}.absent`), /absent: cannot read it \(no such file\)/);

  // the header is bound to its units: another protocol written into it is refused
  const relabelled = `${file}.relabelled.gz`;
  fs.copyFileSync(file, relabelled);
  editArchive(relabelled, (lines) => [JSON.stringify({ ...JSON.parse(lines[0]), protocol: 'code' }), ...lines.slice(1)]);
  assert.throws(() => readArchive(relabelled), (e: Error) => e.message === `${relabelled}: line 1: the header's checksum does not match it and its units (edited?)`);

  // merge writes stores, not archives
  assert.throws(() => mergeStores([file], `${file}.merged.gz`), /is not a result store folder to merge into/);
  assert.throws(() => mergeStores([dir], file), /is not a result store folder to merge into/);

  const notGzip = `${file}.txt`;
  fs.writeFileSync(notGzip, 'hello\n');
  assert.throws(() => readArchive(notGzip), (e: Error) => e.message.startsWith(`${notGzip}: not a store archive`));

  // an archive of another protocol does not go into this store
  const code = tempDir('archive-code');
  await runExperiment({ ...spec, folds: [2], protocol: 'code' }, { storeDir: code, ...factories() });
  const codeFile = path.join(tempDir('archive-code-file'), 'code.jsonl.gz');
  exportStore(code, codeFile);
  assert.throws(() => mergeStores([codeFile], dir), /cannot be merged .*protocol paper/);
  assert.throws(() => exportStore(dir, `${file}.none.gz`, { folds: [1, 3] }), /has no unit on fold\(s\) 3; nothing exported/);
  assert.ok(!fs.existsSync(`${file}.none.gz`));
});

test('CLI: results export --folds writes an archive, results merge reads it back into a store with its tables', () => {
  const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
  const store = tempDir('archive-cli');
  const r = spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--classifiers', 'svm', '--folds', '2,3', '--store', store], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const units = new ResultStore(store).all();
  assert.deepEqual([...new Set(units.map((u) => u.config.fold.index))].sort(), [2, 3], '--folds runs only those folds');
  // ... with the full grid's keys: the whole grid's dry run in that store misses fold 1 only
  const dry = spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--classifiers', 'svm', '--store', store, '--dry-run', '--json'], { encoding: 'utf8' });
  assert.equal(dry.status, 0, dry.stderr);
  const part = JSON.parse(dry.stdout) as { stored: number; total: number; missing: string[] };
  assert.equal(part.stored, units.length);
  assert.ok(part.missing.length > 0 && part.missing.every((l) => / fold 1$/.test(l)), part.missing.join('; '));
  const file = path.join(tempDir('archive-cli-file'), 'fold-3.jsonl.gz');
  const e = spawnSync(process.execPath, [bin, 'results', 'export', store, '--folds', '3', '--out', file], { encoding: 'utf8' });
  assert.equal(e.status, 0, e.stderr);
  const inFold3 = units.filter((u) => u.config.fold.index === 3).length;
  const specsOf = (f: string) => readArchive(f).specs.map((sp) => sp.folds);
  assert.deepEqual(specsOf(file), [[2, 3]]);
  // a later fold's run leaves fold 3's archive as it was, and fold 1's names its own spec only
  const r1 = spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--classifiers', 'svm', '--folds', '1', '--store', store], { encoding: 'utf8' });
  assert.equal(r1.status, 0, r1.stderr);
  const again = `${file}.again.gz`;
  const fold1 = `${file}.fold1.gz`;
  assert.equal(spawnSync(process.execPath, [bin, 'results', 'export', store, '--folds', '3', '--out', again]).status, 0);
  assert.equal(spawnSync(process.execPath, [bin, 'results', 'export', store, '--folds', '1', '--out', fold1]).status, 0);
  assert.deepEqual(fs.readFileSync(again), fs.readFileSync(file));
  assert.deepEqual(specsOf(fold1), [[1]]);
  assert.match(e.stdout, new RegExp(`^${inFold3} units of .*: fold 3 ${inFold3}\n$`));
  const out = path.join(tempDir('archive-cli-out'), 'store');
  const m = spawnSync(process.execPath, [bin, 'results', 'merge', file, '--out', out, '--json'], { encoding: 'utf8' });
  assert.equal(m.status, 0, m.stderr);
  assert.deepEqual(JSON.parse(m.stdout), { copied: inFold3, same: 0, damaged: [], units: inFold3 });
  assert.ok(fs.existsSync(path.join(out, 'results', 'units.csv')));
  const bad = spawnSync(process.execPath, [bin, 'results', 'merge', path.join(store, 'nothing.gz'), '--out', out], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /nothing\.gz is not a result store .*nor a store archive/);
});

test('runFoldByFold: each fold saved as it completes; a new store with the same archive folder computes only the folds not saved, and the result is the one-store run', async () => {
  const archiveDir = path.join(tempDir('fold-archives'), 'archive');
  const whole = await runExperiment({ ...spec, protocol: 'paper' }, { storeDir: tempDir('fold-whole'), ...factories() });
  // the first machine finishes folds 1 and 2
  const saved: number[] = [];
  const events: string[] = [];
  const first = await runFoldByFold({ ...spec, folds: [1, 2], protocol: 'paper' }, {
    storeDir: tempDir('fold-first'), archiveDir, ...factories(),
    onFoldStart: (f, i, n) => events.push(`start ${f} ${i}/${n}`), onFoldSaved: (f) => (saved.push(f), events.push(`saved ${f}`)),
  });
  assert.deepEqual(saved, [1, 2]);
  assert.deepEqual(events, ['start 1 1/2', 'saved 1', 'start 2 2/2', 'saved 2'], 'each fold named as it starts (the CLI labels its bar with it)');
  assert.deepEqual(fs.readdirSync(archiveDir).sort(), ['fold-01.jsonl.gz', 'fold-02.jsonl.gz']);
  assert.equal(readArchive(foldArchive(archiveDir, 2)).records.length, first.records.filter((r) => r.config.fold.index === 2).length);
  const bytes = fs.readFileSync(foldArchive(archiveDir, 1));
  // the next one, with a new store, runs every fold
  let restored = 0;
  const next = await runFoldByFold({ ...spec, protocol: 'paper' }, { storeDir: tempDir('fold-next'), archiveDir, ...factories(), onRestored: (_files, copied) => (restored = copied) });
  assert.equal(restored, first.records.length);
  assert.equal(next.reused, first.records.length);
  assert.equal(next.computed, whole.total - first.records.length);
  assert.equal(next.total, whole.total);
  assert.deepEqual(withoutTimings(summarize(next.records)), withoutTimings(summarize(whole.records)));
  assert.deepEqual(fs.readFileSync(foldArchive(archiveDir, 1)), bytes, 'a saved fold is saved again as it was');
  assert.equal(fs.readdirSync(archiveDir).length, 4);
  // with no listeners too: a third store restores everything and computes nothing
  const third = await runFoldByFold({ ...spec, protocol: 'paper' }, { storeDir: tempDir('fold-third'), archiveDir, ...factories() });
  assert.equal(third.computed, 0);
  await assert.rejects(runFoldByFold(spec, { storeDir: tempDir('fold-shard'), archiveDir, shard: '1/2', ...factories() }), /not with a shard/);
  // archives of the other protocol: refused by name, and the new store stays this spec's
  const codeStore = tempDir('fold-code');
  await assert.rejects(runFoldByFold({ ...spec, protocol: 'code' }, { storeDir: codeStore, archiveDir, ...factories() }), (e: Error) => e.message.includes('fold-01.jsonl.gz') && /protocol/.test(e.message) && e.message.includes(archiveDir));
  assert.equal(new ResultStore(codeStore).identity().protocol, 'code');
  assert.deepEqual(new ResultStore(codeStore).keys(), []);
  // a fold the data lack fails before any fold runs
  const early = tempDir('fold-early');
  await assert.rejects(runFoldByFold({ ...spec, folds: [2, 40], protocol: 'paper' }, { storeDir: early, archiveDir: path.join(early, 'archive'), ...factories() }), /fold 40/);
  assert.ok(!fs.existsSync(path.join(early, 'archive')));
});

test('runFoldByFold saves the fold in progress as far as it has run; a new store merges that save and computes only the rest', async () => {
  const archiveDir = path.join(tempDir('fold-partial'), 'archive');
  const saves: { units: number; bytes: Buffer }[] = [];
  // 10 ms a fit, a save every 50 ms: several saves before fold 1's units are all stored
  const first = await runFoldByFold({ ...spec, folds: [1], protocol: 'paper' }, {
    storeDir: tempDir('fold-partial-a'), archiveDir, classifiers: ncmFactory(10), augmenters: countingAugmenters(), partialEvery: 0.05,
    onPartialSaved: (fold, file, units) => {
      assert.equal(file, partialFoldArchive(archiveDir, fold));
      saves.push({ units, bytes: fs.readFileSync(file) });
    },
  });
  const mid = saves.find((v) => v.units > 0 && v.units < first.total);
  assert.ok(mid, `a save with part of the fold (saves: ${saves.map((v) => v.units).join(', ')} of ${first.total})`);
  assert.deepEqual(fs.readdirSync(archiveDir), ['fold-01.jsonl.gz'], 'the save of the fold in progress is removed once the fold is saved whole');
  // the machine is lost mid-fold: a new one finds only that save, and computes what it lacks
  const later = path.join(tempDir('fold-partial-later'), 'archive');
  fs.mkdirSync(later);
  fs.writeFileSync(partialFoldArchive(later, 1), mid!.bytes);
  let restored = 0;
  const next = await runFoldByFold({ ...spec, folds: [1], protocol: 'paper' }, { storeDir: tempDir('fold-partial-b'), archiveDir: later, ...factories(), partialEvery: 0, onRestored: (_f, copied) => (restored = copied) });
  assert.equal(restored, mid!.units);
  assert.equal(next.reused, mid!.units);
  assert.equal(next.computed, first.total - mid!.units);
  assert.deepEqual(withoutTimings(summarize(next.records)), withoutTimings(summarize(first.records)));
  assert.deepEqual(fs.readdirSync(later), ['fold-01.jsonl.gz']);
  await assert.rejects(runFoldByFold(spec, { storeDir: tempDir('fold-partial-c'), archiveDir: later, ...factories(), partialEvery: -1 }), /partialEvery must be a number of seconds >= 0/);
  const help = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'adan-lab.js'), 'reproduce', '--help'], { encoding: 'utf8' }).stdout.replace(/\s+/g, ' ');
  assert.match(help, new RegExp(`the fold in progress every ${PARTIAL_EVERY / 60} minutes as DIR/fold-NN\\.partial\\.jsonl\\.gz`));
});

test('CLI: reproduce --archive saves every fold and continues from the archives in a new store', () => {
  const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
  const archive = path.join(tempDir('archive-cli-folds'), 'archive');
  const run = (store: string) => spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--classifiers', 'svm', '--archive', archive, '--store', store, '--json'], { encoding: 'utf8' });
  const a = run(tempDir('archive-cli-a'));
  assert.equal(a.status, 0, a.stderr);
  assert.deepEqual(fs.readdirSync(archive).sort(), ['fold-01.jsonl.gz', 'fold-02.jsonl.gz', 'fold-03.jsonl.gz']);
  assert.match(a.stderr, /fold 3 complete: \d+ units saved in .*fold-03\.jsonl\.gz/);
  const b = run(tempDir('archive-cli-b'));
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stderr, /3 fold archive\(s\) in .* merged into .* \(\d+ units copied\)/);
  const first = JSON.parse(a.stdout);
  const second = JSON.parse(b.stdout);
  assert.equal(second.computed, 0);
  assert.equal(second.reused, first.computed);
  assert.deepEqual(second.best, first.best);
  const bad = spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--archive', archive, '--shard', '1/2'], { encoding: 'utf8' });
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--archive.*not with --shard/);
});
