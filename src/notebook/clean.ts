/**
 * Keep executed notebooks diffable: drop execution noise (per-cell timing metadata, widget
 * state, transient ids), fold carriage-return progress text to its last state, and write the
 * JSON with one-space indentation and a final newline, as Jupyter does.
 *
 *   node dist/src/notebook/clean.js notebooks/*.ipynb
 */
import * as fs from 'node:fs';

/** The tslab kernelspec every notebook here declares. */
export const TSLAB_KERNELSPEC = { display_name: 'TypeScript', language: 'typescript', name: 'tslab' } as const;

/** One stored output of a code cell (nbformat 4). */
export interface NotebookOutput {
  output_type: string;
  text?: string | string[];
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
  transient?: unknown;
  [key: string]: unknown;
}
/** One cell (nbformat 4). */
export interface NotebookCell {
  cell_type: string;
  metadata?: Record<string, unknown>;
  outputs?: NotebookOutput[];
  source: string | string[];
  execution_count?: number | null;
  id?: string;
  [key: string]: unknown;
}
export interface NotebookJson {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NotebookCell[];
}

/** Text after the last carriage return of each line ("a\rb\n" -> "b\n"). */
export function foldCarriageReturns(text: string): string {
  return text.split('\n').map((line) => (line.includes('\r') ? line.slice(line.lastIndexOf('\r') + 1) : line)).join('\n');
}

/** Split text into Jupyter's list-of-lines form (each line keeps its newline). */
export function toLines(text: string): string[] {
  const parts = text.split(/(?<=\n)/);
  return parts.filter((p) => p !== '');
}

/**
 * An SVG with one element per line (a newline before each structural element, never inside
 * text), so that a re-executed figure diffs line by line instead of as one huge line.
 * Already-split SVG is left as it is.
 */
export function svgOnLines(svg: string): string {
  return svg
    .replace(/>(?=<(?:g|\/g|path|rect|line|circle|text|defs|\/defs|clipPath|\/clipPath|\/svg)[\s>])/g, '>\n')
    .replace(/ d="([^"]{2000,})"/g, (_, d: string) => ` d="${pathOnLines(d)}"`);
}

/** Long path data (a 1,500-epoch loss curve) on lines of 40 commands: newlines are whitespace in SVG paths. */
function pathOnLines(d: string): string {
  const commands = d.replace(/\n/g, '').split(/(?=[MLHVCSQTAZmlhvcsqtaz])/);
  const lines: string[] = [];
  for (let i = 0; i < commands.length; i += 40) lines.push(commands.slice(i, i + 40).join(''));
  return lines.join('\n');
}

/** A cleaned copy of a notebook (the input is not changed). */
export function cleanNotebook(nb: NotebookJson): NotebookJson {
  const out: NotebookJson = JSON.parse(JSON.stringify(nb));
  out.metadata = { kernelspec: { ...TSLAB_KERNELSPEC }, language_info: (nb.metadata.language_info as object | undefined) ?? { name: 'typescript' } };
  for (const cell of out.cells) {
    const meta = { ...(cell.metadata ?? {}) };
    delete meta.execution;
    delete meta.collapsed;
    delete meta.scrolled;
    cell.metadata = meta;
    if (cell.cell_type !== 'code') continue;
    for (const o of cell.outputs ?? []) {
      delete o.transient;
      if (o.output_type === 'stream' && o.text !== undefined) {
        o.text = toLines(foldCarriageReturns(Array.isArray(o.text) ? o.text.join('') : o.text));
      }
      const svg = o.data?.['image/svg+xml'];
      if (svg !== undefined) o.data!['image/svg+xml'] = toLines(svgOnLines(Array.isArray(svg) ? svg.join('') : String(svg)));
    }
  }
  return out;
}

/** Clean a notebook file in place. Returns whether it changed. */
export function cleanNotebookFile(file: string): boolean {
  const before = fs.readFileSync(file, 'utf8');
  const after = JSON.stringify(cleanNotebook(JSON.parse(before) as NotebookJson), null, 1) + '\n';
  if (after === before) return false;
  fs.writeFileSync(file, after);
  return true;
}

if (require.main === module) {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error('usage: node dist/src/notebook/clean.js NOTEBOOK.ipynb ...');
    process.exit(2);
  }
  for (const f of files) console.log(`${cleanNotebookFile(f) ? 'cleaned' : 'unchanged'} ${f}`);
}
