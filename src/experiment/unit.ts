/**
 * One unit of an experiment: the classifier trained on the real fold plus k augmented sets (or
 * the sets alone), scored on the test fold. Everything a unit's record holds comes from here.
 */
import { concat, type Dataset } from '../data/dataset';
import { uar, wa } from '../eval/metrics';
import { seedFromKey } from './hash';
import type { ClassifierFactory } from './factories';
import { keyWithoutStages, type PlannedUnit } from './plan';
import type { Classifier } from '../classify/classifier';
import { STEPS_METHOD, epochsOfClassifier, stepsEpochs } from './steps';
import type { UnitOutcome } from './store';

/**
 * The training rows of a unit: the real fold and its augmented sets, the sets alone
 * (`train: 'synthetic'`), or the real fold alone (0 sets).
 */
export function unitTrainingSet(unit: PlannedUnit, train: Dataset, sets: readonly Dataset[]): Dataset {
  if (unit.config.train === 'synthetic') return concat([...sets], `${train.name} synthetic`);
  return sets.length > 0 ? concat([train, ...sets], `${train.name} + ${unit.config.sets} sets`) : train;
}

/**
 * Fit the unit's classifier on the fold's real training rows and/or its `sets`, predict the
 * test rows, and score them. `fit`: the seconds (and epochs) of the group's augmenter fit, when
 * this unit is the first after it.
 */
export async function scoreUnit(unit: PlannedUnit, fold: { train: Dataset; test: Dataset }, sets: readonly Dataset[], classifiers: ClassifierFactory, fit: { seconds: number; epochs?: number }): Promise<UnitOutcome> {
  const c = unit.config;
  const { train, test } = fold;
  const trainSet = unitTrainingSet(unit, train, sets);
  const trainReal = c.train === 'synthetic' ? 0 : train.n;
  const t0 = performance.now();
  const clf = makeUnitClassifier(unit, classifiers);
  try {
    await clf.fit(trainSet);
    const staged = stagedPredictions(clf, test.x);
    const yPred = staged ? staged.final : clf.predict(test.x);
    const seconds = (performance.now() - t0) / 1000;
    if (yPred.length !== test.n) throw new Error(`classifier ${c.classifier.name} returned ${yPred.length} predictions for ${test.n} test rows`);
    const k = train.classes.length;
    return {
      ids: [...test.ids],
      yTrue: Array.from(test.y),
      yPred: Array.from(yPred),
      classes: [...train.classes],
      ...(staged ? { stages: staged.stages, epochs: staged.epochs } : {}),
      wa: wa(test.y, yPred),
      uar: uar(test.y, yPred, k),
      trainReal,
      trainSynthetic: trainSet.n - trainReal,
      seconds,
      augmenterSeconds: fit.seconds,
      ...(fit.epochs !== undefined ? { augmenterEpochs: fit.epochs } : {}),
      augmentLabel: unit.augmentLabel,
      classifierLabel: unit.classifierLabel,
      finishedAt: new Date().toISOString(),
    };
  } finally {
    (clf as { dispose?: () => void }).dispose?.();
  }
}

/**
 * A classifier fitted with stages (the DNN's `stages` option): its predictions of `x` at each
 * stage and at the end; undefined for one without them (its outcome is as it always was).
 */
function stagedPredictions(clf: Classifier, x: Float32Array): { stages: { epochs: number; yPred: number[] }[]; final: Int32Array; epochs: number } | undefined {
  const staged = clf as Classifier & { stagedPredict?: (x: Float32Array) => { epoch: number; yPred: Int32Array }[]; options?: { stages?: readonly number[] } };
  if (typeof staged.stagedPredict !== 'function' || !(staged.options?.stages?.length)) return undefined;
  const all = staged.stagedPredict(x);
  const last = all[all.length - 1];
  return { stages: all.slice(0, -1).map((s) => ({ epochs: s.epoch, yPred: Array.from(s.yPred) })), final: last.yPred, epochs: last.epoch };
}

/** The unit's classifier; for a steps-control unit, trained (k + 1) times its epochs (steps.ts). */
function makeUnitClassifier(unit: PlannedUnit, classifiers: ClassifierFactory): Classifier {
  const c = unit.config;
  const seed = seedFromKey(keyWithoutStages(c)); // unit.key, unless the classifier keeps stages (which change nothing it computes)
  if (c.augment.method !== STEPS_METHOD) return classifiers.make(c.classifier.name, c.classifier.options, seed);
  const probe = classifiers.make(c.classifier.name, c.classifier.options, seed);
  const epochs = epochsOfClassifier(probe);
  (probe as { dispose?: () => void }).dispose?.();
  if (epochs === undefined) throw new Error(`the steps control needs a classifier trained in epochs; ${c.classifier.name} is not`);
  // its stages scale with its epochs: each is as many updates as a stage of the k-set point
  const stages = c.classifier.options.stages;
  const scaled = Array.isArray(stages) ? { stages: stages.map((e: number) => stepsEpochs(e, c.sets)) } : {};
  return classifiers.make(c.classifier.name, { ...c.classifier.options, epochs: stepsEpochs(epochs, c.sets), ...scaled }, seed);
}
