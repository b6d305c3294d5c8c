/**
 * The benchmark's WADAN: the real networks and iteration of src/augment (`buildAdanNets`,
 * `trainWadanOneStep`: C, D x dTimes with the gradient penalty, R and E in one pass, G; one Adam
 * per part) at SPEC.md's sizes (E and R 800-800, latent 100, C 400-400, G and D 100-100,
 * batch 128, d_times 2), on random data instead of a dataset, so that what is timed is what an
 * augmenter's fit runs, without its per-epoch bookkeeping (history, label fidelity).
 */
import { tf } from '../src/backend/tf';
import { Random } from '../src/util/random';
import { buildAdanNets, type AdanNets, type AdanSizes } from '../src/augment/latent';
import { trainWadanOneStep } from '../src/augment/wadan';
import type { AdanOptimizers } from '../src/augment/adan';
import { uniquePrefix } from '../src/augment/nets';
import { adam } from '../src/augment/optim';

/** Sizes and settings (defaults: the paper's WADAN on EmoDB IS11, 4354 features, 7 classes). */
export interface WadanShapeOptions {
  inputDim: number;
  classes: number;
  /** Hidden width of E and R. */
  hidden: number;
  /** M, the latent size. */
  latent: number;
  /** Hidden width of C. */
  classifierHidden: number;
  /** Hidden width of G and D. */
  adversaryHidden: number;
  zDim: number;
  batchSize: number;
  dTimes: number;
  lambda: number;
  gpPower: number;
  alpha: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  seed: number;
}

export const WADAN_SHAPE_DEFAULTS: Readonly<WadanShapeOptions> = {
  inputDim: 4354,
  classes: 7,
  hidden: 800,
  latent: 100,
  classifierHidden: 400,
  adversaryHidden: 100,
  zDim: 100,
  batchSize: 128,
  dTimes: 2,
  lambda: 10,
  gpPower: 5,
  alpha: 0.1,
  learningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  epsilon: 1e-5,
  seed: 0,
};

/** Losses of one iteration (the last D update's for D). */
export interface WadanShapedLosses {
  c: number;
  d: number;
  r: number;
  g: number;
}

/** The five networks of the real WADAN (src/augment) and their optimizers; `step` runs one iteration. */
export class WadanShapedNet {
  readonly options: WadanShapeOptions;
  private readonly rng: Random;
  readonly nets: AdanNets;
  private readonly opt: AdanOptimizers;

  constructor(options: Partial<WadanShapeOptions> = {}) {
    const o = (this.options = { ...WADAN_SHAPE_DEFAULTS, ...options });
    this.rng = new Random(o.seed);
    const sizes: AdanSizes = {
      inputDim: o.inputDim,
      classes: o.classes,
      latentDim: o.latent,
      zDim: o.zDim,
      encoderHidden: [o.hidden, o.hidden],
      decoderHidden: [o.hidden, o.hidden],
      classifierHidden: [o.classifierHidden, o.classifierHidden],
      generatorHidden: [o.adversaryHidden, o.adversaryHidden],
      discriminatorHidden: [o.adversaryHidden, o.adversaryHidden],
      batchNorm: 'fixed',
    };
    this.nets = buildAdanNets(sizes, this.rng.derive('init'), uniquePrefix('bench'));
    const settings = { learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon };
    this.opt = { E: adam(settings), R: adam(settings), C: adam(settings), G: adam(settings), D: adam(settings) };
  }

  /** One iteration on a batch (x: batch x inputDim in [-1, 1], y: batch x classes one-hot). */
  step(x: tf.Tensor2D, y: tf.Tensor2D): WadanShapedLosses {
    const o = this.options;
    const n = x.shape[0];
    const batch = {
      x,
      y,
      w: tf.ones([n]) as tf.Tensor1D,
      z: tf.tensor2d(this.rng.normalArray(n * o.zDim), [n, o.zDim]),
      mu: tf.tensor2d(this.rng.uniformArray(n), [n, 1]),
    };
    const l = trainWadanOneStep(this.nets, this.opt, batch, { alpha: o.alpha, dTimes: o.dTimes, lambda: o.lambda, gpPower: o.gpPower });
    const all = tf.stack([l.C, l.D, l.R, l.G]);
    const [c, d, r, g] = all.dataSync();
    tf.dispose([all, batch.w, batch.z, batch.mu, ...Object.values(l)]);
    return { c, d, r, g };
  }

  /** Free all variables and optimizer state. */
  dispose(): void {
    for (const net of Object.values(this.nets)) net.dispose();
    for (const o of Object.values(this.opt)) o.dispose();
  }
}

/** Random rows in [-1, 1] with class labels (the benchmark's stand-in for a scaled training fold). */
export function randomFold(rows: number, dims: number, classes: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Random(seed);
  const x = rng.uniformArray(rows * dims, -1, 1);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) y[i] = rng.int(classes);
  return { x, y };
}

/**
 * One epoch over a fold: shuffle, full batches only (the authors' code drops the remainder, so
 * 480 rows make 3 iterations of 128), a step per batch. Returns the last iteration's losses.
 */
export function trainEpoch(net: WadanShapedNet, fold: { x: Float32Array; y: Int32Array }, rng: Random): WadanShapedLosses[] {
  const { inputDim: d, classes, batchSize } = net.options;
  const rows = fold.y.length;
  const order = rng.permutation(rows);
  const out: WadanShapedLosses[] = [];
  const xb = new Float32Array(batchSize * d);
  const yb = new Int32Array(batchSize);
  for (let start = 0; start + batchSize <= rows; start += batchSize) {
    for (let i = 0; i < batchSize; i++) {
      const r = order[start + i];
      xb.set(fold.x.subarray(r * d, (r + 1) * d), i * d);
      yb[i] = fold.y[r];
    }
    const x = tf.tensor2d(xb, [batchSize, d]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(yb, 'int32'), classes).toFloat() as tf.Tensor2D);
    out.push(net.step(x, y));
    tf.dispose([x, y]);
  }
  return out;
}
