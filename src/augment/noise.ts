/**
 * Gaussian noise on features (the paper's "randomly adding Gaussian noise to the features"
 * baseline, Section V-B; the paper gives no noise level). Each synthetic row of class k is a
 * training row of class k drawn at random plus independent noise N(0, (scale * std_j)^2) on
 * every feature j, where std_j is feature j's standard deviation (population, over all classes)
 * on the training fold. Constant features get no noise.
 */
import type { Random } from '../util/random';
import { RowAugmenter, type TrainingRows } from './rows';
import { checkNumber, checkSeed } from './options';
import type { NamedArray } from './io';

export interface NoiseOptions {
  /**
   * Noise standard deviation relative to each feature's standard deviation on the training fold.
   * Default 0.1 (our choice: the paper does not state its noise level).
   */
  scale: number;
  /** Seed of the row and noise draws when `sample` gets no seed. Default 0. */
  seed: number;
}

export const NOISE_DEFAULTS: Readonly<NoiseOptions> = { scale: 0.1, seed: 0 };

export class NoiseAugmenter extends RowAugmenter<NoiseOptions> {
  readonly method = 'noise' as const;
  /** Per-feature standard deviation of the training fold (learned by fit). */
  std?: Float64Array;

  constructor(options?: Partial<NoiseOptions>) {
    super(NOISE_DEFAULTS, options);
  }

  protected name(): string {
    return 'noise';
  }

  protected validate(o: NoiseOptions): void {
    checkNumber('noise.scale', o.scale, 0);
    checkSeed('noise.seed', o.seed);
  }

  protected fitState(rows: TrainingRows): void {
    this.std = featureStd(rows.x, rows.d);
  }

  protected sampleRow(label: number, rng: Random, out: Float32Array): void {
    const rows = this.rows!;
    const std = this.std!;
    const pool = rows.byClass[label];
    const i = pool[rng.int(pool.length)];
    const { d } = rows;
    const s = this.settings.scale;
    for (let j = 0; j < d; j++) out[j] = rows.x[i * d + j] + s * std[j] * rng.normal();
  }

  protected stateToJSON(): { state: Record<string, unknown>; arrays: NamedArray[] } {
    // float64 in JSON, so a loaded augmenter adds exactly the same noise
    return { state: { std: [...this.std!] }, arrays: [] };
  }

  protected stateFromJSON(state: Record<string, unknown>): void {
    this.std = Float64Array.from(state.std as number[]);
  }
}

/** Population standard deviation of each column of x (n x d). */
export function featureStd(x: Float32Array, d: number): Float64Array {
  const n = x.length / d;
  const mean = new Float64Array(d);
  const m2 = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += x[i * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const c = x[i * d + j] - mean[j];
      m2[j] += c * c;
    }
  }
  return m2.map((v) => Math.sqrt(v / n));
}

/** `new NoiseAugmenter(options)`, for notebooks. */
export function noise(options?: Partial<NoiseOptions>): NoiseAugmenter {
  return new NoiseAugmenter(options);
}
