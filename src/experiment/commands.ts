/**
 * The experiment commands of the CLI, ready to register in src/cli/main.ts:
 *
 *   adan-lab eval --data NAME --classifier svm|dnn [--augment METHOD] [--sets N] [--epochs E]
 *                 [--folds 1,2,...] [--seed S] [--repeats R] [--store DIR] [--data-dir DIR] [--json]
 *   adan-lab reproduce emodb|iemocap [--quick] [--methods m1,...] [--classifiers c1,...] [--store DIR] [--shard i/N] [--epochs E]
 *                 [--data NAME] [--seed S] [--data-dir DIR] [--dry-run] [--json]
 *
 * `reproduce` writes its store to results/<dataset>[-quick] unless --store is given; running the
 * same command again continues where a killed run stopped.
 *   adan-lab results merge --out DIR STORE...
 *   adan-lab results show STORE [--folds 1,2,...] [--curves] [--out DIR] [--json]
 *
 * Each returns the process exit code; results go to stdout, progress and notes to stderr.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseFlags as parse } from '../cli/flags';
import { OptionError } from '../util/errors';
import type { CvSummary } from '../eval/metrics';
import { SYNTHETIC_NOTICE } from '../data/synthetic';
import { progressBar, type ProgressBar } from '../cli/progress';
import { reproduceGrid, paperTable, type PaperDataset } from './grid';
import { TRAINED_METHODS } from './paper';
import { formatCurves, formatTable } from './paper';
import { runExperiment, type Progress, type RunOptions } from './runner';
import type { ExperimentSpec } from './spec';
import type { DataLoader } from './factories';
import type { Dataset } from '../data/dataset';
import { computeTime, fitRows, formatComputeTime, formatEarlyStops, matchedCurves, summarize } from './summary';
import { writeResults } from './output';
import { readStored, describeMissing } from './stored';
import { mergeStores, ResultStore } from './store';
import { EVAL_USAGE, REPRODUCE_USAGE, RESULTS_USAGE } from '../cli/usage';
import { DEFAULT_PROTOCOL, PROTOCOLS, augmentOptions as augmentOptionsOf, classifierOptions as classifierOptionsOf, corpusOf, protocol as protocolNamed } from '../protocol/protocols';

export { EVAL_USAGE, REPRODUCE_USAGE, RESULTS_USAGE };

/** Arguments of `adan-lab eval`, already parsed. */
export interface EvalArgs {
  data: string;
  classifier: string;
  /** Default 'none'. */
  augment?: string;
  /** Augmented sets; default 1 with an augmenter, 0 without. */
  sets?: number;
  /** Epochs of a GAN-type augmenter (its default otherwise). */
  epochs?: number;
  folds?: number[];
  seed?: number;
  repeats?: number;
  augmentOptions?: Record<string, unknown>;
  classifierOptions?: Record<string, unknown>;
  /** Classifier and augmenter settings (`paper`, the default, or `code`); the option flags override them. */
  protocol?: string;
}

/** What `adan-lab eval --json` prints (metrics are fractions: pooled, and mean/std over folds). */
export interface EvalReport extends Omit<CvSummary, 'folds'> {
  /** Wall-clock seconds of the call. */
  seconds: number;
  data: string;
  classifier: string;
  augment: string;
  sets: number;
  folds: number;
  repeats: number;
  /** Test rows pooled per repeat. */
  n: number;
  /** The protocol whose settings were used. */
  protocol: string;
}

/**
 * The one-point experiment of `adan-lab eval`. Under `--protocol code` the classifier and the
 * augmenter get the protocol's options (the DNN of the dataset's corpus: IEMOCAP's for a name
 * containing "iemocap", EmoDB's otherwise); under `paper` (the default) their own defaults, as
 * before protocols existed, so stores written by earlier versions keep their keys.
 */
