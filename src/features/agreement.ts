/**
 * Agreement between two feature tables with the same rows and columns (ours vs openSMILE's):
 * per-feature Pearson correlation over the rows, summarised by descriptor group.
 */
import { descriptorGroup } from './is11';
import { median } from '../eval/metrics';

/** Pearson correlation of two columns; NaN when either is constant or holds NaN. */
export function pearson(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0, mb = 0;
  for (let i = 0; i < n; i++) { ma += a[i]; mb += b[i]; }
  ma /= n; mb /= n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = a[i] - ma, db = b[i] - mb;
    sab += da * db; saa += da * da; sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return NaN;
  return sab / Math.sqrt(saa * sbb);
}

/** Correlation per column of two row-major n x d tables. */
export function columnCorrelations(x: ArrayLike<number>, y: ArrayLike<number>, n: number, d: number): Float64Array {
  const out = new Float64Array(d);
  const a = new Float64Array(n), b = new Float64Array(n);
  for (let j = 0; j < d; j++) {
    for (let i = 0; i < n; i++) { a[i] = x[i * d + j]; b[i] = y[i * d + j]; }
    out[j] = pearson(a, b);
  }
  return out;
}

export interface GroupAgreement {
  group: string;
  features: number;
  /** Features whose correlation is defined (both columns vary, no NaN). */
  defined: number;
  median: number;
  min: number;
  /** Share of defined features with r >= 0.95 / 0.99. */
  atLeast95: number;
  atLeast99: number;
}

/** Summary of correlations `r` (one per feature name) overall and by descriptor group. */
export function summarise(names: readonly string[], r: ArrayLike<number>): { overall: GroupAgreement; groups: GroupAgreement[] } {
  const by = new Map<string, number[]>();
  const all: number[] = [];
  for (let j = 0; j < names.length; j++) {
    const g = descriptorGroup(names[j]);
    if (!by.has(g)) by.set(g, []);
    by.get(g)!.push(r[j]);
    all.push(r[j]);
  }
  const stats = (group: string, v: number[]): GroupAgreement => {
    const ok = v.filter((x) => !Number.isNaN(x));
    return {
      group, features: v.length, defined: ok.length, median: median(ok), min: ok.length ? Math.min(...ok) : NaN,
      atLeast95: ok.length ? ok.filter((x) => x >= 0.95).length / ok.length : NaN,
      atLeast99: ok.length ? ok.filter((x) => x >= 0.99).length / ok.length : NaN,
    };
  };
  return { overall: stats('all', all), groups: [...by.entries()].map(([g, v]) => stats(g, v)) };
}
