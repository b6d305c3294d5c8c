/**
 * Agreement of adan-lab's IS11 extractor with openSMILE 3.0.2 on the 535 EmoDB files:
 * per-feature Pearson correlation over files, distribution by descriptor group and by functional.
 *
 *   npm run build && node dist/scripts/features-agreement.js [--data DIR] [--limit N] [--svm] [--markdown docs/features-agreement.md]
 *
 * DIR defaults to the `emodb-wav` data folder (../shared/data/emodb-wav). With --svm it also runs
 * the leave-one-speaker-out linear SVM (C = 0.01, z-normalised on the training speakers) on both
 * tables: the usefulness check of issue 8.
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findDataEntry } from '../src/data/locate';
import { readOpensmileCsv } from '../src/data/readers/opensmile';
import { loadDataset } from '../src/data/registry';
import { makeDataset, type Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { ZScore } from '../src/data/preprocess';
import { linearSvm } from '../src/classify/linear-svm';
import { uar, wa } from '../src/eval/metrics';
import { columnCorrelations, GroupAgreement, summarise } from '../src/features/agreement';
import { extractIs11 } from '../src/features/extract';
import { isImplemented } from '../src/features/is11';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Leave-one-speaker-out linear SVM (C = 0.01) with per-fold z-normalisation: pooled WA and UAR in %. */
async function loso(ds: Dataset): Promise<{ wa: number; uar: number }> {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  for (const { train, test } of splitFolds(ds)) {
    const z = new ZScore().fit(train.x, train.d);
    const svm = await linearSvm({ C: 0.01 }).fit({ ...train, x: z.transform(train.x) });
    yTrue.push(...test.y);
    yPred.push(...svm.predict(z.transform(test.x)));
  }
  return { wa: 100 * wa(yTrue, yPred), uar: 100 * uar(yTrue, yPred, ds.classes.length) };
}

