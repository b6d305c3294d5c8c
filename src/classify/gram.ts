/**
 * RBF kernel values K(x, z) = exp(−γ‖x − z‖²) for the kernel SVM, computed in blocks.
 *
 * ‖x − z‖² = ‖x‖² + ‖z‖² − 2 xᵀz: the squared norms are summed once per row in float64, and the
 * dot products of a whole block of rows come from one float32 GEMM on the native BLAS (the
 * addon of src/backend/native.ts), or from a float64 JS loop when the addon is absent. One
 * block of 256 rows against 5,000 rows of 4,354 features is ~11 GFLOP, about a tenth of a
 * second on one core's BLAS, where libsvm (scikit-learn's SVC) computes the same values one
 * float64 dot product at a time, again for every pair of classes.
 *
 * Two ways to hand kernel columns to the SMO solver (`KernelColumns`):
 * - `GramMatrix`: the whole n x n matrix of the training rows, computed once per fit and shared
 *   by every one-vs-one problem (each reads its own rows of it), when it fits in the budget;
 * - `CachedColumns`: libsvm's column cache for one binary problem, for training sets whose Gram
 *   matrix does not fit (IEMOCAP-sized): least recently used columns are dropped, and a missing
 *   column is computed in one GEMM together with the columns the solver is likely to ask for
 *   next (reading the rows once for a block costs little more than reading them for one column).
 *   When all of a problem's columns fit, they are computed up front, half of them by symmetry.
 */
import type { NativeBlas } from '../backend/native';
import { countNativeProduct } from '../backend/stats';

/** Floats of the scratch block that receives one GEMM's dot products (16 MB). */
const SCRATCH_FLOATS = 1 << 22;
/** Query rows copied next to the stored rows for one GEMM. */
const QUERY_ROWS = 256;

/**
 * Rows stored for kernel evaluations against them: the rows themselves, their squared norms,
 * and (native) one ArrayBuffer holding the rows, a query block and a scratch block, because the
 * addon's `gemm` takes all operands as byte offsets into a single buffer.
 */
export class RbfRows {
  /** Stored rows, row-major n x d (a view into the GEMM buffer on the native path). */
  readonly rows: Float32Array;
  /** ‖row‖², float64. */
  readonly sqNorm: Float64Array;
  readonly n: number;
  readonly d: number;
  readonly gamma: number;
  /** The BLAS used, or undefined for the JS loop. */
  readonly blas: NativeBlas | undefined;
  private readonly buffer?: ArrayBuffer;
  private readonly queryOff: number;
  private readonly scratchOff: number;
  private readonly query?: Float32Array;
  private readonly scratch?: Float32Array;

  /**
   * Copies the rows of `x` (row-major, dimension d): all in order, or x's rows order[0], order[1],
   * … when `order` is given. `blas` undefined selects the JS loop.
   */
  constructor(x: Float32Array, d: number, gamma: number, blas: NativeBlas | undefined, order?: ArrayLike<number>) {
    this.d = d;
    this.n = order ? order.length : x.length / d;
    this.gamma = gamma;
    this.blas = blas;
    const rowFloats = this.n * d;
    if (blas) {
      this.queryOff = rowFloats * 4;
      this.scratchOff = this.queryOff + QUERY_ROWS * d * 4;
      // a block never has more than QUERY_ROWS x n dot products: no larger scratch for few rows
      const scratchFloats = Math.min(SCRATCH_FLOATS, QUERY_ROWS * Math.max(1, this.n));
      this.buffer = new ArrayBuffer(this.scratchOff + scratchFloats * 4);
      this.rows = new Float32Array(this.buffer, 0, rowFloats);
      this.query = new Float32Array(this.buffer, this.queryOff, QUERY_ROWS * d);
      this.scratch = new Float32Array(this.buffer, this.scratchOff, scratchFloats);
    } else {
      this.rows = new Float32Array(rowFloats);
      this.queryOff = 0;
      this.scratchOff = 0;
    }
    if (order) {
      for (let p = 0; p < this.n; p++) this.rows.set(x.subarray(order[p] * d, (order[p] + 1) * d), p * d);
    } else {
      this.rows.set(x.subarray(0, rowFloats));
    }
    this.sqNorm = squaredNorms(this.rows, d);
  }

