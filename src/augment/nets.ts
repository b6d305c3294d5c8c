/**
 * The fully connected networks of the augmenters as plain variables and functions (no
 * tf.layers): this gives exact control over BatchNorm (the authors' quirk), double
 * back-propagation for WADAN's gradient penalty, and serialisation.
 *
 * Layer = dense -> LeakyReLU(0.2) [-> BatchNorm] for each hidden layer, then dense -> output
 * activation, as in the authors' code (Fig. 1; docs/method.md, "The networks"). LeakyReLU is written as the
 * authors wrote it, 0.6 x + 0.4 |x|: tfjs' own leakyRelu and tanh have no correct second-order
 * gradient, and the gradient penalty differentiates the discriminator twice.
 */
import { tf } from '../backend/tf';
import { denseKernelsActive, denseLayer, denseLayerBackward, fixedNorm, fixedNormBackward, leakyReluOps, type DenseActivation, type NormParams } from '../backend/dense';
import type { Random } from '../util/random';

/** Slope of LeakyReLU for negative inputs (authors' code: 0.2). */
export const LEAK = 0.2;
/** BatchNorm epsilon and moving-average momentum of TF1's tf.layers.batch_normalization. */
export const BN_EPSILON = 1e-3;
export const BN_MOMENTUM = 0.99;

/**
 * How BatchNorm behaves.
 * - 'fixed': the authors' code. Their layers were built without `training=True`, so they always
 *   normalise with the initial moving statistics (mean 0, variance 1) that never update: a
 *   learnable per-feature scale and shift, gamma * x / sqrt(1 + 1e-3) + beta.
 * - 'batch': real BatchNorm: batch statistics while training, moving averages (momentum 0.99)
 *   when encoding or sampling after training.
 * - 'none': no BatchNorm layers.
 */
export type BatchNormMode = 'fixed' | 'batch' | 'none';
export const BATCH_NORM_MODES = ['fixed', 'batch', 'none'] as const;

export type OutputActivation = 'tanh' | 'linear';

export interface MlpSpec {
  /** Network name as in the paper: E, R, C, G, D (for variable names and weight files). */
  name: string;
  input: number;
  hidden: readonly number[];
  output: number;
  batchNorm: BatchNormMode;
  /** Activation of the last layer; classifier and discriminator logits are 'linear'. */
  activation: OutputActivation;
}

let instanceCounter = 0;
/** A fresh prefix for tfjs variable names (they must be unique in the process). */
export function uniquePrefix(method: string): string {
  instanceCounter += 1;
  return `${method}${instanceCounter}`;
}

/** LeakyReLU(0.2) as the authors wrote it: 0.6 x + 0.4 |x| (twice differentiable in tfjs). */
export function leakyRelu(x: tf.Tensor): tf.Tensor {
  return leakyReluOps(x, LEAK);
}

/**
 * A forward pass kept for one later gradient (`Mlp.applyKept`): lives in the caller's tidy
 * scope.
 */
export interface KeptForward {
  /** The output, as `apply` gives it. */
  output: tf.Tensor2D;
  /**
   * The same output as a differentiable function of the network's trainable variables (call it
   * inside a gradient scope), without a second forward pass when the native kernels are active;
   * elsewhere the forward pass is run again (with `moments`, as `apply`).
   */
  replay(moments?: tf.Tensor[]): tf.Tensor2D;
}

interface BatchNormVars {
  gamma: tf.Variable;
  beta: tf.Variable;
  movingMean: tf.Variable;
  movingVar: tf.Variable;
}

/** A multilayer perceptron whose weights are tf.Variables. */
export class Mlp {
  readonly kernels: tf.Variable[] = [];
  readonly biases: tf.Variable[] = [];
  readonly norms: BatchNormVars[] = [];

