/**
 * t-SNE (van der Maaten & Hinton 2008) to two dimensions, seeded, for the paper's Fig. 4 and 9:
 * real and synthetic rows embedded together, then plotted with colour = emotion.
 *
 * Steps (as scikit-learn's TSNE): PCA to `pcaDims` (50) dimensions; Gaussian affinities whose
 * bandwidth per row matches `perplexity` (binary search on the entropy); symmetrised P;
 * gradient descent on KL(P || Q) with Student-t Q, early exaggeration, momentum and gains.
 * Two gradient methods: 'exact' (all pairs, dense P, O(n^2) per iteration) and 'barnes-hut'
 * (sparse P on the 3 x perplexity nearest neighbours, quadtree repulsion, O(n log n) per
 * iteration, van der Maaten 2014). 'auto' takes exact up to `exactMaxRows` rows.
 *
 * @example
 *   const emb = tsne({ seed: 1 }).fitTransform(concat([real, synthetic]));  // Float32Array n x 2
 */
import { checkRows, Rows } from './rows';
import { pcaScores } from './pca';
import { Random, toRandom } from '../util/random';
import { NotFittedError, OptionError, checkOptionKeys } from '../util/errors';

export interface TsneOptions {
  /** Perplexity, the effective number of neighbours per point. Default 30 (scikit-learn's). */
  perplexity?: number;
  /** Reduce to this many principal components first when d is larger; 0 = no PCA. Default 50. */
  pcaDims?: number;
  /** Gradient-descent iterations in all. Default 1000. */
  iterations?: number;
  /** Factor on P during the first `exaggerationIterations`. Default 12. */
  earlyExaggeration?: number;
  /** Iterations with exaggerated P and momentum 0.5 (then momentum 0.8). Default 250. */
  exaggerationIterations?: number;
  /** Step size, or 'auto' = max(n / earlyExaggeration / 4, 50) (scikit-learn's). Default 'auto'. */
  learningRate?: number | 'auto';
  /** 'exact', 'barnes-hut', or 'auto' (exact for n <= exactMaxRows). Default 'auto'. */
  method?: 'auto' | 'exact' | 'barnes-hut';
  /** Largest n for which 'auto' picks the exact method. Default 1500. */
  exactMaxRows?: number;
  /** Barnes–Hut accuracy: a cell is summarised when its width / distance < theta. Default 0.5. */
  theta?: number;
  /** Start from the first two principal components scaled to std 1e-4 ('pca') or N(0, 1e-4^2) ('random'). Default 'pca'. */
  init?: 'pca' | 'random';
  /** Seed or generator (PCA test matrix, random init). Default 0. */
  seed?: number | Random;
}

/** Defaults of {@link TsneOptions} (scikit-learn's TSNE defaults). */
export const TSNE_DEFAULTS: Required<TsneOptions> = {
  perplexity: 30,
  pcaDims: 50,
  iterations: 1000,
  earlyExaggeration: 12,
  exaggerationIterations: 250,
  learningRate: 'auto',
  method: 'auto',
  exactMaxRows: 1500,
  theta: 0.5,
  init: 'pca',
  seed: 0,
};

/** Most rows the exact method accepts: its dense P takes 8 n^2 bytes (800 MB at 10,000 rows). */
export const EXACT_LIMIT = 10000;

/** What a fit produced. */
export interface TsneFitted {
  /** Embedding, row-major n x 2. */
  embedding: Float32Array;
  /** The gradient method used. */
  method: 'exact' | 'barnes-hut';
  /** KL(P || Q) at the end (exact method only; NaN for Barnes–Hut). */
  kl: number;
}

/** t-SNE with settings in the constructor and data in `fit` (scikit-learn's TSNE). */
export class Tsne {
  readonly options: Readonly<Required<TsneOptions>>;
  private fitted: TsneFitted | null = null;

