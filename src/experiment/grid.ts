/**
 * The grids of the paper's Tables I and II (and Fig. 6, 7) as experiment specs, full or quick.
 */
import * as path from 'node:path';
import { OptionError, checkOptionKeys } from '../util/errors';
import { PAPER_EPOCHS, PAPER_REPEATS, PAPER_TABLES, TRAINED_METHODS, paperTable, type PaperDataset } from '../protocol/paper';
import { DEFAULT_PROTOCOL, PROTOCOLS, augmentOptions, classifierOptions, protocol as protocolNamed, type ProtocolName } from '../protocol/protocols';
import type { AugmentSpec, ClassifierSpec, ExperimentSpec } from './spec';
import { STEPS_METHOD } from './steps';
import { INNER_DNN_STAGES, type InnerRowsMode, type SelectMode } from './inner';

export { paperTable, type PaperDataset };

export interface ReproduceOptions {
  /** A small grid that finishes in minutes (see `reproduceGrid`). Default false. */
  quick: boolean;
  /** Dataset name or path instead of the default (emodb-is11, iemocap-is10). */
  data: string | undefined;
  /** Training epochs of the GAN-type augmenters instead of the grid's (full: 1500; quick: 20). */
  epochs: number | undefined;
  /** Seed of the experiment. Default 0. */
  seed: number;
  /**
   * Only these methods of the grid (e.g. the training-free ones first: a few hours, where the
   * GAN-type ones most of a day). Their units are the full grid's, so a later full run in the same
   * store reuses them. Default: all.
   */
  methods: string[] | undefined;
  /**
   * Only these classifiers of the grid ('svm', 'dnn'), e.g. the fast SVM units first. Default:
   * all. (`adan-lab reproduce --classifiers` then keeps the fitted augmenters in the store, so
   * the run for the other classifier loads them instead of fitting them again.)
   */
  classifiers: string[] | undefined;
  /** Classifiers and augmenter settings: `paper` (default) or `code` (src/protocol/protocols.ts). */
  protocol: ProtocolName;
  /**
   * Add the steps control (steps.ts): the DNN on real rows alone for (k + 1) times its epochs at
   * every k, as many updates as k augmented sets give. Default false.
   */
  stepsControl: boolean;
  /**
   * `inner`: also choose each outer fold's number of sets by inner folds on its training
   * speakers (spec.select, inner.ts; best.csv's setsInner and uarInner). Under the paper
   * protocol the DNN's number of epochs is chosen with them: its units keep the stages
   * `INNER_DNN_STAGES` (best.csv's epochsInner), which gives them keys of their own; the SVM's
   * outer units are unchanged. Default `test` (the paper's pick on the test folds only).
   */
  select: SelectMode;
  /** With select `inner`: `auto` (default), `shared` or `refit` synthetic rows for the inner units (spec.innerRows). */
  innerRows: InnerRowsMode | undefined;
  /**
   * One augmenter per fold and repeat, each with its own seed (spec.augmenterPerRepeat), so the
   * ± over repeats includes which augmenter was trained: repeat 1 keeps the grid's own fit,
   * repeats 2 and 3 fit theirs (2 more fits per fold and method). Its lines are labelled
   * '(an augmenter per repeat)' beside the usual ones; real-only units are shared. Default false.
   */
  augmenterPerRepeat: boolean;
  /**
   * Only these folds (1-based), e.g. one speaker at a time so that each fold's units can be
   * saved (`results export`) before the next begins. Their units are the full grid's, so a later
   * run of every fold in the same store reuses them (resolveSpec checks them). Default: the
   * grid's folds (quick: its own).
   */
  folds: number[] | undefined;
  /**
   * Only these numbers of augmented sets of the grid (0 is the real-only point), e.g. a reduced
   * IEMOCAP grid of 0, 1, 2, 3, 5 and 10 sets where the full one does not fit the hours at hand
   * (issue 14). Set j of a fold's augmenter is drawn with seeds of its own, so these units are
   * the full grid's and a later full run in the same store reuses them. The tables' "mean over
   * sets" and the inner choice are then over these sets only. Default: the grid's (full 0-10;
   * quick: its own).
   */
  sets: number[] | undefined;
}

export const REPRODUCE_DEFAULTS: ReproduceOptions = { quick: false, data: undefined, epochs: undefined, seed: 0, methods: undefined, classifiers: undefined, protocol: DEFAULT_PROTOCOL, stepsControl: false, select: 'test', innerRows: undefined, augmenterPerRepeat: false, folds: undefined, sets: undefined };

/** The paper protocol's DNN of each dataset (Section V-B, V-C), from src/protocol. */
export const PAPER_DNN: Readonly<Record<PaperDataset, Readonly<Record<string, unknown>>>> = PROTOCOLS.paper.dnn;

/** Epochs of the GAN-type augmenters in a quick run (far too few to be useful: the table says so). */
export const QUICK_EPOCHS = 20;

/**
 * The experiment behind Table I (`emodb`) or II (`iemocap`).
 *
 * Full: methods none, copy, noise, smote, gan, cgan, aae, adan, wadan x 0..10 sets x 3 repeats
 * x the protocol's SVM and DNN (`paper`: the linear SVM and ReLU DNN the text names; `code`: the
 * authors' RBF SVC and Keras DNN), GAN-type augmenters trained for the paper's epochs, every fold
 * (10 speakers / 5 sessions). EmoDB, paper protocol: 22.5 h of one-thread compute recorded
 * (BENCHMARKS.md); run it with `jobs` workers or sharded (docs/slurm-example.sbatch).
 *
 * Quick: folds 1-3 and 0-2 sets (EmoDB) or fold 1 and 0-1 sets (IEMOCAP), none, copy, noise,
 * smote and a 20-epoch WADAN, 1 repeat, linear SVM: minutes, and it shows the machinery, not
 * the method (a 20-epoch WADAN produces rows that do not yet carry their label). Measured here
 * (2 shared cores, load ~12): EmoDB quick 7.5 min wall (2 min CPU); one IEMOCAP SVM unit on
 * ~4400 training rows about 1 min.
 *
 * EmoDB (the authors' features) is used as given: already z-normalised over all rows, as the
 * authors did. IEMOCAP (raw IS10 features) is z-normalised on each training fold.
 */
