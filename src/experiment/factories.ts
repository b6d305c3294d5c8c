/**
 * How the runner makes classifiers, augmenters and datasets. The defaults use the project's
 * factories (`makeClassifier` of src/classify, `makeAugmenter` of src/augment, `loadDataset` of
 * src/data/registry); tests and notebooks can pass their own (any object with the same verbs).
 */
import type { Classifier } from '../classify/classifier';
import { CLASSIFIER_NAMES, makeClassifier } from '../classify/index';
import type { Augmenter } from '../augment/augmenter';
import { AUGMENT_METHODS, loadAugmenter, makeAugmenter, type AugmentMethod } from '../augment/index';
import type { Dataset } from '../data/dataset';
import { loadDataset } from '../data/registry';

export interface ClassifierFactory {
  /** Names accepted by `make` (checked before any work starts). */
  readonly names: readonly string[];
  /** A new, unfitted classifier; `seed` is derived by the runner for this unit. */
  make(name: string, options: Record<string, unknown>, seed: number): Classifier;
}

export interface AugmenterFactory {
  /** Methods accepted by `make` (besides `none`, which needs no augmenter). */
  readonly methods: readonly string[];
  /** A new, unfitted augmenter; `seed` is derived by the runner for this fold/method/repeat. */
  make(method: string, options: Record<string, unknown>, seed: number): Augmenter;
  /** A fitted augmenter saved by `augmenter.save(dir)` (lets the runner reuse kept augmenters; without it they are fitted again). */
  load?(dir: string): Promise<Augmenter>;
}

/** Turns `spec.data` (a name or path) into a Dataset. */
export type DataLoader = (nameOrPath: string) => Dataset | Promise<Dataset>;

/** The options with the runner's seed added, unless the caller fixed a seed in the options. */
function withSeed(options: Record<string, unknown>, seed: number): Record<string, unknown> {
  return 'seed' in options ? { ...options } : { ...options, seed };
}

/** `makeClassifier` from src/classify (svm, dnn). */
export const defaultClassifiers: ClassifierFactory = {
  names: CLASSIFIER_NAMES,
  make(name, options, seed) {
    return makeClassifier(name, withSeed(options, seed));
  },
};

/** `makeAugmenter` from src/augment (copy, noise, smote, gan, cgan, aae, adan, wadan). */
export const defaultAugmenters: AugmenterFactory = {
  methods: AUGMENT_METHODS,
  make(method, options, seed) {
    return makeAugmenter(method as AugmentMethod, withSeed(options, seed));
  },
  async load(dir) {
    return loadAugmenter(dir);
  },
};

/** `loadDataset` from src/data/registry. */
export const defaultLoader: DataLoader = (nameOrPath) => loadDataset(nameOrPath);
