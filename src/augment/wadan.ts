/**
 * WADAN, the Wasserstein ADAN (Section III-E, Eq. 16-18, Algorithm 1): ADAN with the
 * Wasserstein divergence of Wu et al. in the latent space. D is a linear-output critic.
 *
 * One iteration (Algorithm 1 and the authors' `train_wadan`): C (Eq. 11), D x dTimes (Eq. 17),
 * R (Eq. 12) and E (Eq. 13) together (one pass, as the code's `tf.group`; `updates:
 * 'sequential'` for R, then E with the updated R), then G (Eq. 18), on the same batch and noise.
 *
 * Differences from the authors' code, by choice (options where it matters):
 * - mu (interpolation weights) is drawn per row per iteration as Algorithm 1 says; the code
 *   draws it once when the graph is built (`mu: 'fixed'` reproduces that).
 * - the penalty power p follows the paper's ||grad||^p with p = 5; the code's
 *   (sum of squares)^5 is `gpPower: 10`.
 * - alpha defaults to the paper's 1 (EmoDB, improvised IEMOCAP); the code hard-codes 0.1.
 * - G minimises Eq. 18 (`generatorLoss: 'eq18'`); the code's G loss is -L_D + alpha CE
 *   (`generatorLoss: 'code'`), which adds -mean D(E(x)) and -lambda * penalty. Neither changes
 *   G's gradient for the MLP critic with LeakyReLU hidden layers (the paper's and the code's D):
 *   D(E(x)) does not depend on G, and D's input gradient is piecewise constant, so the penalty's
 *   gradient through the interpolates is zero almost everywhere (TensorFlow's double backward
 *   through the code's `tf.maximum` finds the same). The option changes the recorded G loss, and
 *   for other critics (BatchNorm, smooth activations) it differentiates the penalty through G.
 */
import { tf } from '../backend/tf';
import type { Random } from '../util/random';
import { gradientPenalty, reconstructionLoss, weightedCrossEntropy } from './losses';
import { hasAnalyticPenalty, mlpGradientPenalty } from './penalty';
import { LATENT_DEFAULTS, LatentAugmenter, epochBatches, generateLatent, meanLosses, validateLatent, type AdanNets, type LatentOptions } from './latent';
import { gatherBatch, normalNoise, type FitData } from './neural';
import { checkNumber, checkOneOf } from './options';
import type { AdanBatch, AdanOptimizers } from './adan';
import type { WadanEpoch } from './augmenter';

export interface WadanOptions extends LatentOptions {
  /** lambda, weight of the gradient penalty in Eq. 17. Paper: 10. */
  lambda: number;
  /** p, the power of the gradient norm in Eq. 16-17: penalty = mean ||grad D(x_interp)||_2^p. Paper: 5 (default). The authors' code computes (sum of squares)^5, i.e. p = 10. Must be > 1. */
  gpPower: number;
  /** Interpolation weights mu ~ U[0, 1]: 'per-iteration' (default, Algorithm 1: fresh per row each iteration) or 'fixed' (the authors' code: one vector drawn before training). */
  mu: 'per-iteration' | 'fixed';
  /**
   * G's loss: 'eq18' (default, the paper's Eq. 18: mean D(G(z, y)) + alpha CE) or 'code' (the
   * authors' `G_loss = -D_loss + 0.1 * Cg_loss`, adan.py line 355: Eq. 18 minus mean D(E(x)) and
   * minus lambda times the gradient penalty at the interpolates). See the file comment for why
   * the two give G the same gradient with the default critic.
   */
  generatorLoss: 'eq18' | 'code';
}

export const WADAN_DEFAULTS: Readonly<WadanOptions> = {
  ...LATENT_DEFAULTS,
  lambda: 10,
  gpPower: 5,
  mu: 'per-iteration',
  generatorLoss: 'eq18',
};

export interface WadanStepSettings {
  /** alpha of Eq. 18. */
  alpha: number;
  /** R and E in one pass ('grouped', the code) or R, then E with the updated R ('sequential'). Default 'grouped'. */
  updates?: 'grouped' | 'sequential';
  dTimes: number;
  /** lambda of Eq. 17. */
  lambda: number;
  /** p of Eq. 17. */
  gpPower: number;
  /** G's loss: Eq. 18, or the code's -L_D + alpha CE. Default 'eq18'. */
  generatorLoss?: 'eq18' | 'code';
}

