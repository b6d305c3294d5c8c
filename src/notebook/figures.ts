/**
 * Figures that more than one notebook draws: t-SNE of real vs synthetic rows (Fig. 4, 9), in
 * the latent space (E(x) vs G(z, y)) or the original feature space (x vs R(G(z, y))), and a
 * quick held-out evaluation of one fitted augmenter (the playground's UAR).
 *
 * @example
 *   const synth = wadan.sample(train.y, { seed: 1 });
 *   await show(realVsSyntheticTsne(train, synth, { title: 'WADAN, original space' }));
 *   await show(realVsSyntheticTsne(latentRows(wadan, train), latentRows(wadan, train, { synthetic: true }), { title: 'WADAN, latent space' }));
 */
import type { Dataset } from '../data/dataset';
import { concat, subset, makeDataset } from '../data/dataset';
import { tsne, type TsneOptions } from '../analysis/tsne';
import { embeddedPoints } from '../analysis/curves';
import { tsnePlot } from '../plot/tsne';
import type { VegaLiteSpec } from '../plot/spec';
import { Random } from '../util/random';
import { makeClassifier } from '../classify/index';
import { uar, wa } from '../eval/metrics';
import type { Augmenter } from '../augment/augmenter';

/** Options of {@link realVsSyntheticTsne}. */
export interface RealVsSyntheticOptions {
  /** At most this many real and this many synthetic rows (a seeded random subset). Default 500. */
  maxRows?: number;
  /** t-SNE settings (`tsne` of src/analysis). Default: its defaults with `seed`. */
  tsne?: TsneOptions;
  /** Seed of the subset and of t-SNE. Default 0. */
  seed?: number;
  /** Figure title. Default 't-SNE: real (light) vs synthetic (dark)'. */
  title?: string;
  /** Figure subtitle. Default none. */
  subtitle?: string;
  /** What the two kinds of rows are, in the legend (e.g. training vs held-out E(x)). Default 'real' and 'synthetic'. */
  sourceNames?: { real: string; synthetic: string };
}

/** A seeded subset of at most `max` rows (all rows, in order, when there are no more). */
export function sampleRows(ds: Dataset, max: number, seed: number): Dataset {
  if (ds.n <= max) return ds;
  const idx = new Random(seed).permutation(ds.n).slice(0, max).sort((a, b) => a - b);
  return subset(ds, idx, ds.name);
}

/** t-SNE of real and synthetic rows embedded together; colour = emotion, light = real, dark = synthetic. */
export function realVsSyntheticTsne(real: Dataset, synthetic: Dataset, options: RealVsSyntheticOptions = {}): VegaLiteSpec {
  const { r, s, both, seed } = subsets(real, synthetic, options);
  const emb = tsne({ seed, ...options.tsne }).fitTransform(both);
  return tsnePlot(embeddedPoints(emb, both.y, both.classes, r.n, both.ids), {
    title: options.title ?? 't-SNE: real (light) vs synthetic (dark)',
    subtitle: options.subtitle ?? `${r.n} ${options.sourceNames?.real ?? 'real'} and ${s.n} ${options.sourceNames?.synthetic ?? 'synthetic'} rows`,
    classes: r.classes,
    sourceNames: options.sourceNames,
  });
}

/**
 * Real and synthetic rows that are already 2-D (the AAE's latent space), drawn as they are:
 * t-SNE would only distort a space one can look at directly. Axes `z1`, `z2` with their values.
 */
export function realVsSynthetic2d(real: Dataset, synthetic: Dataset, options: Omit<RealVsSyntheticOptions, 'tsne'> = {}): VegaLiteSpec {
  if (real.d !== 2 || synthetic.d !== 2) throw new Error(`realVsSynthetic2d: rows must be 2-D (got ${real.d} and ${synthetic.d} columns); use realVsSyntheticTsne`);
  const { r, s, both } = subsets(real, synthetic, options);
  return tsnePlot(embeddedPoints(both.x, both.y, both.classes, r.n, both.ids), {
    title: options.title ?? 'Real (light) vs synthetic (dark)',
    subtitle: options.subtitle ?? `${r.n} ${options.sourceNames?.real ?? 'real'} and ${s.n} ${options.sourceNames?.synthetic ?? 'synthetic'} rows`,
    classes: r.classes,
    sourceNames: options.sourceNames,
    axes: { x: 'z1', y: 'z2', numbers: true },
  });
}

