/**
 * What ADAN and WADAN share (Fig. 1): the encoder E, decoder R, auxiliary classifier C,
 * generator G and discriminator D, their sizes, the label-fidelity measure, `encode` and
 * `sampleLatent`. The two differ only in the discriminator loss (Eq. 10 vs Eq. 17), the
 * generator loss (Eq. 14 vs Eq. 18) and the update order; see adan.ts and wadan.ts.
 */
import { tf } from '../backend/tf';
import type { Dataset } from '../data/dataset';
import { Random } from '../util/random';
import { OptionError } from '../util/errors';
import { Mlp, BATCH_NORM_MODES, type BatchNormMode } from './nets';
import { NEURAL_DEFAULTS, NeuralAugmenter, inChunks, normalNoise, oneHot, validateClassWeights, validateNeural, type FitData, type NeuralOptions } from './neural';
import { tidyToArray } from './neural';
import { checkInt, checkLayers, checkNumber, checkOneOf } from './options';
import { checkLabels } from './synthetic-rows';
import type { ClassWeightMode } from './losses';
import type { EpochRecord } from './augmenter';

/** Settings ADAN and WADAN share. Defaults: the paper (Section IV-D) and the authors' code. */
export interface LatentOptions extends NeuralOptions {
  /** M, the size of the latent vectors h = E(x) and G(z, y). Paper: 100. */
  latentDim: number;
  /** Size of the random vector z ~ N(0, I) fed to G with the one-hot label. Paper: 100. */
  zDim: number;
  /** Hidden layers of the encoder E (x -> ... -> M, tanh). Paper/code: [800, 800]. */
  encoderHidden: number[];
  /** Hidden layers of the decoder R (h -> ... -> dim(x), tanh). Paper/code: [800, 800]. */
  decoderHidden: number[];
  /** Hidden layers of the auxiliary classifier C (h -> ... -> K, softmax). Code: [400, 400] (the paper says 100). */
  classifierHidden: number[];
  /** Hidden layers of the generator G ([z, y] -> ... -> M, tanh). Paper/code: [100, 100]. */
  generatorHidden: number[];
  /** Hidden layers of the discriminator D (h -> ... -> 1). Paper/code: [100, 100]. */
  discriminatorHidden: number[];
  /**
   * How R, E (and, in ADAN, C and G) are updated after D within an iteration: 'grouped'
   * (default: the authors' code, `tf.group` of their optimizers: every part's gradient at the
   * same weights, from one forward pass) or 'sequential' (Algorithm 1 read literally: one update
   * after another, each seeing the ones before; E's loss then uses the updated R and C).
   */
  updates: 'grouped' | 'sequential';
  /** BatchNorm in E and R: 'fixed' (default: the authors' code, a learnable scale and shift on fixed statistics), 'batch' (real batch statistics) or 'none'. See nets.ts. */
  batchNorm: BatchNormMode;
  /** alpha, weight of the classification term in the generator loss (Eq. 14, Eq. 18). Paper: 1 for EmoDB and improvised IEMOCAP, 0.1 for all of IEMOCAP. */
  alpha: number;
  /** Class weights in the classification losses (Eq. 11): 'none' (default, balanced use), 'nmax' (n_max / n_k, Section IV-D), 'nmax-floor' (the code's floor(n_max / n_k)) or one weight per class. */
  classWeights: ClassWeightMode;
  /**
   * Label fidelity, recorded at the epochs `fidelityEvery` picks: on this many synthetic rows
   * R(G(z, y)) (labels cycling through the classes, the same z every time), `labelFidelity` is
   * the share that the auxiliary classifier C(E(.)) assigns to the requested label, and
   * `labelFidelityCentroid` the share whose nearest class centroid of the real (scaled) training
   * rows is the requested label. Chance is 1/K. 0 turns the measure off. Default 256.
   */
  fidelityRows: number;
  /**
   * Label fidelity is measured at epoch 1, every `fidelityEvery`-th epoch and epoch `epochs`
   * (the last, unless ADAN stops early); the other records have no fidelity fields (nor ADAN's
   * pReal, unless its early-stop rule needs it). Each measurement runs R and E forward on
   * `fidelityRows` rows (on EmoDB about a sixth of an epoch's training) and draws no random
   * numbers, so training is the same for every value. 1 = every epoch. Default 10 (151 points
   * over the paper's 1,500 epochs).
   */
  fidelityEvery: number;
}

