/**
 * `adan-lab reproduce emodb|iemocap`: the grid of the paper's Table I or II, resumable, and the
 * table beside the paper's.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Argument, Command, Option } from 'commander';
import { MAX_SETS, PAPER_EPOCHS, TRAINED_METHODS } from '../protocol/paper';
import { addIemocapOptions, loadOptionsOf, dataDirOption, jobsOption, nameList, numberList, protocolOption, shardSpec, wholeNumber } from './options';
import { asFlagError, loaderFor, usageError } from './errors';
import { INNER_ROWS, SELECT_MODES } from '../experiment/inner';
import { describeStore } from './store-line';
import type { EpochProgress, Progress } from '../experiment/runner';
import type { PreparedExperiment } from '../experiment/prepare';
import type { PlannedUnit } from '../experiment/plan';
import type { PaperDataset } from '../protocol/paper';
import type { ProtocolName } from '../protocol/protocols';
import type { Projection, UnitCosts } from '../experiment/projection';

const GRID_METHODS = ['none', 'copy', 'noise', 'smote', ...TRAINED_METHODS, 'steps'];

export function registerReproduce(program: Command): void {
  addIemocapOptions(
  program
      .command('reproduce')
      .summary("run the grid of the paper's Table I (emodb) or II (iemocap) and print it beside the paper's")
      .description(
        'The full grid: methods none, copy, noise, smote, gan, cgan, aae, adan, wadan x 0..10 augmented sets x 3 repeats x SVM and DNN ' +
          `on every fold (10 EmoDB speakers, 5 IEMOCAP sessions), the GAN-type augmenters trained for ${PAPER_EPOCHS} epochs; ` +
          'EmoDB takes hours (BENCHMARKS.md, "Experiment runner"). --quick: folds 1-3 (EmoDB) or 1 (IEMOCAP), none, copy, noise, smote and a ' +
          '20-epoch WADAN, 0-2 sets, 1 repeat, the SVM: minutes, and it shows the machinery, not the method. Every finished unit is stored ' +
          'at once: run the same command again to continue after a kill. Tables go to STORE/results/.',
      )
      .addArgument(new Argument('<corpus>', "which table: emodb (Table I) or iemocap (Table II)").choices(['emodb', 'iemocap']))
      .option('--quick', 'the small grid (minutes) instead of the full one', false)
      .addOption(protocolOption())
      .addOption(new Option('--methods <list>', `only these methods of the grid, some of ${GRID_METHODS.join(',')} (their units are the full grid's, so a later full run reuses them)`).argParser(nameList(GRID_METHODS)))
      .addOption(new Option('--classifiers <list>', 'only these classifiers of the grid, svm or dnn (the fitted GAN-type augmenters are then kept in the store for the other)').argParser(nameList(['svm', 'dnn'])))
      .addOption(new Option('--folds <list>', 'only these folds, 1-based, e.g. 1 or 1,2 (default: every fold; their units are the full grid\'s, so a later run of all folds reuses them)').argParser(numberList(1, undefined, 'fold numbers')))
      .addOption(new Option('--sets <list>', 'only these numbers of augmented sets, e.g. 0,1,2,3,5,10 (0: real rows only; default 0-10, --quick its own; their units are the full grid\'s, so a later full run reuses them)').argParser(numberList(0, MAX_SETS, 'numbers of augmented sets')))
      .addOption(new Option('--epochs <n>', `training epochs of the GAN-type augmenters (default ${PAPER_EPOCHS}; --quick 20)`).argParser(wholeNumber(1)))
      .option('--data <name>', "dataset name or path instead of the corpus' default (emodb-is11, iemocap-is10)")
      .addOption(dataDirOption())
      .addOption(new Option('--seed <n>', 'seed of the experiment').argParser(wholeNumber(0)).default(0))
      .option('--store <dir>', 'result store (default: results/<corpus>[-<protocol>][-<data>][-quick]; one dataset and protocol per store)')
      .addOption(jobsOption())
      .option('--reuse-fits <stores...>', "load the GAN-type augmenters other stores of the same dataset kept (--classifiers keeps them) instead of fitting them again: a fit of the same fold, method, options and seed is the same fit, e.g. GAN, cGAN and AAE across the two protocols")
      .addOption(new Option('--shard <i/N>', 'run only shard i of N (whole augmenter groups, balanced by cost), e.g. a SLURM array task').argParser(shardSpec))
      .addOption(new Option('--select <how>', 'how the number of sets is chosen: test (the paper: best point on the test speakers) or inner (also by 3 inner folds on each fold\'s training speakers: best.csv setsInner, uarInner; with the paper protocol\'s DNN its epochs too, epochsInner; about 3x the classifier fits of the grid, README "Choosing the number of sets")').choices(SELECT_MODES).default('test'))
      .addOption(new Option('--inner-rows <how>', 'with --select inner: synthetic rows of the inner folds from one augmenter fitted per inner fold (refit), or from the outer fold\'s (shared: its inner test speakers were seen by it); auto (default): refit for copy, noise, smote, shared for the GAN-type ones').choices(INNER_ROWS))
      .option('--augmenter-per-repeat', 'one augmenter per fold and repeat, each seeded apart, so the ± over repeats includes the augmenter (repeat 1 keeps the grid\'s own, repeats 2 and 3 fit theirs: 3x the fits in a fresh store; lines labelled "(an augmenter per repeat)"; best.csv augmenterSeeds)', false)
      .option('--steps-control', 'also train the DNN on real rows alone for (k + 1) times its epochs at every k: as many updates as k sets, no new rows (method "steps")', false)
      .option('--archive <dir>', 'run fold by fold and save each finished fold as DIR/fold-NN.jsonl.gz (results export), and the fold in progress every 30 minutes as DIR/fold-NN.partial.jsonl.gz; a run first merges the archives in DIR into the store, so the same command continues on another machine (not with --shard; --dry-run looks at the store only)')
      .option('--dry-run', 'say how many units the store holds and which are missing; compute nothing', false)
      .option('--costs <file>', 'with --dry-run: the hours the missing units take on --jobs workers, priced by the unit costs `bench --grid --json` measured (its output saved in FILE)')
      .option('--json', 'print the best points and the summary as one JSON object', false),
  )
    .action(async (corpus: 'emodb' | 'iemocap', o) => {
      const { reproduceGrid, defaultStore, paperTable } = await import('../experiment/grid.js');
      const { readStored, describeMissing } = await import('../experiment/stored.js');
      const { runExperiment } = await import('../experiment/runner.js');
      const { runFoldByFold } = await import('../experiment/fold-archives.js');
      const { summarize, computeTime, formatComputeTime, fitRows, formatEarlyStops } = await import('../experiment/summary.js');
      const { writeResults } = await import('../experiment/output.js');
      const { formatTable } = await import('../experiment/paper.js');
      const { progressReporter } = await import('./progress.js');
      if (o.innerRows !== undefined && o.select !== 'inner') throw usageError('--inner-rows', o.innerRows, 'only with --select inner (the rows of inner folds; without them there are none)');
      let spec;
      try {
        spec = reproduceGrid(corpus, { quick: o.quick, data: o.data, epochs: o.epochs, seed: o.seed, methods: o.methods, classifiers: o.classifiers, protocol: o.protocol, stepsControl: o.stepsControl, select: o.select, innerRows: o.innerRows, augmenterPerRepeat: o.augmenterPerRepeat, folds: o.folds, sets: o.sets });
      } catch (err) {
        // e.g. --quick --sets 5: a number of sets its grid does not have
        throw asFlagError(err, ['sets', 'methods', 'classifiers'].map((f) => ({ prefix: new RegExp(`^${f}$`), flag: `--${f}` })));
      }
      const storeDir: string = o.store ?? defaultStore(corpus, { protocol: o.protocol, data: o.data, quick: o.quick });
      const loadData = loaderFor(loadOptionsOf(o));
      if (o.archive !== undefined && o.shard !== undefined) throw usageError('--archive', o.archive, 'not with --shard (each fold is saved whole)');
      if (o.costs !== undefined && !o.dryRun) throw usageError('--costs', o.costs, 'only with --dry-run (it prices what a run would compute)');
      for (const dir of o.reuseFits ?? []) if (!fs.existsSync(path.join(dir, 'store.json'))) throw usageError('--reuse-fits', dir, 'a result store (a folder with store.json)');
      if (o.dryRun) {
        // what the store holds of the grid (or of the shard) and what a run would compute; nothing is written
        const costs = o.costs !== undefined ? (await import('../experiment/projection.js')).readUnitCosts(o.costs) : undefined;
        // pricing needs the prepared grid too: prepared once, so the data are loaded once
        const prepared = costs ? await (await import('../experiment/prepare.js')).prepareExperiment(spec, { loadData }) : undefined;
        const part = await readStored(spec, { storeDir, loadData, shard: o.shard, prepared });
        const missing = describeMissing(part.missing);
        const projection = costs && prepared ? await projectMissing(prepared, part.missing, { corpus, protocol: o.protocol, storeDir, reuseFits: o.reuseFits ?? [], jobs: o.jobs, costs, source: o.costs }) : undefined;
        // with --archive, the saved folds are merged by a run, not here: counted (and priced) as missing
        if (o.json) console.log(JSON.stringify({ stored: part.records.length, total: part.total, missing, storeDir, shard: o.shard ?? '1/1', ...(o.archive !== undefined ? { archiveNotCounted: o.archive } : {}), ...(projection ? { projection: projection.projection } : {}) }));
        else {
          console.log(`${part.records.length} of ${part.total} units of the grid${o.shard ? ` (shard ${o.shard})` : ''} are in ${storeDir}; nothing computed (--dry-run)`);
          if (o.archive !== undefined) console.log(`(the folds saved in ${o.archive} are not counted: a run merges them into the store first)`);
          if (missing.length > 0) console.log(`missing:\n${missing.map((l) => `  ${l}`).join('\n')}`);
          if (projection) console.log(projection.line);
          else if (part.missing.length > 0) console.log('hours: add --costs FILE, a saved `adan-lab bench --grid --json` of this machine, to price what is missing');
        }
        return;
      }
      const label = `reproduce ${corpus}${o.quick ? ' --quick' : ''}${o.protocol !== 'paper' ? ` --protocol ${o.protocol}` : ''}`;
      // with --archive, one bar per fold
      let progress = progressReporter(label);
      // part of a grid's classifiers: keep the fitted GAN-type augmenters, so that the run for the
      // others loads them instead of fitting them again (the training-free ones refit in no time)
      const keepAugmenters = o.classifiers !== undefined ? TRAINED_METHODS : false;
      const runOptions = { storeDir, shard: o.shard, keepAugmenters, reuseFitsFrom: o.reuseFits, onProgress: (p: Progress) => progress.onProgress(p), onEpoch: (e: EpochProgress) => progress.onEpoch(e), loadData, jobs: o.jobs };
      const run = o.archive === undefined
        ? await runExperiment(spec, runOptions)
        : await runFoldByFold(spec, {
          ...runOptions,
          archiveDir: o.archive,
          onRestored: (files, copied) => console.error(`${files.length} fold archive(s) in ${o.archive} merged into ${storeDir} (${copied} units copied)`),
          onFoldStart: (fold, position, count) => {
            progress = progressReporter(`${label} fold ${fold} (${position}/${count})`);
          },
          onPartialSaved: (fold, file, units) => progress.note(`fold ${fold} saved as far as it has run: ${units} units in ${file}`),
          onFoldSaved: (fold, file, units) => {
            progress.finish();
            console.error(`fold ${fold} complete: ${units} units saved in ${file}`);
            progress = progressReporter(label); // (finished twice, a bar prints twice)
          },
        });
      progress.finish();
      const sharded = o.shard !== undefined && o.shard !== '1/1';
      // A shard's tables cover every unit of the grid found in its store: its own, and those of
      // other shards that share the store (a shard on a store of its own finds only its own).
      const records = sharded ? (await readStored(spec, { storeDir, loadData })).records : run.records;
      const summary = summarize(records);
      if (sharded) {
        console.error(
          `shard ${o.shard}: ${run.total} units in ${storeDir} (${run.computed} computed now). When all shards are done: ` +
            `if they shared this store, \`adan-lab results show ${storeDir}\` (or one unsharded run of the same command, which computes only what is missing); ` +
            'if each wrote its own store, `adan-lab results merge --out DIR STORE...`.',
        );
      }
      const files = writeResults(summary, path.join(storeDir, 'results'), records);
      if (o.json) {
        console.log(JSON.stringify({ best: summary.best, summary: summary.summary, seconds: run.seconds, computed: run.computed, reused: run.reused, protocol: o.protocol, storeDir }));
        return;
      }
      console.log(describeStore(storeDir, { protocol: o.protocol }));
      console.log(formatTable(summary, paperTable(corpus)));
      console.log(`\n${run.total} units (${run.computed} computed, ${run.reused} from the store) in ${run.seconds.toFixed(1)} s${run.backend ? ` (${run.backend})` : ''}; tables in ${path.dirname(files[0])}`);
      console.log(formatComputeTime(computeTime(records)));
      const stops = formatEarlyStops(fitRows(records));
      if (stops) console.log(stops);
    });
}

/** The hours the missing units of a grid take, priced by `bench --grid`'s unit costs (`--costs`); fits the store or `--reuse-fits` keep cost nothing. */
async function projectMissing(
  prep: PreparedExperiment, missing: readonly PlannedUnit[],
  o: { corpus: PaperDataset; protocol: ProtocolName; storeDir: string; reuseFits: string[]; jobs: number; costs: UnitCosts; source: string },
): Promise<{ projection: Projection; line: string }> {
  const { fitAheadIn } = await import('../experiment/prepare.js');
  const { ResultStore } = await import('../experiment/store.js');
  const { projectUnits, formatProjection } = await import('../experiment/projection.js');
  const keys = new Set(missing.map((u) => u.key));
  const fitAhead = fitAheadIn(new ResultStore(o.storeDir), true, o.reuseFits.map((d) => new ResultStore(d)));
  const loaded = new Set(prep.groups.filter((g) => !fitAhead(g, g.units.filter((u) => keys.has(u.key)))).map((g) => g.key));
  const projection = projectUnits(prep, o.protocol, o.corpus, o.costs, { jobs: o.jobs, keys, loaded, source: o.source });
  return { projection, line: formatProjection(projection, o.costs, o.source) };
}