  /** Xavier (Glorot uniform) kernels drawn from `rng`, zero biases, BatchNorm gamma 1, beta 0. */
  constructor(
    readonly spec: MlpSpec,
    rng: Random,
    readonly prefix: string,
  ) {
    const sizes = [spec.input, ...spec.hidden, spec.output];
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      const w = rng.uniformArray(fanIn * fanOut, -limit, limit);
      // inside tidy: the variable keeps its own reference and the initial tensor is freed (else
      // every fit would leak its initial weights)
      const v = (init: () => tf.Tensor, name: string, trainable = true) => tf.tidy(() => tf.variable(init(), trainable, name));
      this.kernels.push(v(() => tf.tensor2d(w, [fanIn, fanOut]), `${prefix}/${spec.name}/dense${l}/kernel`) as tf.Variable<tf.Rank.R2>);
      this.biases.push(v(() => tf.zeros([fanOut]), `${prefix}/${spec.name}/dense${l}/bias`));
      if (l + 2 < sizes.length && spec.batchNorm !== 'none') {
        const base = `${prefix}/${spec.name}/bn${l}`;
        this.norms.push({
          gamma: v(() => tf.ones([fanOut]), `${base}/gamma`),
          beta: v(() => tf.zeros([fanOut]), `${base}/beta`),
          movingMean: v(() => tf.zeros([fanOut]), `${base}/moving_mean`, false),
          movingVar: v(() => tf.ones([fanOut]), `${base}/moving_variance`, false),
        });
      }
    }
  }

  /**
   * Forward pass, x: [m, input] -> [m, output]. `training` selects batch statistics in 'batch'
   * BatchNorm mode; when `moments` is given (training, 'batch' mode) the batch mean and variance
   * of each BatchNorm layer are pushed to it (kept, for `updateMovingStats`).
   */
  apply(x: tf.Tensor2D, training: boolean, moments?: tf.Tensor[]): tf.Tensor2D {
    let a: tf.Tensor2D = x;
    const last = this.kernels.length - 1;
    for (let l = 0; l <= last; l++) {
      // one native kernel per layer on the native backend, tfjs ops elsewhere (src/backend/dense.ts)
      a = denseLayer(a, this.kernels[l] as tf.Tensor2D, this.biases[l] as tf.Tensor1D, l < last ? 'leaky' : this.spec.activation, LEAK);
      const bn = l < last ? this.norms[l] : undefined;
      if (bn) a = this.normalise(a, bn, training, moments);
    }
    return a;
  }

  /**
   * Forward pass whose activations are kept, so that a gradient taken later (while the weights
   * are unchanged) does not recompute it: WADAN uses E(x) for C, D and then the R/E update.
   */
  applyKept(x: tf.Tensor2D, training: boolean): KeptForward {
    if (!denseKernelsActive() || (this.spec.batchNorm === 'batch' && training)) {
      const output = this.apply(x, training);
      return { output, replay: (moments) => this.apply(x, training, moments) };
    }
    const inputs: tf.Tensor2D[] = [];
    const acts: tf.Tensor2D[] = [];
    let a = x;
    for (let l = 0; l < this.kernels.length; l++) {
      inputs.push(a);
      acts.push(denseLayer(a, this.kernels[l] as tf.Tensor2D, this.biases[l] as tf.Tensor1D, this.activationOf(l), LEAK));
      const bn = this.normOf(l);
      a = bn ? fixedNorm(acts[l], bn) : acts[l];
    }
    const output = a;
    // the kept activations belong to these weights: a replay after an update would mix them
    const weights = this.trainable().map((v) => v.dataId);
    const unchanged = () => this.trainable().every((v, i) => v.dataId === weights[i]);
    // the variables are the op's inputs (so autograd sends them their gradients); the value is
    // the kept output
    const replay = tf.customGrad(() => ({
      value: tf.clone(output),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => this.backwardKept(dy as tf.Tensor2D, inputs, acts),
    }));
    return {
      output,
      replay: () => {
        if (!unchanged()) throw new Error(`${this.spec.name}.applyKept: the network was updated since the kept forward pass; replay it before the update`);
        return replay(...this.trainable()) as tf.Tensor2D;
      },
    };
  }

  /** Gradients of the trainable variables (in `trainable()` order) from a kept forward pass. */
  private backwardKept(dy: tf.Tensor2D, inputs: tf.Tensor2D[], acts: tf.Tensor2D[]): tf.Tensor[] {
    const layers = this.kernels.length;
    const dKernels: tf.Tensor[] = new Array(layers);
    const dBiases: tf.Tensor[] = new Array(layers);
    const dNorms: tf.Tensor[] = [];
    let g = dy;
    for (let l = layers - 1; l >= 0; l--) {
      const bn = this.normOf(l);
      if (bn) {
        const r = fixedNormBackward(g, acts[l], bn);
        g = r.da;
        dNorms[2 * l] = r.dgamma;
        dNorms[2 * l + 1] = r.dbeta;
      }
      const { dz, db } = denseLayerBackward(g, acts[l], this.activationOf(l), LEAK);
      dKernels[l] = tf.matMul(inputs[l], dz, true, false);
      dBiases[l] = db;
      if (l > 0) g = tf.matMul(dz, this.kernels[l] as tf.Tensor2D, false, true);
    }
    return [...dKernels, ...dBiases, ...dNorms];
  }

  private activationOf(l: number): DenseActivation {
    return l < this.kernels.length - 1 ? 'leaky' : this.spec.activation;
  }

  /** BatchNorm of layer l on its moving (or, in 'fixed' mode, never-updated) statistics. */
  private normOf(l: number): NormParams | undefined {
    const bn = l < this.kernels.length - 1 ? this.norms[l] : undefined;
    if (!bn) return undefined;
    return { gamma: bn.gamma as tf.Tensor1D, beta: bn.beta as tf.Tensor1D, mean: bn.movingMean as tf.Tensor1D, variance: bn.movingVar as tf.Tensor1D, epsilon: BN_EPSILON };
  }

  private normalise(a: tf.Tensor2D, bn: BatchNormVars, training: boolean, moments?: tf.Tensor[]): tf.Tensor2D {
    if (this.spec.batchNorm === 'batch' && training) {
      const { mean, variance } = tf.moments(a, 0);
      if (moments) moments.push(tf.keep(mean), tf.keep(variance));
      return tf.add(tf.mul(tf.div(tf.sub(a, mean), tf.sqrt(tf.add(variance, BN_EPSILON))), bn.gamma), bn.beta);
    }
    return fixedNorm(a, { gamma: bn.gamma as tf.Tensor1D, beta: bn.beta as tf.Tensor1D, mean: bn.movingMean as tf.Tensor1D, variance: bn.movingVar as tf.Tensor1D, epsilon: BN_EPSILON });
  }

  /** Move the moving statistics towards the batch `moments` from `apply` and dispose them. */
  updateMovingStats(moments: tf.Tensor[]): void {
    if (moments.length === 0) return;
    tf.tidy(() => {
      this.norms.forEach((bn, i) => {
        bn.movingMean.assign(tf.add(tf.mul(bn.movingMean, BN_MOMENTUM), tf.mul(moments[2 * i], 1 - BN_MOMENTUM)));
        bn.movingVar.assign(tf.add(tf.mul(bn.movingVar, BN_MOMENTUM), tf.mul(moments[2 * i + 1], 1 - BN_MOMENTUM)));
      });
    });
    tf.dispose(moments);
    moments.length = 0;
  }

  /** The variables an optimizer updates (kernels, biases, BatchNorm gamma/beta). */
  trainable(): tf.Variable[] {
    return [...this.kernels, ...this.biases, ...this.norms.flatMap((n) => [n.gamma, n.beta])];
  }

  /** Every variable with a short stable name (for weight files), including moving statistics. */
  named(): { name: string; variable: tf.Variable }[] {
    const out: { name: string; variable: tf.Variable }[] = [];
    this.kernels.forEach((v, l) => out.push({ name: `dense${l}/kernel`, variable: v }));
    this.biases.forEach((v, l) => out.push({ name: `dense${l}/bias`, variable: v }));
    this.norms.forEach((n, l) => {
      out.push({ name: `bn${l}/gamma`, variable: n.gamma }, { name: `bn${l}/beta`, variable: n.beta });
      out.push({ name: `bn${l}/moving_mean`, variable: n.movingMean }, { name: `bn${l}/moving_variance`, variable: n.movingVar });
    });
    return out;
  }

  /** Number of trainable parameters. */
  parameterCount(): number {
    return this.trainable().reduce((s, v) => s + v.size, 0);
  }

  dispose(): void {
    tf.dispose(this.named().map((n) => n.variable));
  }
}
