/**
 * The seam every data-augmentation method shares (CTGAN's verbs: fit, sample, save, load).
 * Settings (hyper-parameters) go to the constructor and stay as given; `fit(train, control)`
 * takes the data and what steers one run (callbacks, checkpointing), as scikit-learn's `fit`
 * never rewrites an estimator's settings.
 */
import type { Dataset } from '../data/dataset';
import type { TstrFields } from './tstr';

export const AUGMENT_METHODS = ['copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan'] as const;
export type AugmentMethod = (typeof AUGMENT_METHODS)[number];

/** One row of training history per epoch; each method adds its own loss fields (paper's names). */
export interface EpochRecord {
  epoch: number;
  seconds: number;
  [loss: string]: number;
}

/**
 * The records each method writes, with the paper's names for the losses: typed, so a typo in a
 * field name (`h.G` vs `h.g`) fails to compile. Each is an `EpochRecord` too (read generically by
 * plots and progress displays).
 */
export type GanEpoch = { epoch: number; seconds: number; D: number; G: number } & TstrFields;
export type CganEpoch = GanEpoch;
export type AaeEpoch = { epoch: number; seconds: number; D: number; E: number; R: number } & TstrFields;
/** ADAN and WADAN, on the epochs it is measured (`fidelityEvery`): labels recognised by C(E(.)) and by the nearest real class centroid. */
export type FidelityFields = { labelFidelity?: number; labelFidelityCentroid?: number };
/**
 * ADAN: D (Eq. 10), C (11), R (12), E (13), G (14), and D's mean probability on generated latents
 * (pFake, every epoch) and on real ones (pReal: on label fidelity's epochs and wherever the
 * early-stop rule could count the epoch; see `Adan`): the early-stop statistic.
 */
export type AdanEpoch = { epoch: number; seconds: number; D: number; C: number; R: number; E: number; G: number; pReal?: number; pFake: number } & FidelityFields & TstrFields;
/** WADAN: D (Eq. 17) with its gradient-penalty term GP, C, R, E, G (Eq. 18). */
export type WadanEpoch = { epoch: number; seconds: number; D: number; GP: number; C: number; R: number; E: number; G: number } & FidelityFields & TstrFields;

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
  /** Real rows the augmenter does not train on (training speakers held out, never the test fold), for the TSTR signal (`tstrEvery`). */
  validation?: Dataset;
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
