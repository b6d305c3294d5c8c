/**
 * ADAN, the adversarial data augmentation network (Section III-D, Eq. 10-14, Fig. 1).
 *
 * One iteration (authors' code, `train_adan`): D is updated dTimes times (Eq. 10), then C
 * (Eq. 11), R (Eq. 12), E (Eq. 13) and G (Eq. 14), each on the same batch x, y and noise z.
 * The code runs C, R, E and G as one grouped TF op (all four gradients at the same weights),
 * which is the default here; `updates: 'sequential'` runs them one after the other, each seeing
 * the updates before it (Algorithm 1 read literally).
 */
import { tf } from '../backend/tf';
import type { AdanEpoch } from './augmenter';
import { bceWithLogits, logOneMinusSigmoid, reconstructionLoss, weightedCrossEntropy } from './losses';
import type { Random } from '../util/random';
import { LATENT_DEFAULTS, LatentAugmenter, epochBatches, generateLatent, meanLosses, validateLatent, type AdanNets, type LatentOptions } from './latent';
import { gatherBatch, normalNoise, type FitData } from './neural';
import { checkInt, checkNumber } from './options';
import { adam, type AdamSettings } from './optim';
import { OptionError } from '../util/errors';

export interface AdanOptions extends LatentOptions {
  /**
   * Stop early as the authors' code does: after epoch `earlyStopAfter`, once the mean
   * discriminator probability of real and of synthetic latent rows has stayed within
   * `earlyStopTolerance` of 0.5 in five qualifying epochs, each within two epochs of the last
   * (see `adanEarlyStop`).
   * Default false (the paper trains a fixed number of epochs).
   */
  earlyStop: boolean;
  /** First epoch at which early stopping may trigger. Code: 200. */
  earlyStopAfter: number;
  /** Distance from 0.5 of the mean D probabilities that counts as balanced. Code: 0.01. */
  earlyStopTolerance: number;
}

export const ADAN_DEFAULTS: Readonly<AdanOptions> = {
  ...LATENT_DEFAULTS,
  earlyStop: false,
  earlyStopAfter: 200,
  earlyStopTolerance: 0.01,
};

/** The optimizers, one per network. */
export type AdanOptimizers = Record<keyof AdanNets, tf.Optimizer>;

/** One Adam per network (E, R, C, G, D), as the authors' code (all with the same settings). */
export function buildAdanOptimizers(s: AdamSettings): AdanOptimizers {
  return { E: adam(s), R: adam(s), C: adam(s), G: adam(s), D: adam(s) };
}

/** One iteration's inputs: scaled rows x [m, d], one-hot y [m, K], class weight per row w [m], noise z [m, zDim]. */
export interface AdanBatch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  w: tf.Tensor1D;
  z: tf.Tensor2D;
}

export interface AdanStepSettings {
  /** alpha of Eq. 14. */
  alpha: number;
  /** C, R, E and G at the same weights ('grouped', the code) or one after another ('sequential'). Default 'grouped'. */
  updates?: 'grouped' | 'sequential';
  /** D updates per iteration. */
  dTimes: number;
}

/** Loss values of one iteration (scalars, each computed in its update before the step). */
export interface AdanStepLosses {
  D: tf.Scalar;
  C: tf.Scalar;
  R: tf.Scalar;
  E: tf.Scalar;
  G: tf.Scalar;
}

/**
 * Eq. 10 as the code computes it: 0.5 BCE(D(E(x)) -> 1) + 0.5 BCE(D(G(z, y)) -> 0)
 * (half the paper's sum; Adam is insensitive to the factor).
 */
export function adanDiscriminatorLoss(D: AdanNets['D'], hReal: tf.Tensor2D, hFake: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.add(tf.mul(0.5, bceWithLogits(D.apply(hReal, true), 1)), tf.mul(0.5, bceWithLogits(D.apply(hFake, true), 0))) as tf.Scalar);
}

/** Eq. 14: mean log(1 - D(G(z, y))) + alpha * weighted CE of C(G(z, y)). `generated`: G(z, y) as a differentiable function of G's weights (default: computed here). */
export function adanGeneratorLoss(nets: AdanNets, batch: AdanBatch, alpha: number, generated?: () => tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const g = generated ? generated() : generateLatent(nets.G, batch.z, batch.y, true);
    return tf.add(logOneMinusSigmoid(nets.D.apply(g, true)), tf.mul(alpha, weightedCrossEntropy(nets.C.apply(g, true), batch.y, batch.w))) as tf.Scalar;
  });
}

