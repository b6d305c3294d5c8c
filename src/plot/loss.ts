/**
 * Loss curves per epoch (paper Fig. 3): one line per loss, epochs on x.
 *
 * @example
 *   await show(lossPlot(adan.history, { title: 'ADAN on EmoDB, fold 1' }));
 *   lossPlot(wadan.history, { losses: ['lossD', 'lossG'], facet: true });
 */
import { HistoryRecord, LossRow, lossRows } from '../analysis/curves';
import { PLOT_DEFAULTS, PlotOptions, VegaLiteSpec, plotOptions, top } from './spec';

export interface LossPlotOptions extends PlotOptions {
  /** History fields to draw; default every numeric field but epoch and seconds. */
  losses?: readonly string[];
  /** Display names for loss fields, e.g. { lossD: 'D (Eq. 10)' }. Default: the field names. */
  labels?: Readonly<Record<string, string>>;
  /** One panel per loss with its own y scale (losses of very different size). Default false. */
  facet?: boolean;
  /** Logarithmic y axis (only when every value is positive). Default false. */
  logY?: boolean;
  /** y-axis title. Default 'Loss'. */
  yTitle?: string;
  /** Legend title (what the lines are, e.g. 'Fold'). Default 'Loss'. */
  legendTitle?: string;
}

/** Defaults of {@link LossPlotOptions}. */
export const LOSS_PLOT_DEFAULTS: LossPlotOptions = {
  ...PLOT_DEFAULTS,
  title: 'Training losses',
  losses: undefined,
  labels: undefined,
  facet: false,
  logY: false,
  yTitle: 'Loss',
  legendTitle: 'Loss',
};

/** Loss curves from a training history (one record per epoch) or from long rows {epoch, loss, value}. */
export function lossPlot(history: readonly HistoryRecord[] | readonly LossRow[], options: LossPlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('lossPlot', LOSS_PLOT_DEFAULTS, options);
  const long = history.length > 0 && 'loss' in history[0] && 'value' in history[0] && typeof (history[0] as LossRow).loss === 'string';
  const rows = (long ? (history as readonly LossRow[]) : lossRows(history as readonly HistoryRecord[], o.losses)).map((r) => ({
    ...r,
    loss: o.labels?.[r.loss] ?? r.loss,
  }));
  if (rows.length === 0) throw new Error('lossPlot: nothing to draw (no finite loss values)');
  if (o.logY && rows.some((r) => !(r.value > 0))) throw new Error('lossPlot: logY needs every loss value > 0; some are <= 0 (WADAN critic losses can be negative)');
  const order = [...new Set(rows.map((r) => r.loss))];
  const x = { field: 'epoch', type: 'quantitative', title: 'Epoch', axis: { format: 'd' } };
  const y = { field: 'value', type: 'quantitative', title: o.yTitle, scale: o.logY ? { type: 'log' } : { zero: false } };
  const color = { field: 'loss', type: 'nominal', title: o.legendTitle, sort: order, scale: { scheme: 'tableau10' } };
  const line = { type: 'line', strokeWidth: 1.5, clip: true };
  if (o.facet) {
    return {
      ...top(o),
      data: { values: rows },
      facet: { row: { field: 'loss', type: 'nominal', title: null, sort: order } },
      resolve: { scale: { y: 'independent' } },
      spec: { width: o.width, height: Math.max(60, Math.round((o.height ?? 300) / Math.max(1, order.length))) + 40, mark: line, encoding: { x, y, color } },
    };
  }
  return { ...top(o), width: o.width, height: o.height, data: { values: rows }, mark: line, encoding: { x, y, color } };
}
