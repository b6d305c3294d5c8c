/**
 * Fingerprints of a trained augmenter, for tests that prove a change leaves training untouched:
 * SHA-256 of every network variable and every optimizer slot (in order, by value: variable
 * names carry a per-process instance prefix), of rows sampled with a fixed seed, and of the loss
 * history (without `seconds` and the label-fidelity fields, which are measurements), plus the
 * label-fidelity values by epoch.
 */
import { createHash } from 'node:crypto';
import { tf } from '../src/backend/tf';
import { makeAugmenter } from '../src/augment/index';
import type { Dataset } from '../src/data/dataset';
import type { Mlp } from '../src/augment/nets';
import { initBackend } from '../src/backend/init';
import { splitFolds } from '../src/data/folds';
import { loadDataset } from '../src/data/registry';
import { smallData } from './augment-fixtures';

export const TRAJECTORY_METHODS = ['gan', 'cgan', 'aae', 'adan', 'wadan'] as const;
export type TrajectoryMethod = (typeof TRAJECTORY_METHODS)[number];

export interface Fingerprint {
  /** Network variables and optimizer state. */
  weights: string;
  /** `sample(labels, { seed: 3 })` rows. */
  sample: string;
  /** History without seconds, label fidelity and ADAN's pReal. */
  losses: string;
  /** [epoch, labelFidelity, labelFidelityCentroid] of the records that have them. */
  fidelity: number[][];
  /** ADAN: [epoch, pReal] of the records that have it (measured on a schedule, as label fidelity). */
  pReal: number[][];
}

const MEASUREMENTS = new Set(['seconds', 'labelFidelity', 'labelFidelityCentroid', 'pReal']);

function bytes(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Fingerprint of a fitted augmenter (GAN, cGAN, AAE, ADAN or WADAN). */
export async function fingerprint(aug: object, labels: number[]): Promise<Fingerprint> {
  const a = aug as { nets: Record<string, Mlp>; optimizers: Record<string, tf.Optimizer>; history: Record<string, number>[]; sample(l: number[], o: { seed: number }): Dataset };
  const w = createHash('sha256');
  for (const [name, net] of Object.entries(a.nets)) {
    for (const { name: n, variable } of net.named()) {
      w.update(`${name}/${n}[${variable.shape}]`);
      w.update(bytes(variable.dataSync() as Float32Array));
    }
  }
  for (const [name, opt] of Object.entries(a.optimizers)) {
    const slots = await opt.getWeights();
    w.update(`${name}:${slots.length}`);
    for (const s of slots) {
      w.update(`[${s.tensor.shape}]`);
      w.update(bytes(s.tensor.dataSync() as Float32Array));
    }
    if (slots.length > 0) tf.dispose(slots[0].tensor); // the iteration count is a fresh scalar
  }
  const sample = createHash('sha256').update(bytes(a.sample(labels, { seed: 3 }).x)).digest('hex');
  const losses = a.history.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !MEASUREMENTS.has(k))));
  const fidelity = a.history.filter((r) => 'labelFidelity' in r).map((r) => [r.epoch, r.labelFidelity, r.labelFidelityCentroid]);
  const pReal = a.history.filter((r) => 'pReal' in r).map((r) => [r.epoch, r.pReal]);
  return { weights: w.digest('hex'), sample, losses: createHash('sha256').update(JSON.stringify(losses)).digest('hex'), fidelity, pReal };
}

/** Train `method` with `options` (plus `fit` control) on `train` and fingerprint it. */
export async function trainAndFingerprint(method: TrajectoryMethod, options: Record<string, unknown>, train: Dataset, control: Record<string, unknown> = {}): Promise<Fingerprint> {
  const aug = makeAugmenter(method, options as never);
  await aug.fit(train, control as never);
  const labels = Array.from({ length: 2 * train.classes.length }, (_, i) => i % train.classes.length);
  const f = await fingerprint(aug, labels);
  aug.dispose();
  return f;
}

/** Small networks for the synthetic problem (3 classes, 6 features), as augment-neural.test.ts. */
export function tinySettings(method: TrajectoryMethod): Record<string, unknown> {
  const common = { epochs: 3, batchSize: 16, seed: 4 };
  switch (method) {
    case 'gan':
    case 'cgan':
      return { ...common, zDim: 3, generatorHidden: [8], discriminatorHidden: [8] };
    case 'aae':
      return { ...common, encoderHidden: [8], decoderHidden: [8], discriminatorHidden: [8] };
    default:
      return { ...common, latentDim: 4, zDim: 3, encoderHidden: [8], decoderHidden: [8], classifierHidden: [8], generatorHidden: [8], discriminatorHidden: [8], fidelityRows: 12 };
  }
}

/** The synthetic problem of the fingerprint tests. */
export function smallProblem(): Dataset {
  return smallData({ k: 3, d: 6, perClass: [20, 14, 9] });
}

/** Variants recorded besides the defaults: other update orders, real BatchNorm, fixed mu. */
export const SMALL_VARIANTS: Record<string, [TrajectoryMethod, Record<string, unknown>]> = {
  'adan-variant': ['adan', { updates: 'sequential', batchNorm: 'batch', classWeights: 'nmax' }],
  'wadan-variant': ['wadan', { batchNorm: 'batch', mu: 'fixed', gpPower: 10 }],
};

/** Every fingerprint the tests compare: the small problem (tiny networks, 3 epochs) and EmoDB IS11 fold 1 (paper defaults, 2 epochs). */
export async function recordAll(emodbTrain?: Dataset): Promise<Record<string, Fingerprint>> {
  const train = smallProblem();
  const out: Record<string, Fingerprint> = {};
  for (const m of TRAJECTORY_METHODS) out[`small/${m}`] = await trainAndFingerprint(m, tinySettings(m), train);
  for (const [name, [m, extra]] of Object.entries(SMALL_VARIANTS)) out[`small/${name}`] = await trainAndFingerprint(m, { ...tinySettings(m), ...extra }, train);
  if (emodbTrain) for (const m of TRAJECTORY_METHODS) out[`emodb/${m}`] = await trainAndFingerprint(m, { epochs: 2, seed: 0 }, emodbTrain);
  return out;
}

// `node dist/test/augment-trajectory-cases.js --record` prints the fingerprints of the code at
// hand (as JSON); that is how the literals in augment-trajectory.test.ts were obtained.
if (require.main === module && process.argv.includes('--record')) {
  (async () => {
    console.error((await initBackend()).summary);
    const [fold] = splitFolds(loadDataset('emodb-is11'), [1]);
    console.log(JSON.stringify(await recordAll(fold.train), null, 1));
  })();
}