export const LATENT_DEFAULTS: Readonly<LatentOptions> = {
  ...NEURAL_DEFAULTS,
  latentDim: 100,
  zDim: 100,
  encoderHidden: [800, 800],
  decoderHidden: [800, 800],
  classifierHidden: [400, 400],
  generatorHidden: [100, 100],
  discriminatorHidden: [100, 100],
  batchNorm: 'fixed',
  updates: 'grouped',
  alpha: 1,
  classWeights: 'none',
  fidelityRows: 256,
  fidelityEvery: 10,
};

/** The five networks of Fig. 1. */
export interface AdanNets {
  E: Mlp;
  R: Mlp;
  C: Mlp;
  G: Mlp;
  D: Mlp;
}

/** Sizes needed to build the networks. */
export interface AdanSizes {
  inputDim: number;
  classes: number;
  latentDim: number;
  zDim: number;
  encoderHidden: readonly number[];
  decoderHidden: readonly number[];
  classifierHidden: readonly number[];
  generatorHidden: readonly number[];
  discriminatorHidden: readonly number[];
  batchNorm: BatchNormMode;
}

/** E: x -> hidden (LeakyReLU, BatchNorm) -> M, tanh. */
export function buildEncoder(s: AdanSizes, rng: Random, prefix: string): Mlp {
  return new Mlp({ name: 'E', input: s.inputDim, hidden: s.encoderHidden, output: s.latentDim, batchNorm: s.batchNorm, activation: 'tanh' }, rng, prefix);
}
/** R: h -> hidden (LeakyReLU, BatchNorm) -> dim(x), tanh (inputs are max-abs scaled into [-1, 1]). */
export function buildDecoder(s: AdanSizes, rng: Random, prefix: string): Mlp {
  return new Mlp({ name: 'R', input: s.latentDim, hidden: s.decoderHidden, output: s.inputDim, batchNorm: s.batchNorm, activation: 'tanh' }, rng, prefix);
}
/** C: h -> hidden (LeakyReLU) -> K logits (softmax in the loss). */
export function buildClassifier(s: AdanSizes, rng: Random, prefix: string): Mlp {
  return new Mlp({ name: 'C', input: s.latentDim, hidden: s.classifierHidden, output: s.classes, batchNorm: 'none', activation: 'linear' }, rng, prefix);
}
/** G: [z, y] -> hidden (LeakyReLU) -> M, tanh. */
export function buildGenerator(s: AdanSizes, rng: Random, prefix: string): Mlp {
  return new Mlp({ name: 'G', input: s.zDim + s.classes, hidden: s.generatorHidden, output: s.latentDim, batchNorm: 'none', activation: 'tanh' }, rng, prefix);
}
/** D: h -> hidden (LeakyReLU) -> 1 logit (sigmoid in ADAN's loss; linear critic in WADAN). */
export function buildDiscriminator(s: AdanSizes, rng: Random, prefix: string): Mlp {
  return new Mlp({ name: 'D', input: s.latentDim, hidden: s.discriminatorHidden, output: 1, batchNorm: 'none', activation: 'linear' }, rng, prefix);
}

/** All five networks, each from its own derived generator (so changing one size leaves the others' weights unchanged). */
export function buildAdanNets(s: AdanSizes, rng: Random, prefix: string): AdanNets {
  return {
    E: buildEncoder(s, rng.derive('E'), prefix),
    R: buildDecoder(s, rng.derive('R'), prefix),
    C: buildClassifier(s, rng.derive('C'), prefix),
    G: buildGenerator(s, rng.derive('G'), prefix),
    D: buildDiscriminator(s, rng.derive('D'), prefix),
  };
}

/** G(z, y) in training or inference mode: [m, zDim], [m, K] -> [m, M]. */
export function generateLatent(G: Mlp, z: tf.Tensor2D, y: tf.Tensor2D, training = true): tf.Tensor2D {
  return tf.tidy(() => G.apply(tf.concat([z, y], 1), training));
}

