/**
 * Finding a Jupyter, registering the tslab kernel with it, and running notebooks headless.
 *
 * Jupyter is a Python program; the kernel spec must be installed for the Python that Jupyter
 * runs on. That is not always the first `python3` on PATH (e.g. pyenv shims in front of
 * Debian's system python3 that has jupyter-nbconvert), so we ask the `jupyter` launcher itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../data/locate';

export interface JupyterInfo {
  /** Python interpreter Jupyter runs on. */
  python: string;
  /** Whether nbconvert (headless execution) is importable. */
  nbconvert: boolean;
  /** Whether a notebook server (JupyterLab or classic notebook) is importable; which one. */
  server: 'lab' | 'notebook' | null;
}

const HOW_TO_INSTALL =
  'Install Jupyter with one of: `pip install jupyterlab` (any Python 3), ' +
  '`conda install -c conda-forge jupyterlab`, `sudo apt-get install jupyter-notebook jupyter-nbconvert` (Debian/Ubuntu), ' +
  '`brew install jupyterlab` (macOS). Then run `adan-lab notebook` again; ADAN_JUPYTER_PYTHON chooses the Python explicitly.';

function canImport(python: string, module: string): boolean {
  const r = spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore', env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' } });
  return r.status === 0;
}

/** Interpreter named in the shebang of the `jupyter` launcher on PATH, if any. */
function pythonOfJupyterLauncher(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const launcher = path.join(dir, 'jupyter');
    if (!fs.existsSync(launcher)) continue;
    try {
      const first = fs.readFileSync(launcher, 'utf8').split('\n', 1)[0];
      const m = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
      if (!m) continue;
      // "#!/usr/bin/env python3" names a program to look up; "#!/usr/bin/python3" is absolute.
      return m[1].endsWith('/env') && m[2] ? m[2] : m[1];
    } catch {
      continue;
    }
  }
  return undefined;
}

/** The Python that has Jupyter: $ADAN_JUPYTER_PYTHON, the jupyter launcher's, /usr/bin/python3, python3. */
export function findJupyter(): JupyterInfo | null {
  const candidates = [process.env.ADAN_JUPYTER_PYTHON, pythonOfJupyterLauncher(), '/usr/bin/python3', '/usr/local/bin/python3', 'python3']
    .filter((p): p is string => Boolean(p));
  for (const python of [...new Set(candidates)]) {
    if (!canImport(python, 'jupyter_client')) continue;
    const server = canImport(python, 'jupyterlab') ? 'lab' : canImport(python, 'notebook') ? 'notebook' : null;
    return { python, nbconvert: canImport(python, 'nbconvert'), server };
  }
  return null;
}

/** `tslab` as installed in this project's node_modules. */
export function tslabBinary(): string {
  const bin = path.join(projectRoot, 'node_modules', '.bin', 'tslab');
  if (!fs.existsSync(bin)) throw new Error(`tslab is not installed in ${projectRoot}/node_modules: run npm install`);
  return bin;
}

