/**
 * What a run needs before it computes, shared by the one-process runner (runner.ts) and the
 * parallel one (parallel.ts): its options, the checked spec with its data and plan, the store.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Dataset } from '../data/dataset';
import { splitFolds, type FoldData } from '../data/folds';
import { datasetFingerprint } from './hash';
import { defaultAugmenters, defaultClassifiers, defaultLoader, type AugmenterFactory, type ClassifierFactory, type DataLoader } from './factories';
import { fitCost, parseShard, planUnits, type PlannedUnit, type Shard, type UnitGroup } from './plan';
import type { EpochProgress, Progress, RunEvents } from './run-progress';
import { EXPERIMENT_DEFAULTS, SELECT_FIELDS, resolveNormalize, resolveSpec, type ExperimentSpec, type ResolvedSpec } from './spec';
import { innerFolds, splitInner, type InnerSplit } from './inner';
import { STEPS_METHOD, epochsOfClassifier } from './steps';
import { ResultStore, type UnitRecord } from './store';

export interface RunOptions {
  /** Folder of the result store (created when missing). Required. */
  storeDir: string;
  /** Run only shard i of N (`{index, count}` or `'i/N'`). Default: everything. */
  shard?: Shard | string;
  /** Called after every finished unit (and once at the start). */
  onProgress?: (p: Progress) => void;
  /** Stop between units (and before an augmenter fit) when aborted; finished units stay stored. */
  signal?: AbortSignal;
  /** Classifier factory. Default: src/classify's `makeClassifier`. */
  classifiers?: ClassifierFactory;
  /** Augmenter factory. Default: src/augment's `makeAugmenter`. */
  augmenters?: AugmenterFactory;
  /** Dataset loader for `spec.data` names. Default: src/data/registry's `loadDataset`. */
  loadData?: DataLoader;
  /**
   * Keep the synthetic sets of an augmenter on disk until all units that use them are stored,
   * so a killed run does not retrain it (removed after). Default true.
   */
  cacheSets?: boolean;
  /**
   * Checkpoint a training augmenter every this many epochs into its group's cache folder, so a
   * run killed during a long fit (1500 WADAN epochs) resumes that fit instead of restarting it;
   * 0 turns it off. Needs `cacheSets`. Default 50.
   */
  checkpointEvery?: number;
  /** Called after every training epoch of an augmenter (for a progress display during long fits). */
  onEpoch?: (e: EpochProgress) => void;
  /**
   * Also save every fitted augmenter (true) or those of the listed methods under `<store>/augmenters/<group>/`, and
   * load it from there instead of fitting it when a later run needs its group again (e.g. the
   * DNN units after an SVM-only run of the same grid). Default false.
   */
  keepAugmenters?: boolean | readonly string[];
  /**
   * Other stores whose kept augmenters (`keepAugmenters`) this run may load, read-only, instead
   * of fitting them: a group's key covers the dataset, fold, method, options and seed, so a kept
   * augmenter of the same key is the fit this run would make. The stores must hold the same
   * dataset; their protocol may differ (both protocols run the same GAN, cGAN and AAE). With
   * `keepAugmenters` a loaded one is also saved into this store. Default none.
   */
  reuseFitsFrom?: readonly string[];
  /**
   * Set up the tfjs backend (`initBackend` of src/backend: ADAN_BACKEND, else the fastest
   * available) before the first network is built, when the spec has a DNN or a GAN-type
   * augmenter. Default true; false leaves the backend as the caller set it.
   */
  initBackend?: boolean;
  /** Notes that need attention but do not stop the run (e.g. a damaged unit file that is recomputed). Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Milliseconds, for the reported seconds and the eta. Default `performance.now` (tests pass a fake clock). */
  clock?: () => number;
  /**
   * Worker processes (each with cores / jobs BLAS threads) that split the units by claiming them
   * from the store (src/experiment/parallel.ts); they use the default classifiers and augmenters.
   * Default 1: this process computes every unit itself.
   */
  jobs?: number;
  /**
   * Seconds without a sign of life after which another host's claim on a unit group is taken
   * over (a dead process on this host is taken over at once). Default 600.
   */
  claimStaleSeconds?: number;
  /** Milliseconds between looks at groups another process holds, once this one has nothing else to do. Default 2000. */
  pollMs?: number;
  /** Also told every event of the run (the workers of a `jobs` run forward them to their parent). */
  events?: RunEvents;
}

