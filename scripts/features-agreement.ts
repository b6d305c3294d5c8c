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

main();
