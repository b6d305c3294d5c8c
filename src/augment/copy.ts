/**
 * Copying rows (the paper's "duplicating the observations" baseline, Section V-B): each
 * synthetic row of class k is a training row of class k drawn uniformly at random, with
 * replacement.
 */
import type { Random } from '../util/random';
import { RowAugmenter, type TrainingRows } from './rows';
import { checkSeed } from './options';
import type { NamedArray } from './io';

export interface CopyOptions {
  /** Seed of the row draws when `sample` gets no seed. Default 0. */
  seed: number;
}

export const COPY_DEFAULTS: Readonly<CopyOptions> = { seed: 0 };

export class CopyAugmenter extends RowAugmenter<CopyOptions> {
  readonly method = 'copy' as const;

  constructor(options?: Partial<CopyOptions>) {
    super(COPY_DEFAULTS, options);
  }

  protected name(): string {
    return 'copy';
  }

  protected validate(o: CopyOptions): void {
    checkSeed('copy.seed', o.seed);
  }

  protected fitState(_rows: TrainingRows): void {}

  protected sampleRow(label: number, rng: Random, out: Float32Array): void {
    const rows = this.rows!;
    const pool = rows.byClass[label];
    const i = pool[rng.int(pool.length)];
    out.set(rows.x.subarray(i * rows.d, (i + 1) * rows.d));
  }

  protected stateToJSON(): { state: Record<string, unknown>; arrays: NamedArray[] } {
    return { state: {}, arrays: [] };
  }

  protected stateFromJSON(): void {}
}

/** `new CopyAugmenter(options)`, for notebooks. */
export function copy(options?: Partial<CopyOptions>): CopyAugmenter {
  return new CopyAugmenter(options);
}
