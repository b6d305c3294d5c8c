/**
 * The shape of the code, checked: modules load without import cycles, layers import downwards
 * (nothing below the CLI imports it; the compute backend knows nothing of the augmenters), the
 * runner imports openly, the run loop stays short, and the paper's epoch count has one home.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';

const src = path.join(projectRoot, 'src');

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

/** Value imports (not `import type`, not lazy `import()`) of every module of src/, resolved to files. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of tsFiles(src)) {
    const text = fs.readFileSync(file, 'utf8');
    const deps: string[] = [];
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gms)) {
      let target = path.resolve(path.dirname(file), m[1]);
      if (fs.existsSync(`${target}.ts`)) target = `${target}.ts`;
      else if (fs.existsSync(path.join(target, 'index.ts'))) target = path.join(target, 'index.ts');
      else continue;
      deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

const rel = (f: string): string => path.relative(src, f);

test('no import cycle anywhere in src/', () => {
  const graph = importGraph();
  const state = new Map<string, 1 | 2>();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (u: string): void => {
    state.set(u, 1);
    stack.push(u);
    for (const v of graph.get(u) ?? []) {
      if (state.get(v) === 1) cycles.push(stack.slice(stack.indexOf(v)).concat(v).map(rel).join(' -> '));
      else if (!state.has(v)) visit(v);
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  assert.deepEqual(cycles, []);
  assert.ok(graph.size > 50, 'the graph covers the library');
});

test('layers import downwards: nothing below cli/ imports cli/; backend/ imports nothing from augment/', () => {
  const bad: string[] = [];
  for (const [file, deps] of importGraph()) {
    for (const d of deps) {
      if (!rel(file).startsWith('cli/') && rel(d).startsWith('cli/')) bad.push(`${rel(file)} -> ${rel(d)}`);
      if (rel(file).startsWith('backend/') && rel(d).startsWith('augment/')) bad.push(`${rel(file)} -> ${rel(d)}`);
    }
  }
  assert.deepEqual(bad, []);
});

test('the runner imports openly (no require in src/experiment/) and runExperiment fits on one screen', () => {
  const hidden = tsFiles(path.join(src, 'experiment')).filter((f) => /\brequire\(/.test(fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '')));
  assert.deepEqual(hidden.map(rel), []);
  const runner = fs.readFileSync(path.join(src, 'experiment', 'runner.ts'), 'utf8').split('\n');
  const start = runner.findIndex((l) => l.startsWith('export async function runExperiment'));
  const end = runner.findIndex((l, i) => i > start && l === '}');
  assert.ok(start >= 0 && end > start);
  assert.ok(end - start + 1 <= 60, `runExperiment is ${end - start + 1} lines`);
});

test("the paper's 1,500 epochs are written once in src/ (protocol/paper.ts); everything else names PAPER_EPOCHS", () => {
  const code = (f: string): string => fs.readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
  const hits = tsFiles(src).filter((f) => /(?<![\d.])1_?500(?![\d])/.test(code(f)) && !f.endsWith(path.join('analysis', 'tsne.ts')));
  assert.deepEqual(hits.map(rel), ['protocol/paper.ts']);
});
