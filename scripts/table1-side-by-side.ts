/**
 * Table I three ways, from committed tables: the paper's, ours under the paper's text and ours
 * under the authors' code (the renderer notebook 04 uses), then the paired differences of the
 * grids that have them (mean over 1-10 sets against real rows only, 95 % bootstrap interval over
 * speakers, sign-flip p). This is how REPRODUCTION.md's side-by-side table is made.
 *
 * When the augmenter-seed spread's tables are there (`--seeds`, issue 21 item 4), a third table
 * sets its methods' rows, ± over repeats, beside the code grid's: one augmenter per fold there,
 * one per fold and repeat here, so the second ± includes which augmenter was trained.
 *
 *   npm run build && node dist/scripts/table1-side-by-side.js [--paper docs/results/emodb] [--code docs/results/emodb-code] [--seeds docs/results/emodb-code/seeds]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pairedMarkdown, readResultTables, tableMarkdown } from '../src/notebook/results';
import { PAPER_TABLE_I } from '../src/protocol/paper';
import { PER_REPEAT_LABEL } from '../src/experiment/plan';
import { projectRoot } from '../src/data/locate';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return path.resolve(projectRoot, i >= 0 ? process.argv[i + 1] : fallback);
}

const paper = readResultTables(arg('paper', 'docs/results/emodb'), { folds: 10 });
const code = readResultTables(arg('code', 'docs/results/emodb-code'), { folds: 10 });
console.log(tableMarkdown(PAPER_TABLE_I, [
  { label: 'ours, paper protocol', best: paper.best, summary: paper.summary, folds: 10 },
  { label: 'ours, code protocol', best: code.best, summary: code.summary, folds: 10 },
]));
console.log();
console.log(pairedMarkdown([{ label: 'paper protocol', paired: paper.paired }, { label: 'code protocol', paired: code.paired }], PAPER_TABLE_I.entries.map((e) => e.method)));

const seedsDir = arg('seeds', 'docs/results/emodb-code/seeds');
if (fs.existsSync(path.join(seedsDir, 'best.csv'))) {
  const seeds = readResultTables(seedsDir, { folds: 10 });
  const perRepeat = seeds.best.filter((b) => b.augmenterSeeds > 1 || b.method === 'none');
  const methods = new Set(perRepeat.map((b) => b.method));
  const of = <T extends { method: string }>(rows: readonly T[]): T[] => rows.filter((r) => methods.has(r.method));
  // rows are matched by method: keep only the seed spread's own lines of it (labelled PER_REPEAT_LABEL)
  const spread = <T extends { method: string; augment: string }>(rows: readonly T[]): T[] => rows.filter((r) => r.method === 'none' || r.augment.endsWith(PER_REPEAT_LABEL));
  console.log();
  console.log(tableMarkdown({ ...PAPER_TABLE_I, entries: of(PAPER_TABLE_I.entries) }, [
    { label: 'code protocol, one augmenter per fold', best: of(code.best), summary: code.summary, folds: 10, spread: true },
    { label: 'an augmenter per fold and repeat', best: spread(perRepeat), summary: spread(seeds.summary), folds: 10, spread: true },
  ]));
  console.log();
  console.log(pairedMarkdown([
    { label: 'one augmenter per fold', paired: code.paired && of(code.paired) },
    { label: 'an augmenter per fold and repeat', paired: seeds.paired && spread(seeds.paired) },
  ], [...methods]));
}
