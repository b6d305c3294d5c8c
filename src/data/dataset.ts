/**
 * The one in-memory form of a labelled feature table that every layer of adan-lab shares.
 */
import { DataError } from '../util/errors';

export interface Dataset {
  /** Short name, used in messages and result keys (e.g. `emodb-is11`, or a file path). */
  readonly name: string;
  /** Features, row-major n x d. */
  readonly x: Float32Array;
  /** Number of rows. */
  readonly n: number;
  /** Number of features per row. */
  readonly d: number;
  /** Class index per row, 0 <= y[i] < classes.length. */
  readonly y: Int32Array;
  /** Class names, indexed by label. */
  readonly classes: readonly string[];
  /** Group per row (speaker for EmoDB, session for IEMOCAP): the unit of leave-one-group-out. */
  readonly groups: readonly string[];
  /** Row ids (file or utterance names). */
  readonly ids: readonly string[];
  /** Feature names, when the source has them (openSMILE CSV/ARFF). */
  readonly featureNames?: readonly string[];
  /** Set when the rows are generated, not measured: every output that uses them must say so. */
  readonly synthetic?: boolean;
}

export interface DatasetInit {
  name: string;
  x: Float32Array;
  d: number;
  y: Int32Array | ArrayLike<number>;
  classes: readonly string[];
  groups: readonly string[];
  ids?: readonly string[];
  featureNames?: readonly string[];
  synthetic?: boolean;
}

/**
 * Build a Dataset and check it: consistent lengths, labels in range, every feature finite.
 * `name` is the file or dataset named in errors.
 */
export function makeDataset(init: DatasetInit): Dataset {
  const { name, x, d } = init;
  if (!Number.isInteger(d) || d <= 0) throw new DataError(name, `feature dimension must be a positive integer, got ${d}`);
  if (x.length % d !== 0) throw new DataError(name, `feature array of length ${x.length} is not a multiple of the dimension ${d}`);
  const n = x.length / d;
  const y = init.y instanceof Int32Array ? init.y : Int32Array.from(init.y);
  if (y.length !== n) throw new DataError(name, `${n} feature rows but ${y.length} labels: rows and labels disagree in count`);
  if (init.groups.length !== n) throw new DataError(name, `${n} feature rows but ${init.groups.length} group entries`);
  const ids = init.ids ?? Array.from({ length: n }, (_, i) => `row${i}`);
  if (ids.length !== n) throw new DataError(name, `${n} feature rows but ${ids.length} row ids`);
  if (init.featureNames && init.featureNames.length !== d) {
    throw new DataError(name, `${d} features but ${init.featureNames.length} feature names`);
  }
  const k = init.classes.length;
  for (let i = 0; i < n; i++) {
    const label = y[i];
    if (!(label >= 0 && label < k)) {
      throw new DataError(name, `row ${i} (${ids[i]}) has label ${label}, outside 0..${k - 1} (classes: ${init.classes.join(', ')})`);
    }
  }
  checkFinite(name, x, d, ids, init.featureNames);
  return { name, x, n, d, y, classes: [...init.classes], groups: [...init.groups], ids: [...ids], featureNames: init.featureNames ? [...init.featureNames] : undefined, synthetic: init.synthetic || undefined };
}

/** Throw a DataError naming the first NaN or infinite feature: row and feature counted from 1, with the row's id and the feature's name. */
export function checkFinite(name: string, x: Float32Array, d: number, ids?: readonly string[], featureNames?: readonly string[]): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) {
      const row = Math.floor(i / d);
      const j = i % d;
      const id = ids ? ` (${ids[row]})` : '';
      const feature = featureNames ? ` (${featureNames[j]})` : '';
      throw new DataError(name, `row ${row + 1}${id}, feature ${j + 1} of ${d}${feature}, is ${v}: NaN or infinite features are not allowed (impute or drop them first)`);
    }
  }
}

/** The rows `index` of `ds`, in that order, as a new Dataset (features copied). */
export function subset(ds: Dataset, index: ArrayLike<number>, name = ds.name): Dataset {
  const { d } = ds;
  const m = index.length;
  const x = new Float32Array(m * d);
  const y = new Int32Array(m);
  const groups: string[] = new Array(m);
  const ids: string[] = new Array(m);
  for (let r = 0; r < m; r++) {
    const i = index[r];
    if (!(i >= 0 && i < ds.n)) throw new RangeError(`subset: row ${i} outside 0..${ds.n - 1}`);
    x.set(ds.x.subarray(i * d, i * d + d), r * d);
    y[r] = ds.y[i];
    groups[r] = ds.groups[i];
    ids[r] = ds.ids[i];
  }
  return { name, x, n: m, d, y, classes: ds.classes, groups, ids, featureNames: ds.featureNames, synthetic: ds.synthetic };
}

/** Row i as a view (no copy). */
export function row(ds: Dataset, i: number): Float32Array {
  return ds.x.subarray(i * ds.d, (i + 1) * ds.d);
}

/** Count of rows per class, indexed by label. */
export function classCounts(ds: Pick<Dataset, 'y' | 'classes'>): number[] {
  const counts = new Array(ds.classes.length).fill(0);
  for (const label of ds.y) counts[label]++;
  return counts;
}

/** Rows per group, in order of first appearance. */
export function groupCounts(ds: Pick<Dataset, 'groups'>): { name: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const g of ds.groups) counts.set(g, (counts.get(g) ?? 0) + 1);
  return [...counts].map(([name, count]) => ({ name, count }));
}

/** Stack datasets with the same classes and dimension (e.g. real rows + synthetic rows). */
export function concat(parts: readonly Dataset[], name = parts[0]?.name ?? 'concat'): Dataset {
  if (parts.length === 0) throw new Error('concat: no datasets given');
  const { d, classes } = parts[0];
  for (const p of parts) {
    if (p.d !== d) throw new DataError(p.name, `has ${p.d} features, expected ${d} to stack with ${parts[0].name}`);
    if (p.classes.join('\u0000') !== classes.join('\u0000')) {
      throw new DataError(p.name, `classes ${p.classes.join(',')} differ from ${classes.join(',')} of ${parts[0].name}`);
    }
  }
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const groups: string[] = [];
  const ids: string[] = [];
  let at = 0;
  for (const p of parts) {
    x.set(p.x, at * d);
    y.set(p.y, at);
    groups.push(...p.groups);
    ids.push(...p.ids);
    at += p.n;
  }
  return { name, x, n, d, y, classes, groups, ids, featureNames: parts[0].featureNames, synthetic: parts.some((p) => p.synthetic) || undefined };
}
