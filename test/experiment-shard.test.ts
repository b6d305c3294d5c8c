/**
 * Sharding: shards 1/N..N/N split the units without overlap or gap, whole augmenter groups
 * together; running them into separate stores and merging gives the unsharded table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../src/data/locate';
import { runExperiment, prepareExperiment } from '../src/experiment/runner';
import { parseShard, shardGroups, planUnits, groupCost } from '../src/experiment/plan';
import { reproduceGrid } from '../src/experiment/grid';
import { TRAINED_METHODS } from '../src/experiment/paper';
import { resolveSpec, resolveNormalize } from '../src/experiment/spec';
import { defaultAugmenters } from '../src/experiment/factories';
import { CLASSIFIER_NAMES } from '../src/classify/classifier';
import { ResultStore } from '../src/experiment/store';
import { mergeStores } from '../src/experiment/merge';
import { summarize } from '../src/experiment/summary';
import { countingAugmenters, ncmFactory, smallData, smallSpec, tempDir, withoutTimings } from './experiment-fixtures';

const data = smallData();
const spec = smallSpec(data);
const factories = () => ({ classifiers: ncmFactory(), augmenters: countingAugmenters() });

test('shards 1/2 + 2/2 merged equal the unsharded run; shards are disjoint, cover every unit and keep augmenter groups whole', async () => {
  const whole = await runExperiment(spec, { storeDir: tempDir('whole'), ...factories() });
  const a = tempDir('shard1');
  const b = tempDir('shard2');
  const fa = factories();
  const fb = factories();
  const ra = await runExperiment(spec, { storeDir: a, shard: '1/2', ...fa });
  const rb = await runExperiment(spec, { storeDir: b, shard: { index: 2, count: 2 }, ...fb });
  const keysA = new Set(ra.records.map((r) => r.key));
  const keysB = new Set(rb.records.map((r) => r.key));
  assert.equal(keysA.size + keysB.size, whole.total);
  assert.ok([...keysA].every((k) => !keysB.has(k)), 'no unit in both shards');
  assert.ok(ra.total > 40 && rb.total > 40, `both shards get a fair part (${ra.total}, ${rb.total})`);
  // Every augmenter (fold, method, repeat) is fitted by exactly one shard.
  const prep = await prepareExperiment(spec, factories());
  const groupsWithAugmenter = prep.groups.filter((g) => g.augmenter).length;
  assert.equal(fa.augmenters.fits + fb.augmenters.fits, groupsWithAugmenter);

  const out = tempDir('merged');
  const report = mergeStores([a, b], out);
  assert.equal(report.copied, whole.total);
  assert.deepEqual(report.damaged, []);
  assert.deepEqual(withoutTimings(summarize(out)), withoutTimings(summarize(whole.records)));
  // Merging again (and merging a store into itself) changes nothing.
  const again = mergeStores([a, b, out], out);
  assert.equal(again.copied, 0);
  assert.equal(again.same, whole.total);
  // The merged store is complete for the spec: running it computes nothing.
  const resumed = await runExperiment(spec, { storeDir: out, ...factories() });
  assert.equal(resumed.computed, 0);
});

test('the same shard of the same spec always holds the same units; 3 shards partition too', async () => {
  const prep = await prepareExperiment(spec, factories());
  const all = prep.groups.flatMap((g) => g.units.map((u) => u.key)).sort();
  const parts = [1, 2, 3].map((i) => shardGroups(prep.groups, { index: i, count: 3 }).flatMap((g) => g.units.map((u) => u.key)));
  assert.deepEqual(parts.flat().sort(), all);
  const again = await prepareExperiment(spec, factories());
  assert.deepEqual(shardGroups(again.groups, parseShard('2/3')).flatMap((g) => g.units.map((u) => u.key)), parts[1]);
});

test("shards of the paper's grid get equal numbers of GAN-type fits and near-equal estimated work", () => {
  // One method's run (reproduce --methods wadan): 10 fits and 60 real-only units (each its own group).
  // Dealt by count, one shard of two got 7 of the 10 fits; balanced by cost, 5 and 5.
  const folds = Array.from({ length: 10 }, (_, i) => ({ index: i + 1, group: `s${i + 1}` }));
  for (const methods of [['wadan'], undefined]) {
    const resolved = resolveSpec(reproduceGrid('emodb', { methods }), defaultAugmenters.methods, CLASSIFIER_NAMES);
    resolved.normalize = resolveNormalize(resolved.normalize, 'emodb-is11');
    const groups = planUnits(resolved, { name: 'emodb-is11', fingerprint: 'f', n: 535, d: 4354 }, folds);
    const trained = (g: (typeof groups)[number]): boolean => g.augmenter !== undefined && TRAINED_METHODS.includes(g.augmenter.method);
    const fits = groups.filter(trained).length;
    assert.equal(fits, methods ? 10 : 50);
    for (const count of [2, 3]) {
      const parts = Array.from({ length: count }, (_, i) => shardGroups(groups, { index: i + 1, count }));
      assert.equal(parts.flat().length, groups.length);
      const perShard = parts.map((p) => p.filter(trained).length);
      assert.ok(Math.max(...perShard) - Math.min(...perShard) <= 1, `GAN-type fits per shard ${perShard} (of ${fits})`);
      const loads = parts.map((p) => p.reduce((s, g) => s + groupCost(g), 0));
      const biggest = Math.max(...groups.map(groupCost));
      assert.ok(Math.max(...loads) - Math.min(...loads) <= biggest, `estimated loads ${loads.map(Math.round)} differ by at most one group`);
    }
  }
});

test('parseShard rejects malformed shards', () => {
  assert.deepEqual(parseShard('3/8'), { index: 3, count: 8 });
  for (const bad of ['0/2', '3/2', '1/0', 'a/b', '2', '1/2/3']) assert.throws(() => parseShard(bad), /option shard: .*'i\/N'/, bad);
});

test('merging stores that disagree on a unit fails, naming the unit, and copies nothing', async () => {
  const small = { data, augment: ['none'], folds: [1, 2], classifiers: ['ncm'], seed: 5 };
  const a = tempDir('conflict-a');
  const b = tempDir('conflict-b');
  const ra = await runExperiment(small, { storeDir: a, ...factories() });
  await runExperiment(small, { storeDir: b, ...factories() });
  // Store b's unit for fold 1 gets other predictions, with a valid checksum (as a different code version would write).
  const storeB = new ResultStore(b);
  const r = storeB.get(ra.records[0].key)!;
  const yPred = r.outcome.yPred.map((p) => (p + 1) % 7);
  storeB.put(r.config, { ...r.outcome, yPred });
  const out = tempDir('conflict-out');
  assert.throws(() => mergeStores([a, b], out), (err: Error) => err.message.includes(ra.records[0].key) && /different predictions/.test(err.message) && err.message.includes(a) && err.message.includes(b));
  assert.deepEqual(new ResultStore(out).keys(), []);
  assert.throws(() => mergeStores([tempDir('empty-not-a-store') + '/missing'], out), /not a result store/);
  assert.ok(fs.existsSync(a));
});

test('CLI: two shards sharing one store each write tables of the whole grid found there; results show --out writes them too', () => {
  const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
  const store = tempDir('cli-shared');
  const csvRows = (file: string): number => fs.readFileSync(file, 'utf8').trim().split('\n').length - 1;
  const shard = (i: number) => {
    const r = spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--classifiers', 'svm', '--shard', `${i}/2`, '--store', store], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r;
  };
  const dryRun = () => {
    const r = spawnSync(process.execPath, [bin, 'reproduce', 'emodb', '--quick', '--data', 'synthetic', '--methods', 'none,copy', '--classifiers', 'svm', '--store', store, '--dry-run', '--json'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { stored: number; total: number; missing: string[] };
  };
  const first = shard(1);
  const afterFirst = csvRows(path.join(store, 'results', 'units.csv'));
  assert.match(first.stderr, /if they shared this store, `adan-lab results show/);
  // --dry-run: what the store holds and what is missing, computing and writing nothing
  const half = dryRun();
  assert.equal(half.stored, afterFirst);
  assert.equal(new ResultStore(store).keys().length, afterFirst, 'nothing written');
  assert.ok(half.missing.length > 0);
  assert.equal(half.missing.reduce((n, l) => n + Number(/: (\d+) units?,/.exec(l)![1]), 0), half.total - half.stored);
  shard(2);
  assert.deepEqual(dryRun().missing, []);
  const stored = new ResultStore(store).keys().length;
  assert.ok(afterFirst < stored, `shard 1 alone had ${afterFirst} of the ${stored} units`);
  assert.equal(csvRows(path.join(store, 'results', 'units.csv')), stored, "shard 2's tables hold shard 1's units too");
  const out = tempDir('cli-show-out');
  const show = spawnSync(process.execPath, [bin, 'results', 'show', store, '--out', out], { encoding: 'utf8' });
  assert.equal(show.status, 0, show.stderr);
  assert.equal(csvRows(path.join(out, 'units.csv')), stored);
  assert.deepEqual(fs.readFileSync(path.join(out, 'best.csv'), 'utf8'), fs.readFileSync(path.join(store, 'results', 'best.csv'), 'utf8'));
  // --folds: the units of those folds only
  const outFold = tempDir('cli-show-fold');
  const fold1 = spawnSync(process.execPath, [bin, 'results', 'show', store, '--folds', '1', '--out', outFold], { encoding: 'utf8' });
  assert.equal(fold1.status, 0, fold1.stderr);
  const onFold1 = new ResultStore(store).all().filter((r) => r.config.fold.index === 1).length;
  assert.ok(onFold1 > 0 && onFold1 < stored);
  assert.equal(csvRows(path.join(outFold, 'units.csv')), onFold1);
  const none = spawnSync(process.execPath, [bin, 'results', 'show', store, '--folds', '9'], { encoding: 'utf8' });
  assert.equal(none.status, 1);
  assert.match(none.stderr, /has no unit on fold\(s\) 9/);
});
