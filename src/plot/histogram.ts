/**
 * Histograms of one feature, real vs synthetic (paper Fig. 5), on shared Freedman–Diaconis bins.
 *
 * @example
 *   await show(histogramPlot([
 *     { name: 'real', values: column(real, 123) },
 *     { name: 'ADAN', values: column(adanRows, 123) },
 *   ], { feature: 'feature 123' }));
 */
import { histograms } from '../analysis/histogram';
import { PLOT_DEFAULTS, PlotOptions, VegaLiteSpec, plotOptions, top } from './spec';

/** One series: a name (legend / panel) and its values of the feature. */
export interface HistogramSeries {
  name: string;
  values: ArrayLike<number>;
}

export interface HistogramPlotOptions extends PlotOptions {
  /** Feature name for the x-axis title. Default 'Feature value'. */
  feature?: string;
  /** 'facet': one panel per series side by side (as Fig. 5); 'overlay': translucent bars in one panel. Default 'facet'. */
  layout?: 'facet' | 'overlay';
  /** y = 'count' per bin, or 'density' (count / (n * width), comparable across set sizes). Default 'density'. */
  y?: 'count' | 'density';
  /** Bin width; default Freedman–Diaconis of all series pooled. */
  binWidth?: number;
  /** Bar colours per series, in order. Default grey for the first (real), then Tableau hues. */
  colors?: readonly string[];
}

/** Defaults of {@link HistogramPlotOptions}. */
export const HISTOGRAM_PLOT_DEFAULTS: HistogramPlotOptions = {
  ...PLOT_DEFAULTS,
  title: 'Histogram (Freedman–Diaconis bins)',
  width: 260,
  height: 200,
  feature: 'Feature value',
  layout: 'facet',
  y: 'density',
  binWidth: undefined,
  colors: ['#7f7f7f', '#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'],
};

/** Histograms of several series on the same bins. */
export function histogramPlot(series: readonly HistogramSeries[], options: HistogramPlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('histogramPlot', HISTOGRAM_PLOT_DEFAULTS, options);
  if (series.length === 0) throw new Error('histogramPlot: no series');
  const names = series.map((s) => s.name);
  if (new Set(names).size !== names.length) throw new Error(`histogramPlot: series names must differ, got ${names.join(', ')}`);
  if (o.layout !== 'facet' && o.layout !== 'overlay') throw new Error(`histogramPlot: layout must be 'facet' or 'overlay', got ${JSON.stringify(o.layout)}`);
  if (o.y !== 'count' && o.y !== 'density') throw new Error(`histogramPlot: y must be 'count' or 'density', got ${JSON.stringify(o.y)}`);
  const hs = histograms(series.map((s) => s.values), o.binWidth !== undefined ? { binWidth: o.binWidth } : {});
  const values: { series: string; lo: number; hi: number; count: number; density: number }[] = [];
  hs.forEach((h, s) => {
    h.counts.forEach((count, b) => {
      values.push({ series: series[s].name, lo: h.edges[b], hi: h.edges[b + 1], count, density: h.n > 0 ? count / (h.n * h.binWidth) : 0 });
    });
  });
  const colors = o.colors ?? HISTOGRAM_PLOT_DEFAULTS.colors!;
  const color = { field: 'series', type: 'nominal', title: null, sort: names, scale: { domain: names, range: names.map((_, i) => colors[i % colors.length]) }, legend: o.layout === 'overlay' ? {} : null };
  const encoding = {
    x: { field: 'lo', type: 'quantitative', title: o.feature, scale: { zero: false, nice: false } },
    x2: { field: 'hi' },
    y: { field: o.y, type: 'quantitative', title: o.y === 'density' ? 'Density' : 'Count', stack: null },
    y2: { datum: 0 },
    color,
  };
  const mark = { type: 'bar', opacity: o.layout === 'overlay' ? 0.5 : 0.9, binSpacing: 0 };
  const subtitle = o.subtitle ?? `bin width ${formatWidth(hs[0].binWidth)} (Freedman–Diaconis${o.binWidth !== undefined ? ', overridden' : ''})`;
  if (o.layout === 'overlay') {
    return { ...top({ ...o, subtitle }), width: o.width, height: o.height, data: { values }, mark, encoding };
  }
  return {
    ...top({ ...o, subtitle }),
    data: { values },
    facet: { column: { field: 'series', type: 'nominal', title: null, sort: names } },
    spec: { width: o.width, height: o.height, mark, encoding },
  };
}

function formatWidth(w: number): string {
  return Math.abs(w) >= 0.01 && Math.abs(w) < 1000 ? w.toPrecision(3) : w.toExponential(2);
}
