/**
 * What an experiment is: dataset x folds x augmenter (method + options) x number of augmented
 * sets x repeats x classifier (+ options). A plain JSON-able object, so a notebook can build one,
 * the CLI can print one, and the store can keep the one it ran.
 */
import type { Dataset } from '../data/dataset';
import { OptionError, checkOptionKeys, describe } from '../util/errors';
import { MAX_SETS } from '../protocol/paper';
import { PROTOCOL_NAMES } from '../protocol/protocols';
import { STEPS_METHOD } from './steps';
import { INNER_FOLDS, INNER_ROWS, SELECT_MODES, type InnerRowsMode, type SelectMode } from './inner';

/** `none` = real rows only (0 augmented sets). */
export type MethodName = string;

/** One augmenter of the grid: a method and its options (passed to the augmenter's constructor). */
export interface AugmentSpec {
  /** `none`, `steps` (the steps control, steps.ts), or a method of `AUGMENT_METHODS` (copy, noise, smote, gan, cgan, aae, adan, wadan). */
  method: MethodName;
  /** Constructor options of the augmenter (e.g. `{ epochs: 1500 }`). Default `{}` = its defaults. */
  options?: Record<string, unknown>;
  /** Name in tables. Default: the method, plus the options when another entry has the same method. */
  label?: string;
}

/** One classifier of the grid. */
export interface ClassifierSpec {
  /** A name of `CLASSIFIER_NAMES` (svm, dnn). */
  name: string;
  /** Constructor options of the classifier (e.g. `{ C: 1 }`, `{ hidden: [100, 100] }`). Default `{}`. */
  options?: Record<string, unknown>;
  /** Name in tables. Default: the name, plus the options when another entry has the same name. */
  label?: string;
}

export interface ExperimentSpec {
  /** A dataset name or path for `loadDataset` (`emodb-is11`, `iemocap-is10`, `synthetic`, ...), or a Dataset. */
  data: string | Dataset;
  /** 1-based fold numbers (leave-one-group-out, one fold per speaker/session). Default: all. */
  folds?: number[];
  /** Augmenters to compare. Default `['none']`. */
  augment?: (MethodName | AugmentSpec)[];
  /** Numbers of augmented sets added to the real training fold, each in 0..10. Default `[0]`. */
  sets?: number[];
  /** Repeats of every point with fresh random draws (the paper: 3). Default 1. */
  repeats?: number;
  /** Classifiers. Default `['svm']`. */
  classifiers?: (string | ClassifierSpec)[];
  /** Seed of the whole experiment; every augmenter, set and classifier seed derives from it. Default 0. */
  seed?: number;
  /**
   * Feature normalisation, fitted on the real rows of each training fold only and applied to its
   * test rows; augmenters are fitted on the normalised training rows, so their synthetic rows
   * are already in that space. `zscore`, `none`, or `auto` (default): `none` for datasets that
   * come normalised already (`PRENORMALIZED_DATASETS`: the authors' EmoDB IS11 features,
   * z-normalised over all 535 rows before the split, on which scikit-learn's anchor was
   * measured), `zscore` for everything else (e.g. raw IEMOCAP IS10).
   */
  normalize?: 'auto' | 'zscore' | 'none';
  /**
   * Fit an augmenter for every repeat (true: repeats then vary the augmenter's training as well
   * as the draws; repeat 1 keeps the augmenter of the grid without this, the same fit and sets,
   * and repeats 2, 3, ... fit their own from seeds of their own), or one per fold and method with repeats
   * differing only in the synthetic rows drawn (default false: the authors' `train_adan.py`
   * trains one network per fold and draws the sets from it; the paper's "3 times for each trial
   * of random selection").
   */
  augmenterPerRepeat?: boolean;
  /**
   * What the classifier is trained on: `real+synthetic` (default; the paper's Fig. 6, 7) or
   * `synthetic` (the augmented sets only, Fig. 8; needs sets >= 1).
   */
  train?: 'real+synthetic' | 'synthetic';
  /**
   * The protocol whose settings the spec's options follow (`paper` or `code`,
   * src/protocol/protocols.ts), recorded in the store so that runs of another protocol cannot
   * write into it. It does not change any setting by itself (`reproduceGrid` fills the options
   * in). Default: none named (a custom spec; the store's protocol is then not checked).
   */
  protocol?: string;
  /**
   * How the number of augmented sets is chosen for the tables: `test` (default) only as the
   * paper did, the best point on the test folds (an optimistic figure); `inner` also by inner
   * leave-speakers-out folds on each outer fold's training speakers (inner.ts): every outer unit
   * with sets >= 1 gets `innerFolds` inner units, the inner score of each number of sets is the
   * UAR pooled over the inner folds (mean over repeats), the choice its argmax (ties to fewer
   * sets), and the outer fold's test UAR is read at that choice from the outer units already
   * computed (best.csv: setsInner, uarInner). The outer units, and their keys, are the same in
   * both modes, so a store computed with `test` is reused as it is. A classifier that keeps
   * stages (the DNN's `stages`) has its number of epochs chosen with the sets (epochsInner), and
   * its real-only units get inner units too.
   */
  select?: SelectMode;
  /**
   * With `select: 'inner'`: where the inner units' synthetic rows come from, `shared` (the outer
   * fold's augmenter, so the inner test speakers were seen by it; no extra fit), `refit` (an
   * augmenter fitted per inner fold on its training rows only), or `auto` (default: refit for
   * copy, noise, smote, whose fits are free; shared for the GAN-type ones). See inner.ts.
   */
  innerRows?: InnerRowsMode;
  /** With `select: 'inner'`: inner folds per outer fold (the training groups dealt into them, seeded). Default 3. */
  innerFolds?: number;
}

