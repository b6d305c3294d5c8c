import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { confusionPlot, histogramPlot, lossPlot, save, show, svgSize, toPng, toSvg, tsnePlot, uarPlot, lightShade, darkShade, figureBundle, compactData, VEGALITE_MIME, type VegaLiteSpec } from '../src/plot';
import { embeddedPoints, uarVsSets } from '../src/analysis/curves';
import { Random } from '../src/util/random';
import { parseCsv } from '../src/notebook/results';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const rng = new Random(1);

/** Every text line of an SVG (multi-line text comes as <tspan>s), XML entities decoded. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/gs)]
    .flatMap((m) => m[1].replace(/<tspan[^>]*>/g, '\n').replace(/<\/tspan>/g, '').split('\n'))
    .filter((t) => t.length > 0)
    .map((t) => t.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&quot;/g, '"'));
}

async function checkRenders(name: string, spec: VegaLiteSpec, expectedTexts: string[]): Promise<string> {
  const svg = await toSvg(spec);
  assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${name}: root element is not <svg>`);
  assert.ok(svg.trimEnd().endsWith('</svg>'), `${name}: SVG not closed`);
  const texts = svgTexts(svg);
  for (const t of expectedTexts) assert.ok(texts.includes(t), `${name}: text ${JSON.stringify(t)} missing; texts: ${texts.slice(0, 40).join(' | ')}`);
  const png = await toPng(svg, { scale: 1 });
  assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), `${name}: not a PNG`);
  assert.ok(png.length > 2000, `${name}: PNG of only ${png.length} bytes`);
  return svg;
}

const history = Array.from({ length: 30 }, (_, e) => ({ epoch: e + 1, seconds: 0.1, lossD: 0.7 - e / 100 + 0.01 * rng.normal(), lossG: 1 + e / 50 }));

test('lossPlot renders: epoch axis, loss axis, one legend entry per loss', async () => {
  await checkRenders('loss', lossPlot(history, { title: 'ADAN losses', labels: { lossD: 'D (Eq. 10)' } }), ['Epoch', 'Loss', 'D (Eq. 10)', 'lossG', 'ADAN losses']);
  await checkRenders('loss facet', lossPlot(history, { facet: true }), ['Epoch', 'lossD', 'lossG']);
  await checkRenders('loss legend', lossPlot(history, { legendTitle: 'Fold' }), ['Fold', 'lossD']);
  assert.throws(() => lossPlot(history, { logY: true, losses: ['lossD'] , labels: {} , facet: false, yTitle: 'x', title: 't' , width: -1 }), /lossPlot\.width/);
  assert.throws(() => lossPlot(history, { color: 'red' } as never), /lossPlot\.color/);
});

test('tsnePlot renders real (light) and synthetic (dark) colours per emotion', async () => {
  const emb = rng.normalArray(40);
  const labels = Array.from({ length: 20 }, (_, i) => i % 3);
  const pts = embeddedPoints(emb, labels, ['anger', 'boredom', 'disgust'], 10);
  const spec = tsnePlot(pts, { title: 'real vs synthetic' });
  const svg = await checkRenders('tsne', spec, ['t-SNE 1', 't-SNE 2', 'anger (real)', 'anger (synthetic)', 'disgust (synthetic)']);
  assert.ok(svg.includes(lightShade(0)) && svg.includes(darkShade(0)), 'light and dark variants of the first emotion colour are drawn');
  const realOnly = embeddedPoints(emb, labels, ['anger', 'boredom', 'disgust']);
  await checkRenders('tsne real only', tsnePlot(realOnly), ['anger', 'boredom', 'disgust']);
  assert.throws(() => tsnePlot(pts, { classes: ['anger'] }), /boredom/);
  // other kinds of rows, and coordinates drawn with their values
  const named = tsnePlot(pts, { sourceNames: { real: 'training E(x)', synthetic: 'held-out E(x)' }, axes: { x: 'z1', y: 'z2', numbers: true } });
  const namedSvg = await checkRenders('tsne named', named, ['z1', 'z2', 'anger (training E(x))', 'disgust (held-out E(x))', 'Emotion: light = training E(x), dark = held-out E(x)']);
  assert.ok(!namedSvg.includes('(synthetic)'));
  assert.ok(svgTexts(namedSvg).some((t) => /^-?\d+(\.\d+)?$/.test(t)), 'axis numbers are drawn');
  assert.ok(!svgTexts(svg).some((t) => /^-?\d+(\.\d+)?$/.test(t)), 't-SNE axes carry no numbers');
  // interactive: the bundle also carries the spec for JupyterLab, with the row ids for the tooltip
  const withIds = tsnePlot(embeddedPoints(emb, labels, ['anger', 'boredom', 'disgust'], 10, labels.map((_, i) => `u${i}`)));
  const bundle = await figureBundle(withIds, { interactive: true });
  const vl = bundle.data[VEGALITE_MIME] as { $schema: string; data: { values: string; format: { type: string; parse: Record<string, string> } }; encoding: { tooltip: { field: string }[] } };
  assert.equal(vl.$schema, 'https://vega.github.io/schema/vega-lite/v5.json');
  // the rows as one CSV string, numbers to 6 digits, parsed back by Vega
  assert.equal(vl.data.format.type, 'csv');
  assert.deepEqual(vl.data.format.parse, { x: 'number', y: 'number', order: 'number' });
  const back = parseCsv(vl.data.values);
  assert.deepEqual(back.map((r) => r.id), labels.map((_, i) => `u${i}`));
  assert.deepEqual(back.map((r) => Number(r.x)), Array.from({ length: 20 }, (_, i) => Number(emb[2 * i].toPrecision(6))));
  assert.equal(back[12].key, 'anger (synthetic)');
  assert.deepEqual(vl.encoding.tooltip.map((t) => t.field), ['emotion', 'source', 'id']);
  assert.ok('image/png' in bundle.data && 'image/svg+xml' in bundle.data);
  assert.ok(!(VEGALITE_MIME in (await figureBundle(withIds)).data), 'not by default');
  await assert.rejects(figureBundle(namedSvg, { interactive: true }), /interactive needs the spec/);
});

test('compactData writes inline rows as CSV, quoting what needs it, and leaves other data alone', () => {
  const spec = { mark: 'point', data: { values: [{ a: 1.23456789, b: 'x, "y"' }, { a: -2, b: 'z' }] } };
  const c = compactData(spec) as { data: { values: string; format: { parse: Record<string, string> } } };
  assert.equal(c.data.values, 'a,b\n1.23457,"x, ""y"""\n-2,z');
  assert.deepEqual(c.data.format.parse, { a: 'number' });
  const nested = { data: { values: [{ a: { b: 1 } }] } };
  assert.equal(compactData(nested), nested);
  const named = { data: { name: 'table' } };
  assert.equal(compactData(named), named);
});

test('histogramPlot renders FD-binned real vs synthetic, faceted and overlaid', async () => {
  const real = rng.normalArray(300);
  const synth = rng.normalArray(200, 0.3, 0.8);
  const series = [{ name: 'real', values: real }, { name: 'ADAN', values: synth }];
  await checkRenders('histogram facet', histogramPlot(series, { feature: 'F0 mean' }), ['F0 mean', 'Density', 'real', 'ADAN']);
  await checkRenders('histogram overlay', histogramPlot(series, { layout: 'overlay', y: 'count' }), ['Feature value', 'Count', 'real', 'ADAN']);
  assert.throws(() => histogramPlot([{ name: 'a', values: real }, { name: 'a', values: synth }]), /must differ/);
});

test('uarPlot renders one line per method with SVM / DNN dashes, or panels', async () => {
  const results = [
    { method: 'none', sets: 0, classifier: 'SVM', uar: 0.79 },
    { method: 'none', sets: 0, classifier: 'DNN', uar: 0.77 },
    ...[1, 2, 3].flatMap((sets) => ['SVM', 'DNN'].flatMap((classifier) => ['copy', 'wadan'].map((method) => ({ method, sets, classifier, uar: 0.78 + sets / 100, uarStd: 0.005 })))),
  ];
  const points = uarVsSets(results);
  await checkRenders('uar dash', uarPlot(points), ['Augmented sets', 'UAR (%)', 'copy', 'wadan', 'SVM', 'DNN']);
  await checkRenders('uar by method', uarPlot(points, { facet: 'method' }), ['Augmented sets', 'copy', 'wadan']);
  await checkRenders('uar by classifier', uarPlot(points, { facet: 'classifier', band: false }), ['SVM', 'DNN']);
  // SVM solid, DNN dashed, whatever the input order (the paper's convention).
  const dnnFirst = uarVsSets([...results].sort((a, b) => a.classifier.localeCompare(b.classifier)));
  const layers = uarPlot(dnnFirst).layer as { mark: { type: string }; encoding: { strokeDash?: { scale: { domain: string[]; range: number[][] } } } }[];
  const dash = layers.find((l) => l.mark.type === 'line')!.encoding.strokeDash!.scale;
  assert.deepEqual(dash.domain, ['SVM', 'DNN']);
  assert.deepEqual(dash.range[0], [1, 0]);
});

test('confusionPlot renders true vs predicted with counts and WA/UAR', async () => {
  const yTrue = [0, 0, 1, 1, 2, 2, 2];
  const yPred = [0, 1, 1, 1, 2, 0, 2];
  const svg = await checkRenders('confusion', confusionPlot(yTrue, yPred, ['anger', 'boredom', 'sadness']), ['True emotion', 'Predicted emotion', 'anger', 'sadness', '67%']);
  assert.ok(svg.includes('WA 71.4 %, UAR 72.2 %'), 'metrics in the subtitle');
});

test('save writes .svg, .png and .vl.json by extension; show returns the SVG outside tslab', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-plot-'));
  const spec = lossPlot(history);
  const svgPath = await save(spec, path.join(dir, 'sub', 'loss.svg'));
  assert.match(fs.readFileSync(svgPath, 'utf8'), /^<svg/);
  const pngPath = await save(spec, path.join(dir, 'loss.png'));
  assert.ok(fs.readFileSync(pngPath).subarray(0, 8).equals(PNG_SIGNATURE));
  const jsonPath = await save(spec, path.join(dir, 'loss.vl.json'));
  assert.deepEqual(JSON.parse(fs.readFileSync(jsonPath, 'utf8')), JSON.parse(JSON.stringify(spec)));
  await assert.rejects(save(spec, path.join(dir, 'loss.pdf')), /\.svg, \.png or \.vl\.json/);
  const shown = await show(spec);
  assert.match(shown ?? '', /^<svg/);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** tslab's kernel module, when installed: show() displays through it while a cell runs. */
