/**
 * Conditional GAN (Section III-B, Eq. 5-6): G([z, y]) -> x, D([x, y]) -> real/fake, trained
 * with the non-saturating losses; `sample` feeds the requested one-hot labels to G.
 *
 * Sizes (the paper gives none): G [z (100), y] -> 800 -> 800 -> dim(x), tanh; D [x, y] -> 800
 * -> 800 -> 1; LeakyReLU(0.2), no BatchNorm. Justification: 800 is what the paper uses for the
 * layers of ADAN that touch the feature space (E and R), so cGAN gets the same capacity there
 * (about 8 M parameters on IS11, like ADAN's E plus R). One D update per iteration (dTimes 1).
 */
import { tf } from '../backend/tf';
import type { CganEpoch } from './augmenter';
import type { Random } from '../util/random';
import { bceWithLogits } from './losses';
import { Mlp } from './nets';
import { NEURAL_DEFAULTS, NeuralAugmenter, gatherBatch, inChunks, normalNoise, oneHot, validateNeural, type FitData, type NeuralOptions } from './neural';
import { tidyToArray } from './neural';
import { checkInt, checkLayers } from './options';
import { epochBatches, meanLosses } from './latent';

export interface CganOptions extends NeuralOptions {
  /** Size of the noise z ~ N(0, I). Default 100. */
  zDim: number;
  /** Hidden layers of G. Default [800, 800]. */
  generatorHidden: number[];
  /** Hidden layers of D. Default [800, 800]. */
  discriminatorHidden: number[];
}

export const CGAN_DEFAULTS: Readonly<CganOptions> = {
  ...NEURAL_DEFAULTS,
  dTimes: 1,
  zDim: 100,
  generatorHidden: [800, 800],
  discriminatorHidden: [800, 800],
};

export interface CganNets {
  G: Mlp;
  D: Mlp;
}

/** Real rows x [m, d] with one-hot labels y [m, K], and noise z [m, zDim]. */
export interface CganBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  z: tf.Tensor2D;
}

/** Eq. 5: -mean log D([x, y]) - mean log(1 - D([G([z, y]), y])). */
export function cganDiscriminatorLoss(D: Mlp, x: tf.Tensor2D, fake: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.add(bceWithLogits(D.apply(tf.concat([x, y], 1), true), 1), bceWithLogits(D.apply(tf.concat([fake, y], 1), true), 0)) as tf.Scalar);
}

/** Eq. 6: -mean log D([G([z, y]), y]). */
export function cganGeneratorLoss(nets: CganNets, z: tf.Tensor2D, y: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => bceWithLogits(nets.D.apply(tf.concat([nets.G.apply(tf.concat([z, y], 1), true), y], 1), true), 1));
}

/** One cGAN iteration: D x dTimes (Eq. 5), then G (Eq. 6). Caller disposes the losses. */
export function trainCganOneStep(nets: CganNets, opt: { G: tf.Optimizer; D: tf.Optimizer }, batch: CganBatch, s: { dTimes: number }): { D: tf.Scalar; G: tf.Scalar } {
  return tf.tidy(() => {
    const fake = nets.G.apply(tf.concat([batch.z, batch.y], 1), true);
    let D!: tf.Scalar;
    for (let t = 0; t < s.dTimes; t++) D = opt.D.minimize(() => cganDiscriminatorLoss(nets.D, batch.x, fake, batch.y), true, nets.D.trainable())!;
    const G = opt.G.minimize(() => cganGeneratorLoss(nets, batch.z, batch.y), true, nets.G.trainable())!;
    return { D, G };
  });
}

export class Cgan extends NeuralAugmenter<CganOptions, CganEpoch> {
  readonly method = 'cgan' as const;

  constructor(options?: Partial<CganOptions>) {
    super('cgan', CGAN_DEFAULTS, options);
  }

  protected validate(o: CganOptions): void {
    validateNeural('cgan', o);
    checkInt('cgan.zDim', o.zDim, 1);
    checkLayers('cgan.generatorHidden', o.generatorHidden);
    checkLayers('cgan.discriminatorHidden', o.discriminatorHidden);
  }

  protected buildNets(rng: Random): Record<string, Mlp> {
    const { d, classes } = this.meta!;
    const s = this.settings;
    const k = classes.length;
    return {
      G: new Mlp({ name: 'G', input: s.zDim + k, hidden: s.generatorHidden, output: d, batchNorm: 'none', activation: 'tanh' }, rng.derive('G'), this.prefix),
      D: new Mlp({ name: 'D', input: d + k, hidden: s.discriminatorHidden, output: 1, batchNorm: 'none', activation: 'linear' }, rng.derive('D'), this.prefix),
    };
  }

  protected trainEpoch(_epoch: number, rng: Random, data: FitData): Omit<CganEpoch, 'epoch' | 'seconds'> {
    const nets = this.nets as unknown as CganNets;
    const steps: ReturnType<typeof trainCganOneStep>[] = [];
    for (const index of epochBatches(data, rng)) {
      const { x, y, w } = gatherBatch(data, index);
      const z = normalNoise(rng, index.length, this.settings.zDim);
      steps.push(trainCganOneStep(nets, this.optimizers as { G: tf.Optimizer; D: tf.Optimizer }, { x, y, z }, this.settings));
      tf.dispose([x, y, w, z]);
    }
    return meanLosses(steps);
  }

  protected generate(labels: Int32Array, rng: Random): Float32Array {
    const zDim = this.settings.zDim;
    const k = this.meta!.classes.length;
    const z = rng.normalArray(labels.length * zDim);
    const { G } = this.nets;
    return inChunks(labels.length, 1024, (s, e) =>
      tidyToArray(() => G.apply(tf.concat([tf.tensor2d(z.subarray(s * zDim, e * zDim), [e - s, zDim]), oneHot(labels.subarray(s, e), k)], 1), false)),
    );
  }
}

/** `new Cgan(options)`, for notebooks. */
export function cgan(options?: Partial<CganOptions>): Cgan {
  return new Cgan(options);
}
