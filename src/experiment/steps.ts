/**
 * The steps control (`augment: ['steps']`): "more data" or "more gradient steps"? A classifier
 * trained on the real rows plus k augmented sets sees (k + 1) times as many rows per epoch, so
 * (k + 1) times as many updates. A `steps` unit at k sets trains the same classifier on the real
 * rows alone for (k + 1) times its epochs: as many updates as the k-set point, no new rows. Its
 * line beside copy's tells how much of an augmentation gain the extra steps alone give. It only
 * means something for classifiers trained in epochs (the DNN); the plan leaves it out for others.
 */

/** The pseudo-method's name in specs and tables. */
export const STEPS_METHOD = 'steps';

/**
 * Epochs of a `steps` unit at `sets` augmented sets, for a classifier trained `epochs` epochs (and
 * so its stages: a stage after e epochs of the k-set point is one after e (k + 1) epochs here).
 */
export function stepsEpochs(epochs: number, sets: number): number {
  return epochs * (sets + 1);
}

/** The epochs a classifier's options resolve to (its `options.epochs`), or undefined for one not trained in epochs. */
export function epochsOfClassifier(classifier: unknown): number | undefined {
  const e = (classifier as { options?: { epochs?: unknown } }).options?.epochs;
  return typeof e === 'number' && Number.isInteger(e) && e > 0 ? e : undefined;
}
