/**
 * The units of an experiment and their keys. A unit is one (fold, augmenter, number of sets,
 * repeat, classifier): one classifier fit and one set of test predictions. Units that share a
 * fitted augmenter form a group; sharding hands out whole groups so no augmenter is trained
 * twice.
 */
import { OptionError } from '../util/errors';
import { stableKey, sha256 } from './hash';
import type { ResolvedSpec } from './spec';

/** Bumped when the meaning of a stored unit changes (old results then no longer match). */
export const PLAN_VERSION = 1;

/** Everything a unit's result depends on; its canonical JSON hashes to the unit's key. */
export interface UnitConfig {
  v: number;
  data: { name: string; fingerprint: string; n: number; d: number };
  normalize: 'zscore' | 'none';
  train: 'real+synthetic' | 'synthetic';
  fold: { index: number; group: string };
  /** Method `none` (and no options) when sets = 0: the real-only unit all methods share. */
  augment: { method: string; options: Record<string, unknown>; perRepeat: boolean };
  sets: number;
  repeat: number;
  classifier: { name: string; options: Record<string, unknown> };
  seed: number;
}

export interface PlannedUnit {
  key: string;
  config: UnitConfig;
  /** Key of the augmenter group (for `none` units: the unit's own key). */
  group: string;
  augmentLabel: string;
  classifierLabel: string;
}

/** Units sharing one fitted augmenter (or a single real-only unit). */
export interface UnitGroup {
  key: string;
  fold: number;
  /** The augmenter's configuration (undefined for real-only units). */
  augmenter?: { method: string; options: Record<string, unknown>; repeat: number | null; seed: number };
  units: PlannedUnit[];
}

export interface DataIdentity {
  name: string;
  fingerprint: string;
  n: number;
  d: number;
}

/**
 * Every unit of a resolved spec, deduplicated (the 0-set unit of every method is the same
 * real-only unit), grouped by the augmenter they share. `folds` are the fold numbers with the
 * name of their held-out group.
 */
export function planUnits(spec: ResolvedSpec, data: DataIdentity, folds: { index: number; group: string }[]): UnitGroup[] {
  if (spec.normalize === 'auto') throw new Error("planUnits: resolve normalize 'auto' for the dataset first (resolveNormalize)");
  const normalize = spec.normalize;
  const groups = new Map<string, UnitGroup>();
  const seen = new Set<string>();
  for (const fold of folds) {
    for (const a of spec.augment) {
      for (let repeat = 1; repeat <= spec.repeats; repeat++) {
        for (const sets of [...spec.sets].sort((p, q) => p - q)) {
          if (a.method === 'none' && sets > 0) continue;
          const real = sets === 0;
          for (const c of spec.classifiers) {
            const config: UnitConfig = {
              v: PLAN_VERSION,
              data,
              normalize,
              train: spec.train,
              fold: { index: fold.index, group: fold.group },
              augment: real ? { method: 'none', options: {}, perRepeat: false } : { method: a.method, options: a.options, perRepeat: spec.augmenterPerRepeat },
              sets,
              repeat,
              classifier: { name: c.name, options: c.options },
              seed: spec.seed,
            };
            const key = stableKey(config);
            if (seen.has(key)) continue;
            seen.add(key);
            const aug = real ? undefined : augmenterConfig(config);
            const groupKey = aug ? stableKey({ v: PLAN_VERSION, data, normalize: config.normalize, fold: config.fold, augmenter: aug }) : key;
            let g = groups.get(groupKey);
            if (!g) {
              g = { key: groupKey, fold: fold.index, augmenter: aug, units: [] };
              groups.set(groupKey, g);
            }
            g.units.push({ key, config, group: groupKey, augmentLabel: real ? 'none' : a.label, classifierLabel: c.label });
          }
        }
      }
    }
  }
  return [...groups.values()];
}

/** The augmenter a unit needs: method, options, the repeat it belongs to (null = shared by all repeats), its seed. */
export function augmenterConfig(c: UnitConfig): { method: string; options: Record<string, unknown>; repeat: number | null; seed: number } {
  const repeat = c.augment.perRepeat ? c.repeat : null;
  return { method: c.augment.method, options: c.augment.options, repeat, seed: c.seed };
}

/** A shard `i/N`: 1 <= i <= N. */
export interface Shard {
  index: number;
  count: number;
}

/** Parse `i/N` (e.g. from `--shard 3/8` or `$SLURM_ARRAY_TASK_ID/$N`). */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(String(text));
  if (!m) throw new OptionError('shard', text, "'i/N' with 1 <= i <= N, e.g. '2/8'");
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new OptionError('shard', text, `'i/N' with 1 <= i <= N (got i=${index}, N=${count})`);
  return { index, count };
}

/**
 * The groups of shard i/N: groups are ordered by the hash of their key and dealt round-robin,
 * so every shard gets a near-equal number of groups and a similar mix of cheap and expensive
 * methods, and the same spec always gives the same split (on any machine).
 */
export function shardGroups(groups: readonly UnitGroup[], shard: Shard | undefined): UnitGroup[] {
  if (!shard || shard.count === 1) return [...groups];
  const order = [...groups].sort((a, b) => (sha256(a.key) < sha256(b.key) ? -1 : 1));
  const mine = new Set(order.filter((_, i) => i % shard.count === shard.index - 1).map((g) => g.key));
  return groups.filter((g) => mine.has(g.key));
}
