/**
 * The seam every data-augmentation method shares (CTGAN's verbs: fit, sample, save, load).
 * Settings (hyper-parameters) go to the constructor and stay as given; `fit(train, control)`
 * takes the data and what steers one run (callbacks, checkpointing), as scikit-learn's `fit`
 * never rewrites an estimator's settings.
 */
import type { Dataset } from '../data/dataset';

export const AUGMENT_METHODS = ['copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan'] as const;
export type AugmentMethod = (typeof AUGMENT_METHODS)[number];

/** One row of training history per epoch; each method adds its own loss fields (paper's names). */
export interface EpochRecord {
  epoch: number;
  seconds: number;
  [loss: string]: number;
}

/** Control of one `fit` call: progress, checkpoints, resume. */
export interface FitControl {
  /** Called after every epoch with that epoch's record. */
  onEpoch?: (record: EpochRecord) => void;
  /** Folder for checkpoints; with `checkpointEvery`, training state is saved there. */
  checkpointDir?: string;
  /** Save a checkpoint every this many epochs (0 = never). */
  checkpointEvery?: number;
  /** Continue from the checkpoint in `checkpointDir` when one exists. */
  resume?: boolean;
}

export interface SampleOptions {
  /** Seed of the sampling noise; the same seed gives the same rows (also after save/load). */
  seed?: number;
}

export interface Augmenter {
  readonly method: AugmentMethod;
  /** Per-epoch losses (empty for methods without training). */
  readonly history: readonly EpochRecord[];
  /** Train on the training fold only. Resolves to `this`. */
  fit(train: Dataset, control?: FitControl): Promise<this>;
  /** Exactly one synthetic row per requested label, in the original feature space. */
  sample(labels: ArrayLike<number>, options?: SampleOptions): Dataset;
  /** Write everything needed to sample again (manifest JSON + weights) into `dir`. */
  save(dir: string): Promise<void>;
  /** Free the memory held (tfjs variables of the networks); the augmenter must be fitted again after this. */
  dispose(): void;
}