  /**
   * The stored rows at `positions` (increasing), moved to the front of the same memory: no
   * second copy of the rows (fresh memory is slow to touch, and the fit no longer needs the
   * others). This object must not be used afterwards.
   */
  keep(positions: ArrayLike<number>): RbfRows {
    const { d } = this;
    const m = positions.length;
    const sqNorm = new Float64Array(m);
    for (let p = 0; p < m; p++) {
      const from = positions[p];
      if (!(from >= p && from < this.n && (p === 0 || from > positions[p - 1]))) throw new Error(`RbfRows.keep: positions must be increasing row indices below ${this.n}`);
      if (from !== p) this.rows.copyWithin(p * d, from * d, (from + 1) * d);
      sqNorm[p] = this.sqNorm[from];
    }
    const out = Object.create(RbfRows.prototype) as RbfRows;
    return Object.assign(out, { ...this, rows: this.rows.subarray(0, m * d), sqNorm, n: m });
  }

  /** Bytes held (rows, query and scratch blocks). */
  get bytes(): number {
    return this.buffer ? this.buffer.byteLength : this.rows.byteLength;
  }

  /**
   * K(q_r, row b0 + c) for the query rows `q` (m x d, squared norms `qSq`) and stored rows
   * [b0, b1), written to out[at[r] + c] as float32.
   */
  cross(q: Float32Array, qSq: ArrayLike<number>, b0: number, b1: number, out: Float32Array, at: ArrayLike<number>): void {
    const m = qSq.length;
    if (!this.blas) {
      for (let r = 0; r < m; r++) this.jsRow(q, r * this.d, qSq[r], b0, b1, out, at[r]);
      return;
    }
    const { d } = this;
    const nb = b1 - b0;
    const room = this.scratch!.length;
    const colChunk = Math.min(nb, room);
    const rowChunk = Math.max(1, Math.min(QUERY_ROWS, Math.floor(room / Math.max(1, colChunk))));
    for (let r0 = 0; r0 < m; r0 += rowChunk) {
      const r1 = Math.min(m, r0 + rowChunk);
      this.query!.set(q.subarray(r0 * d, r1 * d));
      for (let c0 = b0; c0 < b1; c0 += colChunk) {
        const c1 = Math.min(b1, c0 + colChunk);
        this.gemmBlock(this.queryOff, r1 - r0, c0, c1);
        this.toKernel(qSq, r0, r1, b0, c0, c1, out, at);
      }
    }
  }

  /** `cross` for stored rows as queries: rows idx[r] against [b0, b1), to out[at[r] + c]. */
  crossRows(idx: ArrayLike<number>, b0: number, b1: number, out: Float32Array, at: ArrayLike<number>): void {
    const { d } = this;
    const m = idx.length;
    const q = new Float32Array(Math.min(m, QUERY_ROWS) * d);
    const qSq = new Float64Array(Math.min(m, QUERY_ROWS));
    for (let r0 = 0; r0 < m; r0 += QUERY_ROWS) {
      const r1 = Math.min(m, r0 + QUERY_ROWS);
      for (let r = r0; r < r1; r++) {
        q.set(this.rows.subarray(idx[r] * d, (idx[r] + 1) * d), (r - r0) * d);
        qSq[r - r0] = this.sqNorm[idx[r]];
      }
      const atPart = Array.from({ length: r1 - r0 }, (_, r) => at[r0 + r]);
      this.cross(q.subarray(0, (r1 - r0) * d), qSq.subarray(0, r1 - r0), b0, b1, out, atPart);
    }
  }

  /**
   * The full n x n kernel matrix of the stored rows. Only blocks on and above the diagonal are
   * computed (half the GEMM work) and mirrored, so the matrix is exactly symmetric, as libsvm's;
   * the diagonal is exactly 1 (what libsvm computes for K(x, x) in float64).
   */
  gram(): Float32Array {
    const { n, d } = this;
    const K = new Float32Array(n * n);
    const block = QUERY_ROWS;
    for (let r0 = 0; r0 < n; r0 += block) {
      const r1 = Math.min(n, r0 + block);
      if (this.blas) {
        // the block's own rows are already in the buffer: no copy to the query block
        const colChunk = Math.max(1, Math.min(n - r0, Math.floor(this.scratch!.length / (r1 - r0))));
        for (let c0 = r0; c0 < n; c0 += colChunk) {
          const c1 = Math.min(n, c0 + colChunk);
          this.gemmBlock(r0 * d * 4, r1 - r0, c0, c1);
          this.toKernelGram(r0, r1, c0, c1, K);
        }
      } else {
        for (let r = r0; r < r1; r++) this.jsRow(this.rows, r * d, this.sqNorm[r], r, n, K, r * n + r);
      }
    }
    mirrorUpper(K, n);
    return K;
  }

