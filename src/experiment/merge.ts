/**
 * One store from several: the stores of sharded runs, or the archives (archive.ts) a long grid
 * was saved in, fold by fold. A unit found in two sources must hold the same predictions.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from './atomic';
import { canonicalJson } from './hash';
import { readArchive } from './archive';
import { ResultStore, identityConflict, isResultStore, type StoreIdentity, type UnitRecord } from './store';

/** The part of a record that must agree when two sources hold the same key (timing may differ). */
function resultIdentity(r: UnitRecord): string {
  const o = r.outcome;
  return canonicalJson({ config: r.config, ids: o.ids, yTrue: o.yTrue, yPred: o.yPred, stages: o.stages, epochs: o.epochs });
}

export interface MergeReport {
  /** Units copied into `out`. */
  copied: number;
  /** Units already in `out` with the same predictions. */
  same: number;
  /** Damaged unit files of the stores, skipped (path and problem); a damaged archive stops the merge instead. */
  damaged: { file: string; problem: string }[];
}

/** What one source of a merge holds. */
export interface Source {
  name: string;
  identity: StoreIdentity;
  specs: Record<string, unknown>[];
  records: UnitRecord[];
}

/** The units of a store folder or an archive file (damaged store files are listed in `damaged` and skipped). */
export function readSource(from: string, damaged: MergeReport['damaged'] = []): Source {
  if (fs.existsSync(from) && fs.statSync(from).isFile()) return { name: from, ...readArchive(from) };
  if (!fs.existsSync(path.join(from, 'units'))) throw new Error(`mergeStores: ${from} is not a result store (no units/ folder) nor a store archive`);
  const store = new ResultStore(from);
  const identity = fs.existsSync(path.join(from, 'store.json')) ? store.identity() : {};
  return { name: from, identity, specs: store.specs().map((s) => s.spec), records: store.all((file, problem) => damaged.push({ file, problem })) };
}

/**
 * Combine result stores (e.g. the shards of a job array) and store archives into the store `out`.
 * A key present in several sources must hold the same predictions in all of them; otherwise
 * this throws naming the key and the sources, and copies nothing. `out` may be one of `sources`.
 */
export function mergeStores(sources: readonly string[], out: string): MergeReport {
  if (sources.length === 0) throw new Error('mergeStores: no stores given');
  if (fs.existsSync(out) ? !fs.statSync(out).isDirectory() || (fs.readdirSync(out).length > 0 && !isResultStore(out)) : /\.gz$/.test(out)) {
    throw new Error(`mergeStores: ${out} is not a result store folder to merge into (an archive is written by \`results export\`, not by merge)`);
  }
  const damaged: MergeReport['damaged'] = [];
  const inputs = sources.filter((d) => path.resolve(d) !== path.resolve(out)).map((d) => readSource(d, damaged));
  // every source must hold the same dataset and protocol (those that recorded them)
  let identity: StoreIdentity = fs.existsSync(path.join(out, 'store.json')) ? new ResultStore(out).identity() : {};
  for (const s of inputs) {
    const conflict = identityConflict(identity, s.identity);
    if (conflict) throw new Error(`mergeStores: ${s.name} cannot be merged into ${out}: the merged store ${conflict.replace(/, not /, '; ' + s.name + ' holds ')}`);
    identity = { dataset: identity.dataset ?? s.identity.dataset, protocol: identity.protocol ?? s.identity.protocol };
  }
  const held: Source = { name: out, identity, specs: [], records: fs.existsSync(path.join(out, 'units')) ? new ResultStore(out).all((file, problem) => damaged.push({ file, problem })) : [] };
  const chosen = new Map<string, { record: UnitRecord; from: string }>();
  for (const s of [held, ...inputs]) {
    for (const r of s.records) {
      const prev = chosen.get(r.key);
      if (!prev) chosen.set(r.key, { record: r, from: s.name });
      else if (resultIdentity(prev.record) !== resultIdentity(r)) {
        throw new Error(
          `mergeStores: unit ${r.key} (fold ${r.config.fold.index}, ${r.config.augment.method}, ${r.config.sets} sets, repeat ${r.config.repeat}, ${r.config.classifier.name}) ` +
            `has different predictions in ${prev.from} and ${s.name}; the runs were not the same computation (different code or backend?). Remove one of them and merge again.`,
        );
      }
    }
  }
  const target = new ResultStore(out).init(identity);
  let copied = 0;
  let same = 0;
  for (const { record, from } of chosen.values()) {
    if (from === out || target.get(record.key)) same++;
    else {
      writeFileAtomic(target.unitPath(record.key), JSON.stringify(record) + '\n');
      copied++;
    }
  }
  for (const s of inputs) for (const spec of s.specs) target.putSpec(spec);
  return { copied, same, damaged };
}
