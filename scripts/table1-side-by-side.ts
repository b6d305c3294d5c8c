/**
 * Table I three ways, from committed tables: the paper's, ours under the paper's text and ours
 * under the authors' code (the renderer notebook 04 uses), then the paired differences of the
 * grids that have them (mean over 1-10 sets against real rows only, 95 % bootstrap interval over
 * speakers, sign-flip p). This is how REPRODUCTION.md's side-by-side table is made.
 *
 *   npm run build && node dist/scripts/table1-side-by-side.js [--paper docs/results/emodb] [--code docs/results/emodb-code]
 */
import * as path from 'node:path';
import { readResultTables, tableMarkdown, type GridResults } from '../src/notebook/results';
import { PAPER_TABLE_I } from '../src/protocol/paper';
import { projectRoot } from '../src/data/locate';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return path.resolve(projectRoot, i >= 0 ? process.argv[i + 1] : fallback);
}

const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;

/** One markdown row per method and classifier: the paired mean over sets against real rows only. */
function pairedMarkdown(runs: readonly { label: string; r: Omit<GridResults, 'note'> }[]): string {
  const withPaired = runs.filter((x) => x.r.paired);
  if (withPaired.length === 0) return '';
  const head = ['method', 'classifier', ...withPaired.map((x) => `${x.label}: ΔUAR [95 % interval], p (speakers)`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const listed = PAPER_TABLE_I.entries.map((e) => e.method);
  const rank = (m: string): number => (listed.includes(m) ? listed.indexOf(m) : listed.length);
  const methods = [...new Set(withPaired.flatMap((x) => x.r.paired!.map((p) => p.method)))].sort((a, b) => rank(a) - rank(b));
  for (const method of methods) {
    for (const clf of ['svm', 'dnn']) {
      const cells = withPaired.map(({ r }) => {
        const p = r.paired!.find((row) => row.method === method && row.classifier === clf && row.sets === 'mean' && row.against === 'none');
        return p ? `${pct(p.delta)} [${pct(p.low)}, ${pct(p.high)}], p ${p.p.toFixed(2)} (${p.folds})` : '';
      });
      if (cells.every((c) => c === '')) continue;
      lines.push(`| ${method} | ${clf.toUpperCase()} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

const paper = readResultTables(arg('paper', 'docs/results/emodb'), { folds: 10 });
const code = readResultTables(arg('code', 'docs/results/emodb-code'), { folds: 10 });
console.log(tableMarkdown(PAPER_TABLE_I, [
  { label: 'ours, paper protocol', best: paper.best, summary: paper.summary, folds: 10 },
  { label: 'ours, code protocol', best: code.best, summary: code.summary, folds: 10 },
]));
console.log();
console.log(pairedMarkdown([{ label: 'paper protocol', r: paper }, { label: 'code protocol', r: code }]));
