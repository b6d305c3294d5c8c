/**
 * `adan-lab eval`: one point of the grid (method, sets, classifier) cross-validated over the
 * folds, pooled WA/UAR and the per-fold spread.
 */
import { Command, Option } from 'commander';
import { AUGMENT_METHODS } from '../augment/augmenter';
import { CLASSIFIER_NAMES } from '../classify/classifier';
import { PAPER_EPOCHS } from '../protocol/paper';
import { addIemocapOptions, loadOptionsOf, dataDirOption, jobsOption, jsonObject, numberList, protocolOption, setsParser, wholeNumber } from './options';
import { asFlagError, loaderFor, usageError } from './errors';

export function registerEval(program: Command): void {
  addIemocapOptions(
  program
      .command('eval')
      .summary('cross-validate one classifier with one augmenter: pooled WA/UAR and the per-fold spread')
      .description(
        'Cross-validate one point of the grid: the classifier trained on each training fold plus SETS augmented sets (each one ' +
          "training fold's worth of synthetic rows), tested on the held-out speaker/session; predictions of all folds pooled, " +
          'as the paper. Without --store the units go to a temporary store that is removed after.',
      )
      .requiredOption('--data <name>', 'dataset name (emodb-is11, iemocap-is10, synthetic, ...) or path (README, "Where the data go")')
      .addOption(new Option('--classifier <name>', 'emotion classifier').choices(CLASSIFIER_NAMES).default('svm'))
      .addOption(new Option('--augment <method>', 'augmentation method (none = real rows only)').choices(['none', ...AUGMENT_METHODS]).default('none'))
      .addOption(new Option('--sets <n>', 'augmented sets added to each training fold (default: 1 with an augmenter, 0 without)').argParser(setsParser))
      .addOption(new Option('--epochs <n>', `training epochs of a GAN-type augmenter (default: the augmenter's, ${PAPER_EPOCHS}; ignored by copy, noise, smote)`).argParser(wholeNumber(1)))
      .addOption(new Option('--folds <list>', 'folds to run, 1-based (default: all: 10 speakers of EmoDB, 5 sessions of IEMOCAP)').argParser(numberList(1, undefined, 'fold numbers')))
      .addOption(new Option('--repeats <n>', 'repeats with fresh draws of the synthetic rows (the paper: 3)').argParser(wholeNumber(1)).default(1))
      .addOption(new Option('--seed <n>', 'seed of the experiment; every augmenter, set and classifier seed derives from it').argParser(wholeNumber(0)).default(0))
      .addOption(protocolOption())
      .addOption(new Option('--classifier-options <json>', 'classifier constructor options, over the protocol\'s, e.g. \'{"epochs":550}\'').argParser(jsonObject))
      .addOption(new Option('--augment-options <json>', "augmenter constructor options, over the protocol's, e.g. '{\"alpha\":0.1}'; keys the method does not take are ignored with a note").argParser(jsonObject))
      .addOption(jobsOption())
      .option('--store <dir>', 'keep the units in this store, so a killed run resumes (default: a temporary one)')
      .addOption(dataDirOption())
      .option('--json', 'print one JSON object (metrics as fractions)', false),
  )
    .action(async (o) => {
      const { applicableOptions } = await import('../augment/index.js');
      const { runEval } = await import('../experiment/eval.js');
      const { SYNTHETIC_NOTICE } = await import('../data/synthetic.js');
      const { progressReporter } = await import('./progress.js');
      const method = o.augment as string;
      if (method === 'none' && o.sets > 0) throw usageError('--sets', o.sets, '0 without --augment (name an augmentation method to add sets)');
      if (method !== 'none' && o.sets === 0) throw usageError('--sets', o.sets, `>= 1 with --augment ${method} (0 sets is --augment none)`);
      // options a method does not take are dropped with a note, so one command line loops over all methods
      let augmentOptions = { ...(o.augmentOptions ?? {}), ...(o.epochs !== undefined ? { epochs: o.epochs } : {}) };
      if (method !== 'none') {
        const split = applicableOptions(method as never, augmentOptions);
        if (split.ignored.length > 0) console.error(`adan-lab: note: ${method} takes no ${split.ignored.map((k) => (k === 'epochs' && o.epochs !== undefined ? '--epochs' : k)).join(', ')}; ignored`);
        augmentOptions = split.options;
      }
      const progress = o.json ? undefined : progressReporter('eval');
      const report = await runEval(
        {
          data: o.data, classifier: o.classifier, augment: method, sets: o.sets, folds: o.folds, seed: o.seed, repeats: o.repeats,
          augmentOptions: Object.keys(augmentOptions).length > 0 ? augmentOptions : undefined, classifierOptions: o.classifierOptions, protocol: o.protocol,
        },
        { storeDir: o.store, onProgress: progress?.onProgress, onEpoch: progress?.onEpoch, loadData: loaderFor(loadOptionsOf(o)), jobs: o.jobs },
      ).catch((err) => {
        throw asFlagError(err, [
          { prefix: new RegExp(`^${method}\\.`), flag: '--augment-options' },
          { prefix: /^(dnn|svm|linearSvm)\./, flag: '--classifier-options' },
        ]);
      });
      progress?.finish();
      if (report.data === 'synthetic') console.error(SYNTHETIC_NOTICE);
      if (o.json) console.log(JSON.stringify(report));
      else {
        const pct = (v: number): string => `${(100 * v).toFixed(2)} %`;
        console.log(`${report.data}, ${report.classifier} (protocol ${report.protocol}), ${report.augment} x ${report.sets} sets, ${report.folds} folds (${report.n} test rows pooled)`);
        console.log(`WA ${pct(report.wa)}  UAR ${pct(report.uar)}  (pooled)   UAR per fold ${pct(report.uarFoldMean)} ± ${pct(report.uarFoldStd)}   ${report.seconds.toFixed(1)} s`);
      }
    });
}
