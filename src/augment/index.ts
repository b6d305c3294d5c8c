/**
 * The augmenters behind one interface (`Augmenter`: fit / sample / save, plus `loadAugmenter`).
 *
 *   const aug = await makeAugmenter('smote').fit(trainFold);
 *   const synthetic = aug.sample(trainFold.y, { seed: 1 });   // one row per requested label
 *   await aug.save('runs/smote-fold1');
 *   const again = await loadAugmenter('runs/smote-fold1');
 */
import { OptionError } from '../util/errors';
import { AUGMENT_METHODS, type Augmenter, type AugmentMethod } from './augmenter';
import { readManifest } from './io';
import { CopyAugmenter, type CopyOptions } from './copy';
import { NoiseAugmenter, type NoiseOptions } from './noise';
import { SmoteAugmenter, type SmoteOptions } from './smote';

export * from './augmenter';
export { CopyAugmenter, copy, COPY_DEFAULTS, type CopyOptions } from './copy';
export { NoiseAugmenter, noise, NOISE_DEFAULTS, featureStd, type NoiseOptions } from './noise';
export { SmoteAugmenter, smote, SMOTE_DEFAULTS, type SmoteOptions } from './smote';
export { readManifest, MANIFEST_FILE, MANIFEST_VERSION, type Manifest } from './io';

/** Options of each method, by name. */
export interface AugmentOptionsMap {
  copy: CopyOptions;
  noise: NoiseOptions;
  smote: SmoteOptions;
}

/** Build an unfitted augmenter by method name (settings as for the method's constructor). */
export function makeAugmenter(method: AugmentMethod, options?: Record<string, unknown>): Augmenter {
  switch (method) {
    case 'copy':
      return new CopyAugmenter(options as Partial<CopyOptions>);
    case 'noise':
      return new NoiseAugmenter(options as Partial<NoiseOptions>);
    case 'smote':
      return new SmoteAugmenter(options as Partial<SmoteOptions>);
    default:
      if ((AUGMENT_METHODS as readonly string[]).includes(method)) throw new Error(`augmenter ${method}: not implemented yet`);
      throw new OptionError('method', method, `one of ${AUGMENT_METHODS.join(', ')}`);
  }
}

/** Rebuild a fitted augmenter from the folder `save(dir)` wrote (manifest + weights). */
export async function loadAugmenter(dir: string): Promise<Augmenter> {
  const m = readManifest(dir);
  switch (m.method) {
    case 'copy':
      return new CopyAugmenter(m.options as Partial<CopyOptions>).restore(dir, m);
    case 'noise':
      return new NoiseAugmenter(m.options as Partial<NoiseOptions>).restore(dir, m);
    case 'smote':
      return new SmoteAugmenter(m.options as Partial<SmoteOptions>).restore(dir, m);
    default:
      throw new Error(`loadAugmenter: method ${m.method} cannot be loaded yet`);
  }
}
