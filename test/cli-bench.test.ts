import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';

const bin = path.join(projectRoot, 'bin', 'adan-lab.js');

test('bench --json prints the Table III figures, the sgemm rate and the FLOPs of one iteration', () => {
  const r = spawnSync(process.execPath, [bin, 'bench', '--json', '--epochs', '1', '--no-profile'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(typeof j.backend, 'string');
  assert.ok(j.msPerIteration > 0);
  assert.deepEqual(Object.keys(j.epochSeconds).sort(), ['10000', '2000', '480']);
  // Epochs of 480, 2000 and 10000 rows are 3, 15 and 78 full batches of 128.
  assert.ok(Math.abs(j.epochSeconds['2000'] / j.epochSeconds['480'] - 15 / 3) < 0.05);
  assert.ok(j.sgemmGflops > 0);
  assert.ok(j.iterationFlops > 7e9 && j.iterationFlops < 7.3e9, `iteration FLOPs ${j.iterationFlops}`);
});

test('bench refuses a bad flag value', () => {
  const r = spawnSync(process.execPath, [bin, 'bench', '--epochs', '0'], { encoding: 'utf8' });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /--epochs: got "0"/);
});