  constructor(options: TsneOptions = {}) {
    checkOptionKeys('tsne', options, TSNE_DEFAULTS);
    const o = { ...TSNE_DEFAULTS, ...options };
    const positive = (name: keyof TsneOptions, v: number) => {
      if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new OptionError(`tsne.${name}`, v, 'a positive number');
    };
    positive('perplexity', o.perplexity);
    positive('earlyExaggeration', o.earlyExaggeration);
    if (o.learningRate !== 'auto') positive('learningRate', o.learningRate);
    for (const k of ['pcaDims', 'iterations', 'exaggerationIterations', 'exactMaxRows'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 0) throw new OptionError(`tsne.${k}`, o[k], 'a non-negative integer');
    }
    if (!(o.theta >= 0 && o.theta <= 1)) throw new OptionError('tsne.theta', o.theta, 'a number in [0, 1]');
    if (!['auto', 'exact', 'barnes-hut'].includes(o.method)) throw new OptionError('tsne.method', o.method, "'auto', 'exact' or 'barnes-hut'");
    if (!['pca', 'random'].includes(o.init)) throw new OptionError('tsne.init', o.init, "'pca' or 'random'");
    this.options = o;
  }

  /** Embed the rows of `r` (a Dataset is Rows); returns this. */
  fit(r: Rows): this {
    checkRows('tsne.fit', r);
    const o = this.options;
    const n = r.n;
    if (n < 3) throw new Error(`tsne.fit: need at least 3 rows, got ${n}`);
    if (o.perplexity >= n - 1) throw new OptionError('tsne.perplexity', o.perplexity, `less than n - 1 = ${n - 1} (fewer rows than the perplexity asks for neighbours)`);
    const rng = toRandom(o.seed);
    const method = o.method === 'auto' ? (n <= o.exactMaxRows ? 'exact' : 'barnes-hut') : o.method;
    if (method === 'exact' && n > EXACT_LIMIT) {
      throw new OptionError('tsne.method', 'exact', `'barnes-hut' for ${n} rows (the exact method holds an n x n matrix; at most ${EXACT_LIMIT} rows)`);
    }

    // Input space: PCA scores (float64 n x m), or the rows themselves.
    let X: Float64Array;
    let m: number;
    const needPca = o.init === 'pca' || (o.pcaDims > 0 && r.d > o.pcaDims);
    const pcaK = Math.max(2, Math.min(o.pcaDims > 0 ? o.pcaDims : 2, r.d, n));
    const scores = needPca ? pcaScores(r, pcaK, { seed: rng.derive('pca') }) : null;
    if (o.pcaDims > 0 && r.d > o.pcaDims && scores) {
      X = scores;
      m = pcaK;
    } else {
      X = Float64Array.from(r.x);
      m = r.d;
    }

    // Initial positions.
    const Y = new Float64Array(n * 2);
    if (o.init === 'pca' && scores) {
      let mean = 0;
      for (let i = 0; i < n; i++) mean += scores[i * pcaK];
      mean /= n;
      let v = 0;
      for (let i = 0; i < n; i++) v += (scores[i * pcaK] - mean) ** 2;
      const scale = 1e-4 / (Math.sqrt(v / n) || 1);
      for (let i = 0; i < n; i++) {
        Y[2 * i] = scores[i * pcaK] * scale;
        Y[2 * i + 1] = scores[i * pcaK + 1] * scale;
      }
    } else {
      const init = rng.derive('init');
      for (let t = 0; t < Y.length; t++) Y[t] = 1e-4 * init.normal();
    }

    const lr = o.learningRate === 'auto' ? Math.max(n / o.earlyExaggeration / 4, 50) : o.learningRate;
    let kl = NaN;
    if (method === 'exact') {
      const P = densePerplexityP(X, n, m, o.perplexity);
      optimize(Y, n, lr, o, (y, exaggeration, grad) => exactGradient(y, n, P, exaggeration, grad));
      kl = exactKl(Y, n, P);
    } else {
      const P = sparsePerplexityP(X, n, m, o.perplexity);
      const tree = new QuadTree(4 * n);
      optimize(Y, n, lr, o, (y, exaggeration, grad) => barnesHutGradient(y, n, P, exaggeration, o.theta, tree, grad));
    }
    this.fitted = { embedding: Float32Array.from(Y), method, kl };
    return this;
  }