/**
 * One ADAN iteration: D x dTimes (Eq. 10), then C (Eq. 11), R (Eq. 12), E (Eq. 13) and G
 * (Eq. 14): by default together, as the authors' code runs them (`tf.group(C_optimizer,
 * R_optimizer, E_optimizer, G_optimizer)`: each part's gradient of its own loss at the same
 * weights, then the four updates); with `updates: 'sequential'` one after another. Returns the
 * losses (caller disposes). With 'batch' BatchNorm, E's and R's moving statistics follow the
 * batch statistics of the E/R pass.
 */
export function trainAdanOneStep(nets: AdanNets, opt: AdanOptimizers, batch: AdanBatch, s: AdanStepSettings): AdanStepLosses {
  const momentsE: tf.Tensor[] = [];
  const momentsR: tf.Tensor[] = [];
  const losses = tf.tidy(() => {
    const { x, y, w } = batch;
    // E and G do not change before their own updates: one forward pass each, kept for those
    const hKept = nets.E.applyKept(x, true);
    const gKept = nets.G.applyKept(tf.concat([batch.z, y], 1), true);
    const h = hKept.output;
    const g = gKept.output;
    let D!: tf.Scalar;
    for (let t = 0; t < s.dTimes; t++) D = opt.D.minimize(() => adanDiscriminatorLoss(nets.D, h, g), true, nets.D.trainable())!;
    const [cVars, rVars, eVars, gVars] = [nets.C.trainable(), nets.R.trainable(), nets.E.trainable(), nets.G.trainable()];
    let C!: tf.Scalar;
    let R!: tf.Scalar;
    let E!: tf.Scalar;
    let G!: tf.Scalar;
    if ((s.updates ?? 'grouped') === 'grouped') {
      // C, R and E: L_C + L_R reaches C through L_C only, R through L_R only and E through both (Eq. 13)
      const cre = tf.variableGrads(() => {
        const h2 = hKept.replay(momentsE);
        C = tf.keep(weightedCrossEntropy(nets.C.apply(h2, true), y, w));
        R = tf.keep(reconstructionLoss(x, nets.R.apply(h2, true, momentsR)));
        return tf.add(C, R) as tf.Scalar;
      }, [...cVars, ...rVars, ...eVars]);
      // G apart: its loss also reaches C (through C(G(z, y))), which must not update C
      const gr = tf.variableGrads(() => adanGeneratorLoss(nets, batch, s.alpha, () => gKept.replay()), gVars);
      const apply = (o: tf.Optimizer, vars: tf.Variable[], grads: tf.NamedTensorMap) => o.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      apply(opt.C, cVars, cre.grads);
      apply(opt.R, rVars, cre.grads);
      apply(opt.E, eVars, cre.grads);
      apply(opt.G, gVars, gr.grads);
      E = cre.value;
      G = gr.value;
    } else {
      C = opt.C.minimize(() => weightedCrossEntropy(nets.C.apply(h, true), y, w), true, cVars)!;
      R = opt.R.minimize(() => reconstructionLoss(x, nets.R.apply(h, true, momentsR)), true, rVars)!;
      E = opt.E.minimize(() => {
        const h2 = hKept.replay(momentsE);
        return tf.add(reconstructionLoss(x, nets.R.apply(h2, true)), weightedCrossEntropy(nets.C.apply(h2, true), y, w)) as tf.Scalar; // Eq. 13
      }, true, eVars)!;
      G = opt.G.minimize(() => adanGeneratorLoss(nets, batch, s.alpha, () => gKept.replay()), true, gVars)!;
    }
    return { D, C, R, E, G };
  });
  nets.E.updateMovingStats(momentsE);
  nets.R.updateMovingStats(momentsR);
  return losses;
}

/**
 * Mean D probability of synthetic latent rows G(z, y) over the training fold, one z per training
 * row and label (the code's `prob_f_mean`). Cheap: G and D are small.
 */
export function adanFakeProbability(nets: AdanNets, data: FitData, rng: Random, zDim: number): number {
  const p = tf.tidy(() => tf.mean(tf.sigmoid(nets.D.apply(generateLatent(nets.G, normalNoise(rng, data.n, zDim), data.y, false), false))));
  const out = p.dataSync()[0];
  p.dispose();
  return out;
}

