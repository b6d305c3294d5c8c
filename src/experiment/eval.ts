/**
 * One point of the grid (method, number of sets, classifier) cross-validated over the folds:
 * what `adan-lab eval` runs, as a library call.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { OptionError } from '../util/errors';
import type { CvSummary } from '../eval/metrics';
import { DEFAULT_PROTOCOL, augmentOptions as augmentOptionsOf, classifierOptions as classifierOptionsOf, corpusOf, protocol as protocolNamed } from '../protocol/protocols';
import { runExperiment } from './runner';
import type { RunOptions } from './prepare';
import type { ExperimentSpec } from './spec';
import { summarize } from './summary';

/** Arguments of `adan-lab eval`, already parsed. */
export interface EvalArgs {
  /** A dataset name or path. */
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

