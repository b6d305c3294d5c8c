/**
 * Emotion classifiers behind one interface (`fit / predict`, `save` + `loadClassifier`): the
 * linear SVM and the ReLU DNN the paper's text names, and what the authors' scripts run, the
 * RBF-kernel SVM (scikit-learn's `SVC(kernel='rbf')`) and their Keras DNN (`DNN_AUTHORS_OPTIONS`).
 *
 * @example
 * const svm = await makeClassifier('svm', { C: 1 }).fit(train);
 * const rbf = await makeClassifier('svm', { kernel: 'rbf', C: 10, gamma: 'auto' }).fit(train);
 * const net = await makeClassifier('dnn', { ...DNN_PRESETS.iemocap, epochs: 50 }).fit(train);
 */
import { OptionError } from '../util/errors';
import { CLASSIFIER_NAMES, type Classifier, type ClassifierName } from './classifier';
import { Dnn, type DnnOptions } from './dnn';
import { KernelSvm, type KernelSvmOptions } from './kernel-svm';
import { LinearSvm, type LinearSvmOptions } from './linear-svm';

export { CLASSIFIER_NAMES } from './classifier';
export type { Classifier, ClassifierName } from './classifier';
export { LinearSvm, linearSvm, LINEAR_SVM_DEFAULTS } from './linear-svm';
export type { LinearSvmOptions, LinearSvmFitInfo } from './linear-svm';
export { KernelSvm, kernelSvm, KERNEL_SVM_DEFAULTS, resolveGamma } from './kernel-svm';
export type { KernelSvmOptions, KernelSvmFitInfo, GammaSpec } from './kernel-svm';
export { loadClassifier } from './load';
export { Dnn, dnn, DNN_DEFAULTS, DNN_PRESETS, DNN_AUTHORS_OPTIONS } from './dnn';
export type { DnnOptions, DnnEpoch, DnnWeights } from './dnn';
export { resolveClassWeights } from './class-weights';
export type { ClassWeightSpec } from './class-weights';

/** Options of each classifier by name. */
export interface ClassifierOptionsByName {
  /** The linear SVM's options (`kernel` absent or `'linear'`); `{ kernel: 'rbf', ... }` gives a KernelSvm. */
  svm: Partial<LinearSvmOptions> & { kernel?: 'linear' };
  dnn: Partial<DnnOptions>;
}

/**
 * A classifier by name (CLI `--classifier svm|dnn`), with its options. `svm` is the linear SVM
 * unless the options say `kernel: 'rbf'` (then a KernelSvm). Unknown names fail, listing the known ones.
 */
export function makeClassifier(name: 'svm', options: Partial<KernelSvmOptions> & { kernel: 'rbf' }): KernelSvm;
export function makeClassifier<N extends ClassifierName>(name: N, options?: ClassifierOptionsByName[N]): N extends 'svm' ? LinearSvm : Dnn;
export function makeClassifier(name: string, options?: object): Classifier;
export function makeClassifier(name: string, options: object = {}): Classifier {
  switch (name) {
    case 'svm':
      return (options as { kernel?: unknown }).kernel === 'rbf'
        ? new KernelSvm(options as Partial<KernelSvmOptions>)
        : new LinearSvm(options as Partial<LinearSvmOptions>);
    case 'dnn': return new Dnn(options as Partial<DnnOptions>);
    default: throw new OptionError('classifier', name, `one of ${CLASSIFIER_NAMES.join(', ')}`);
  }
}
