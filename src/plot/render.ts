/**
 * Vega-Lite spec -> SVG, PNG, a file, or an inline figure in a tslab notebook.
 *
 * vega and vega-lite are ESM-only: they are loaded with a real dynamic `import()` (kept as such
 * by the node16 module setting) once, on first use. SVG comes from vega's View with the
 * headless 'none' renderer; PNG is drawn from the SVG by @resvg/resvg-js, which needs a font
 * on the system (Debian: fonts-dejavu-core); it loads the system fonts and prefers DejaVu Sans.
 *
 * @example
 *   await save(tsnePlot(points), 'figures/tsne.svg');   // .svg, .png or .vl.json by extension
 *   await show(lossPlot(adan.history));                  // inline in tslab; elsewhere returns the SVG
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toCsv } from '../util/csv';
import type { VegaLiteSpec } from './spec';
import { displayBundle, inKernel, type MimeBundle } from './kernel';

/** The parts of vega and vega-lite used here (their own types are ESM-only). */
interface VegaModule {
  parse(spec: object): unknown;
  View: new (runtime: unknown, options: { renderer: 'none' }) => { toSVG(): Promise<string>; finalize(): void };
}
interface VegaLiteModule {
  compile(spec: object): { spec: object };
}

let libs: Promise<{ vega: VegaModule; vl: VegaLiteModule }> | null = null;

/** vega and vega-lite, imported once. */
function loadVega(): Promise<{ vega: VegaModule; vl: VegaLiteModule }> {
  if (!libs) {
    libs = Promise.all([import('vega'), import('vega-lite')]).then(([vega, vl]) => ({ vega: vega as unknown as VegaModule, vl: vl as unknown as VegaLiteModule }));
    libs.catch(() => (libs = null));
  }
  return libs;
}

/** Compile a Vega-Lite spec to a Vega spec (errors name the Vega-Lite problem). */
export async function compile(spec: VegaLiteSpec): Promise<object> {
  const { vl } = await loadVega();
  return vl.compile(spec).spec;
}

/** Render a Vega-Lite spec to an SVG string. */
export async function toSvg(spec: VegaLiteSpec): Promise<string> {
  const { vega } = await loadVega();
  const vgSpec = await compile(spec);
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none' });
  try {
    return compactSvg(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * Round coordinates in `transform` and path `d` attributes to 2 decimals (1/100 pixel: invisible,
 * and a scatter of thousands of points shrinks by a third). Text content is left alone.
 */
export function compactSvg(svg: string): string {
  const round = (attr: string) => attr.replace(/-?\d+\.\d{3,}(e-?\d+)?/g, (num) => String(Math.round(Number(num) * 100) / 100));
  return svg.replace(/ (transform|d)="([^"]*)"/g, (_, name: string, value: string) => ` ${name}="${round(value)}"`);
}

/** Options of {@link toPng}. */
export interface PngOptions {
  /** Pixel density: 2 renders at twice the spec's size (crisp on paper and screens). Default 2. */
  scale?: number;
  /** Extra font files (.ttf/.otf) to load besides the system fonts. Default none. */
  fontFiles?: string[];
}

/** Defaults of {@link PngOptions}. */
export const PNG_DEFAULTS: Required<PngOptions> = { scale: 2, fontFiles: [] };

/** Font families tried, in order, as the default for text whose family resvg cannot match. */
const PREFERRED_FONTS = ['DejaVu Sans', 'Liberation Sans', 'Arial', 'Noto Sans', 'FreeSans'];

/** Render a Vega-Lite spec (or an SVG string) to PNG bytes. */
export async function toPng(specOrSvg: VegaLiteSpec | string, options: PngOptions = {}): Promise<Buffer> {
  const o = { ...PNG_DEFAULTS, ...options };
  if (!(o.scale > 0 && Number.isFinite(o.scale))) throw new Error(`toPng: scale must be a positive number, got ${o.scale}`);
  const svg = typeof specOrSvg === 'string' ? specOrSvg : await toSvg(specOrSvg);
  const { Resvg } = await import('@resvg/resvg-js');
  const family = defaultFontFamily();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: o.scale },
    background: 'white',
    font: {
      loadSystemFonts: true,
      fontFiles: o.fontFiles,
      ...(family ? { defaultFontFamily: family, sansSerifFamily: family } : {}),
    },
  });
  const png = resvg.render().asPng();
  return Buffer.from(png);
}

