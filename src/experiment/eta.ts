/**
 * Time left in a run, from work done rather than units counted: a grid's units differ in cost by
 * three orders of magnitude (a real-only SVM against a 1,500-epoch fit followed by ten DNNs), and
 * a resumed run finds many of them in the store for free. So each unit and each training epoch
 * carries an estimated cost (`unitCost`, `fitCost` of plan.ts: rough seconds whose ratios
 * matter), and the run's own pace over the cost it has computed so far prices what is left.
 */
export class WorkMeter {
  private done = 0;
  private left: number;

  /** `total`: the estimated cost of everything this run still has to compute. */
  constructor(total: number) {
    this.left = Math.max(0, total);
  }

  /** Work computed by this run: counts toward the pace. */
  credit(cost: number): void {
    this.done += cost;
    this.left = Math.max(0, this.left - cost);
  }

  /** Work that turned out not to be needed (a fit resumed from its checkpoint, sets found in the cache). */
  waive(cost: number): void {
    this.left = Math.max(0, this.left - cost);
  }

  /** Work that turned out to be needed after all (a fit restarted from scratch). */
  add(cost: number): void {
    this.left += Math.max(0, cost);
  }

  /** Estimated seconds left, given the seconds this run has computed for; undefined before any work is credited. */
  eta(seconds: number): number | undefined {
    if (this.left < 1e-9) return 0; // sums of 0.3s do not cancel exactly
    return this.done > 0 ? (seconds / this.done) * this.left : undefined;
  }
}
