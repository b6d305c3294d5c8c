/** src/notebook/results.ts and table-markdown.ts: a grid's results from a store or from the committed tables, and Table I as markdown. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCsv, bestRowsFromCsv, readResultTables, optionalResultTables, gridResults, optionalGridResults, tableCoverage, storeCoverage } from '../src/notebook/results';
import { tableMarkdown, pairedMarkdown, meanDelta, seedSpreadMarkdown } from '../src/notebook/table-markdown';
import { committedResults, figureDir, provenance, reproduceStore, notebookParams } from '../src/notebook/quick';
import { reproduceGrid } from '../src/experiment/grid';
import { PAPER_TABLE_I } from '../src/protocol/paper';
import { projectRoot } from '../src/data/locate';
import { toCsv } from '../src/experiment/output';

test('parseCsv reads what toCsv writes: quoted commas, doubled quotes, CRLF, a missing last newline', () => {
  const rows = [{ a: 'x,y', b: 'say "hi"', c: '' }, { a: '1', b: '2', c: '3' }];
  assert.deepEqual(parseCsv(toCsv(rows)), rows);
  assert.deepEqual(parseCsv('a,b\r\n1,"2,3"'), [{ a: '1', b: '2,3' }]);
  assert.deepEqual(parseCsv(''), []);
});

test('readResultTables reads the committed EmoDB tables: every point, Table I rows, curves', () => {
  const t = readResultTables(committedResults('emodb'));
  assert.equal(t.source, 'tables');
  assert.equal(t.from, path.join('docs', 'results', 'emodb'));
  assert.equal(t.summary.length, 172, 'real-only and 8 methods x 10 sets, for SVM and DNN, and the steps control (DNN)');
  assert.equal(t.best.length, 19);
  const wadan = t.best.find((b) => b.method === 'wadan' && b.classifier === 'dnn')!;
  assert.equal(wadan.sets, 3);
  assert.equal(wadan.folds, 10);
  assert.equal((100 * wadan.uar).toFixed(2), '78.38');
  assert.equal((100 * wadan.baselineUar).toFixed(2), '76.66');
  assert.equal(t.records, null);
  // published with the inner selection: each fold's choice, and the UAR read at them (table.txt's "inner UAR")
  assert.match(wadan.setsInner, /^1:\d+ 2:\d+ 3:\d+ 4:\d+ 5:\d+ 6:\d+ 7:\d+ 8:\d+ 9:\d+ 10:\d+$/);
  assert.equal((100 * wadan.uarInner).toFixed(2), '77.50');
  // a best.csv published before inner selection lacks those columns: read as a store without inner units gives them
  const before = bestRowsFromCsv(parseCsv('method,sets,by,baselineUar\nwadan,3,uar,0.7666\n'));
  assert.equal(before[0].setsInner, '');
  assert.ok(Number.isNaN(before[0].uarInner));
  const withInner = bestRowsFromCsv(parseCsv('method,sets,by,baselineUar,uarMeanSets,setsInner,uarInner\nwadan,3,uar,0.7666,0.7734,1:2 2:5,0.781\n'));
  assert.deepEqual([withInner[0].uarMeanSets, withInner[0].setsInner, withInner[0].uarInner], [0.7734, '1:2 2:5', 0.781]);
  assert.equal(t.paired === null, !fs.existsSync(path.join(committedResults('emodb'), 'paired.csv')));
  assert.throws(() => readResultTables(os.tmpdir()), /best\.csv is missing/);
});

test('gridResults falls back to the committed tables when the store has no units, and says so', async () => {
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-grid-'));
  try {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void lines.push(a.join(' '));
    let r;
    let none;
    try {
      r = await gridResults({ spec: reproduceGrid('emodb'), store: empty, tables: committedResults('emodb'), label: 'EmoDB grid' });
      none = await optionalGridResults({ spec: reproduceGrid('emodb'), store: empty, tables: path.join(empty, 'nothing'), label: 'code grid', fillCommand: 'node bin/adan-lab.js reproduce emodb --protocol code' });
    } finally {
      console.log = log;
    }
    assert.equal(r.source, 'tables');
    assert.match(r.note, /no store at .*committed tables in docs\/results\/emodb/);
    assert.equal(none, null);
    assert.match(lines.join('\n'), /code grid: not computed yet .*reproduce emodb --protocol code/);
    await assert.rejects(gridResults({ spec: reproduceGrid('emodb'), store: empty, label: 'EmoDB grid' }), /no results to draw/);
  } finally {
    fs.rmSync(empty, { recursive: true, force: true });
  }
});

test('tableMarkdown puts the paper\'s Table I beside our best rows with the UAR difference', () => {
  const t = readResultTables(committedResults('emodb'));
  const md = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: t.best }, { label: 'code', best: null, missing: 'not run' }]);
  const lines = md.split('\n');
  assert.equal(lines[0], '| method | classifier | paper WA / UAR (sets) | ours: WA / UAR (sets) | ΔUAR | code: WA / UAR (sets) | ΔUAR |');
  assert.ok(lines.includes('| wadan | DNN | 84.49±0.19 / 83.31±0.20 (?) | 79.88 / 78.38 (3) | +1.72 | not run |  |'), md);
  assert.ok(lines.includes('| none (real only) | SVM | 80.56 / – | 81.18 / 79.64 |  | not run |  |'), md);
  assert.equal(lines.length, 2 + 19, 'the steps control has a DNN line only');
  assert.ok(lines.includes('| steps | DNN |  | 81.43 / 80.14 (7) | +3.47 | not run |  |'), md);
});

test('tableMarkdown with spread prints the ± over repeats that an augmenter per repeat widens', () => {
  const t = readResultTables(committedResults('emodb'));
  const lines = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: t.best, spread: true }]).split('\n');
  assert.equal(lines[0], '| method | classifier | paper WA / UAR (sets) | ours: WA / UAR, ± over repeats (sets) | ΔUAR |');
  // REPRODUCTION.md's Table I row, from best.csv's waStd and uarStd
  assert.ok(lines.includes('| wadan | DNN | 84.49±0.19 / 83.31±0.20 (?) | 79.88±0.72 / 78.38±0.74 (3) | +1.72 |'), lines.join('\n'));
  assert.ok(lines.includes('| none (real only) | DNN | 80.19 / – | 78.50±0.61 / 76.66±0.47 |  |'), lines.join('\n'));
  // with every point, the std over repeats averaged over 1-10 sets (hand-computed from summary.csv)
  const withMean = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: t.best, summary: t.summary, spread: true }]).split('\n');
  const wadan = t.summary.filter((r) => r.method === 'wadan' && r.classifier === 'dnn' && r.sets > 0);
  assert.equal(wadan.length, 10);
  const sd = (100 * wadan.reduce((a, r) => a + r.uarStd, 0)) / 10;
  assert.ok(withMean.includes(`| wadan | DNN | 84.49±0.19 / 83.31±0.20 (?) | 79.88±0.72 / 78.38±0.74 (3) | +1.72 | +0.94 | ±${sd.toFixed(2)} |`), withMean.join('\n'));
});

test('tableMarkdown with inner adds the UAR at the inner choice, against real rows read as the paired rows read them', () => {
  const t = readResultTables(committedResults('emodb'));
  // the committed rows without their inner choices, as a table published before inner selection has them
  const bare = t.best.map((b) => ({ ...b, setsInner: '', uarInner: NaN, epochsInner: '' }));
  // without inner choices in best.csv, the column is not drawn
  assert.equal(tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: bare, inner: true }]), tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: bare }]));
  const all = (v: number | string): string => Array.from({ length: 10 }, (_, i) => `${i + 1}:${v}`).join(' ');
  type Inner = { setsInner: string; uarInner: number; epochsInner: string };
  const withChoices = (set: Record<string, Inner>) => bare.map((b) => ({ ...b, ...set[`${b.method} ${b.classifier}`] }));
  const rowOf = (md: string, method: string, clf: string): string => md.split('\n').find((l) => l.startsWith(`| ${method} | ${clf} |`))!;
  const base: Record<string, Inner> = {
    'wadan dnn': { setsInner: all(3), uarInner: 0.79, epochsInner: all(50) },
    'wadan svm': { setsInner: all(1), uarInner: 0.8, epochsInner: '' },
  };
  const md = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: withChoices(base), inner: true, folds: 10 }]);
  assert.equal(md.split('\n')[0], '| method | classifier | paper WA / UAR (sets) | ours: WA / UAR (sets) | ΔUAR | UAR, sets chosen on training speakers | ΔUAR, inner choice |');
  // the SVM has nothing to choose: against its real rows as trained (79.64), on the same 10 folds
  assert.ok(rowOf(md, 'wadan', 'SVM').endsWith('| 80.00 | +0.36 |'), md);
  // the DNN's real rows choose their epochs: until they have, no difference (the paired rows leave such folds out too)
  assert.ok(rowOf(md, 'wadan', 'DNN').endsWith('| 79.00 |  |'), md);
  assert.ok(rowOf(md, 'adan', 'DNN').endsWith('|  |  |'), 'a line without choices has blank cells');
  const chosen = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: withChoices({ ...base, 'none dnn': { setsInner: all(0), uarInner: 0.78, epochsInner: all(40) } }), inner: true, folds: 10 }]);
  assert.ok(rowOf(chosen, 'wadan', 'DNN').endsWith('| 79.88 / 78.38 (3) | +1.72 | 79.00 | +1.00 |'), chosen);
  assert.ok(rowOf(chosen, 'none (real only)', 'DNN').endsWith('| 78.50 / 76.66 |  | 78.00 |  |'), chosen);
  // choices on other folds than the real rows' (a grid still running): the UAR says how many speakers, no difference
  const partial = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: withChoices({ 'wadan svm': { setsInner: '1:1 2:4', uarInner: 0.8, epochsInner: '' }, 'wadan dnn': base['wadan dnn'], 'none dnn': { setsInner: '1:0 2:0', uarInner: 0.78, epochsInner: '1:50 2:50' } }), inner: true, folds: 10 }]);
  assert.ok(rowOf(partial, 'wadan', 'SVM').endsWith('| 80.00 [2 of 10 speakers] |  |'), partial);
  assert.ok(rowOf(partial, 'wadan', 'DNN').endsWith('| 79.00 |  |'), partial);
  // with every point and the spread, each row keeps one cell per header
  const full = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: withChoices(base), summary: t.summary, spread: true, inner: true }, { label: 'none', best: null }]).split('\n');
  for (const l of full) assert.equal(l.split('|').length, full[0].split('|').length, l);
});

test('seedSpreadMarkdown sets the seed run\'s own lines beside the grid it repeats', () => {
  const seedsDir = committedResults(path.join('emodb-code', 'seeds'));
  const code = readResultTables(committedResults('emodb-code'));
  const seeds = optionalResultTables(seedsDir)!;
  assert.equal(optionalResultTables(path.join(seedsDir, 'nothing-here')), null);
  const { table, paired } = seedSpreadMarkdown(PAPER_TABLE_I, code, seeds, { folds: 10, protocol: 'code protocol' });
  const lines = table.split('\n');
  assert.match(lines[0], /code protocol, one augmenter per fold: WA \/ UAR, ± over repeats \(sets\).*an augmenter per fold and repeat: WA \/ UAR, ± over repeats/);
  // the methods the seed run trained, and real rows only: nothing else
  assert.deepEqual([...new Set(lines.slice(2).map((l) => l.split(' | ')[0].slice(2)))], ['none (real only)', 'cgan', 'adan', 'wadan']);
  // the seed run's cGAN SVM row comes from its own best row, not the grid's
  const own = seeds.best.find((b) => b.method === 'cgan' && b.classifier === 'svm' && b.augmenterSeeds > 1)!;
  const row = lines.find((l) => l.startsWith('| cgan | SVM |'))!;
  assert.ok(row.includes(`${(100 * own.wa).toFixed(2)}±${(100 * own.waStd).toFixed(2)} / ${(100 * own.uar).toFixed(2)}±${(100 * own.uarStd).toFixed(2)} (${own.sets})`), row);
  assert.match(paired.split('\n')[0], /one augmenter per fold: .*\| an augmenter per fold and repeat: /);
  assert.equal(paired.split('\n').length, 2 + 6, 'cGAN, ADAN and WADAN with both classifiers');
});

test('pairedMarkdown lists the mean over sets against real rows, per run, in the given method order', () => {
  const row = (method: string, classifier: string, sets: number | 'mean', against: 'none' | 'copy', delta: number, low: number, high: number, p: number) =>
    ({ dataset: 'd', method, augment: method, classifier, sets, against, delta, low, high, p, folds: 10, repeats: 3 });
  const a = [row('wadan', 'dnn', 'mean', 'none', -0.003, -0.026, 0.022, 0.8203), row('wadan', 'dnn', 'mean', 'copy', 0.5, 0.4, 0.6, 0.01), row('wadan', 'dnn', 3, 'none', 0.5, 0.4, 0.6, 0.01), row('adan', 'svm', 'mean', 'none', 0.0123, -0.004, 0.025, 0.0625)];
  const md = pairedMarkdown([{ label: 'A', paired: a }, { label: 'B', paired: null }], ['adan', 'wadan']).split('\n');
  assert.deepEqual(md, [
    '| method | classifier | A: ΔUAR [95 % interval], p (folds) |',
    '|---|---|---|',
    '| adan | SVM | +1.2 [-0.4, +2.5], p 0.06 (10) |',
    '| wadan | DNN | -0.3 [-2.6, +2.2], p 0.82 (10) |',
  ]);
  assert.equal(pairedMarkdown([{ label: 'B', paired: null }]), '');
});

test('figureDir, reproduceStore, committedResults and provenance name what a notebook uses', () => {
  assert.equal(figureDir('04-emodb', false), path.join(projectRoot, 'docs', 'figures', '04-emodb'));
  assert.equal(figureDir('04-emodb', true, '/r'), path.join('/r', '04-emodb', 'quick', 'figures'));
  assert.equal(reproduceStore('emodb', 'code'), path.join(projectRoot, 'results', 'emodb-code'));
  assert.equal(reproduceStore('iemocap'), path.join(projectRoot, 'results', 'iemocap'));
  const p = notebookParams('04-emodb', { quick: {}, full: {} }, { quick: true, resultsDir: '/r' });
  assert.equal(p.figureDir, figureDir('04-emodb', true, '/r'));
  const line = provenance(p, new Date('2026-12-05T10:30:00Z'));
  // a copy outside git (a release tarball) has no commit to name, and says so
  assert.match(line, /^04-emodb: adan-lab ([0-9a-f]{7,} \(\d{4}-\d\d-\d\d\)( with uncommitted changes in src\/)?|\(not a git checkout: commit unknown\)); run 2026-12-05 10:30 UTC; QUICK mode; Node v\d+/);
});

test('coverage says a grid still running holds some speakers, and the table says how many a row pools', () => {
  const t = readResultTables(committedResults('emodb'));
  assert.equal(t.coverage.text, 'all 10 speakers');
  // the same tables cut to the first two speakers' rows, as a grid computed fold by fold leaves them
  const early = t.summary.map((r) => (r.method === 'none' ? r : { ...r, folds: 2, foldIndices: '1,2' }));
  const c = tableCoverage(early.filter((r) => r.method !== 'none'));
  assert.equal(c.text, 'partial: 2 of 2 speakers (1–2), no real-only units yet');
  assert.equal(tableCoverage(early.filter((r) => r.method !== 'none'), 10).text, 'partial: 2 of 10 speakers (1–2), no real-only units yet', 'the grid\'s folds given');
  const mixed = tableCoverage(early);
  assert.deepEqual(mixed.complete, [1, 2]);
  // every speaker is in some rows (the real-only line here; a control run on all folds in practice), not in all
  assert.equal(mixed.text, 'partial: complete for 2 of 10 speakers (1–2); some rows reach 3–10');
  const best = t.best.map((b) => (b.method === 'wadan' ? { ...b, folds: 2 } : b));
  const md = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best, folds: 10, summary: early }]);
  assert.ok(md.includes('| 79.88 / 78.38 (3) [2 of 10 speakers] | +1.72 |  |'), 'a mean over sets mixing speakers is left blank');
  const full = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: t.best, summary: t.summary }]);
  assert.ok(full.includes('| 79.88 / 78.38 (3) | +1.72 | +0.94 |'), full);
  assert.equal(meanDelta(t.summary, 'copy', 'dnn').points, 10);
});

test('storeCoverage counts the speakers with units against those of the missing ones', () => {
  const unit = (fold: number, sets: number) => ({ config: { fold: { index: fold, group: String(fold) }, sets } });
  const records = [unit(1, 1), unit(1, 2), unit(2, 1)] as never[];
  const c = storeCoverage(records, [unit(2, 0), unit(3, 0), unit(1, 0)]);
  assert.equal(c.text, 'partial: 3 of 6 units, 2 of 3 speakers (1–2, complete for none), no real-only units yet');
  assert.equal(storeCoverage([...records, unit(1, 0), unit(2, 0)] as never[], []).text, 'all 2 speakers');
  // IEMOCAP's folds hold out sessions: the sentences say so
  assert.equal(storeCoverage(records, [unit(2, 0), unit(3, 0), unit(1, 0)], 'sessions').text, 'partial: 3 of 6 units, 2 of 3 sessions (1–2, complete for none), no real-only units yet');
  assert.equal(storeCoverage([unit(4, 0), unit(4, 1)] as never[], [], 'sessions').text, '1 session (fold 4)');
  // and so do the committed tables' coverage and Table II's counts
  const t = readResultTables(committedResults('emodb'), { folds: 12, groups: 'sessions' });
  assert.equal(t.coverage.text, 'partial: 10 of 12 sessions (1–10)');
  const md = tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: t.best, folds: 12, groups: 'sessions' }]);
  assert.ok(md.includes('| 79.88 / 78.38 (3) [10 of 12 sessions] |'), md);
});
