/**
 * Does a notebook's prose quote numbers its outputs show? The "What we find" cells discuss the
 * outputs above them; a number there that no output holds (to the digits quoted) is a sentence
 * left over from an older run, or a number from elsewhere that should say where it comes from.
 *
 * @example
 *   unquotedNumbers(JSON.parse(fs.readFileSync('notebooks/04-emodb.ipynb', 'utf8')))  // [] when prose and outputs agree
 */
import type { NotebookJson } from './clean';

const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '');

/** Every text an output shows: printed text, markdown/HTML/plain, and the words of a figure (titles, subtitles, axis labels, cell values). */
export function outputText(nb: NotebookJson): string {
  const parts: string[] = [];
  for (const cell of nb.cells) {
    for (const o of cell.outputs ?? []) {
      parts.push(text(o.text));
      for (const [mime, v] of Object.entries(o.data ?? {})) {
        if (mime.startsWith('text/')) parts.push(text(v));
        // a figure's words only (titles, labels, cell values): its coordinates would match any number
        else if (mime === 'image/svg+xml') for (const m of text(v).matchAll(/<text[^>]*?(?<!\/)>(.*?)<\/text>/gs)) parts.push(m[1].replace(/<[^>]+>/g, ' '));
      }
    }
  }
  return parts.join('\n');
}

/** Markdown cells that discuss the outputs: those opening with "## What" (What we find, What the committed run shows). */
export function findingCells(nb: NotebookJson): string[] {
  return nb.cells.filter((c) => c.cell_type === 'markdown').map((c) => text(c.source)).filter((s) => s.startsWith('## What'));
}

/** Decimal numbers quoted in text (e.g. 76.66, +1.74, −0.015), without sign; integers are left out (epochs, rows, counts are checked elsewhere or are settings). */
export function decimalNumbers(s: string): string[] {
  // a number inside a word, a version (3.0.2) or a path is no quote
  return [...new Set([...s.matchAll(/(?<![\w.])[-+−]?(\d+\.\d+)(?!\w|\.\d)/g)].map((m) => m[1]))];
}

/**
 * Numbers the finding cells quote that no output holds to the quoted digits (0.075 matches an
 * output's 0.0749; 76.66 needs 76.66 or 76.664...). `allowed` lists numbers that come from
 * elsewhere, each with the reason (a file it cites, a figure it is read off).
 */
export function unquotedNumbers(nb: NotebookJson, allowed: Readonly<Record<string, string>> = {}): string[] {
  const shown = [...outputText(nb).matchAll(/\d+\.\d+/g)].map((m) => Number(m[0]));
  const matches = (q: string): boolean => {
    const digits = q.split('.')[1].length;
    const v = Number(q);
    return shown.some((x) => Math.abs(Number(x.toFixed(digits)) - v) < 1e-9);
  };
  return decimalNumbers(findingCells(nb).join('\n')).filter((q) => !(q in allowed) && !matches(q));
}
