/**
 * The time left in a run comes from the work this run computed, not from units counted: units
 * found in the store, and epochs a resumed fit did not run, take no time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkMeter } from '../src/experiment/eta';
import { fitCost, groupCost, planUnits, unitCost } from '../src/experiment/plan';
import { resolveNormalize, resolveSpec } from '../src/experiment/spec';
import { defaultAugmenters } from '../src/experiment/factories';

test('no estimate before any work is computed; then the pace over the computed work prices what is left', () => {
  const m = new WorkMeter(100);
  assert.equal(m.eta(30), undefined, 'nothing computed yet: no pace to go by');
  m.credit(10);
  assert.equal(m.eta(5), (5 / 10) * 90);
  m.credit(40);
  assert.equal(m.eta(50), (50 / 50) * 50);
});

test('waived work shortens what is left without speeding up the pace', () => {
  const m = new WorkMeter(100);
  m.credit(20);
  m.waive(60); // e.g. 60 % of a fit ran before the checkpoint this run resumed from
  assert.equal(m.eta(10), (10 / 20) * 20);
  m.credit(20);
  assert.equal(m.eta(20), 0, 'nothing left');
  m.credit(5);
  assert.equal(m.eta(21), 0, 'never negative');
});

test('work added back (a fit restarted from scratch) is ahead again; rounding leaves no tiny remainder', () => {
  const m = new WorkMeter(1.2);
  m.credit(0.3);
  m.waive(0.3);
  m.add(0.3);
  assert.equal(m.eta(3), (3 / 0.3) * 0.9);
  for (let i = 0; i < 3; i++) m.credit(0.3);
  assert.equal(m.eta(12), 0, 'four 0.3 credits against 1.2 end at exactly no time left');
});

test('a group costs its fit plus its units: a 1,500-epoch fit outweighs a real-only unit by orders of magnitude', () => {
  const spec = resolveSpec({ data: 'emodb-is11', augment: ['none', { method: 'wadan', options: { epochs: 1500 } }], sets: [0, 1, 10], classifiers: ['svm', 'dnn'], repeats: 1 }, defaultAugmenters.methods, ['svm', 'dnn']);
  spec.normalize = resolveNormalize(spec.normalize, 'emodb-is11');
  const groups = planUnits(spec, { name: 'emodb-is11', fingerprint: 'f', n: 535, d: 4354 }, [{ index: 1, group: 's1' }]);
  const wadan = groups.find((g) => g.augmenter?.method === 'wadan')!;
  const none = groups.find((g) => g.augmenter === undefined)!;
  assert.equal(fitCost(wadan).epochs, 1500);
  assert.equal(fitCost(none).total, 0);
  assert.ok(groupCost(wadan) > fitCost(wadan).total, 'a group costs its fit and its units');
  const cheapest = Math.min(...none.units.map(unitCost));
  assert.ok(fitCost(wadan).total > 100 * cheapest);
  const ten = wadan.units.find((u) => u.config.sets === 10 && u.config.classifier.name === 'dnn')!;
  const one = wadan.units.find((u) => u.config.sets === 1 && u.config.classifier.name === 'dnn')!;
  assert.ok(unitCost(ten) > unitCost(one), 'more sets, more rows to train on');
});