  /** scratch (m x (c1 − c0)) = A (m rows at byte offset aOff) · rows[c0, c1)ᵀ. */
  private gemmBlock(aOff: number, m: number, c0: number, c1: number): void {
    const { d } = this;
    const t0 = performance.now();
    this.blas!.gemm(this.buffer!, false, true, 1, m, c1 - c0, d, aOff, 0, c0 * d * 4, 0, this.scratchOff, 0, -1, 0, 0);
    countNativeProduct(2 * m * (c1 - c0) * d, performance.now() - t0);
  }

  /** Scratch dot products of query rows [r0, r1) with stored rows [c0, c1) → out[at[r] + c − b0]. */
  private toKernel(qSq: ArrayLike<number>, r0: number, r1: number, b0: number, c0: number, c1: number, out: Float32Array, at: ArrayLike<number>): void {
    const s = this.scratch!;
    const sq = this.sqNorm;
    const g = this.gamma;
    const w = c1 - c0;
    for (let r = r0; r < r1; r++) {
      const base = (r - r0) * w;
      const o = at[r] + (c0 - b0);
      const qs = qSq[r];
      for (let c = 0; c < w; c++) {
        const dist = qs + sq[c0 + c] - 2 * s[base + c];
        out[o + c] = Math.exp(-g * (dist > 0 ? dist : 0));
      }
    }
  }

  /** Scratch dot products of stored rows [r0, r1) with [c0, c1) → K[r, c] (row-major n x n). */
  private toKernelGram(r0: number, r1: number, c0: number, c1: number, K: Float32Array): void {
    const s = this.scratch!;
    const sq = this.sqNorm;
    const g = this.gamma;
    const { n } = this;
    const w = c1 - c0;
    for (let r = r0; r < r1; r++) {
      const base = (r - r0) * w;
      const o = r * n + c0;
      const qs = sq[r];
      for (let c = 0; c < w; c++) {
        const dist = qs + sq[c0 + c] - 2 * s[base + c];
        K[o + c] = Math.exp(-g * (dist > 0 ? dist : 0));
      }
    }
  }

  /** JS path: K(q row at offset qo, stored rows [b0, b1)) to out[o ...]. */
  private jsRow(q: Float32Array, qo: number, qs: number, b0: number, b1: number, out: Float32Array, o: number): void {
    const { d, rows, sqNorm } = this;
    const g = this.gamma;
    for (let b = b0; b < b1; b++) {
      const dist = qs + sqNorm[b] - 2 * dot(q, qo, rows, b * d, d);
      out[o + b - b0] = Math.exp(-g * (dist > 0 ? dist : 0));
    }
  }
}

/**
 * Copy the upper triangle of the n x n matrix K (row-major, from offset 0) to the lower one and
 * set the diagonal to 1: K(x, x) = 1 exactly, as libsvm computes it in float64. Tiled: a plain
 * column walk would miss the cache on every row.
 */
function mirrorUpper(K: Float32Array, n: number): void {
  const T = 64;
  for (let i0 = 0; i0 < n; i0 += T) {
    for (let j0 = 0; j0 <= i0; j0 += T) {
      const i1 = Math.min(n, i0 + T);
      const j1 = Math.min(n, j0 + T);
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(j1, i);
        for (let j = j0; j < jEnd; j++) K[i * n + j] = K[j * n + i];
      }
    }
  }
  for (let i = 0; i < n; i++) K[i * n + i] = 1;
}

/** Σ_j a[ao + j] b[bo + j] in float64. */
function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let j = 0;
  for (; j + 3 < d; j += 4) {
    s0 += a[ao + j] * b[bo + j];
    s1 += a[ao + j + 1] * b[bo + j + 1];
    s2 += a[ao + j + 2] * b[bo + j + 2];
    s3 += a[ao + j + 3] * b[bo + j + 3];
  }
  for (; j < d; j++) s0 += a[ao + j] * b[bo + j];
  return (s0 + s1) + (s2 + s3);
}

