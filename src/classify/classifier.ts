/**
 * The seam between features and emotion predictions (scikit-learn's estimator verbs).
 * Settings go to the constructor; data to `fit`.
 */
import type { Dataset } from '../data/dataset';

export interface Classifier {
  /** Short name for results and tables, e.g. `svm`, `dnn`. */
  readonly name: string;
  /** Learn from the training rows (real, or real + synthetic). Resolves to `this`. */
  fit(train: Dataset): Promise<this>;
  /** One class index per row of `x` (row-major, the fitted dimension). */
  predict(x: Float32Array): Int32Array;
  /** Class probabilities, row-major n x classes, where the model has them. */
  predictProba?(x: Float32Array): Float32Array;
}

/** The classifier names the CLI and the runner accept. */
export const CLASSIFIER_NAMES = ['svm', 'dnn'] as const;
export type ClassifierName = (typeof CLASSIFIER_NAMES)[number];