export function evalSpec(args: EvalArgs): ExperimentSpec {
  const method = args.augment ?? 'none';
  const sets = args.sets ?? (method === 'none' ? 0 : 1);
  if (method === 'none' && sets > 0) throw new OptionError('--sets', sets, "0 without --augment (give an augmentation method to add sets)");
  if (method !== 'none' && sets === 0) throw new OptionError('--sets', sets, `>= 1 with --augment ${method} (0 sets is --augment none)`);
  const p = protocolNamed(args.protocol ?? DEFAULT_PROTOCOL, '--protocol');
  const base = p.name === 'paper' ? {} : augmentOptionsOf(p, method, undefined);
  const augmentOptions = { ...base, ...(args.augmentOptions ?? {}), ...(args.epochs !== undefined ? { epochs: args.epochs } : {}) };
  const classifierBase = p.name === 'paper' ? {} : classifierOptionsOf(p, args.classifier, corpusOf(args.data));
  return {
    data: args.data,
    folds: args.folds,
    augment: [method === 'none' ? 'none' : { method, options: augmentOptions }],
    sets: [sets],
    repeats: args.repeats ?? 1,
    classifiers: [{ name: args.classifier, options: { ...classifierBase, ...(args.classifierOptions ?? {}) } }],
    seed: args.seed ?? 0,
    protocol: p.name,
  };
}

/**
 * Run `adan-lab eval`: one point (method, sets, classifier) over the folds. Without a store
 * folder it uses a fresh temporary one and removes it after.
 */
export async function runEval(args: EvalArgs, options: Partial<RunOptions> = {}): Promise<EvalReport> {
  const t0 = performance.now();
  const temp = options.storeDir ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'adan-lab-eval-'));
  try {
    const run = await runExperiment(evalSpec(args), { ...options, storeDir: options.storeDir ?? temp! });
    const s = summarize(run.records);
    const row = s.summary[0];
    return {
      wa: row.wa,
      uar: row.uar,
      waFoldMean: row.waFoldMean,
      waFoldStd: row.waFoldStd,
      uarFoldMean: row.uarFoldMean,
      uarFoldStd: row.uarFoldStd,
      seconds: (performance.now() - t0) / 1000,
      data: row.dataset,
      classifier: row.classifier,
      augment: row.method,
      sets: row.sets,
      folds: row.folds,
      repeats: row.repeats,
      n: row.n,
      protocol: args.protocol ?? DEFAULT_PROTOCOL,
    };
  } finally {
    if (temp) fs.rmSync(temp, { recursive: true, force: true });
  }
}

function intFlag(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new OptionError(name, v, 'a whole number');
  return n;
}

