/**
 * Feature scaling as fit/transform objects (scikit-learn's verbs). Fit on the training fold
 * only; apply the same transform to its test fold and to synthetic rows.
 * All work on row-major Float32Array n x d and return new arrays (inputs are never modified).
 */
import { NotFittedError } from '../util/errors';

export interface Transform {
  /** Learn the statistics from `x` (n x d). Returns this. */
  fit(x: Float32Array, d: number): this;
  /** Apply the learned transform. */
  transform(x: Float32Array): Float32Array;
  /** Undo `transform`, where that is possible. */
  inverseTransform?(x: Float32Array): Float32Array;
  /** The learned state as plain JSON (for manifests). */
  toJSON(): object;
}

/** Fit then transform. */
export function fitTransform(t: Transform, x: Float32Array, d: number): Float32Array {
  return t.fit(x, d).transform(x);
}

function columnStats(x: Float32Array, d: number): { mean: Float64Array; std: Float64Array; maxAbs: Float64Array } {
  const n = x.length / d;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  const maxAbs = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const v = x[o + j];
      mean[j] += v;
      const a = Math.abs(v);
      if (a > maxAbs[j]) maxAbs[j] = a;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const c = x[o + j] - mean[j];
      m2[j] += c * c;
    }
  }
  const std = new Float64Array(d);
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(m2[j] / n);
  return { mean, std, maxAbs };
}

function checkRows(x: Float32Array, d: number, what: string): void {
  if (x.length % d !== 0) throw new Error(`${what}: array of length ${x.length} is not a multiple of the fitted dimension ${d}`);
}

/** Per-feature (x - mean) / std with population std; constant features are left centred (scale 1). */
export class ZScore implements Transform {
  mean?: Float64Array;
  scale?: Float64Array;

  fit(x: Float32Array, d: number): this {
    if (x.length === 0) throw new Error('ZScore.fit: no rows to fit on');
    const s = columnStats(x, d);
    this.mean = s.mean;
    this.scale = s.std.map((v) => (v > 1e-12 ? v : 1));
    return this;
  }

  transform(x: Float32Array): Float32Array {
    const { mean, scale } = this.fitted('transform');
    const d = mean.length;
    checkRows(x, d, 'ZScore.transform');
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i += d) for (let j = 0; j < d; j++) out[i + j] = (x[i + j] - mean[j]) / scale[j];
    return out;
  }

  inverseTransform(x: Float32Array): Float32Array {
    const { mean, scale } = this.fitted('inverseTransform');
    const d = mean.length;
    checkRows(x, d, 'ZScore.inverseTransform');
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i += d) for (let j = 0; j < d; j++) out[i + j] = x[i + j] * scale[j] + mean[j];
    return out;
  }

  private fitted(verb: string): { mean: Float64Array; scale: Float64Array } {
    if (!this.mean || !this.scale) throw new NotFittedError('ZScore', verb);
    return { mean: this.mean, scale: this.scale };
  }

  toJSON(): object {
    return { type: 'zscore', mean: this.mean ? [...this.mean] : null, scale: this.scale ? [...this.scale] : null };
  }

  static fromJSON(j: { mean: number[]; scale: number[] }): ZScore {
    const t = new ZScore();
    t.mean = Float64Array.from(j.mean);
    t.scale = Float64Array.from(j.scale);
    return t;
  }
}

/**
 * Per-feature division by the training fold's maximum absolute value: the authors' scaling
 * before the ADAN networks (outputs end in tanh, so inputs must lie in [-1, 1]).
 * All-zero features keep scale 1.
 */
export class MaxAbsScaler implements Transform {
  scale?: Float64Array;

  fit(x: Float32Array, d: number): this {
    if (x.length === 0) throw new Error('MaxAbsScaler.fit: no rows to fit on');
    this.scale = columnStats(x, d).maxAbs.map((v) => (v > 0 ? v : 1));
    return this;
  }

  transform(x: Float32Array): Float32Array {
    const scale = this.fitted('transform');
    const d = scale.length;
    checkRows(x, d, 'MaxAbsScaler.transform');
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i += d) for (let j = 0; j < d; j++) out[i + j] = x[i + j] / scale[j];
    return out;
  }

  inverseTransform(x: Float32Array): Float32Array {
    const scale = this.fitted('inverseTransform');
    const d = scale.length;
    checkRows(x, d, 'MaxAbsScaler.inverseTransform');
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i += d) for (let j = 0; j < d; j++) out[i + j] = x[i + j] * scale[j];
    return out;
  }

  private fitted(verb: string): Float64Array {
    if (!this.scale) throw new NotFittedError('MaxAbsScaler', verb);
    return this.scale;
  }

  toJSON(): object {
    return { type: 'maxabs', scale: this.scale ? [...this.scale] : null };
  }

  static fromJSON(j: { scale: number[] }): MaxAbsScaler {
    const t = new MaxAbsScaler();
    t.scale = Float64Array.from(j.scale);
    return t;
  }
}

/**
 * Drop features whose variance on the training fold is at most `threshold`
 * (the authors dropped IS11's 14 (near-)constant features). No inverse: the values are gone.
 */
export class DropConstant implements Transform {
  /** Indices of the features kept, in order. */
  keep?: Int32Array;
  inputDim?: number;

  constructor(readonly threshold = 0) {}

  fit(x: Float32Array, d: number): this {
    if (x.length === 0) throw new Error('DropConstant.fit: no rows to fit on');
    const { std } = columnStats(x, d);
    const keep: number[] = [];
    for (let j = 0; j < d; j++) if (std[j] * std[j] > this.threshold) keep.push(j);
    this.keep = Int32Array.from(keep);
    this.inputDim = d;
    return this;
  }

  transform(x: Float32Array): Float32Array {
    if (!this.keep || this.inputDim === undefined) throw new NotFittedError('DropConstant', 'transform');
    const d = this.inputDim;
    const keep = this.keep;
    checkRows(x, d, 'DropConstant.transform');
    const n = x.length / d;
    const k = keep.length;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] = x[i * d + keep[j]];
    return out;
  }

  /** Feature names after dropping. */
  names(featureNames: readonly string[]): string[] {
    if (!this.keep) throw new NotFittedError('DropConstant', 'names');
    return [...this.keep].map((j) => featureNames[j]);
  }

  toJSON(): object {
    return { type: 'dropconstant', threshold: this.threshold, inputDim: this.inputDim, keep: this.keep ? [...this.keep] : null };
  }
}

/** Transforms applied in order; the inverse runs them backwards (all must be invertible). */
export class Pipeline implements Transform {
  constructor(readonly steps: Transform[]) {}

  fit(x: Float32Array, d: number): this {
    let cur = x;
    let dim = d;
    for (const s of this.steps) {
      cur = s.fit(cur, dim).transform(cur);
      dim = cur.length / (x.length / d);
    }
    return this;
  }

  transform(x: Float32Array): Float32Array {
    return this.steps.reduce((cur, s) => s.transform(cur), x);
  }

  inverseTransform(x: Float32Array): Float32Array {
    let cur = x;
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const s = this.steps[i];
      if (!s.inverseTransform) throw new Error(`Pipeline.inverseTransform: step ${i} (${s.constructor.name}) has no inverse`);
      cur = s.inverseTransform(cur);
    }
    return cur;
  }

  toJSON(): object {
    return { type: 'pipeline', steps: this.steps.map((s) => s.toJSON()) };
  }
}
