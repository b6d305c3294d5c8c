/**
 * `adan-lab notebooks run` on a notebook whose cell throws: the report names the cell and carries
 * the exception's own message (tslab prints it to the cell's stderr and sends no ename/evalue, so
 * nbconvert alone showed "<Error>:"). Needs Jupyter with nbclient; skips with the reason otherwise.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { executeNotebook, findJupyter, registerKernel } from '../src/notebook/jupyter';
import { TSLAB_KERNELSPEC } from '../src/notebook/clean';

const jupyter = findJupyter();
const skip = !jupyter?.nbconvert ? 'no Python with Jupyter and nbconvert here (CI installs them)' : false;

/** Code cells; `stale` gives cell i the outputs and execution count of an earlier run. */
function notebook(cells: string[], stale: Record<number, number> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-test-'));
  const file = path.join(dir, 'failing.ipynb');
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: TSLAB_KERNELSPEC },
    cells: cells.map((source, i) => ({
      id: `c${i}`, cell_type: 'code', metadata: {}, source,
      execution_count: stale[i] ?? null,
      outputs: stale[i] ? [{ output_type: 'stream', name: 'stdout', text: 'from an earlier run\n' }] : [],
    })),
  };
  fs.writeFileSync(file, JSON.stringify(nb));
  return file;
}

test('a failing cell is reported with its number, first line and its exception message; the source is left alone', { skip }, async () => {
  registerKernel(jupyter!.python);
  // the cell after the broken one keeps an earlier run's outputs and a higher execution count
  const file = notebook(['const a = 1 + 1;\nconsole.log(a);', '// the broken cell\nclass BadInput extends Error {}\nthrow new BadInput("data/x.csv: column 3 is not a number");', 'console.log("never runs");'], { 2: 9 });
  const before = fs.readFileSync(file, 'utf8');
  const r = await executeNotebook(file, { python: jupyter!.python, inPlace: true, timeoutSeconds: 120 });
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /^cell 2 \(\/\/ the broken cell\):/);
  assert.match(r.error ?? '', /data\/x\.csv: column 3 is not a number/);
  assert.doesNotMatch(r.error ?? '', /^\s+at /m, 'no stack trace lines');
  assert.equal(fs.readFileSync(file, 'utf8'), before, 'a failed in-place run leaves the notebook as it was');
});

test('a notebook that runs through is ok and its outputs are written', { skip }, async () => {
  registerKernel(jupyter!.python);
  const file = notebook(['console.log(6 * 7);']);
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-nb-out-'));
  const r = await executeNotebook(file, { python: jupyter!.python, outDir: out, timeoutSeconds: 120 });
  assert.equal(r.ok, true, r.error);
  const done = JSON.parse(fs.readFileSync(path.join(out, 'failing.ipynb'), 'utf8')) as { cells: { outputs: { text?: string | string[] }[] }[] };
  assert.match([done.cells[0].outputs[0].text].flat().join(''), /42/);
});