/** WADAN's batch: ADAN's plus the interpolation weights mu [m, 1]. */
export interface WadanBatch extends AdanBatch {
  mu: tf.Tensor2D;
}

export interface WadanStepLosses {
  D: tf.Scalar;
  /** The gradient-penalty term (before lambda) of the last D update. */
  GP: tf.Scalar;
  C: tf.Scalar;
  R: tf.Scalar;
  E: tf.Scalar;
  G: tf.Scalar;
}

/** x_interp = (1 - mu) E(x) + mu G(z, y), row-wise (Algorithm 1, line 6, in the latent space). */
export function interpolate(hReal: tf.Tensor2D, hFake: tf.Tensor2D, mu: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(tf.sub(1, mu), hReal), tf.mul(mu, hFake)) as tf.Tensor2D);
}

/** Eq. 17: mean D(E(x)) - mean D(G(z, y)) + lambda * mean ||grad D(x_interp)||^p. Returns the loss and the penalty term. */
export function wadanDiscriminatorLoss(D: AdanNets['D'], hReal: tf.Tensor2D, hFake: tf.Tensor2D, interp: tf.Tensor2D, lambda: number, power: number): { loss: tf.Scalar; penalty: tf.Scalar } {
  return tf.tidy(() => {
    // the MLP critic's penalty with its gradient written out (penalty.ts); any other by double back-propagation
    const penalty = hasAnalyticPenalty(D) ? mlpGradientPenalty(D, interp, power) : gradientPenalty((h) => D.apply(h, true), interp, power);
    const loss = tf.add(tf.sub(tf.mean(D.apply(hReal, true)), tf.mean(D.apply(hFake, true))), tf.mul(lambda, penalty)) as tf.Scalar;
    return { loss, penalty };
  });
}

/** Eq. 18: mean D(G(z, y)) + alpha * weighted CE of C(G(z, y)). `generated`: G(z, y) as a differentiable function of G's weights (default: computed here). */
export function wadanGeneratorLoss(nets: AdanNets, batch: AdanBatch, alpha: number, generated?: () => tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const g = generated ? generated() : generateLatent(nets.G, batch.z, batch.y, true);
    return tf.add(tf.mean(nets.D.apply(g, true)), tf.mul(alpha, weightedCrossEntropy(nets.C.apply(g, true), batch.y, batch.w))) as tf.Scalar;
  });
}

