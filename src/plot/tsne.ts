/**
 * t-SNE scatter of real and synthetic rows (paper Fig. 4 and 9): colour = emotion, light = real,
 * dark = synthetic. Synthetic points are drawn on top. With one kind of rows only, each emotion
 * gets its plain hue.
 *
 * @example
 *   const all = concat([real, synth]);
 *   const emb = tsne({ seed: 1 }).fitTransform(all);
 *   await show(tsnePlot(embeddedPoints(emb, all.y, all.classes, real.n), { title: 'ADAN, original space' }));
 */
import { EmbeddedPoint } from '../analysis/curves';
import { PLOT_DEFAULTS, PlotOptions, VegaLiteSpec, darkShade, emotionHue, lightShade, plotOptions, top } from './spec';

export interface TsnePlotOptions extends PlotOptions {
  /** Class names in legend order (fixes each emotion's colour across figures). Default: order of appearance. */
  classes?: readonly string[];
  /** Point area in square pixels. Default 18. */
  size?: number;
  /** Point opacity. Default 0.85. */
  opacity?: number;
  /** What the two kinds of rows are, in the legend. Default 'real' and 'synthetic'. */
  sourceNames?: { real: string; synthetic: string };
  /** Axis titles; with coordinates that mean something (a 2-D latent space drawn as it is) the axes also get their numbers. Default: 't-SNE 1', 't-SNE 2', no numbers. */
  axes?: { x: string; y: string; numbers?: boolean };
}

/** Defaults of {@link TsnePlotOptions}. */
export const TSNE_PLOT_DEFAULTS: TsnePlotOptions = {
  ...PLOT_DEFAULTS,
  title: 't-SNE',
  width: 420,
  height: 420,
  classes: undefined,
  size: 18,
  opacity: 0.85,
  sourceNames: { real: 'real', synthetic: 'synthetic' },
  axes: { x: 't-SNE 1', y: 't-SNE 2', numbers: false },
};

/** Scatter of embedded points; colour key "emotion (real)" / "emotion (synthetic)" when both kinds are present. */
export function tsnePlot(points: readonly EmbeddedPoint[], options: TsnePlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('tsnePlot', TSNE_PLOT_DEFAULTS, options);
  if (points.length === 0) throw new Error('tsnePlot: no points');
  const classes = o.classes ?? [...new Set(points.map((p) => p.emotion))];
  for (const p of points) {
    if (!classes.includes(p.emotion)) throw new Error(`tsnePlot: emotion ${JSON.stringify(p.emotion)} is not in options.classes (${classes.join(', ')})`);
  }
  const both = points.some((p) => p.source === 'synthetic') && points.some((p) => p.source === 'real');
  const names = o.sourceNames!;
  const key = (emotion: string, source: 'real' | 'synthetic') => (both ? `${emotion} (${names[source]})` : emotion);
  // Domain: every real key, then every synthetic key, so a two-column legend reads
  // "emotion (real) | emotion (synthetic)" row by row (vega fills legend columns top to bottom).
  const domain: string[] = [];
  const range: string[] = [];
  const hasReal = points.some((p) => p.source === 'real');
  const hasSynthetic = points.some((p) => p.source === 'synthetic');
  // One kind only: the plain hue per emotion (light shades alone are hard to tell apart).
  if (hasReal) classes.forEach((c, k) => { domain.push(key(c, 'real')); range.push(both ? lightShade(k) : emotionHue(k)); });
  if (hasSynthetic) classes.forEach((c, k) => { domain.push(key(c, 'synthetic')); range.push(both ? darkShade(k) : emotionHue(k)); });
  const values = points
    .map((p) => ({ x: p.x, y: p.y, emotion: p.emotion, source: names[p.source], key: key(p.emotion, p.source), order: p.source === 'synthetic' ? 1 : 0, ...(p.id !== undefined ? { id: p.id } : {}) }));
  const withIds = points.some((p) => p.id !== undefined);
  const axes = o.axes!;
  const axis = axes.numbers ? { grid: false } : { labels: false, ticks: false, grid: false };
  return {
    ...top(o),
    width: o.width,
    height: o.height,
    data: { values },
    mark: { type: 'circle', size: o.size, opacity: o.opacity, aria: false }, // no per-point aria labels: thousands of points
    encoding: {
      x: { field: 'x', type: 'quantitative', title: axes.x, axis, ...(axes.numbers ? { scale: { zero: false } } : {}) },
      y: { field: 'y', type: 'quantitative', title: axes.y, axis, ...(axes.numbers ? { scale: { zero: false } } : {}) },
      color: { field: 'key', type: 'nominal', title: both ? `Emotion: light = ${names.real}, dark = ${names.synthetic}` : 'Emotion', scale: { domain, range }, legend: { columns: both ? 2 : 1, symbolOpacity: 1, labelLimit: 0, titleLimit: 0, columnPadding: 12 } },
      order: { field: 'order', type: 'quantitative' },
      // what a hover says where the figure is drawn interactive (show(spec, { interactive: true }))
      tooltip: [{ field: 'emotion', type: 'nominal' }, { field: 'source', type: 'nominal', title: 'rows' }, ...(withIds ? [{ field: 'id', type: 'nominal', title: 'row' }] : [])],
    },
  };
}