/** The spec's defaults, in one place. */
export const EXPERIMENT_DEFAULTS = {
  folds: undefined as number[] | undefined,
  augment: ['none'] as (MethodName | AugmentSpec)[],
  sets: [0] as number[],
  repeats: 1,
  classifiers: ['svm'] as (string | ClassifierSpec)[],
  seed: 0,
  normalize: 'auto' as 'auto' | 'zscore' | 'none',
  augmenterPerRepeat: false,
  train: 'real+synthetic' as 'real+synthetic' | 'synthetic',
  protocol: undefined as string | undefined,
  select: 'test' as SelectMode,
  innerRows: 'auto' as InnerRowsMode,
  innerFolds: INNER_FOLDS,
};

/** Spec fields that a stored spec leaves out at their defaults (specs stored before they existed hash as they did). */
export const SELECT_FIELDS = ['select', 'innerRows', 'innerFolds'] as const;

/** Datasets whose features come normalised already (`normalize: 'auto'` leaves them as they are). */
export const PRENORMALIZED_DATASETS: readonly string[] = ['emodb-is11'];

/** What `normalize: 'auto'` means for a dataset. */
export function resolveNormalize(how: 'auto' | 'zscore' | 'none', datasetName: string): 'zscore' | 'none' {
  if (how !== 'auto') return how;
  return PRENORMALIZED_DATASETS.includes(datasetName) ? 'none' : 'zscore';
}

export { MAX_SETS };

/** A spec with every default filled in and every entry in object form. */
export interface ResolvedSpec {
  data: string | Dataset;
  folds: number[] | undefined;
  augment: Required<AugmentSpec>[];
  sets: number[];
  repeats: number;
  classifiers: Required<ClassifierSpec>[];
  seed: number;
  normalize: 'auto' | 'zscore' | 'none';
  augmenterPerRepeat: boolean;
  train: 'real+synthetic' | 'synthetic';
  protocol: string | undefined;
  select: SelectMode;
  innerRows: InnerRowsMode;
  innerFolds: number;
}

/**
 * Check a spec and fill in defaults. `methods` and `classifierNames` are the names the
 * factories accept. Throws an OptionError naming the bad field, value and what is expected.
 */
