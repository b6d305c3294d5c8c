/**
 * The units of an experiment and their keys. A unit is one (fold, augmenter, number of sets,
 * repeat, classifier): one classifier fit and one set of test predictions. Units that share a
 * fitted augmenter form a group; sharding hands out whole groups so no augmenter is trained
 * twice.
 */
import { OptionError } from '../util/errors';
import { stableKey, sha256 } from './hash';
import { PAPER_EPOCHS, TRAINED_METHODS } from '../protocol/paper';
import type { ResolvedSpec } from './spec';
import { STEPS_METHOD } from './steps';
import { innerRowsFor, type InnerFold, type InnerSplit } from './inner';

/** Appended to the label of a method fitted once per fold and repeat (`augmenterPerRepeat`). */
export const PER_REPEAT_LABEL = '(an augmenter per repeat)';

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
  /**
   * Only on inner units (`select: 'inner'`, inner.ts): the inner fold of `fold` it trains and is
   * scored in. Absent on every outer unit, so outer keys are what they were before inner folds.
   */
  inner?: InnerFold;
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
  /**
   * Set on the groups of `innerRows: 'refit'`: the augmenter is fitted on this inner fold's
   * training rows, not on the outer fold's. (Shared inner units join their outer group.)
   */
  inner?: InnerFold;
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
export function planUnits(
  spec: ResolvedSpec,
  data: DataIdentity,
  folds: { index: number; group: string }[],
  trainsInEpochs: (c: ResolvedSpec['classifiers'][number]) => boolean = () => true,
  /** The inner folds of each outer fold (by fold index), when `spec.select` is 'inner'. */
  innerOf?: ReadonlyMap<number, readonly InnerSplit[]>,
): UnitGroup[] {
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
            if (a.method === STEPS_METHOD && (real || !trainsInEpochs(c))) continue; // the control only for classifiers trained in epochs
            const config: UnitConfig = {
              v: PLAN_VERSION,
              data,
              normalize,
              train: spec.train,
              fold: { index: fold.index, group: fold.group },
              augment: real ? { method: 'none', options: {}, perRepeat: false } : { method: a.method, options: a.options, perRepeat: a.method === STEPS_METHOD ? false : spec.augmenterPerRepeat },
              sets,
              repeat,
              classifier: { name: c.name, options: c.options },
              seed: spec.seed,
            };
            const key = stableKey(config);
            if (seen.has(key)) continue;
            seen.add(key);
            const aug = real || a.method === STEPS_METHOD ? undefined : augmenterConfig(config);
            const groupKey = aug ? stableKey({ v: PLAN_VERSION, data, normalize: config.normalize, fold: config.fold, augmenter: aug }) : key;
            let g = groups.get(groupKey);
            if (!g) {
              g = { key: groupKey, fold: fold.index, augmenter: aug, units: [] };
              groups.set(groupKey, g);
            }
            // one augmenter per repeat is another line of the tables than one per fold: its label says so
            const augmentLabel = real ? 'none' : config.augment.perRepeat ? `${a.label} ${PER_REPEAT_LABEL}` : a.label;
            g.units.push({ key, config, group: groupKey, augmentLabel, classifierLabel: c.label });
          }
        }
      }
    }
  }
  if (spec.select === 'inner') {
    if (!innerOf) throw new Error("planUnits: spec.select 'inner' needs the inner folds of every outer fold");
    // after every outer unit: the outer part of the plan is the plan without inner selection
    for (const g of [...groups.values()]) for (const outer of [...g.units]) addInnerUnits(outer, innerOf.get(outer.config.fold.index) ?? [], spec.innerRows, groups);
  }
  return [...groups.values()];
}

/**
 * The inner units of one outer unit with sets >= 1, or of a real-only unit whose classifier
 * keeps stages (its number of epochs is chosen; other real-only units choose nothing): one per
 * inner fold, same configuration plus the inner fold. `shared` ones join the outer unit's group
 * (the same fitted augmenter supplies their rows); `refit` ones get a group per inner fold whose
 * augmenter is fitted on that inner fold's training rows; steps units, which fit no augmenter,
 * are a group each as outer ones are.
 */