  /** `fit(r)` and return the embedding (n x 2, row-major). */
  fitTransform(r: Rows): Float32Array {
    return this.fit(r).embedding;
  }

  /** The embedding of the last fit, n x 2 row-major. */
  get embedding(): Float32Array {
    return this.result.embedding;
  }

  /** Embedding, method used and final KL divergence. */
  get result(): TsneFitted {
    if (!this.fitted) throw new NotFittedError('Tsne', 'reading the embedding');
    return this.fitted;
  }
}

/** Lowercase factory (notebooks): `tsne({ seed: 1 }).fitTransform(rows)`. */
export function tsne(options: TsneOptions = {}): Tsne {
  return new Tsne(options);
}

// ---------------------------------------------------------------------------------------------
// Affinities

/** Squared Euclidean distances from row i to every row (float64). */
function distancesFrom(X: Float64Array, n: number, m: number, i: number, out: Float64Array): void {
  const a = i * m;
  for (let j = 0; j < n; j++) {
    const b = j * m;
    let s = 0;
    for (let k = 0; k < m; k++) {
      const e = X[a + k] - X[b + k];
      s += e * e;
    }
    out[j] = s;
  }
}

/**
 * Conditional p_{j|i} = exp(-beta D_ij) / sum, beta found by bisection so that the entropy is
 * log(perplexity). `D` holds the distances to the candidate neighbours (self excluded by the caller).
 */
function conditionalRow(D: Float64Array, len: number, perplexity: number, out: Float64Array): void {
  const target = Math.log(perplexity);
  let dmin = Infinity;
  for (let j = 0; j < len; j++) if (D[j] < dmin) dmin = D[j];
  let beta = 1;
  let lo = -Infinity;
  let hi = Infinity;
  for (let step = 0; step < 200; step++) {
    let sum = 0;
    let sumDP = 0;
    for (let j = 0; j < len; j++) {
      const p = Math.exp(-(D[j] - dmin) * beta);
      out[j] = p;
      sum += p;
      sumDP += (D[j] - dmin) * p;
    }
    const H = Math.log(sum) + (beta * sumDP) / sum;
    for (let j = 0; j < len; j++) out[j] /= sum;
    const diff = H - target;
    if (Math.abs(diff) < 1e-5) break;
    if (diff > 0) {
      lo = beta;
      beta = hi === Infinity ? beta * 2 : (beta + hi) / 2;
    } else {
      hi = beta;
      beta = lo === -Infinity ? beta / 2 : (beta + lo) / 2;
    }
  }
}

/** Dense symmetric P (n x n), p_ij = (p_{j|i} + p_{i|j}) / 2n. */
function densePerplexityP(X: Float64Array, n: number, m: number, perplexity: number): Float64Array {
  const P = new Float64Array(n * n);
  const D = new Float64Array(n);
  const Dn = new Float64Array(n - 1);
  const row = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    distancesFrom(X, n, m, i, D);
    for (let j = 0, t = 0; j < n; j++) if (j !== i) Dn[t++] = D[j];
    conditionalRow(Dn, n - 1, perplexity, row);
    for (let j = 0, t = 0; j < n; j++) if (j !== i) P[i * n + j] = row[t++];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const v = (P[i * n + j] + P[j * n + i]) / (2 * n);
      P[i * n + j] = v;
      P[j * n + i] = v;
    }
  }
  return P;
}

