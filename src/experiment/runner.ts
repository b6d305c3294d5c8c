/**
 * runExperiment: every unit of a spec (or of one shard of it), each stored as soon as it is
 * finished, so that running the same call again continues where a killed run stopped.
 *
 * Where what is applied, per fold (nothing of the test fold touches any fit):
 * 1. normalisation (`spec.normalize`, default z-score) is fitted on the fold's real training rows
 *    and applied to its training and test rows;
 * 2. the augmenter is fitted on the normalised training rows (once per fold, method + options and
 *    repeat, or once per fold and method + options with `augmenterPerRepeat: false`); its
 *    synthetic rows are therefore already in the normalised space (any scaling of its own, such
 *    as ADAN's max-abs scaling, happens inside the augmenter and is undone by its `sample`);
 * 3. augmented set j (j = 1..10) of repeat r holds exactly the training fold's labels, in a
 *    shuffled order, drawn with a seed of its own: set j is the same whichever other numbers of
 *    sets the grid asks for, and k sets = sets 1..k (the paper's progressively increased amount);
 * 4. the classifier is fitted on the real training rows + k sets (or the k sets alone with
 *    `train: 'synthetic'`) and predicts the test rows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { concat, type Dataset } from '../data/dataset';
import { splitFolds, type FoldData } from '../data/folds';
import { ZScore } from '../data/preprocess';
import { uar, wa } from '../eval/metrics';
import { Random } from '../util/random';
import { writeFileAtomic } from './atomic';
import { canonicalJson, datasetFingerprint, seedFromKey, sha256, stableKey } from './hash';
import { defaultAugmenters, defaultClassifiers, defaultLoader, type AugmenterFactory, type ClassifierFactory, type DataLoader } from './factories';
import { fitCost, parseShard, planUnits, shardGroups, unitCost, type PlannedUnit, type Shard, type UnitGroup } from './plan';
import { WorkMeter } from './eta';
import { resolveNormalize, resolveSpec, type ExperimentSpec, type ResolvedSpec } from './spec';
import { ResultStore, type UnitRecord } from './store';
import type { Augmenter, EpochRecord, FitControl } from '../augment/augmenter';
import { TRAINED_METHODS } from '../protocol/paper';

/** What `onProgress` receives after every finished unit (and once at the start, with `unit: null`). */
export interface Progress {
  /** Units of this shard finished so far, including those found in the store. */
  done: number;
  /** Units of this shard. */
  total: number;
  /** Units computed by this run so far (done - found in the store). */
  computed: number;
  /** The unit just finished, or null for the first report. */
  unit: { key: string; fold: number; method: string; sets: number; repeat: number; classifier: string; wa: number; uar: number; seconds: number } | null;
  /** Seconds since the run started. */
  seconds: number;
  /**
   * Estimated seconds left: this run's pace over the estimated cost of what it computed (a fit's
   * epochs, each unit's classifier), applied to what is left. Undefined until it has computed
   * something; units found in the store take no time and do not count.
   */
  eta: number | undefined;
}

/** What `onEpoch` receives after every training epoch of an augmenter. */
export interface EpochProgress {
  fold: number;
  method: string;
  /** The repeat the augmenter belongs to, or null when all repeats share it. */
  repeat: number | null;
  record: EpochRecord;
  /** Seconds since the run started. */
  seconds: number;
  /** As {@link Progress.eta}. */
  eta: number | undefined;
}

/**
 * One line describing a progress report, for a notebook's updating output or a log:
 * `37/160 units (12 from the store) 41.2 s, eta 2m10s | fold 3 copy 2 sets r1 svm: UAR 74.1 %`.
 */
export function formatProgress(p: Progress): string {
  const eta = p.eta !== undefined && p.done < p.total ? `, eta ${formatDuration(p.eta)}` : '';
  const found = p.done - p.computed > 0 ? ` (${p.done - p.computed} from the store)` : '';
  const u = p.unit;
  const last = u ? ` | fold ${u.fold} ${u.method} ${u.sets} sets r${u.repeat} ${u.classifier}: UAR ${(100 * u.uar).toFixed(1)} %` : '';
  return `${p.done}/${p.total} units${found} ${formatDuration(p.seconds)}${eta}${last}`;
}