/** ‖row‖² of every row of x (n x d), float64. */
export function squaredNorms(x: Float32Array, d: number): Float64Array {
  const n = x.length / d;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = dot(x, i * d, x, i * d, d);
  return out;
}

/**
 * Kernel columns of one binary problem, as the SMO solver reads them: problem rows are numbered
 * 0..l−1, and K(o, o′) = column(o)[slot[o′]].
 */
export interface KernelColumns {
  /** Problem rows. */
  readonly l: number;
  /** Index of each problem row's entry inside a column. */
  readonly slot: Int32Array;
  /** Columns computed together on a miss (1: no look-ahead). */
  readonly block: number;
  /** K(o, ·) of problem row o, computed first if not at hand. Valid until the next call that computes. */
  column(o: number): Float32Array;
  /** Whether column(o) costs nothing (already computed). */
  has(o: number): boolean;
  /** Compute the columns of these problem rows together (those at hand are skipped). */
  fetch(os: ArrayLike<number>): void;
}

/** The full kernel matrix of all training rows, shared by the binary problems of one fit. */
export class GramMatrix {
  /** n x n, row-major, symmetric. */
  readonly values: Float32Array;
  readonly n: number;
  private readonly views: (Float32Array | undefined)[];

  constructor(rows: RbfRows) {
    this.n = rows.n;
    this.values = rows.gram();
    this.views = new Array(rows.n);
  }

  /** Row i (= column i) as a view. */
  row(i: number): Float32Array {
    return (this.views[i] ??= this.values.subarray(i * this.n, (i + 1) * this.n));
  }

  get bytes(): number {
    return this.values.byteLength;
  }

  /** The columns of the problem whose rows are the stored rows `stored` (problem row o = stored[o]). */
  columns(stored: Int32Array): KernelColumns {
    return {
      l: stored.length,
      slot: stored,
      block: 1,
      column: (o) => this.row(stored[o]),
      has: () => true,
      fetch: () => undefined,
    };
  }
}

/**
 * libsvm's kernel cache for one binary problem: at most `capacity` columns of length l, the
 * least recently used dropped first. Problem rows are the stored rows of `ranges` in order
 * (one-vs-one: the rows of the positive class, then of the negative one, both contiguous in the
 * class-sorted training rows). With room for all l columns, all are computed up front.
 */
export class CachedColumns implements KernelColumns {
  readonly l: number;
  readonly slot: Int32Array;
  readonly block: number;
  readonly capacity: number;
  /** Columns computed so far (a column computed twice counts twice). */
  computed = 0;
  /** Seconds spent computing them. */
  seconds = 0;
  private readonly stored: Int32Array;
  private readonly pool: Float32Array;
  private readonly where: Int32Array;
  private readonly owner: Int32Array;
  private readonly stamp: Float64Array;
  /** 1 once a column was read; 0 while it is only a guess of the solver's (fetched, unread). */
  private readonly read: Uint8Array;
  private readonly views: Float32Array[];
  private clock = 0;

  /**
   * @param rows class-sorted training rows
   * @param ranges [first stored row, count] of each part of the problem, in problem order
   * @param pool memory for the columns, shared by the problems of one fit (at least
   *   (2·block + 2)·l floats: two blocks and the two columns of the current step)
   * @param block columns computed per miss (the solver chooses which)
   */
  constructor(private readonly rows: RbfRows, private readonly ranges: readonly (readonly [number, number])[], pool: Float32Array, block: number) {
    const l = ranges.reduce((s, r) => s + r[1], 0);
    this.l = l;
    this.stored = new Int32Array(l);
    let o = 0;
    for (const [start, count] of ranges) for (let c = 0; c < count; c++) this.stored[o++] = start + c;
    this.slot = Int32Array.from({ length: l }, (_, i) => i);
    this.capacity = Math.min(l, Math.floor(pool.length / Math.max(1, l)));
    if (this.capacity < Math.min(l, 2 * block + 2)) throw new Error(`CachedColumns: a pool of ${pool.length} floats holds ${this.capacity} columns of ${l}, fewer than the ${2 * block + 2} needed`);
    this.block = Math.max(1, Math.min(block, Math.floor((this.capacity - 2) / 2)));
    this.pool = pool;
    this.views = Array.from({ length: this.capacity }, (_, s) => pool.subarray(s * l, (s + 1) * l));
    this.where = new Int32Array(l).fill(-1);
    this.owner = new Int32Array(this.capacity).fill(-1);
    this.stamp = new Float64Array(this.capacity);
    this.read = new Uint8Array(this.capacity);
    if (this.capacity === l) {
      const t0 = performance.now();
      this.fillAll();
      this.seconds += (performance.now() - t0) / 1000;
    }
  }

