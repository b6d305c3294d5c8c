/**
 * The augmenters behind one interface (`Augmenter`: fit / sample / save, plus `loadAugmenter`).
 *
 *   const aug = await makeAugmenter('wadan', { epochs: 1500 }).fit(trainFold, { onEpoch: r => log(r) });
 *   const synthetic = aug.sample(trainFold.y, { seed: 1 });   // one row per requested label, original scale
 *   await aug.save('runs/wadan-fold1');
 *   const again = await loadAugmenter('runs/wadan-fold1');     // samples the same rows for the same seed
 *
 * Lowercase factories for notebooks: copy(), noise(), smote(), gan(), cgan(), aae(), adan(), wadan().
 * Training steps for benchmarks and tests: trainAdanOneStep, trainWadanOneStep, trainGanOneStep,
 * trainCganOneStep, trainAaeOneStep with buildAdanNets / buildEncoder / ... .
 */
import { initBackend } from '../backend/init';
import { OptionError } from '../util/errors';
import { AUGMENT_METHODS, type AugmentMethod } from './augmenter';
import { readManifest } from './io';
import { CopyAugmenter, COPY_DEFAULTS, type CopyOptions } from './copy';
import { NoiseAugmenter, NOISE_DEFAULTS, type NoiseOptions } from './noise';
import { SmoteAugmenter, SMOTE_DEFAULTS, type SmoteOptions } from './smote';
import { Gan, GAN_DEFAULTS, type GanOptions } from './gan';
import { Cgan, CGAN_DEFAULTS, type CganOptions } from './cgan';
import { Aae, AAE_DEFAULTS, type AaeOptions } from './aae';
import { Adan, ADAN_DEFAULTS, type AdanOptions } from './adan';
import { Wadan, WADAN_DEFAULTS, type WadanOptions } from './wadan';

export * from './augmenter';
export { CopyAugmenter, copy, COPY_DEFAULTS, type CopyOptions } from './copy';
export { NoiseAugmenter, noise, NOISE_DEFAULTS, featureStd, type NoiseOptions } from './noise';
export { SmoteAugmenter, smote, SMOTE_DEFAULTS, type SmoteOptions } from './smote';
export { Gan, gan, GAN_DEFAULTS, trainGanOneStep, ganDiscriminatorLoss, ganGeneratorLoss, type GanOptions, type GanLoss } from './gan';
export { Cgan, cgan, CGAN_DEFAULTS, trainCganOneStep, cganDiscriminatorLoss, cganGeneratorLoss, type CganOptions } from './cgan';
export { Aae, aae, AAE_DEFAULTS, AAE_LATENT_DIM, trainAaeOneStep, aaeDiscriminatorLoss, samplePrior, type AaeOptions } from './aae';
export { Adan, adan, ADAN_DEFAULTS, trainAdanOneStep, buildAdanOptimizers, adanDiscriminatorLoss, adanGeneratorLoss, adanProbabilities, adanEarlyStop, type AdanOptions, type AdanBatch, type AdanOptimizers, type AdanStepLosses } from './adan';
export { Wadan, wadan, WADAN_DEFAULTS, trainWadanOneStep, wadanDiscriminatorLoss, wadanGeneratorLoss, interpolate, type WadanOptions, type WadanBatch, type WadanStepLosses } from './wadan';
export { LATENT_DEFAULTS, LatentAugmenter, buildAdanNets, buildEncoder, buildDecoder, buildClassifier, buildGenerator, buildDiscriminator, generateLatent, type AdanNets, type AdanSizes, type LatentOptions } from './latent';
export { NEURAL_DEFAULTS, NeuralAugmenter, type NeuralOptions } from './neural';
export { Mlp, leakyRelu, BATCH_NORM_MODES, type BatchNormMode, type MlpSpec } from './nets';
export { bceWithLogits, weightedCrossEntropy, reconstructionLoss, gradientPenalty, classWeights, type ClassWeightMode } from './losses';
export { adam, type AdamSettings } from './optim';
export { readManifest, MANIFEST_FILE, MANIFEST_VERSION, type Manifest } from './io';

/** Options of each method, by name. */
export interface AugmentOptionsMap {
  copy: CopyOptions;
  noise: NoiseOptions;
  smote: SmoteOptions;
  gan: GanOptions;
  cgan: CganOptions;
  aae: AaeOptions;
  adan: AdanOptions;
  wadan: WadanOptions;
}

/** The class of each method, by name. */
export interface AugmenterMap {
  copy: CopyAugmenter;
  noise: NoiseAugmenter;
  smote: SmoteAugmenter;
  gan: Gan;
  cgan: Cgan;
  aae: Aae;
  adan: Adan;
  wadan: Wadan;
}

/** The defaults of each method's options (the keys its constructor accepts). */
export const AUGMENT_DEFAULTS: Readonly<Record<AugmentMethod, object>> = {
  copy: COPY_DEFAULTS, noise: NOISE_DEFAULTS, smote: SMOTE_DEFAULTS, gan: GAN_DEFAULTS, cgan: CGAN_DEFAULTS, aae: AAE_DEFAULTS, adan: ADAN_DEFAULTS, wadan: WADAN_DEFAULTS,
};

/**
 * The part of `options` that `method` takes, and the keys it does not (so that one command line
 * can loop over all methods with, say, `--epochs`: a training-free method ignores it).
 */
export function applicableOptions(method: AugmentMethod, options: Record<string, unknown>): { options: Record<string, unknown>; ignored: string[] } {
  const known = AUGMENT_DEFAULTS[method] as Record<string, unknown>;
  const keep = Object.entries(options).filter(([k]) => k in known);
  return { options: Object.fromEntries(keep), ignored: Object.keys(options).filter((k) => !(k in known)) };
}

/** Build an unfitted augmenter by method name (settings as for the method's constructor). */
export function makeAugmenter<M extends AugmentMethod>(method: M, options?: Partial<AugmentOptionsMap[M]>): AugmenterMap[M] {
  const o = options as never;
  switch (method as AugmentMethod) {
    case 'copy':
      return new CopyAugmenter(o) as AugmenterMap[M];
    case 'noise':
      return new NoiseAugmenter(o) as AugmenterMap[M];
    case 'smote':
      return new SmoteAugmenter(o) as AugmenterMap[M];
    case 'gan':
      return new Gan(o) as AugmenterMap[M];
    case 'cgan':
      return new Cgan(o) as AugmenterMap[M];
    case 'aae':
      return new Aae(o) as AugmenterMap[M];
    case 'adan':
      return new Adan(o) as AugmenterMap[M];
    case 'wadan':
      return new Wadan(o) as AugmenterMap[M];
    default:
      throw new OptionError('method', method, `one of ${AUGMENT_METHODS.join(', ')}`);
  }
}

/** Rebuild a fitted augmenter from the folder `save(dir)` wrote (manifest + weights). */
export async function loadAugmenter(dir: string): Promise<AugmenterMap[AugmentMethod]> {
  const m = readManifest(dir);
  await initBackend();
  if (!(AUGMENT_METHODS as readonly string[]).includes(m.method)) throw new OptionError('manifest method', m.method, `one of ${AUGMENT_METHODS.join(', ')}`);
  const aug = makeAugmenter(m.method, m.options as never);
  return aug.restore(dir, m);
}
export { TSTR_DEFAULTS, holdOutGroups, replayStop, tstrScore, tstrStop, type TstrOptions, type TstrFields } from './tstr';