async function main(): Promise<void> {
  const dir = arg('--data') ?? findDataEntry('emodb-wav');
  if (!dir) throw new Error('emodb-wav data folder not found; pass --data DIR');
  const ref = readOpensmileCsv(path.join(dir, 'opensmile-is11.csv'));
  const limit = Number(arg('--limit') ?? ref.n);
  const rows = ref.rowNames.slice(0, limit);
  const t0 = Date.now();
  const cpu0 = process.cpuUsage();
  const ours = extractIs11(rows.map((r) => path.join(dir, r)), {
    onProgress: (i, n) => { if (i % 50 === 0 || i === n) process.stderr.write(`\r${i}/${n} files`); },
  });
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stderr.write('\n');
  for (let j = 0; j < ref.d; j++) {
    if (ref.featureNames[j] !== ours.featureNames[j]) throw new Error(`column ${j}: reference ${ref.featureNames[j]} vs ours ${ours.featureNames[j]}`);
  }
  const r = columnCorrelations(ours.x, ref.x.subarray(0, rows.length * ref.d), rows.length, ref.d);
  const names = ref.featureNames;
  const impl = names.map(isImplemented);
  const { overall, groups } = summarise(names, r);
  const implIdx = names.map((_, j) => j).filter((j) => impl[j]);
  const implSummary = summarise(implIdx.map((j) => names[j]), implIdx.map((j) => r[j])).overall;
  // by functional (the part after the LLD), implemented features only
  const funcName = (n: string) => n.replace(/^.*_sma(_ff0)?(_de)?(\[\d+\])?_/, (m, ff, de) => `${de ? 'de_' : ''}`);
  const byFunc = new Map<string, number[]>();
  for (const j of implIdx) {
    const f = funcName(names[j]);
    if (!byFunc.has(f)) byFunc.set(f, []);
    byFunc.get(f)!.push(r[j]);
  }
  const fmt = (v: number) => (Number.isNaN(v) ? '-' : v.toFixed(4));
  const pct = (v: number) => (Number.isNaN(v) ? '-' : `${(100 * v).toFixed(1)} %`);
  const row = (g: GroupAgreement) => `| ${g.group} | ${g.features} | ${g.defined} | ${fmt(g.median)} | ${fmt(g.min)} | ${pct(g.atLeast95)} | ${pct(g.atLeast99)} |`;
  const lines: string[] = [];
  lines.push(`Files: ${rows.length}; extraction ${seconds.toFixed(1)} s wall clock, ${cpuSeconds.toFixed(1)} s CPU in one process (${(1000 * cpuSeconds / rows.length).toFixed(0)} ms CPU per file; wall clock depends on machine load).`);
  lines.push('');
  lines.push(`All ${names.length} features: ${overall.defined} with a defined correlation, median r ${fmt(overall.median)}, ${pct(overall.defined ? overall.atLeast95 * overall.defined / overall.features : NaN)} of all ${names.length} at r >= 0.95 (${pct(overall.atLeast95)} of the defined ones), ${pct(overall.atLeast99)} of the defined ones at r >= 0.99.`);
  if (implIdx.length < names.length) lines.push(`Implemented features only (${implIdx.length}): ${implSummary.defined} defined, median r ${fmt(implSummary.median)}, ${pct(implSummary.atLeast95)} at r >= 0.95, ${pct(implSummary.atLeast99)} at r >= 0.99.`);
  lines.push('');
  lines.push('| descriptor group | features | defined | median r | min r | r >= 0.95 | r >= 0.99 |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const g of groups) lines.push(row(g));
  lines.push('');
  lines.push('By functional (`de_` = of the delta contour), lowest median first:');
  lines.push('');
  lines.push('| functional | features | defined | median r | min r | r >= 0.95 | r >= 0.99 |');
  lines.push('|---|---|---|---|---|---|---|');
  const funcRows = [...byFunc.entries()].map(([f, v]) => summarise(v.map(() => f), v).overall).map((g, i) => ({ ...g, group: [...byFunc.keys()][i] }));
  funcRows.sort((p, q) => p.median - q.median);
  for (const g of funcRows) lines.push(row(g));
  const worst = implIdx.filter((j) => !Number.isNaN(r[j])).sort((p, q) => r[p] - r[q]).slice(0, 15);
  lines.push('');
  lines.push('Lowest 15 features:');
  lines.push('');
  for (const j of worst) lines.push(`- ${names[j]}: r = ${fmt(r[j])}`);
  if (process.argv.includes('--svm') && rows.length === ref.n) {
    const refDs = loadDataset('emodb-wav', { dataDir: path.dirname(dir) });
    const order = refDs.ids.map((id) => rows.indexOf(id));
    if (order.some((i) => i < 0)) throw new Error('emodb-wav rows and the CSV rows differ');
    const x = new Float32Array(refDs.n * ours.d);
    order.forEach((i, r) => x.set(ours.x.subarray(i * ours.d, (i + 1) * ours.d), r * ours.d));
    const oursDs = makeDataset({ name: 'adan-lab IS11', x, d: ours.d, y: refDs.y, classes: refDs.classes, groups: refDs.groups, ids: refDs.ids });
    const a = await loso(refDs);
    const b = await loso(oursDs);
    lines.push('');
    lines.push('Leave-one-speaker-out linear SVM (adan-lab `linearSvm`, C = 0.01, one-vs-one, z-normalised on the training speakers, predictions of the 10 folds pooled):');
    lines.push('');
    lines.push('| features | WA | UAR |');
    lines.push('|---|---|---|');
    lines.push(`| openSMILE 3.0.2 (reference CSV) | ${a.wa.toFixed(2)} % | ${a.uar.toFixed(2)} % |`);
    lines.push(`| adan-lab extractIs11 | ${b.wa.toFixed(2)} % | ${b.uar.toFixed(2)} % |`);
    lines.push(`| difference | ${(b.wa - a.wa).toFixed(2)} | ${(b.uar - a.uar).toFixed(2)} |`);
  }
  const text = lines.join('\n');
  console.log(text);
  const md = arg('--markdown');
  if (md) {
    const head = [
      '# IS11 feature agreement: adan-lab vs openSMILE 3.0.2',
      '',
      'Generated by `node dist/scripts/features-agreement.js --markdown docs/features-agreement.md`',
      '(source: `scripts/features-agreement.ts`). For every one of the 4368 IS11 Speaker State features,',
      'the Pearson correlation over the 535 EmoDB files of `../shared/data/emodb-wav/` between',
      "adan-lab's `extractIs11` and `opensmile-is11.csv` (what `SMILExtract -C IS11_speaker_state.conf -csvoutput`",
      'of openSMILE 3.0.2 printed for the same files). A correlation is undefined when a column is',
      'constant over the files in either table (it then counts against the 0.95 share in the first line).',
      '',
      'Targets (issue 8): median r >= 0.99 and at least 90 % of the features at r >= 0.95.',
      '',
    ];
    writeFileSync(md, `${head.join('\n')}${text}\n`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
