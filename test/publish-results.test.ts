import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { runExperiment } from '../src/experiment/runner';
import { ncmFactory, smallData, tempDir } from './experiment-fixtures';

test('publish-results writes the committed tables of a store: text tables, per-unit rows, paired comparisons, fits', async () => {
  const store = tempDir('publish');
  await runExperiment({ data: smallData(), augment: ['none', 'copy', 'noise'], sets: [0, 1, 2], repeats: 2, classifiers: ['ncm'], protocol: 'paper' }, { storeDir: store, classifiers: ncmFactory() });
  const out = tempDir('published');
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), store, out], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['table.txt', 'curves.txt', 'paired.txt', 'best.csv', 'summary.csv', 'curves.csv', 'units.csv', 'paired.csv', 'fits.csv']) assert.ok(fs.existsSync(path.join(out, f)), f);
  const units = fs.readFileSync(path.join(out, 'units.csv'), 'utf8').trim().split('\n');
  assert.equal(units.length - 1, 4 * (1 + 2 * 2) * 2, 'one row per unit');
  assert.match(units[0], /fold.*repeat.*uar/);
  const paired = fs.readFileSync(path.join(out, 'paired.csv'), 'utf8').trim().split('\n');
  assert.equal(paired[0], 'dataset,method,augment,classifier,sets,against,delta,low,high,p,folds,repeats');
  assert.match(fs.readFileSync(path.join(out, 'table.txt'), 'utf8'), /protocol paper/);
  assert.equal(spawnSync(process.execPath, [path.join(projectRoot, 'dist', 'scripts', 'publish-results.js'), path.join(out, 'nope'), out]).status, 1);
});