/** The first preferred font family installed here (looked up once), or undefined. */
let fontFamily: string | undefined | null = null;
function defaultFontFamily(): string | undefined {
  if (fontFamily !== null) return fontFamily;
  const dirs = ['/usr/share/fonts', '/usr/local/share/fonts', path.join(process.env.HOME ?? '', '.fonts'), '/Library/Fonts', '/System/Library/Fonts', 'C:\\Windows\\Fonts'];
  const files: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (depth > 4 || files.length > 5000) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1);
      else files.push(e.name.toLowerCase());
    }
  };
  for (const d of dirs) walk(d, 0);
  const has = (family: string) => files.some((f) => f.startsWith(family.toLowerCase().replace(/ /g, '')) || f.startsWith(family.toLowerCase().replace(/ /g, '-')));
  fontFamily = PREFERRED_FONTS.find(has);
  return fontFamily;
}

/**
 * Write `spec` to `file`, the format chosen by the extension: `.svg`, `.png` or `.vl.json`
 * (the Vega-Lite spec itself, for editing in the Vega editor). Creates missing folders.
 * Returns the absolute path written.
 */
export async function save(spec: VegaLiteSpec, file: string, options: PngOptions = {}): Promise<string> {
  const out = path.resolve(file);
  const lower = out.toLowerCase();
  let data: string | Buffer;
  if (lower.endsWith('.vl.json') || lower.endsWith('.json')) data = JSON.stringify(spec, null, 2) + '\n';
  else if (lower.endsWith('.svg')) data = await toSvg(spec);
  else if (lower.endsWith('.png')) data = await toPng(spec, options);
  else throw new Error(`save: cannot tell the format of ${JSON.stringify(file)}: use a name ending in .svg, .png or .vl.json`);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, data);
  return out;
}

/** Options of {@link show} and {@link figureBundle}. */
export interface ShowOptions {
  /**
   * What the output carries: 'both' (default) an SVG and a PNG in one bundle, so the figure is
   * drawn sharp where the notebook is trusted and as the PNG everywhere else (an untrusted
   * notebook, i.e. every fresh clone, shows no SVG; GitHub's viewer); 'svg' or 'png' only one.
   */
  format?: 'both' | 'svg' | 'png';
  /** Pixel density of the inline PNG. Default 1 (a notebook stays small; the SVG is the sharp copy). */
  pngScale?: number;
  /** Also write the figure to `<saveAs>.svg` and `<saveAs>.png` (PNG at twice the size). Default: not saved. */
  saveAs?: string;
  /**
   * Also carry the Vega-Lite spec (`application/vnd.vegalite.v5+json`): JupyterLab draws it with
   * vega-embed, trusted or not, so its tooltips (e.g. utterance id, emotion) answer a hover; Jupyter
   * Notebook 6 and GitHub ignore it and show the SVG or PNG. The spec holds the figure's data, so
   * keep it for figures where hovering tells something. Default false.
   */
  interactive?: boolean;
}

/** Defaults of {@link ShowOptions}. */
export const SHOW_DEFAULTS: Required<Omit<ShowOptions, 'saveAs'>> = { format: 'both', pngScale: 1, interactive: false };

/** The Vega-Lite MIME type JupyterLab 4 renders (its vega5-extension: Vega-Lite 3 to 5). */
export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

/** Width and height (CSS pixels) of an SVG's root element, if it states them. */
export function svgSize(svg: string): { width: number; height: number } | undefined {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? '';
  const w = Number(/\swidth="([\d.]+)"/.exec(root)?.[1]);
  const h = Number(/\sheight="([\d.]+)"/.exec(root)?.[1]);
  return w > 0 && h > 0 ? { width: w, height: h } : undefined;
}

/** The figure's text representation: its title, if it has one (what a plain-text viewer shows). */
function figureText(svg: string): string {
  // the chart's own title is drawn after the panels' (a faceted or concatenated figure has several)
  const at = svg.lastIndexOf('role-title-text');
  const title = at >= 0 ? /<text[^>]*>([^<]+)<\/text>/.exec(svg.slice(at))?.[1] : undefined;
  const decoded = title?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return decoded ? `<figure: ${decoded}>` : '<figure>';
}

/**
 * The MIME bundle of a figure (a spec, or an SVG already rendered): `image/svg+xml`, `image/png`
 * (base64, with its display size in the metadata so a scale-2 PNG is not drawn twice as large)
 * and a `text/plain` line. Jupyter picks the SVG where the notebook is trusted, the PNG elsewhere.
 */
