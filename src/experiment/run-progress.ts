/**
 * What a run reports while it computes: units done, and the time left priced by estimated work
 * (eta.ts). The runner (or, in a `--jobs N` run, the workers through their parent) tells it what
 * happened through {@link RunEvents}; it turns that into `onProgress` / `onEpoch` calls.
 */
import type { EpochRecord } from '../augment/augmenter';
import { WorkMeter } from './eta';
import { fitCost, unitCost, type PlannedUnit, type UnitGroup } from './plan';

/** What `onProgress` receives after every finished unit (and once at the start, with `unit: null`). */
export interface Progress {
  /** Units of this run finished so far, including those found in the store. */
  done: number;
  /** Units of this run. */
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

/** The events of a run, keyed by group and unit keys (so they can cross a process boundary). */
export interface RunEvents {
  /** An augmenter trained one more epoch. */
  fitEpoch(groupKey: string, record: EpochRecord): void;
  /** A fit starts again from epoch 1 (its checkpoint could not be resumed). */
  fitRestart(groupKey: string): void;
  /** The group's augmenter is ready (fitted, loaded, or stopped early): no more epochs ahead. */
  fitDone(groupKey: string): void;
  /** A unit is stored. */
  unitDone(unitKey: string, outcome: { wa: number; uar: number; seconds: number }): void;
  /** A group needs nothing more from this run (computed, found done, or left to another worker). */
  groupDone(groupKey: string): void;
}

/**
 * Progress of one run over `groups`, with the units already stored in `doneKeys`. `fitAhead`
 * says whether a group's fit is still to run (not when a kept augmenter or cached sets will be
 * loaded instead), so that the estimate prices only work that will happen.
 */
export class RunProgress implements RunEvents {
  private readonly meter: WorkMeter;
  private readonly groups = new Map<string, UnitGroup>();
  private readonly units = new Map<string, PlannedUnit>();
  /** Epochs of each group's fit accounted for (run here, or before a resume), and whether it was priced. */
  private readonly fits = new Map<string, { accounted: number; counted: boolean }>();
  private readonly done: Set<string>;
  private computed = 0;
  /** Units reported done twice (two processes computed one unit: the claims failed). */
  duplicates = 0;
  private readonly total: number;
  private readonly start: number;
  private meterStart = 0;

  constructor(
    groups: readonly UnitGroup[],
    doneKeys: ReadonlySet<string>,
    fitAhead: (g: UnitGroup, pending: readonly PlannedUnit[]) => boolean,
    private readonly clock: () => number,
    private readonly listeners: { onProgress?: (p: Progress) => void; onEpoch?: (e: EpochProgress) => void },
  ) {
    this.start = clock();
    this.done = new Set(doneKeys);
    let cost = 0;
    for (const g of groups) {
      this.groups.set(g.key, g);
      for (const u of g.units) this.units.set(u.key, u);
      const pending = g.units.filter((u) => !doneKeys.has(u.key));
      const counted = pending.length > 0 && fitAhead(g, pending);
      this.fits.set(g.key, { accounted: counted ? 0 : fitCost(g).epochs, counted });
      if (pending.length > 0) cost += (counted ? fitCost(g).total : 0) + pending.reduce((t, u) => t + unitCost(u), 0);
    }
    this.total = this.units.size;
    this.meter = new WorkMeter(cost);
  }

  /** Seconds since the run started. */
  seconds(): number {
    return (this.clock() - this.start) / 1000;
  }

  /** The first report; the pace counts from here (loading data and scanning the store are not work). */
  begin(): void {
    this.meterStart = this.seconds();
    this.listeners.onProgress?.({ done: this.done.size, total: this.total, computed: 0, unit: null, seconds: this.seconds(), eta: this.eta() });
  }

  eta(): number | undefined {
    return this.meter.eta(this.seconds() - this.meterStart);
  }

  /** Units this run found or computed so far. */
  get doneCount(): number {
    return this.done.size;
  }

  get computedCount(): number {
    return this.computed;
  }

  fitEpoch(groupKey: string, record: EpochRecord): void {
    const g = this.groups.get(groupKey);
    const f = this.fits.get(groupKey);
    if (!g || !f) return;
    const { epochs, perEpoch } = fitCost(g);
    const epoch = record.epoch;
    if (epoch > f.accounted + 1) this.meter.waive((epoch - 1 - f.accounted) * perEpoch); // run before the checkpoint resumed here
    if (epoch > f.accounted && epoch <= epochs) {
      this.meter.credit(perEpoch);
      f.accounted = epoch;
    }
    const a = g.augmenter!;
    this.listeners.onEpoch?.({ fold: g.fold, method: a.method, repeat: a.repeat, record, seconds: this.seconds(), eta: this.eta() });
  }

  fitRestart(groupKey: string): void {
    const g = this.groups.get(groupKey);
    const f = this.fits.get(groupKey);
    if (!g || !f || !f.counted) return; // a fit left out of the estimate stays out
    this.meter.add(f.accounted * fitCost(g).perEpoch);
    f.accounted = 0;
  }

  fitDone(groupKey: string): void {
    const g = this.groups.get(groupKey);
    const f = this.fits.get(groupKey);
    if (!g || !f) return;
    const { epochs, perEpoch } = fitCost(g);
    if (f.accounted < epochs) this.meter.waive((epochs - f.accounted) * perEpoch);
    f.accounted = epochs;
  }

  unitDone(unitKey: string, outcome: { wa: number; uar: number; seconds: number }): void {
    const u = this.units.get(unitKey);
    if (!u) return;
    if (this.done.has(unitKey)) {
      this.duplicates++;
      return;
    }
    this.done.add(unitKey);
    this.computed++;
    this.meter.credit(unitCost(u));
    const c = u.config;
    this.listeners.onProgress?.({
      done: this.done.size,
      total: this.total,
      computed: this.computed,
      unit: { key: unitKey, fold: c.fold.index, method: c.augment.method, sets: c.sets, repeat: c.repeat, classifier: c.classifier.name, ...outcome },
      seconds: this.seconds(),
      eta: this.eta(),
    });
  }

  groupDone(groupKey: string): void {
    const g = this.groups.get(groupKey);
    if (!g) return;
    // a fit priced but never run (its sets came from the cache, or another worker has it) took no time here
    this.fitDone(groupKey);
  }

  /** Units another process stored while this one waited: done, priced as not ahead any more. */
  foundDone(unitKey: string): void {
    const u = this.units.get(unitKey);
    if (!u || this.done.has(unitKey)) return;
    this.done.add(unitKey);
    this.meter.waive(unitCost(u));
  }
}