function formatDuration(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

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
   * Set up the tfjs backend (`initBackend` of src/backend: ADAN_BACKEND, else the fastest
   * available) before the first network is built, when the spec has a DNN or a GAN-type
   * augmenter. Default true; false leaves the backend as the caller set it.
   */
  initBackend?: boolean;
  /** Notes that need attention but do not stop the run (e.g. a damaged unit file that is recomputed). Default: console.warn. */
  onWarning?: (message: string) => void;
  /** Milliseconds, for the reported seconds and the eta. Default `performance.now` (tests pass a fake clock). */
  clock?: () => number;
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
  for (const c of resolved.classifiers) release(classifiers.make(c.name, c.options, 0));
  for (const a of resolved.augment) if (a.method !== 'none') release(augmenters.make(a.method, a.options, 0));
  const data = typeof resolved.data === 'string' ? await (options.loadData ?? defaultLoader)(resolved.data) : resolved.data;
  resolved.normalize = resolveNormalize(resolved.normalize, data.name);
  const fingerprint = datasetFingerprint(data);
  const folds = splitFolds(data, resolved.folds);
  const identity = { name: data.name, fingerprint, n: data.n, d: data.d };
  const groups = planUnits(resolved, identity, folds.map((f) => ({ index: f.fold.index, group: f.fold.group })));
  const storedSpec = { ...resolved, data: identity, folds: folds.map((f) => f.fold.index) } as Record<string, unknown>;
  return { spec: resolved, data, fingerprint, folds, groups, storedSpec };
}

/**
 * Run every unit of `spec` (or of `options.shard`) that the store does not hold yet.
 *
 * @example
 * const run = await runExperiment(
 *   { data: 'emodb-is11', augment: ['none', 'copy'], sets: [0, 1, 2], classifiers: ['svm'] },
 *   { storeDir: 'results/emodb', onProgress: (p) => console.log(p.done, '/', p.total) });
 * const summary = summarize(run.records);
 */
