/**
 * `loadClassifier(dir)`: any fitted classifier back from the folder its `save(dir)` wrote, by
 * the kind its manifest names (io.ts). The one loader for every classifier, as `loadAugmenter`
 * is for every augmenter.
 *
 * @example
 * await svm.save('models/svm-fold1');
 * const again = await loadClassifier('models/svm-fold1'); // predicts exactly what svm did
 */
import type { Classifier } from './classifier';
import { readClassifierManifest } from './io';
import { KernelSvm } from './kernel-svm';
import { LinearSvm } from './linear-svm';
import { Dnn } from './dnn';
import { DataError } from '../util/errors';

/** Rebuild a fitted classifier from the folder its `save(dir)` wrote. */
export async function loadClassifier(dir: string): Promise<Classifier> {
  const { manifest, file } = readClassifierManifest(dir);
  switch (manifest.kind) {
    case 'kernel-svm':
      return KernelSvm.fromManifest(dir, manifest, file);
    case 'linear-svm':
      return LinearSvm.fromManifest(dir, manifest, file);
    case 'dnn':
      return Dnn.fromManifest(dir, manifest, file);
    default:
      throw new DataError(file, `kind ${JSON.stringify(manifest.kind)} cannot be loaded by this adan-lab yet`);
  }
}
