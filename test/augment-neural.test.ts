import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tf } from '../src/backend/tf';
import { makeAugmenter, loadAugmenter, trainAdanOneStep, weightedCrossEntropy, Mlp, type AugmentMethod, type AdanOptimizers } from '../src/augment/index';
import type { EpochRecord } from '../src/augment/augmenter';
import { Random } from '../src/util/random';
import { OptionError } from '../src/util/errors';
import { smallData } from './augment-fixtures';
import { lossRows } from '../src/analysis/curves';
import { lossPlot } from '../src/plot/loss';

const TRAINED = ['gan', 'cgan', 'aae', 'adan', 'wadan'] as const;

/** Tiny networks: every hidden layer 8 wide, small latent and noise. */
function tiny(method: (typeof TRAINED)[number], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const common = { epochs: 3, batchSize: 16, seed: 4 };
  switch (method) {
    case 'gan':
    case 'cgan':
      return { ...common, zDim: 3, generatorHidden: [8], discriminatorHidden: [8], ...extra };
    case 'aae':
      return { ...common, encoderHidden: [8], decoderHidden: [8], discriminatorHidden: [8], ...extra };
    default:
      // label fidelity every epoch, so that every record has every field (the schedule has its own test)
      return { ...common, latentDim: 4, zDim: 3, encoderHidden: [8], decoderHidden: [8], classifierHidden: [8], generatorHidden: [8], discriminatorHidden: [8], fidelityRows: 12, fidelityEvery: 1, ...extra };
  }
}

const LOSS_NAMES: Record<(typeof TRAINED)[number], string[]> = {
  gan: ['D', 'G'],
  cgan: ['D', 'G'],
  aae: ['D', 'E', 'R'],
  adan: ['D', 'C', 'R', 'E', 'G', 'pReal', 'pFake', 'labelFidelity', 'labelFidelityCentroid'],
  wadan: ['D', 'GP', 'C', 'R', 'E', 'G', 'labelFidelity', 'labelFidelityCentroid'],
};

const train = smallData({ k: 3, d: 6, perClass: [20, 14, 9] });
const maxAbs = Array.from({ length: train.d }, (_, j) => {
  let m = 0;
  for (let i = 0; i < train.n; i++) m = Math.max(m, Math.abs(train.x[i * train.d + j]));
  return m;
});

for (const method of TRAINED) {
  test(`${method}: trains without NaN, history per epoch, samples in the original scale, flat tensor count`, async () => {
    await tf.ready();
    const counts: number[] = [];
    const aug = makeAugmenter(method, tiny(method) as never);
    await aug.fit(train, { onEpoch: () => counts.push(tf.memory().numTensors) });
    assert.equal(aug.history.length, 3);
    aug.history.forEach((r, i) => {
      assert.equal(r.epoch, i + 1);
      for (const k of LOSS_NAMES[method]) assert.ok(Number.isFinite((r as Record<string, number>)[k]), `${method} epoch ${r.epoch}: ${k} = ${(r as EpochRecord)[k]}`);
    });
    // epoch 1 creates the optimizers' moments; from then on no tensor may leak
    assert.deepEqual(counts.slice(1), new Array(counts.length - 1).fill(counts[1]), `${method}: tensors per epoch ${counts}`);
    const labels = [2, 0, 1, 1, 2, 0, 0];
    const before = tf.memory().numTensors;
    const s = aug.sample(labels, { seed: 3 });
    assert.equal(tf.memory().numTensors, before, `${method}: sample leaks tensors`);
    assert.equal(s.synthetic, true);
    assert.deepEqual([...s.y], labels);
    assert.equal(s.n, labels.length);
    assert.equal(s.d, train.d);
    assert.ok(s.x.every(Number.isFinite));
    // tanh outputs times the max-abs scale: within the training range, and on the feature's own scale
    for (let j = 0; j < s.d; j++) {
      for (let i = 0; i < s.n; i++) assert.ok(Math.abs(s.x[i * s.d + j]) <= maxAbs[j] * (1 + 1e-5));
    }
    const big = maxAbs.indexOf(Math.max(...maxAbs));
    assert.ok(Array.from({ length: s.n }, (_, i) => Math.abs(s.x[i * s.d + big])).some((v) => v > 1), `${method}: rows were not multiplied back`);
    (aug as { dispose(): void }).dispose();
  });
}