export async function runExperiment(spec: ExperimentSpec, options: RunOptions): Promise<RunResult> {
  if (!options || typeof options.storeDir !== 'string' || options.storeDir === '') throw new Error('runExperiment: options.storeDir (the folder of the result store) is required');
  const clock = options.clock ?? (() => performance.now());
  const start = clock();
  const elapsed = (): number => (clock() - start) / 1000;
  const classifiers = options.classifiers ?? defaultClassifiers;
  const augmenters = options.augmenters ?? defaultAugmenters;
  const warn = options.onWarning ?? ((m: string) => console.warn(`adan-lab: ${m}`));
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard ?? { index: 1, count: 1 };
  if (typeof options.shard === 'object') parseShard(`${shard.index}/${shard.count}`);
  const cacheSets = options.cacheSets ?? true;
  const checkpointEvery = options.checkpointEvery ?? 50;
  if (!(Number.isInteger(checkpointEvery) && checkpointEvery >= 0)) throw new Error(`runExperiment: options.checkpointEvery must be a whole number >= 0 (0 = off), got ${checkpointEvery}`);

  const prep = await prepareExperiment(spec, options);
  // Networks (DNN classifier, GAN-type augmenters) run on the project's fastest tfjs backend;
  // specs without them never load tfjs.
  const needsTf = prep.spec.classifiers.some((c) => c.name === 'dnn') || prep.spec.augment.some((a) => TRAINED_METHODS.includes(a.method));
  let backend: string | undefined;
  if (needsTf && options.initBackend !== false) {
    const { initBackend } = require('../backend/init') as typeof import('../backend/init');
    backend = (await initBackend()).summary;
  }
  const store = new ResultStore(options.storeDir).init({ dataset: { name: prep.data.name, fingerprint: prep.fingerprint }, protocol: prep.spec.protocol });
  const specHash = store.putSpec(prep.storedSpec);
  const mine = shardGroups(prep.groups, shard);
  const units = mine.flatMap((g) => g.units);
  const total = units.length;
  const isDone = (u: PlannedUnit): boolean => store.get(u.key, (file, problem) => warn(`${file}: ${problem}; computing this unit again`)) !== undefined;
  const doneKeys = new Set(units.filter(isDone).map((u) => u.key));
  const reused = doneKeys.size;
  let computed = 0;
  // A fit counts only where one is still to run: not when a kept augmenter or the cached sets
  // of an interrupted run will be loaded instead (file names only: an estimate, not a check).
  const fitAhead = (g: UnitGroup, pending: readonly PlannedUnit[]): boolean =>
    fitCost(g).total > 0 &&
    pending.some((u) => u.config.sets > 0) &&
    !fs.existsSync(path.join(store.augmenterDir(g.key), 'experiment-group.json')) &&
    !(cacheSets && pending.every((u) => Array.from({ length: u.config.sets }, (_, j) => `r${u.config.repeat}-s${j + 1}.json`).every((f) => fs.existsSync(path.join(store.cacheDir(g.key), f)))));
  const meter = new WorkMeter(
    mine.reduce((sum, g) => {
      const pending = g.units.filter((u) => !doneKeys.has(u.key));
      return pending.length === 0 ? sum : sum + (fitAhead(g, pending) ? fitCost(g).total : 0) + pending.reduce((t, u) => t + unitCost(u), 0);
    }, 0),
  );
  // the pace counts from here: loading data and scanning the store are not work to extrapolate
  const meterStart = elapsed();
  const eta = (): number | undefined => meter.eta(elapsed() - meterStart);
  options.onProgress?.({ done: reused, total, computed, unit: null, seconds: elapsed(), eta: eta() });

  const checkAbort = (): void => {
    if (options.signal?.aborted) throw new ExperimentAborted(doneKeys.size, total);
  };

  const foldByIndex = new Map(prep.folds.map((f) => [f.fold.index, f]));
  let prepared: { index: number; train: Dataset; test: Dataset } | undefined;
  const foldData = (index: number): { train: Dataset; test: Dataset } => {
    if (prepared?.index !== index) {
      const f = foldByIndex.get(index)!;
      prepared = { index, ...normalizeFold(f.train, f.test, prep.spec.normalize as 'zscore' | 'none') };
    }
    return prepared;
  };

  for (const group of mine) {
    const pending = group.units.filter((u) => !doneKeys.has(u.key));
    if (pending.length === 0) {
      if (cacheSets && group.augmenter) fs.rmSync(store.cacheDir(group.key), { recursive: true, force: true });
      continue;
    }
    checkAbort();
    const { train, test } = foldData(group.fold);
    const fit = fitCost(group);
    const fitCounted = fitAhead(group, pending); // in the meter's total
    let fitAccounted = fitCounted ? 0 : fit.epochs; // epochs of this group's fit accounted for: run here, or before a resume
    const source = new SyntheticSets(group, pending, train, augmenters, cacheSets ? store.cacheDir(group.key) : undefined, { dir: store.augmenterDir(group.key), save: keeps(options.keepAugmenters, group.augmenter?.method) }, {
      checkpointEvery,
      onEpoch: (e) => {
        const epoch = e.record.epoch;
        if (epoch > fitAccounted + 1) meter.waive((epoch - 1 - fitAccounted) * fit.perEpoch); // run before the checkpoint resumed here
        if (epoch > fitAccounted && epoch <= fit.epochs) {
          meter.credit(fit.perEpoch);
          fitAccounted = epoch;
        }
        options.onEpoch?.({ ...e, seconds: elapsed(), eta: eta() });
      },
      onFitRestart: () => {
        // a checkpoint that could not be resumed: every epoch is run again (a fit left out of
        // the estimate stays out)
        if (!fitCounted) return;
        meter.add(fitAccounted * fit.perEpoch);
        fitAccounted = 0;
      },
      onFitDone: () => {
        // fitted, loaded, or stopped early: no more epochs of this group ahead
        if (fitAccounted < fit.epochs) meter.waive((fit.epochs - fitAccounted) * fit.perEpoch);
        fitAccounted = fit.epochs;
      },
      warn,
    });
    try {
      for (const unit of pending) {
        checkAbort();
        const c = unit.config;
        const sets = c.sets > 0 ? await source.sets(c.repeat, c.sets, checkAbort) : [];
        const trainSet = c.train === 'synthetic' ? concat(sets, `${train.name} synthetic`) : sets.length > 0 ? concat([train, ...sets], `${train.name} + ${c.sets} sets`) : train;
        const t0 = performance.now();
        const clf = classifiers.make(c.classifier.name, c.classifier.options, seedFromKey(unit.key));
        await clf.fit(trainSet);
        const yPred = clf.predict(test.x);
        const seconds = (performance.now() - t0) / 1000;
        (clf as { dispose?: () => void }).dispose?.();
        if (yPred.length !== test.n) throw new Error(`classifier ${c.classifier.name} returned ${yPred.length} predictions for ${test.n} test rows`);
        const k = train.classes.length;
        const record = store.put(c, {
          ids: [...test.ids],
          yTrue: Array.from(test.y),
          yPred: Array.from(yPred),
          classes: [...train.classes],
          wa: wa(test.y, yPred),
          uar: uar(test.y, yPred, k),
          trainReal: c.train === 'synthetic' ? 0 : train.n,
          trainSynthetic: trainSet.n - (c.train === 'synthetic' ? 0 : train.n),
          seconds,
          augmenterSeconds: source.takeFitSeconds(),
          augmentLabel: unit.augmentLabel,
          classifierLabel: unit.classifierLabel,
          finishedAt: new Date().toISOString(),
        });
        doneKeys.add(unit.key);
        computed++;
        meter.credit(unitCost(unit));
        options.onProgress?.({
          done: doneKeys.size,
          total,
          computed,
          unit: { key: unit.key, fold: c.fold.index, method: c.augment.method, sets: c.sets, repeat: c.repeat, classifier: c.classifier.name, wa: record.outcome.wa, uar: record.outcome.uar, seconds },
          seconds: elapsed(),
          eta: eta(),
        });
      }
    } finally {
      source.dispose();
    }
    // a fit counted but never reached (its sets all came from the cache) took no time
    meter.waive(Math.max(0, fit.epochs - fitAccounted) * fit.perEpoch);
    if (cacheSets && group.augmenter) fs.rmSync(store.cacheDir(group.key), { recursive: true, force: true });
  }

  const records = units.map((u) => {
    const r = store.get(u.key);
    if (!r) throw new Error(`runExperiment: unit ${u.key} is missing from ${options.storeDir} after the run (was the store removed while running?)`);
    return r;
  });
  return { records, total, computed, reused, seconds: elapsed(), storeDir: options.storeDir, shard, specHash, backend };
}

