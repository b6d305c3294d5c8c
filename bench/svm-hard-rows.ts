/**
 * The linear SVM on a trained augmenter's rows, where dual coordinate descent crawls:
 * `node dist/bench/svm-hard-rows.js [options]` prints a markdown table (or, with --json, one
 * JSON object) of one fit per `greedyAfter` value on the same rows, in one process and sitting.
 *
 * The rows are those of one grid unit: the real training rows of a fold (normalised as the grid
 * does: as they are for emodb-is11, z-scored on the training rows otherwise) plus `sets` synthetic
 * sets drawn from the method's augmenter (paper defaults, 1,500 epochs, seed 0). The augmenter
 * comes from the notebooks' cache (`results/notebooks/augmenters`, which notebook 02 fills with
 * the same key), or is fitted there first (~8 min for an AAE on 2 cores).
 *
 * `--reference` also times scikit-learn's `SVC(kernel='linear', C=1)` (the paper protocol's
 * reference, bench/reference/grid_unit.py with Debian's python3) on the same rows and threads.
 *
 * `--pairs false,true` fits each `greedyAfter` without and with the greedy solver's pair steps
 * (linear-svm.ts `greedyPairs`; default false, the single steps). `--fallback greedy,interior-point`
 * does the same for linear-svm.ts `fallback` (what takes a problem over after `greedyAfter` passes).
 *
 * Options: --data emodb-is11  --method aae  --fold 1  --sets 10  --greedy-after 100,1000
 *   --pairs false  --fallback greedy  --threads 1  --reference  --cache <dir>  --json
 */
