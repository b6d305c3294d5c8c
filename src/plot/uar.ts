/**
 * UAR (or WA) versus the number of augmented sets (paper Fig. 6, 7, 8): one line per method,
 * SVM and DNN told apart by dash (or by panel).
 *
 * @example
 *   const s = summarize('results/emodb');
 *   await show(uarPlot(uarVsSets(s.summary), { title: 'EmoDB' }));
 */
import { SetsPoint } from '../analysis/curves';
import { PLOT_DEFAULTS, PlotOptions, VegaLiteSpec, plotOptions, top } from './spec';

export interface UarPlotOptions extends PlotOptions {
  /** 'dash': one panel, classifier as line dash; 'classifier': one panel per classifier; 'method': one panel per method (as Fig. 6). Default 'dash'. */
  facet?: 'dash' | 'classifier' | 'method';
  /** Shade mean ± std over repeats where std > 0. Default true. */
  band?: boolean;
  /** Metric name on the y axis. Default 'UAR (%)'. */
  yTitle?: string;
  /** Method order in the legend (fixes colours across figures). Default: order of appearance. */
  methods?: readonly string[];
  /** Panel columns when faceting by method. Default 3. */
  columns?: number;
  /** Classifier order: the first is drawn solid, the next dashed, then dotted. Default: SVM first (solid, as in the paper), then order of appearance. */
  classifiers?: readonly string[];
}

/** Dash patterns by classifier order: solid, dashed, dotted, dash-dot. */
const DASHES = [[1, 0], [6, 3], [2, 2], [6, 2, 2, 2]];

/** Defaults of {@link UarPlotOptions}. */
export const UAR_PLOT_DEFAULTS: UarPlotOptions = {
  ...PLOT_DEFAULTS,
  title: 'UAR vs number of augmented sets',
  facet: 'dash',
  band: true,
  yTitle: 'UAR (%)',
  methods: undefined,
  columns: 3,
  classifiers: undefined,
};

/** Lines of metric (percent) over sets, from {@link uarVsSets} points. */
export function uarPlot(points: readonly SetsPoint[], options: UarPlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('uarPlot', UAR_PLOT_DEFAULTS, options);
  if (points.length === 0) throw new Error('uarPlot: no points');
  if (!['dash', 'classifier', 'method'].includes(o.facet!)) throw new Error(`uarPlot: facet must be 'dash', 'classifier' or 'method', got ${JSON.stringify(o.facet)}`);
  const methods = o.methods ?? [...new Set(points.map((p) => p.method))];
  const seen = [...new Set(points.map((p) => p.classifier))];
  const classifiers = o.classifiers ?? [...seen.filter((c) => /svm/i.test(c)), ...seen.filter((c) => !/svm/i.test(c))];
  const values = points.map((p) => ({ ...p, lo: p.value - p.std, hi: p.value + p.std }));
  const maxSets = Math.max(...points.map((p) => p.sets));
  const x = { field: 'sets', type: 'quantitative', title: 'Augmented sets', scale: { domain: [0, Math.max(1, maxSets)] }, axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'value', type: 'quantitative', title: o.yTitle, scale: { zero: false } };
  const color = { field: 'method', type: 'nominal', title: 'Method', sort: methods, scale: { domain: methods, scheme: 'tableau10' }, legend: { symbolOpacity: 1, symbolType: 'circle' } };
  const dash = { field: 'classifier', type: 'nominal', title: 'Classifier', sort: classifiers, scale: { domain: classifiers, range: classifiers.map((_, i) => DASHES[i % DASHES.length]) }, legend: { symbolType: 'stroke', symbolSize: 400, symbolStrokeWidth: 2, symbolStrokeColor: '#333' } };
  const detail = { field: 'classifier', type: 'nominal' };
  const lineEnc: Record<string, unknown> = { x, y, color };
  if (o.facet !== 'classifier') lineEnc.strokeDash = dash;
  if (o.facet === 'method') lineEnc.color = { ...color, legend: null };
  const layers: object[] = [];
  if (o.band && points.some((p) => p.std > 0)) {
    layers.push({ mark: { type: 'area', opacity: 0.15 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: lineEnc.color, detail } });
  }
  layers.push({ mark: { type: 'line', strokeWidth: 1.5 }, encoding: lineEnc });
  // Points in their own layer, so the classifier legend shows dashes, not dots.
  layers.push({ mark: { type: 'circle', size: 28, opacity: 1 }, encoding: { x, y, color: lineEnc.color, detail } });
  const panel = { width: o.width, height: o.height, layer: layers };
  if (o.facet === 'dash') return { ...top(o), data: { values }, ...panel };
  const facetField = o.facet === 'method' ? { field: 'method', type: 'nominal', title: null, sort: methods } : { field: 'classifier', type: 'nominal', title: null, sort: classifiers };
  return { ...top(o), data: { values }, facet: facetField, columns: o.facet === 'method' ? o.columns : classifiers.length, spec: panel };
}
