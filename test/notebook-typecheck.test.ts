/**
 * The code cells of every notebook type-check against the compiled library's declarations
 * (dist/src/**.d.ts), as tslab will compile them: a wrong argument or a renamed export fails
 * here in seconds instead of in CI's headless notebook run (where tslab reports a compile
 * error only as an empty "Error"). Cells are joined in order into one module per notebook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as ts from 'typescript';
import { projectRoot } from '../src/data/locate';

const dir = path.join(projectRoot, 'notebooks');
const dist = path.join(projectRoot, 'dist', 'src');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort() : [];

test('notebook code cells type-check against dist/src', { skip: !fs.existsSync(path.join(dist, 'notebook', 'index.d.ts')) && 'dist/src is not built (npm run build)' }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-typecheck-'));
  try {
    const sources = files.map((f) => {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { cells: { cell_type: string; source: string | string[] }[] };
      const code = nb.cells.filter((c) => c.cell_type === 'code').map((c) => (Array.isArray(c.source) ? c.source.join('') : c.source)).join('\n');
      const out = path.join(tmp, f.replace(/\.ipynb$/, '.ts'));
      fs.writeFileSync(out, code.replace(/(['"])\.\.\/dist\/src\//g, (_, q: string) => `${q}${dist}/`).replace(/(['"])\.\.\/dist\/bench\//g, (_, q: string) => `${q}${path.join(projectRoot, 'dist', 'bench')}/`) + '\nexport {};\n');
      return out;
    });
    const program = ts.createProgram(sources, {
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      types: ['node'],
      typeRoots: [path.join(projectRoot, 'node_modules', '@types')],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => {
      const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName).replace(/\.ts$/, '.ipynb')}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    });
    assert.deepEqual(problems, [], `notebook cells do not type-check:\n${problems.join('\n')}`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
