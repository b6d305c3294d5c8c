/**
 * `adan-lab results show STORE`, `results merge --out DIR SOURCE...` and `results export STORE
 * --out FILE`: the tables of a store (beside the paper's), one store from the stores of sharded
 * runs or from archives, and a store's units (or some folds of them) in one archive file.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Command, Option } from 'commander';
import { numberList } from './options';
import { describeStore } from './store-line';

export function registerResults(program: Command): void {
  const results = program.command('results').summary('show a result store\'s tables, merge the stores of sharded runs, or export a store to one file');
  results
    .command('show')
    .summary('Table I / II of a store beside the paper\'s, its curves and the compute it recorded')
    .argument('<store>', 'a result store (made by reproduce, or eval --store)')
    .addOption(new Option('--folds <list>', 'only the units of these folds, e.g. to compare methods on the speakers all of them have').argParser(numberList(1, undefined, 'fold numbers')))
    .option('--curves', 'also print UAR against the number of sets (Fig. 6 / 7)', false)
    .option('--compare', 'also print the paired differences against real rows only, against copy and against the steps control (where the store has it), per fold, with 95 % intervals (paired.csv)', false)
    .option('--out <dir>', 'also write the tables (CSV, JSON) into this folder')
    .option('--json', 'print the best points as JSON', false)
    .action(async (dir: string, o) => {
      const { ResultStore } = await import('../experiment/store.js');
      const { summarize, computeTime, formatComputeTime, fitRows, formatEarlyStops, matchedCurves } = await import('../experiment/summary.js');
      const { writeResults } = await import('../experiment/output.js');
      const { formatTable, formatCurves, PAPER_TABLES } = await import('../experiment/paper.js');
      if (!fs.existsSync(path.join(dir, 'store.json')) && !fs.existsSync(path.join(dir, 'units'))) {
        throw new Error(`${dir} is not a result store (${fs.existsSync(dir) ? 'no store.json or units/ in it' : 'no such folder'}); \`adan-lab reproduce\` and \`eval --store DIR\` create one`);
      }
      const folds: number[] | undefined = o.folds;
      const records = new ResultStore(dir).all().filter((r) => !folds || folds.includes(r.config.fold.index));
      if (folds && records.length === 0) throw new Error(`${dir} has no unit on fold(s) ${folds.join(',')}`);
      const summary = summarize(records);
      if (o.out) console.error(`tables of ${records.length} units of ${dir}${folds ? ` (folds ${folds.join(',')})` : ''}: ${path.dirname(writeResults(summary, o.out, records)[0])}`);
      if (o.json) {
        console.log(JSON.stringify(summary.best));
        return;
      }
      console.log(describeStore(dir, new ResultStore(dir).identity()));
      const ds = summary.best[0]?.dataset ?? '';
      console.log(formatTable(summary, ds.startsWith('emodb') ? PAPER_TABLES.emodb : ds.startsWith('iemocap') ? PAPER_TABLES.iemocap : undefined));
      if (o.curves) console.log(`\n${formatCurves(matchedCurves(records))}`);
      if (o.compare) {
        const { pairedTable, formatPaired } = await import('../experiment/paired-table.js');
        console.log(`\n${formatPaired(pairedTable(records, { choices: summary.inner }))}`);
      }
      console.log(`\n${formatComputeTime(computeTime(records))}`);
      const stops = formatEarlyStops(fitRows(records));
      if (stops) console.log(stops);
    });
  results
    .command('merge')
    .summary('combine the stores of sharded runs, or archives (results export), into one (a unit in two of them must agree)')
    .argument('<stores...>', 'the stores (folders) and archives (files) to merge')
    .requiredOption('--out <dir>', 'the merged store (may be one of the stores)')
    .option('--json', 'print the merge report as JSON', false)
    .action(async (stores: string[], o) => {
      const { ResultStore } = await import('../experiment/store.js');
      const { mergeStores } = await import('../experiment/merge.js');
      const { summarize } = await import('../experiment/summary.js');
      const { writeResults } = await import('../experiment/output.js');
      const report = mergeStores(stores, o.out);
      for (const d of report.damaged) console.error(`adan-lab: skipped damaged ${d.file}: ${d.problem}`);
      const records = new ResultStore(o.out).all();
      writeResults(summarize(records), path.join(o.out, 'results'), records);
      if (o.json) console.log(JSON.stringify({ ...report, units: records.length }));
      else console.log(`merged ${stores.length} store(s) and archive(s) into ${o.out}: ${report.copied} units copied, ${report.same} already there, ${records.length} in all; tables in ${path.join(o.out, 'results')}`);
    });
  results
    .command('export')
    .summary('write a store\'s units, or some folds of them, to one gzipped file that `results merge` reads back')
    .description(
      'An archive keeps every unit as the store does (predictions, key, checksum), so a grid computed a fold at a time ' +
        '(reproduce --folds) can be saved fold by fold, e.g. committed, and continued on another machine: ' +
        '`results merge ARCHIVE... --out STORE`, then the same reproduce command computes only what is missing.',
    )
    .argument('<store>', 'a result store')
    .requiredOption('--out <file>', 'the archive to write (e.g. fold-01.jsonl.gz)')
    .addOption(new Option('--folds <list>', 'only the units of these folds').argParser(numberList(1, undefined, 'fold numbers')))
    .action(async (dir: string, o) => {
      const { exportStore, readArchive } = await import('../experiment/archive.js');
      const n = exportStore(dir, o.out, { folds: o.folds });
      // per fold, so that a fold exported before it was finished shows
      const perFold = new Map<number, number>();
      for (const r of readArchive(o.out).records) perFold.set(r.config.fold.index, (perFold.get(r.config.fold.index) ?? 0) + 1);
      console.log(`${n} units of ${dir} in ${o.out} (${(fs.statSync(o.out).size / 1e6).toFixed(2)} MB): ${[...perFold].map(([f, c]) => `fold ${f} ${c}`).join(', ')}`);
    });
}