function addInnerUnits(outer: PlannedUnit, splits: readonly InnerSplit[], mode: ResolvedSpec['innerRows'], groups: Map<string, UnitGroup>): void {
  if (outer.config.sets === 0 && !keepsStages(outer.config.classifier.options)) return;
  if (splits.length === 0) throw new Error(`planUnits: no inner folds for fold ${outer.config.fold.index}`);
  const outerGroup = groups.get(outer.group)!;
  const rows = innerRowsFor(outer.config.augment.method, mode);
  for (const split of splits) {
    const inner: InnerFold = { ...split, rows };
    const config: UnitConfig = { ...outer.config, inner };
    const key = stableKey(config);
    const aug = outerGroup.augmenter;
    let groupKey = key;
    if (aug && inner.rows === 'shared') groupKey = outer.group;
    else if (aug) groupKey = stableKey({ v: PLAN_VERSION, data: config.data, normalize: config.normalize, fold: config.fold, inner, augmenter: aug });
    let g = groups.get(groupKey);
    if (!g) {
      g = { key: groupKey, fold: config.fold.index, augmenter: aug, ...(aug ? { inner } : {}), units: [] };
      groups.set(groupKey, g);
    }
    g.units.push({ key, config, group: groupKey, augmentLabel: outer.augmentLabel, classifierLabel: outer.classifierLabel });
  }
}

/**
 * The key `config` would have if its classifier kept no stages. Stages change nothing a fit
 * computes, so a unit seeds its classifier from this key: a unit with stages trains the same
 * network, to the bit, as the unit without them (whose key, and stored results, it can be
 * compared with: scripts/compare-units.ts).
 */
export function keyWithoutStages(config: UnitConfig): string {
  const { stages, ...options } = config.classifier.options;
  return stableKey(stages === undefined ? config : { ...config, classifier: { ...config.classifier, options } });
}

/** Does a classifier with these options keep stages (the DNN's `stages`: predictions after fewer epochs)? */
function keepsStages(options: Record<string, unknown>): boolean {
  return Array.isArray(options.stages) && options.stages.length > 0;
}

/**
 * The augmenter a unit needs: method, options, the repeat it belongs to (null = shared by all
 * repeats), its seed. With one augmenter per repeat, repeat 1's is the grid's own (null: the same
 * group, fit and sets as without `augmenterPerRepeat`, so a store or `--reuse-fits` that holds it
 * saves that fit), and repeats 2, 3, ... fit their own.
 */
export function augmenterConfig(c: UnitConfig): { method: string; options: Record<string, unknown>; repeat: number | null; seed: number } {
  const repeat = c.augment.perRepeat && c.repeat > 1 ? c.repeat : null;
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
 * The groups of shard i/N, balanced by estimated cost: groups are taken from the most to the
 * least expensive (ties by the hash of their key) and each goes to the shard with the least
 * estimated work so far. A fitted GAN-type augmenter costs far more than a real-only unit, so
 * dealing groups round-robin by count left one shard with most of the fits. The split depends
 * only on the spec, so the same spec always gives the same split (on any machine).
 */
export function shardGroups(groups: readonly UnitGroup[], shard: Shard | undefined): UnitGroup[] {
  if (!shard || shard.count === 1) return [...groups];
  const order = groups.map((g) => ({ g, cost: groupCost(g), hash: sha256(g.key) })).sort((a, b) => b.cost - a.cost || (a.hash < b.hash ? -1 : 1));
  const load = new Array<number>(shard.count).fill(0);
  const mine = new Set<string>();
  for (const { g, cost } of order) {
    let target = 0;
    for (let i = 1; i < shard.count; i++) if (load[i] < load[target]) target = i;
    load[target] += cost;
    if (target === shard.index - 1) mine.add(g.key);
  }
  return groups.filter((g) => mine.has(g.key));
}

/**
 * Rough cost of a group in seconds at EmoDB's scale on 2 cores (measured: ~0.3 s per GAN-type
 * epoch, ~2 s per DNN and ~0.3 s per SVM fit on 486 real rows, growing with the rows). Only the
 * ratios matter: it balances shards, it does not predict run time.
 */
export function groupCost(g: UnitGroup): number {
  return fitCost(g).total + g.units.reduce((s, u) => s + unitCost(u), 0);
}

/** The part of {@link groupCost} that fits the group's augmenter: 0.3 per training epoch (0 for training-free methods). */
export function fitCost(g: UnitGroup): { epochs: number; perEpoch: number; total: number } {
  const a = g.augmenter;
  const raw = a && TRAINED_METHODS.includes(a.method) ? Number(a.options.epochs ?? PAPER_EPOCHS) : 0;
  const epochs = Number.isFinite(raw) ? raw : PAPER_EPOCHS;
  return { epochs, perEpoch: 0.3, total: 0.3 * epochs };
}

/** The part of {@link groupCost} that trains and tests one unit's classifier: grows with its sets. */
export function unitCost(u: PlannedUnit): number {
  return (u.config.sets + 1) * (u.config.classifier.name === 'dnn' ? 2 : 0.3);
}
