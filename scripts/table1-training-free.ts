/**
 * Table I rows of the training-free augmenters (copy, noise, SMOTE) with the linear SVM on all
 * ten EmoDB folds: the part of the grid that runs in minutes here (REPRODUCTION.md).
 *
 *   npm run build && node dist/scripts/table1-training-free.js [--store results/table1-training-free]
 */
import { runExperiment } from '../src/experiment/runner';
import { summarize } from '../src/experiment/summary';
import { writeResults } from '../src/experiment/output';
import { formatTable } from '../src/experiment/paper';
import { paperTable } from '../src/experiment/grid';
import { progressReporter } from '../src/cli/progress';
import * as path from 'node:path';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--store');
  const storeDir = i >= 0 ? process.argv[i + 1] : 'results/table1-training-free';
  const spec = { data: 'emodb-is11', augment: ['none', 'copy', 'noise', 'smote'], sets: [0, 1, 5, 10], repeats: 1, classifiers: ['svm'] };
  const progress = progressReporter('table I, training-free');
  const run = await runExperiment(spec, { storeDir, onProgress: progress.onProgress });
  progress.finish();
  const summary = summarize(run.records);
  writeResults(summary, path.join(storeDir, 'results'), run.records);
  console.log(formatTable(summary, paperTable('emodb')));
  console.log(`${run.total} units in ${run.seconds.toFixed(0)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