  /**
   * All l columns at once, as the problem's own l x l kernel matrix: blocks on and above the
   * diagonal, mirrored (half the work of computing every column).
   */
  private fillAll(): void {
    const { l } = this;
    let po = 0;
    for (const [start, count] of this.ranges) {
      for (let o0 = po; o0 < po + count; o0 += QUERY_ROWS) {
        const o1 = Math.min(po + count, o0 + QUERY_ROWS);
        const idx = Int32Array.from({ length: o1 - o0 }, (_, r) => start + (o0 - po) + r);
        // columns o0..l of rows o0..o1, one part per range
        let qo = 0;
        for (const [s2, c2] of this.ranges) {
          const a = Math.max(o0, qo);
          const b = qo + c2;
          if (a < b) {
            const at = Float64Array.from({ length: o1 - o0 }, (_, r) => (o0 + r) * l + a);
            this.rows.crossRows(idx, s2 + (a - qo), s2 + (b - qo), this.pool, at);
          }
          qo += c2;
        }
      }
      po += count;
    }
    mirrorUpper(this.pool, l);
    for (let o = 0; o < l; o++) {
      this.where[o] = o;
      this.owner[o] = o;
    }
    this.computed = l;
  }

  /** Floats a pool needs for problems of up to `maxL` rows within `budgetBytes` (never fewer than the minimum). */
  static poolFloats(maxL: number, budgetBytes: number, block: number): number {
    const columns = Math.min(maxL, Math.max(Math.floor(budgetBytes / (4 * Math.max(1, maxL))), 2 * block + 2));
    return columns * maxL;
  }

  has(o: number): boolean {
    return this.where[o] >= 0;
  }

  column(o: number): Float32Array {
    if (this.where[o] < 0) this.fetch([o]);
    const s = this.where[o];
    this.stamp[s] = ++this.clock;
    this.read[s] = 1;
    return this.views[s];
  }

  fetch(os: ArrayLike<number>): void {
    const want: number[] = [];
    // keep the two columns of the current step unless every column fits
    const room = this.capacity === this.l ? this.l : this.capacity - 2;
    for (let i = 0; i < os.length && want.length < room; i++) {
      const o = os[i];
      if (this.where[o] < 0 && !want.includes(o)) want.push(o);
    }
    if (want.length === 0) return;
    const t0 = performance.now();
    const victims = this.leastRecent(want.length);
    const { l } = this;
    const at = new Float64Array(want.length);
    want.forEach((o, r) => {
      const s = victims[r];
      if (this.owner[s] >= 0) this.where[this.owner[s]] = -1;
      this.owner[s] = o;
      this.where[o] = s;
      this.stamp[s] = ++this.clock;
      this.read[s] = 0;
      at[r] = s * l;
    });
    const idx = want.map((o) => this.stored[o]);
    let offset = 0;
    for (const [start, count] of this.ranges) {
      this.rows.crossRows(idx, start, start + count, this.pool, at.map((a) => a + offset));
      offset += count;
    }
    // K(x, x) = 1 exactly, as libsvm computes it in float64
    want.forEach((o, r) => { this.pool[at[r] + o] = 1; });
    this.computed += want.length;
    this.seconds += (performance.now() - t0) / 1000;
  }

