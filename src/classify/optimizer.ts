/**
 * The one place the classifiers get their optimizer: the project's Adam (`makeAdam`, fused on
 * the native backend, `tf.train.adam` elsewhere), so a change of optimizer touches one line.
 */
import { makeAdam } from '../backend/adam';
import type { tf } from '../backend/tf';

export interface ClassifierAdam {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
}

/** A fresh Adam for one `fit` (the caller disposes it). */
export function makeClassifierOptimizer(o: ClassifierAdam): tf.Optimizer {
  return makeAdam({ learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon });
}
