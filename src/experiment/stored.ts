/**
 * What a store already holds of a spec, without computing (or writing) anything: for looking
 * at a grid while its shards still run elsewhere, or at a store copied back from a cluster.
 *
 * @example
 *   const s = await readStored(reproduceGrid('emodb'), { storeDir: 'results/emodb' });
 *   console.log(`${s.records.length} of ${s.total} units stored`);
 *   for (const line of describeMissing(s.missing)) console.log(line);
 *   const summary = summarize(s.records);
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { prepareExperiment, type RunOptions } from './runner';
import type { PreparedExperiment } from './prepare';
import { ResultStore, type UnitRecord } from './store';
import type { ExperimentSpec } from './spec';
import { parseShard, shardGroups, type PlannedUnit } from './plan';
import { formatRanges } from './format-ranges';

/** What {@link readStored} returns. */
export interface StoredPart {
  /** The stored records of the spec's units, in plan order. */
  records: UnitRecord[];
  /** The units the store does not hold (absent or damaged), in plan order. */
  missing: PlannedUnit[];
  /** Units of the spec. */
  total: number;
  /** Always 0: nothing is computed (named as in a run's result, so code reading either compiles). */
  computed: 0;
  /** Units found in the store (= `records.length`). */
  reused: number;
  storeDir: string;
}

/** The spec's units (or its shard's, `options.shard`) that `storeDir` holds, and those it lacks. An absent store holds none. */
export async function readStored(
  spec: ExperimentSpec,
  options: Pick<RunOptions, 'storeDir' | 'classifiers' | 'augmenters' | 'loadData' | 'onWarning' | 'shard'> & {
    /**
     * `spec` already prepared (`prepareExperiment` with the same options), by a caller that needs
     * it too: the data are then not loaded again. It is used as given (the spec is not prepared
     * again to check it).
     */
    prepared?: PreparedExperiment;
  },
): Promise<StoredPart> {
  if (!options || typeof options.storeDir !== 'string' || options.storeDir === '') throw new Error('readStored: options.storeDir (the folder of the result store) is required');
  const prep = options.prepared ?? (await prepareExperiment(spec, options));
  const warn = options.onWarning ?? ((m: string) => console.warn(`adan-lab: ${m}`));
  // no init(): reading must not create a store where there was none
  const store = fs.existsSync(path.join(options.storeDir, 'units')) ? new ResultStore(options.storeDir) : undefined;
  const records: UnitRecord[] = [];
  const missing: PlannedUnit[] = [];
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard;
  for (const u of shardGroups(prep.groups, shard).flatMap((g) => g.units)) {
    const r = store?.get(u.key, (file, problem) => warn(`${file}: ${problem}; counted as missing`));
    if (r) records.push(r);
    else missing.push(u);
  }
  return { records, missing, total: records.length + missing.length, computed: 0, reused: records.length, storeDir: options.storeDir };
}

/**
 * One line per augmenter × classifier with missing units: how many, and on which folds (a fold
 * is listed when any of its units is missing), e.g. `gan × dnn: 150 units, folds 6–10`.
 */
export function describeMissing(missing: readonly PlannedUnit[]): string[] {
  const by = new Map<string, { units: number; folds: number[] }>();
  for (const u of missing) {
    const label = `${u.augmentLabel} × ${u.classifierLabel}${u.config.inner ? ' (inner folds)' : ''}`;
    const e = by.get(label) ?? { units: 0, folds: [] };
    e.units++;
    e.folds.push(u.config.fold.index);
    by.set(label, e);
  }
  return [...by].map(([label, e]) => `${label}: ${e.units} unit${e.units === 1 ? '' : 's'}, fold${new Set(e.folds).size === 1 ? '' : 's'} ${formatRanges(e.folds)}`);
}