  /**
   * The m slots to reuse: empty ones, then guesses never read (oldest first), then the least
   * recently read columns. Guesses go first so that look-ahead never pushes out a column the
   * solver has been using.
   */
  private leastRecent(m: number): number[] {
    // one pass with a running list of the m best (m is a block: a full sort per miss is slower)
    const out: number[] = [];
    const key = (slot: number): number => (this.owner[slot] < 0 ? -2 : this.read[slot] ? this.stamp[slot] : -1 - 1 / (1 + this.stamp[slot]));
    const keys: number[] = [];
    for (let s = 0; s < this.capacity; s++) {
      const k = key(s);
      if (out.length === m && !(k < keys[m - 1])) continue;
      let i = out.length < m ? out.length : m - 1;
      if (out.length < m) { out.push(s); keys.push(k); }
      while (i > 0 && keys[i - 1] > k) {
        out[i] = out[i - 1];
        keys[i] = keys[i - 1];
        i--;
      }
      out[i] = s;
      keys[i] = k;
    }
    return out;
  }
}

/**
 * Dot products x_rᵀx_s of the rows `rows` of x (row-major, dimension d), for the linear SVM's
 * greedy solver (dual-greedy.ts), split as x_rᵀx_s = z_rᵀz_s + u_r + u_s + c with z = x − m
 * around the rows' mean m, u_r = mᵀz_r and c = mᵀm. Only the centred products are float32 (one
 * GEMM on the native BLAS, or a float64 JS loop without it): rows far from the origin and close
 * to each other, such as an AAE's synthetic ones, differ in digits that float32 products of the
 * raw rows would round away.
 */
export interface CentredGram {
  /** z_rᵀz_s, l x l row-major, exactly symmetric. */
  values: Float32Array;
  /** u_r = mᵀz_r (float64). */
  offset: Float64Array;
  /** c = mᵀm. */
  base: number;
}

/** Rows of one GEMM block of `centredGram`: their products with all later rows land in a scratch block first. */
const GRAM_BLOCK = 512;

/** Bytes `centredGram` holds for l rows of dimension d (the matrix, the centred rows, one scratch block). */
export function centredGramBytes(l: number, d: number): number {
  return (l * l + l * d + Math.min(GRAM_BLOCK, l) * l) * 4;
}

export function centredGram(x: Float32Array, d: number, rows: ArrayLike<number>, blas: NativeBlas | undefined): CentredGram {
  const l = rows.length;
  const mean = new Float64Array(d);
  for (let i = 0; i < l; i++) for (let j = 0, o = rows[i] * d; j < d; j++) mean[j] += x[o + j];
  for (let j = 0; j < d; j++) mean[j] /= l;
  // the centred rows and (native) a scratch block behind them: the addon's gemm takes byte offsets into one buffer
  const block = Math.min(GRAM_BLOCK, l);
  const buffer = new ArrayBuffer((l * d + (blas ? block * l : 0)) * 4);
  const z = new Float32Array(buffer, 0, l * d);
  const offset = new Float64Array(l);
  let base = 0;
  for (let j = 0; j < d; j++) base += mean[j] * mean[j];
  for (let i = 0; i < l; i++) {
    let u = 0;
    for (let j = 0, o = rows[i] * d, t = i * d; j < d; j++) {
      const v = x[o + j] - mean[j];
      z[t + j] = v;
      u += mean[j] * v;
    }
    offset[i] = u;
  }
  const values = new Float32Array(l * l);
  if (blas) {
    // blocks on and above the diagonal only (half the GEMM work), mirrored: exactly symmetric
    const scratch = new Float32Array(buffer, l * d * 4, block * l);
    for (let r0 = 0; r0 < l; r0 += block) {
      const r1 = Math.min(l, r0 + block);
      const w = l - r0;
      const t0 = performance.now();
      blas.gemm(buffer, false, true, 1, r1 - r0, w, d, r0 * d * 4, 0, r0 * d * 4, 0, l * d * 4, 0, -1, 0, 0);
      countNativeProduct(2 * (r1 - r0) * w * d, performance.now() - t0);
      for (let r = r0; r < r1; r++) values.set(scratch.subarray((r - r0) * w + (r - r0), (r - r0 + 1) * w), r * l + r);
    }
    for (let i = 1; i < l; i++) for (let j = 0; j < i; j++) values[i * l + j] = values[j * l + i];
  } else {
    for (let i = 0; i < l; i++) for (let j = 0; j <= i; j++) values[i * l + j] = values[j * l + i] = dot(z, i * d, z, j * d, d);
  }
  return { values, offset, base };
}