/** Normalisation fitted on the real training rows only, applied to both. */
export function normalizeFold(train: Dataset, test: Dataset, how: 'zscore' | 'none'): { train: Dataset; test: Dataset } {
  if (how === 'none') return { train, test };
  const z = new ZScore().fit(train.x, train.d);
  return { train: { ...train, x: z.transform(train.x) }, test: { ...test, x: z.transform(test.x) } };
}

/** Does `keepAugmenters` (true, false or a list of methods) keep the augmenters of `method`? */
function keeps(option: boolean | readonly string[] | undefined, method: string | undefined): boolean {
  if (method === undefined || option === undefined) return false;
  return typeof option === 'boolean' ? option : option.includes(method);
}

/**
 * The augmented sets of one group: fitted once, sampled set by set, cached on disk (so a killed
 * run does not retrain the augmenter) and kept in memory for the group's units.
 */
class SyntheticSets {
  private augmenter?: Augmenter;
  private readonly memory = new Map<string, Dataset>();
  private fitSeconds = 0;

  /** Largest number of sets per repeat that the group's pending units need. */
  private readonly needed = new Map<number, number>();

  constructor(
    private readonly group: UnitGroup,
    pending: readonly PlannedUnit[],
    private readonly train: Dataset,
    private readonly factory: AugmenterFactory,
    private readonly cacheDir: string | undefined,
    /** Where this group's fitted augmenter is kept: loaded from there when present, saved there when `save`. */
    private readonly kept: { dir: string; save: boolean },
    private readonly training: {
      checkpointEvery: number;
      onEpoch: (e: Omit<EpochProgress, 'seconds' | 'eta'>) => void;
      /** The fit starts again from epoch 1 (its checkpoint could not be resumed). */
      onFitRestart: () => void;
      /** The augmenter is ready (fitted or loaded): no more training epochs for this group. */
      onFitDone: () => void;
      warn: (m: string) => void;
    },
  ) {
    for (const u of pending) this.needed.set(u.config.repeat, Math.max(this.needed.get(u.config.repeat) ?? 0, u.config.sets));
  }