/** Sparse symmetric P in CSR form over the floor(3 perplexity) nearest neighbours of each row. */
interface SparseP {
  rowStart: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function sparsePerplexityP(X: Float64Array, n: number, m: number, perplexity: number): SparseP {
  const k = Math.min(n - 1, Math.floor(3 * perplexity));
  const D = new Float64Array(n);
  const idx = new Int32Array(n);
  const Dk = new Float64Array(k);
  const rowP = new Float64Array(k);
  const ti = new Int32Array(2 * n * k);
  const tj = new Int32Array(2 * n * k);
  const tv = new Float64Array(2 * n * k);
  let t = 0;
  for (let i = 0; i < n; i++) {
    distancesFrom(X, n, m, i, D);
    D[i] = Infinity;
    const order = nearestK(D, n, k, idx);
    for (let q = 0; q < k; q++) Dk[q] = D[order[q]];
    conditionalRow(Dk, k, perplexity, rowP);
    for (let q = 0; q < k; q++) {
      const j = order[q];
      const v = rowP[q] / (2 * n);
      ti[t] = i; tj[t] = j; tv[t] = v; t++;
      ti[t] = j; tj[t] = i; tv[t] = v; t++;
    }
  }
  const perm = Array.from({ length: t }, (_, s) => s).sort((a, b) => ti[a] - ti[b] || tj[a] - tj[b]);
  const rowStart = new Int32Array(n + 1);
  const col: number[] = [];
  const val: number[] = [];
  let prevI = -1;
  let prevJ = -1;
  for (const s of perm) {
    if (ti[s] === prevI && tj[s] === prevJ) {
      val[val.length - 1] += tv[s];
      continue;
    }
    prevI = ti[s];
    prevJ = tj[s];
    col.push(tj[s]);
    val.push(tv[s]);
    rowStart[ti[s] + 1] = col.length;
  }
  for (let i = 1; i <= n; i++) if (rowStart[i] < rowStart[i - 1]) rowStart[i] = rowStart[i - 1];
  return { rowStart, col: Int32Array.from(col), val: Float64Array.from(val) };
}

/**
 * Indices of the k smallest D[j] (ties by index), nearest first: a max-heap of size k, O(n log k).
 * `heap` is scratch space of length >= k; the result is a view into it.
 */
function nearestK(D: Float64Array, n: number, k: number, heap: Int32Array): Int32Array {
  const worse = (a: number, b: number) => D[a] > D[b] || (D[a] === D[b] && a > b);
  let size = 0;
  const siftDown = (at: number) => {
    for (;;) {
      const l = 2 * at + 1;
      const r = l + 1;
      let top = at;
      if (l < size && worse(heap[l], heap[top])) top = l;
      if (r < size && worse(heap[r], heap[top])) top = r;
      if (top === at) return;
      const t = heap[at]; heap[at] = heap[top]; heap[top] = t;
      at = top;
    }
  };
  for (let j = 0; j < n; j++) {
    if (size < k) {
      let at = size++;
      heap[at] = j;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(heap[at], heap[parent])) break;
        const t = heap[at]; heap[at] = heap[parent]; heap[parent] = t;
        at = parent;
      }
    } else if (worse(heap[0], j)) {
      heap[0] = j;
      siftDown(0);
    }
  }
  // Pop the worst repeatedly to sort nearest first.
  const out = new Int32Array(size);
  for (let q = size - 1; q >= 0; q--) {
    out[q] = heap[0];
    heap[0] = heap[--size];
    siftDown(0);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Gradients: dC/dy_i = 4 sum_j (exaggeration p_ij - q_ij) w_ij (y_i - y_j), w_ij = 1 / (1 + |y_i - y_j|^2), q_ij = w_ij / Z

function exactGradient(Y: Float64Array, n: number, P: Float64Array, exaggeration: number, grad: Float64Array): void {
  grad.fill(0);
  const rep = new Float64Array(2 * n);
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i];
    const yi = Y[2 * i + 1];
    for (let j = i + 1; j < n; j++) {
      const dx = xi - Y[2 * j];
      const dy = yi - Y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      Z += 2 * w;
      const a = exaggeration * P[i * n + j] * w;
      const r = w * w;
      grad[2 * i] += a * dx; grad[2 * i + 1] += a * dy;
      grad[2 * j] -= a * dx; grad[2 * j + 1] -= a * dy;
      rep[2 * i] += r * dx; rep[2 * i + 1] += r * dy;
      rep[2 * j] -= r * dx; rep[2 * j + 1] -= r * dy;
    }
  }
  for (let t = 0; t < 2 * n; t++) grad[t] = 4 * (grad[t] - rep[t] / Z);
}

