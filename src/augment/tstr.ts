/**
 * Train on synthetic, test on real (TSTR) as a training signal: every `tstrEvery` epochs a
 * classifier trained on one set of the augmenter's synthetic rows alone (the training fold's
 * labels) is scored on real rows the augmenter never trained on. The caller gives those rows
 * (`fit(train, { validation })`), taken from the training speakers, never the test fold
 * (`holdOutGroups` splits them off). The curve (`tstrUar`, `tstrWa`) goes into the fit's
 * history beside label fidelity; with `stop: 'tstr'` training ends once `tstrPatience` epochs
 * have passed without a better `tstrUar` (the model of the last epoch is kept, as ADAN's rule).
 *
 * @example
 *   const [fitRows, validation] = holdOutGroups(fold.train, 2, 0);     // two training speakers
 *   const a = await adan({ tstrEvery: 50 }).fit(fitRows, { validation });
 *   a.history.filter((h) => h.tstrUar !== undefined);                  // the TSTR curve
 */
import type { Dataset } from '../data/dataset';
import { subset } from '../data/dataset';
import { makeClassifier, CLASSIFIER_NAMES } from '../classify/index';
import { uar, wa } from '../eval/metrics';
import { OptionError } from '../util/errors';
import { Random } from '../util/random';
import { checkInt, checkOneOf } from './options';

/** The TSTR settings every trained augmenter has. */
export interface TstrOptions {
  /** Measure TSTR after every this many epochs (and after the last); 0 = never. Default 0. */
  tstrEvery: number;
  /** The classifier trained on synthetic rows, with its defaults (a name `makeClassifier` knows). Default 'svm'. */
  tstrClassifier: string;
  /** 'tstr': stop once `tstrPatience` epochs pass without a better TSTR UAR; 'none': train all epochs. Default 'none'. */
  stop: 'none' | 'tstr';
  /** Epochs without a better TSTR UAR before `stop: 'tstr'` ends training. Default 300. */
  tstrPatience: number;
}

export const TSTR_DEFAULTS: Readonly<TstrOptions> = { tstrEvery: 0, tstrClassifier: 'svm', stop: 'none', tstrPatience: 300 };

/** Settings that only decide what is measured while `stop` is 'none'. */
export const TSTR_MEASUREMENT_KEYS = ['tstrEvery', 'tstrClassifier', 'tstrPatience'] as const;

/** The fields TSTR adds to the records of the epochs it is measured on. */
export type TstrFields = { tstrUar?: number; tstrWa?: number };

export function validateTstr(what: string, o: TstrOptions): void {
  checkInt(`${what}.tstrEvery`, o.tstrEvery, 0);
  checkOneOf(`${what}.tstrClassifier`, o.tstrClassifier, CLASSIFIER_NAMES);
  checkOneOf(`${what}.stop`, o.stop, ['none', 'tstr'] as const);
  checkInt(`${what}.tstrPatience`, o.tstrPatience, 1);
  if (o.stop === 'tstr' && o.tstrEvery === 0) throw new OptionError(`${what}.tstrEvery`, o.tstrEvery, "a positive number of epochs when stop is 'tstr' (the signal it stops on)");
}

/** True after 0-based `epoch` when TSTR is due: every `every` epochs and at the last. */
export function tstrDue(epoch: number, every: number, epochs: number): boolean {
  return every > 0 && ((epoch + 1) % every === 0 || epoch + 1 === epochs);
}

/** UAR and WA on `validation` of a classifier trained on `synthetic` rows only. */
export async function tstrScore(synthetic: Dataset, validation: Dataset, classifier: string): Promise<Required<TstrFields>> {
  const clf = makeClassifier(classifier, {} as never);
  await clf.fit(synthetic);
  const pred = clf.predict(validation.x);
  (clf as { dispose?: () => void }).dispose?.();
  return { tstrUar: uar(validation.y, pred, validation.classes.length), tstrWa: wa(validation.y, pred) };
}

/** True when the last TSTR measurement is `patience` or more epochs after the best one. */
export function tstrStop(history: readonly (TstrFields & { epoch: number })[], patience: number): boolean {
  let best: { epoch: number; uar: number } | undefined;
  let last: number | undefined;
  for (const h of history) {
    if (h.tstrUar === undefined) continue;
    if (!best || h.tstrUar > best.uar) best = { epoch: h.epoch, uar: h.tstrUar };
    last = h.epoch;
  }
  return best !== undefined && last! - best.epoch >= patience;
}

/**
 * Split a training fold by group (speaker or session): `count` groups, drawn with `seed`, become
 * the validation rows; the rest is what the augmenter trains on.
 */
export function holdOutGroups(train: Dataset, count: number, seed: number): [Dataset, Dataset] {
  const groups = [...new Set(train.groups)].sort();
  if (!(Number.isInteger(count) && count >= 1 && count < groups.length)) {
    throw new OptionError('holdOutGroups.count', count, `an integer from 1 to ${groups.length - 1} (the training rows have ${groups.length} groups)`);
  }
  const held = new Set(Array.from(new Random(seed).permutation(groups.length).slice(0, count), (i) => groups[i]));
  const keep: number[] = [];
  const out: number[] = [];
  train.groups.forEach((g, i) => (held.has(g) ? out : keep).push(i));
  return [subset(train, keep, `${train.name} without ${[...held].join(', ')}`), subset(train, out, `${train.name}: ${[...held].join(', ')}`)];
}

/**
 * Replay a stopping rule on a finished history: the number of epochs a run that checked `rule`
 * before every epoch would have trained (the first prefix for which it holds), or undefined when
 * it never fires. For comparing rules on one long run (TSTR's, ADAN's, a fixed count).
 */
export function replayStop<R extends { epoch: number }>(history: readonly R[], rule: (prefix: readonly R[]) => boolean): number | undefined {
  for (let e = 1; e <= history.length; e++) if (rule(history.slice(0, e))) return e;
  return undefined;
}
