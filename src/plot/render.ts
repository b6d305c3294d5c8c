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
import type { VegaLiteSpec } from './spec';

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

/** Options of {@link show}. */
export interface ShowOptions {
  /** Display as an SVG (default, sharp and small) or a PNG (for viewers without SVG). */
  format?: 'svg' | 'png';
}

/** The tslab display API, when this code runs inside a tslab kernel; undefined elsewhere. */
interface TslabDisplay {
  svg(s: string): void;
  png(b: Uint8Array): void;
}

/**
 * tslab's display objects that may belong to the running kernel: the one the kernel's main module
 * resolves (a global tslab install) and the one this project resolves (a local install).
 */
function tslabDisplays(): TslabDisplay[] {
  const found: TslabDisplay[] = [];
  const loaders: (() => unknown)[] = [() => require.main?.require('tslab'), () => require('tslab')];
  for (const load of loaders) {
    try {
      // tslab is a notebook-only dependency: guarded requires keep plain Node working without it.
      const display = (load() as { display?: TslabDisplay } | undefined)?.display;
      if (display && !found.includes(display)) found.push(display);
    } catch {
      // not installed there
    }
  }
  return found;
}

/**
 * Show a figure. In a tslab notebook the figure is displayed inline below the cell and the
 * promise resolves to undefined; elsewhere (plain Node, tests) nothing is displayed and the
 * promise resolves to the SVG string.
 */
export async function show(spec: VegaLiteSpec, options: ShowOptions = {}): Promise<string | undefined> {
  const format = options.format ?? 'svg';
  if (format !== 'svg' && format !== 'png') throw new Error(`show: format must be 'svg' or 'png', got ${JSON.stringify(format)}`);
  const svg = await toSvg(spec);
  const displays = tslabDisplays();
  const png = format === 'png' && displays.length > 0 ? await toPng(svg) : undefined;
  for (const display of displays) {
    try {
      if (png) display.png(png);
      else display.svg(svg);
      return undefined;
    } catch {
      // tslab is installed but no kernel is running through this copy ("Not ready"): try the next.
    }
  }
  return svg;
}