function exactKl(Y: Float64Array, n: number, P: Float64Array): number {
  let Z = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Y[2 * i] - Y[2 * j];
      const dy = Y[2 * i + 1] - Y[2 * j + 1];
      Z += 2 / (1 + dx * dx + dy * dy);
    }
  }
  let kl = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const p = P[i * n + j];
      if (i === j || p <= 0) continue;
      const dx = Y[2 * i] - Y[2 * j];
      const dy = Y[2 * i + 1] - Y[2 * j + 1];
      const q = 1 / (1 + dx * dx + dy * dy) / Z;
      kl += p * Math.log(Math.max(p, 1e-300) / Math.max(q, 1e-300));
    }
  }
  return kl;
}

/** A quadtree over the embedding, flat typed arrays; node 0 is the root. */
class QuadTree {
  cx: Float64Array; cy: Float64Array; hw: Float64Array;
  /** Points per cell, and the sum (while inserting) then the mean (after reset) of their positions. */
  mass: Float64Array; sx: Float64Array; sy: Float64Array;
  child: Int32Array; point: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.cx = new Float64Array(capacity); this.cy = new Float64Array(capacity); this.hw = new Float64Array(capacity);
    this.mass = new Float64Array(capacity); this.sx = new Float64Array(capacity); this.sy = new Float64Array(capacity);
    this.child = new Int32Array(4 * capacity); this.point = new Int32Array(capacity);
  }

  reset(Y: Float64Array, n: number): void {
    let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
    for (let i = 0; i < n; i++) {
      minX = Math.min(minX, Y[2 * i]); maxX = Math.max(maxX, Y[2 * i]);
      minY = Math.min(minY, Y[2 * i + 1]); maxY = Math.max(maxY, Y[2 * i + 1]);
    }
    this.size = 0;
    const half = Math.max(maxX - minX, maxY - minY) / 2 * (1 + 1e-5) + 1e-12;
    this.node((minX + maxX) / 2, (minY + maxY) / 2, half);
    for (let i = 0; i < n; i++) this.insert(i, Y[2 * i], Y[2 * i + 1]);
    // From here on sx, sy hold each cell's centre of mass (sums were needed while inserting).
    for (let s = 0; s < this.size; s++) {
      const m = this.mass[s];
      if (m > 0) { this.sx[s] /= m; this.sy[s] /= m; }
    }
  }

  private node(cx: number, cy: number, hw: number): number {
    if (this.size === this.cx.length) this.grow();
    const s = this.size++;
    this.cx[s] = cx; this.cy[s] = cy; this.hw[s] = hw;
    this.mass[s] = 0; this.sx[s] = 0; this.sy[s] = 0;
    this.child.fill(-1, 4 * s, 4 * s + 4);
    this.point[s] = -1;
    return s;
  }

  private grow(): void {
    const cap = this.cx.length * 2;
    const f = (a: Float64Array) => { const b = new Float64Array(cap); b.set(a); return b; };
    this.cx = f(this.cx); this.cy = f(this.cy); this.hw = f(this.hw);
    this.mass = f(this.mass); this.sx = f(this.sx); this.sy = f(this.sy);
    const c = new Int32Array(4 * cap); c.set(this.child); this.child = c;
    const p = new Int32Array(cap); p.set(this.point); this.point = p;
  }

  private quadrant(s: number, x: number, y: number): number {
    return (x >= this.cx[s] ? 1 : 0) + (y >= this.cy[s] ? 2 : 0);
  }

  private makeChildren(s: number): void {
    const h = this.hw[s] / 2;
    for (let q = 0; q < 4; q++) {
      const c = this.node(this.cx[s] + (q & 1 ? h : -h), this.cy[s] + (q & 2 ? h : -h), h);
      this.child[4 * s + q] = c;
    }
  }

  private insert(i: number, x: number, y: number): void {
    let s = 0;
    for (let depth = 0; ; depth++) {
      const wasEmpty = this.mass[s] === 0;
      this.mass[s] += 1; this.sx[s] += x; this.sy[s] += y;
      if (this.child[4 * s] === -1) {
        if (wasEmpty) { this.point[s] = i; return; }
        if (depth >= 60) return; // (near-)duplicate points: keep them summarised in this leaf
        // Split: move the resident point down, then continue with i.
        const old = this.point[s];
        this.point[s] = -1;
        this.makeChildren(s);
        const ox = (this.sx[s] - x) / (this.mass[s] - 1);
        const oy = (this.sy[s] - y) / (this.mass[s] - 1);
        const c = this.child[4 * s + this.quadrant(s, ox, oy)];
        this.mass[c] = this.mass[s] - 1; this.sx[c] = this.sx[s] - x; this.sy[c] = this.sy[s] - y;
        this.point[c] = old;
      }
      s = this.child[4 * s + this.quadrant(s, x, y)];
    }
  }
}