/** One WADAN iteration: C (Eq. 11), D x dTimes (Eq. 17), R (Eq. 12) and E (Eq. 13) together, G (Eq. 18). Caller disposes the losses. */
export function trainWadanOneStep(nets: AdanNets, opt: AdanOptimizers, batch: WadanBatch, s: WadanStepSettings): WadanStepLosses {
  const momentsE: tf.Tensor[] = [];
  const momentsR: tf.Tensor[] = [];
  const losses = tf.tidy(() => {
    const { x, y, w } = batch;
    // E and G do not change during the C, D and R updates.
    // kept: the R/E update below differentiates this same forward pass (E is unchanged till then)
    const hKept = nets.E.applyKept(x, true);
    const h = hKept.output;
    // kept: the G update differentiates this same pass (G is unchanged till then)
    const gKept = nets.G.applyKept(tf.concat([batch.z, y], 1), true);
    const g = gKept.output;
    const C = opt.C.minimize(() => weightedCrossEntropy(nets.C.apply(h, true), y, w), true, nets.C.trainable())!;
    const interp = interpolate(h, g, batch.mu);
    let D!: tf.Scalar;
    let GP: tf.Scalar | undefined;
    for (let t = 0; t < s.dTimes; t++) {
      D = opt.D.minimize(() => {
        const { loss, penalty } = wadanDiscriminatorLoss(nets.D, h, g, interp, s.lambda, s.gpPower);
        if (GP) GP.dispose();
        GP = tf.keep(penalty);
        return loss;
      }, true, nets.D.trainable())!;
    }
    const eVars = nets.E.trainable();
    const rVars = nets.R.trainable();
    let R!: tf.Scalar;
    let E!: tf.Scalar;
    if ((s.updates ?? 'grouped') === 'grouped') {
      // R and E from one forward and backward pass, as the authors' code updates them together
      // (`tf.group(R_optimizer, E_optimizer)`): the gradient of L_R + L_C reaches R through L_R
      // only (Eq. 12) and E through both (Eq. 13); C is the one just updated.
      const re = tf.variableGrads(() => {
        const h2 = hKept.replay(momentsE);
        R = tf.keep(reconstructionLoss(x, nets.R.apply(h2, true, momentsR)));
        return tf.add(R, weightedCrossEntropy(nets.C.apply(h2, true), y, w)) as tf.Scalar;
      }, [...eVars, ...rVars]);
      E = re.value;
      opt.R.applyGradients(rVars.map((v) => ({ name: v.name, tensor: re.grads[v.name] })));
      opt.E.applyGradients(eVars.map((v) => ({ name: v.name, tensor: re.grads[v.name] })));
    } else {
      R = opt.R.minimize(() => reconstructionLoss(x, nets.R.apply(h, true, momentsR)), true, rVars)!;
      E = opt.E.minimize(() => {
        const h2 = hKept.replay(momentsE);
        return tf.add(reconstructionLoss(x, nets.R.apply(h2, true)), weightedCrossEntropy(nets.C.apply(h2, true), y, w)) as tf.Scalar; // Eq. 13, with the updated R
      }, true, eVars)!;
    }
    const G = opt.G.minimize(() => {
      if ((s.generatorLoss ?? 'eq18') === 'eq18') return wadanGeneratorLoss(nets, batch, s.alpha, () => gKept.replay());
      // the code's -L_D + alpha CE. E(x) is the one from the start of the iteration (the code
      // re-encodes after E's update; recomputing it only for a term without a G gradient would
      // cost a fifth of the iteration), so the recorded value differs by E's one step.
      const g2 = gKept.replay();
      const eq18 = wadanGeneratorLoss(nets, batch, s.alpha, () => g2);
      const { penalty } = wadanDiscriminatorLoss(nets.D, h, g2, interpolate(h, g2, batch.mu), s.lambda, s.gpPower);
      return tf.sub(tf.sub(eq18, tf.mean(nets.D.apply(h, true))), tf.mul(s.lambda, penalty)) as tf.Scalar;
    }, true, nets.G.trainable())!;
    const gp = GP!.clone();
    GP!.dispose();
    return { D, GP: gp, C, R, E, G };
  });
  nets.E.updateMovingStats(momentsE);
  nets.R.updateMovingStats(momentsR);
  return losses;
}

export class Wadan extends LatentAugmenter<WadanOptions, WadanEpoch> {
  readonly method = 'wadan' as const;
  private fixedMu?: Float32Array;

  constructor(options?: Partial<WadanOptions>) {
    super('wadan', WADAN_DEFAULTS, options);
  }

  protected validate(o: WadanOptions): void {
    validateLatent('wadan', o);
    checkNumber('wadan.lambda', o.lambda, 0, Infinity, true);
    checkNumber('wadan.gpPower', o.gpPower, 1, Infinity, true);
    checkOneOf('wadan.mu', o.mu, ['per-iteration', 'fixed'] as const);
    checkOneOf('wadan.generatorLoss', o.generatorLoss, ['eq18', 'code'] as const);
  }

  protected override beginFit(data: FitData, root: Random): void {
    super.beginFit(data, root);
    this.fixedMu = root.derive('mu').uniformArray(data.batch);
  }

  protected trainEpoch(epoch: number, rng: Random, data: FitData): Omit<WadanEpoch, 'epoch' | 'seconds'> {
    const nets = this.adanNets;
    const opt = this.optimizers as AdanOptimizers;
    const steps: ReturnType<typeof trainWadanOneStep>[] = [];
    for (const index of epochBatches(data, rng)) {
      const m = index.length;
      const z = normalNoise(rng, m, this.settings.zDim);
      const muValues = this.settings.mu === 'fixed' ? this.fixedMu!.subarray(0, m) : rng.uniformArray(m);
      const batch: WadanBatch = { ...gatherBatch(data, index), z, mu: tf.tensor2d(muValues, [m, 1]) };
      steps.push({ ...trainWadanOneStep(nets, opt, batch, this.settings) });
      tf.dispose(Object.values(batch));
    }
    return { ...meanLosses(steps), ...this.fidelityAt(epoch, data) };
  }
}

/** `new Wadan(options)`, for notebooks. */
export function wadan(options?: Partial<WadanOptions>): Wadan {
  return new Wadan(options);
}
