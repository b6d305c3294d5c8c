/** Small labelled data made by the augment tests themselves (no real data). */
import { makeDataset, type Dataset } from '../src/data/dataset';
import { Random } from '../src/util/random';

/**
 * `perClass` rows for each of `k` classes in `d` features: class means far apart, features on
 * very different scales (like openSMILE's), so scaling bugs show.
 */
export function smallData(options: { k?: number; d?: number; perClass?: number[] | number; seed?: number } = {}): Dataset {
  const k = options.k ?? 3;
  const d = options.d ?? 6;
  const counts = Array.isArray(options.perClass) ? options.perClass : new Array(k).fill(options.perClass ?? 12);
  const rng = new Random(options.seed ?? 7);
  const scales = Array.from({ length: d }, (_, j) => 10 ** ((j % 4) - 1)); // 0.1 .. 100
  const means = Array.from({ length: k }, () => Array.from({ length: d }, () => 3 * rng.normal()));
  const x: number[] = [];
  const y: number[] = [];
  counts.forEach((c, label) => {
    for (let i = 0; i < c; i++) {
      for (let j = 0; j < d; j++) x.push(scales[j] * (means[label][j] + 0.5 * rng.normal()));
      y.push(label);
    }
  });
  const n = y.length;
  return makeDataset({
    name: 'small',
    x: Float32Array.from(x),
    d,
    y,
    classes: Array.from({ length: k }, (_, i) => `c${i}`),
    groups: Array.from({ length: n }, (_, i) => `s${i % 4}`),
  });
}

/** Per-feature min and max of the rows of `ds` with label `label`. */
export function classRange(ds: Dataset, label: number): { lo: Float64Array; hi: Float64Array } {
  const lo = new Float64Array(ds.d).fill(Infinity);
  const hi = new Float64Array(ds.d).fill(-Infinity);
  for (let i = 0; i < ds.n; i++) {
    if (ds.y[i] !== label) continue;
    for (let j = 0; j < ds.d; j++) {
      const v = ds.x[i * ds.d + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  return { lo, hi };
}
