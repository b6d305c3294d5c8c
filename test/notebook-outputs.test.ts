/**
 * Outputs a reader sees without trusting the notebook: Jupyter hides an untrusted notebook's
 * SVG and markdown outputs (every notebook from git is untrusted), so every figure carries a
 * PNG beside its SVG and every markdown output its HTML. Checked for the helpers that emit
 * them, for the script that completes old outputs, and for every committed notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { markdownBundle, markdownTable, markdownToHtml, showTable } from '../src/notebook/display';
import { viewableNotebook, viewableReport, isFigureOutput } from '../src/notebook/outputs';
import type { NotebookJson } from '../src/notebook/clean';
import { toSvg, lossPlot } from '../src/plot';

const dir = path.join(projectRoot, 'notebooks');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();
const text = (v: unknown): string => (Array.isArray(v) ? v.join('') : String(v ?? ''));

test('markdownToHtml: tables (escaped pipes, alignment), paragraphs, lists, headings, inline code, bold, links; no raw HTML', () => {
  const html = markdownToHtml(['Data: **emodb-is11**, `a<b` and [docs](../docs/method.md)', '', markdownTable([{ method: 'x|y', uar: 0.5 }], { percent: ['uar'] }), '', '- one', '- two', '', '## Next'].join('\n'));
  assert.match(html, /<p>Data: <strong>emodb-is11<\/strong>, <code>a&lt;b<\/code> and <a href="\.\.\/docs\/method\.md">docs<\/a><\/p>/);
  assert.match(html, /<table>\n<thead>\n<tr><th>method<\/th><th>uar \(%\)<\/th><\/tr>/);
  assert.match(html, /<tr><td>x\|y<\/td><td>50\.00<\/td><\/tr>/);
  assert.match(html, /<ul>\n<li>one<\/li>\n<li>two<\/li>\n<\/ul>/);
  assert.match(html, /<h2>Next<\/h2>/);
  assert.match(markdownToHtml('| a | b |\n|---:|:---:|\n| 1 | 2 |'), /<td style="text-align: right">1<\/td><td style="text-align: center">2<\/td>/);
  assert.doesNotMatch(markdownToHtml('<script>alert(1)</script>'), /<script>/);
});

test('markdown is displayed as one output with HTML (what an untrusted notebook shows), markdown and text', () => {
  const b = markdownBundle('| a |\n|---|\n| 1 |');
  assert.deepEqual(Object.keys(b.data).sort(), ['text/html', 'text/markdown', 'text/plain']);
  let kernel: { lastWriteDisplayData: unknown } | undefined;
  try {
    kernel = require('tslab/dist/jupyter');
  } catch {
    return;
  }
  const shown: { data: Record<string, string> }[] = [];
  kernel!.lastWriteDisplayData = (msg: { data: Record<string, string> }) => shown.push(msg);
  try {
    showTable([{ a: 1 }]);
    assert.equal(shown.length, 1);
    assert.match(shown[0].data['text/html'], /<table>/);
    assert.equal(shown[0].data['text/markdown'], '| a |\n|---|\n| 1 |');
  } finally {
    kernel!.lastWriteDisplayData = null;
  }
});

test('viewableNotebook adds a PNG to SVG-only figures and HTML to markdown outputs, once', async () => {
  const svg = await toSvg(lossPlot([{ epoch: 1, lossD: 1 }, { epoch: 2, lossD: 0.5 }]));
  const nb: NotebookJson = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'code', source: 'x', metadata: {}, outputs: [
        { output_type: 'display_data', data: { 'image/svg+xml': svg.split(/(?<=\n)/) }, metadata: {} },
        { output_type: 'display_data', data: { 'text/markdown': '| a |\n|---|\n| 1 |' }, metadata: {} },
        { output_type: 'stream', name: 'stdout', text: 'hi\n' },
      ] },
    ],
  };
  assert.deepEqual(viewableReport(nb).figuresWithoutPng, [{ cell: 0, output: 0 }]);
  const { notebook, pngsAdded, htmlAdded } = await viewableNotebook(nb);
  assert.deepEqual([pngsAdded, htmlAdded], [1, 1]);
  const [fig, md] = notebook.cells[0].outputs!;
  assert.equal(Buffer.from(text(fig.data!['image/png']), 'base64').subarray(1, 4).toString(), 'PNG');
  assert.equal(text(fig.data!['image/svg+xml']), svg, 'the SVG is kept');
  assert.match(text(md.data!['text/html']), /<td>1<\/td>/);
  assert.equal(nb.cells[0].outputs![0].data!['image/png'], undefined, 'the input is not changed');
  const again = await viewableNotebook(notebook);
  assert.deepEqual([again.pngsAdded, again.htmlAdded], [0, 0]);
  const r = viewableReport(notebook);
  assert.deepEqual([r.figures, r.figuresWithoutPng.length, r.markdown, r.markdownWithoutHtml.length], [1, 0, 1, 0]);
});

for (const file of files) {
  test(`${file}: every figure output holds a PNG and every markdown output its HTML (visible without trust)`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as NotebookJson;
    const r = viewableReport(nb);
    const where = (l: { cell: number; output: number }[]) => l.map((x) => `cell ${x.cell + 1} output ${x.output + 1}`).join(', ');
    assert.deepEqual(r.figuresWithoutPng, [], `figures with only an SVG (an untrusted notebook shows nothing there): ${where(r.figuresWithoutPng)}; run node dist/scripts/notebook-outputs.js`);
    assert.deepEqual(r.markdownWithoutHtml, [], `markdown outputs without HTML: ${where(r.markdownWithoutHtml)}; run node dist/scripts/notebook-outputs.js`);
    for (const cell of nb.cells) for (const o of cell.outputs ?? []) if (isFigureOutput(o)) assert.ok('image/svg+xml' in o.data!, 'figures keep their SVG too (sharp where trusted)');
  });
}
