/**
 * What notebooks show besides figures: an updating progress line and markdown tables.
 * Inside a tslab kernel they use tslab's display (a progress line overwrites itself); elsewhere
 * (plain Node, tests) the progress line writes to stderr at most every few seconds and tables
 * are printed.
 *
 * @example
 *   const line = progressLine('WADAN fold 1');
 *   await aug.fit(train, { onEpoch: (r) => line.update(`epoch ${r.epoch}/${epochs}`) });
 *   line.done(`trained in ${s} s`);
 *   showTable([{ method: 'wadan', uar: 0.71 }], { percent: ['uar'] });
 */
import { displayBundle, type MimeBundle } from '../plot/kernel';

/** tslab's display objects (a subset), when running in a tslab kernel. */
interface TslabDisplay {
  text(s: string): void;
  markdown(s: string): void;
}
interface TslabModule {
  display: TslabDisplay;
  newDisplay(): TslabDisplay;
}

/**
 * The tslab modules that may be the running kernel's: the kernel's own (`require.main`, e.g. a
 * global install) first, then this project's. Only the kernel's copy can display.
 */
function tslabModules(): TslabModule[] {
  const found: TslabModule[] = [];
  const loaders: (() => unknown)[] = [() => require.main?.require('tslab'), () => require('tslab')];
  for (const load of loaders) {
    try {
      const t = load() as TslabModule | undefined;
      if (t && typeof t.newDisplay === 'function' && !found.includes(t)) found.push(t);
    } catch {
      // not installed there
    }
  }
  return found;
}

/** Run `f` with the first tslab that is a running kernel (its display does not throw "Not ready"); false when none is. */
function withKernel(f: (t: TslabModule) => void): boolean {
  for (const t of tslabModules()) {
    try {
      f(t);
      guardKernelSends();
      return true;
    } catch {
      // this copy is not the running kernel
    }
  }
  return false;
}

const GUARDED = Symbol.for('adan-lab.kernelSendGuard');

/** tslab's socket refusing a send because the previous one is still pending (zeromq 6). */
export function isBusySocketError(reason: unknown): boolean {
  const e = reason as { code?: unknown; message?: unknown } | null;
  return !!e && e.code === 'EBUSY' && typeof e.message === 'string' && e.message.includes('Socket is busy writing');
}

/**
 * In a tslab kernel: a display message tslab could not send (it fires sends without waiting
 * for the previous one) costs that message, not the kernel. The wasm backend installs an
 * 'unhandledRejection' listener that rethrows every rejection, which kills the kernel and the
 * session's state; its listeners are wrapped so that this one error is dropped with a warning
 * and every other rejection still rethrows as before.
 */
export function guardKernelSends(proc: NodeJS.Process = process): void {
  let warned = false;
  for (const listener of proc.rawListeners('unhandledRejection')) {
    // already guarded, or a once() listener (left as registered)
    if ((listener as unknown as Record<symbol, boolean>)[GUARDED] || 'listener' in listener) continue;
    const wrapped = function (this: unknown, reason: unknown, promise: Promise<unknown>): void {
      if (isBusySocketError(reason)) {
        if (!warned) console.error('adan-lab: a notebook display message was dropped (the kernel socket was busy)');
        warned = true;
        return;
      }
      (listener as (r: unknown, p: Promise<unknown>) => void).call(this, reason, promise);
    };
    (wrapped as unknown as Record<symbol, boolean>)[GUARDED] = true;
    proc.removeListener('unhandledRejection', listener as (...args: unknown[]) => void);
    proc.on('unhandledRejection', wrapped);
  }
}

/** An updating single-line display. */
export interface ProgressLine {
  /** Replace the line's text (throttled to `minInterval` seconds, except the first call). */
  update(text: string): void;
  /** Show the final text (always shown). */
  done(text?: string): void;
}

/** Options of {@link progressLine}. */
export interface ProgressLineOptions {
  /** Seconds between updates shown in a notebook. Default 0.5. */
  minInterval?: number;
  /** Seconds between lines written to stderr outside a notebook. Default 10. */
  logInterval?: number;
}

/** A line below the cell that overwrites itself (tslab), or occasional stderr lines elsewhere. */
export function progressLine(label: string, options: ProgressLineOptions = {}): ProgressLine {
  const minInterval = options.minInterval ?? 0.5;
  const logInterval = options.logInterval ?? 10;
  let display: TslabDisplay | undefined;
  withKernel((t) => {
    const d = t.newDisplay();
    d.text(`${label}: starting`);
    display = d;
  });
  const start = Date.now();
  let last = 0;
  let pending: string | undefined;
  const show = (text: string, force: boolean): void => {
    const now = Date.now();
    const interval = display ? minInterval : logInterval;
    if (!force && now - last < interval * 1000) {
      pending = text;
      return;
    }
    last = now;
    pending = undefined;
    const line = `${label}: ${text}`;
    if (display) display.text(line);
    else process.stderr.write(line + '\n');
  };
  return {
    update: (text) => show(text, last === 0),
    done: (text) => show(text ?? pending ?? `done in ${((Date.now() - start) / 1000).toFixed(1)} s`, true),
  };
}

/** Options of {@link markdownTable} and {@link showTable}. */
export interface TableOptions {
  /** Columns to show, in order. Default: the keys of the first row. */
  columns?: readonly string[];
  /** Columns holding fractions in [0, 1], printed as percent with `digits` decimals. Default none. */
  percent?: readonly string[];
  /** Decimals of numbers (and of percent). Default 2. */
  digits?: number;
}

