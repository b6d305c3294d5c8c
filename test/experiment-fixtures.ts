/**
 * Small real pieces for the experiment tests: a nearest-class-mean classifier (a real, if
 * simple, classifier), factories around it and the project's augmenters, a small dataset, and
 * helpers to compare runs without their timings.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Classifier } from '../src/classify/classifier';
import type { Dataset } from '../src/data/dataset';
import { makeSynthetic } from '../src/data/synthetic';
import { OptionError, checkOptionKeys } from '../src/util/errors';
import { defaultAugmenters, type AugmenterFactory, type ClassifierFactory } from '../src/experiment/factories';
import type { ExperimentSpec } from '../src/experiment/spec';
import type { Summary } from '../src/experiment/summary';

export interface NearestMeanOptions {
  /** Shrink each class mean toward the overall mean by this fraction (0 = none). */
  shrink: number;
}

/** Predicts the class whose training mean is nearest (Euclidean). */
export class NearestMean implements Classifier {
  readonly name = 'ncm';
  readonly options: NearestMeanOptions;
  means?: Float64Array;
  k = 0;
  d = 0;

  constructor(options: Partial<NearestMeanOptions> = {}, private readonly delayMs = 0) {
    checkOptionKeys('ncm', options, { shrink: 0 });
    this.options = { shrink: 0, ...options };
    if (!(this.options.shrink >= 0 && this.options.shrink < 1)) throw new OptionError('ncm.shrink', this.options.shrink, 'a number in [0, 1)');
  }

  async fit(train: Dataset): Promise<this> {
    const { d } = train;
    const k = train.classes.length;
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    const all = new Float64Array(d);
    for (let i = 0; i < train.n; i++) {
      const c = train.y[i];
      counts[c]++;
      for (let j = 0; j < d; j++) {
        sums[c * d + j] += train.x[i * d + j];
        all[j] += train.x[i * d + j] / train.n;
      }
    }
    const s = this.options.shrink;
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) sums[c * d + j] = (1 - s) * (sums[c * d + j] / Math.max(1, counts[c])) + s * all[j];
    this.means = sums;
    this.k = k;
    this.d = d;
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    return this;
  }

  predict(x: Float32Array): Int32Array {
    if (!this.means) throw new Error('ncm is not fitted yet: call fit before predict');
    const { d, k, means } = this;
    const n = x.length / d;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestDist = Infinity;
      for (let c = 0; c < k; c++) {
        let dist = 0;
        for (let j = 0; j < d; j++) {
          const t = x[i * d + j] - means[c * d + j];
          dist += t * t;
        }
        if (dist < bestDist) {
          bestDist = dist;
          best = c;
        }
      }
      out[i] = best;
    }
    return out;
  }
}

/** Classifier factory with `ncm` only (and an optional delay per fit, outside the options). */
export function ncmFactory(delayMs = 0): ClassifierFactory {
  return { names: ['ncm'], make: (_name, options) => new NearestMean(options as Partial<NearestMeanOptions>, delayMs) };
}

/** The project's augmenters, counting fits and loads of kept augmenters. */
export function countingAugmenters(): AugmenterFactory & { fits: number; loads: number } {
  const f = {
    fits: 0,
    loads: 0,
    methods: ['copy', 'noise', 'smote'],
    make(method: string, options: Record<string, unknown>, seed: number) {
      const a = defaultAugmenters.make(method, options, seed);
      const fit = a.fit.bind(a);
      a.fit = async (train, o) => {
        f.fits++;
        await fit(train, o);
        return a;
      };
      return a;
    },
    async load(dir: string) {
      f.loads++;
      return defaultAugmenters.load!(dir);
    },
  };
  return f;
}

/** 4 speakers, 7 classes, 200 rows, 10 features. */
export function smallData(): Dataset {
  return makeSynthetic({ n: 200, d: 10, speakers: 4, seed: 3, classSeparation: 1.2 });
}

/** A small grid: 4 folds x (none + copy + noise + smote) x 0..3 sets x 2 repeats x 2 classifiers = 4 x (1 + 3 x 3) x 2 x 2 = 160 units. */
export function smallSpec(data: Dataset): ExperimentSpec {
  return {
    data,
    augment: ['none', 'copy', { method: 'noise', options: { scale: 0.5 } }, 'smote'],
    sets: [0, 1, 2, 3],
    repeats: 2,
    classifiers: [{ name: 'ncm' }, { name: 'ncm', options: { shrink: 0.3 } }],
    seed: 7,
  };
}

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `adan-exp-${tag}-`));
}

/** A summary with the timings removed (they differ between runs of the same computation). */
export function withoutTimings(s: Summary): unknown {
  const strip = <T extends object>(rows: T[]): unknown[] => rows.map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'seconds' && k !== 'augmenterSeconds')));
  return { units: strip(s.units), summary: strip(s.summary), best: strip(s.best) };
}
