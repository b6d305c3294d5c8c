/**
 * Adversarial autoencoder (Section III-C, Eq. 7-9; Makhzani et al., the paper's [38]) with a
 * 2-D Gaussian-mixture prior, one component per emotion (Section V-A, following [23], [38]).
 *
 * To tie component k to emotion k, the discriminator also gets the one-hot label (Makhzani's
 * way of putting label information into the adversarial regularisation): real pairs are
 * [z ~ component y, y], fake pairs [E(x), y(x)]. `sample` draws z from the requested emotion's
 * component and returns R(z).
 *
 * Prior: component k is N(m_k, priorStd^2 I) with m_k = priorRadius (cos 2 pi k / K,
 * sin 2 pi k / K): means evenly on a circle, radius 2 and std 0.5 by default, so neighbouring
 * components of EmoDB's 7 are about 3.5 std apart.
 *
 * Sizes (the paper gives none): E x -> 800 -> 800 -> 2 (linear: the prior is unbounded),
 * R 2 -> 800 -> 800 -> dim(x) (tanh), with LeakyReLU and BatchNorm as ADAN's E and R; D
 * [z, y] -> 100 -> 100 -> 1 as ADAN's D. The AAE is ADAN's autoencoder with a fixed prior
 * instead of a learned generator, which is the comparison the paper draws.
 *
 * Losses: D minimises Eq. 7; E minimises Eq. 8 + Eq. 9 (adversarial and reconstruction: the
 * paper trains E and R "also" on the reconstruction error); R minimises Eq. 9.
 * Order per iteration: D x dTimes, R, E (as ADAN).
 */
import { tf } from '../backend/tf';
import type { AaeEpoch } from './augmenter';
import { Random } from '../util/random';
import { bceWithLogits, reconstructionLoss } from './losses';
import { Mlp, BATCH_NORM_MODES, type BatchNormMode } from './nets';
import { NEURAL_DEFAULTS, NeuralAugmenter, gatherBatch, inChunks, validateNeural, type FitData, type NeuralOptions } from './neural';
import { tidyToArray } from './neural';
import { checkLayers, checkNumber, checkOneOf } from './options';
import { epochBatches, meanLosses } from './latent';
import { checkLabels } from './synthetic-rows';

export interface AaeOptions extends NeuralOptions {
  /** Hidden layers of the encoder E (x -> ... -> 2). Default [800, 800] (ADAN's E). */
  encoderHidden: number[];
  /** Hidden layers of the decoder R (2 -> ... -> dim(x)). Default [800, 800]. */
  decoderHidden: number[];
  /** Hidden layers of the discriminator D ([z, y] -> ... -> 1). Default [100, 100]. */
  discriminatorHidden: number[];
  /** BatchNorm in E and R, as ADAN's option. Default 'fixed'. */
  batchNorm: BatchNormMode;
  /** Radius of the circle of component means. Default 2. */
  priorRadius: number;
  /** Standard deviation of each component. Default 0.5. */
  priorStd: number;
}

export const AAE_DEFAULTS: Readonly<AaeOptions> = {
  ...NEURAL_DEFAULTS,
  dTimes: 1,
  encoderHidden: [800, 800],
  decoderHidden: [800, 800],
  discriminatorHidden: [100, 100],
  batchNorm: 'fixed',
  priorRadius: 2,
  priorStd: 0.5,
};

/** The latent (prior) dimension: 2, as in the paper. */
export const AAE_LATENT_DIM = 2;

export interface AaeNets {
  E: Mlp;
  R: Mlp;
  D: Mlp;
}

/** Scaled rows x [m, d], one-hot y [m, K], prior draws zPrior [m, 2] from the components of y. */
export interface AaeBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  zPrior: tf.Tensor2D;
}

/** Draws from the prior's components `labels` (row-major m x 2). */
export function samplePrior(labels: Int32Array, k: number, radius: number, std: number, rng: Random): Float32Array {
  const out = new Float32Array(labels.length * 2);
  labels.forEach((l, i) => {
    const a = (2 * Math.PI * l) / k;
    out[2 * i] = radius * Math.cos(a) + std * rng.normal();
    out[2 * i + 1] = radius * Math.sin(a) + std * rng.normal();
  });
  return out;
}

/** Eq. 7 (label-informed): -mean log D([z, y]) - mean log(1 - D([E(x), y])). */
export function aaeDiscriminatorLoss(D: Mlp, zPrior: tf.Tensor2D, h: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.add(bceWithLogits(D.apply(tf.concat([zPrior, y], 1), true), 1), bceWithLogits(D.apply(tf.concat([h, y], 1), true), 0)) as tf.Scalar);
}

