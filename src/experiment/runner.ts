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
 *    `train: 'synthetic'`) and predicts the test rows;
 * 5. with `select: 'inner'` (inner.ts), an inner unit does 1-4 inside its fold's training rows:
 *    its real rows are an inner fold's split of them, its sets the inner fold's part of the outer
 *    sets (`shared`) or drawn from an augmenter fitted on the inner training rows (`refit`).
 */
import * as fs from 'node:fs';
import type { Dataset } from '../data/dataset';
import { ZScore } from '../data/preprocess';
import { TRAINED_METHODS } from '../protocol/paper';
import { initBackend } from '../backend/init';
import { Claims } from './claims';
import { runParallel } from './parallel';
import { shardGroups, type PlannedUnit } from './plan';
import { ExperimentAborted, checkRunOptions, collectRecords, fitAheadIn, openStore, prepareExperiment, reuseStores, type PreparedExperiment, type RunOptions, type RunResult } from './prepare';
import { RunProgress, type Progress, type RunEvents } from './run-progress';
import { orderByCost, workThrough } from './schedule';
import type { ExperimentSpec, ResolvedSpec } from './spec';
import { SyntheticSets } from './synthetic-sets';
import { scoreUnit } from './unit';
import { sharedSets, splitInner, type InnerFold } from './inner';

export type { Progress, EpochProgress, RunEvents } from './run-progress';
export { ExperimentAborted, prepareExperiment, type PreparedExperiment, type RunOptions, type RunResult } from './prepare';
export { secondsBeforeResume } from './synthetic-sets';

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

/**
 * Run every unit of `spec` (or of `options.shard`) that the store does not hold yet: plan, then
 * for each unit group claimed from the store (most expensive first): prepare the fold, draw its
 * synthetic sets, train and score each unit's classifier, store it.
 *
 * @example
 * const run = await runExperiment(
 *   { data: 'emodb-is11', augment: ['none', 'copy'], sets: [0, 1, 2], classifiers: ['svm'] },
 *   { storeDir: 'results/emodb', onProgress: (p) => console.log(p.done, '/', p.total) });
 * const summary = summarize(run.records);
 */
export async function runExperiment(spec: ExperimentSpec, options: RunOptions): Promise<RunResult> {
  if (checkRunOptions(options).jobs > 1) return runParallel(spec, options);
  return runPrepared(await prepareExperiment(spec, options), options);
}

/**
 * {@link runExperiment} in this process for an experiment prepared already (one process only:
 * `jobs` is not looked at). Every unit's key, and so every seed, comes from `prep`'s plan; the
 * rows come from `prep.folds`. A test uses it to change a fold's test rows under the same plan
 * (seeds derive from the data's fingerprint, so poisoning the data itself would change them).
 */
export async function runPrepared(prep: PreparedExperiment, options: RunOptions): Promise<RunResult> {
  const o = checkRunOptions(options);
  for (const note of prep.notes) if (process.env.ADAN_WORKER === undefined) o.warn(note);
  const backend = options.initBackend === false ? undefined : await setUpBackend(prep.spec);
  const store = openStore(prep, options.storeDir);
  const reuse = reuseStores(prep, options.reuseFitsFrom);
  const specHash = store.putSpec(prep.storedSpec);
  const mine = shardGroups(prep.groups, o.shard);
  const stored = (u: PlannedUnit): boolean => store.get(u.key, (file, problem) => o.warn(`${file}: ${problem}; computing this unit again`)) !== undefined;
  const progress = new RunProgress(mine, new Set(mine.flatMap((g) => g.units).filter(stored).map((u) => u.key)), fitAheadIn(store, o.cacheSets, reuse), o.clock, options);
  const events = fanOut(progress, options.events);
  const reused = progress.doneCount;
  const total = mine.reduce((n, g) => n + g.units.length, 0);
  const checkAbort = (): void => {
    if (options.signal?.aborted) throw new ExperimentAborted(progress.doneCount, total);
  };
  const folds = foldPreparer(prep);
  const claims = new Claims(options.storeDir, { staleSeconds: options.claimStaleSeconds });
  progress.begin();
  try {
    await workThrough(orderByCost(mine), {
      claims, isStored: stored, checkAbort, pollMs: options.pollMs,
      onGroupDone: (g) => { events.groupDone(g.key); if (o.cacheSets && g.augmenter) fs.rmSync(store.cacheDir(g.key), { recursive: true, force: true }); },
      onFoundDone: (u) => progress.foundDone(u.key),
      // (the workers of one --jobs run expect each other: no note there)
      onWaiting: (n) => process.env.ADAN_WORKER === undefined && o.warn(`${n} unit group(s) are being computed by another process on ${options.storeDir}; waiting for them`),
    }, async (group, pending) => {
      const fold = folds(group.fold);
      // a refit inner group's augmenter learns from its inner fold's training rows only
      const source = new SyntheticSets(group, pending, group.inner ? fold.inner(group.inner).train : fold.train, o.augmenters, o.cacheSets ? store.cacheDir(group.key) : undefined, { dir: store.augmenterDir(group.key), save: keeps(options.keepAugmenters, group.augmenter?.method), elsewhere: reuse.map((r) => r.augmenterDir(group.key)) }, {
        checkpointEvery: o.checkpointEvery,
        onEpoch: (record) => { events.fitEpoch(group.key, record); claims.refresh(group.key); },
        onFitRestart: () => events.fitRestart(group.key),
        onFitDone: () => events.fitDone(group.key),
        warn: o.warn,
      });
      try {
        for (const unit of pending) {
          checkAbort();
          const drawn = group.augmenter ? await source.sets(unit.config.repeat, unit.config.sets, checkAbort) : []; // real-only and steps units draw none
          const inner = unit.config.inner;
          const split = inner ? fold.inner(inner) : fold;
          // shared inner units train on their inner fold's part of the outer sets (inner.ts)
          const sets = inner?.rows === 'shared' ? sharedSets(drawn, split.train) : drawn;
          const record = store.put(unit.config, await scoreUnit(unit, split, sets, o.classifiers, source.takeFit()));
          claims.refresh(group.key);
          events.unitDone(unit.key, { wa: record.outcome.wa, uar: record.outcome.uar, seconds: record.outcome.seconds });
          await nextTurn(); // let I/O in between units: a worker's messages out, a closed channel, Ctrl-C
        }
      } finally {
        source.dispose();
      }
    });
  } finally {
    claims.releaseAll();
  }
  const records = collectRecords(store, mine, options.storeDir);
  return { records, total: records.length, computed: progress.computedCount, reused, seconds: progress.seconds(), storeDir: options.storeDir, shard: o.shard, specHash, backend };
}