/** Mean D probability of real latent rows E(x) over the training fold (the code's `prob_trn_mean`): E's forward pass over every row. */
export function adanRealProbability(nets: AdanNets, data: FitData): number {
  const p = tf.tidy(() => tf.mean(tf.sigmoid(nets.D.apply(nets.E.apply(data.x, false), false))));
  const out = p.dataSync()[0];
  p.dispose();
  return out;
}

/** Both of the early-stop rule's probabilities (synthetic first: the noise comes from `rng`). */
export function adanProbabilities(nets: AdanNets, data: FitData, rng: Random, zDim: number): { pReal: number; pFake: number } {
  const pFake = adanFakeProbability(nets, data, rng, zDim);
  return { pReal: adanRealProbability(nets, data), pFake };
}

/**
 * Whether the early-stop rule can count 0-based `epoch` given its synthetic probability: only
 * then does it need the real one. An epoch counts when both lie within `tol` of 0.5, so one whose
 * synthetic probability does not can be decided without E's pass over the training rows.
 */
export function adanNeedsReal(epoch: number, pFake: number, after: number, tol: number): boolean {
  return epoch > after && Math.abs(pFake - 0.5) <= tol;
}

/**
 * The authors' early-stop rule over the history (pure, so a resumed run decides the same):
 * a qualifying epoch (after `after`, pReal and pFake within `tol` of 0.5) within two epochs of
 * the previous qualifying one increases a counter; when the counter is already 3, training stops.
 */
export function adanEarlyStop(history: readonly Pick<AdanEpoch, 'epoch' | 'pReal' | 'pFake'>[], after: number, tol: number): boolean {
  let previous = 0;
  let count = 0;
  for (const r of history) {
    const e = r.epoch - 1; // the code's 0-based epoch
    // a record without pReal is one whose pFake could not count (see adanNeedsReal)
    if (!(e > after && r.pReal !== undefined && Math.abs(r.pReal - 0.5) <= tol && Math.abs(r.pFake - 0.5) <= tol)) continue;
    if (Math.abs(e - previous) <= 2 && count === 3) return true;
    if (Math.abs(e - previous) <= 2) count += 1;
    previous = e;
  }
  return false;
}

export class Adan extends LatentAugmenter<AdanOptions, AdanEpoch> {
  readonly method = 'adan' as const;

  constructor(options?: Partial<AdanOptions>) {
    super('adan', ADAN_DEFAULTS, options);
  }

  protected validate(o: AdanOptions): void {
    validateLatent('adan', o);
    if (typeof o.earlyStop !== 'boolean') throw new OptionError('adan.earlyStop', o.earlyStop, 'true or false');
    checkInt('adan.earlyStopAfter', o.earlyStopAfter, 0);
    checkNumber('adan.earlyStopTolerance', o.earlyStopTolerance, 0, 0.5);
  }

  protected trainEpoch(epoch: number, rng: Random, data: FitData): Omit<AdanEpoch, 'epoch' | 'seconds'> {
    const nets = this.adanNets;
    const opt = this.optimizers as AdanOptimizers;
    const steps: ReturnType<typeof trainAdanOneStep>[] = [];
    for (const index of epochBatches(data, rng)) {
      const batch = { ...gatherBatch(data, index), z: normalNoise(rng, index.length, this.settings.zDim) };
      steps.push({ ...trainAdanOneStep(nets, opt, batch, this.settings) });
      tf.dispose(Object.values(batch));
    }
    // pFake every epoch; pReal (E over all rows, ~15 % of an epoch) where label fidelity is
    // measured and wherever the early-stop rule could count the epoch, so the rule decides as
    // with pReal every epoch. Recorded whether or not earlyStop is on.
    const s = this.settings;
    const pFake = adanFakeProbability(nets, data, rng, s.zDim);
    const real = this.measuringEpoch(epoch) || adanNeedsReal(epoch, pFake, s.earlyStopAfter, s.earlyStopTolerance) ? { pReal: adanRealProbability(nets, data) } : {};
    return { ...meanLosses(steps), ...real, pFake, ...this.fidelityAt(epoch, data) };
  }

  protected override shouldStop(history: readonly AdanEpoch[]): boolean {
    return super.shouldStop(history) || (this.settings.earlyStop && adanEarlyStop(history, this.settings.earlyStopAfter, this.settings.earlyStopTolerance));
  }
}

/** `new Adan(options)`, for notebooks. */
export function adan(options?: Partial<AdanOptions>): Adan {
  return new Adan(options);
}