function tslabKernel(): { lastWriteDisplayData: unknown } | undefined {
  try {
    return require('tslab/dist/jupyter');
  } catch {
    return undefined;
  }
}

test('show displays one output holding the SVG and a PNG while a tslab kernel is running', { skip: tslabKernel() ? false : 'tslab is not installed' }, async () => {
  const kernel = tslabKernel()!;
  const shown: { data: Record<string, string>; metadata: Record<string, unknown> }[] = [];
  kernel.lastWriteDisplayData = (msg: { data: Record<string, string>; metadata: Record<string, unknown> }) => shown.push(msg); // what the kernel sets while a cell executes
  try {
    const result = await show(lossPlot(history, { title: 'inline' }));
    assert.equal(result, undefined, 'nothing returned (the cell would print it as text)');
    assert.equal(shown.length, 1, 'one output: an untrusted notebook shows its PNG, a trusted one its SVG');
    assert.match(shown[0].data['image/svg+xml'], /^<svg/);
    assert.ok(Buffer.from(shown[0].data['image/png'], 'base64').subarray(0, 8).equals(PNG_SIGNATURE));
    assert.equal(shown[0].data['text/plain'], '<figure: inline>');
    await show(lossPlot(history), { format: 'png' });
    assert.deepEqual(Object.keys(shown[1].data).sort(), ['image/png', 'text/plain']);
    await show(lossPlot(history), { format: 'svg' });
    assert.deepEqual(Object.keys(shown[2].data).sort(), ['image/svg+xml', 'text/plain']);
    await show(lossPlot(history), { pngScale: 2 });
    assert.deepEqual(shown[3].metadata['image/png'], svgSize(shown[3].data['image/svg+xml']), 'a scale-2 PNG is drawn at the SVG\'s size');
    await assert.rejects(show(lossPlot(history), { format: 'pdf' as never }), /format must be 'both', 'svg' or 'png'/);
  } finally {
    kernel.lastWriteDisplayData = null;
  }
});

test('show with saveAs writes the figure as SVG and PNG; svgSize reads the root size', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-show-'));
  try {
    const svg = await show(lossPlot(history), { saveAs: path.join(dir, 'nested', 'fig3') });
    assert.equal(fs.readFileSync(path.join(dir, 'nested', 'fig3.svg'), 'utf8').trim(), svg);
    assert.ok(fs.readFileSync(path.join(dir, 'nested', 'fig3.png')).subarray(0, 8).equals(PNG_SIGNATURE));
    const size = svgSize(svg!)!;
    assert.ok(size.width > 400 && size.height > 300, JSON.stringify(size));
    assert.equal(svgSize('<svg viewBox="0 0 1 1"/>'), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