export function validateLatent(what: string, o: LatentOptions): void {
  validateNeural(what, o);
  checkInt(`${what}.latentDim`, o.latentDim, 1);
  checkInt(`${what}.zDim`, o.zDim, 1);
  for (const key of ['encoderHidden', 'decoderHidden', 'classifierHidden', 'generatorHidden', 'discriminatorHidden'] as const) checkLayers(`${what}.${key}`, o[key]);
  checkOneOf(`${what}.batchNorm`, o.batchNorm, BATCH_NORM_MODES);
  checkOneOf(`${what}.updates`, o.updates, ['grouped', 'sequential'] as const);
  checkNumber(`${what}.alpha`, o.alpha, 0);
  validateClassWeights(what, o.classWeights);
  checkInt(`${what}.fidelityRows`, o.fidelityRows, 0);
  checkInt(`${what}.fidelityEvery`, o.fidelityEvery, 1);
}

/** Base of Adan and Wadan: networks, fidelity, encode / sampleLatent / sample. */
export abstract class LatentAugmenter<O extends LatentOptions, R extends EpochRecord = EpochRecord> extends NeuralAugmenter<O, R> {
  private centroids?: Float32Array;
  private fidelityNoise?: { z: Float32Array; labels: Int32Array };

  /** The five networks (after fit or load). */
  get adanNets(): AdanNets {
    return this.nets as unknown as AdanNets;
  }

  protected sizes(): AdanSizes {
    const s = this.settings;
    const meta = this.meta!;
    return { inputDim: meta.d, classes: meta.classes.length, latentDim: s.latentDim, zDim: s.zDim, encoderHidden: s.encoderHidden, decoderHidden: s.decoderHidden, classifierHidden: s.classifierHidden, generatorHidden: s.generatorHidden, discriminatorHidden: s.discriminatorHidden, batchNorm: s.batchNorm };
  }

  protected buildNets(rng: Random) {
    return buildAdanNets(this.sizes(), rng, this.prefix) as unknown as Record<string, Mlp>;
  }

  protected override classWeightMode(): ClassWeightMode {
    return this.settings.classWeights;
  }

  protected override beginFit(data: FitData, root: Random): void {
    const k = data.k;
    const c = new Float32Array(k * data.d);
    for (let i = 0; i < data.n; i++) for (let j = 0; j < data.d; j++) c[data.labels[i] * data.d + j] += data.xScaled[i * data.d + j];
    for (let l = 0; l < k; l++) for (let j = 0; j < data.d; j++) c[l * data.d + j] /= Math.max(1, data.counts[l]);
    this.centroids = c;
    const m = this.settings.fidelityRows;
    const present = data.counts.map((n, l) => (n > 0 ? l : -1)).filter((l) => l >= 0);
    const labels = Int32Array.from({ length: m }, (_, i) => present[i % present.length]);
    this.fidelityNoise = { z: root.derive('fidelity').normalArray(m * this.settings.zDim), labels };
  }

  /**
   * Label fidelity of the current generator (see `fidelityRows`): shares of synthetic rows
   * R(G(z, y)) recognised as y by C(E(.)) and by the nearest real class centroid.
   */
  protected labelFidelity(data: FitData): { labelFidelity: number; labelFidelityCentroid: number } | Record<string, never> {
    const f = this.fidelityNoise;
    if (!f || f.labels.length === 0) return {};
    const { E, R, C, G } = this.adanNets;
    const m = f.labels.length;
    // nearest centroid by ||x||^2 - 2 x.c + ||c||^2 (one product; classes without rows never win)
    const present = Float32Array.from(data.counts, (n) => (n > 0 ? 0 : Infinity));
    const [predicted, nearest] = tf.tidy(() => {
      const z = tf.tensor2d(f.z, [m, this.settings.zDim]);
      const x = R.apply(generateLatent(G, z, oneHot(f.labels, data.k), false), false);
      const cen = tf.tensor2d(this.centroids!, [data.k, data.d]);
      const dist = tf.add(tf.sub(tf.sum(tf.square(x), 1, true), tf.mul(2, tf.matMul(x, cen, false, true))), tf.add(tf.sum(tf.square(cen), 1), present));
      return [tf.argMax(C.apply(E.apply(x, false), false), 1), tf.argMin(dist, 1)];
    });
    const pred = predicted.dataSync();
    const near = nearest.dataSync();
    tf.dispose([predicted, nearest]);
    let hitC = 0;
    let hitCentroid = 0;
    for (let i = 0; i < m; i++) {
      if (pred[i] === f.labels[i]) hitC++;
      if (near[i] === f.labels[i]) hitCentroid++;
    }
    return { labelFidelity: hitC / m, labelFidelityCentroid: hitCentroid / m };
  }

