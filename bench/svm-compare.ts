/**
 * Which linear SVM? Accuracy and seconds of each candidate on the real workload:
 * EmoDB IS11 (535 x 4354, 7 classes), leave-one-speaker-out, predictions of all folds pooled,
 * and the fit time on training sets of 1..11 times a fold's size (real rows + noisy copies,
 * standing in for 10 augmented sets).
 *
 * Candidates
 * - `adan-lab ovo`: src/classify/linear-svm.ts (dual coordinate descent, one-vs-one), defaults.
 * - `adan-lab ovr`: the same, one-vs-rest.
 * - `libsvm-js`: libsvm 3.22 compiled to wasm, `-t 0 -c 1` (what scikit-learn's SVC runs).
 * - `ml-svm`: simplified SMO, binary only, its defaults (min-max scaling per problem); wrapped
 *   one-vs-one here with libsvm's vote.
 * The two packages are not dependencies of adan-lab: install them in a scratch folder and pass it.
 *
 * Usage:
 *   (cd /tmp/scratch-svm && npm init -y && npm install ml-svm libsvm-js)
 *   npm run build && node dist/bench/svm-compare.js --modules /tmp/scratch-svm/node_modules
 * Options: --sizes 1,6,11 (training-set multiples for the timing), --budget 60 (seconds: a
 * candidate slower than this at one size is not run at larger ones), --only name,name.
 * Reference (scikit-learn SVC(kernel='linear'), C = 1): WA 80.93 %, UAR 79.44 %.
 */
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { concat, type Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { findDataEntry, whereToGetData } from '../src/data/locate';
import { loadDataset } from '../src/data/registry';
import { summarizeFolds } from '../src/eval/metrics';
import { LinearSvm } from '../src/classify/linear-svm';
import { Random } from '../src/util/random';

const REFERENCE = { wa: 80.93, uar: 79.44 };

interface Candidate {
  name: string;
  /** Fit on `train`, predict `testX`. */
  fitPredict(train: Dataset, testX: Float32Array): Promise<Int32Array>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Wall-clock and CPU seconds (user + system) of `f`: on a shared machine CPU time is the steadier figure. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

function rowsOf(x: Float32Array, d: number): number[][] {
  const n = x.length / d;
  return Array.from({ length: n }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
}

function ours(name: string, multiclass: 'ovo' | 'ovr'): Candidate {
  return {
    name,
    async fitPredict(train, testX) {
      const svm = await new LinearSvm({ multiclass }).fit(train);
      return svm.predict(testX);
    },
  };
}

/** libsvm-js (wasm), linear kernel, C = 1, its own one-vs-one. */
async function libsvmJs(req: NodeRequire): Promise<Candidate> {
  const SVM = await req('libsvm-js');
  return {
    name: 'libsvm-js',
    async fitPredict(train, testX) {
      const svm = new SVM({ kernel: SVM.KERNEL_TYPES.LINEAR, type: SVM.SVM_TYPES.C_SVC, cost: 1, quiet: true });
      svm.train(rowsOf(train.x, train.d), Array.from(train.y));
      const out = Int32Array.from(svm.predict(rowsOf(testX, train.d)) as number[]);
      svm.free();
      return out;
    },
  };
}

/** ml-svm (binary SMO) wrapped one-vs-one with libsvm's vote. */
function mlSvm(req: NodeRequire): Candidate {
  const SVM = req('ml-svm');
  return {
    name: 'ml-svm',
    async fitPredict(train, testX) {
      const k = train.classes.length;
      const test = rowsOf(testX, train.d);
      const all = rowsOf(train.x, train.d);
      const votes = test.map(() => new Int32Array(k));
      const rng = new Random(0);
      for (let a = 0; a < k; a++) {
        for (let b = a + 1; b < k; b++) {
          const idx: number[] = [];
          train.y.forEach((c, i) => { if (c === a || c === b) idx.push(i); });
          // its defaults (min-max "whitening" on; without it the SMO's fixed step threshold of 1e-3
          // skips every update on these large-norm rows and all predictions fall to one class)
          const svm = new SVM({ C: 1, kernel: 'linear', random: () => rng.uniform() });
          svm.train(idx.map((i) => all[i]), idx.map((i) => (train.y[i] === a ? 1 : -1)));
          const p = svm.predict(test) as number[];
          p.forEach((s, i) => votes[i][s > 0 ? a : b]++);
        }
      }
      return Int32Array.from(votes, (v) => v.indexOf(Math.max(...v)));
    },
  };
}

/** `times` x the rows of `train`: the real rows, then noisy copies (N(0, 0.1²) added, z-scored features). */
function inflate(train: Dataset, times: number, rng: Random): Dataset {
  const parts = [train];
  for (let t = 1; t < times; t++) {
    const x = new Float32Array(train.x.length);
    for (let i = 0; i < x.length; i++) x[i] = train.x[i] + 0.1 * rng.normal();
    parts.push({ ...train, x, synthetic: true });
  }
  return concat(parts, `${train.name} x${times}`);
}

async function main(): Promise<void> {
  const dir = findDataEntry('emodb-is11');
  if (!dir) {
    console.log(`svm-compare: ${whereToGetData('emodb-is11')}`);
    return;
  }
  const ds = loadDataset('emodb-is11');
  const folds = splitFolds(ds);
  const modules = arg('modules') ?? process.env.SVM_COMPARE_MODULES;
  const candidates: Candidate[] = [ours('adan-lab ovo', 'ovo'), ours('adan-lab ovr', 'ovr')];
  if (modules) {
    const req = createRequire(path.join(path.resolve(modules), '_.js'));
    for (const load of [libsvmJs, mlSvm]) {
      try {
        candidates.push(await load(req));
      } catch (e) {
        console.log(`(${load.name} not loaded from ${modules}: ${(e as Error).message.split('\n')[0]})`);
      }
    }
  } else {
    console.log('(pass --modules <node_modules of a scratch folder> to compare libsvm-js and ml-svm)');
  }
  const only = arg('only')?.split(',');
  const chosen = only ? candidates.filter((c) => only.includes(c.name)) : candidates;
  const sizes = (arg('sizes') ?? '1,6,11').split(',').map(Number);
  const budget = Number(arg('budget') ?? 60);

  console.log(`\nEmoDB IS11, ${ds.n} x ${ds.d}, leave-one-speaker-out (${folds.length} folds), pooled; reference SVC(kernel='linear'): WA ${REFERENCE.wa} %, UAR ${REFERENCE.uar} %`);
  console.log('candidate        WA %    UAR %   dWA    dUAR   seconds wall (cpu), 10 folds fit + predict');
  for (const c of chosen) {
    const t = await timed(async () => {
      const preds = [];
      for (const f of folds) preds.push({ fold: f.fold.group, yTrue: f.test.y, yPred: await c.fitPredict(f.train, f.test.x) });
      return summarizeFolds(preds, ds.classes.length);
    });
    const w = 100 * t.value.wa, u = 100 * t.value.uar;
    console.log(`${c.name.padEnd(15)} ${w.toFixed(2).padStart(6)}  ${u.toFixed(2).padStart(6)}  ${(w - REFERENCE.wa).toFixed(2).padStart(5)}  ${(u - REFERENCE.uar).toFixed(2).padStart(5)}   ${t.wall.toFixed(1)} (${t.cpu.toFixed(1)})`);
  }

  const fold1 = folds[0];
  console.log(`\nFit + predict seconds, wall (cpu), on fold 1 (${fold1.train.n} real training rows) times s (real + s-1 noisy copies):`);
  console.log(`candidate        ${sizes.map((s) => `s=${s} (${s * fold1.train.n} rows)`.padStart(18)).join('')}`);
  for (const c of chosen) {
    const cells: string[] = [];
    let tooSlow = false;
    for (const s of sizes) {
      if (tooSlow) { cells.push('skipped'.padStart(18)); continue; }
      const train = inflate(fold1.train, s, new Random(s));
      const t = await timed(() => c.fitPredict(train, fold1.test.x));
      cells.push(`${t.wall.toFixed(1)} (${t.cpu.toFixed(1)})`.padStart(18));
      if (t.wall > budget) tooSlow = true;
    }
    console.log(`${c.name.padEnd(15)} ${cells.join('')}`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