import * as path from 'node:path';
import { loadDataset } from '../src/data/registry';
import { concat } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { summarizeFolds } from '../src/eval/metrics';
import { linearSvm } from '../src/classify/linear-svm';
import { fitCached } from '../src/notebook/cache';
import { AUGMENT_METHODS, type AugmentMethod } from '../src/augment/augmenter';
import { PAPER_EPOCHS, TRAINED_METHODS } from '../src/protocol/paper';
import { parseArgs } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { loadNative } from '../src/backend/native';
import { initBackend } from '../src/backend/init';
import { referenceSeconds, writeRows } from './grid';
import { normalizeFold } from '../src/experiment/runner';
import { resolveNormalize } from '../src/experiment/spec';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: 'emodb-is11' },
      method: { type: 'string', default: 'aae' },
      fold: { type: 'string', default: '1' },
      sets: { type: 'string', default: '10' },
      'greedy-after': { type: 'string', default: '100,1000' },
      pairs: { type: 'string', default: 'false' },
      fallback: { type: 'string', default: 'greedy' },
      cache: { type: 'string', default: path.join('results', 'notebooks', 'augmenters') },
      threads: { type: 'string', default: '1' },
      reference: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  });
  const method = values.method as AugmentMethod;
  if (!(AUGMENT_METHODS as readonly string[]).includes(method)) throw new Error(`--method: got ${method}, expected one of ${AUGMENT_METHODS.join(', ')}`);
  const fold = Number(values.fold);
  const sets = Number(values.sets);
  const switches = values['greedy-after'].split(',').map(Number);
  if (!Number.isInteger(sets) || sets < 0) throw new Error(`--sets: got ${values.sets}, expected an integer >= 0`);
  if (switches.some((v) => !Number.isInteger(v) || v < 0)) throw new Error(`--greedy-after: got ${values['greedy-after']}, expected integers >= 0`);
  const pairChoices = values.pairs.split(',');
  if (pairChoices.some((v) => v !== 'true' && v !== 'false')) throw new Error(`--pairs: got ${values.pairs}, expected true, false or both (comma-separated)`);

  const fallbacks = values.fallback.split(',') as ('greedy' | 'interior-point')[];
  if (fallbacks.some((v) => v !== 'greedy' && v !== 'interior-point')) throw new Error(`--fallback: got ${values.fallback}, expected greedy, interior-point or both (comma-separated)`);

  const threads = Number(values.threads);
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads: got ${values.threads}, expected an integer >= 1`);
  // through initBackend, so that loading a cached augmenter (which sets up the backend) keeps
  // them: it used to reset the BLAS to every core, and the greedy solver's Gram matrix, a GEMM,
  // rounds differently at 2 threads than at 1 (IEMOCAP fold 1 + 1 noise set: 47.59 against 47.86 UAR)
  await initBackend({ threads });
  const ds = loadDataset(values.data);
  const [raw] = splitFolds(ds, [fold]);
  const f = { ...raw, ...normalizeFold(raw.train, raw.test, resolveNormalize('auto', ds.name)) };
  const aug = sets > 0 ? await fitCached(method, (TRAINED_METHODS as readonly string[]).includes(method) ? { epochs: PAPER_EPOCHS, seed: 0 } : { seed: 0 }, f.train, { dir: values.cache, label: method }) : undefined;
  const synthetic = Array.from({ length: sets }, (_, j) => aug!.sample(f.train.y, { seed: j + 1 }));
  const train = concat([f.train, ...synthetic]);
  const blasThreads = loadNative().addon?.getThreads();
  if (blasThreads !== undefined && blasThreads !== threads) throw new Error(`svm-hard-rows: the BLAS runs ${blasThreads} threads after the augmenter was loaded, not --threads ${threads}`);

  const runs = [];
  let first: Int32Array | undefined;
  const settings = switches.flatMap((g) => pairChoices.flatMap((v) => fallbacks.map((fallback) => [g, v === 'true', fallback] as const)));
  for (const [greedyAfter, greedyPairs, fallback] of settings) {
    const svm = await linearSvm({ greedyAfter, greedyPairs, fallback }).fit(train);
    const info = svm.fitInfo!;
    const yPred = svm.predict(f.test.x);
    first ??= yPred;
    const s = summarizeFolds([{ fold: f.fold.group, yTrue: f.test.y, yPred }], ds.classes.length);
    runs.push({
      greedyAfter,
      greedyPairs,
      fallback,
      seconds: info.seconds,
      notConverged: info.notConverged,
      greedyProblems: info.problems.filter((q) => q.greedySteps > 0).length,
      passes: info.problems.reduce((t, q) => t + q.iterations, 0),
      maxPasses: Math.max(...info.problems.map((q) => q.iterations)),
      greedySteps: info.problems.reduce((t, q) => t + q.greedySteps, 0),
      interiorPointProblems: info.problems.filter((q) => q.interiorPointSteps > 0).length,
      interiorPointSteps: info.problems.reduce((t, q) => t + q.interiorPointSteps, 0),
      // where dual coordinate descent stopped: the share of α at C, lowest and highest over the problems
      boundShare: [Math.min(...info.problems.map((q) => q.boundShare)), Math.max(...info.problems.map((q) => q.boundShare))],
      uar: s.uar,
      problems: info.problems.length,
      sameAsFirst: yPred.reduce((t, c, i) => t + (c === first![i] ? 1 : 0), 0),
    });
  }
  let reference: { seconds: number; reference: string } | null = null;
  const notes: string[] = [];
  if (values.reference) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'svm-hard-rows-'));
    writeRows(dir, train, f.test);
    reference = referenceSeconds('svm-linear', ds.name.startsWith('iemocap') ? 'iemocap' : 'emodb', dir, threads, notes);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const out = { date: new Date().toISOString(), data: ds.name, method, fold, sets, threads, rows: train.n, testRows: f.test.n, runs, reference, notes };
  if (values.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(`linear SVM on ${ds.name} fold ${fold}: ${f.train.n} real + ${sets} sets of ${method} rows (${train.n} rows), ${threads} BLAS thread(s), ${out.date}\n`);
  console.log('| greedyAfter | pair steps | fallback | seconds | problems unconverged | moved to greedy / interior point | passes (most in one problem) | greedy steps | Newton steps | α at C after the passes (min-max over problems) | test UAR | test rows as the first run |');
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of runs) {
    console.log(`| ${r.greedyAfter} | ${r.greedyPairs ? 'yes' : 'no'} | ${r.fallback} | ${r.seconds.toFixed(1)} | ${r.notConverged} | ${r.greedyProblems} / ${r.interiorPointProblems} | ${r.passes} (${r.maxPasses}) | ${r.greedySteps} | ${r.interiorPointSteps} | ${r.boundShare.map((v) => v.toFixed(2)).join('-')} | ${(100 * r.uar).toFixed(2)} | ${r.sameAsFirst} / ${f.test.n} |`);
  }
  if (reference) console.log(`\nreference: ${reference.reference}, ${reference.seconds.toFixed(1)} s (fit + predict, same rows and threads)`);
  for (const n of notes) console.log(`note: ${n}`);
}

main().catch((e: Error) => {
  console.error(`svm-hard-rows: ${e.message}`);
  process.exit(1);
});
