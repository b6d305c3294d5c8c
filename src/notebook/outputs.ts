/**
 * What a reader sees of a notebook's stored outputs without trusting it. Jupyter shows an
 * untrusted notebook's (every fresh clone's) `image/svg+xml` and `text/markdown` outputs
 * nowhere; a PNG beside each SVG and HTML beside each markdown table make them visible there
 * and on GitHub. `show()` and `showMarkdown()` emit such bundles; {@link viewableNotebook}
 * completes the outputs of notebooks executed before they did, without re-executing them.
 *
 *   node dist/scripts/notebook-outputs.js notebooks/*.ipynb        # or --check
 */
import { toPng, svgSize } from '../plot/render';
import { markdownToHtml } from './display';
import { toLines, type NotebookJson } from './clean';

const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v ?? ''));

/** Output types that carry a MIME bundle. */
const RICH = new Set(['display_data', 'execute_result']);

/** Whether an output is a figure (it holds an image). */
export function isFigureOutput(o: { output_type: string; data?: Record<string, unknown> }): boolean {
  return RICH.has(o.output_type) && !!o.data && ('image/svg+xml' in o.data || 'image/png' in o.data);
}

/** Whether an output is rich text that an untrusted notebook needs as HTML (markdown, e.g. a table). */
export function isMarkdownOutput(o: { output_type: string; data?: Record<string, unknown> }): boolean {
  return RICH.has(o.output_type) && !!o.data && 'text/markdown' in o.data;
}

/** Where one notebook's outputs stand: figures, tables, and those an untrusted viewer cannot show. */
export interface ViewableReport {
  figures: number;
  /** Figures without a PNG (cell index, 0-based, and output index). */
  figuresWithoutPng: { cell: number; output: number }[];
  markdown: number;
  /** Markdown outputs without an HTML copy. */
  markdownWithoutHtml: { cell: number; output: number }[];
}

/** Count a notebook's figure and markdown outputs and list those an untrusted viewer would hide. */
export function viewableReport(nb: NotebookJson): ViewableReport {
  const r: ViewableReport = { figures: 0, figuresWithoutPng: [], markdown: 0, markdownWithoutHtml: [] };
  nb.cells.forEach((cell, c) =>
    (cell.outputs ?? []).forEach((o, i) => {
      if (isFigureOutput(o)) {
        r.figures++;
        if (!('image/png' in o.data!)) r.figuresWithoutPng.push({ cell: c, output: i });
      }
      if (isMarkdownOutput(o)) {
        r.markdown++;
        if (!('text/html' in o.data!)) r.markdownWithoutHtml.push({ cell: c, output: i });
      }
    }),
  );
  return r;
}

/** Options of {@link viewableNotebook}. */
export interface ViewableOptions {
  /** Pixel density of the added PNGs, as `show()` uses. Default 1. */
  pngScale?: number;
}

/**
 * A copy of `nb` in which every SVG-only figure output also holds the PNG rendered from that
 * SVG (the project's resvg renderer) and every markdown output also holds its HTML and plain
 * text. Nothing is re-executed; outputs that already have them are left as they are.
 */
export async function viewableNotebook(nb: NotebookJson, options: ViewableOptions = {}): Promise<{ notebook: NotebookJson; pngsAdded: number; htmlAdded: number }> {
  const scale = options.pngScale ?? 1;
  const out: NotebookJson = JSON.parse(JSON.stringify(nb));
  let pngsAdded = 0;
  let htmlAdded = 0;
  for (const cell of out.cells) {
    for (const o of cell.outputs ?? []) {
      const data = o.data;
      if (!data || !RICH.has(o.output_type)) continue;
      if ('image/svg+xml' in data && !('image/png' in data)) {
        const svg = text(data['image/svg+xml']);
        data['image/png'] = (await toPng(svg, { scale })).toString('base64');
        const size = svgSize(svg);
        if (size && scale !== 1) o.metadata = { ...(o.metadata ?? {}), 'image/png': size };
        pngsAdded++;
      }
      if ('text/markdown' in data && !('text/html' in data)) {
        const md = text(data['text/markdown']);
        data['text/html'] = toLines(markdownToHtml(md));
        if (!('text/plain' in data)) data['text/plain'] = toLines(md);
        htmlAdded++;
      }
    }
  }
  return { notebook: out, pngsAdded, htmlAdded };
}
