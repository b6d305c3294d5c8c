import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { readOpensmileCsv } from '../src/data/readers/opensmile';
import { realData } from './real-data';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');
const wav = realData('emodb-wav');

test('extract --set is11 writes SMILExtract\'s CSV layout that matches openSMILE on real files', { skip: wav.skip }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-extract-'));
  const out = path.join(dir, 'f.csv');
  const files = ['03a01Fa.wav', '16b10Td.wav'].map((f) => path.join(wav.path, f));
  const r = spawnSync(process.execPath, [bin, 'extract', '--set', 'is11', ...files, '--out', out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const ours = readOpensmileCsv(out);
  const ref = readOpensmileCsv(path.join(wav.path, 'opensmile-is11.csv'));
  assert.equal(ours.n, 2);
  assert.deepEqual(ours.featureNames, ref.featureNames);
  // Mean energy functionals agree closely with openSMILE's row for the same file.
  for (const [r0, file] of ['03a01Fa', '16b10Td'].entries()) {
    const refRow = ref.rowNames.findIndex((n) => n.replace(/\.wav$/, '') === file);
    assert.ok(refRow >= 0);
    const j = ref.featureNames.indexOf('pcm_RMSenergy_sma_amean');
    const a = ours.x[r0 * ours.d + j], b = ref.x[refRow * ref.d + j];
    assert.ok(Math.abs(a - b) <= 1e-3 * Math.abs(b) + 1e-6, `${file}: ${a} vs ${b}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('extract refuses a missing --out, an unknown set or engine, and a missing file', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [bin, 'extract', ...args], { encoding: 'utf8' });
  const noOut = run('x.wav');
  assert.equal(noOut.status, 2);
  assert.match(noOut.stderr, /required option '--out <csv>' not specified/);
  assert.match(run('--set', 'is09', 'x.wav', '--out', 'o.csv').stderr, /option '--set <name>' argument 'is09' is invalid\. Allowed choices are is11/);
  assert.match(run('no-such.wav', '--out', path.join(os.tmpdir(), 'o.csv')).stderr, /no-such\.wav: no such file/);
  const engine = run('--engine', 'praat', __filename, '--out', path.join(os.tmpdir(), 'o.csv'));
  assert.equal(engine.status, 2);
  assert.match(engine.stderr, /option '--engine <name>' argument 'praat' is invalid/);
});
