/**
 * `adan-lab notebook`: register the tslab kernel with the Python that has Jupyter, then start
 * Jupyter on notebooks/. `adan-lab notebooks run [--quick] [--in-place] [FILES]`: execute the
 * notebooks headless (CI runs them in quick mode and fails on any error output).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseFlags } from './flags';
import { projectRoot } from '../data/locate';
import { executeNotebook, registerKernel, requireJupyter } from '../notebook/jupyter';
import { cleanNotebookFile } from '../notebook/clean';

const notebooksDir = path.join(projectRoot, 'notebooks');

export async function startNotebook(argv: string[]): Promise<number> {
  parseFlags(argv, {}, false);
  const info = requireJupyter('server');
  registerKernel(info.python);
  console.error(`adan-lab: tslab kernel registered with ${info.python}; starting Jupyter${info.server === 'lab' ? 'Lab' : ' Notebook'} on ${notebooksDir}`);
  const child = spawn(info.python, ['-m', info.server === 'lab' ? 'jupyterlab' : 'notebook', `--notebook-dir=${notebooksDir}`], { stdio: 'inherit' });
  return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

export async function runNotebooks(argv: string[]): Promise<number> {
  const { values, positionals } = parseFlags(argv, { quick: { type: 'boolean' }, 'in-place': { type: 'boolean' }, out: { type: 'string' } });
  const info = requireJupyter('nbconvert');
  registerKernel(info.python);
  const files = positionals.length > 0
    ? positionals
    : fs.readdirSync(notebooksDir).filter((f) => /^\d.*\.ipynb$/.test(f)).sort().map((f) => path.join(notebooksDir, f));
  if (files.length === 0) throw new Error(`no notebooks found in ${notebooksDir}`);
  let failed = 0;
  for (const file of files) {
    console.error(`adan-lab: executing ${path.relative(projectRoot, file)}${values.quick ? ' (quick)' : ''} ...`);
    const r = await executeNotebook(file, {
      python: info.python,
      inPlace: Boolean(values['in-place']),
      outDir: values.out as string | undefined,
      env: values.quick ? { ADAN_QUICK: '1' } : {},
      // full mode trains 1500-epoch models inside one cell: no per-cell limit
      timeoutSeconds: values.quick ? 3600 : null,
      onTick: (s) => console.error(`  still running: ${Math.round(s / 60)} min`),
    });
    console.error(`  ${r.ok ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(0)} s${r.error ? `\n  ${r.error.replace(/\n/g, '\n  ')}` : ''}`);
    // Outputs written into the notebook are committed: strip timings and split SVGs into lines.
    if (values['in-place'] && r.ok) cleanNotebookFile(file);
    if (!r.ok) failed++;
  }
  console.log(`notebooks: ${files.length - failed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}
