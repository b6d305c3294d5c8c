/**
 * BatchNormalization for the DNN classifier (Ioffe & Szegedy 2015), as the authors' Keras layer
 * computes it: in training, each feature is normalised with the batch's mean and biased
 * variance, then scaled by gamma and shifted by beta; the moving statistics follow the batches;
 * at prediction time the moving statistics replace the batch's.
 *
 *   training:   y = gamma * (a - mean_B) / sqrt(var_B + eps) + beta      (var_B = mean((a - mean_B)^2))
 *   predicting: y = gamma * (a - movingMean) / sqrt(movingVariance + eps) + beta
 *
 * How the moving statistics follow the batches differs between frameworks, and matters here (a
 * classifier trained for ~200 steps at momentum 0.99 still weighs its initial 0 / 1 by
 * 0.99^200 = 0.13 unless the average is debiased): see {@link BatchNormMovingAverage}.
 *
 * Training uses tfjs ops with a written-out gradient through the batch statistics; prediction
 * uses the native `AdanNorm` kernel on the native backend (src/backend/dense.ts `fixedNorm`).
 *
 * @example
 * const bn = buildBatchNorm(100);
 * const { y, mean, variance } = batchNormTrain(a, bn, 1e-3);       // a: [m, 100], inside a gradient scope
 * updateMovingStatistics(bn, mean, variance, m, { momentum: 0.99, epsilon: 1e-3, movingAverage: 'keras-2.1' });
 * const yHat = batchNormInfer(a, bn, 1e-3);                          // prediction
 */
import { tf } from '../backend/tf';
import { fixedNorm } from '../backend/dense';

/**
 * How the moving mean and variance used at prediction time follow the training batches
 * (momentum m in Keras' convention: the weight of the old value).
 * - `'keras-2.1'`: Keras 2.1.4 to 2.2.5 on TensorFlow (2.1.6 is the authors' requirements.txt):
 *   the batch variance is scaled by n / (n − (1 + ε)) (keras/layers/normalization.py, "sample
 *   variance - unbiased estimator") and the backend's `moving_average_update` is TensorFlow's
 *   `assign_moving_average(..., zero_debias=True)`: a shadow average that starts at 0 and is
 *   divided by 1 − m^t after step t, so the moving statistics are the debiased exponential
 *   average of the batches' and their initial values (0, 1) carry no weight.
 * - `'pytorch'`: `torch.nn.BatchNorm1d` (its momentum = 1 − m): moving ← m · moving + (1 − m) ·
 *   batch, variance scaled by n / (n − 1), starting at mean 0, variance 1 (Keras 2.3 does the
 *   same up to the ε in the scaling).
 * - `'tf-keras'`: tf.keras (TensorFlow 2) and Keras 3 on 2-D inputs: as `'pytorch'` with the
 *   biased batch variance.
 * A batch of one row leaves the moving statistics unchanged (its variance is 0; Keras would
 * scale it by a negative factor and PyTorch refuses such a batch).
 */
export type BatchNormMovingAverage = 'keras-2.1' | 'pytorch' | 'tf-keras';
export const BATCH_NORM_MOVING_AVERAGES: readonly BatchNormMovingAverage[] = Object.freeze(['keras-2.1', 'pytorch', 'tf-keras']);

/** One BatchNormalization layer's state: trainable gamma, beta; moving statistics for prediction. */
export interface BatchNormLayer {
  /** Scale, trainable (initialised to 1, Keras' default). */
  gamma: tf.Variable;
  /** Shift, trainable (initialised to 0). */
  beta: tf.Variable;
  /** Mean used at prediction time (initialised to 0). */
  movingMean: tf.Variable;
  /** Variance used at prediction time (initialised to 1). */
  movingVariance: tf.Variable;
  /**
   * TensorFlow's zero-debias shadow averages (start at 0; used by `'keras-2.1'`) and their step
   * count t: the moving statistics are these divided by 1 − m^t. Plain arrays (100 numbers a
   * layer): the update is a few microseconds in JavaScript against ~20 small tensor kernels.
   */
  debias: { mean: Float64Array; variance: Float64Array; steps: number };
}