test('save/load round-trips and the same seed gives the same rows', async () => {
  const labels = [0, 1, 2, 0, 1, 2, 2];
  for (const method of TRAINED) {
    const aug = await makeAugmenter(method, tiny(method, { epochs: 2 }) as never).fit(train);
    const a = aug.sample(labels, { seed: 21 });
    assert.deepEqual(aug.sample(labels, { seed: 21 }).x, a.x, `${method}: same seed, same rows`);
    assert.notDeepEqual(aug.sample(labels, { seed: 22 }).x, a.x, `${method}: other seed, other rows`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `aug-${method}-`));
    await aug.save(dir);
    const loaded = await loadAugmenter(dir);
    assert.equal(loaded.method, method);
    assert.deepEqual(loaded.sample(labels, { seed: 21 }).x, a.x, `${method}: the loaded augmenter samples the same rows`);
    assert.deepEqual(loaded.history, aug.history);
    // the same seed and data train the same networks
    const again = await makeAugmenter(method, tiny(method, { epochs: 2 }) as never).fit(train);
    assert.deepEqual(again.sample(labels, { seed: 21 }).x, a.x, `${method}: same training seed, same model`);
    for (const x of [aug, loaded, again]) (x as { dispose(): void }).dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** Fit until the run is killed (an exception) as epoch `epochs + 1` reports: the checkpoint of epoch `epochs` is on disk. */
async function killedAfter(epochs: number, aug: { fit(t: typeof train, c: object): Promise<unknown> }, control: Record<string, unknown>): Promise<void> {
  await assert.rejects(aug.fit(train, { ...control, onEpoch: (r: { epoch: number }) => {
    if (r.epoch > epochs) throw new Error('killed');
  } }), /killed/);
}

test('resuming from a checkpoint gives the same result as an uninterrupted run', async () => {
  for (const method of ['wadan', 'adan', 'gan', 'aae'] as const) {
    const settings = tiny(method, { epochs: 4, batchSize: 12 });
    const whole = await makeAugmenter(method, settings as never).fit(train);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ckpt-${method}-`));
    const first = makeAugmenter(method, settings as never);
    await killedAfter(2, first, { checkpointDir: dir, checkpointEvery: 1 });
    assert.equal(first.history.length, 3, 'epoch 3 ran but was killed before its checkpoint');
    const files = fs.readdirSync(dir);
    assert.ok(files.some((f) => f.includes('.e2.')) && !files.some((f) => f.includes('.e1.')), `${method}: only the last checkpoint's files remain: ${files}`);
    (first as { dispose(): void }).dispose();
    const seen: number[] = [];
    const resumed = await makeAugmenter(method, settings as never).fit(train, { checkpointDir: dir, checkpointEvery: 2, resume: true, onEpoch: (r) => seen.push(r.epoch) });
    assert.deepEqual(seen, [3, 4], `${method}: only the missing epochs run`);
    const strip = (h: readonly Record<string, number>[]) => h.map(({ seconds: _s, ...rest }) => rest);
    assert.deepEqual(strip(resumed.history), strip(whole.history), `${method}: same losses`);
    assert.deepEqual(resumed.sample([0, 1, 2], { seed: 5 }).x, whole.sample([0, 1, 2], { seed: 5 }).x, `${method}: same model`);
    for (const x of [whole, resumed]) (x as { dispose(): void }).dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ADAN and WADAN: label fidelity at epoch 1, every fidelityEvery-th epoch and the last; the same training for any schedule', async () => {
  for (const method of ['adan', 'wadan'] as const) {
    const every = await makeAugmenter(method, tiny(method, { epochs: 12 }) as never).fit(train);
    const sparse = await makeAugmenter(method, tiny(method, { epochs: 12, fidelityEvery: 5 }) as never).fit(train);
    const measured = (sparse.history as readonly EpochRecord[]).filter((r) => 'labelFidelity' in r).map((r) => r.epoch);
    assert.deepEqual(measured, [1, 5, 10, 12], `${method}: measured epochs`);
    assert.ok((sparse.history as readonly EpochRecord[]).every((r) => ('labelFidelity' in r) === ('labelFidelityCentroid' in r)));
    const strip = (h: readonly Record<string, number>[]) => h.map(({ seconds: _s, labelFidelity: _f, labelFidelityCentroid: _c, pReal: _r, ...rest }) => rest);
    assert.deepEqual(strip(sparse.history), strip(every.history), `${method}: same losses`);
    for (const e of measured) {
      const [a, b] = [sparse.history[e - 1] as EpochRecord, every.history[e - 1] as EpochRecord];
      assert.deepEqual([a.labelFidelity, a.labelFidelityCentroid, a.pReal], [b.labelFidelity, b.labelFidelityCentroid, b.pReal], `${method}: fidelity at epoch ${e}`);
    }
    // ADAN's pReal (E over every row) follows the same schedule while its early stop cannot count an epoch
    if (method === 'adan') assert.deepEqual((sparse.history as readonly EpochRecord[]).filter((r) => 'pReal' in r).map((r) => r.epoch), measured);
    assert.deepEqual(sparse.sample([0, 1, 2], { seed: 5 }).x, every.sample([0, 1, 2], { seed: 5 }).x, `${method}: same model`);
    // the readers take the sparse records: the curve has the measured epochs, the losses all
    assert.deepEqual(lossRows(sparse.history, ['labelFidelity']).map((r) => r.epoch), measured);
    assert.equal(lossRows(sparse.history, ['D']).length, 12);
    const spec = lossPlot(sparse.history, { losses: ['labelFidelity', 'labelFidelityCentroid'] }) as { data: { values: unknown[] } };
    assert.equal(spec.data.values.length, 2 * measured.length);
    // the default: every 10th epoch
    const byDefault = await makeAugmenter(method, tiny(method, { epochs: 21, fidelityEvery: undefined }) as never).fit(train);
    assert.deepEqual((byDefault.history as readonly EpochRecord[]).filter((r) => 'labelFidelity' in r).map((r) => r.epoch), [1, 10, 20, 21]);
    for (const x of [every, sparse, byDefault]) x.dispose();
  }
  assert.throws(() => makeAugmenter('wadan', { fidelityEvery: 0 }), /wadan\.fidelityEvery/);
});

test("ADAN's early stop decides as with pReal every epoch: E's pass over the rows is skipped only where pFake already rules an epoch out", async () => {
  // on these tiny nets tolerance 0.011 after epoch 10 stops near epoch 170 with pFake outside it on ~45 epochs
  const o = { epochs: 300, earlyStop: true, earlyStopAfter: 10, earlyStopTolerance: 0.011 };
  const sparse = await makeAugmenter('adan', tiny('adan', { ...o, fidelityEvery: 50 }) as never).fit(train);
  const every = await makeAugmenter('adan', tiny('adan', { ...o, fidelityEvery: 1 }) as never).fit(train);
  const [hs, he] = [sparse.history as readonly EpochRecord[], every.history as readonly EpochRecord[]];
  assert.ok(he.length < 300, `stopped early (${he.length} epochs)`);
  assert.equal(hs.length, he.length, 'the same stopping epoch');
  assert.ok(he.every((r) => Number.isFinite(r.pReal)), 'fidelityEvery 1: pReal every epoch');
  const skipped = hs.filter((r) => r.epoch - 1 > o.earlyStopAfter && r.pReal === undefined);
  assert.ok(skipped.length >= 10, `pReal skipped on ${skipped.length} epochs where the rule could count`);
  for (const r of skipped) assert.ok(Math.abs(r.pFake - 0.5) > o.earlyStopTolerance, `epoch ${r.epoch}: skipped though pFake ${r.pFake} is within the tolerance`);
  hs.forEach((r, i) => {
    assert.equal(r.pFake, he[i].pFake, `epoch ${r.epoch}: pFake`);
    assert.equal(r.D, he[i].D, `epoch ${r.epoch}: D loss`);
    if (r.pReal !== undefined) assert.equal(r.pReal, he[i].pReal, `epoch ${r.epoch}: pReal`);
  });
  assert.deepEqual(sparse.sample([0, 1, 2], { seed: 5 }).x, every.sample([0, 1, 2], { seed: 5 }).x, 'same model');
  sparse.dispose();
  every.dispose();
});

test('a checkpoint resumes with another fidelityEvery, and one written before the option existed resumes too', async () => {
  for (const method of ['adan', 'wadan'] as const) {
    const whole = await makeAugmenter(method, tiny(method, { epochs: 4 }) as never).fit(train);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ckpt-fidelity-${method}-`));
    const first = makeAugmenter(method, tiny(method, { epochs: 4, fidelityEvery: 1 }) as never);
    await killedAfter(2, first, { checkpointDir: dir, checkpointEvery: 2 });
    first.dispose();
    // as an older version wrote it: no fidelityEvery among the options
    const file = path.join(dir, 'augmenter.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    delete manifest.options.fidelityEvery;
    fs.writeFileSync(file, JSON.stringify(manifest));
    const resumed = await makeAugmenter(method, tiny(method, { epochs: 4, fidelityEvery: 3 }) as never).fit(train, { checkpointDir: dir, checkpointEvery: 2, resume: true });
    assert.equal(resumed.history.length, 4);
    assert.deepEqual(resumed.history.map((r) => 'labelFidelity' in r), [true, true, true, true], `${method}: epochs 1-2 from the checkpoint (every epoch), 3 (every 3rd) and 4 (the last)`);
    assert.deepEqual(resumed.sample([0, 1, 2], { seed: 5 }).x, whole.sample([0, 1, 2], { seed: 5 }).x, `${method}: same model`);
    for (const x of [whole, resumed]) x.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('ADAN and WADAN: encode and sampleLatent give latent rows; sampleLatent matches sample', async () => {
  for (const method of ['adan', 'wadan'] as const) {
    const aug = await makeAugmenter(method, tiny(method, { epochs: 1 }) as never).fit(train);
    const h = aug.encode(train);
    assert.equal(h.length, train.n * 4);
    assert.ok(h.every((v) => Math.abs(v) <= 1), 'tanh latent');
    const g = aug.sampleLatent([0, 1], { seed: 8 });
    assert.equal(g.length, 2 * 4);
    // decoding the latent rows reproduces sample's rows for the same seed
    const { R } = aug.adanNets;
    const decoded = tf.tidy(() => R.apply(tf.tensor2d(g, [2, 4]), false).dataSync());
    const s = aug.sample([0, 1], { seed: 8 });
    for (let i = 0; i < 2 * train.d; i++) assert.ok(Math.abs(decoded[i] * maxAbs[i % train.d] - s.x[i]) <= 1e-4 * maxAbs[i % train.d]);
    aug.dispose();
  }
});

test('bad options fail at once, naming the option', async () => {
  const cases: [AugmentMethod, Record<string, unknown>, RegExp][] = [
    ['wadan', { gpPower: 1 }, /wadan\.gpPower/],
    ['wadan', { mu: 'sometimes' }, /wadan\.mu/],
    ['adan', { batchNorm: 'layer' }, /adan\.batchNorm/],
    ['wadan', { updates: 'parallel' }, /wadan\.updates/],
    ['adan', { classWeights: 'inverse' }, /adan\.classWeights/],
    ['adan', { latentDim: 0 }, /adan\.latentDim/],
    ['adan', { encoderHidden: [800, -1] }, /adan\.encoderHidden/],
    ['gan', { loss: 'hinge' }, /gan\.loss/],
    ['aae', { priorStd: 0 }, /aae\.priorStd/],
    ['cgan', { learningRate: -1 }, /cgan\.learningRate/],
    ['wadan', { lamda: 10 }, /wadan\.lamda/],
  ];
  for (const [method, options, pattern] of cases) {
    assert.throws(() => makeAugmenter(method, options as never), (e: Error) => e instanceof OptionError && pattern.test(e.message), `${method} ${JSON.stringify(options)}`);
  }
  const aug = makeAugmenter('adan', tiny('adan') as never);
  await assert.rejects(aug.fit(train, { epochz: 3 } as never), /adan\.fit\.epochz/);
  const before = { ...aug.settings };
  await assert.rejects(aug.fit(train, { epochs: 1 } as never), /settings go to the constructor/);
  assert.deepEqual(aug.settings, before, 'a refused fit leaves the settings as constructed');
  await assert.rejects(aug.fit(train, { checkpointEvery: 2 } as never), /checkpointDir/);
  assert.throws(() => aug.sample([0]), /not fitted yet: call fit before sample/);
  assert.throws(() => aug.encode(train), /not fitted yet/);
});

test('variants train: real BatchNorm, fixed mu, class weights, the code\'s power, minimax GAN, early stop option, sequential updates', async () => {
  const variants: [(typeof TRAINED)[number], Record<string, unknown>][] = [
    ['adan', { batchNorm: 'batch', classWeights: 'nmax', earlyStop: true }],
    ['adan', { updates: 'sequential' }],
    ['wadan', { updates: 'sequential', batchNorm: 'batch' }],
    ['wadan', { batchNorm: 'batch', mu: 'fixed', gpPower: 10, classWeights: 'nmax-floor', alpha: 0.1 }],
    ['wadan', { batchNorm: 'none', classWeights: [1, 2, 3] }],
    ['gan', { loss: 'minimax' }],
    ['aae', { batchNorm: 'batch' }],
  ];
  for (const [method, extra] of variants) {
    const aug = makeAugmenter(method, tiny(method, { epochs: 2, ...extra }) as never);
    await aug.fit(train);
    for (const r of aug.history) for (const k of LOSS_NAMES[method]) assert.ok(Number.isFinite((r as EpochRecord)[k]), `${method} ${JSON.stringify(extra)}: ${k}`);
    if (method === 'gan') assert.ok((aug.history as readonly EpochRecord[]).every((r) => r.G < 0), 'minimax G loss log(1 - D(G(z))) is negative');
    if (extra.batchNorm === 'batch') {
      // moving statistics moved away from their initial 0 / 1
      const E = (aug as { nets: Record<string, { norms: { movingMean: tf.Variable }[] }> }).nets.E;
      assert.ok(E.norms[0].movingMean.dataSync().some((v) => Math.abs(v) > 1e-4), `${method}: moving mean updated`);
    }
    const s = aug.sample([0, 1, 2], { seed: 1 });
    assert.ok(s.x.every(Number.isFinite));
    (aug as { dispose(): void }).dispose();
  }
});

test('class weights n_max / n_k reach the classifier loss of an ADAN step (Eq. 11)', async () => {
  const aug = makeAugmenter('adan', tiny('adan', { epochs: 0, classWeights: 'nmax' }) as never);
  await aug.fit(train); // builds the networks, trains nothing
  const data = (aug as unknown as { prepareData(t: typeof train): { w: tf.Tensor1D; x: tf.Tensor2D; y: tf.Tensor2D } }).prepareData(train);
  const counts = [20, 14, 9];
  const w = data.w.dataSync();
  for (let i = 0; i < train.n; i++) assert.ok(Math.abs(w[i] - 20 / counts[train.y[i]]) < 1e-6, `row ${i}: weight ${w[i]}`);
  const nets = aug.adanNets;
  const z = tf.randomNormal([train.n, 3], 0, 1, 'float32', 1) as tf.Tensor2D;
  const expected = tf.tidy(() => weightedCrossEntropy(nets.C.apply(nets.E.apply(data.x, true), true), data.y, data.w).dataSync()[0]);
  const unweighted = tf.tidy(() => weightedCrossEntropy(nets.C.apply(nets.E.apply(data.x, true), true), data.y, tf.onesLike(data.w)).dataSync()[0]);
  const opt = (aug as unknown as { optimizers: AdanOptimizers }).optimizers;
  const losses = trainAdanOneStep(nets, opt, { x: data.x, y: data.y, w: data.w, z }, { alpha: 1, dTimes: 2 });
  const C = losses.C.dataSync()[0];
  assert.ok(Math.abs(C - expected) < 1e-5, `C loss ${C} vs weighted ${expected}`);
  assert.ok(Math.abs(C - unweighted) > 1e-3, 'weights change the loss');
  tf.dispose([losses.D, losses.C, losses.R, losses.E, losses.G, z, data.w, data.x, data.y]);
  aug.dispose();
});

test("'fixed' BatchNorm is the authors' learnable scale and shift on fixed statistics", async () => {
  const net = new Mlp({ name: 'E', input: 3, hidden: [4], output: 2, batchNorm: 'fixed', activation: 'linear' }, new Random(1), 'bn-test');
  net.norms[0].gamma.assign(tf.tensor1d([1, 2, 3, 4]));
  net.norms[0].beta.assign(tf.tensor1d([0.5, 0, -0.5, 1]));
  const x = tf.tensor2d([[1, -2, 0.5], [0.3, 0.1, -1]]);
  const [viaNet, byHand] = tf.tidy(() => {
    const a = tf.add(tf.matMul(x, net.kernels[0]), net.biases[0]);
    const act = tf.add(tf.mul(a, 0.6), tf.mul(tf.abs(a), 0.4));
    const bn = tf.add(tf.mul(tf.div(act, Math.sqrt(1 + 1e-3)), net.norms[0].gamma), net.norms[0].beta);
    return [net.apply(x, true), tf.add(tf.matMul(bn, net.kernels[1]), net.biases[1])];
  });
  const a = viaNet.dataSync();
  const b = byHand.dataSync();
  for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) < 1e-5);
  tf.dispose([x, viaNet, byHand]);
  net.dispose();
});

test('ADAN and WADAN learn: on separable classes their rows R(G(z, y)) come to carry the requested label', async () => {
  const data = smallData({ k: 3, d: 6, perClass: 20, seed: 2 });
  // class centroids of the real rows, in the original space
  const centroids = [0, 1, 2].map((k) => {
    const c = new Array(data.d).fill(0);
    let n = 0;
    for (let i = 0; i < data.n; i++) if (data.y[i] === k) { n++; for (let j = 0; j < data.d; j++) c[j] += data.x[i * data.d + j]; }
    return c.map((v) => v / n);
  });
  for (const method of ['wadan', 'adan'] as const) {
    const aug = makeAugmenter(method, { epochs: 60, batchSize: 30, learningRate: 3e-3, seed: 1, latentDim: 8, zDim: 4, encoderHidden: [32], decoderHidden: [32], classifierHidden: [16], generatorHidden: [16], discriminatorHidden: [16], fidelityRows: 60 });
    await aug.fit(data);
    const h = aug.history;
    assert.ok(h[9].labelFidelityCentroid! < 0.6, `${method}: not yet at epoch 10 (${h[9].labelFidelityCentroid})`);
    assert.ok(h[59].labelFidelity! >= 0.9 && h[59].labelFidelityCentroid! >= 0.9, `${method}: fidelity at epoch 60 ${h[59].labelFidelity} / ${h[59].labelFidelityCentroid}`);
    const labels = Array.from({ length: 90 }, (_, i) => i % 3);
    const s = aug.sample(labels, { seed: 2 });
    let hits = 0;
    for (let i = 0; i < s.n; i++) {
      // nearest centroid in max-abs-scaled distance (features span 0.1 .. 100)
      const dist = centroids.map((c) => c.reduce((acc, v, j) => acc + ((s.x[i * s.d + j] - v) / maxAbsOf(data, j)) ** 2, 0));
      if (dist.indexOf(Math.min(...dist)) === labels[i]) hits++;
    }
    assert.ok(hits / s.n >= 0.9, `${method}: ${hits} of ${s.n} sampled rows nearest to their class`);
    aug.dispose();
  }
});

function maxAbsOf(ds: { x: Float32Array; n: number; d: number }, j: number): number {
  let m = 0;
  for (let i = 0; i < ds.n; i++) m = Math.max(m, Math.abs(ds.x[i * ds.d + j]));
  return m;
}

test("WADAN generatorLoss 'code' (-L_D + alpha CE) trains G exactly as Eq. 18 with the LeakyReLU critic; only the recorded G loss differs", async () => {
  const weightsOf = (aug: unknown): Float32Array[] => {
    const nets = (aug as { nets: Record<string, { trainable(): tf.Variable[] }> }).nets;
    return Object.keys(nets).sort().flatMap((k) => nets[k].trainable().map((v) => v.dataSync() as Float32Array));
  };
  const eq18 = makeAugmenter('wadan', tiny('wadan', { epochs: 3, mu: 'fixed', gpPower: 10, alpha: 0.1 }) as never);
  const code = makeAugmenter('wadan', tiny('wadan', { epochs: 3, mu: 'fixed', gpPower: 10, alpha: 0.1, generatorLoss: 'code' }) as never);
  await eq18.fit(train);
  await code.fit(train);
  const a = weightsOf(eq18);
  const b = weightsOf(code);
  assert.equal(a.length, b.length);
  let maxDiff = 0;
  for (let i = 0; i < a.length; i++) for (let j = 0; j < a[i].length; j++) maxDiff = Math.max(maxDiff, Math.abs(a[i][j] - b[i][j]));
  assert.ok(maxDiff < 1e-5, `weights differ by ${maxDiff}`);
  // the code's G loss adds -mean D(E(x)) - lambda * penalty: a different number in the history
  assert.ok(eq18.history.some((r, i) => Math.abs(r.G - code.history[i].G) > 1e-4), 'recorded G losses differ');
  assert.throws(() => makeAugmenter('wadan', { generatorLoss: 'minimax' } as never), /wadan\.generatorLoss/);
  (eq18 as { dispose(): void }).dispose();
  (code as { dispose(): void }).dispose();
});
