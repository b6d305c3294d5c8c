/**
 * `runExperiment(spec, { jobs: N })`: N worker processes (worker.ts) share the machine's cores
 * (cores / N BLAS threads each) and the store. Each runs the ordinary runner, which claims unit
 * groups from the store most expensive first (schedule.ts), so no group is computed twice and
 * the cheap units at the end keep every worker busy to the last; a worker that dies leaves a
 * claim the others take over. This process prints one progress display from the workers' events
 * and returns the same records a one-process run would.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { RunProgress, type RunEvents } from './run-progress';
import { ExperimentAborted, collectRecords, fitAheadIn, openStore, prepareExperiment, reuseStores, type RunOptions, type RunResult } from './prepare';
import { parseShard, shardGroups, type PlannedUnit } from './plan';
import type { ExperimentSpec } from './spec';

/** A message from a worker to its parent. */
export type WorkerMessage =
  | { type: 'event'; name: keyof RunEvents; args: unknown[] }
  | { type: 'warning'; message: string }
  | { type: 'backend'; summary: string | undefined }
  | { type: 'error'; message: string; aborted: boolean };

/** What the parent sends a worker: the spec (its dataset loaded) and the run's settings. */
export interface WorkerRequest {
  spec: ExperimentSpec;
  options: Pick<RunOptions, 'storeDir' | 'shard' | 'cacheSets' | 'checkpointEvery' | 'keepAugmenters' | 'reuseFitsFrom' | 'initBackend' | 'claimStaleSeconds' | 'pollMs'>;
}

/** BLAS threads of each of `jobs` workers: the cores shared out, at least one. */
export function threadsPerJob(jobs: number, cores = os.availableParallelism?.() ?? os.cpus().length): number {
  return Math.max(1, Math.floor(cores / jobs));
}

export async function runParallel(spec: ExperimentSpec, options: RunOptions): Promise<RunResult> {
  const jobs = options.jobs ?? 1;
  if (options.classifiers || options.augmenters) throw new Error('runExperiment: jobs > 1 runs the default classifiers and augmenters in worker processes; custom factories need jobs: 1');
  const warn = options.onWarning ?? ((m: string) => console.warn(`adan-lab: ${m}`));
  const clock = options.clock ?? (() => performance.now());
  const shard = typeof options.shard === 'string' ? parseShard(options.shard) : options.shard ?? { index: 1, count: 1 };
  // the parent loads the data and plans once: the workers get the dataset itself, not a loader
  const prep = await prepareExperiment(spec, options);
  for (const note of prep.notes) warn(note);
  const store = openStore(prep, options.storeDir);
  const reuse = reuseStores(prep, options.reuseFitsFrom);
  const specHash = store.putSpec(prep.storedSpec);
  const mine = shardGroups(prep.groups, shard);
  const isStored = (u: PlannedUnit): boolean => store.get(u.key) !== undefined;
  const done = new Set(mine.flatMap((g) => g.units).filter(isStored).map((u) => u.key));
  const progress = new RunProgress(mine, done, fitAheadIn(store, options.cacheSets ?? true, reuse), clock, options);
  const reused = done.size;
  progress.begin();

  const threads = threadsPerJob(jobs);
  const request: WorkerRequest = {
    spec: { ...spec, data: prep.data },
    options: { storeDir: options.storeDir, shard, cacheSets: options.cacheSets, checkpointEvery: options.checkpointEvery, keepAugmenters: options.keepAugmenters, reuseFitsFrom: options.reuseFitsFrom, initBackend: options.initBackend, claimStaleSeconds: options.claimStaleSeconds, pollMs: options.pollMs },
  };
  const errors: string[] = [];
  let aborted = false;
  let backend: string | undefined;
  const workers: ChildProcess[] = [];
  const onAbort = (): void => {
    aborted = true;
    for (const w of workers) w.kill('SIGTERM');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await Promise.all(
      Array.from({ length: jobs }, (_, i) => {
        const w = fork(path.join(__dirname, 'worker.js'), [], {
          env: { ...process.env, ADAN_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads), ADAN_WORKER: String(i + 1) },
          serialization: 'advanced',
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        workers.push(w);
        return new Promise<void>((resolve) => {
          w.on('message', (m: WorkerMessage) => {
            if (m.type === 'event') (progress[m.name] as (...a: unknown[]) => void)(...m.args);
            else if (m.type === 'warning') warn(`worker ${i + 1}: ${m.message}`);
            else if (m.type === 'backend') backend ??= m.summary;
            else if (m.type === 'error') {
              if (m.aborted) aborted = true;
              else errors.push(`worker ${i + 1}: ${m.message}`);
            }
          });
          w.on('exit', (code, signal) => {
            if (code !== 0 && !aborted && errors.length === 0) errors.push(`worker ${i + 1} exited with ${signal ?? `code ${code}`}`);
            resolve();
          });
          w.send(request);
        });
      }),
    );
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  const total = mine.reduce((n, g) => n + g.units.length, 0);
  if (aborted) throw new ExperimentAborted(progress.doneCount, total);
  if (errors.length > 0) throw new Error(`${errors.join('; ')} (finished units are stored; run the same command again to continue)`);
  if (progress.duplicates > 0) warn(`${progress.duplicates} unit(s) were computed by two workers (their claims failed: is ${options.storeDir} on a filesystem without exclusive create?)`);
  const records = collectRecords(store, mine, options.storeDir);
  return {
    records, total, computed: progress.computedCount, reused, seconds: progress.seconds(), storeDir: options.storeDir, shard, specHash,
    backend: `${jobs} workers x ${threads} BLAS thread(s)${backend ? `; ${backend.replace(/^adan-lab backend: /, '')}` : ''}`,
  };
}
