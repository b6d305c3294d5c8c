/**
 * Every point of a grid at a glance: UAR minus the real-only UAR of the same classifier, per
 * method (rows) and number of sets (columns), one panel per classifier; colour saturates at
 * ± `limit` points so that one collapsing method does not wash out the rest, and each cell
 * prints its value.
 *
 * @example
 *   await show(deltaHeatmap(results.summary));
 */
import { BASE_CONFIG, PLOT_DEFAULTS, type PlotOptions, type VegaLiteSpec, plotOptions, VEGA_LITE_SCHEMA } from './spec';

/** A point of the grid (a summary row; UAR as a fraction). */
export interface GridPointLike {
  method: string;
  augment?: string;
  classifier: string;
  sets: number;
  uar: number;
}

export interface DeltaHeatmapOptions extends PlotOptions {
  /** Points (UAR) at which the colour saturates. Default 3. */
  limit?: number;
  /** Method order (top to bottom). Default: order of appearance. */
  methods?: readonly string[];
}

/** Defaults of {@link DeltaHeatmapOptions}. */
export const DELTA_HEATMAP_DEFAULTS: DeltaHeatmapOptions = { ...PLOT_DEFAULTS, title: 'UAR minus real-only UAR (points), every point', width: 300, height: 200, limit: 3, methods: undefined };

const display = (c: string): string => (/^(svm|dnn)$/i.test(c) ? c.toUpperCase() : c);

/** Heat map of UAR differences to the real-only point, per method x sets, a panel per classifier. */
export function deltaHeatmap(rows: readonly GridPointLike[], options: DeltaHeatmapOptions = {}): VegaLiteSpec {
  const o = plotOptions('deltaHeatmap', DELTA_HEATMAP_DEFAULTS, options);
  if (!(o.limit! > 0)) throw new Error(`deltaHeatmap: limit must be a positive number of points, got ${o.limit}`);
  const label = (r: GridPointLike): string => r.augment ?? r.method;
  const base = new Map<string, number>();
  for (const r of rows) if (label(r) === 'none' && r.sets === 0) base.set(display(r.classifier), r.uar);
  if (base.size === 0) throw new Error('deltaHeatmap: no real-only point (method none, 0 sets) to compare with');
  const cells = rows
    .filter((r) => label(r) !== 'none' && r.sets > 0 && base.has(display(r.classifier)))
    .map((r) => {
      const delta = 100 * (r.uar - base.get(display(r.classifier))!);
      const shown = delta.toFixed(1) === '-0.0' ? '0.0' : delta.toFixed(1);
      return { method: label(r), classifier: display(r.classifier), sets: r.sets, delta, text: `${delta > 0 && shown !== '0.0' ? '+' : ''}${shown}`, dark: Math.abs(delta) > 0.6 * o.limit! };
    });
  if (cells.length === 0) throw new Error('deltaHeatmap: no augmented point with a real-only point of its classifier');
  const methods = o.methods ?? [...new Set(cells.map((c) => c.method))];
  const classifiers = [...new Set(cells.map((c) => c.classifier))].sort((a, b) => (a === 'SVM' ? -1 : b === 'SVM' ? 1 : 0));
  const baseText = [...base].sort(([a], [b]) => classifiers.indexOf(a) - classifiers.indexOf(b)).map(([c, u]) => `${c} ${(100 * u).toFixed(2)}`).join(', ');
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: o.title ?? '', subtitle: [`real-only UAR: ${baseText}; colour saturates at ±${o.limit} points`, ...(o.subtitle ? [o.subtitle] : [])] },
    config: BASE_CONFIG,
    background: 'white',
    padding: 8,
    data: { values: cells },
    facet: { column: { field: 'classifier', type: 'nominal', title: null, sort: classifiers } },
    spec: {
      width: o.width,
      height: o.height,
      encoding: {
        x: { field: 'sets', type: 'ordinal', title: 'Augmented sets', axis: { labelAngle: 0, grid: false } },
        y: { field: 'method', type: 'nominal', title: null, sort: methods, axis: { grid: false } },
      },
      layer: [
        { mark: { type: 'rect', stroke: 'white', strokeWidth: 1 }, encoding: { color: { field: 'delta', type: 'quantitative', title: 'ΔUAR', scale: { scheme: 'redblue', domain: [-o.limit!, o.limit!], clamp: true } } } },
        { mark: { type: 'text', fontSize: 8 }, encoding: { text: { field: 'text' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' } } },
      ],
    },
  };
}
