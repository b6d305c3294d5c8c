/**
 * GAN in the original feature space (Section III-A), the paper's first baseline, with the
 * minimax losses (Eq. 1: G minimises log(1 - D(G(z)))) or the non-saturating ones (Eq. 2-3:
 * G minimises -log D(G(z))). D always minimises Eq. 2.
 *
 * Eq. 1 has no label input, so to produce rows of a requested emotion we train one GAN per
 * class on that class's rows (the paper does not say how it labelled GAN output); `sample`
 * draws each row from its class's generator. History: D and G averaged over the classes.
 *
 * Sizes (the paper gives none): G z (100) -> 256 -> 256 -> dim(x), tanh; D dim(x) -> 256 ->
 * 256 -> 1; LeakyReLU(0.2), no BatchNorm. Justification: each per-class GAN sees only 50-130
 * rows (EmoDB), and K such pairs on IS11's 4,354 features hold about 2.4 M parameters each,
 * so all K together are of the order of ADAN's encoder plus decoder (about 8 M).
 * One D update per iteration (dTimes 1), the standard GAN recipe.
 */
import { tf } from '../backend/tf';
import type { GanEpoch } from './augmenter';
import type { Random } from '../util/random';
import { bceWithLogits, logOneMinusSigmoid } from './losses';
import { Mlp } from './nets';
import { NEURAL_DEFAULTS, NeuralAugmenter, gatherBatch, inChunks, normalNoise, validateNeural, type FitData, type NeuralOptions } from './neural';
import { tidyToArray } from './neural';
import { checkInt, checkLayers, checkOneOf } from './options';
import { meanLosses } from './latent';

export type GanLoss = 'minimax' | 'nonsaturating';

export interface GanOptions extends NeuralOptions {
  /** Generator loss: 'minimax' (Eq. 1, Fig. 3a) or 'nonsaturating' (Eq. 3, Fig. 3b; default). */
  loss: GanLoss;
  /** Size of the noise z ~ N(0, I). Default 100 (as ADAN's z). */
  zDim: number;
  /** Hidden layers of each generator. Default [256, 256] (see the file comment). */
  generatorHidden: number[];
  /** Hidden layers of each discriminator. Default [256, 256]. */
  discriminatorHidden: number[];
}

export const GAN_DEFAULTS: Readonly<GanOptions> = {
  ...NEURAL_DEFAULTS,
  dTimes: 1,
  loss: 'nonsaturating',
  zDim: 100,
  generatorHidden: [256, 256],
  discriminatorHidden: [256, 256],
};

export interface GanNets {
  G: Mlp;
  D: Mlp;
}

export interface GanBatch {
  /** Real scaled rows [m, d]. */
  x: tf.Tensor2D;
  /** Noise [m, zDim]. */
  z: tf.Tensor2D;
}

/** Eq. 2: -mean log D(x) - mean log(1 - D(G(z))). */
export function ganDiscriminatorLoss(D: Mlp, real: tf.Tensor2D, fake: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.add(bceWithLogits(D.apply(real, true), 1), bceWithLogits(D.apply(fake, true), 0)) as tf.Scalar);
}

/** Eq. 1's generator term mean log(1 - D(G(z))) ('minimax') or Eq. 3's -mean log D(G(z)) ('nonsaturating'). */
export function ganGeneratorLoss(D: Mlp, fake: tf.Tensor2D, loss: GanLoss): tf.Scalar {
  return tf.tidy(() => {
    const logits = D.apply(fake, true);
    return loss === 'minimax' ? logOneMinusSigmoid(logits) : bceWithLogits(logits, 1);
  });
}

/** One GAN iteration: D x dTimes (Eq. 2), then G (Eq. 1 or 3). Caller disposes the losses. */
export function trainGanOneStep(nets: GanNets, opt: { G: tf.Optimizer; D: tf.Optimizer }, batch: GanBatch, s: { dTimes: number; loss: GanLoss }): { D: tf.Scalar; G: tf.Scalar } {
  return tf.tidy(() => {
    const fake = nets.G.apply(batch.z, true);
    let D!: tf.Scalar;
    for (let t = 0; t < s.dTimes; t++) D = opt.D.minimize(() => ganDiscriminatorLoss(nets.D, batch.x, fake), true, nets.D.trainable())!;
    const G = opt.G.minimize(() => ganGeneratorLoss(nets.D, nets.G.apply(batch.z, true), s.loss), true, nets.G.trainable())!;
    return { D, G };
  });
}

