/**
 * The runner survives being stopped: an aborted run or a SIGKILLed process continues where it
 * stopped and ends with the same table as an uninterrupted run; a fitted augmenter is not fitted
 * again; half-written files are never taken for results.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runExperiment, ExperimentAborted, formatProgress, secondsBeforeResume } from '../src/experiment/runner';
import type { Augmenter } from '../src/augment/augmenter';
import { ResultStore } from '../src/experiment/store';
import { summarize } from '../src/experiment/summary';
import { loadAugmenter } from '../src/augment/index';
import { makeSynthetic } from '../src/data/synthetic';
import { countingAugmenters, ncmFactory, smallData, smallSpec, tempDir, withoutTimings } from './experiment-fixtures';

const CHILD = process.env.ADAN_EXPERIMENT_CHILD;

if (CHILD) {
  // Child mode: run the small grid slowly into the store named by the environment, until killed.
  void runExperiment(smallSpec(smallData()), { storeDir: CHILD, classifiers: ncmFactory(15), augmenters: countingAugmenters() });
} else {
  const data = smallData();
  const spec = smallSpec(data);
  let reference: ReturnType<typeof summarize> | undefined;
  const referenceSummary = async (): Promise<ReturnType<typeof summarize>> => {
    if (!reference) {
      const run = await runExperiment(spec, { storeDir: tempDir('ref'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
      assert.equal(run.total, 160);
      assert.equal(run.computed, 160);
      reference = summarize(run.records);
    }
    return reference;
  };

  test('an aborted run resumes where it stopped and ends with the same table as an uninterrupted one', async () => {
    const ref = await referenceSummary();
    const storeDir = tempDir('abort');
    const controller = new AbortController();
    let seen = 0;
    await assert.rejects(
      runExperiment(spec, {
        storeDir,
        classifiers: ncmFactory(),
        augmenters: countingAugmenters(),
        signal: controller.signal,
        onProgress: (p) => {
          if (p.unit && ++seen === 37) controller.abort();
        },
      }),
      (err: unknown) => err instanceof ExperimentAborted && /after 37 of 160 units/.test(err.message),
    );
    assert.equal(new ResultStore(storeDir).keys().length, 37);
    const progress: number[] = [];
    const etas: (number | undefined)[] = [];
    const lines: string[] = [];
    const resumed = await runExperiment(spec, {
      storeDir,
      classifiers: ncmFactory(),
      augmenters: countingAugmenters(),
      onProgress: (p) => {
        progress.push(p.done);
        etas.push(p.eta);
        lines.push(formatProgress(p));
      },
    });
    const line = lines.at(-1)!;
    // the 37 units found in the store took no time: they must not make the rest look quick
    assert.equal(etas[0], undefined, 'no estimate before this run has computed anything');
    assert.doesNotMatch(lines[0], /eta/);
    assert.ok(etas.slice(1).every((e) => typeof e === 'number' && Number.isFinite(e) && e >= 0), 'an estimate after every computed unit');
    assert.match(lines[1], /, eta /);
    assert.equal(etas.at(-1), 0);
    assert.match(line, /^160\/160 units \(37 from the store\) .*\| fold \d+ \w+ \d sets r\d ncm: UAR \d+\.\d %$/);
    assert.equal(resumed.reused, 37);
    assert.equal(resumed.computed, 160 - 37);
    assert.equal(progress[0], 37, 'the first report counts the units found in the store');
    assert.equal(progress.at(-1), 160);
    assert.deepEqual(withoutTimings(summarize(resumed.records)), withoutTimings(ref));
    // A third run finds everything and computes nothing.
    const again = await runExperiment(spec, { storeDir, classifiers: ncmFactory(), augmenters: countingAugmenters() });
    assert.equal(again.computed, 0);
  });

  test('a process killed with SIGKILL mid-run resumes to the same table', async () => {
    const ref = await referenceSummary();
    const storeDir = tempDir('kill');
    const script = __filename;
    const child = spawn(process.execPath, [script], { env: { ...process.env, ADAN_EXPERIMENT_CHILD: storeDir }, stdio: 'ignore' });
    const store = new ResultStore(storeDir);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill once a few units are stored (the child sleeps 15 ms per unit, so it is mid-run).
    for (let i = 0; i < 6000 && store.keys().length < 12; i++) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    const stored = store.keys().length;
    assert.ok(stored >= 12 && stored < 160, `killed part-way (${stored} of 160 units stored)`);
    const resumed = await runExperiment(spec, { storeDir, classifiers: ncmFactory(), augmenters: countingAugmenters(), onWarning: (m) => assert.fail(`no damaged file expected: ${m}`) });
    assert.equal(resumed.reused, stored);
    assert.deepEqual(withoutTimings(summarize(resumed.records)), withoutTimings(ref));
  });

  test('a resumed run does not fit an augmenter again once its sets are cached; the cache is removed when done', async () => {
    const storeDir = tempDir('cache');
    const one = { data, augment: ['copy'], sets: [1, 2, 3], folds: [1], classifiers: ['ncm'], seed: 1 };
    const first = countingAugmenters();
    const controller = new AbortController();
    await assert.rejects(
      runExperiment(one, { storeDir, classifiers: ncmFactory(), augmenters: first, signal: controller.signal, onProgress: (p) => p.unit && controller.abort() }),
      ExperimentAborted,
    );
    assert.equal(first.fits, 1);
    const cacheRoot = path.join(storeDir, 'cache');
    const cached = fs.readdirSync(cacheRoot);
    assert.equal(cached.length, 1, 'one group cached');
    assert.deepEqual(fs.readdirSync(path.join(cacheRoot, cached[0])).filter((f) => f.endsWith('.json')).sort(), ['r1-s1.json', 'r1-s2.json', 'r1-s3.json']);
    const second = countingAugmenters();
    const resumed = await runExperiment(one, { storeDir, classifiers: ncmFactory(), augmenters: second });
    assert.equal(second.fits, 0, 'sets came from the cache');
    assert.equal(resumed.computed, 2);
    assert.deepEqual(fs.readdirSync(cacheRoot), []);
    // The same units computed from scratch (fitting the augmenter) agree with the resumed ones.
    const fresh = await runExperiment(one, { storeDir: tempDir('cache-fresh'), classifiers: ncmFactory(), augmenters: countingAugmenters() });
    assert.deepEqual(fresh.records.map((r) => r.outcome.yPred), resumed.records.map((r) => r.outcome.yPred));
    // keepAugmenters saves each fitted augmenter where loadAugmenter finds it.
    const kept = tempDir('keep');
    await runExperiment(one, { storeDir: kept, classifiers: ncmFactory(), augmenters: countingAugmenters(), keepAugmenters: true });
    const [group] = fs.readdirSync(path.join(kept, 'augmenters'));
    const loaded = await loadAugmenter(path.join(kept, 'augmenters', group));
    assert.equal(loaded.method, 'copy');
    assert.equal(loaded.sample([0, 1, 2], { seed: 1 }).n, 3);
    assert.equal(JSON.parse(fs.readFileSync(path.join(kept, 'augmenters', group, 'experiment-group.json'), 'utf8')).fold, 1);
  });

  test('a run killed during a long augmenter fit resumes that fit from its checkpoint, with the same result', async () => {
    const storeDir = tempDir('ckpt');
    const wadan = { data, augment: [{ method: 'wadan', options: { epochs: 4, batchSize: 256 } }], sets: [1], folds: [1], classifiers: ['ncm'], seed: 4 };
    const crash = new Error('killed during epoch 3');
    await assert.rejects(
      runExperiment(wadan, {
        storeDir,
        classifiers: ncmFactory(),
        checkpointEvery: 2,
        onEpoch: (e) => {
          if (e.record.epoch === 3) throw crash;
        },
      }),
      (err: unknown) => err === crash,
    );
    const epochs: number[] = [];
    const etas: (number | undefined)[] = [];
    let t = 0; // a clock that moves one second per epoch run, so the eta is exact
    const resumed = await runExperiment(wadan, {
      storeDir,
      classifiers: ncmFactory(),
      checkpointEvery: 2,
      clock: () => t,
      onEpoch: (e) => {
        epochs.push(e.record.epoch);
        etas.push(e.eta);
        t += 1000;
      },
    });
    assert.deepEqual(epochs, [3, 4], 'continued after the checkpoint of epoch 2');
    // work: 4 epochs x 0.3 + the unit (1 set: 2 x 0.3); epochs 1-2 ran before the resume and are
    // waived, not credited. After epoch 4: 0.6 done in 1 s, 0.6 (the unit) left -> 1 s.
    assert.ok(Math.abs(etas[1]! - 1) < 1e-9, `eta after epoch 4: ${etas[1]} s (2 s if the epochs run before the resume were still ahead)`);
    assert.deepEqual(fs.readdirSync(path.join(storeDir, 'cache')), [], 'checkpoint and sets removed once the unit is stored');
    const fresh = await runExperiment(wadan, { storeDir: tempDir('ckpt-fresh'), classifiers: ncmFactory(), checkpointEvery: 0 });
    assert.deepEqual(resumed.records[0].outcome.yPred, fresh.records[0].outcome.yPred);
  });

  test('a run that loads a kept augmenter does not count its fit as work ahead', async () => {
    const storeDir = tempDir('kept-eta');
    const spec = (shrink: number) => ({ data, augment: [{ method: 'wadan', options: { epochs: 3, batchSize: 256 } }], sets: [1, 2], folds: [1], classifiers: [{ name: 'ncm', options: { shrink } }], seed: 5 });
    await runExperiment(spec(0), { storeDir, classifiers: ncmFactory(), keepAugmenters: ['wadan'] });
    let t = 0; // one second per finished unit
    const etas: (number | undefined)[] = [];
    let epochsRun = 0;
    await runExperiment(spec(0.5), {
      storeDir,
      classifiers: ncmFactory(),
      keepAugmenters: ['wadan'],
      clock: () => t,
      onEpoch: () => epochsRun++,
      onProgress: (p) => {
        etas.push(p.eta);
        t += 1000;
      },
    });
    assert.equal(epochsRun, 0, 'the kept augmenter was loaded, not fitted');
    // work: the two units only (1 set: 0.6, 2 sets: 0.9). After the first: 0.6 done in 1 s, 0.9 left.
    assert.equal(etas[0], undefined);
    assert.ok(Math.abs(etas[1]! - 1.5) < 1e-9, `eta after the first unit: ${etas[1]} s (3.5 s with the 3-epoch fit counted)`);
    assert.equal(etas[2], 0);
  });

  test('reuseFitsFrom loads the augmenter another store kept for the same group (another classifier, another store) and copies it in', async () => {
    const spec = (shrink: number) => ({ data, augment: [{ method: 'wadan', options: { epochs: 3, batchSize: 256 } }], sets: [1, 2], folds: [1], classifiers: [{ name: 'ncm', options: { shrink } }], seed: 5 });
    const other = tempDir('reuse-from');
    await runExperiment(spec(0), { storeDir: other, classifiers: ncmFactory(), keepAugmenters: ['wadan'] });
    const storeDir = tempDir('reuse-into');
    let epochsRun = 0;
    const reused = await runExperiment(spec(0.5), { storeDir, classifiers: ncmFactory(), keepAugmenters: ['wadan'], reuseFitsFrom: [other], onEpoch: () => epochsRun++ });
    assert.equal(epochsRun, 0, "the other store's augmenter was loaded, not fitted");
    const fresh = await runExperiment(spec(0.5), { storeDir: tempDir('reuse-fresh'), classifiers: ncmFactory() });
    assert.deepEqual(reused.records.map((r) => r.outcome.yPred), fresh.records.map((r) => r.outcome.yPred), 'the same sets as a fit of its own');
    const [group] = fs.readdirSync(path.join(storeDir, 'augmenters'));
    assert.equal(JSON.parse(fs.readFileSync(path.join(storeDir, 'augmenters', group, 'experiment-group.json'), 'utf8')).copiedFrom, path.join(other, 'augmenters', group));
    // another dataset's store, or a folder that is no store, is refused before any work
    const elsewhere = tempDir('reuse-other-data');
    await runExperiment({ ...spec(0), data: makeSynthetic({ n: 120, d: 10, speakers: 4, seed: 9 }) }, { storeDir: elsewhere, classifiers: ncmFactory() });
    await assert.rejects(runExperiment(spec(0.5), { storeDir: tempDir('reuse-refused'), classifiers: ncmFactory(), reuseFitsFrom: [elsewhere] }), /reuseFitsFrom: .* holds synthetic.*its augmenters were fitted on other rows/);
    await assert.rejects(runExperiment(spec(0.5), { storeDir: tempDir('reuse-refused'), classifiers: ncmFactory(), reuseFitsFrom: [tempDir('empty')] }), /is not a result store/);
  });

  test("a resumed fit's seconds add the recorded time of the epochs it did not run itself", () => {
    const aug = { history: [{ epoch: 1, seconds: 5 }, { epoch: 2, seconds: 7 }, { epoch: 3, seconds: 1 }] } as unknown as Augmenter;
    assert.equal(secondsBeforeResume(aug, 1), 12);
    assert.equal(secondsBeforeResume(aug, 3), 0, 'a fit from scratch ran every epoch itself');
    assert.equal(secondsBeforeResume({} as Augmenter, 0), 0, 'augmenters without a history (copy, noise, SMOTE)');
  });

  test('a half-written temporary file is ignored and a damaged unit file is recomputed', async () => {
    const storeDir = tempDir('atomic');
    const small = { data, augment: ['none', 'copy'], sets: [0, 1], folds: [1, 2], classifiers: ['ncm'], seed: 2 };
    const full = await runExperiment(small, { storeDir, classifiers: ncmFactory(), augmenters: countingAugmenters() });
    assert.equal(full.total, 4);
    const store = new ResultStore(storeDir);
    const [a, b] = full.records;
    // Unit a: only a partial temporary file remains, as after a crash during its write.
    const fileA = store.unitPath(a.key);
    const text = fs.readFileSync(fileA, 'utf8');
    fs.rmSync(fileA);
    fs.writeFileSync(`${fileA}.4242.deadbeef.tmp`, text.slice(0, text.length >> 1));
    assert.equal(store.get(a.key), undefined);
    assert.ok(!store.keys().includes(a.key));
    // Unit b: a truncated final file (as a non-atomic writer would leave).
    const fileB = store.unitPath(b.key);
    fs.writeFileSync(fileB, fs.readFileSync(fileB, 'utf8').slice(0, 100));
    const warnings: string[] = [];
    assert.equal(store.get(b.key, (_f, problem) => warnings.push(problem)), undefined);
    assert.match(warnings[0], /not valid JSON/);
    const again = await runExperiment(small, { storeDir, classifiers: ncmFactory(), augmenters: countingAugmenters(), onWarning: (m) => warnings.push(m) });
    assert.equal(again.computed, 2);
    assert.ok(warnings.some((w) => w.includes(b.key) && /computing this unit again/.test(w)));
    assert.deepEqual(again.records.map((r) => r.outcome.yPred), full.records.map((r) => r.outcome.yPred));
    // An edited result (same JSON shape, other predictions) fails its checksum.
    const edited = JSON.parse(fs.readFileSync(fileA, 'utf8'));
    edited.outcome.yPred[0] = (edited.outcome.yPred[0] + 1) % 7;
    fs.writeFileSync(fileA, JSON.stringify(edited));
    const problems: string[] = [];
    assert.equal(store.get(a.key, (_f, p) => problems.push(p)), undefined);
    assert.match(problems[0], /checksum/);
  });
}
