/**
 * `adan-lab notebook`: register the tslab kernel with the Python that has Jupyter, then start
 * Jupyter on notebooks/ at 127.0.0.1 with a token, and print the URL. `adan-lab notebooks run`:
 * execute the notebooks headless (CI runs them in quick mode and fails on any error output).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { wholeNumber } from './options';
import { UsageError } from './errors';

export function registerNotebook(program: Command): void {
  program
    .command('notebook')
    .summary('register the tslab kernel and start Jupyter on notebooks/ (127.0.0.1, with a token)')
    .addOption(new Option('--port <n>', 'port of the Jupyter server').argParser(wholeNumber(1, 65535)).default(8888))
    .option('--allow-root', 'let Jupyter run as root (it refuses otherwise); say so explicitly, e.g. in a container', false)
    .action(async (o) => {
      const { projectRoot } = await import('../data/locate.js');
      const { registerKernel, requireJupyter } = await import('../notebook/jupyter.js');
      const info = requireJupyter('server');
      if (process.getuid?.() === 0 && !o.allowRoot) throw new UsageError('Jupyter refuses to run as root: run adan-lab notebook as another user, or pass --allow-root if this is a container you mean to run it in as root');
      registerKernel(info.python);
      const dir = path.join(projectRoot, 'notebooks');
      const token = randomBytes(16).toString('hex');
      const app = info.server === 'lab' ? 'jupyterlab' : 'notebook';
      const args = ['-m', app, `--notebook-dir=${dir}`, '--ip=127.0.0.1', `--port=${o.port}`, `--IdentityProvider.token=${token}`, `--ServerApp.token=${token}`, '--no-browser', ...(o.allowRoot ? ['--allow-root'] : [])];
      console.error(`adan-lab: tslab kernel registered with ${info.python}; starting Jupyter${info.server === 'lab' ? 'Lab' : ' Notebook'} on ${dir}`);
      console.error(`adan-lab: open http://127.0.0.1:${o.port}/?token=${token}  (Ctrl-C stops the server)`);
      const child = spawn(info.python, args, { stdio: 'inherit' });
      const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? 0)));
      if (code !== 0) throw new Error(`Jupyter exited with code ${code}; run \`adan-lab notebook\` again after fixing what it printed above`);
    });
  const notebooks = program.command('notebooks').summary('run the notebooks headless');
  notebooks
    .command('run')
    .summary('execute the notebooks headless (CI: --quick), failing on any error output')
    .argument('[files...]', 'notebooks to run (default: every numbered notebook in notebooks/)')
    .option('--quick', 'quick mode (ADAN_QUICK=1): minutes instead of hours', false)
    .option('--in-place', 'write the outputs back into the notebooks (cleaned for git)', false)
    .option('--out <dir>', 'write the executed notebooks here instead')
    .action(async (files: string[], o) => {
      const { projectRoot } = await import('../data/locate.js');
      const { executeNotebook, registerKernel, requireJupyter } = await import('../notebook/jupyter.js');
      const { cleanNotebookFile } = await import('../notebook/clean.js');
      const dir = path.join(projectRoot, 'notebooks');
      const info = requireJupyter('nbconvert');
      registerKernel(info.python);
      const list = files.length > 0 ? files : fs.readdirSync(dir).filter((f) => /^\d.*\.ipynb$/.test(f)).sort().map((f) => path.join(dir, f));
      if (list.length === 0) throw new Error(`no notebooks found in ${dir}`);
      let failed = 0;
      for (const file of list) {
        console.error(`adan-lab: executing ${path.relative(projectRoot, file)}${o.quick ? ' (quick)' : ''} ...`);
        const r = await executeNotebook(file, {
          python: info.python,
          inPlace: Boolean(o.inPlace),
          outDir: o.out,
          env: o.quick ? { ADAN_QUICK: '1' } : {},
          // full mode trains 1500-epoch models inside one cell: no per-cell limit
          timeoutSeconds: o.quick ? 3600 : null,
          onTick: (s) => console.error(`  still running: ${Math.round(s / 60)} min`),
        });
        console.error(`  ${r.ok ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(0)} s${r.error ? `\n  ${r.error.replace(/\n/g, '\n  ')}` : ''}`);
        // outputs written into the notebook are committed: strip timings and split SVGs into lines
        if (o.inPlace && r.ok) cleanNotebookFile(file);
        if (!r.ok) failed++;
      }
      console.log(`notebooks: ${list.length - failed} passed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });
}
