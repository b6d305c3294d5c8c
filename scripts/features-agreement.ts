/**
 * Agreement of adan-lab's IS11 extractor with openSMILE 3.0.2 on the 535 EmoDB files:
 * per-feature Pearson correlation over files, distribution by descriptor group and by functional.
 *
 *   npx tsc -p . && node dist/scripts/features-agreement.js [--data DIR] [--limit N] [--markdown docs/features-agreement.md]
 *
 * DIR defaults to the `emodb-wav` data folder (../shared/data/emodb-wav).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { findDataEntry } from '../src/data/locate';
import { readOpensmileCsv } from '../src/data/readers/opensmile';
import { columnCorrelations, GroupAgreement, summarise } from '../src/features/agreement';
import { extractIs11 } from '../src/features/extract';
import { isImplemented } from '../src/features/is11';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function main(): void {
  const dir = arg('--data') ?? findDataEntry('emodb-wav');
  if (!dir) throw new Error('emodb-wav data folder not found; pass --data DIR');
  const ref = readOpensmileCsv(path.join(dir, 'opensmile-is11.csv'));
  const limit = Number(arg('--limit') ?? ref.n);
  const rows = ref.rowNames.slice(0, limit);
  const t0 = Date.now();
  const ours = extractIs11(rows.map((r) => path.join(dir, r)), {
    onProgress: (i, n) => { if (i % 50 === 0 || i === n) process.stderr.write(`\r${i}/${n} files`); },
  });
  const seconds = (Date.now() - t0) / 1000;
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
  lines.push(`Files: ${rows.length}; extraction ${seconds.toFixed(1)} s in one process (${(1000 * seconds / rows.length).toFixed(0)} ms/file).`);
  lines.push('');
  lines.push(`All 4368 features (not implemented = NaN = undefined correlation): ${overall.defined} defined, median r ${fmt(overall.median)}, ${pct(overall.defined ? overall.atLeast95 * overall.defined / overall.features : NaN)} of all 4368 at r >= 0.95.`);
  lines.push(`Implemented features only (${implIdx.length}): ${implSummary.defined} defined, median r ${fmt(implSummary.median)}, ${pct(implSummary.atLeast95)} at r >= 0.95, ${pct(implSummary.atLeast99)} at r >= 0.99.`);
  lines.push('');
  lines.push('| descriptor group | features | defined | median r | min r | r >= 0.95 | r >= 0.99 |');
  lines.push('|---|---|---|---|---|---|---|');
  for (const g of groups) lines.push(row(g));
  lines.push('');
  lines.push('By functional (implemented features; `de_` = of the delta contour):');
  lines.push('');
  lines.push('| functional | features | defined | median r | min r | r >= 0.95 | r >= 0.99 |');
  lines.push('|---|---|---|---|---|---|---|');
  const funcRows = [...byFunc.entries()].map(([f, v]) => summarise(v.map(() => f), v).overall).map((g, i) => ({ ...g, group: [...byFunc.keys()][i] }));
  funcRows.sort((p, q) => p.median - q.median);
  for (const g of funcRows) lines.push(row(g));
  const worst = implIdx.filter((j) => !Number.isNaN(r[j])).sort((p, q) => r[p] - r[q]).slice(0, 15);
  lines.push('');
  lines.push('Lowest 15 implemented features:');
  lines.push('');
  for (const j of worst) lines.push(`- ${names[j]}: r = ${fmt(r[j])}`);
  const text = lines.join('\n');
  console.log(text);
  const md = arg('--markdown');
  if (md) writeFileSync(md, `${text}\n`);
}

main();