/** How `updateMovingStatistics` moves the statistics. */
export interface MovingStatisticsOptions {
  /** Keras' momentum m: weight of the old value (PyTorch's momentum is 1 − m). */
  momentum: number;
  /** The layer's ε (enters the `'keras-2.1'` variance scaling). */
  epsilon: number;
  movingAverage: BatchNormMovingAverage;
}

/** A fresh layer of `units` features: gamma 1, beta 0, moving mean 0, moving variance 1 (Keras' initialisers). */
export function buildBatchNorm(units: number): BatchNormLayer {
  const v = (init: () => tf.Tensor, trainable: boolean): tf.Variable => tf.tidy(() => tf.variable(init(), trainable));
  return {
    gamma: v(() => tf.ones([units]), true),
    beta: v(() => tf.zeros([units]), true),
    movingMean: v(() => tf.zeros([units]), false),
    movingVariance: v(() => tf.ones([units]), false),
    debias: { mean: new Float64Array(units), variance: new Float64Array(units), steps: 0 },
  };
}

/** Every tensor of the layer (for dispose and snapshots): gamma, beta, moving mean, moving variance. */
export function batchNormVariables(bn: BatchNormLayer): tf.Variable[] {
  return [bn.gamma, bn.beta, bn.movingMean, bn.movingVariance];
}

/**
 * Training-mode BatchNorm of `a` (m x units) with the batch's statistics, differentiable in
 * `a`, gamma and beta. Returns the output and the batch mean and biased variance (1-D, units);
 * these two are kept (`tf.keep`, outside any tidy): the caller disposes them, after the moving
 * statistics have moved (`updateMovingStatistics`).
 *
 * The gradient is written out (x̂ = (a − mean) / √(var + ε), sums over the batch's rows):
 *   dβ = Σ dy,  dγ = Σ dy ⊙ x̂,  da = γ / √(var + ε) ⊙ (dy − dβ / m − x̂ ⊙ dγ / m)
 * ~10 small kernels instead of the ~30 autograd makes of the forward ops (half the time of a
 * 50 x 100 layer on the native backend); the tests compare it with autograd of the same ops.
 */
export function batchNormTrain(a: tf.Tensor2D, bn: BatchNormLayer, epsilon: number): { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const normalise = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, gamma, beta, save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const f = batchNormForward(x, gamma, beta, epsilon);
    stats = { mean: tf.keep(f.mean), variance: tf.keep(f.variance) };
    save(f.saved);
    return { value: f.y, gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => batchNormBackward(dy as tf.Tensor2D, saved) };
  });
  const y = normalise(a, bn.gamma, bn.beta) as tf.Tensor2D;
  return { y, ...stats! };
}

/**
 * `batchNormTrain`'s forward pass: y, the batch statistics and what its gradient needs
 * ([x̂, 1/√(σ² + ε), gamma]). One home for the ops, also for code that runs its own backward
 * pass (the DNN's tape-free step).
 */
export function batchNormForward(x: tf.Tensor2D, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon: number): { y: tf.Tensor2D; mean: tf.Tensor1D; variance: tf.Tensor1D; saved: tf.Tensor[] } {
  const { mean, variance } = tf.moments(x, 0);
  const inv = tf.rsqrt(tf.add(variance, epsilon));
  const xHat = tf.mul(tf.sub(x, mean), inv);
  return { y: tf.add(tf.mul(xHat, gamma), beta) as tf.Tensor2D, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D, saved: [xHat, inv, gamma] };
}

