import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { Claims } from '../src/experiment/claims';
import { runExperiment } from '../src/experiment/runner';
import { threadsPerJob } from '../src/experiment/parallel';
import { orderByCost } from '../src/experiment/schedule';
import { prepareExperiment } from '../src/experiment/prepare';
import { groupCost } from '../src/experiment/plan';
import { ResultStore } from '../src/experiment/store';
import type { ClassifierFactory } from '../src/experiment/factories';
import type { ExperimentSpec } from '../src/experiment/spec';
import { NearestMean, smallData, smallSpec, tempDir } from './experiment-fixtures';

/** A pid that is certainly not running: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

/** ncm classifiers that count their fits (the runner also builds one per spec entry to check options: not a fit). */
function countingNcm(delayMs = 0): ClassifierFactory & { fits: number } {
  const f = { fits: 0, names: ['ncm'] as readonly string[], make: (_name: string, options: Record<string, unknown>) => {
    const c = new NearestMean(options as never, delayMs);
    const fit = c.fit.bind(c);
    c.fit = async (train) => {
      f.fits++;
      return fit(train);
    };
    return c;
  } };
  return f;
}

const predictions = (records: { key: string; outcome: { yPred: number[] } }[]): string => JSON.stringify(records.map((r) => [r.key, r.outcome.yPred]).sort());