export class Gan extends NeuralAugmenter<GanOptions, GanEpoch> {
  readonly method = 'gan' as const;
  private classRows?: Int32Array[];

  constructor(options?: Partial<GanOptions>) {
    super('gan', GAN_DEFAULTS, options);
  }

  protected validate(o: GanOptions): void {
    validateNeural('gan', o);
    checkOneOf('gan.loss', o.loss, ['minimax', 'nonsaturating'] as const);
    checkInt('gan.zDim', o.zDim, 1);
    checkLayers('gan.generatorHidden', o.generatorHidden);
    checkLayers('gan.discriminatorHidden', o.discriminatorHidden);
  }

  /** Networks G<k>, D<k> for each class k with training rows. */
  protected buildNets(rng: Random): Record<string, Mlp> {
    const meta = this.meta!;
    const s = this.settings;
    const nets: Record<string, Mlp> = {};
    meta.classes.forEach((_, k) => {
      if (meta.counts[k] === 0) return;
      nets[`G${k}`] = new Mlp({ name: `G${k}`, input: s.zDim, hidden: s.generatorHidden, output: meta.d, batchNorm: 'none', activation: 'tanh' }, rng.derive(`G${k}`), this.prefix);
      nets[`D${k}`] = new Mlp({ name: `D${k}`, input: meta.d, hidden: s.discriminatorHidden, output: 1, batchNorm: 'none', activation: 'linear' }, rng.derive(`D${k}`), this.prefix);
    });
    return nets;
  }

  protected override beginFit(data: FitData): void {
    this.classRows = Array.from({ length: data.k }, (_, k) => Int32Array.from(Array.from(data.labels).flatMap((l, i) => (l === k ? [i] : []))));
  }

  protected trainEpoch(_epoch: number, rng: Random, data: FitData): Omit<GanEpoch, 'epoch' | 'seconds'> {
    const s = this.settings;
    const perClass: Record<string, number>[] = [];
    this.classRows!.forEach((rows, k) => {
      if (rows.length === 0) return;
      const crng = rng.derive(`class${k}`);
      const perm = crng.permutation(rows.length);
      const m = Math.min(s.batchSize, rows.length);
      const steps: ReturnType<typeof trainGanOneStep>[] = [];
      for (let it = 0; it < Math.floor(rows.length / m); it++) {
        const index = Int32Array.from(perm.subarray(it * m, (it + 1) * m), (p) => rows[p]);
        const { x, y, w } = gatherBatch(data, index);
        tf.dispose([y, w]);
        const z = normalNoise(crng, m, s.zDim);
        steps.push(trainGanOneStep({ G: this.nets[`G${k}`], D: this.nets[`D${k}`] }, { G: this.optimizers[`G${k}`], D: this.optimizers[`D${k}`] }, { x, z }, s));
        tf.dispose([x, z]);
      }
      perClass.push(meanLosses(steps));
    });
    const keys = Object.keys(perClass[0] ?? {});
    return Object.fromEntries(keys.map((key) => [key, perClass.reduce((a, r) => a + r[key as keyof typeof r], 0) / perClass.length])) as Omit<GanEpoch, 'epoch' | 'seconds'>;
  }

  protected generate(labels: Int32Array, rng: Random): Float32Array {
    const d = this.meta!.d;
    const zDim = this.settings.zDim;
    const z = rng.normalArray(labels.length * zDim); // row i's noise is z[i], whatever the class order
    const out = new Float32Array(labels.length * d);
    for (const k of new Set(labels)) {
      const G = this.nets[`G${k}`];
      if (!G) throw new Error(`gan: class ${this.meta!.classes[k]} had no training rows, so it has no generator`);
      const rows = Array.from(labels).flatMap((l, i) => (l === k ? [i] : []));
      const zk = new Float32Array(rows.length * zDim);
      rows.forEach((i, r) => zk.set(z.subarray(i * zDim, (i + 1) * zDim), r * zDim));
      const xk = inChunks(rows.length, 1024, (s, e) => tidyToArray(() => G.apply(tf.tensor2d(zk.subarray(s * zDim, e * zDim), [e - s, zDim]), false)));
      rows.forEach((i, r) => out.set(xk.subarray(r * d, (r + 1) * d), i * d));
    }
    return out;
  }
}

/** `new Gan(options)`, for notebooks. */
export function gan(options?: Partial<GanOptions>): Gan {
  return new Gan(options);
}