/** Rows of objects -> a GitHub-flavoured markdown table. */
export function markdownTable(rows: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  if (rows.length === 0) return '(no rows)';
  const columns = options.columns ?? Object.keys(rows[0]);
  const percent = new Set(options.percent ?? []);
  const digits = options.digits ?? 2;
  // a column of counts prints as integers; one with any fraction prints every number with `digits` (1.000, not 1)
  const fractional = new Set(columns.filter((c) => rows.some((r) => typeof r[c] === 'number' && Number.isFinite(r[c]) && !Number.isInteger(r[c]))));
  const cell = (col: string, v: unknown): string => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) return '–';
      if (percent.has(col)) return (100 * v).toFixed(digits);
      return Number.isInteger(v) && !fractional.has(col) ? String(v) : v.toFixed(digits);
    }
    if (v === undefined || v === null) return '';
    return String(v).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  };
  const head = `| ${columns.map((c) => (percent.has(c) ? `${c} (%)` : c)).join(' | ')} |`;
  const rule = `|${columns.map(() => '---').join('|')}|`;
  return [head, rule, ...rows.map((r) => `| ${columns.map((c) => cell(c, r[c])).join(' | ')} |`)].join('\n');
}

/** `&`, `<`, `>` and `"` as HTML entities. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Inline markdown (code, bold, italics, links) of one escaped line -> HTML. */
function inlineHtml(text: string): string {
  const codes: string[] = [];
  let s = text.replace(/`([^`]+)`/g, (_, c: string) => `\u0000${codes.push(`<code>${escapeHtml(c)}</code>`) - 1}\u0000`);
  s = escapeHtml(s)
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_, label: string, href: string) => `<a href="${href}">${label}</a>`);
  return s.replace(/\u0000(\d+)\u0000/g, (_, i: string) => codes[Number(i)]);
}

/** The cells of one markdown table row (`| a | b \\| c |` -> ['a', 'b | c']). */
function tableCells(line: string): string[] {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '');
  return body.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

/**
 * The markdown that notebooks display (GitHub-flavoured tables, paragraphs, bullet lists,
 * headings, inline code, bold, italics, links) as plain HTML without scripts or styles. An
 * untrusted notebook shows `text/html` (sanitised) but not `text/markdown`, so tables carry both.
 */
export function markdownToHtml(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, '\n').split('\n');
  const out: string[] = [];
  let para: string[] = [];
  let list: string[] = [];
  const flush = (): void => {
    if (para.length > 0) out.push(`<p>${para.map(inlineHtml).join('<br>\n')}</p>`);
    if (list.length > 0) out.push(`<ul>\n${list.map((l) => `<li>${inlineHtml(l)}</li>`).join('\n')}\n</ul>`);
    para = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const rule = lines[i + 1];
    if (/^\s*\|.*\|\s*$/.test(line) && rule !== undefined && /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(rule)) {
      flush();
      const align = tableCells(rule).map((c) => (c.startsWith(':') && c.endsWith(':') ? 'center' : c.endsWith(':') ? 'right' : c.startsWith(':') ? 'left' : ''));
      const cell = (tag: string, c: string, k: number): string => `<${tag}${align[k] ? ` style="text-align: ${align[k]}"` : ''}>${inlineHtml(c)}</${tag}>`;
      const rows: string[] = [`<thead>\n<tr>${tableCells(line).map((c, k) => cell('th', c, k)).join('')}</tr>\n</thead>`, '<tbody>'];
      i += 2;
      for (; i < lines.length && /^\s*\|.*\|\s*$/.test(lines[i]); i++) rows.push(`<tr>${tableCells(lines[i]).map((c, k) => cell('td', c, k)).join('')}</tr>`);
      i--;
      out.push(`<table>\n${rows.join('\n')}\n</tbody>\n</table>`);
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (line.trim() === '') flush();
    else if (heading) {
      flush();
      out.push(`<h${heading[1].length}>${inlineHtml(heading[2])}</h${heading[1].length}>`);
    } else if (item) {
      if (para.length > 0) flush();
      list.push(item[1]);
    } else if (list.length > 0 && /^\s+\S/.test(line)) list[list.length - 1] += ` ${line.trim()}`;
    else {
      if (list.length > 0) flush();
      para.push(line);
    }
  }
  flush();
  return out.join('\n');
}

/**
 * The MIME bundle of markdown: `text/markdown` (JupyterLab, trusted), `text/html` (what an
 * untrusted notebook and GitHub's viewer show: the classic Notebook hides untrusted markdown)
 * and `text/plain` (the markdown source, for text-only front ends).
 */
export function markdownBundle(markdown: string): MimeBundle {
  return { data: { 'text/html': markdownToHtml(markdown), 'text/markdown': markdown, 'text/plain': markdown } };
}

/** Display markdown in a tslab notebook (as HTML, markdown and text in one output); elsewhere print it. */
export function showMarkdown(markdown: string): void {
  if (displayBundle(markdownBundle(markdown))) guardKernelSends();
  else console.log(markdown);
}

/** Display rows as a markdown table (tslab) or print it (elsewhere). */
export function showTable(rows: readonly Record<string, unknown>[], options: TableOptions = {}): void {
  showMarkdown(markdownTable(rows, options));
}