/** One AAE iteration: D x dTimes (Eq. 7), R (Eq. 9), E (Eq. 8 + Eq. 9). Returns D, E (Eq. 8 part), R. */
export function trainAaeOneStep(nets: AaeNets, opt: Record<keyof AaeNets, tf.Optimizer>, batch: AaeBatch, s: { dTimes: number }): { D: tf.Scalar; E: tf.Scalar; R: tf.Scalar } {
  const momentsE: tf.Tensor[] = [];
  const momentsR: tf.Tensor[] = [];
  const out = tf.tidy(() => {
    const { x, y, zPrior } = batch;
    const h = nets.E.apply(x, true);
    let D!: tf.Scalar;
    for (let t = 0; t < s.dTimes; t++) D = opt.D.minimize(() => aaeDiscriminatorLoss(nets.D, zPrior, h, y), true, nets.D.trainable())!;
    const R = opt.R.minimize(() => reconstructionLoss(x, nets.R.apply(h, true, momentsR)), true, nets.R.trainable())!;
    let adversarial: tf.Scalar | undefined;
    opt.E.minimize(() => {
      const h2 = nets.E.apply(x, true, momentsE);
      const adv = bceWithLogits(nets.D.apply(tf.concat([h2, y], 1), true), 1); // Eq. 8
      adversarial = tf.keep(adv);
      return tf.add(adv, reconstructionLoss(x, nets.R.apply(h2, true))) as tf.Scalar;
    }, false, nets.E.trainable());
    const E = adversarial!.clone();
    adversarial!.dispose();
    return { D, E, R };
  });
  nets.E.updateMovingStats(momentsE);
  nets.R.updateMovingStats(momentsR);
  return out;
}

export class Aae extends NeuralAugmenter<AaeOptions, AaeEpoch> {
  readonly method = 'aae' as const;

  constructor(options?: Partial<AaeOptions>) {
    super('aae', AAE_DEFAULTS, options);
  }

  protected validate(o: AaeOptions): void {
    validateNeural('aae', o);
    checkLayers('aae.encoderHidden', o.encoderHidden);
    checkLayers('aae.decoderHidden', o.decoderHidden);
    checkLayers('aae.discriminatorHidden', o.discriminatorHidden);
    checkOneOf('aae.batchNorm', o.batchNorm, BATCH_NORM_MODES);
    checkNumber('aae.priorRadius', o.priorRadius, 0);
    checkNumber('aae.priorStd', o.priorStd, 0, Infinity, true);
  }

  protected buildNets(rng: Random): Record<string, Mlp> {
    const { d, classes } = this.meta!;
    const s = this.settings;
    return {
      E: new Mlp({ name: 'E', input: d, hidden: s.encoderHidden, output: AAE_LATENT_DIM, batchNorm: s.batchNorm, activation: 'linear' }, rng.derive('E'), this.prefix),
      R: new Mlp({ name: 'R', input: AAE_LATENT_DIM, hidden: s.decoderHidden, output: d, batchNorm: s.batchNorm, activation: 'tanh' }, rng.derive('R'), this.prefix),
      D: new Mlp({ name: 'D', input: AAE_LATENT_DIM + classes.length, hidden: s.discriminatorHidden, output: 1, batchNorm: 'none', activation: 'linear' }, rng.derive('D'), this.prefix),
    };
  }

  protected trainEpoch(_epoch: number, rng: Random, data: FitData): Omit<AaeEpoch, 'epoch' | 'seconds'> {
    const s = this.settings;
    const steps: ReturnType<typeof trainAaeOneStep>[] = [];
    for (const index of epochBatches(data, rng)) {
      const { x, y, w } = gatherBatch(data, index);
      const labels = Int32Array.from(index, (i) => data.labels[i]);
      const zPrior = tf.tensor2d(samplePrior(labels, data.k, s.priorRadius, s.priorStd, rng), [index.length, AAE_LATENT_DIM]);
      steps.push(trainAaeOneStep(this.nets as unknown as AaeNets, this.optimizers as Record<keyof AaeNets, tf.Optimizer>, { x, y, zPrior }, s));
      tf.dispose([x, y, w, zPrior]);
    }
    return meanLosses(steps);
  }

  protected generate(labels: Int32Array, rng: Random): Float32Array {
    const s = this.settings;
    const z = samplePrior(labels, this.meta!.classes.length, s.priorRadius, s.priorStd, rng);
    const { R } = this.nets;
    return inChunks(labels.length, 1024, (a, b) => tidyToArray(() => R.apply(tf.tensor2d(z.subarray(2 * a, 2 * b), [b - a, 2]), false)));
  }

  /** Prior draws for `labels` (row-major m x 2); the same seed gives the latent rows `sample` decodes. */
  sampleLatent(labels: ArrayLike<number>, options: { seed?: number } = {}): Float32Array {
    const meta = this.fitted('sampleLatent');
    const rng = options.seed !== undefined ? new Random(options.seed) : new Random(this.settings.seed).derive('latent');
    return samplePrior(checkLabels('aae', labels, meta.classes), meta.classes.length, this.settings.priorRadius, this.settings.priorStd, rng);
  }

  /** E(x) of a dataset or raw rows (original scale), row-major n x 2. */
  encode(x: { x: Float32Array } | Float32Array): Float32Array {
    const meta = this.fitted('encode');
    const raw = x instanceof Float32Array ? x : x.x;
    const scaled = this.scaler!.transform(raw);
    const n = scaled.length / meta.d;
    const { E } = this.nets;
    return inChunks(n, 1024, (s, e) => tidyToArray(() => E.apply(tf.tensor2d(scaled.subarray(s * meta.d, e * meta.d), [e - s, meta.d]), false)));
  }
}

/** `new Aae(options)`, for notebooks. */
export function aae(options?: Partial<AaeOptions>): Aae {
  return new Aae(options);
}
