/** The grid figures of notebook 04: Fig. 6 in panels, the paired forest plot, the delta heat map, confusion matrices side by side. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { confusionGrid, deltaHeatmap, fig6Plot, forestPlot, toSvg } from '../src/plot';
import { readResultTables } from '../src/notebook/results';
import { projectRoot } from '../src/data/locate';

/** The committed tables of the complete EmoDB grid (in git): real curves, not made-up ones. */
const emodb = readResultTables(path.join(projectRoot, 'docs', 'results', 'emodb'));

/** Every text line of an SVG, XML entities decoded. */
function svgTexts(svg: string): string[] {
  // an empty text mark is written self-closing (<text .../>): it has no line
  return [...svg.matchAll(/<text[^>]*?(?<!\/)>(.*?)<\/text>/gs)]
    .flatMap((m) => m[1].replace(/<tspan[^>]*>/g, '\n').replace(/<\/tspan>/g, '').split('\n'))
    .filter((t) => t.length > 0)
    .map((t) => t.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
}

type Datum = Record<string, unknown>;
const dataOf = (spec: Record<string, unknown>): Datum[] => (spec.data as { values: Datum[] }).values;

test('fig6Plot draws a panel per method with its own y scale, the real-only line and a peak per curve', async () => {
  const spec = fig6Plot(emodb.curves, { title: 'EmoDB Fig. 6', references: [{ classifier: 'dnn', uar: 0.7918, label: 'DNN 550 epochs' }] });
  assert.deepEqual(spec.resolve, { scale: { y: 'independent' } }, 'AAE\'s collapse must not set the scale of the other panels');
  const values = dataOf(spec);
  const peaks = values.filter((v) => v.kind === 'peak');
  assert.equal(peaks.length, 17, '8 methods x 2 classifiers, and the steps control (DNN)');
  // the peak is the best point over 1-10 sets: Table I's row (best.csv) for the same method
  const wadanDnn = peaks.find((v) => v.method === 'wadan' && v.classifier === 'DNN')!;
  const best = emodb.best.find((b) => b.method === 'wadan' && b.classifier === 'dnn')!;
  assert.equal(wadanDnn.sets, best.sets);
  assert.ok(Math.abs((wadanDnn.value as number) - 100 * best.uar) < 1e-9);
  const baselines = values.filter((v) => v.kind === 'baseline' && v.classifier === 'DNN');
  assert.ok(baselines.every((v) => Math.abs((v.value as number) - 100 * best.baselineUar) < 1e-9), 'each DNN panel has the real-only DNN line');
  const svg = await toSvg(spec);
  const texts = svgTexts(svg);
  for (const t of ['EmoDB Fig. 6', 'copy', 'aae', 'wadan', 'Augmented sets', 'UAR (%)']) assert.ok(texts.includes(t), `text ${t} missing`);
  assert.ok(texts.some((t) => t.includes('dotted: DNN 550 epochs (79.18)')), 'the reference line is named with its value');
  assert.throws(() => fig6Plot(emodb.curves.filter((r) => r.method === 'none')), /no points|only real-only/);
  assert.throws(() => fig6Plot(emodb.curves, { band: 'speakers' as never }), /band must be/);
});

test('fig6Plot band is one standard error over folds by default, the std over repeats on request', () => {
  const row = emodb.curves.find((r) => r.method === 'adan' && r.classifier === 'dnn' && r.sets === 5)!;
  const point = (band: 'folds' | 'repeats') => dataOf(fig6Plot(emodb.curves, { band })).find((v) => v.kind === 'point' && v.method === 'adan' && v.classifier === 'DNN' && v.sets === 5)!;
  const folds = point('folds');
  assert.ok(Math.abs((folds.hi as number) - (folds.lo as number) - (200 * row.uarFoldStd) / Math.sqrt(row.folds)) < 1e-9);
  const repeats = point('repeats');
  assert.ok(Math.abs((repeats.hi as number) - (repeats.lo as number) - 200 * row.uarStd) < 1e-9);
});

test('deltaHeatmap gives each point its UAR minus the real-only UAR of its classifier', async () => {
  const spec = deltaHeatmap(emodb.summary, { limit: 3 });
  const cells = dataOf(spec);
  assert.equal(cells.length, 170, '8 methods x 10 sets x 2 classifiers and the steps control\'s 10 (DNN), real-only points left out');
  const smote = emodb.best.find((b) => b.method === 'smote' && b.classifier === 'dnn')!;
  const cell = cells.find((c) => c.method === 'smote' && c.classifier === 'DNN' && c.sets === smote.sets)!;
  assert.equal(cell.text, `+${(100 * (smote.uar - smote.baselineUar)).toFixed(1)}`);
  const texts = svgTexts(await toSvg(spec));
  assert.ok(texts.includes(cell.text as string));
  assert.ok(texts.some((t) => t.startsWith('real-only UAR: SVM 79.64, DNN 76.66')), 'the subtitle names the real-only UAR');
  assert.throws(() => deltaHeatmap(emodb.summary.filter((r) => r.method !== 'none')), /no real-only point/);
  assert.throws(() => deltaHeatmap(emodb.summary, { limit: 0 }), /limit must be/);
});

test('forestPlot draws the chosen rows and names the ones set apart with their interval', async () => {
  const rows = [
    { method: 'copy', classifier: 'dnn', sets: 'mean' as const, against: 'none' as const, delta: 0.018, low: 0.004, high: 0.031, folds: 10 },
    { method: 'wadan', classifier: 'dnn', sets: 'mean' as const, against: 'none' as const, delta: 0.007, low: -0.006, high: 0.02, folds: 10 },
    { method: 'wadan', classifier: 'dnn', sets: 'mean' as const, against: 'copy' as const, delta: -0.011, low: -0.025, high: 0.002, folds: 10 },
    { method: 'aae', classifier: 'svm', sets: 'mean' as const, against: 'none' as const, delta: -0.25, low: -0.3, high: -0.2, folds: 10 },
    { method: 'copy', classifier: 'dnn', sets: 3, against: 'none' as const, delta: 0.02, low: 0.01, high: 0.03, folds: 10 },
  ];
  const spec = forestPlot(rows, { apart: ['aae'] });
  assert.deepEqual(dataOf(spec).map((v) => `${v.method} ${v.against}`), ['copy vs real rows only', 'wadan vs real rows only', 'wadan vs copy (same sets)']);
  const texts = svgTexts(await toSvg(spec));
  assert.ok(texts.some((t) => t.includes('aae SVM vs real rows only: -25.0 [-30.0, -20.0]')), 'AAE named in the subtitle');
  assert.ok(texts.some((t) => t.includes('over 10 speakers')));
  assert.equal(dataOf(forestPlot(rows, { sets: 3 })).length, 1);
  // four rows set apart: two subtitle lines of two, so the figure keeps the width of its panels
  const four = [...rows, ...(['dnn', 'svm'] as const).flatMap((classifier) => (['none', 'copy'] as const).map((against) => ({ method: 'aae', classifier, sets: 'mean' as const, against, delta: -0.06, low: -0.09, high: -0.03, folds: 10 })))];
  const subtitle = (forestPlot(four, { apart: ['aae'] }).title as { subtitle: string[] }).subtitle;
  assert.deepEqual(subtitle.slice(1).map((l) => l.split('; ').length), [2, 2, 1], subtitle.join('\n'));
  assert.match(subtitle[1], /^not drawn \(off the scale\): aae /);
  // a method with rows but missing from `methods` (the steps control) still gets its labelled row, after the listed ones
  const withSteps = [...rows, { method: 'steps', classifier: 'dnn', sets: 'mean' as const, against: 'none' as const, delta: -0.009, low: -0.026, high: 0.008, folds: 8 }];
  const ordered = forestPlot(withSteps, { methods: ['wadan', 'copy'], apart: ['aae'] });
  const yOf = JSON.stringify(ordered).match(/"scale":\{"domain":(\["wadan"[^\]]*\])/);
  assert.deepEqual(yOf && JSON.parse(yOf[1]), ['wadan', 'copy', 'steps']);
  assert.ok(svgTexts(await toSvg(ordered)).includes('steps'), 'the steps row is labelled');
  assert.throws(() => forestPlot(rows, { sets: 7 }), /no rows with sets = 7 \(have: mean, 3\)/);
  // at the inner choice: the panels say what each side was read at
  const inner = rows.filter((r) => r.sets === 'mean').map((r) => ({ ...r, sets: 'inner' as const, folds: 9 }));
  const atChoice = forestPlot(inner, { sets: 'inner', apart: ['aae'] });
  assert.deepEqual(dataOf(atChoice).map((v) => v.against), ['vs real rows only (at their choice)', 'vs real rows only (at their choice)', 'vs copy (at its own choice)']);
  const innerTexts = svgTexts(await toSvg(atChoice));
  assert.ok(innerTexts.some((t) => t.startsWith("sets (and DNN epochs) chosen on each fold's training speakers") && t.includes('over 9 speakers')), innerTexts.join('\n'));
  // against the steps control: a third panel, after real rows and copy, titled for what it compares
  const vsSteps = [...rows, { method: 'wadan', classifier: 'dnn', sets: 'mean' as const, against: 'steps' as const, delta: -0.011, low: -0.028, high: 0.003, folds: 10 }];
  const three = forestPlot(vsSteps, { apart: ['aae'] });
  assert.deepEqual((three.facet as { column: { sort: string[] } }).column.sort, ['vs real rows only', 'vs copy (same sets)', 'vs the steps control (same k)']);
  assert.ok(svgTexts(await toSvg(three)).includes('vs the steps control (same k)'), 'the panel is titled');
  assert.equal(dataOf(forestPlot(vsSteps.map((r) => ({ ...r, sets: 'inner' as const })), { sets: 'inner', apart: ['aae'] })).at(-1)!.against, 'vs the steps control (at its own choice)');
});

test('confusionGrid puts matrices side by side with their WA / UAR, empty cells blank', async () => {
  const classes = ['anger', 'boredom', 'sadness'];
  const spec = confusionGrid(
    [
      { title: 'real rows only', yTrue: [0, 0, 1, 1, 2, 2, 2], yPred: [0, 1, 1, 1, 2, 0, 2] },
      { title: 'wadan, 3 sets', yTrue: [0, 0, 1, 1, 2, 2, 2], yPred: [0, 0, 1, 1, 2, 2, 2] },
    ],
    classes,
  );
  assert.equal((spec.concat as unknown[]).length, 2);
  const texts = svgTexts(await toSvg(spec));
  for (const t of ['real rows only', 'wadan, 3 sets', '100%', '67%', '33%']) assert.ok(texts.includes(t), `text ${t} missing`);
  const svg = await toSvg(spec);
  // real rows only: 4 of 9 cells are empty (e.g. anger predicted as sadness); they print nothing, not "0%"
  assert.equal([...svg.matchAll(/aria-label="[^"]*; label: "/g)].length, 4 + 6);
  assert.ok(texts.some((t) => t.includes('WA 71.4 %, UAR 72.2 %')));
  assert.throws(() => confusionGrid([], classes), /no matrices/);
});
