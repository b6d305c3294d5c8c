/**
 * The notebooks in notebooks/ as files: valid nbformat 4 JSON for the tslab kernel, cells that
 * import only the library's entry point (`../dist/src/index`, or a benchmark from `../dist/bench/`)
 * and cast nothing to any/never (a cast there hides a library type that should be better), a
 * parameter cell that reads quick/full through src/notebook, and stored outputs that stay
 * diffable (no error outputs, no big PNGs, no execution timing). Executing them is CI's separate
 * step (`adan-lab notebooks run --quick`); test/notebook-typecheck.test.ts compiles their cells.
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

/** What a cell may import: the library's one entry point (src/index.ts), or a benchmark (not part of the library). */
const ENTRY_POINT = '../dist/src/index';
const BENCHMARK = /^\.\.\/dist\/bench\/[\w-]+$/;

/** The module specifiers a cell imports (static, dynamic, require). */
function importedModules(src: string): string[] {
  return [...src.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\brequire\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]);
}

/** The casts a cell may not make: to any, to never, or through unknown. */
const FORBIDDEN_CAST = /\bas\s+(?:any|never|unknown\s+as)\b/;

test('the notebooks of every section are there, numbered in reading order', () => {
  const names = files.map((f) => f.replace(/\.ipynb$/, ''));
  for (const want of ['01-data', '02-training-dynamics', '03-latent-space', '04-emodb', '05-iemocap', '06-imbalance', '07-efficiency', '08-playground']) {
    assert.ok(names.includes(want), `notebooks/${want}.ipynb is missing (have: ${names.join(', ')})`);
  }
});

for (const file of files) {
  test(`${file}: nbformat 4, tslab kernel, imports from the entry point (or a benchmark) only, no any/never casts, a parameter cell, clean outputs`, () => {
    const nb = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { nbformat: number; nbformat_minor: number; metadata: { kernelspec?: Record<string, string> }; cells: Cell[] };
    assert.equal(nb.nbformat, 4);
    assert.ok(Number.isInteger(nb.nbformat_minor));
    assert.deepEqual(nb.metadata.kernelspec, { ...TSLAB_KERNELSPEC });
    assert.ok(Array.isArray(nb.cells) && nb.cells.length > 2, 'a notebook has cells');
    assert.equal(nb.cells[0].cell_type, 'markdown', 'the first cell says what the notebook shows');

    const code = nb.cells.filter((c) => c.cell_type === 'code');
    for (const [i, cell] of code.entries()) {
      const src = text(cell.source);
      assert.doesNotMatch(src, /import\s*\(\s*['"]vega/, `code cell ${i + 1}: vega/vega-lite are loaded by src/plot, not by cells`);
      for (const m of importedModules(src)) {
        assert.ok(m === ENTRY_POINT || BENCHMARK.test(m), `code cell ${i + 1} imports ${m}: cells import the library's entry point ('${ENTRY_POINT}', which exports every room) or a benchmark (../dist/bench/NAME) only`);
      }
      const cast = src.match(FORBIDDEN_CAST);
      assert.equal(cast, null, `code cell ${i + 1} casts (${cast?.[0]}): type the library so the cell needs no cast`);
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

test('the import and cast checks catch deep imports and casts, and pass the allowed forms', () => {
  assert.deepEqual(importedModules("import { a } from '../dist/src/index';\nimport {\n  b,\n} from '../dist/src/notebook';\nconst c = await import('../dist/src/plot');\nrequire('vega');\nimport '../dist/src/x';"), ['../dist/src/index', '../dist/src/notebook', '../dist/src/plot', 'vega', '../dist/src/x']);
  assert.ok(BENCHMARK.test('../dist/bench/table3'));
  assert.ok(!BENCHMARK.test('../dist/bench/../src/notebook'));
  for (const bad of ['f(x as any)', 'f({} as never)', 'x as unknown as Y']) assert.match(bad, FORBIDDEN_CAST, bad);
  for (const ok of ["const xs = [1] as const", 'undefined as string | undefined', 'o satisfies Partial<T>', 'read as anything', 'as nevertheless']) assert.doesNotMatch(ok, FORBIDDEN_CAST, ok);
});
