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
  // E and R (4354-800-800-100 and back, batch 128) alone: their five 128x4354x800 products
  // (E and R forward, R's weight and input gradients, E's weight gradient), six 128x800x800 and
  // six 128x800x100 ones = 5.564 GFLOP; C, G and D (with the penalty's double backward) add ~0.5
  const er = 2 * 128 * (5 * 4354 * 800 + 6 * 800 * 800 + 6 * 800 * 100);
  assert.ok(j.iterationFlops > er + 0.3e9 && j.iterationFlops < er + 0.7e9, `iteration FLOPs ${j.iterationFlops}`);
});

test('bench refuses a bad flag value', () => {
  const r = spawnSync(process.execPath, [bin, 'bench', '--epochs', '0'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /option '--epochs <n>' argument '0' is invalid\. expected a whole number >= 1/);
});
