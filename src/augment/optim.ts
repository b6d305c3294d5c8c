/**
 * The one place the augmenters create optimizers: src/backend's `makeAdam` (a fused native Adam
 * on the native backend, tfjs' Adam elsewhere).
 */
import type { tf } from '../backend/tf';
import { makeAdam } from '../backend/adam';

/** Adam settings (the paper's: learning rate 1e-4, beta1 0.5, epsilon 1e-5; beta2 TF's 0.999). */
export interface AdamSettings {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/**
 * One Adam optimizer. Note: tfjs and makeAdam add epsilon to the root of the bias-corrected
 * second moment (PyTorch's form); TF1's AdamOptimizer, which the authors used, adds it before
 * the bias correction ("epsilon hat"). The two differ only in the first few hundred steps, by
 * a factor sqrt(1 - beta2^t) on epsilon.
 */
export function adam(s: AdamSettings): tf.Optimizer {
  return makeAdam({ learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon });
}