/** The seeded subsets of both kinds of rows, and the two stacked (real first). */
function subsets(real: Dataset, synthetic: Dataset, options: Omit<RealVsSyntheticOptions, 'tsne'>): { r: Dataset; s: Dataset; both: Dataset; seed: number } {
  const seed = options.seed ?? 0;
  const max = options.maxRows ?? 500;
  const r = sampleRows(real, max, seed);
  const s = sampleRows(synthetic, max, seed + 1);
  return { r, s, both: concat([r, { ...s, classes: r.classes }], 'real + synthetic'), seed };
}

/** What a latent-space augmenter (ADAN, WADAN) offers for Fig. 4 / 9. */
interface LatentModel {
  encode(x: Dataset): Float32Array;
  sampleLatent(labels: ArrayLike<number>, options?: { seed?: number }): Float32Array;
}

/**
 * Latent rows as a Dataset: E(x) of the real rows, or with `synthetic` G(z, y) for the same
 * labels (seeded), so `realVsSyntheticTsne` can plot the latent space.
 */
export function latentRows(model: LatentModel, data: Dataset, options: { synthetic?: boolean; seed?: number } = {}): Dataset {
  const x = options.synthetic ? model.sampleLatent(data.y, { seed: options.seed ?? 1 }) : model.encode(data);
  const d = x.length / data.n;
  return makeDataset({ name: `${data.name} ${options.synthetic ? 'G(z, y)' : 'E(x)'}`, x, d, y: data.y, classes: data.classes, groups: data.groups, ids: data.ids });
}

/** One row of {@link evaluateAugmenter}. */
export interface SetsScore {
  sets: number;
  trainRows: number;
  wa: number;
  uar: number;
}

/**
 * Held-out WA / UAR of a classifier trained on the real training rows plus 0, 1, ... sets
 * drawn from a fitted augmenter (each set: the training fold's labels, its own seed). For the
 * playground: one fold, no store. Data must be in the space the augmenter was fitted in.
 */
export async function evaluateAugmenter(aug: Augmenter, train: Dataset, test: Dataset, options: { sets?: number[]; classifier?: string; classifierOptions?: object; seed?: number } = {}): Promise<SetsScore[]> {
  const sets = options.sets ?? [0, 1, 2];
  const seed = options.seed ?? 0;
  const drawn: Dataset[] = [];
  const out: SetsScore[] = [];
  for (const k of [...sets].sort((a, b) => a - b)) {
    while (drawn.length < k) drawn.push(aug.sample(train.y, { seed: seed + 1000 + drawn.length }));
    const rows = k > 0 ? concat([train, ...drawn.slice(0, k).map((s) => ({ ...s, classes: train.classes }))], `${train.name} + ${k} sets`) : train;
    const clf = makeClassifier(options.classifier ?? 'svm', { ...(options.classifierOptions ?? {}) } as never);
    await clf.fit(rows);
    const pred = clf.predict(test.x);
    (clf as { dispose?: () => void }).dispose?.();
    out.push({ sets: k, trainRows: rows.n, wa: wa(test.y, pred), uar: uar(test.y, pred, train.classes.length) });
  }
  return out;
}

/** Two disjoint random halves of the rows (seeded): for a real-vs-real reference (e.g. the MMD floor). */
export function halves(ds: Dataset, seed: number): [Dataset, Dataset] {
  const perm = new Random(seed).permutation(ds.n);
  const h = Math.floor(ds.n / 2);
  const a = Array.from(perm.slice(0, h)).sort((x, y) => x - y);
  const b = Array.from(perm.slice(h, 2 * h)).sort((x, y) => x - y);
  return [subset(ds, a, `${ds.name} half A`), subset(ds, b, `${ds.name} half B`)];
}