export interface RunResult {
  /** Stored records of every unit of this shard, in plan order. */
  records: UnitRecord[];
  /** Units of this shard. */
  total: number;
  /** Units computed by this call. */
  computed: number;
  /** Units found in the store. */
  reused: number;
  /** Wall-clock seconds of this call. */
  seconds: number;
  storeDir: string;
  shard: Shard;
  /** Hash of the stored spec (`<store>/specs/<hash>.json`). */
  specHash: string;
  /** The tfjs backend set up for this run (undefined when the spec needs no networks). */
  backend?: string;
}

/** Thrown when `signal` aborts a run. Finished units stay in the store. */
export class ExperimentAborted extends Error {
  constructor(readonly done: number, readonly total: number) {
    super(`experiment aborted after ${done} of ${total} units; run the same call again to continue`);
    this.name = 'ExperimentAborted';
  }
}

/** Everything the runner prepares before computing: the data, its folds, the plan. */
export interface PreparedExperiment {
  spec: ResolvedSpec;
  data: Dataset;
  fingerprint: string;
  folds: FoldData[];
  groups: UnitGroup[];
  /** The spec as stored (the dataset replaced by its name and fingerprint). */
  storedSpec: Record<string, unknown>;
  /** What a reader of the results should know, e.g. a test fold without some class. */
  notes: string[];
}

/**
 * Check a spec, load its data and list its units, without computing anything. Every bad
 * configuration (unknown method or classifier, sets outside 0..10, repeats < 1, a fold with a
 * class missing from its training rows, a fold that does not exist) fails here.
 */
export async function prepareExperiment(spec: ExperimentSpec, options: Pick<RunOptions, 'classifiers' | 'augmenters' | 'loadData'> = {}): Promise<PreparedExperiment> {
  const classifiers = options.classifiers ?? defaultClassifiers;
  const augmenters = options.augmenters ?? defaultAugmenters;
  const resolved = resolveSpec(spec, augmenters.methods, classifiers.names);
  // Build every classifier and augmenter once (settings only, no data): bad option names or
  // values, and methods that are not available, fail now rather than hours into the run.
  const release = (o: unknown): void => (o as { dispose?: () => void }).dispose?.();
  const inEpochs = new Set<string>(); // classifiers trained in epochs: the steps control applies to them
  for (const c of resolved.classifiers) {
    const made = classifiers.make(c.name, c.options, 0);
    if (epochsOfClassifier(made) !== undefined) inEpochs.add(c.label);
    release(made);
  }
  for (const a of resolved.augment) if (a.method !== 'none' && a.method !== STEPS_METHOD) release(augmenters.make(a.method, a.options, 0));
  const data = typeof resolved.data === 'string' ? await (options.loadData ?? defaultLoader)(resolved.data) : resolved.data;
  resolved.normalize = resolveNormalize(resolved.normalize, data.name);
  const fingerprint = datasetFingerprint(data);
  const folds = splitFolds(data, resolved.folds);
  const identity = { name: data.name, fingerprint, n: data.n, d: data.d };
  const innerOf = resolved.select === 'inner' ? planInnerFolds(folds, resolved) : undefined;
  const groups = planUnits(resolved, identity, folds.map((f) => ({ index: f.fold.index, group: f.fold.group })), (c) => inEpochs.has(c.label), innerOf);
  const storedSpec = withoutDefaultSelect({ ...resolved, data: identity, folds: folds.map((f) => f.fold.index) });
  return { spec: resolved, data, fingerprint, folds, groups, storedSpec, notes: missingTestClasses(folds) };
}

/**
 * The inner folds of every outer fold, from its training groups only; each is split once here so
 * that an inner fold whose training rows lack a class fails before any work.
 */
function planInnerFolds(folds: readonly FoldData[], spec: ResolvedSpec): Map<number, InnerSplit[]> {
  const out = new Map<number, InnerSplit[]>();
  for (const f of folds) {
    const inner = innerFolds(f.train.groups, f.fold, spec.seed, spec.innerFolds);
    for (const i of inner) splitInner(f.train, i, f.fold.index);
    out.set(f.fold.index, inner);
  }
  return out;
}

/** The stored spec without the selection fields at their defaults: a spec that does not use them is stored as before they existed. */
function withoutDefaultSelect(spec: Record<string, unknown>): Record<string, unknown> {
  const out = { ...spec };
  for (const k of SELECT_FIELDS) if (out[k] === EXPERIMENT_DEFAULTS[k]) delete out[k];
  return out;
}