/** Register the tslab kernel for `python`, pointing at this project's tslab by absolute path. */
export function registerKernel(python: string): void {
  const args = ['install', `--python=${python}`, `--binary=${tslabBinary()}`];
  // Root installs system-wide; others into their user kernel folder (tslab's own default).
  const r = spawnSync(tslabBinary(), args, { encoding: 'utf8', env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1' } });
  if (r.status !== 0) throw new Error(`registering the tslab kernel with ${python} failed:\n${r.stderr || r.stdout}`);
}

export function requireJupyter(need: 'server' | 'nbconvert'): JupyterInfo {
  const info = findJupyter();
  if (!info) throw new Error(`no Python with Jupyter found. ${HOW_TO_INSTALL}`);
  if (need === 'server' && !info.server) throw new Error(`${info.python} has Jupyter's client but no notebook server (JupyterLab or notebook). ${HOW_TO_INSTALL}`);
  if (need === 'nbconvert' && !info.nbconvert) throw new Error(`${info.python} has no nbconvert, which runs notebooks headless. ${HOW_TO_INSTALL}`);
  return info;
}

export interface ExecuteResult {
  notebook: string;
  ok: boolean;
  seconds: number;
  /** The first error a cell printed (ename: evalue), if any. */
  error?: string;
}

/** Cells' error outputs of a notebook file, as "ename: evalue" lines. */
export function notebookErrors(file: string): string[] {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { outputs?: { output_type: string; ename?: string; evalue?: string; name?: string; text?: string | string[] }[] }[] };
  const errors: string[] = [];
  nb.cells.forEach((cell, i) => {
    for (const o of cell.outputs ?? []) {
      if (o.output_type === 'error') errors.push(`cell ${i + 1}: ${o.ename}: ${o.evalue}`);
    }
  });
  return errors;
}

/**
 * Execute a notebook headless with nbconvert (cwd = its folder, so `../dist` imports resolve).
 * With `inPlace` the outputs are written back into the file; otherwise into `outDir`.
 * `timeoutSeconds` limits each cell (default 3600; null = no limit). `onTick` is called every
 * `tickSeconds` (default 60) with the seconds elapsed, so a long full-mode run shows it is alive.
 */
export async function executeNotebook(
  file: string,
  options: { python: string; inPlace?: boolean; outDir?: string; env?: NodeJS.ProcessEnv; timeoutSeconds?: number | null; onTick?: (seconds: number) => void; tickSeconds?: number },
): Promise<ExecuteResult> {
  const start = Date.now();
  const dir = path.dirname(path.resolve(file));
  const args = ['-m', 'nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${options.timeoutSeconds === null ? -1 : options.timeoutSeconds ?? 3600}`, '--ExecutePreprocessor.kernel_name=tslab'];
  let outFile: string;
  if (options.inPlace) {
    args.push('--inplace');
    outFile = path.resolve(file);
  } else {
    const outDir = path.resolve(options.outDir ?? fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'adan-nb-')));
    fs.mkdirSync(outDir, { recursive: true });
    outFile = path.join(outDir, path.basename(file));
    args.push('--output', outFile);
  }
  args.push(path.resolve(file));
  const child = spawn(options.python, args, { cwd: dir, env: { ...process.env, PYDEVD_DISABLE_FILE_VALIDATION: '1', ...options.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-64 * 1024);
  });
  const tick = options.onTick ? setInterval(() => options.onTick!((Date.now() - start) / 1000), 1000 * (options.tickSeconds ?? 60)) : undefined;
  let cause: string | undefined;
  child.stderr!.on('data', (chunk: string) => {
    // a dead kernel's own message (e.g. Node's "Error: ...") comes long before nbconvert's traceback
    cause ??= chunk.split('\n').find((l) => /^(\w*Error|FATAL ERROR)\b/.test(l));
  });
  const status = await new Promise<string>((resolve) => {
    child.on('error', (err) => {
      stderr += `\n${err.message}`;
      resolve('failed to start');
    });
    child.on('close', (code, signal) => resolve(signal ? `killed by ${signal}` : `exited with ${code}`));
  });
  if (tick) clearInterval(tick);
  const seconds = (Date.now() - start) / 1000;
  if (!fs.existsSync(outFile) || status !== 'exited with 0') {
    const lines = stderr.split('\n').filter((l) => !/debugger|frozen|PYDEVD/i.test(l)).slice(-15);
    const tail = [...(cause && !lines.includes(cause) ? [`kernel: ${cause}`, '...'] : []), ...lines].join('\n');
    return { notebook: file, ok: false, seconds, error: tail || `nbconvert ${status}` };
  }
  const errors = notebookErrors(outFile);
  return { notebook: file, ok: errors.length === 0, seconds, error: errors[0] };
}
