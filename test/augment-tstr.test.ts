import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeAugmenter, holdOutGroups, replayStop, tstrStop } from '../src/augment/index';
import type { EpochRecord } from '../src/augment/augmenter';
import { smallData } from './augment-fixtures';

const data = smallData({ k: 3, d: 6, perClass: 24 });
const [fitRows, validation] = holdOutGroups(data, 1, 0);
const tinyAdan = { epochs: 6, batchSize: 16, seed: 4, latentDim: 4, zDim: 3, encoderHidden: [8], decoderHidden: [8], classifierHidden: [8], generatorHidden: [8], discriminatorHidden: [8], fidelityRows: 12 };
const strip = (h: readonly EpochRecord[]) => h.map(({ seconds: _s, tstrUar: _u, tstrWa: _w, ...rest }) => rest);

test('tstrStop: stops once the best TSTR UAR is patience epochs behind the last measurement', () => {
  const h = (pairs: [number, number | undefined][]) => pairs.map(([epoch, tstrUar]) => ({ epoch, tstrUar }));
  assert.equal(tstrStop([], 10), false);
  assert.equal(tstrStop(h([[1, undefined], [2, undefined]]), 1), false);
  assert.equal(tstrStop(h([[10, 0.5], [20, 0.6], [30, 0.55]]), 10), true);     // best at 20, last at 30
  assert.equal(tstrStop(h([[10, 0.5], [20, 0.6], [30, 0.55]]), 11), false);
  assert.equal(tstrStop(h([[10, 0.6], [20, 0.6], [25, undefined]]), 10), true); // a tie is not better
  assert.equal(tstrStop(h([[10, 0.5], [20, 0.6], [30, 0.7]]), 1), false);
  // replayed on a finished run: the epochs a run checking the rule before each epoch would train
  const run = h([[1, 0.5], [2, 0.6], [3, 0.55], [4, 0.58], [5, 0.7]]);
  assert.equal(replayStop(run, (p) => tstrStop(p, 2)), 4);
  assert.equal(replayStop(run, (p) => tstrStop(p, 3)), undefined);
});

test('holdOutGroups splits a training fold by whole groups, seeded', () => {
  assert.equal(fitRows.n + validation.n, data.n);
  const held = new Set(validation.groups);
  assert.equal(held.size, 1);
  assert.ok(fitRows.groups.every((g) => !held.has(g)));
  assert.deepEqual(holdOutGroups(data, 1, 0)[1].ids, validation.ids);
  assert.deepEqual(holdOutGroups(data, 2, 3)[1].groups.filter((g, i, a) => a.indexOf(g) === i).length, 2);
  assert.throws(() => holdOutGroups(data, 4, 0), /holdOutGroups\.count.*1 to 3/);
});

test('TSTR is measured every tstrEvery epochs and at the last, on the validation rows, without changing training', async () => {
  const plain = await makeAugmenter('adan', tinyAdan as never).fit(fitRows);
  const measured = await makeAugmenter('adan', { ...tinyAdan, tstrEvery: 4 } as never).fit(fitRows, { validation });
  const at = (measured.history as readonly EpochRecord[]).filter((r) => r.tstrUar !== undefined);
  assert.deepEqual(at.map((r) => r.epoch), [4, 6]);
  for (const r of at) assert.ok(r.tstrUar! >= 0 && r.tstrUar! <= 1 && r.tstrWa! >= 0 && r.tstrWa! <= 1, JSON.stringify(r));
  assert.deepEqual(strip(measured.history), strip(plain.history), 'same losses');
  assert.deepEqual(measured.sample([0, 1, 2], { seed: 5 }).x, plain.sample([0, 1, 2], { seed: 5 }).x, 'same model');
  for (const x of [plain, measured]) x.dispose();
});

test("stop: 'tstr' ends training once tstrPatience epochs pass without a better TSTR UAR", async () => {
  const aug = await makeAugmenter('gan', { epochs: 40, batchSize: 16, seed: 4, zDim: 3, generatorHidden: [8], discriminatorHidden: [8], tstrEvery: 1, stop: 'tstr', tstrPatience: 2 } as never).fit(fitRows, { validation });
  const h = aug.history as readonly EpochRecord[];
  assert.ok(h.length < 40, `stopped after ${h.length} epochs`);
  assert.equal(tstrStop(h, 2), true);
  assert.equal(tstrStop(h.slice(0, -1), 2), false, 'not one epoch later than the rule says');
  aug.dispose();
});

test('TSTR settings are checked, and need validation rows', async () => {
  assert.throws(() => makeAugmenter('adan', { stop: 'tstr' }), /adan\.tstrEvery.*stop is 'tstr'/);
  assert.throws(() => makeAugmenter('wadan', { tstrClassifier: 'knn' }), /wadan\.tstrClassifier/);
  assert.throws(() => makeAugmenter('gan', { stop: 'early' } as never), /gan\.stop/);
  assert.throws(() => makeAugmenter('aae', { tstrPatience: 0 }), /aae\.tstrPatience/);
  await assert.rejects(makeAugmenter('adan', { ...tinyAdan, tstrEvery: 2 } as never).fit(fitRows), /adan\.tstrEvery.*fit\(train, \{ validation \}\)/);
  await assert.rejects(makeAugmenter('adan', tinyAdan as never).fit(fitRows, { validation: 'rows' as never }), /fit\.validation/);
});

test('a checkpoint written before the TSTR settings existed resumes, and may switch the measurement on', async () => {
  const whole = await makeAugmenter('adan', { ...tinyAdan, epochs: 4 } as never).fit(fitRows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ckpt-tstr-'));
  const first = makeAugmenter('adan', { ...tinyAdan, epochs: 4 } as never);
  await assert.rejects(first.fit(fitRows, { checkpointDir: dir, checkpointEvery: 2, onEpoch: (r) => { if (r.epoch > 2) throw new Error('killed'); } }), /killed/);
  first.dispose();
  const file = path.join(dir, 'augmenter.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  for (const k of ['tstrEvery', 'tstrClassifier', 'stop', 'tstrPatience']) delete manifest.options[k];
  fs.writeFileSync(file, JSON.stringify(manifest));
  const resumed = await makeAugmenter('adan', { ...tinyAdan, epochs: 4, tstrEvery: 2 } as never).fit(fitRows, { checkpointDir: dir, checkpointEvery: 2, resume: true, validation });
  assert.deepEqual(resumed.history.map((r) => r.tstrUar !== undefined), [false, false, false, true]);
  assert.deepEqual(resumed.sample([0, 1, 2], { seed: 5 }).x, whole.sample([0, 1, 2], { seed: 5 }).x, 'same model');
  // stopping on TSTR changes training: that checkpoint cannot be continued with stop 'tstr'
  await assert.rejects(makeAugmenter('adan', { ...tinyAdan, epochs: 6, tstrEvery: 2, stop: 'tstr' } as never).fit(fitRows, { checkpointDir: dir, resume: true, validation }), /other settings/);
  for (const x of [whole, resumed]) x.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});