  /** `fidelityEvery` only decides which records carry label fidelity: a checkpoint may be resumed with another value. */
  protected override measurementOnly(): readonly string[] {
    return [...super.measurementOnly(), 'fidelityEvery'];
  }

  /** Whether 0-based `epoch` is one of `fidelityEvery`'s measuring epochs (1, every `fidelityEvery`-th, the last). */
  protected measuringEpoch(epoch: number): boolean {
    const e = epoch + 1;
    return e === 1 || e % this.settings.fidelityEvery === 0 || e === this.settings.epochs;
  }

  /** Label fidelity after 0-based `epoch` when it is due (see `fidelityEvery`), else no fields. */
  protected fidelityAt(epoch: number, data: FitData): ReturnType<LatentAugmenter<O, R>['labelFidelity']> {
    return this.measuringEpoch(epoch) ? this.labelFidelity(data) : {};
  }

  protected override endFit(): void {
    this.fidelityNoise = undefined;
  }

  protected generate(labels: Int32Array, rng: Random): Float32Array {
    const latent = this.latentRows(labels, rng);
    const M = this.settings.latentDim;
    const { R } = this.adanNets;
    return inChunks(labels.length, 1024, (s, e) =>
      tidyToArray(() => R.apply(tf.tensor2d(latent.subarray(s * M, e * M), [e - s, M]), false)),
    );
  }

  private latentRows(labels: Int32Array, rng: Random): Float32Array {
    const { G } = this.adanNets;
    const zDim = this.settings.zDim;
    const k = this.meta!.classes.length;
    const z = rng.normalArray(labels.length * zDim);
    return inChunks(labels.length, 1024, (s, e) =>
      tidyToArray(() => generateLatent(G, tf.tensor2d(z.subarray(s * zDim, e * zDim), [e - s, zDim]), oneHot(labels.subarray(s, e), k), false)),
    );
  }

  /** Latent rows G(z, y), one per label (row-major m x latentDim); the same seed gives the same rows as `sample`'s latent step. */
  sampleLatent(labels: ArrayLike<number>, options: { seed?: number } = {}): Float32Array {
    const meta = this.fitted('sampleLatent');
    const y = checkLabels(this.label, labels, meta.classes);
    return this.latentRows(y, options.seed !== undefined ? new Random(options.seed) : new Random(this.settings.seed).derive('latent'));
  }

  /** Latent rows E(x) of a dataset (or raw rows, n x d) in the original scale, row-major n x latentDim. */
  encode(x: Dataset | Float32Array): Float32Array {
    const meta = this.fitted('encode');
    const raw = x instanceof Float32Array ? x : x.x;
    if (raw.length % meta.d !== 0) throw new OptionError(`${this.label}.encode x`, `${raw.length} values`, `rows of ${meta.d} features`);
    const scaled = this.scaler!.transform(raw);
    const n = scaled.length / meta.d;
    const { E } = this.adanNets;
    return inChunks(n, 1024, (s, e) => tidyToArray(() => E.apply(tf.tensor2d(scaled.subarray(s * meta.d, e * meta.d), [e - s, meta.d]), false)));
  }
}

/** Iterations of one epoch: batches of rows in the epoch's random order. */
export function epochBatches(data: FitData, rng: Random): Int32Array[] {
  const perm = rng.permutation(data.n);
  return Array.from({ length: data.iterations }, (_, it) => perm.subarray(it * data.batch, (it + 1) * data.batch));
}

/** Mean of each named scalar over the iterations of an epoch (one GPU/CPU sync per epoch). */
export function meanLosses<K extends string>(steps: Record<K, tf.Scalar>[]): Record<K, number> {
  if (steps.length === 0) return {} as Record<K, number>;
  const keys = Object.keys(steps[0]) as K[];
  const values = tidyToArray(() => tf.stack(steps.map((s) => tf.stack(keys.map((k) => s[k])))).mean(0));
  tf.dispose(steps.flatMap((s) => Object.values(s)));
  return Object.fromEntries(keys.map((k, i) => [k, values[i]])) as Record<K, number>;
}