/** A JSON object flag such as `--classifier-options '{"epochs":550}'` (the classifier checks the keys). */
export function optionsFlag(name: string, v: string | undefined): Record<string, unknown> | undefined {
  if (v === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch (err) {
    throw new OptionError(name, v, `a JSON object, e.g. '{"epochs":550}' (${(err as Error).message})`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new OptionError(name, v, `a JSON object, e.g. '{"epochs":550}'`);
  return parsed as Record<string, unknown>;
}

/** `--jobs N`: worker processes (default 1); `auto` = one per core. */
function jobsFlag(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v === 'auto') return os.availableParallelism?.() ?? os.cpus().length;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new OptionError('--jobs', v, "a whole number >= 1 (worker processes), or 'auto' for one per core");
  return n;
}

function foldList(v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const folds = v.split(',').map((s) => Number(s.trim()));
  if (folds.some((f) => !Number.isInteger(f) || f < 1)) throw new OptionError('--folds', v, 'comma-separated 1-based fold numbers, e.g. 1,2,3');
  return folds;
}

/** A progress bar on stderr that follows `onProgress`. */
export function progressReporter(label: string): { onProgress: (p: Progress) => void; onEpoch: NonNullable<RunOptions['onEpoch']>; finish: () => void } {
  let bar: ProgressBar | undefined;
  let done = 0;
  return {
    onEpoch(e) {
      if (e.record.epoch % 10 === 0) bar?.update(done, `fold ${e.fold} ${e.method}${e.repeat ? ` r${e.repeat}` : ''}: training epoch ${e.record.epoch}`, e.eta ?? null);
    },
    onProgress(p) {
      bar ??= progressBar(label, p.total);
      done = p.done;
      const u = p.unit;
      bar.update(p.done, u ? `fold ${u.fold} ${u.method} ${u.sets} sets r${u.repeat} ${u.classifier}: UAR ${(100 * u.uar).toFixed(1)}%` : p.done > 0 ? `${p.done} found in the store` : undefined, p.eta ?? null);
    },
    finish() {
      bar?.done();
    },
  };
}

/** The registry's loader, searching `dataDir` first when given (`--data-dir`). */
function loaderFor(dataDir: string | undefined): DataLoader | undefined {
  if (!dataDir) return undefined;
  return (name) => {
    const { loadDataset } = require('../data/registry') as { loadDataset: (n: string, o: { dataDir?: string }) => Dataset };
    return loadDataset(name, { dataDir });
  };
}

async function guarded(run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (err) {
    console.error(`adan-lab: ${(err as Error).message}`);
    return 1;
  }
}

/** `adan-lab eval ...` */
export async function evalCommand(argv: string[]): Promise<number> {
  return guarded(async () => {
    const { values } = parse(argv, {
      data: { type: 'string' },
      classifier: { type: 'string', default: 'svm' },
      augment: { type: 'string' },
      sets: { type: 'string' },
      epochs: { type: 'string' },
      folds: { type: 'string' },
      seed: { type: 'string' },
      repeats: { type: 'string' },
      'classifier-options': { type: 'string' },
      'augment-options': { type: 'string' },
      protocol: { type: 'string', default: DEFAULT_PROTOCOL },
      jobs: { type: 'string' },
      store: { type: 'string' },
      'data-dir': { type: 'string' },
      json: { type: 'boolean', default: false },
    });
    if (!values.data) throw new OptionError('--data', undefined, `a dataset name or path (usage: ${EVAL_USAGE})`);
    const args: EvalArgs = {
      data: values.data as string,
      classifier: values.classifier as string,
      augment: values.augment as string | undefined,
      sets: intFlag('--sets', values.sets as string | undefined),
      epochs: intFlag('--epochs', values.epochs as string | undefined),
      folds: foldList(values.folds as string | undefined),
      seed: intFlag('--seed', values.seed as string | undefined),
      repeats: intFlag('--repeats', values.repeats as string | undefined),
      classifierOptions: optionsFlag('--classifier-options', values['classifier-options'] as string | undefined),
      augmentOptions: optionsFlag('--augment-options', values['augment-options'] as string | undefined),
      protocol: values.protocol as string,
    };
    const progress = values.json ? undefined : progressReporter('eval');
    const report = await runEval(args, { storeDir: values.store as string | undefined, onProgress: progress?.onProgress, onEpoch: progress?.onEpoch, loadData: loaderFor(values['data-dir'] as string | undefined), jobs: jobsFlag(values.jobs as string | undefined) });
    progress?.finish();
    if (report.data === 'synthetic') console.error(SYNTHETIC_NOTICE);
    if (values.json) console.log(JSON.stringify(report));
    else {
      const pct = (v: number): string => `${(100 * v).toFixed(2)} %`;
      console.log(`${report.data}, ${report.classifier}, ${report.augment} x ${report.sets} sets, ${report.folds} folds (${report.n} test rows pooled)`);
      console.log(`WA ${pct(report.wa)}  UAR ${pct(report.uar)}  (pooled)   UAR per fold ${pct(report.uarFoldMean)} ± ${pct(report.uarFoldStd)}   ${report.seconds.toFixed(1)} s`);
    }
    return 0;
  });
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

/** `adan-lab reproduce emodb|iemocap ...` */
export async function reproduceCommand(argv: string[]): Promise<number> {
  return guarded(async () => {
    const { values, positionals } = parse(argv, {
      quick: { type: 'boolean', default: false },
      store: { type: 'string' },
      shard: { type: 'string' },
      epochs: { type: 'string' },
      data: { type: 'string' },
      seed: { type: 'string' },
      methods: { type: 'string' },
      classifiers: { type: 'string' },
      protocol: { type: 'string', default: DEFAULT_PROTOCOL },
      jobs: { type: 'string' },
      'data-dir': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    });
    const which = positionals[0] as PaperDataset;
    const list = (v: unknown) => (v === undefined ? undefined : String(v).split(',').map((m) => m.trim()).filter((m) => m.length > 0));
    const methods = list(values.methods);
    const classifiers = list(values.classifiers);
    if (which !== 'emodb' && which !== 'iemocap') throw new OptionError('dataset', positionals[0], `emodb or iemocap (usage: ${REPRODUCE_USAGE})`);
    const protocol = protocolNamed(values.protocol as string, '--protocol').name;
    const spec = reproduceGrid(which, { quick: values.quick as boolean, data: values.data as string | undefined, epochs: intFlag('--epochs', values.epochs as string | undefined), seed: intFlag('--seed', values.seed as string | undefined) ?? 0, methods, classifiers, protocol });
    const storeDir = (values.store as string | undefined) ?? defaultStore(which, { protocol, data: values.data as string | undefined, quick: values.quick as boolean });
    const loadData = loaderFor(values['data-dir'] as string | undefined);
    if (values['dry-run']) {
      // what the store holds of the grid and what a run would compute; nothing is computed or written
      const part = await readStored(spec, { storeDir, loadData });
      const missing = describeMissing(part.missing);
      if (values.json) console.log(JSON.stringify({ stored: part.records.length, total: part.total, missing }));
      else {
        console.log(`${part.records.length} of ${part.total} units of the grid are in ${storeDir}; nothing computed (--dry-run)`);
        if (missing.length > 0) console.log(`missing:\n${missing.map((l) => `  ${l}`).join('\n')}`);
      }
      return 0;
    }
    const progress = progressReporter(`reproduce ${which}${values.quick ? ' --quick' : ''}`);
    // part of a grid's classifiers: keep the fitted GAN-type augmenters, so that the run for the
    // others loads them instead of fitting them again (the training-free ones refit in no time)
    const keepAugmenters = classifiers !== undefined ? TRAINED_METHODS : false;
    const jobs = jobsFlag(values.jobs as string | undefined);
    const run = await runExperiment(spec, { storeDir, shard: values.shard as string | undefined, keepAugmenters, onProgress: progress.onProgress, onEpoch: progress.onEpoch, loadData, jobs });
    progress.finish();
    const sharded = values.shard !== undefined && values.shard !== '1/1';
    // A shard's tables cover every unit of the grid found in its store: its own, and those of
    // other shards that share the store (a shard on a store of its own finds only its own).
    let records = run.records;
    if (sharded) records = (await readStored(spec, { storeDir, loadData })).records;
    const summary = summarize(records);
    if (sharded) {
      console.error(
        `shard ${values.shard}: ${run.total} units in ${storeDir} (${run.computed} computed now). When all shards are done: ` +
          `if they shared this store, \`adan-lab results show ${storeDir}\` (or one unsharded run of the same command, which computes only what is missing); ` +
          `if each wrote its own store, \`adan-lab results merge --out DIR STORE...\`.`,
      );
    }
    const files = writeResults(summary, path.join(storeDir, 'results'), records);
    if (values.json) console.log(JSON.stringify({ best: summary.best, summary: summary.summary, seconds: run.seconds, computed: run.computed, reused: run.reused }));
    else {
      console.log(describeStore(storeDir, { protocol }));
      console.log(formatTable(summary, paperTable(which)));
      console.log(`\n${run.total} units (${run.computed} computed, ${run.reused} from the store) in ${run.seconds.toFixed(1)} s${run.backend ? ` (${run.backend})` : ''}; tables in ${path.dirname(files[0])}`);
      console.log(formatComputeTime(computeTime(records)));
      const stops = formatEarlyStops(fitRows(records));
      if (stops) console.log(stops);
    }
    return 0;
  });
}

/** One line naming a store's protocol (and what it means) and dataset. */
function describeStore(dir: string, identity: { protocol?: string; dataset?: { name: string } }): string {
  const p = identity.protocol ? PROTOCOLS[identity.protocol as keyof typeof PROTOCOLS] : undefined;
  const what = identity.protocol ? `protocol ${identity.protocol}${p ? ` (${p.summary})` : ''}` : 'protocol not recorded (a store made before protocols, or by a custom spec)';
  return `${dir}: ${what}${identity.dataset ? `; dataset ${identity.dataset.name}` : ''}`;
}

/** `adan-lab results merge --out DIR STORE...` and `adan-lab results show STORE`. */
export async function resultsCommand(argv: string[]): Promise<number> {
  return guarded(async () => {
    const [verb, ...rest] = argv;
    const { values, positionals } = parse(rest, { out: { type: 'string' }, json: { type: 'boolean', default: false }, curves: { type: 'boolean', default: false }, folds: { type: 'string' } });
    const out = values.out as string | undefined;
    if (verb === 'merge') {
      if (!values.out || positionals.length === 0) throw new OptionError('results merge', argv.join(' '), `--out DIR and at least one store (usage: ${RESULTS_USAGE})`);
      const report = mergeStores(positionals, values.out as string);
      for (const d of report.damaged) console.error(`adan-lab: skipped damaged ${d.file}: ${d.problem}`);
      const store = new ResultStore(values.out as string);
      const records = store.all();
      const summary = summarize(records);
      writeResults(summary, path.join(values.out as string, 'results'), records);
      if (values.json) console.log(JSON.stringify({ ...report, units: records.length }));
      else console.log(`merged ${positionals.length} store(s) into ${values.out}: ${report.copied} units copied, ${report.same} already there, ${records.length} in all; tables in ${path.join(values.out as string, 'results')}`);
      return 0;
    }
    if (verb === 'show') {
      if (positionals.length !== 1) throw new OptionError('results show', positionals, `one store folder (usage: ${RESULTS_USAGE})`);
      const dir = positionals[0];
      if (!fs.existsSync(path.join(dir, 'store.json')) && !fs.existsSync(path.join(dir, 'units'))) {
        throw new Error(`${dir} is not a result store (${fs.existsSync(dir) ? 'no store.json or units/ in it' : 'no such folder'}); \`adan-lab reproduce\` and \`eval --store DIR\` create one`);
      }
      // --folds: the units of those folds only, e.g. to compare methods on the speakers all of them have
      const folds = foldList(values.folds as string | undefined);
      const records = new ResultStore(dir).all().filter((r) => !folds || folds.includes(r.config.fold.index));
      if (folds && records.length === 0) throw new Error(`${dir} has no unit on fold(s) ${folds.join(',')}`);
      const summary = summarize(records);
      if (out) console.error(`tables of ${records.length} units of ${dir}${folds ? ` (folds ${folds.join(',')})` : ''}: ${path.dirname(writeResults(summary, out, records)[0])}`);
      const identity = new ResultStore(dir).identity();
      if (values.json) console.log(JSON.stringify(summary.best));
      else {
        console.log(describeStore(dir, identity));
        const ds = summary.best[0]?.dataset ?? '';
        console.log(formatTable(summary, ds.startsWith('emodb') ? paperTable('emodb') : ds.startsWith('iemocap') ? paperTable('iemocap') : undefined));
        if (values.curves) console.log(`\n${formatCurves(matchedCurves(records))}`);
        console.log(`\n${formatComputeTime(computeTime(records))}`);
        const stops = formatEarlyStops(fitRows(records));
        if (stops) console.log(stops);
      }
      return 0;
    }
    throw new OptionError('results', verb, `merge or show (usage: ${RESULTS_USAGE})`);
  });
}
