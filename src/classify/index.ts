/**
 * Emotion classifiers behind one interface: the paper's linear SVM and DNN.
 *
 * @example
 * const svm = await makeClassifier('svm', { C: 1 }).fit(train);
 * const net = await makeClassifier('dnn', { ...DNN_PRESETS.iemocap, epochs: 50 }).fit(train);
 */
import { OptionError } from '../util/errors';
import { CLASSIFIER_NAMES, type Classifier, type ClassifierName } from './classifier';
import { Dnn, type DnnOptions } from './dnn';
import { LinearSvm, type LinearSvmOptions } from './linear-svm';

export { CLASSIFIER_NAMES } from './classifier';
export type { Classifier, ClassifierName } from './classifier';
export { LinearSvm, linearSvm, LINEAR_SVM_DEFAULTS } from './linear-svm';
export type { LinearSvmOptions, LinearSvmFitInfo } from './linear-svm';
export { Dnn, dnn, DNN_DEFAULTS, DNN_PRESETS } from './dnn';
export type { DnnOptions, DnnEpoch, DnnWeights } from './dnn';
export { resolveClassWeights } from './class-weights';
export type { ClassWeightSpec } from './class-weights';

/** Options of each classifier by name. */
export interface ClassifierOptionsByName {
  svm: Partial<LinearSvmOptions>;
  dnn: Partial<DnnOptions>;
}

/** A classifier by name (CLI `--classifier svm|dnn`), with its options. Unknown names fail, listing the known ones. */
export function makeClassifier<N extends ClassifierName>(name: N, options?: ClassifierOptionsByName[N]): N extends 'svm' ? LinearSvm : Dnn;
export function makeClassifier(name: string, options?: object): Classifier;
export function makeClassifier(name: string, options: object = {}): Classifier {
  switch (name) {
    case 'svm': return new LinearSvm(options as Partial<LinearSvmOptions>);
    case 'dnn': return new Dnn(options as Partial<DnnOptions>);
    default: throw new OptionError('classifier', name, `one of ${CLASSIFIER_NAMES.join(', ')}`);
  }
}