/**
 * Networks (DNN classifier, GAN-type augmenters) run on the project's fastest tfjs backend; specs
 * without them never load tfjs. Returns the backend's one-line summary.
 */
async function setUpBackend(spec: ResolvedSpec): Promise<string | undefined> {
  const needsTf = spec.classifiers.some((c) => c.name === 'dnn') || spec.augment.some((a) => TRAINED_METHODS.includes(a.method));
  if (!needsTf) return undefined;
  return (await initBackend()).summary;
}

/** One turn of the event loop (awaiting a resolved promise only runs microtasks). */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Events to the progress display and to an outside listener. */
function fanOut(progress: RunEvents, extra: RunEvents | undefined): RunEvents {
  if (!extra) return progress;
  return {
    fitEpoch: (g, r) => { progress.fitEpoch(g, r); extra.fitEpoch(g, r); },
    fitRestart: (g) => { progress.fitRestart(g); extra.fitRestart(g); },
    fitDone: (g) => { progress.fitDone(g); extra.fitDone(g); },
    unitDone: (u, x) => { progress.unitDone(u, x); extra.unitDone(u, x); },
    groupDone: (g) => { progress.groupDone(g); extra.groupDone(g); },
  };
}

/** A fold's normalised training and test rows, and the rows of its inner folds. */
interface PreparedFold {
  index: number;
  train: Dataset;
  test: Dataset;
  /** An inner fold's training and test rows, made from this fold's training rows only (inner.ts). */
  inner(f: InnerFold): { train: Dataset; test: Dataset };
}

/** The normalised training and test rows of a fold, the last one kept for the next group. */
function foldPreparer(prep: PreparedExperiment): (index: number) => PreparedFold {
  const byIndex = new Map(prep.folds.map((f) => [f.fold.index, f]));
  const how = prep.spec.normalize as 'zscore' | 'none';
  let last: PreparedFold | undefined;
  return (index) => {
    if (last?.index !== index) {
      const f = byIndex.get(index)!;
      const outer = normalizeFold(f.train, f.test, how);
      const inner = new Map<string, { train: Dataset; test: Dataset }>();
      last = {
        index,
        ...outer,
        inner: (fold) => {
          const id = `${fold.rows}/${fold.index}`;
          let split = inner.get(id);
          if (!split) {
            // shared: the outer fold's normalised rows, the space its augmenter's rows are in;
            // refit: normalisation fitted on the inner training rows, like any fold's
            split = fold.rows === 'shared' ? splitInner(outer.train, fold, index) : normalizeSplit(splitInner(f.train, fold, index), how);
            inner.set(id, split);
          }
          return split;
        },
      };
    }
    return last;
  };
}

function normalizeSplit(split: { train: Dataset; test: Dataset }, how: 'zscore' | 'none'): { train: Dataset; test: Dataset } {
  return normalizeFold(split.train, split.test, how);
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

