/**
 * `bench --grid`'s projection: the cost model through two measured sizes, and the grid's units
 * priced by hand-computable costs on the real EmoDB plan of both protocols (skipped without the
 * corpus). The timings themselves are benchmarks (BENCHMARKS.md), never asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { projectRoot } from '../src/data/locate';
import { withNoisyCopies } from '../bench/grid';
import { costModel, gridCost } from '../src/experiment/projection';
import { reproduceGrid } from '../src/experiment/grid';
import { prepareExperiment } from '../src/experiment/prepare';
import { realData } from './real-data';
import { makeSynthetic } from '../src/data/synthetic';
import { buildProgram } from '../src/cli/program';

const rd = realData('emodb-is11');

test('costModel: a + b rows through two points; the RBF SVM by the exponent between them, kept in [1, 2]', () => {
  const lin = costModel('dnn-code', [{ rows: 500, seconds: 2 }, { rows: 5500, seconds: 12 }]);
  assert.equal(lin(500), 2);
  assert.equal(lin(3000), 7);
  const rbf = costModel('svm-rbf', [{ rows: 500, seconds: 1 }, { rows: 1000, seconds: 2 ** 1.5 }]);
  assert.ok(Math.abs(rbf(4000) - 8 ** 1.5) < 1e-9);
  const steep = costModel('svm-rbf', [{ rows: 100, seconds: 1 }, { rows: 200, seconds: 10 }]);
  assert.ok(Math.abs(steep(400) - 16) < 1e-9, 'exponent clamped to 2');
  assert.equal(costModel('svm-linear', [{ rows: 400, seconds: 2 }])(800), 4, 'one point: proportional');
});

test('withNoisyCopies adds seeded copies: same seed same rows, labels repeated', () => {
  const d = makeSynthetic({ n: 40, d: 5, seed: 1 });
  const a = withNoisyCopies(d, 2, 7);
  const b = withNoisyCopies(d, 2, 7);
  assert.equal(a.n, 120);
  assert.deepEqual(a.x, b.x);
  assert.deepEqual([...a.y.subarray(40, 80)], [...d.y]);
  assert.notDeepEqual(a.x.subarray(40, 80), d.x);
  assert.equal(withNoisyCopies(d, 0, 7), d);
});

test('gridCost prices every unit of the EmoDB grids: fits at 1,500 epochs each, units by their rows', { skip: rd.skip }, async () => {
  for (const protocol of ['paper', 'code'] as const) {
    const prep = await prepareExperiment(reproduceGrid('emodb', { protocol }));
    // 1 s per epoch, 1 s per unit whatever its rows: 5 trained methods x 10 folds x 1,500 epochs; 4,860 units
    const flat = gridCost(prep, protocol, () => 1, () => 1);
    assert.equal(flat.fits, 5 * 10 * 1500, protocol);
    const units = Object.entries(flat).filter(([k]) => k !== 'fits').reduce((s, [, v]) => s + v, 0);
    assert.equal(units, 4860, `${protocol}: units`);
    assert.deepEqual(Object.keys(flat).sort(), protocol === 'paper' ? ['dnn-paper', 'fits', 'svm-linear'] : ['dnn-code', 'fits', 'svm-rbf']);
    // priced by rows: each unit costs its training rows, (1 + sets) x the fold's real rows (535 - the test speaker's)
    const byRows = gridCost(prep, protocol, () => 0, (_k, rows) => rows);
    // 3 repeats x (the real-only unit + 8 methods x sets 1..10, whose 1 + sets sum to 65)
    const perClassifier = prep.folds.reduce((s, f) => s + f.train.n, 0) * 3 * (1 + 8 * 65);
    assert.equal(byRows[protocol === 'paper' ? 'svm-linear' : 'svm-rbf'], perClassifier, `${protocol}: SVM rows`);
  }
});

test("gridCost with the other protocol's fits loaded (--reuse-fits): GAN, cGAN and AAE are shared, ADAN and WADAN are not", { skip: rd.skip }, async () => {
  const paper = await prepareExperiment(reproduceGrid('emodb', { protocol: 'paper' }));
  const code = await prepareExperiment(reproduceGrid('emodb', { protocol: 'code' }));
  const trained = (g: (typeof code.groups)[number]) => g.augmenter !== undefined && ['gan', 'cgan', 'aae', 'adan', 'wadan'].includes(g.augmenter.method);
  const codeFits = new Set(code.groups.filter(trained).map((g) => g.key));
  // 1 s an epoch: 2 methods x 10 folds x 1,500 epochs left to fit, whichever grid runs second
  assert.equal(gridCost(paper, 'paper', () => 1, () => 0, codeFits).fits, 2 * 10 * 1500);
  const paperFits = new Set(paper.groups.filter(trained).map((g) => g.key));
  assert.equal(gridCost(code, 'code', () => 1, () => 0, paperFits).fits, 2 * 10 * 1500);
  // the classifier units are all still computed
  assert.deepEqual(gridCost(paper, 'paper', () => 0, () => 1, codeFits), gridCost(paper, 'paper', () => 0, () => 1));
});

test('bench --grid refuses an unknown corpus, naming the flag', () => {
  const r = spawnSync(process.execPath, [path.join(projectRoot, 'bin', 'adan-lab.js'), 'bench', '--grid', '--datasets', 'emodb,timit'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--datasets <list>.*timit/);
});

test('bench --grid without --datasets measures both corpora (the default is a list, not its text)', async () => {
  let seen: unknown;
  const program = buildProgram();
  const bench = program.commands.find((c: { name(): string }) => c.name() === 'bench')!;
  bench.action((o: { datasets: unknown }) => {
    seen = o.datasets;
  });
  await program.parseAsync(['node', 'adan-lab', 'bench', '--grid']);
  assert.deepEqual(seen, ['emodb', 'iemocap']);
});
