/**
 * SMOTE (Chawla et al. 2002; the paper's [53], Section V-B) for every class, not only the
 * minority: a synthetic row of class k is x_i + u (x_j - x_i), where x_i is a random training
 * row of class k, x_j one of its `k` nearest neighbours within class k, and u ~ U[0, 1).
 *
 * Neighbours are found with Euclidean distance on max-abs-scaled rows by default
 * (`space: 'maxabs'`, the scaling the networks see): openSMILE features span many orders of
 * magnitude, and raw distances would be decided by a handful of large features. Interpolation
 * itself is linear, so it gives the same row in either space. A class with a single row yields
 * copies of it; a class with fewer than k + 1 rows uses all its other rows as neighbours.
 */
import type { Random } from '../util/random';
import { MaxAbsScaler } from '../data/preprocess';
import { RowAugmenter, type TrainingRows } from './rows';
import { checkInt, checkOneOf, checkSeed } from './options';
import type { NamedArray } from './io';

export interface SmoteOptions {
  /** Number of nearest same-class neighbours. Default 5 (the paper's and SMOTE's). */
  k: number;
  /** Space in which neighbours are searched: 'maxabs' (default) or 'raw' features. */
  space: 'maxabs' | 'raw';
  /** Seed of the row, neighbour and gap draws when `sample` gets no seed. Default 0. */
  seed: number;
}

export const SMOTE_DEFAULTS: Readonly<SmoteOptions> = { k: 5, space: 'maxabs', seed: 0 };

export class SmoteAugmenter extends RowAugmenter<SmoteOptions> {
  readonly method = 'smote' as const;
  /** neighbours[i]: row indices of the nearest same-class rows of training row i (learned by fit). */
  neighbours?: Int32Array[];

  constructor(options?: Partial<SmoteOptions>) {
    super(SMOTE_DEFAULTS, options);
  }

  protected name(): string {
    return 'smote';
  }

  protected validate(o: SmoteOptions): void {
    checkInt('smote.k', o.k, 1);
    checkOneOf('smote.space', o.space, ['maxabs', 'raw'] as const);
    checkSeed('smote.seed', o.seed);
  }

  protected fitState(rows: TrainingRows): void {
    const { d } = rows;
    const z = this.settings.space === 'maxabs' ? new MaxAbsScaler().fit(rows.x, d).transform(rows.x) : rows.x;
    this.neighbours = new Array(rows.y.length);
    for (const members of rows.byClass) {
      for (const i of members) this.neighbours[i] = nearest(z, d, i, members, this.settings.k);
    }
  }

  protected sampleRow(label: number, rng: Random, out: Float32Array): void {
    const rows = this.rows!;
    const { d } = rows;
    const pool = rows.byClass[label];
    const i = pool[rng.int(pool.length)];
    const nb = this.neighbours![i];
    const xi = rows.x.subarray(i * d, (i + 1) * d);
    if (nb.length === 0) {
      out.set(xi);
      return;
    }
    const j = nb[rng.int(nb.length)];
    const u = rng.uniform();
    for (let c = 0; c < d; c++) out[c] = xi[c] + u * (rows.x[j * d + c] - xi[c]);
  }

  protected stateToJSON(): { state: Record<string, unknown>; arrays: NamedArray[] } {
    return { state: { neighbours: this.neighbours!.map((a) => [...a]) }, arrays: [] };
  }

  protected stateFromJSON(state: Record<string, unknown>): void {
    this.neighbours = (state.neighbours as number[][]).map((a) => Int32Array.from(a));
  }
}

/** Indices (from `members`, excluding i) of the k rows nearest to row i, nearest first. */
export function nearest(z: Float32Array, d: number, i: number, members: ArrayLike<number>, k: number): Int32Array {
  const cand: { j: number; dist: number }[] = [];
  const o = i * d;
  for (let m = 0; m < members.length; m++) {
    const j = members[m];
    if (j === i) continue;
    const p = j * d;
    let s = 0;
    for (let c = 0; c < d; c++) {
      const t = z[o + c] - z[p + c];
      s += t * t;
    }
    cand.push({ j, dist: s });
  }
  cand.sort((a, b) => a.dist - b.dist || a.j - b.j);
  return Int32Array.from(cand.slice(0, k).map((c) => c.j));
}

/** `new SmoteAugmenter(options)`, for notebooks. */
export function smote(options?: Partial<SmoteOptions>): SmoteAugmenter {
  return new SmoteAugmenter(options);
}