  /** Sets 1..k of `repeat`. */
  async sets(repeat: number, k: number, checkAbort: () => void): Promise<Dataset[]> {
    // Units come repeat by repeat: keep only this repeat's sets in memory.
    for (const id of [...this.memory.keys()]) if (!id.startsWith(`r${repeat}-`)) this.memory.delete(id);
    const out: Dataset[] = [];
    for (let j = 1; j <= k; j++) out.push(await this.set(repeat, j, checkAbort));
    return out;
  }

  /** Seconds of the augmenter fit done since the last call (reported once, with the first unit after it). */
  takeFitSeconds(): number {
    const s = this.fitSeconds;
    this.fitSeconds = 0;
    return s;
  }

  private async set(repeat: number, j: number, checkAbort: () => void): Promise<Dataset> {
    const id = `r${repeat}-s${j}`;
    const inMemory = this.memory.get(id);
    if (inMemory) return inMemory;
    const cached = this.cacheDir ? readCachedSet(this.cacheDir, id, this.train) : undefined;
    if (cached) {
      this.memory.set(id, cached);
      return cached;
    }
    const set = this.draw(await this.fitted(checkAbort), repeat, j);
    this.memory.set(id, set);
    return set;
  }

  /** Augmented set j of `repeat`: exactly the training fold's labels, shuffled (the paper's "same category ratio"), with seeds of its own. */
  private draw(aug: Augmenter, repeat: number, j: number): Dataset {
    const setKey = stableKey({ group: this.group.key, repeat, set: j });
    const labels = new Random(seedFromKey(setKey)).shuffle(Int32Array.from(this.train.y));
    const sampled = aug.sample(labels, { seed: seedFromKey(sha256(setKey)) });
    const set = checkSample(sampled, labels, this.train, this.group.augmenter!.method, `${this.train.name} ${this.group.augmenter!.method} repeat ${repeat} set ${j}`);
    if (this.cacheDir) writeCachedSet(this.cacheDir, `r${repeat}-s${j}`, set);
    return set;
  }

  private async fitted(checkAbort: () => void): Promise<Augmenter> {
    if (this.augmenter) return this.augmenter;
    checkAbort();
    const a = this.group.augmenter!;
    const t0 = performance.now();
    const make = (): Augmenter => this.factory.make(a.method, a.options, seedFromKey(this.group.key));
    const control: FitControl & Record<string, unknown> = {};
    const onEpoch = this.training.onEpoch;
    let epochsNow = 0;
    control.onEpoch = (record) => {
      epochsNow++;
      onEpoch?.({ fold: this.group.fold, method: a.method, repeat: a.repeat, record });
    };
    const checkpointDir = this.cacheDir && this.training.checkpointEvery > 0 ? path.join(this.cacheDir, 'checkpoint') : undefined;
    if (checkpointDir) Object.assign(control, { checkpointDir, checkpointEvery: this.training.checkpointEvery, resume: true });
    const resuming = checkpointDir !== undefined && fs.existsSync(checkpointDir);
    const keptInfo = path.join(this.kept.dir, 'experiment-group.json');
    if (fs.existsSync(keptInfo) && this.factory.load) {
      // fitted by an earlier run of this group (keepAugmenters): the same weights, so the same
      // sets; its fit time stays with the run that fitted it (not counted again here)
      try {
        this.augmenter = await this.factory.load(this.kept.dir);
        this.training.onFitDone();
        this.drawNeeded(this.augmenter);
        return this.augmenter;
      } catch (err) {
        this.training.warn(`${a.method} fold ${this.group.fold}: the kept augmenter in ${this.kept.dir} does not load (${(err as Error).message}); fitting it again`);
        this.augmenter = undefined;
        fs.rmSync(this.kept.dir, { recursive: true, force: true });
      }
    }
    let aug = make();
    try {
      await aug.fit(this.train, control);
    } catch (err) {
      // A checkpoint that cannot be resumed from (e.g. cut short by a kill) is discarded and the fit restarted once.
      if (!resuming) throw err;
      this.training.warn(`${a.method} fold ${this.group.fold}: could not resume from the checkpoint in ${checkpointDir} (${(err as Error).message}); training from the start`);
      (aug as { dispose?: () => void }).dispose?.();
      fs.rmSync(checkpointDir, { recursive: true, force: true });
      aug = make();
      epochsNow = 0;
      this.training.onFitRestart();
      await aug.fit(this.train, control);
    }
    this.fitSeconds = (performance.now() - t0) / 1000 + secondsBeforeResume(aug, epochsNow);
    this.training.onFitDone();
    if (this.kept.save) {
      await aug.save(this.kept.dir);
      writeFileAtomic(keptInfo, JSON.stringify({ group: this.group.key, fold: this.group.fold, augmenter: a, fitSeconds: this.fitSeconds }, null, 1) + '\n');
    }
    this.augmenter = aug;
    this.drawNeeded(aug);
    return aug;
  }

