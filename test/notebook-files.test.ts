/**
 * The notebooks in notebooks/ as files: valid nbformat 4 JSON for the tslab kernel, cells that
 * import only the compiled library (`../dist/src/...`), a parameter cell that reads quick/full
 * through src/notebook, and stored outputs that stay diffable (no error outputs, no big PNGs,
 * no execution timing). Executing them is CI's separate step (`adan-lab notebooks run --quick`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { TSLAB_KERNELSPEC } from '../src/notebook/clean';

const dir = path.join(projectRoot, 'notebooks');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort() : [];

interface Cell { cell_type: string; source: string | string[]; metadata?: { tags?: string[]; execution?: unknown }; outputs?: { output_type: string; data?: Record<string, unknown> }[] }
const text = (s: string | string[]): string => (Array.isArray(s) ? s.join('') : s);

test('the notebooks of every section are there, numbered in reading order', () => {
  const names = files.map((f) => f.replace(/\.ipynb$/, ''));
  for (const want of ['01-data', '02-training-dynamics', '03-latent-space', '04-emodb', '05-iemocap', '06-imbalance', '07-efficiency', '08-playground']) {
    assert.ok(names.includes(want), `notebooks/${want}.ipynb is missing (have: ${names.join(', ')})`);
  }
});

for (const file of files) {
  test(`${file}: nbformat 4, tslab kernel, imports from ../dist/src (or a benchmark) only, a parameter cell, clean outputs`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { nbformat: number; nbformat_minor: number; metadata: { kernelspec?: Record<string, string> }; cells: Cell[] };
    assert.equal(nb.nbformat, 4);
    assert.ok(Number.isInteger(nb.nbformat_minor));
    assert.deepEqual(nb.metadata.kernelspec, { ...TSLAB_KERNELSPEC });
    assert.ok(Array.isArray(nb.cells) && nb.cells.length > 2, 'a notebook has cells');
    assert.equal(nb.cells[0].cell_type, 'markdown', 'the first cell says what the notebook shows');

    const code = nb.cells.filter((c) => c.cell_type === 'code');
    for (const [i, cell] of code.entries()) {
      const src = text(cell.source);
      for (const m of src.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)) {
        assert.match(m[1], /^\.\.\/dist\/(src|bench)\//, `code cell ${i + 1} imports ${m[1]}: cells import the compiled library (../dist/src/...) or a benchmark (../dist/bench/...) only`);
      }
      assert.doesNotMatch(src, /import\s*\(\s*['"]vega/, `code cell ${i + 1}: vega/vega-lite are loaded by src/plot, not by cells`);
      for (const o of cell.outputs ?? []) {
        assert.notEqual(o.output_type, 'error', `code cell ${i + 1} stored an error output`);
        const png = o.data?.['image/png'] as string | string[] | undefined;
        if (png !== undefined) assert.ok(text(png).length < 200_000, `code cell ${i + 1} stores a PNG of ${text(png).length} characters: show SVG instead`);
        const svg = o.data?.['image/svg+xml'] as string | string[] | undefined;
        if (svg !== undefined) assert.ok(Math.max(...text(svg).split('\n').map((l) => l.length)) < 20_000, `code cell ${i + 1} stores an SVG with a very long line: run node dist/src/notebook/clean.js`);
      }
      assert.equal(cell.metadata?.execution, undefined, `code cell ${i + 1} keeps execution timing metadata: run node dist/src/notebook/clean.js`);
    }

    const params = code.filter((c) => c.metadata?.tags?.includes('parameters'));
    assert.equal(params.length, 1, 'exactly one code cell tagged "parameters"');
    assert.equal(code.indexOf(params[0]), 0, 'the parameter cell is the first code cell');
    assert.match(text(params[0].source), /notebookParams\(\s*'[\w.-]+'/, 'the parameter cell resolves quick/full settings with notebookParams');
    assert.match(text(params[0].source), /quick:\s*\{[\s\S]*full:\s*\{/, 'the parameter cell gives quick and full settings');
  });
}
