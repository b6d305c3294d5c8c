/**
 * RBF-kernel SVM: adan-lab's KernelSvm against scikit-learn's SVC(kernel='rbf') on identical
 * rows, seconds per fit + predict and the predictions that differ.
 *
 * (i)  EmoDB IS11 (535 x 4354), leave-one-speaker-out: 10 fits on ~480 rows, each predicting
 *      the held-out speaker; seconds summed over the folds, predictions pooled (WA, UAR).
 * (ii) Fold 1's 486 training rows + `--copies` (10) noisy copies (x + noise · N(0, 1), seeded,
 *      float32) = 5,346 rows, predicting fold 1's 49 test rows: the size of a training set
 *      with 10 augmented sets. The rows are written to a temporary folder that the Python side
 *      reads, so both fit exactly the same values.
 * scikit-learn runs bench/reference/svc.py (its own .mat reading for (i)), once per run;
 * adan-lab once per BLAS thread count (scikit-learn's libsvm is single-threaded), after one
 * untimed fit that compiles its code (file reading is outside the timings on both sides).
 *
 * Usage:
 *   npm run build && node dist/bench/kernel-svm.js
 * Options: --threads 1,2 (default 1 and nproc), --copies 10, --noise 0.3, --C 10, --gamma auto,
 *   --python /usr/bin/python3 (Debian's, with scikit-learn), --no-sklearn, --json <file>.
 * Wall seconds on a shared machine vary with its load: the CPU seconds (user + system) are
 * printed beside them.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadNative } from '../src/backend/native';
import { KernelSvm, type GammaSpec } from '../src/classify/kernel-svm';
import type { Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { findDataEntry, projectRoot, whereToGetData } from '../src/data/locate';
import { loadDataset } from '../src/data/registry';
import { summarizeFolds } from '../src/eval/metrics';
import { withNoisyCopies } from './grid';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Wall and CPU seconds (user + system, all threads) of `f`. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function writeRows(dir: string, train: Dataset, testX: Float32Array): void {
  const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  fs.writeFileSync(path.join(dir, 'x.f32'), bytes(train.x));
  fs.writeFileSync(path.join(dir, 'y.i32'), bytes(train.y));
  fs.writeFileSync(path.join(dir, 'test-x.f32'), bytes(testX));
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ n: train.n, d: train.d, nTest: testX.length / train.d }));
}

function differ(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

interface SklearnResult {
  sklearn: string;
  loso: { seconds: number; cpu: number; predictions: number[] };
  augmented: { rows: number; seconds: number; cpu: number; predictions: number[]; supportVectors: number };
}

async function main(): Promise<void> {
  const dataDir = findDataEntry('emodb-is11');
  if (!dataDir) {
    console.log(`kernel-svm bench: ${whereToGetData('emodb-is11')}`);
    return;
  }
  const blas = loadNative().addon;
  const nproc = os.availableParallelism?.() ?? os.cpus().length;
  const threads = [...new Set((arg('threads') ?? `1,${nproc}`).split(',').map(Number))];
  const copies = Number(arg('copies') ?? 10);
  const noise = Number(arg('noise') ?? 0.3);
  const C = Number(arg('C') ?? 10);
  const gammaText = arg('gamma') ?? 'auto';
  const gamma: GammaSpec = gammaText === 'auto' || gammaText === 'scale' ? gammaText : Number(gammaText);
  const python = arg('python') ?? '/usr/bin/python3';
  const options = { kernel: 'rbf' as const, C, gamma };

  const ds = loadDataset('emodb-is11');
  const folds = splitFolds(ds);
  const fold1 = folds[0];
  const augmented = withNoisyCopies(fold1.train, copies, 0, noise);
  const truth = folds.flatMap((f) => [...f.test.y]);

  // scikit-learn first: it reads the augmented rows from the files written here
  let sk: SklearnResult | undefined;
  if (!process.argv.includes('--no-sklearn')) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-svm-bench-'));
    try {
      writeRows(tmp, augmented, fold1.test.x);
      const script = path.join(projectRoot, 'bench', 'reference', 'svc.py');
      console.log(`running scikit-learn (${python} ${path.relative(process.cwd(), script)}) ...`);
      const r = spawnSync(python, [script, '--data', dataDir, '--C', String(C), '--gamma', String(gamma), '--augmented', tmp], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26,
      });
      if (r.status !== 0) throw new Error(`${python} ${script} failed (exit ${r.status}${r.error ? `, ${r.error.message}` : ''})`);
      sk = JSON.parse(r.stdout.trim().split('\n').pop()!) as SklearnResult;
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }

  // one untimed fit first, so that no timed run pays for compiling the solver (JIT)
  await new KernelSvm(options).fit(fold1.train);

  const rows: Record<string, unknown>[] = [];
  for (const t of threads) {
    blas?.setThreads(t);
    const loso = await timed(async () => {
      const preds: number[] = [];
      for (const f of folds) preds.push(...(await new KernelSvm(options).fit(f.train)).predict(f.test.x));
      return preds;
    });
    const big = await timed(async () => {
      const svm = await new KernelSvm(options).fit(augmented);
      return { predictions: [...svm.predict(fold1.test.x)], info: svm.fitInfo! };
    });
    rows.push({
      threads: blas ? t : 0,
      loso: { seconds: loso.wall, cpu: loso.cpu, predictions: loso.value },
      augmented: { rows: augmented.n, seconds: big.wall, cpu: big.cpu, predictions: big.value.predictions, supportVectors: big.value.info.supportVectors, kernel: big.value.info.kernel },
    });
    if (!blas) break; // the JS loop has no threads
  }

  const pooled = (p: number[]): string => {
    const s = summarizeFolds([{ fold: 'all', yTrue: truth, yPred: p }], ds.classes.length);
    return `WA ${(100 * s.wa).toFixed(2)} / UAR ${(100 * s.uar).toFixed(2)}`;
  };
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(`\nRBF SVM, C=${C}, gamma=${JSON.stringify(gamma)}: adan-lab KernelSvm vs scikit-learn ${sk?.sklearn ?? '(not run)'} SVC`);
  console.log(`machine: ${nproc} CPUs (${cpu}), ${blas ? blas.info() : 'no native addon: JS kernel loop'}; ${new Date().toISOString()}`);
  console.log('\ncase                                      rows  who                       seconds wall (cpu)  predictions differing from scikit-learn');
  const line = (c: string, n: string, who: string, wall: number, cpuS: number, diff: string): void =>
    console.log(`${c.padEnd(40)} ${n.padStart(5)}  ${who.padEnd(25)} ${`${wall.toFixed(2)} (${cpuS.toFixed(2)})`.padStart(18)}  ${diff}`);
  const losoRows = `${Math.min(...folds.map((f) => f.train.n))}-${Math.max(...folds.map((f) => f.train.n))}`;
  if (sk) line('(i) LOSO, 10 fits + predicts', losoRows, 'scikit-learn (1 thread)', sk.loso.seconds, sk.loso.cpu, `- (${pooled(sk.loso.predictions)})`);
  for (const r of rows as { threads: number; loso: { seconds: number; cpu: number; predictions: number[] } }[]) {
    const diff = sk ? `${differ(r.loso.predictions, sk.loso.predictions)} of ${truth.length}` : '-';
    line('(i) LOSO, 10 fits + predicts', losoRows, `adan-lab (${r.threads ? `${r.threads} BLAS thread${r.threads > 1 ? 's' : ''}` : 'JS'})`, r.loso.seconds, r.loso.cpu, `${diff} (${pooled(r.loso.predictions)})`);
  }
  const augLabel = `(ii) fold 1 + ${copies} noisy copies, 1 fit`;
  if (sk) line(augLabel, String(sk.augmented.rows), 'scikit-learn (1 thread)', sk.augmented.seconds, sk.augmented.cpu, `- (${sk.augmented.supportVectors} SVs)`);
  for (const r of rows as { threads: number; augmented: { rows: number; seconds: number; cpu: number; predictions: number[]; supportVectors: number; kernel: { storage: string; seconds: number } } }[]) {
    const n = fold1.test.n;
    const diff = sk ? `${differ(r.augmented.predictions, sk.augmented.predictions)} of ${n}` : '-';
    line(augLabel, String(r.augmented.rows), `adan-lab (${r.threads ? `${r.threads} BLAS thread${r.threads > 1 ? 's' : ''}` : 'JS'})`, r.augmented.seconds, r.augmented.cpu,
      `${diff} (${r.augmented.supportVectors} SVs; kernel ${r.augmented.kernel.storage} ${r.augmented.kernel.seconds.toFixed(2)} s)`);
  }
  const out = arg('json');
  if (out) {
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), nproc, cpu, blas: blas?.info() ?? null, options, copies, noise, sklearn: sk ?? null, adanLab: rows }, null, 1));
    console.log(`\nwrote ${out}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
