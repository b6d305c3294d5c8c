/**
 * What every figure shares: the Vega-Lite spec type, common options and their defaults, the
 * look (fonts, sizes), and the paper's colours (one hue per emotion; light = real rows,
 * dark = synthetic rows, as in Fig. 4 and 9).
 */
import { OptionError } from '../util/errors';

/**
 * A Vega-Lite specification (plain JSON). Typed loosely on purpose: vega-lite's own types live in
 * an ESM-only package; every builder's output is checked by rendering it in the tests.
 */
export type VegaLiteSpec = { $schema?: string; [key: string]: unknown };

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Options every plot takes. */
export interface PlotOptions {
  /** Figure title; default depends on the plot. */
  title?: string;
  /** A second title line in grey (data source, "example data", ...). Default none. */
  subtitle?: string;
  /** Width of one panel in pixels. Default 420. */
  width?: number;
  /** Height of one panel in pixels. Default 300. */
  height?: number;
}

/** Defaults of {@link PlotOptions}. */
export const PLOT_DEFAULTS: Required<Omit<PlotOptions, 'title' | 'subtitle'>> & Pick<PlotOptions, 'title' | 'subtitle'> = {
  title: undefined,
  subtitle: undefined,
  width: 420,
  height: 300,
};

/** The font family every figure asks for (resvg needs an installed font; see render.ts). */
export const FONT = 'DejaVu Sans, Arial, Helvetica, sans-serif';

/** Shared Vega-Lite config: fonts, sizes, no chart border. */
export const BASE_CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', grid: true, gridOpacity: 0.5 },
  legend: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal' },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#666', anchor: 'start' },
  header: { labelFontSize: 12, titleFontSize: 12 },
} as const;

/**
 * One base hue per emotion (Tableau 10), in the order of the EmoDB classes; further classes
 * cycle. Light and dark variants are derived by mixing with white or black.
 */
export const EMOTION_HUES: readonly string[] = ['#d62728', '#1f77b4', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#7f7f7f', '#e377c2', '#17becf', '#bcbd22'];

/** Hue of class k. */
export function emotionHue(k: number): string {
  return EMOTION_HUES[k % EMOTION_HUES.length];
}

/** Mix a #rrggbb colour with white (amount > 0, lighter) or black (amount < 0, darker); |amount| in [0, 1]. */
export function shade(hex: string, amount: number): string {
  const m = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new Error(`shade: expected a #rrggbb colour, got ${JSON.stringify(hex)}`);
  const v = parseInt(m[1], 16);
  const ch = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) => Math.round(amount >= 0 ? c + (255 - c) * amount : c * (1 + amount)));
  return '#' + ch.map((c) => c.toString(16).padStart(2, '0')).join('');
}

/** Light variant (real rows). */
export const lightShade = (k: number): string => shade(emotionHue(k), 0.45);
/** Dark variant (synthetic rows). */
export const darkShade = (k: number): string => shade(emotionHue(k), -0.35);

/** Merge options over defaults, rejecting unknown keys and bad sizes (names the bad option). */
export function plotOptions<T extends object>(what: string, defaults: T, options: Partial<T>): T {
  for (const key of Object.keys(options)) {
    if (!(key in defaults)) throw new OptionError(`${what}.${key}`, (options as Record<string, unknown>)[key], `one of ${Object.keys(defaults).join(', ')}`);
  }
  const o = { ...defaults, ...stripUndefined(options) } as T & PlotOptions;
  for (const k of ['width', 'height'] as const) {
    const v = o[k];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new OptionError(`${what}.${k}`, v, 'a positive number of pixels');
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The title block of a spec: text with an optional subtitle, or nothing. */
export function titleOf(o: PlotOptions): Record<string, unknown> {
  if (!o.title && !o.subtitle) return {};
  return { title: { text: o.title ?? '', ...(o.subtitle ? { subtitle: o.subtitle } : {}) } };
}

/** Top-level fields every spec carries. */
export function top(o: PlotOptions): VegaLiteSpec {
  return { $schema: VEGA_LITE_SCHEMA, ...titleOf(o), config: BASE_CONFIG, background: 'white', padding: 8 };
}
