/**
 * The losses of the paper, each as a small function of tensors (means over the batch).
 */
import { tf } from '../backend/tf';
import { meanSquaredError, softmaxCrossEntropy, withTfjsOps } from '../backend/dense';
import { resolveClassWeights, type ClassWeights } from '../data/class-weights';

/** mean over rows of BCE(sigmoid(logits), target): softplus(l) - target * l (stable form). */
export function bceWithLogits(logits: tf.Tensor, target: 0 | 1): tf.Scalar {
  return tf.tidy(() => {
    const sp = tf.softplus(logits);
    return (target === 1 ? tf.mean(tf.sub(sp, logits)) : tf.mean(sp)) as tf.Scalar;
  });
}

/** mean over rows of log(1 - sigmoid(l)) = -softplus(l): the saturating generator term (Eq. 1, Eq. 14). */
export function logOneMinusSigmoid(logits: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.softplus(logits))) as tf.Scalar);
}

/**
 * Class-weighted cross-entropy (Eq. 11): mean over rows i of w_i * (-sum_k y_ik log softmax(l_i)_k),
 * where w_i is the weight of row i's class. As the authors' code: the mean divides by the batch
 * size, not by the sum of weights.
 */
export function weightedCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D, rowWeights: tf.Tensor1D): tf.Scalar {
  return softmaxCrossEntropy(logits, oneHot, rowWeights); // one native kernel on the native backend
}

/** Mean squared error over all elements (Eq. 9, Eq. 12; the code's reduce_mean of squared differences). */
export function reconstructionLoss(x: tf.Tensor, xHat: tf.Tensor): tf.Scalar {
  return meanSquaredError(x, xHat); // one native kernel on the native backend
}

/**
 * Gradient penalty of the Wasserstein divergence (Eq. 16, 17): mean over rows of
 * ||grad_h D(h)||_2^p at the interpolates h. Written as (sum of squared partials)^(p/2), so
 * p = 2 is WGAN-GP's squared norm without the "- 1", and the authors' code
 * (sum of squares)^5 is p = 10.
 */
export function gradientPenalty(critic: (h: tf.Tensor2D) => tf.Tensor, interpolates: tf.Tensor2D, power: number): tf.Scalar {
  // differentiated twice (by the critic's optimizer): the critic must run as tfjs ops
  return withTfjsOps(() => tf.tidy(() => {
    const grad = tf.grad((h: tf.Tensor) => tf.sum(critic(h as tf.Tensor2D)))(interpolates);
    const sq = tf.sum(tf.square(grad), 1);
    return tf.mean(power === 2 ? sq : tf.pow(sq, power / 2)) as tf.Scalar;
  }));
}

/** How classes are weighted in the classification losses (Eq. 11, Section IV-D): src/data/class-weights.ts. */
export type ClassWeightMode = ClassWeights;

/** Weight per class for the augmenters' losses (float32); classes without training rows get 0. */
export function classWeights(counts: readonly number[], mode: ClassWeightMode): Float32Array {
  return Float32Array.from(resolveClassWeights(mode, counts, 'classWeights'));
}
