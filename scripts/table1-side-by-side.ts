/**
 * Table I three ways, from committed tables: the paper's, ours under the paper's text and ours
 * under the authors' code (the renderer notebook 04 uses), then the paired differences of the
 * grids that have them (mean over 1-10 sets against real rows only, 95 % bootstrap interval over
 * speakers, sign-flip p), and the same at each fold's inner choice where a grid ran
 * `--select inner` (its Table I column too). This is how REPRODUCTION.md's side-by-side table is made.
 *
 * When the augmenter-seed spread's tables are there (`--seeds`, issue 13, item 4), a third table
 * sets its methods' rows, ± over repeats, beside the code grid's: one augmenter per fold there,
 * one per fold and repeat here, so the second ± includes which augmenter was trained.
 *
 *   npm run build && node dist/scripts/table1-side-by-side.js [--paper docs/results/emodb] [--code docs/results/emodb-code] [--seeds docs/results/emodb-code/seeds]
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readResultTables } from '../src/notebook/results';
import { pairedMarkdown, seedSpreadMarkdown, tableMarkdown } from '../src/notebook/table-markdown';
import { PAPER_TABLE_I } from '../src/protocol/paper';
import { projectRoot } from '../src/data/locate';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return path.resolve(projectRoot, i >= 0 ? process.argv[i + 1] : fallback);
}

const paper = readResultTables(arg('paper', 'docs/results/emodb'), { folds: 10 });
const code = readResultTables(arg('code', 'docs/results/emodb-code'), { folds: 10 });
console.log(tableMarkdown(PAPER_TABLE_I, [
  { label: 'ours, paper protocol', best: paper.best, summary: paper.summary, folds: 10, inner: true },
  { label: 'ours, code protocol', best: code.best, summary: code.summary, folds: 10, inner: true },
]));
console.log();
console.log(pairedMarkdown([{ label: 'paper protocol', paired: paper.paired }, { label: 'code protocol', paired: code.paired }], PAPER_TABLE_I.entries.map((e) => e.method)));
// with --select inner's tables: the same at each fold's choice made on its training speakers
const inner = pairedMarkdown([{ label: 'paper protocol, inner choice', paired: paper.paired }, { label: 'code protocol, inner choice', paired: code.paired }], PAPER_TABLE_I.entries.map((e) => e.method), 'inner');
if (inner) {
  console.log();
  console.log(inner);
}

const seedsDir = arg('seeds', 'docs/results/emodb-code/seeds');
if (fs.existsSync(path.join(seedsDir, 'best.csv'))) {
  const { table, paired } = seedSpreadMarkdown(PAPER_TABLE_I, code, readResultTables(seedsDir, { folds: 10 }), { folds: 10, protocol: 'code protocol' });
  console.log();
  console.log(table);
  console.log();
  console.log(paired);
}
