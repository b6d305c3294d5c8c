/**
 * The order in which a run computes its unit groups, and the loop that claims them one at a time
 * so that several processes on one store never compute a group twice (claims.ts).
 */
import { groupCost, type PlannedUnit, type UnitGroup } from './plan';
import type { Claims } from './claims';

/**
 * The order groups are computed in: fold by fold, and within a fold from the most to the least
 * expensive (ties keep the plan's order). A grid cut short then holds whole folds (every method
 * with its real-only and copy units on the same speakers, as paired comparisons need), and in the
 * last fold the 1,500-epoch fits start first, so its cheap units keep every worker busy to the end.
 */
export function orderByCost(groups: readonly UnitGroup[]): UnitGroup[] {
  return groups
    .map((g, i) => ({ g, i, cost: groupCost(g) }))
    .sort((a, b) => a.g.fold - b.g.fold || b.cost - a.cost || a.i - b.i)
    .map((x) => x.g);
}

export interface WorkThroughOptions {
  claims: Claims;
  /** Is this unit stored (by anyone)? */
  isStored: (u: PlannedUnit) => boolean;
  /** Throws when the run is aborted. */
  checkAbort: () => void;
  /** Milliseconds between looks at groups other processes hold. Default 2000. */
  pollMs?: number;
  /** A group needs nothing more from this process. */
  onGroupDone?: (g: UnitGroup) => void;
  /** A unit another process stored (seen while waiting for its group). */
  onFoundDone?: (u: PlannedUnit) => void;
  /** This process waits for groups others hold (once, with their count). */
  onWaiting?: (groups: number) => void;
}

/**
 * Compute every group with units not stored yet: claim it, call `work` with its pending units,
 * release it. Groups held by another live process are left to it and looked at again after the
 * first pass: finished ones are taken as done, and a group whose holder died (or went silent) is
 * taken over, so one call returns only when every group is stored.
 */
export async function workThrough(groups: readonly UnitGroup[], o: WorkThroughOptions, work: (g: UnitGroup, pending: PlannedUnit[]) => Promise<void>): Promise<void> {
  const pendingOf = (g: UnitGroup): PlannedUnit[] => g.units.filter((u) => !o.isStored(u));
  let deferred: UnitGroup[] = [];
  const attempt = async (g: UnitGroup): Promise<'done' | 'held'> => {
    if (pendingOf(g).length === 0) return 'done';
    if (!o.claims.tryClaim(g.key)) return 'held';
    try {
      // looked at again under the claim: another process may have finished it just before
      const pending = pendingOf(g);
      if (pending.length > 0) await work(g, pending);
    } finally {
      o.claims.release(g.key);
    }
    return 'done';
  };
  for (const g of groups) {
    o.checkAbort();
    if ((await attempt(g)) === 'held') deferred.push(g);
    else o.onGroupDone?.(g);
  }
  if (deferred.length > 0) o.onWaiting?.(deferred.length);
  while (deferred.length > 0) {
    o.checkAbort();
    const still: UnitGroup[] = [];
    for (const g of deferred) {
      for (const u of g.units) if (o.isStored(u)) o.onFoundDone?.(u);
      if ((await attempt(g)) === 'held') still.push(g);
      else o.onGroupDone?.(g);
    }
    deferred = still;
    if (deferred.length > 0) await new Promise((r) => setTimeout(r, o.pollMs ?? 2000));
  }
}