export function reproduceGrid(dataset: PaperDataset, options: Partial<ReproduceOptions> = {}): ExperimentSpec {
  if (dataset !== 'emodb' && dataset !== 'iemocap') throw new OptionError('dataset', dataset, "'emodb' or 'iemocap'");
  checkOptionKeys('reproduceGrid', options, REPRODUCE_DEFAULTS);
  const o: ReproduceOptions = { ...REPRODUCE_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  if (o.epochs !== undefined && !(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new OptionError('epochs', o.epochs, 'a whole number >= 1');
  const p = protocolNamed(o.protocol);
  if (o.select === 'inner' && o.sets && !o.sets.some((k) => k > 0)) throw new OptionError('sets', o.sets.join(','), 'some number of sets >= 1 with select inner (the inner folds choose among them)');
  // only when asked: a grid without them is the spec it always was
  const select = o.select === 'inner' ? { select: o.select, ...(o.innerRows ? { innerRows: o.innerRows } : {}) } : o.innerRows ? { innerRows: o.innerRows } : {};
  const perRepeat = o.augmenterPerRepeat ? { augmenterPerRepeat: true } : {};
  const data = o.data ?? PAPER_TABLES[dataset].dataset;
  const normalize = 'auto'; // none for the authors' (already z-normalised) EmoDB features, zscore per training fold otherwise
  const svmOptions = classifierOptions(p, 'svm', dataset);
  // the paper protocol's SVM is written without options, as its stored units always were
  const svm: ClassifierSpec = Object.keys(svmOptions).length === 0 ? { name: 'svm' } : { name: 'svm', options: svmOptions };
  // the paper gives no DNN epochs, so with inner selection they are chosen too (the authors' code fixes its 20)
  const stages = o.select === 'inner' && p.name === 'paper' ? { stages: [...INNER_DNN_STAGES] } : {};
  const dnn: ClassifierSpec = { name: 'dnn', options: { ...classifierOptions(p, 'dnn', dataset), ...stages } };
  const trained = (method: string, epochs: number): AugmentSpec => ({ method, options: augmentOptions(p, method, epochs) });
  if (o.quick) {
    const epochs = o.epochs ?? QUICK_EPOCHS;
    return {
      data,
      folds: o.folds ?? (dataset === 'emodb' ? [1, 2, 3] : [1]),
      augment: onlyMethods(['none', 'copy', 'noise', 'smote', trained('wadan', epochs)], o.methods),
      sets: onlySets(dataset === 'emodb' ? [0, 1, 2] : [0, 1], o.sets),
      repeats: 1,
      classifiers: only('classifiers', [svm], (c) => c.name, o.classifiers),
      seed: o.seed,
      normalize,
      protocol: p.name,
      ...select,
      ...perRepeat,
    };
  }
  const epochs = o.epochs ?? PAPER_EPOCHS;
  return {
    data,
    ...(o.folds ? { folds: o.folds } : {}),
    augment: onlyMethods(['none', 'copy', 'noise', 'smote', ...TRAINED_METHODS.map((m) => trained(m, epochs)), ...(o.stepsControl || o.methods?.includes(STEPS_METHOD) ? [STEPS_METHOD] : [])], o.methods),
    sets: onlySets([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], o.sets),
    repeats: PAPER_REPEATS,
    classifiers: only('classifiers', [svm, dnn], (c) => c.name, o.classifiers),
    seed: o.seed,
    normalize,
    protocol: p.name,
    ...select,
    ...perRepeat,
  };
}

/** The grid's augment list restricted to `methods` (all when undefined). */
function onlyMethods(all: (string | AugmentSpec)[], methods: string[] | undefined): (string | AugmentSpec)[] {
  return only('methods', all, (a) => (typeof a === 'string' ? a : a.method), methods);
}

/** The grid's numbers of sets restricted to `sets` (all when undefined), in the grid's order. */
function onlySets(all: number[], sets: number[] | undefined): number[] {
  return only('sets', all, String, sets?.map(String));
}

/** The items of `all` whose name is in `names` (all when undefined); an unknown name is an error. */
function only<T>(option: string, all: T[], name: (item: T) => string, names: string[] | undefined): T[] {
  if (names === undefined) return all;
  const known = all.map(name);
  const unknown = names.filter((m) => !known.includes(m));
  if (unknown.length > 0 || names.length === 0) throw new OptionError(option, names.join(','), `some of ${known.join(', ')}`);
  return all.filter((a) => names.includes(name(a)));
}

/**
 * Where `reproduce` keeps a grid when no --store is given: `results/<corpus>`, then `-code` for
 * the code protocol, `-<data>` for a dataset other than the corpus' default (e.g.
 * `results/emodb-synthetic-quick`), `-quick` for quick runs. Each store holds one dataset and
 * one protocol (the store refuses others), so two of them never share a folder by default.
 */
export function defaultStore(which: PaperDataset, o: { protocol: string; data?: string; quick?: boolean }): string {
  const data = o.data && o.data !== paperTable(which).dataset ? `-${path.basename(o.data).replace(/\.[a-z0-9]+$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_')}` : '';
  return path.join('results', `${which}${o.protocol === 'paper' ? '' : `-${o.protocol}`}${data}${o.quick ? '-quick' : ''}`);
}