/** `batchNormTrain`'s gradient, written out: [da, dgamma, dbeta] from dy and `batchNormForward`'s `saved`. */
export function batchNormBackward(dy: tf.Tensor2D, saved: readonly tf.Tensor[]): [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D] {
  const [xh, invStd, g] = saved;
  const m = dy.shape[0];
  const dBeta = tf.sum(dy, 0);
  const dGamma = tf.sum(tf.mul(dy, xh), 0);
  const da = tf.mul(tf.sub(tf.sub(dy, tf.div(dBeta, m)), tf.mul(xh, tf.div(dGamma, m))), tf.mul(g, invStd));
  return [da as tf.Tensor2D, dGamma as tf.Tensor1D, dBeta as tf.Tensor1D];
}

/** Training-mode BatchNorm as plain tfjs ops, differentiated by autograd: the reference for `batchNormTrain`'s written-out gradient. */
export function batchNormTrainOps(a: tf.Tensor2D, bn: BatchNormLayer, epsilon: number): tf.Tensor2D {
  const { mean, variance } = tf.moments(a, 0);
  return tf.add(tf.mul(tf.mul(tf.sub(a, mean), tf.rsqrt(tf.add(variance, epsilon))), bn.gamma), bn.beta) as tf.Tensor2D;
}

/** Prediction-mode BatchNorm of `a` (m x units) with the moving statistics (one native kernel on the native backend). */
export function batchNormInfer(a: tf.Tensor2D, bn: BatchNormLayer, epsilon: number): tf.Tensor2D {
  return fixedNorm(a, { gamma: bn.gamma as tf.Tensor1D, beta: bn.beta as tf.Tensor1D, mean: bn.movingMean as tf.Tensor1D, variance: bn.movingVariance as tf.Tensor1D, epsilon });
}

/**
 * Move the layer's moving statistics towards one training batch's `mean` and biased `variance`
 * (from `batchNormTrain`, over `rows` rows), in the chosen framework's way (see
 * {@link BatchNormMovingAverage}). Does not dispose `mean` and `variance`. The arithmetic is
 * done on the 2 x units numbers in JavaScript (float64) and the results written to the
 * moving-statistics variables.
 */
export function updateMovingStatistics(bn: BatchNormLayer, mean: tf.Tensor1D, variance: tf.Tensor1D, rows: number, o: MovingStatisticsOptions): void {
  if (rows < 2) return;
  const mu = mean.dataSync();
  const sigma2 = variance.dataSync();
  const n = mu.length;
  const decay = 1 - o.momentum;
  const nextMean = new Float32Array(n);
  const nextVariance = new Float32Array(n);
  if (o.movingAverage === 'keras-2.1') {
    // TensorFlow's assign_moving_average(zero_debias=True): shadow -= (shadow - value) * (1 - m),
    // then variable = shadow / (1 - m^t); Keras first scales the variance by n / (n - (1 + eps))
    const d = bn.debias;
    const scale = rows / (rows - (1 + o.epsilon));
    d.steps += 1;
    const unbias = 1 / (1 - Math.pow(o.momentum, d.steps));
    for (let j = 0; j < n; j++) {
      d.mean[j] -= (d.mean[j] - mu[j]) * decay;
      d.variance[j] -= (d.variance[j] - sigma2[j] * scale) * decay;
      nextMean[j] = d.mean[j] * unbias;
      nextVariance[j] = d.variance[j] * unbias;
    }
  } else {
    const scale = o.movingAverage === 'pytorch' ? rows / (rows - 1) : 1;
    const oldMean = bn.movingMean.dataSync();
    const oldVariance = bn.movingVariance.dataSync();
    for (let j = 0; j < n; j++) {
      nextMean[j] = oldMean[j] - (oldMean[j] - mu[j]) * decay;
      nextVariance[j] = oldVariance[j] - (oldVariance[j] - sigma2[j] * scale) * decay;
    }
  }
  tf.tidy(() => {
    bn.movingMean.assign(tf.tensor1d(nextMean));
    bn.movingVariance.assign(tf.tensor1d(nextVariance));
  });
}