function barnesHutGradient(Y: Float64Array, n: number, P: SparseP, exaggeration: number, theta: number, tree: QuadTree, grad: Float64Array): void {
  tree.reset(Y, n);
  const stack = new Int32Array(4 * 64 + 8);
  const theta2 = theta * theta;
  const rep = new Float64Array(2 * n);
  let Z = 0;
  for (let i = 0; i < n; i++) {
    const xi = Y[2 * i];
    const yi = Y[2 * i + 1];
    let fx = 0, fy = 0;
    let top = 0;
    stack[top++] = 0;
    while (top > 0) {
      const s = stack[--top];
      const mass = tree.mass[s];
      if (mass === 0) continue;
      const leaf = tree.child[4 * s] === -1;
      if (leaf && mass === 1 && tree.point[s] === i) continue;
      const dx = xi - tree.sx[s];
      const dy = yi - tree.sy[s];
      const d2 = dx * dx + dy * dy;
      const width = 2 * tree.hw[s];
      if (leaf || width * width < theta2 * d2) {
        const w = 1 / (1 + d2);
        const cnt = leaf && tree.point[s] === i ? mass - 1 : mass; // a duplicate leaf holding i
        Z += cnt * w;
        fx += cnt * w * w * dx;
        fy += cnt * w * w * dy;
      } else {
        for (let q = 0; q < 4; q++) {
          const c = tree.child[4 * s + q];
          if (tree.mass[c] > 0) stack[top++] = c;
        }
      }
    }
    rep[2 * i] = fx;
    rep[2 * i + 1] = fy;
  }
  for (let i = 0; i < n; i++) {
    let ax = 0, ay = 0;
    const xi = Y[2 * i];
    const yi = Y[2 * i + 1];
    for (let t = P.rowStart[i]; t < P.rowStart[i + 1]; t++) {
      const j = P.col[t];
      const dx = xi - Y[2 * j];
      const dy = yi - Y[2 * j + 1];
      const w = 1 / (1 + dx * dx + dy * dy);
      const a = exaggeration * P.val[t] * w;
      ax += a * dx;
      ay += a * dy;
    }
    grad[2 * i] = 4 * (ax - rep[2 * i] / Z);
    grad[2 * i + 1] = 4 * (ay - rep[2 * i + 1] / Z);
  }
}

// ---------------------------------------------------------------------------------------------
// Optimiser: gradient descent with momentum and per-parameter gains (Jacobs 1988), as scikit-learn.

function optimize(
  Y: Float64Array,
  n: number,
  lr: number,
  o: Required<TsneOptions>,
  gradient: (y: Float64Array, exaggeration: number, grad: Float64Array) => void,
): void {
  const grad = new Float64Array(2 * n);
  const update = new Float64Array(2 * n);
  const gains = new Float64Array(2 * n).fill(1);
  for (let it = 0; it < o.iterations; it++) {
    const early = it < o.exaggerationIterations;
    const momentum = early ? 0.5 : 0.8;
    gradient(Y, early ? o.earlyExaggeration : 1, grad);
    for (let t = 0; t < 2 * n; t++) {
      const g = grad[t];
      gains[t] = g * update[t] < 0 ? gains[t] + 0.2 : gains[t] * 0.8;
      if (gains[t] < 0.01) gains[t] = 0.01;
      update[t] = momentum * update[t] - lr * gains[t] * g;
      Y[t] += update[t];
    }
  }
  // Centre the result (t-SNE is translation invariant).
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += Y[2 * i]; my += Y[2 * i + 1]; }
  mx /= n; my /= n;
  for (let i = 0; i < n; i++) { Y[2 * i] -= mx; Y[2 * i + 1] -= my; }
}
