/**
 * Confusion-matrix heat map: rows = true emotion, columns = predicted, colour = share of the
 * row (recall on the diagonal), text = count and percent.
 *
 * @example
 *   await show(confusionPlot(yTrue, yPred, ds.classes, { title: 'WADAN + SVM, pooled folds' }));
 */
import { confusionCells } from '../analysis/curves';
import { uar, wa } from '../eval/metrics';
import { PLOT_DEFAULTS, PlotOptions, VegaLiteSpec, plotOptions, top } from './spec';

export interface ConfusionPlotOptions extends PlotOptions {
  /** Cell text: 'count', 'percent' (of the row) or 'both'. Default 'both'. */
  text?: 'count' | 'percent' | 'both';
  /** Add "WA x %, UAR y %" to the subtitle. Default true. */
  metrics?: boolean;
  /** Vega colour scheme of the cells. Default 'blues'. */
  scheme?: string;
}

/** Defaults of {@link ConfusionPlotOptions}. */
export const CONFUSION_PLOT_DEFAULTS: ConfusionPlotOptions = {
  ...PLOT_DEFAULTS,
  title: 'Confusion matrix',
  width: 320,
  height: 320,
  text: 'both',
  metrics: true,
  scheme: 'blues',
};

/** Heat map of the confusion matrix of `yTrue` vs `yPred` (labels index `classes`). */
export function confusionPlot(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: readonly string[], options: ConfusionPlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('confusionPlot', CONFUSION_PLOT_DEFAULTS, options);
  if (!['count', 'percent', 'both'].includes(o.text!)) throw new Error(`confusionPlot: text must be 'count', 'percent' or 'both', got ${JSON.stringify(o.text)}`);
  const cells = confusionCells(yTrue, yPred, classes).map((c) => {
    const pct = Number.isNaN(c.rate) ? '' : `${Math.round(100 * c.rate)}%`;
    // percent only (small panels): empty cells stay blank, so the confusions stand out
    const label = o.text === 'count' ? String(c.count) : o.text === 'percent' ? (c.count === 0 ? '' : pct) : `${c.count}\n${pct}`;
    return { ...c, rate: Number.isNaN(c.rate) ? null : c.rate, label: label.split('\n'), dark: !Number.isNaN(c.rate) && c.rate > 0.55 };
  });
  const k = classes.length;
  const scores = `WA ${(100 * wa(yTrue, yPred)).toFixed(1)} %, UAR ${(100 * uar(yTrue, yPred, k)).toFixed(1)} %, n = ${yTrue.length}`;
  const subtitle = o.metrics ? (o.subtitle ? `${o.subtitle} · ${scores}` : scores) : o.subtitle;
  const axis = (title: string) => ({ field: title === 'True emotion' ? 'actual' : 'predicted', type: 'nominal', sort: [...classes], title });
  return {
    ...top({ ...o, subtitle }),
    width: o.width,
    height: o.height,
    data: { values: cells },
    encoding: {
      x: { ...axis('Predicted emotion'), axis: { labelAngle: -40, orient: 'bottom', grid: false, ticks: false, domain: false } },
      y: { ...axis('True emotion'), axis: { grid: false, ticks: false, domain: false } },
    },
    layer: [
      { mark: { type: 'rect', stroke: 'white', strokeWidth: 1 }, encoding: { color: { field: 'rate', type: 'quantitative', title: 'Share of row', scale: { scheme: o.scheme, domain: [0, 1] }, legend: { format: '.0%' } } } },
      {
        mark: { type: 'text', fontSize: k > 8 ? 8 : 10, lineHeight: 12 },
        encoding: { text: { field: 'label' }, color: { condition: { test: 'datum.dark', value: 'white' }, value: 'black' } },
      },
    ],
  };
}

/** One matrix of {@link confusionGrid}. */
export interface ConfusionItem {
  title: string;
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
}

/** Options of {@link confusionGrid}. */
export interface ConfusionGridOptions extends PlotOptions {
  /** Matrices per row. Default 3. */
  columns?: number;
}

/** Defaults of {@link ConfusionGridOptions}: small panels, the size is per matrix. */
export const CONFUSION_GRID_DEFAULTS: ConfusionGridOptions = { ...PLOT_DEFAULTS, title: 'Confusion matrices', width: 170, height: 170, columns: 3 };

/**
 * Several confusion matrices side by side (e.g. real rows only and each method's best point),
 * each with its WA / UAR; cells show the share of the row (recall on the diagonal).
 */
export function confusionGrid(items: readonly ConfusionItem[], classes: readonly string[], options: ConfusionGridOptions = {}): VegaLiteSpec {
  const o = plotOptions('confusionGrid', CONFUSION_GRID_DEFAULTS, options);
  if (items.length === 0) throw new Error('confusionGrid: no matrices');
  const panels = items.map((it) => {
    const { $schema: _s, config: _c, background: _b, padding: _p, title, ...rest } = confusionPlot(it.yTrue, it.yPred, classes, { title: it.title, width: o.width, height: o.height, text: 'percent' });
    const t = title as { text: string; subtitle?: string };
    return { ...rest, title: { text: t.text, subtitle: t.subtitle, fontSize: 11, subtitleFontSize: 9 } };
  });
  return {
    ...top(o),
    concat: panels,
    columns: o.columns,
    resolve: { scale: { color: 'shared' } },
  };
}