export function resolveSpec(spec: ExperimentSpec, methods: readonly string[], classifierNames: readonly string[]): ResolvedSpec {
  if (spec === null || typeof spec !== 'object') throw new OptionError('spec', spec, 'an ExperimentSpec object');
  checkOptionKeys('spec', spec, { data: 0, ...EXPERIMENT_DEFAULTS });
  const s = { ...EXPERIMENT_DEFAULTS, ...dropUndefined(spec) } as Required<ExperimentSpec>;
  if (typeof s.data !== 'string' && !(s.data && typeof s.data === 'object' && 'x' in s.data)) {
    throw new OptionError('spec.data', s.data, 'a dataset name or path, or a Dataset');
  }
  if (s.folds !== undefined) {
    if (!Array.isArray(s.folds) || s.folds.length === 0 || s.folds.some((f) => !Number.isInteger(f) || f < 1)) {
      throw new OptionError('spec.folds', s.folds, 'a non-empty list of 1-based fold numbers');
    }
    if (new Set(s.folds).size !== s.folds.length) throw new OptionError('spec.folds', s.folds, 'fold numbers without duplicates');
  }
  if (!Array.isArray(s.sets) || s.sets.length === 0) throw new OptionError('spec.sets', s.sets, `a non-empty list of numbers of augmented sets in 0..${MAX_SETS}`);
  for (const k of s.sets) {
    if (!Number.isInteger(k) || k < 0 || k > MAX_SETS) {
      throw new OptionError('spec.sets', k, `a whole number of augmented sets in 0..${MAX_SETS} (each set is one training fold's worth of synthetic rows)`);
    }
  }
  if (new Set(s.sets).size !== s.sets.length) throw new OptionError('spec.sets', s.sets, 'numbers of sets without duplicates');
  if (!Number.isInteger(s.repeats) || s.repeats < 1) throw new OptionError('spec.repeats', s.repeats, 'a whole number >= 1');
  if (!Number.isInteger(s.seed) || s.seed < 0) throw new OptionError('spec.seed', s.seed, 'a whole number >= 0');
  if (s.normalize !== 'auto' && s.normalize !== 'zscore' && s.normalize !== 'none') throw new OptionError('spec.normalize', s.normalize, "'auto', 'zscore' or 'none'");
  if (typeof s.augmenterPerRepeat !== 'boolean') throw new OptionError('spec.augmenterPerRepeat', s.augmenterPerRepeat, 'true or false');
  if (s.train !== 'real+synthetic' && s.train !== 'synthetic') throw new OptionError('spec.train', s.train, "'real+synthetic' or 'synthetic'");
  if (s.protocol !== undefined && !(PROTOCOL_NAMES as readonly string[]).includes(s.protocol)) throw new OptionError('spec.protocol', s.protocol, `one of ${PROTOCOL_NAMES.join(', ')}, or none for a custom spec`);
  if (!SELECT_MODES.includes(s.select)) throw new OptionError('spec.select', s.select, `one of ${SELECT_MODES.join(', ')}`);
  if (!INNER_ROWS.includes(s.innerRows)) throw new OptionError('spec.innerRows', s.innerRows, `one of ${INNER_ROWS.join(', ')}`);
  if (!Number.isInteger(s.innerFolds) || s.innerFolds < 2) throw new OptionError('spec.innerFolds', s.innerFolds, 'a whole number >= 2');
  if (s.select !== 'inner') {
    // inner settings without inner selection would be silently ignored: say so instead
    if (s.innerRows !== EXPERIMENT_DEFAULTS.innerRows) throw new OptionError('spec.innerRows', s.innerRows, "only with spec.select 'inner'");
    if (s.innerFolds !== EXPERIMENT_DEFAULTS.innerFolds) throw new OptionError('spec.innerFolds', s.innerFolds, "only with spec.select 'inner'");
  } else if (!s.sets.some((k) => k > 0)) {
    throw new OptionError('spec.sets', s.sets, "some number of sets >= 1 when spec.select is 'inner' (the inner folds choose among them)");
  }
  if (s.train === 'synthetic' && s.sets.includes(0)) throw new OptionError('spec.sets', s.sets, "sets >= 1 when spec.train is 'synthetic' (0 sets would train on nothing)");

  if (!Array.isArray(s.augment) || s.augment.length === 0) throw new OptionError('spec.augment', s.augment, 'a non-empty list of methods');
  const known = ['none', STEPS_METHOD, ...methods];
  const augment = s.augment.map((a, i) => {
    const e: AugmentSpec = typeof a === 'string' ? { method: a } : a;
    if (!e || typeof e !== 'object') throw new OptionError(`spec.augment[${i}]`, a, 'a method name or { method, options }');
    checkOptionKeys(`spec.augment[${i}]`, e, { method: 0, options: 0, label: 0 });
    if (!known.includes(e.method)) throw new OptionError(`spec.augment[${i}].method`, e.method, `one of ${known.join(', ')}`);
    const options = e.options ?? {};
    if (typeof options !== 'object' || Array.isArray(options)) throw new OptionError(`spec.augment[${i}].options`, options, 'an options object');
    if ((e.method === 'none' || e.method === STEPS_METHOD) && Object.keys(options).length > 0) throw new OptionError(`spec.augment[${i}].options`, options, `no options for method '${e.method}'`);
    return { method: e.method, options, label: e.label ?? '' };
  });
  if (s.train === 'synthetic' && augment.some((a) => a.method === 'none' || a.method === STEPS_METHOD)) {
    throw new OptionError('spec.augment', augment.find((a) => a.method === 'none' || a.method === STEPS_METHOD)!.method, "augmenters only when spec.train is 'synthetic'");
  }
  labelEntries(augment, (a) => a.method);

  if (!Array.isArray(s.classifiers) || s.classifiers.length === 0) throw new OptionError('spec.classifiers', s.classifiers, 'a non-empty list of classifiers');
  const classifiers = s.classifiers.map((c, i) => {
    const e: ClassifierSpec = typeof c === 'string' ? { name: c } : c;
    if (!e || typeof e !== 'object') throw new OptionError(`spec.classifiers[${i}]`, c, 'a classifier name or { name, options }');
    checkOptionKeys(`spec.classifiers[${i}]`, e, { name: 0, options: 0, label: 0 });
    if (!classifierNames.includes(e.name)) throw new OptionError(`spec.classifiers[${i}].name`, e.name, `one of ${classifierNames.join(', ')}`);
    const options = e.options ?? {};
    if (typeof options !== 'object' || Array.isArray(options)) throw new OptionError(`spec.classifiers[${i}].options`, options, 'an options object');
    return { name: e.name, options, label: e.label ?? '' };
  });
  labelEntries(classifiers, (c) => c.name);
  return { ...s, augment, classifiers } as ResolvedSpec;
}

/** Fill in default labels (name, or name + options when the name repeats) and reject duplicates. */
function labelEntries<T extends { options: Record<string, unknown>; label: string }>(entries: T[], nameOf: (e: T) => string): void {
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(nameOf(e), (counts.get(nameOf(e)) ?? 0) + 1);
  for (const e of entries) {
    if (!e.label) e.label = (counts.get(nameOf(e)) ?? 0) > 1 ? `${nameOf(e)} ${compactOptions(e.options)}` : nameOf(e);
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.label)) throw new OptionError('spec label', e.label, `distinct labels: ${describe(e.label)} names two entries (give them different options or labels)`);
    seen.add(e.label);
  }
}

/** `{epochs:400,alpha:0.1}` as `epochs=400,alpha=0.1`. */
export function compactOptions(options: Record<string, unknown>): string {
  const keys = Object.keys(options).sort();
  return keys.length === 0 ? 'defaults' : keys.map((k) => `${k}=${typeof options[k] === 'object' ? JSON.stringify(options[k]) : String(options[k])}`).join(',');
}

/** Options as the tables print them: '' for none, else {@link compactOptions}. */
export function optionsText(o: Record<string, unknown>): string {
  return Object.keys(o).length === 0 ? '' : compactOptions(o);
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
