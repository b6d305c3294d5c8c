import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copy, noise, smote, makeAugmenter, loadAugmenter, featureStd } from '../src/augment/index';
import { OptionError } from '../src/util/errors';
import { smallData, classRange } from './augment-fixtures';

const train = smallData({ k: 3, d: 6, perClass: [12, 7, 1] });
const labels = [0, 1, 2, 2, 1, 0, 0, 1];

function rowsOf(x: Float32Array, d: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < x.length; i += d) out.push(Array.from(x.subarray(i, i + d)).join(','));
  return out;
}

test('copy returns training rows of the requested class', async () => {
  const aug = await copy({ seed: 3 }).fit(train);
  const s = aug.sample(labels);
  assert.equal(s.synthetic, true);
  assert.deepEqual([...s.y], labels);
  assert.equal(s.d, train.d);
  const real = rowsOf(train.x, train.d);
  rowsOf(s.x, s.d).forEach((r, i) => {
    const at = real.indexOf(r);
    assert.ok(at >= 0, 'a copied row must be a training row');
    assert.equal(train.y[at], labels[i]);
  });
});

test('noise: rows stay near a training row of the class, spread as scale * std', async () => {
  const scale = 0.05;
  const aug = await noise({ scale, seed: 1 }).fit(train);
  const many = aug.sample(new Array(400).fill(2), { seed: 9 }); // class 2 has one row: noise around it
  const std = featureStd(train.x, train.d);
  const base = train.x.subarray(train.d * 19, train.d * 20);
  assert.equal(train.y[19], 2);
  for (let j = 0; j < train.d; j++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < many.n; i++) {
      const e = many.x[i * many.d + j] - base[j];
      s += e;
      s2 += e * e;
    }
    const sd = Math.sqrt(s2 / many.n - (s / many.n) ** 2);
    assert.ok(Math.abs(sd / (scale * std[j]) - 1) < 0.15, `feature ${j}: noise sd ${sd} vs ${scale * std[j]}`);
  }
});

test('smote interpolates between same-class neighbours (inside the class box)', async () => {
  const aug = await smote({ seed: 2 }).fit(train);
  for (const label of [0, 1]) {
    const s = aug.sample(new Array(50).fill(label), { seed: label });
    const { lo, hi } = classRange(train, label);
    for (let i = 0; i < s.n; i++) {
      for (let j = 0; j < s.d; j++) {
        const v = s.x[i * s.d + j];
        const tol = 1e-4 * Math.max(1, Math.abs(v));
        assert.ok(v >= lo[j] - tol && v <= hi[j] + tol, `class ${label} row ${i} feature ${j} outside the class range`);
      }
    }
  }
  // a one-row class can only be copied
  const single = aug.sample([2, 2]);
  assert.deepEqual(rowsOf(single.x, single.d), rowsOf(train.x.subarray(19 * 6, 20 * 6), 6).concat(rowsOf(train.x.subarray(19 * 6, 20 * 6), 6)));
  // neighbours are the k nearest in max-abs space, same class
  const nb = aug.neighbours![0];
  assert.equal(nb.length, 5);
  for (const j of nb) assert.equal(train.y[j], 0);
});

test('same seed gives the same rows; save/load round-trips', async () => {
  for (const method of ['copy', 'noise', 'smote'] as const) {
    const aug = await makeAugmenter(method, { seed: 5 }).fit(train);
    const a = aug.sample(labels, { seed: 11 });
    const b = aug.sample(labels, { seed: 11 });
    assert.deepEqual(a.x, b.x, `${method}: same seed, same rows`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aug-${method}-`));
    await aug.save(dir);
    const loaded = await loadAugmenter(dir);
    assert.equal(loaded.method, method);
    assert.deepEqual(loaded.sample(labels, { seed: 11 }).x, a.x, `${method}: loaded augmenter samples the same rows`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('bad options and labels fail with the option named', async () => {
  assert.throws(() => smote({ k: 0 }), /smote\.k/);
  assert.throws(() => noise({ scale: -1 }), /noise\.scale/);
  assert.throws(() => copy({ sede: 1 } as never), (e: Error) => e instanceof OptionError && /copy\.sede/.test(e.message));
  assert.throws(() => makeAugmenter('magic' as never), /option method/);
  assert.throws(() => copy().sample([0]), /not fitted yet/);
  const aug = await copy().fit(train);
  assert.throws(() => aug.sample([3]), /labels\[0\]/);
  // settings go to the constructor; fit never rewrites them
  await assert.rejects(copy().fit(train, { seed: 3 } as never), /option copy\.fit\.seed: got 3, expected one of onEpoch, checkpointDir, checkpointEvery, resume, validation: settings go to the constructor/);
});