  /**
   * With a cache, draw every set the group's pending units need right away, so that a run
   * killed after this point never has to fit this augmenter again.
   */
  private drawNeeded(aug: Augmenter): void {
    if (!this.cacheDir) return;
    for (const [repeat, k] of this.needed) {
      for (let j = 1; j <= k; j++) if (!readCachedSet(this.cacheDir, `r${repeat}-s${j}`, this.train)) this.draw(aug, repeat, j);
    }
  }

  dispose(): void {
    (this.augmenter as { dispose?: () => void } | undefined)?.dispose?.();
    this.augmenter = undefined;
    this.memory.clear();
  }
}

/** The augmenter's rows as one augmented set, after checking they are what was asked for. */
function checkSample(s: Dataset, labels: Int32Array, train: Dataset, method: string, name: string): Dataset {
  if (s.n !== labels.length || s.d !== train.d) throw new Error(`augmenter ${method}: sample returned ${s.n} x ${s.d} rows, asked for ${labels.length} x ${train.d}`);
  for (let i = 0; i < labels.length; i++) {
    if (s.y[i] !== labels[i]) throw new Error(`augmenter ${method}: sample row ${i} has label ${s.y[i]}, asked for ${labels[i]}`);
  }
  for (let i = 0; i < s.x.length; i++) {
    if (!Number.isFinite(s.x[i])) throw new Error(`augmenter ${method}: synthetic row ${Math.floor(i / s.d)} has a non-finite feature (${s.x[i]}); the augmenter diverged`);
  }
  const ids = Array.from({ length: s.n }, (_, i) => `${name}#${i}`);
  return { name, x: s.x, n: s.n, d: s.d, y: Int32Array.from(labels), classes: train.classes, groups: new Array(s.n).fill('synthetic'), ids, synthetic: true };
}

function writeCachedSet(dir: string, id: string, set: Dataset): void {
  const bytes = new Uint8Array(set.x.buffer, set.x.byteOffset, set.x.byteLength);
  writeFileAtomic(path.join(dir, `${id}.f32`), bytes);
  // The manifest is written last: a set without one (or with a mismatching hash) is ignored.
  writeFileAtomic(path.join(dir, `${id}.json`), canonicalJson({ n: set.n, d: set.d, y: Array.from(set.y), sha256: sha256(bytes), name: set.name }) + '\n');
}

function readCachedSet(dir: string, id: string, train: Dataset): Dataset | undefined {
  try {
    const m = JSON.parse(fs.readFileSync(path.join(dir, `${id}.json`), 'utf8')) as { n: number; d: number; y: number[]; sha256: string; name: string };
    const buf = fs.readFileSync(path.join(dir, `${id}.f32`));
    if (m.d !== train.d || buf.byteLength !== m.n * m.d * 4 || sha256(buf) !== m.sha256) return undefined;
    const x = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    const ids = Array.from({ length: m.n }, (_, i) => `${m.name}#${i}`);
    return { name: m.name, x, n: m.n, d: m.d, y: Int32Array.from(m.y), classes: train.classes, groups: new Array(m.n).fill('synthetic'), ids, synthetic: true };
  } catch {
    return undefined;
  }
}

/**
 * Training seconds of the epochs a fit resumed from a checkpoint did not run itself (their
 * records come back with the checkpoint), so a fit cut by a kill and resumed still counts its
 * whole training time.
 */
export function secondsBeforeResume(aug: Augmenter, epochsNow: number): number {
  const history = (aug as { history?: readonly { seconds?: number }[] }).history;
  if (!Array.isArray(history)) return 0;
  return history.slice(0, Math.max(0, history.length - epochsNow)).reduce((s, r) => s + (Number.isFinite(r.seconds) ? (r.seconds as number) : 0), 0);
}