export async function figureBundle(specOrSvg: VegaLiteSpec | string, options: ShowOptions = {}): Promise<MimeBundle> {
  const svg = typeof specOrSvg === 'string' ? specOrSvg : await toSvg(specOrSvg);
  return bundleOf(svg, typeof specOrSvg === 'string' ? undefined : specOrSvg, options);
}

async function bundleOf(svg: string, spec: VegaLiteSpec | undefined, options: ShowOptions): Promise<MimeBundle> {
  const o = { ...SHOW_DEFAULTS, ...options };
  if (!['both', 'svg', 'png'].includes(o.format)) throw new Error(`show: format must be 'both', 'svg' or 'png', got ${JSON.stringify(o.format)}`);
  const data: MimeBundle['data'] = {};
  const metadata: Record<string, unknown> = {};
  if (o.format !== 'svg') {
    data['image/png'] = (await toPng(svg, { scale: o.pngScale })).toString('base64');
    const size = svgSize(svg);
    if (size && o.pngScale !== 1) metadata['image/png'] = size;
  }
  if (o.format !== 'png') data['image/svg+xml'] = svg;
  data['text/plain'] = figureText(svg);
  if (o.interactive) {
    if (!spec) throw new Error('show: interactive needs the spec, not a rendered SVG');
    // JupyterLab's renderer is Vega-Lite 5: the t-SNE specs compiled and rendered with vega-lite 5.23 / vega 5.33 (checked 2026-12-04)
    data[VEGALITE_MIME] = { ...compactData(spec), $schema: 'https://vega.github.io/schema/vega-lite/v5.json' };
  }
  return { data, metadata };
}

/**
 * The spec with its inline rows as one CSV string (numbers to 6 significant digits): a notebook
 * stores a JSON array of objects one field per line, four times the size.
 */
export function compactData(spec: VegaLiteSpec): VegaLiteSpec {
  const values = (spec.data as { values?: unknown } | undefined)?.values;
  const flat = (r: unknown): r is Record<string, unknown> => typeof r === 'object' && r !== null && Object.values(r).every((v) => v === null || v === undefined || ['number', 'string', 'boolean'].includes(typeof v));
  if (!Array.isArray(values) || values.length === 0 || !values.every(flat)) return spec;
  const columns = [...new Set(values.flatMap((r) => Object.keys(r)))];
  const numeric = columns.filter((c) => values.every((r) => r[c] === undefined || typeof r[c] === 'number'));
  const round = (v: unknown): unknown => (typeof v === 'number' ? (Number.isFinite(v) ? Number(v.toPrecision(6)) : undefined) : v);
  const csv = toCsv(values.map((r) => Object.fromEntries(columns.map((c) => [c, round(r[c])])))).replace(/\n$/, '');
  return { ...spec, data: { values: csv, format: { type: 'csv', parse: Object.fromEntries(numeric.map((c) => [c, 'number'])) } } };
}

/**
 * Show a figure. In a tslab notebook the figure is displayed inline below the cell (one output
 * holding the SVG and a PNG: see {@link ShowOptions.format}) and the promise resolves to
 * undefined; elsewhere (plain Node, tests) nothing is displayed and the promise resolves to the
 * SVG string. With `saveAs` the figure is also written as SVG and PNG files.
 */
export async function show(spec: VegaLiteSpec, options: ShowOptions = {}): Promise<string | undefined> {
  const svg = await toSvg(spec);
  if (options.saveAs !== undefined) await saveFigure(svg, options.saveAs);
  if (!inKernel()) return svg;
  return displayBundle(await bundleOf(svg, spec, options)) ? undefined : svg;
}

/** Write an SVG (a spec, or an SVG string) to `<base>.svg` and `<base>.png` (scale 2). Returns both paths. */
export async function saveFigure(specOrSvg: VegaLiteSpec | string, base: string): Promise<{ svg: string; png: string }> {
  const svg = typeof specOrSvg === 'string' ? specOrSvg : await toSvg(specOrSvg);
  const stem = path.resolve(base.replace(/\.(svg|png)$/i, ''));
  fs.mkdirSync(path.dirname(stem), { recursive: true });
  fs.writeFileSync(`${stem}.svg`, svg.endsWith('\n') ? svg : svg + '\n');
  fs.writeFileSync(`${stem}.png`, await toPng(svg, { scale: 2 }));
  return { svg: `${stem}.svg`, png: `${stem}.png` };
}
