/**
 * The smallest shape the analysis functions read: row-major features, n x d. A `Dataset` is one.
 */
export interface Rows {
  /** Features, row-major n x d. */
  readonly x: Float32Array;
  /** Number of rows. */
  readonly n: number;
  /** Number of features per row. */
  readonly d: number;
}

/** Wrap a flat row-major array as `Rows`, checking that its length is a multiple of `d`. */
export function rows(x: Float32Array, d: number): Rows {
  if (!Number.isInteger(d) || d <= 0) throw new Error(`rows: dimension must be a positive integer, got ${d}`);
  if (x.length % d !== 0) throw new Error(`rows: array of length ${x.length} is not a multiple of the dimension ${d}`);
  return { x, n: x.length / d, d };
}

/** Throw unless `r` is a consistent n x d table (`what` names it in the message). */
export function checkRows(what: string, r: Rows): void {
  if (!r || !(r.x instanceof Float32Array)) throw new Error(`${what}: expected rows with a Float32Array x (n x d), got ${typeof r}`);
  if (!Number.isInteger(r.d) || r.d <= 0 || r.x.length !== r.n * r.d) {
    throw new Error(`${what}: x has length ${r.x.length}, expected n x d = ${r.n} x ${r.d}`);
  }
}
