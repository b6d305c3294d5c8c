/**
 * The committed tables of a grid: everything a reader (or notebook 04) needs from a result store
 * without the store itself, which holds every prediction and stays out of git.
 *
 *   npm run build && node dist/scripts/publish-results.js STORE docs/results/NAME
 *
 * Writes into the folder: `table.txt` (Table I/II beside the paper's, the protocol, the compute
 * recorded, where ADAN stopped), `curves.txt` and `paired.txt` (the text of `results show
 * --curves` and `--compare`), and `best.csv`, `summary.csv`, `curves.csv`, `units.csv` (one row
 * per unit: fold, repeat, sets, WA, UAR — enough to redo any paired comparison), `paired.csv`,
 * `fits.csv`. A partly computed grid publishes what it holds; the tables say which folds and
 * repeats each row pools. Units of other specs in the store are included as they are.
 *
 * `--whole-folds` leaves out the augmented units of folds with fewer of them than the fullest
 * fold: those the grid is still computing, which would put their speaker into some rows of a
 * table and not others. Real-only and steps units stay (the grid computes them first, for every
 * fold). For committing a grid that is still running, fold by fold.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ResultStore, type UnitRecord } from '../src/experiment/store';
import { STEPS_METHOD } from '../src/experiment/steps';
import { computeTime, fitRows, formatComputeTime, formatEarlyStops, matchedCurves, summarize } from '../src/experiment/summary';
import { formatCurves, formatTable } from '../src/experiment/paper';
import { formatPaired, pairedTable } from '../src/experiment/paired-table';
import { innerRows, outerRecords } from '../src/experiment/inner-select';
import { toCsv, toRows } from '../src/experiment/output';
import { PAPER_TABLES } from '../src/protocol/paper';
import { describeStore } from '../src/cli/store-line';
import { writeFileAtomic } from '../src/experiment/atomic';

/** The records without the augmented units of folds that have fewer of them than the fullest fold. */
function keepWholeFolds(records: readonly UnitRecord[]): UnitRecord[] {
  const augmented = (r: UnitRecord): boolean => r.config.augment.method !== 'none' && r.config.augment.method !== STEPS_METHOD;
  const count = new Map<number, number>();
  for (const r of records) if (augmented(r)) count.set(r.config.fold.index, (count.get(r.config.fold.index) ?? 0) + 1);
  const full = Math.max(0, ...count.values());
  const partial = [...count].filter(([, c]) => c < full);
  if (partial.length > 0) console.error(`--whole-folds: left out fold ${partial.map(([f, c]) => `${f} (${c} of ${full} augmented units)`).join(', ')}`);
  return records.filter((r) => !augmented(r) || count.get(r.config.fold.index) === full);
}

function main(): void {
  const flags = ['--whole-folds', '--outer-only'];
  const wholeFolds = process.argv.includes('--whole-folds');
  const outerOnly = process.argv.includes('--outer-only');
  const [storeDir, out] = process.argv.slice(2).filter((a) => !flags.includes(a));
  if (!storeDir || !out) {
    console.error('usage: node dist/scripts/publish-results.js STORE OUT_DIR [--whole-folds] [--outer-only]');
    process.exit(2);
  }
  if (!fs.existsSync(path.join(storeDir, 'units'))) {
    console.error(`${storeDir} is not a result store (no units/ folder)`);
    process.exit(1);
  }
  const store = new ResultStore(storeDir);
  const stored = outerOnly ? outerRecords(store.all()) : store.all();
  const records = wholeFolds ? keepWholeFolds(stored) : stored;
  const summary = summarize(records);
  const dataset = summary.best[0]?.dataset ?? '';
  const paper = dataset.startsWith('emodb') ? PAPER_TABLES.emodb : dataset.startsWith('iemocap') ? PAPER_TABLES.iemocap : undefined;
  const stops = formatEarlyStops(fitRows(records));
  const table = [
    describeStore(storeDir, store.identity()),
    formatTable(summary, paper),
    '',
    formatComputeTime(computeTime(records)),
    ...(stops ? [stops] : []),
  ].join('\n');
  const paired = pairedTable(records, { choices: summary.inner });
  const files: Record<string, string> = {
    'table.txt': table + '\n',
    'curves.txt': formatCurves(matchedCurves(records)) + '\n',
    'paired.txt': formatPaired(paired) + '\n',
    'best.csv': toCsv(toRows(summary, 'best')),
    'summary.csv': toCsv(toRows(summary, 'summary')),
    'curves.csv': toCsv(matchedCurves(records).map((r) => ({ ...r }) as unknown as Record<string, unknown>)),
    'units.csv': toCsv(toRows(summary, 'units')),
    'paired.csv': toCsv(paired as unknown as Record<string, unknown>[]),
    'fits.csv': toCsv(fitRows(records) as unknown as Record<string, unknown>[]),
    // a store with inner units (reproduce --select inner): every fold's inner scores and choice
    ...(summary.inner.length > 0 ? { 'inner.csv': toCsv(innerRows(summary.inner)) } : {}),
  };
  fs.mkdirSync(out, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileAtomic(path.join(out, name), text);
  console.error(`${records.length} units of ${storeDir} -> ${out}: ${Object.keys(files).join(', ')}`);
}

main();