/** RunOptions with their defaults, checked. */
export function checkRunOptions(options: RunOptions) {
  if (!options || typeof options.storeDir !== 'string' || options.storeDir === '') throw new Error('runExperiment: options.storeDir (the folder of the result store) is required');
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard ?? { index: 1, count: 1 };
  if (typeof options.shard === 'object') parseShard(`${shard.index}/${shard.count}`);
  const checkpointEvery = options.checkpointEvery ?? 50;
  if (!(Number.isInteger(checkpointEvery) && checkpointEvery >= 0)) throw new Error(`runExperiment: options.checkpointEvery must be a whole number >= 0 (0 = off), got ${checkpointEvery}`);
  const jobs = options.jobs ?? 1;
  if (!(Number.isInteger(jobs) && jobs >= 1)) throw new Error(`runExperiment: options.jobs must be a whole number >= 1, got ${jobs}`);
  return {
    shard,
    checkpointEvery,
    jobs,
    cacheSets: options.cacheSets ?? true,
    classifiers: options.classifiers ?? defaultClassifiers,
    augmenters: options.augmenters ?? defaultAugmenters,
    warn: options.onWarning ?? ((m: string) => console.warn(`adan-lab: ${m}`)),
    clock: options.clock ?? (() => performance.now()),
  };
}

/**
 * The stores of `reuseFitsFrom`, checked to be stores of the experiment's dataset (an error names
 * the folder and the problem otherwise).
 */
export function reuseStores(prep: PreparedExperiment, dirs: readonly string[] = []): ResultStore[] {
  return dirs.map((dir) => {
    if (!fs.existsSync(path.join(dir, 'store.json'))) throw new Error(`reuseFitsFrom: ${dir} is not a result store (no store.json)`);
    const other = new ResultStore(dir);
    const data = other.identity().dataset;
    if (!data || data.fingerprint !== prep.fingerprint) {
      throw new Error(`reuseFitsFrom: ${dir} holds ${data ? `${data.name} (fingerprint ${data.fingerprint.slice(0, 8)})` : 'no recorded dataset'}, this run ${prep.data.name} (fingerprint ${prep.fingerprint.slice(0, 8)}): its augmenters were fitted on other rows`);
    }
    return other;
  });
}

/** The store of a prepared experiment, checked to hold its dataset and protocol. */
export function openStore(prep: PreparedExperiment, dir: string): ResultStore {
  return new ResultStore(dir).init({ dataset: { name: prep.data.name, fingerprint: prep.fingerprint }, protocol: prep.spec.protocol });
}

/**
 * Whether a group's fit is still to run: not when a kept augmenter or the cached sets of an
 * interrupted run will be loaded instead (file names only: an estimate, not a check).
 */
export function fitAheadIn(store: ResultStore, cacheSets: boolean, reuse: readonly ResultStore[] = []): (g: UnitGroup, pending: readonly PlannedUnit[]) => boolean {
  return (g, pending) =>
    fitCost(g).total > 0 &&
    pending.some((u) => u.config.sets > 0) &&
    ![store, ...reuse].some((s) => fs.existsSync(path.join(s.augmenterDir(g.key), 'experiment-group.json'))) &&
    !(cacheSets && pending.every((u) => Array.from({ length: u.config.sets }, (_, j) => `r${u.config.repeat}-s${j + 1}.json`).every((f) => fs.existsSync(path.join(store.cacheDir(g.key), f)))));
}

/** The stored records of every unit of `groups`, in plan order. */
export function collectRecords(store: ResultStore, groups: readonly UnitGroup[], dir: string): UnitRecord[] {
  return groups.flatMap((g) => g.units).map((u) => {
    const r = store.get(u.key);
    if (!r) throw new Error(`runExperiment: unit ${u.key} is missing from ${dir} after the run (was the store removed while running?)`);
    return r;
  });
}

/**
 * A note per test fold that lacks some class: that fold's own UAR averages the classes it has
 * (the pooled UAR over all folds covers every class).
 */
export function missingTestClasses(folds: readonly FoldData[]): string[] {
  const notes: string[] = [];
  for (const f of folds) {
    const counts = new Array<number>(f.test.classes.length).fill(0);
    for (let i = 0; i < f.test.n; i++) counts[f.test.y[i]]++;
    const absent = f.test.classes.filter((_, c) => counts[c] === 0);
    if (absent.length > 0) notes.push(`fold ${f.fold.index} (${f.fold.group}) has no test rows of ${absent.join(', ')}: its own UAR averages the other ${f.test.classes.length - absent.length} classes; pooled UAR covers all`);
  }
  return notes;
}
