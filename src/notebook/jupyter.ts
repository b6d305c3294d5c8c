/**
 * Finding a Jupyter, registering the tslab kernel with it, and running notebooks headless.
 *
 * Jupyter is a Python program; the kernel spec must be installed for the Python that Jupyter
 * runs on. That is not always the first `python3` on PATH (e.g. pyenv shims in front of
 * Debian's system python3 that has jupyter-nbconvert), so we ask the `jupyter` launcher itself.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

/** Exit status of EXECUTE_PY when a cell failed (the executed notebook is then in its third argument). */
const CELL_FAILED = 3;

/** argv: source, output, output on failure, per-cell timeout (-1 = none), working directory. */
const EXECUTE_PY = `
import sys, nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
src, out, failed, timeout, cwd = sys.argv[1:6]
nb = nbformat.read(src, as_version=4)
# outputs of an earlier run would survive in the cells after a failing one, and their execution
# counts would make a stale cell look like the last one run
for cell in nb.cells:
    if cell.cell_type == 'code':
        cell.outputs = []
        cell.execution_count = None
client = NotebookClient(nb, timeout=None if int(timeout) < 0 else int(timeout), kernel_name='tslab', resources={'metadata': {'path': cwd}})
try:
    client.execute()
except CellExecutionError:
    nbformat.write(nb, failed)
    sys.exit(${CELL_FAILED})
nbformat.write(nb, out)
`;

/**
 * The message of the cell that stopped a run: the last executed cell's error output or, for tslab,
 * its stderr (where tslab prints the exception), with the cell's first line to find it.
 */
/** An exception as printed by Node: its message lines, without the stack trace below them. */
function messageLines(stderr: string): string {
  const lines = stderr.trim().split('\n');
  const stack = lines.findIndex((l) => /^\s+at /.test(l));
  return (stack < 0 ? lines.slice(-15) : lines.slice(0, stack).slice(-15)).join('\n');
}

export function failedCellMessage(file: string): string {
  const nb = JSON.parse(fs.readFileSync(file, 'utf8')) as { cells: { cell_type: string; execution_count?: number | null; source: string | string[]; outputs?: { output_type: string; ename?: string; evalue?: string; name?: string; text?: string | string[] }[] }[] };
  let last = -1;
  nb.cells.forEach((c, i) => {
    if (c.cell_type === 'code' && c.execution_count != null && (last < 0 || c.execution_count >= (nb.cells[last].execution_count ?? 0))) last = i;
  });
  if (last < 0) return 'no cell ran (the kernel did not start?)';
  const cell = nb.cells[last];
  const text = (t: string | string[] | undefined) => (Array.isArray(t) ? t.join('') : t ?? '');
  const errors = (cell.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`);
  const stderr = (cell.outputs ?? []).filter((o) => o.output_type === 'stream' && o.name === 'stderr').map((o) => text(o.text)).join('');
  const body = errors.length > 0 ? errors.join('\n') : messageLines(stderr) || '(the cell failed without printing a message)';
  const first = text(cell.source).split('\n').find((l) => l.trim() !== '') ?? '';
  return `cell ${last + 1} (${first.trim().slice(0, 80)}):\n${body}`;
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
  // nbclient directly rather than `nbconvert --execute`: when a cell fails, nbconvert writes no
  // notebook and shows tslab's error as "<Error>:" (tslab prints the error to the cell's stderr and
  // sends no ename/evalue). This driver writes the executed notebook either way, so the failing
  // cell's own stderr becomes the message; a failed run never overwrites the source notebook.
  const timeout = options.timeoutSeconds === null ? -1 : options.timeoutSeconds ?? 3600;
  const outDir = options.inPlace ? undefined : path.resolve(options.outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-')));
  if (outDir) fs.mkdirSync(outDir, { recursive: true });
  const outFile = options.inPlace ? path.resolve(file) : path.join(outDir!, path.basename(file));
  const failedFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-failed-')), path.basename(file));
  const args = ['-c', EXECUTE_PY, path.resolve(file), outFile, failedFile, String(timeout), dir];
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
  const failed = status === `exited with ${CELL_FAILED}` && fs.existsSync(failedFile) ? failedCellMessage(failedFile) : undefined;
  fs.rmSync(path.dirname(failedFile), { recursive: true, force: true });
  if (failed !== undefined) return { notebook: file, ok: false, seconds, error: failed };
  if (!fs.existsSync(outFile) || status !== 'exited with 0') {
    const lines = stderr.split('\n').filter((l) => !/debugger|frozen|PYDEVD/i.test(l)).slice(-15);
    const tail = [...(cause && !lines.includes(cause) ? [`kernel: ${cause}`, '...'] : []), ...lines].join('\n');
    return { notebook: file, ok: false, seconds, error: tail || `nbconvert ${status}` };
  }
  const errors = notebookErrors(outFile);
  return { notebook: file, ok: errors.length === 0, seconds, error: errors[0] };
}
