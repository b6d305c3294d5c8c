/**
 * Forest plot of paired differences (src/experiment/paired-table.ts): for each method and
 * classifier, the mean over speakers of the per-speaker UAR difference against real rows only
 * (and against copy, and the steps control, at the same number of sets), with its 95 % bootstrap
 * interval over speakers.
 * An interval that crosses 0 is a difference the speakers do not agree on.
 *
 * @example
 *   await show(forestPlot(pairedTable(records), { sets: 'mean' }));
 */
import { BASE_CONFIG, PLOT_DEFAULTS, type PlotOptions, type VegaLiteSpec, plotOptions, VEGA_LITE_SCHEMA } from './spec';

/** A paired row: a difference (fraction of UAR) with its interval. */
export interface PairedRowLike {
  method: string;
  augment?: string;
  classifier: string;
  sets: number | 'mean' | 'inner';
  against: 'none' | 'copy' | 'steps';
  delta: number;
  low: number;
  high: number;
  p?: number;
  folds?: number;
}

export interface ForestPlotOptions extends PlotOptions {
  /** Which rows: 'mean' (the mean over all numbers of sets, chosen on nothing), 'inner' (each fold at the choice its training speakers made) or one number of sets. Default 'mean'. */
  sets?: number | 'mean' | 'inner';
  /** Method order (top to bottom); methods with rows but not listed (e.g. the steps control) follow it. Default: order of appearance. */
  methods?: readonly string[];
  /** Methods left out of the plot and named in the subtitle with their numbers (e.g. AAE, whose -25 would squash the scale). Default none. */
  apart?: readonly string[];
}

/** Defaults of {@link ForestPlotOptions}. */
export const FOREST_PLOT_DEFAULTS: ForestPlotOptions = { ...PLOT_DEFAULTS, title: 'Paired UAR differences, 95 % intervals over speakers', width: 260, height: 220, sets: 'mean', methods: undefined, apart: [] };

const display = (c: string): string => (/^(svm|dnn)$/i.test(c) ? c.toUpperCase() : c);
const AGAINST: Record<string, string> = { none: 'vs real rows only', copy: 'vs copy (same sets)', steps: 'vs the steps control (same k)' };
// at the inner choice copy is read at its own choice, not at the method's number of sets
const AGAINST_INNER: Record<string, string> = { none: 'vs real rows only (at their choice)', copy: 'vs copy (at its own choice)', steps: 'vs the steps control (at its own choice)' };
const pts = (v: number): string => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;

/** The forest plot: one panel per comparison (vs real only, vs copy, vs the steps control where there is one), a row per method, one mark per classifier. */
export function forestPlot(rows: readonly PairedRowLike[], options: ForestPlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('forestPlot', FOREST_PLOT_DEFAULTS, options);
  const chosen = rows.filter((r) => r.sets === o.sets);
  if (chosen.length === 0) throw new Error(`forestPlot: no rows with sets = ${JSON.stringify(o.sets)} (have: ${[...new Set(rows.map((r) => r.sets))].join(', ') || 'none'})`);
  const label = (r: PairedRowLike): string => r.augment ?? r.method;
  const apart = new Set(o.apart ?? []);
  const shown = chosen.filter((r) => !apart.has(label(r)));
  const present = [...new Set(chosen.map(label))];
  const methods = (o.methods ? [...o.methods, ...present.filter((m) => !o.methods!.includes(m))] : present).filter((m) => !apart.has(m));
  const classifiers = [...new Set(chosen.map((r) => display(r.classifier)))].sort((a, b) => (a === 'SVM' ? -1 : b === 'SVM' ? 1 : 0));
  const names = o.sets === 'inner' ? AGAINST_INNER : AGAINST;
  const values = shown.map((r) => ({ method: label(r), classifier: display(r.classifier), against: names[r.against] ?? r.against, delta: 100 * r.delta, low: 100 * r.low, high: 100 * r.high, p: r.p ?? null, text: `${pts(r.delta)} [${pts(r.low)}, ${pts(r.high)}]` }));
  const aside = chosen.filter((r) => apart.has(label(r))).map((r) => `${label(r)} ${display(r.classifier)} ${names[r.against] ?? r.against}: ${pts(r.delta)} [${pts(r.low)}, ${pts(r.high)}]`);
  const folds = Math.max(0, ...chosen.map((r) => r.folds ?? 0));
  const subtitle = [
    `${o.sets === 'mean' ? 'mean over 1-10 sets (chosen on nothing)' : o.sets === 'inner' ? 'sets (and DNN epochs) chosen on each fold\'s training speakers' : `${o.sets} sets`}; per-speaker differences${folds ? ` over ${folds} speaker${folds === 1 ? '' : 's'}` : ''}, 95 % bootstrap interval`,
    ...(o.subtitle ? [o.subtitle] : []),
    // one line per pair of rows: a single line would widen the figure to its length
    ...Array.from({ length: Math.ceil(aside.length / 2) }, (_, i) => `${i === 0 ? 'not drawn (off the scale): ' : ''}${aside.slice(2 * i, 2 * i + 2).join('; ')}`),
  ];
  const y = { field: 'method', type: 'nominal', title: null, sort: methods, scale: { domain: methods } };
  const color = { field: 'classifier', type: 'nominal', title: 'Classifier', sort: classifiers, scale: { domain: classifiers, range: ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'].slice(0, Math.max(1, classifiers.length)) } };
  const yOffset = { field: 'classifier', type: 'nominal', sort: classifiers, scale: { paddingInner: 0.3 } };
  const x = { field: 'delta', type: 'quantitative', title: 'UAR difference (points)' };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: o.title ?? '', subtitle },
    config: BASE_CONFIG,
    background: 'white',
    padding: 8,
    data: { values },
    facet: { column: { field: 'against', type: 'nominal', title: null, sort: Object.values(names) } },
    spec: {
      width: o.width,
      height: o.height,
      layer: [
        { mark: { type: 'rule', color: '#888', strokeDash: [3, 3] }, encoding: { x: { datum: 0, type: 'quantitative' } } },
        { mark: { type: 'rule', strokeWidth: 1.6 }, encoding: { y, yOffset, x: { field: 'low', type: 'quantitative' }, x2: { field: 'high' }, color } },
        { mark: { type: 'point', filled: true, size: 40, opacity: 1 }, encoding: { y, yOffset, x, color, tooltip: [{ field: 'method' }, { field: 'classifier' }, { field: 'text', title: 'difference [95 % interval]' }, { field: 'p', format: '.3f' }] } },
      ],
    },
  };
}
