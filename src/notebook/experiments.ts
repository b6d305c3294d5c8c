/**
 * Running the experiment runner from a notebook: one call with an updating progress line
 * (units done, eta, and the epoch of the augmenter being trained), results in the store so a
 * re-run is instant; and the named runs of the paper's Fig. 3.
 *
 * @example
 *   const { summary } = await runInNotebook(spec, { storeDir: p.storeDir, label: 'Fig. 6' });
 *   showTable(summary.best, { columns: ['augment', 'classifier', 'sets', 'wa', 'uar'], percent: ['wa', 'uar'] });
 */
import * as path from 'node:path';
import { runExperiment, formatProgress, type Progress, type RunResult } from '../experiment/runner';
import { summarize, type Summary } from '../experiment/summary';
import { readStored, describeMissing, type StoredPart } from '../experiment/stored';
import type { ExperimentSpec } from '../experiment/spec';
import type { AugmentMethod, EpochRecord } from '../augment/augmenter';
import type { AugmentOptionsMap } from '../augment/index';
import { NON_LOSS_FIELDS } from '../analysis/curves';
import { progressLine } from './display';
import { projectRoot } from '../data/locate';

/** Options of {@link runInNotebook}. */
export interface RunInNotebookOptions {
  /** The runner's store folder. Required. */
  storeDir: string;
  /** Label of the progress line. Default 'experiment'. */
  label?: string;
  /** Show the progress line. Default true. */
  progress?: boolean;
  /**
   * Compute the units the store lacks (true), or only read what it holds and list what is
   * missing (false: for a grid whose shards run elsewhere). Default true.
   */
  computeMissing?: boolean;
  /** The command that fills this store, named when units are missing (e.g. `node bin/adan-lab.js reproduce emodb`). */
  fillCommand?: string;
}

/**
 * `runExperiment` + `summarize` with a progress line; the summary covers this spec's units only.
 * With `computeMissing: false`, `readStored` + `summarize` instead: nothing is computed.
 */
export async function runInNotebook(spec: ExperimentSpec, options: RunInNotebookOptions): Promise<{ run: RunResult | StoredPart; summary: Summary }> {
  if (options.computeMissing === false) {
    const part = await readStored(spec, { storeDir: options.storeDir, onWarning: (m) => console.warn(m) });
    // relative to the project root, as every other path a notebook prints (its kernel runs in notebooks/)
    const rel = path.relative(projectRoot, part.storeDir) || '.';
    if (part.records.length === 0) throw new Error(`${options.label ?? 'experiment'}: none of the ${part.total} units is in ${rel}, and computeMissing is false: fill the store first (${options.fillCommand ? `\`${options.fillCommand}\`, sharded on a cluster for long grids` : 'with the command that runs this grid'}), or set computeMissing to true to compute them here`);
    console.log(`${options.label ?? 'experiment'}: ${part.records.length} of ${part.total} units found in ${rel}; nothing computed (computeMissing: false)`);
    if (part.missing.length > 0) {
      console.log(`missing (${part.missing.length} units; the tables below use the stored ones only${options.fillCommand ? `; \`${options.fillCommand}\` computes them` : ''}):`);
      for (const line of describeMissing(part.missing)) console.log(`  ${line}`);
    }
    return { run: part, summary: summarize(part.records) };
  }
  const line = options.progress === false ? undefined : progressLine(options.label ?? 'experiment');
  let last: Progress | undefined;
  let training = '';
  const render = (): void => {
    if (line && last) line.update(formatProgress(last) + training);
  };
  const run = await runExperiment(spec, {
    storeDir: options.storeDir,
    onProgress: (p) => {
      last = p;
      training = '';
      render();
    },
    onEpoch: (e) => {
      if (last) last = { ...last, seconds: e.seconds, eta: e.eta };
      training = ` | training ${e.method} (fold ${e.fold}${e.repeat !== null ? `, repeat ${e.repeat}` : ''}): epoch ${e.record.epoch}`;
      render();
    },
    onWarning: (m) => console.warn(m),
  });
  line?.done(`${run.total} units: ${run.computed} computed, ${run.reused} from the store, ${run.seconds.toFixed(1)} s${run.backend ? ` (${run.backend})` : ''}`);
  return { run, summary: summarize(run.records) };
}

/** One training run of the paper's Fig. 3 with method `M`. */
export interface Fig3RunOf<M extends AugmentMethod> {
  /** Short id (also the panel label). */
  id: string;
  method: M;
  /** Options that make this run (besides epochs and seed): options of `M`, checked against them. */
  options: Partial<AugmentOptionsMap[M]>;
  /** Panel title, with the paper's equation numbers. */
  title: string;
}

/**
 * One training run of the paper's Fig. 3: a union over the methods, so that a loop over the
 * runs can pass `{ ...run.options, epochs, seed }` to `fitCached(run.method, ...)` as it is
 * (the options stay those of a method, not an untyped record).
 */
export type Fig3Run = { [M in AugmentMethod]: Fig3RunOf<M> }[AugmentMethod];

/** The six panels of Fig. 3, in the paper's order. */
export const FIG3_RUNS: readonly Fig3Run[] = [
  { id: 'gan-minimax', method: 'gan', options: { loss: 'minimax' }, title: '(a) GAN, minimax loss (Eq. 1)' },
  { id: 'gan', method: 'gan', options: { loss: 'nonsaturating' }, title: '(b) GAN, non-saturating losses (Eq. 2-3)' },
  { id: 'cgan', method: 'cgan', options: {}, title: '(c) cGAN (Eq. 5-6)' },
  { id: 'aae', method: 'aae', options: {}, title: '(d) AAE (Eq. 7-9)' },
  { id: 'adan', method: 'adan', options: {}, title: '(e) ADAN (Eq. 10-14)' },
  { id: 'wadan', method: 'wadan', options: {}, title: '(f) WADAN (Eq. 17-18)' },
];

/** History fields that are measurements, not losses (kept out of loss plots). */
export const NON_LOSS_HISTORY_FIELDS: readonly string[] = [...NON_LOSS_FIELDS, 'pReal', 'pFake', 'labelFidelity', 'labelFidelityCentroid'];

/** The loss fields of a history (every numeric field except `NON_LOSS_HISTORY_FIELDS`), in first-seen order. */
export function lossNames(history: readonly EpochRecord[]): string[] {
  const names: string[] = [];
  for (const r of history) for (const k of Object.keys(r)) if (!NON_LOSS_HISTORY_FIELDS.includes(k) && typeof r[k] === 'number' && !names.includes(k)) names.push(k);
  return names;
}