test('claims: one holder at a time; released claims can be taken; a dead holder on this host is taken over at once', () => {
  const dir = tempDir('claims');
  const a = new Claims(dir);
  const b = new Claims(dir);
  assert.equal(a.tryClaim('g1'), true);
  assert.equal(a.tryClaim('g1'), true, 'the holder may ask again');
  assert.equal(b.tryClaim('g1'), false);
  assert.equal(b.holder('g1')?.pid, process.pid);
  a.release('g1');
  assert.equal(b.tryClaim('g1'), true);
  b.releaseAll();
  assert.equal(fs.existsSync(path.join(dir, 'claims', 'g1.json')), false);
  // a claim left by a process that died (kill -9): taken over without waiting
  fs.writeFileSync(path.join(dir, 'claims', 'g2.json'), JSON.stringify({ host: os.hostname(), pid: deadPid(), token: 'x', since: new Date().toISOString() }));
  assert.equal(a.holder('g2'), undefined);
  assert.equal(a.tryClaim('g2'), true);
  assert.equal(JSON.parse(fs.readFileSync(path.join(dir, 'claims', 'g2.json'), 'utf8')).pid, process.pid);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("claims: another host's claim is left alone while it is refreshed and taken over once it goes silent", () => {
  const dir = tempDir('claims-host');
  let now = Date.now();
  const c = new Claims(dir, { staleSeconds: 60, now: () => now });
  fs.mkdirSync(path.join(dir, 'claims'));
  const file = path.join(dir, 'claims', 'g.json');
  fs.writeFileSync(file, JSON.stringify({ host: 'another-host', pid: 1, token: 'y', since: new Date(now).toISOString() }));
  fs.utimesSync(file, new Date(now), new Date(now));
  now += 30_000;
  assert.equal(c.tryClaim('g'), false, 'refreshed 30 s ago: still alive');
  now += 31_000;
  assert.equal(c.tryClaim('g'), true, 'silent for 61 s: taken over');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('two runs on one store split the work: every unit computed once, both return the whole grid, equal to one run alone', async () => {
  const data = smallData();
  const spec = smallSpec(data);
  const alone = await runExperiment(spec, { storeDir: tempDir('alone'), classifiers: countingNcm() });
  const dir = tempDir('shared');
  const c1 = countingNcm(2);
  const c2 = countingNcm(2);
  const [r1, r2] = await Promise.all([
    runExperiment(spec, { storeDir: dir, classifiers: c1, pollMs: 20 }),
    runExperiment(spec, { storeDir: dir, classifiers: c2, pollMs: 20 }),
  ]);
  assert.equal(c1.fits + c2.fits, alone.total, `fits ${c1.fits} + ${c2.fits}`);
  assert.ok(c1.fits > 0 && c2.fits > 0, 'both computed part of it');
  assert.equal(r1.records.length, alone.total);
  assert.equal(predictions(r1.records), predictions(alone.records));
  assert.equal(predictions(r2.records), predictions(alone.records));
  assert.equal(fs.readdirSync(path.join(dir, 'claims')).length, 0, 'no claim left behind');
});

test("a group claimed by a worker that was killed is computed by the next run", async () => {
  const data = smallData();
  const spec = smallSpec(data);
  const dir = tempDir('takeover');
  const prep = await prepareExperiment(spec, { classifiers: countingNcm() });
  const victim = prep.groups.find((g) => g.augmenter?.method === 'copy')!;
  fs.mkdirSync(path.join(dir, 'claims'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'claims', `${victim.key}.json`), JSON.stringify({ host: os.hostname(), pid: deadPid(), token: 'z', since: new Date().toISOString() }));
  const run = await runExperiment(spec, { storeDir: dir, classifiers: countingNcm(), pollMs: 20 });
  assert.equal(run.computed, run.total);
  const store = new ResultStore(dir);
  for (const u of victim.units) assert.ok(store.has(u.key));
});

test('groups come fold by fold, the most expensive first within a fold; the plan order breaks ties', async () => {
  const prep = await prepareExperiment({ ...smallSpec(smallData()), augment: ['none', 'copy', { method: 'wadan', options: { epochs: 5 } }] } as ExperimentSpec, { classifiers: countingNcm() });
  const ordered = orderByCost(prep.groups);
  assert.equal(ordered.length, prep.groups.length);
  for (let i = 1; i < ordered.length; i++) {
    const [a, b] = [ordered[i - 1], ordered[i]];
    assert.ok(a.fold < b.fold || (a.fold === b.fold && groupCost(a) >= groupCost(b)), `group ${i}: fold ${a.fold} -> ${b.fold}`);
  }
  assert.equal(ordered[0].augmenter?.method, 'wadan');
  assert.equal(ordered[0].fold, 1);
  const fold1Cheap = ordered.filter((g) => g.fold === 1 && g.augmenter === undefined);
  const inPlan = prep.groups.filter((g) => g.fold === 1 && g.augmenter === undefined);
  assert.deepEqual(fold1Cheap.map((g) => g.key), inPlan.map((g) => g.key), 'equal costs keep the plan order');
});

test('jobs: 2 worker processes give the same records as one process, each unit computed once', async () => {
  const data = smallData();
  const spec: ExperimentSpec = { data, augment: ['none', 'copy', 'smote'], sets: [0, 1, 2], repeats: 2, classifiers: ['svm'], seed: 3, protocol: 'paper' };
  const one = await runExperiment(spec, { storeDir: tempDir('jobs1') });
  const dir = tempDir('jobs2');
  const warnings: string[] = [];
  const two = await runExperiment(spec, { storeDir: dir, jobs: 2, onWarning: (m) => warnings.push(m) });
  assert.equal(two.total, one.total);
  assert.equal(two.computed, one.total);
  assert.deepEqual(warnings.filter((w) => /two workers/.test(w)), []);
  assert.equal(predictions(two.records), predictions(one.records));
  assert.match(two.backend ?? '', /^2 workers x \d+ BLAS thread/);
  // run again: everything is found, nothing computed
  const again = await runExperiment(spec, { storeDir: dir, jobs: 2 });
  assert.equal(again.computed, 0);
  assert.equal(again.reused, one.total);
  assert.equal(threadsPerJob(2, 2), 1);
  assert.equal(threadsPerJob(3, 2), 1);
  assert.equal(threadsPerJob(1, 8), 8);
  await assert.rejects(runExperiment(spec, { storeDir: dir, jobs: 2, classifiers: countingNcm() }), /custom factories need jobs: 1/);
  await assert.rejects(runExperiment(spec, { storeDir: dir, jobs: 0 }), /jobs must be a whole number >= 1/);
});
