/**
 * What one epoch of an augmenter's `fit` costs beyond its bare training iterations, and where
 * the difference goes: `node dist/bench/fit-overhead.js [options]` prints a markdown table
 * (or, with --json, one JSON object).
 *
 * For each method (paper defaults, seed 0) on one fold of a real dataset (default: EmoDB IS11,
 * fold 1, 486 training rows), in a child process per thread count (ADAN_THREADS):
 *
 * 1. **fit**: `fit(train, { epochs: warmup + epochs, checkpointDir, checkpointEvery })`, as the
 *    experiment runner calls it. Measured in place, per epoch: the wall time from one `onEpoch`
 *    to the next (the whole epoch: training, measurements, history, checkpoint, event-loop yield),
 *    the record's `seconds` (the method's `trainEpoch`), the time inside `labelFidelity` and
 *    inside `writeCheckpoint` (instance methods wrapped by this script) and inside
 *    `Tensor.dataSync` (downloads). The fit's final checkpoint write gives the write time.
 *    **fit s/epoch** = median over the timed epochs of (wall - fidelity - checkpoint)
 *    + mean fidelity per epoch + one checkpoint write / checkpointEvery: robust to the odd slow
 *    epoch from other processes, and right when fidelity runs only every k epochs.
 * 2. **bare s/epoch**, in the same fit: after every fit epoch (inside `onEpoch`, outside the
 *    timed interval), one epoch of the method's training iterations only (batches, noise, the
 *    exported `train<Method>OneStep`, losses disposed unread; as the paper's Table III times an
 *    epoch) on the same networks, then, each timed alone: the epoch's loss means (`meanLosses`,
 *    one download), ADAN's `adanProbabilities` (D on E(x) and G(z, y) of all training rows) and
 *    ADAN/WADAN's `labelFidelity`. Interleaving puts the bare and the whole epoch under the same
 *    load on a shared machine. Medians over the timed epochs.
 *
 * `--repeats r` runs the children r times, thread counts alternating, and reports medians; the
 * numbers are ratios within one sitting (the machine may be shared). `--concurrent 2` runs two
 * identical children side by side (as the grid's two 1-thread workers) and keeps both.
 *
 * Options: --methods wadan,adan,gan,cgan,aae  --threads 1,2  --epochs 30  --warmup 5
 *   --repeats 1  --checkpoint-every 50  --dataset emodb-is11  --fold 1  --concurrent 1  --json
 *   --baseline <another build's dist/bench/fit-overhead.js> (before/after in one sitting)
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import type { Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { loadDataset } from '../src/data/registry';
import { makeAugmenter, type AugmentMethod, type EpochRecord } from '../src/augment/index';
import { trainAdanOneStep, adanProbabilities, type AdanOptimizers } from '../src/augment/adan';
import { trainWadanOneStep, type WadanBatch } from '../src/augment/wadan';
import { trainGanOneStep } from '../src/augment/gan';
import { trainCganOneStep, type CganNets } from '../src/augment/cgan';
import { trainAaeOneStep, samplePrior, AAE_LATENT_DIM, type AaeNets } from '../src/augment/aae';
import { epochBatches, meanLosses, type AdanNets } from '../src/augment/latent';
import { gatherBatch, normalNoise, type FitData } from '../src/augment/neural';
import type { Mlp } from '../src/augment/nets';
import { Random } from '../src/util/random';

const METHODS = ['wadan', 'adan', 'gan', 'cgan', 'aae'] as const;
type Method = (typeof METHODS)[number];

interface Settings {
  methods: Method[];
  threads: number[];
  epochs: number;
  warmup: number;
  repeats: number;
  checkpointEvery: number;
  dataset: string;
  fold: number;
  concurrent: number;
  /** Another build's fit-overhead.js (e.g. of the code before a change): its children run alternately with this one's. */
  baseline?: string;
  json: boolean;
}

/** One method at one thread count in one child (seconds unless named ms). */
interface MethodResult {
  /** 'this' or 'baseline' (the --baseline script's children). */
  code?: string;
  method: Method;
  threads: number;
  /** Median bare epoch (training iterations only). */
  bare: number;
  /** The whole fit epoch (see the module comment). */
  fit: number;
  /** Mean of the raw onEpoch-to-onEpoch wall times of the timed epochs (checkpoints included as they fell). */
  fitMeanRaw: number;
  /** Median of the method's trainEpoch (record.seconds) in the fit. */
  trainEpoch: number;
  /** In the fit, per epoch (mean): label fidelity, downloads (dataSync), checkpoint amortised, the rest outside trainEpoch (history, onEpoch, yield). */
  inFit: { fidelity: number; fidelityEpochs: number; dataSync: number; checkpoint: number; checkpointWrite: number; bookkeepingAndYield: number };
  /** Timed alone on the fitted state (medians per call). */
  alone: { meanLosses: number; probabilities: number | null; fidelity: number | null };
}

function parse(argv: string[]): Settings & { child: boolean } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const ints = (v: string | undefined, d: number[]) => (v ? v.split(',').map(Number) : d);
  const methods = (get('methods')?.split(',') ?? [...METHODS]) as Method[];
  for (const m of methods) if (!METHODS.includes(m)) throw new Error(`--methods: unknown method ${m} (one of ${METHODS.join(', ')})`);
  const s = {
    methods,
    threads: ints(get('threads'), [1, 2]),
    epochs: Number(get('epochs') ?? 30),
    warmup: Number(get('warmup') ?? 5),
    repeats: Number(get('repeats') ?? 1),
    checkpointEvery: Number(get('checkpoint-every') ?? 50),
    dataset: get('dataset') ?? 'emodb-is11',
    fold: Number(get('fold') ?? 1),
    concurrent: Number(get('concurrent') ?? 1),
    baseline: get('baseline'),
    json: argv.includes('--json'),
    child: argv.includes('--child'),
  };
  for (const k of ['epochs', 'warmup', 'repeats', 'checkpointEvery', 'fold', 'concurrent'] as const) {
    if (!Number.isInteger(s[k]) || s[k] < (k === 'warmup' || k === 'checkpointEvery' ? 0 : 1)) throw new Error(`--${k}: expected a whole number, got ${s[k]}`);
  }
  if (s.epochs < 3) throw new Error('--epochs: at least 3');
  return s;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

// ---- child: measure ---------------------------------------------------------------------

/** Milliseconds spent inside Tensor.dataSync since the start (the wrapper is installed once). */
const downloads = { ms: 0 };
function countDownloads(): void {
  const proto = tf.Tensor.prototype as unknown as { dataSync: () => unknown; __timed?: boolean };
  if (proto.__timed) return;
  const original = proto.dataSync;
  proto.dataSync = function (this: unknown) {
    const t0 = performance.now();
    try {
      return original.call(this);
    } finally {
      downloads.ms += performance.now() - t0;
    }
  };
  proto.__timed = true;
}

/** Wrap an instance method to add its wall time to `into.ms` (sync or async). */
function timeMethod(obj: object, name: string, into: { ms: number }): boolean {
  const o = obj as Record<string, unknown>;
  const f = o[name];
  if (typeof f !== 'function') return false;
  o[name] = function (this: unknown, ...args: unknown[]) {
    const t0 = performance.now();
    const out = (f as (...a: unknown[]) => unknown).apply(this, args);
    if (out instanceof Promise) return out.finally(() => (into.ms += performance.now() - t0));
    into.ms += performance.now() - t0;
    return out;
  };
  return true;
}

interface Internals {
  nets: Record<string, Mlp>;
  optimizers: Record<string, tf.Optimizer>;
  settings: Record<string, unknown> & { zDim: number; batchSize: number; priorRadius: number; priorStd: number };
  prepareData(train: Dataset): FitData;
  labelFidelity?: (data: FitData) => Record<string, number>;
}

/** The method's training iterations of one epoch, as its trainEpoch runs them; returns the step losses (undisposed). */
function bareEpoch(method: Method, a: Internals, data: FitData, rng: Random): Record<string, tf.Scalar>[] {
  const s = a.settings;
  const steps: Record<string, tf.Scalar>[] = [];
  if (method === 'gan') {
    for (let k = 0; k < data.k; k++) {
      const rows = Int32Array.from(Array.from(data.labels).flatMap((l, i) => (l === k ? [i] : [])));
      if (rows.length === 0) continue;
      const crng = rng.derive(`class${k}`);
      const perm = crng.permutation(rows.length);
      const m = Math.min(s.batchSize, rows.length);
      for (let it = 0; it < Math.floor(rows.length / m); it++) {
        const index = Int32Array.from(perm.subarray(it * m, (it + 1) * m), (p) => rows[p]);
        const { x, y, w } = gatherBatch(data, index);
        tf.dispose([y, w]);
        const z = normalNoise(crng, m, s.zDim);
        steps.push(trainGanOneStep({ G: a.nets[`G${k}`], D: a.nets[`D${k}`] }, { G: a.optimizers[`G${k}`], D: a.optimizers[`D${k}`] }, { x, z }, s as never));
        tf.dispose([x, z]);
      }
    }
    return steps;
  }
  for (const index of epochBatches(data, rng)) {
    const m = index.length;
    const b = gatherBatch(data, index);
    if (method === 'wadan') {
      const batch: WadanBatch = { ...b, z: normalNoise(rng, m, s.zDim), mu: tf.tensor2d(rng.uniformArray(m), [m, 1]) };
      steps.push({ ...trainWadanOneStep(a.nets as unknown as AdanNets, a.optimizers as AdanOptimizers, batch, s as never) });
      tf.dispose(Object.values(batch));
    } else if (method === 'adan') {
      const batch = { ...b, z: normalNoise(rng, m, s.zDim) };
      steps.push({ ...trainAdanOneStep(a.nets as unknown as AdanNets, a.optimizers as AdanOptimizers, batch, s as never) });
      tf.dispose(Object.values(batch));
    } else if (method === 'cgan') {
      const z = normalNoise(rng, m, s.zDim);
      steps.push(trainCganOneStep(a.nets as unknown as CganNets, a.optimizers as { G: tf.Optimizer; D: tf.Optimizer }, { x: b.x, y: b.y, z }, s as never));
      tf.dispose([b.x, b.y, b.w, z]);
    } else {
      const labels = Int32Array.from(index, (i) => data.labels[i]);
      const zPrior = tf.tensor2d(samplePrior(labels, data.k, s.priorRadius, s.priorStd, rng), [m, AAE_LATENT_DIM]);
      steps.push(trainAaeOneStep(a.nets as unknown as AaeNets, a.optimizers as Record<keyof AaeNets, tf.Optimizer>, { x: b.x, y: b.y, zPrior }, s as never));
      tf.dispose([b.x, b.y, b.w, zPrior]);
    }
  }
  return steps;
}

async function measureMethod(method: Method, train: Dataset, o: Settings, threads: number): Promise<MethodResult> {
  const aug = makeAugmenter(method as AugmentMethod, { epochs: o.warmup + o.epochs, seed: 0 } as never);
  const a = aug as unknown as Internals;
  const fidelity = { ms: 0 };
  const checkpoint = { ms: 0 };
  timeMethod(aug, 'labelFidelity', fidelity);
  timeMethod(aug, 'writeCheckpoint', checkpoint);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `fit-overhead-${method}-`));
  const epochs: { wall: number; train: number; fidelity: number; dataSync: number; checkpoint: number; hasFidelity: boolean }[] = [];
  const bare: number[] = [];
  const means: number[] = [];
  const probs: number[] = [];
  const fid: number[] = [];
  let data: FitData | undefined;
  const rng = new Random(12345);
  let last = performance.now();
  let mark = { fidelity: 0, dataSync: 0, checkpoint: 0 };
  try {
    await aug.fit(train, {
      checkpointDir: o.checkpointEvery > 0 ? dir : undefined,
      checkpointEvery: o.checkpointEvery,
      onEpoch: (r: EpochRecord) => {
        const now = performance.now();
        epochs.push({
          wall: now - last,
          train: r.seconds * 1000,
          fidelity: fidelity.ms - mark.fidelity,
          dataSync: downloads.ms - mark.dataSync,
          checkpoint: checkpoint.ms - mark.checkpoint, // a write after the previous epoch's record
          hasFidelity: Number.isFinite(r.labelFidelity),
        });
        // Between two fit epochs, under the same load: one bare epoch and the measurements
        // alone, on the same networks (they go on training them: the costs do not depend on
        // the weights).
        data ??= a.prepareData(train);
        const timedNow = r.epoch > o.warmup;
        const t0 = performance.now();
        const steps = bareEpoch(method, a, data, rng);
        const t1 = performance.now();
        meanLosses(steps);
        const t2 = performance.now();
        if (timedNow) {
          bare.push(t1 - t0);
          means.push(t2 - t1);
        }
        if (method === 'adan') {
          const t3 = performance.now();
          adanProbabilities(a.nets as unknown as AdanNets, data, rng, a.settings.zDim);
          if (timedNow) probs.push(performance.now() - t3);
        }
        if (a.labelFidelity && (method === 'adan' || method === 'wadan')) {
          const before = fidelity.ms;
          a.labelFidelity(data);
          if (timedNow) fid.push(fidelity.ms - before);
        }
        last = performance.now();
        mark = { fidelity: fidelity.ms, dataSync: downloads.ms, checkpoint: checkpoint.ms };
      },
    } as never);
    const writes = [checkpoint.ms - mark.checkpoint, ...epochs.filter((e) => e.checkpoint > 0).map((e) => e.checkpoint)].filter((ms) => ms > 0);
    const timed = epochs.slice(o.warmup);
    const checkpointWrite = writes.length > 0 ? median(writes) / 1000 : 0;
    const amortised = o.checkpointEvery > 0 ? checkpointWrite / o.checkpointEvery : 0;
    const fidelityMean = mean(timed.map((e) => e.fidelity)) / 1000;
    const fit = median(timed.map((e) => e.wall - e.fidelity - e.checkpoint)) / 1000 + fidelityMean + amortised;
    return {
      method,
      threads,
      bare: median(bare) / 1000,
      fit,
      fitMeanRaw: mean(timed.map((e) => e.wall)) / 1000,
      trainEpoch: median(timed.map((e) => e.train)) / 1000,
      inFit: {
        fidelity: fidelityMean,
        fidelityEpochs: timed.filter((e) => e.hasFidelity).length,
        dataSync: mean(timed.map((e) => e.dataSync)) / 1000,
        checkpoint: amortised,
        checkpointWrite,
        bookkeepingAndYield: median(timed.map((e) => e.wall - e.train - e.checkpoint)) / 1000,
      },
      alone: {
        meanLosses: median(means) / 1000,
        probabilities: probs.length ? median(probs) / 1000 : null,
        fidelity: fid.length ? median(fid) / 1000 : null,
      },
    };
  } finally {
    if (data) tf.dispose([data.x, data.y, data.w]);
    aug.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function child(o: Settings): Promise<void> {
  const info = await initBackend();
  countDownloads();
  const ds = loadDataset(o.dataset);
  const [fold] = splitFolds(ds, [o.fold]);
  for (const method of o.methods) {
    const r = await measureMethod(method, fold.train, o, info.threads);
    process.stdout.write(JSON.stringify(r) + '\n');
  }
}

// ---- parent: run children, aggregate ------------------------------------------------------

function runChild(o: Settings, threads: number, code: 'this' | 'baseline'): Promise<MethodResult[]> {
  const script = code === 'this' ? __filename : path.resolve(o.baseline!);
  const args = [script, '--child', '--methods', o.methods.join(','), '--epochs', String(o.epochs), '--warmup', String(o.warmup), '--checkpoint-every', String(o.checkpointEvery), '--dataset', o.dataset, '--fold', String(o.fold)];
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, args, { env: { ...process.env, ADAN_THREADS: String(threads) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (b: Buffer) => (out += b.toString()));
    p.on('error', reject);
    p.on('close', (status) => {
      if (status !== 0) return reject(new Error(`child (${code}, threads ${threads}) exited with ${status}`));
      resolve(out.trim().split('\n').filter(Boolean).map((l) => ({ code, ...(JSON.parse(l) as MethodResult) })));
    });
  });
}

const r3 = (x: number | null): number | null => (x === null || !Number.isFinite(x) ? null : Number(x.toFixed(3)));

function aggregate(results: MethodResult[], o: Settings) {
  const rows = [];
  for (const threads of o.threads) {
    for (const method of o.methods) {
     for (const code of o.baseline ? ['baseline', 'this'] : ['this']) {
      const rs = results.filter((r) => r.method === method && r.threads === threads && r.code === code);
      if (rs.length === 0) continue;
      const med = (f: (r: MethodResult) => number | null) => r3(median(rs.map(f).filter((v): v is number => v !== null)));
      const ratios = rs.map((r) => r.fit / r.bare);
      rows.push({
        code,
        method,
        threads,
        runs: rs.length,
        bare: med((r) => r.bare),
        fit: med((r) => r.fit),
        overheadPct: Number(((median(ratios) - 1) * 100).toFixed(1)),
        fitMeanRaw: med((r) => r.fitMeanRaw),
        trainEpoch: med((r) => r.trainEpoch),
        inFit: {
          fidelity: med((r) => r.inFit.fidelity),
          fidelityEpochs: rs[0].inFit.fidelityEpochs,
          dataSync: r3(median(rs.map((r) => r.inFit.dataSync))),
          checkpoint: med((r) => r.inFit.checkpoint),
          checkpointWrite: med((r) => r.inFit.checkpointWrite),
          bookkeepingAndYield: med((r) => r.inFit.bookkeepingAndYield),
        },
        alone: { meanLosses: med((r) => r.alone.meanLosses), probabilities: med((r) => r.alone.probabilities), fidelity: med((r) => r.alone.fidelity) },
      });
     }
    }
  }
  return rows;
}

async function parent(o: Settings): Promise<void> {
  const started = new Date().toISOString();
  const load0 = os.loadavg();
  const results: MethodResult[] = [];
  for (let rep = 0; rep < o.repeats; rep++) {
    for (const threads of o.threads) {
      // with a baseline: both codes back to back, in alternating order
      const codes: ('this' | 'baseline')[] = o.baseline ? (rep % 2 === 0 ? ['baseline', 'this'] : ['this', 'baseline']) : ['this'];
      for (const code of codes) {
        const runs = await Promise.all(Array.from({ length: o.concurrent }, () => runChild(o, threads, code)));
        results.push(...runs.flat());
        process.stderr.write(`fit-overhead: repeat ${rep + 1}/${o.repeats}, ${threads} thread(s), ${code} done\n`);
      }
    }
  }
  const rows = aggregate(results, o);
  const report = {
    benchmark: 'fit-overhead',
    date: started,
    machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, openblasCoretype: process.env.OPENBLAS_CORETYPE ?? null, loadAverageStart: load0.map((x) => r3(x)), loadAverageEnd: os.loadavg().map((x) => r3(x)) },
    settings: { ...o, json: undefined },
    rows,
    runs: results,
  };
  if (o.json) {
    process.stdout.write(JSON.stringify(report, null, 1) + '\n');
    return;
  }
  const f = (x: number | null) => (x === null ? '–' : x.toFixed(3));
  const lines = [
    `fit overhead on ${o.dataset} fold ${o.fold}, ${o.epochs} timed epochs after ${o.warmup}, checkpoint every ${o.checkpointEvery}; ${report.machine.cpu}, ${report.machine.cores} cores, ${started}; medians of ${o.repeats} run(s)${o.concurrent > 1 ? ` x ${o.concurrent} side by side` : ''}`,
    '',
    '| code | method | threads | bare s/epoch | fit s/epoch | overhead | trainEpoch | fidelity (in fit, per epoch) | fidelity alone | ADAN probabilities alone | loss means alone | dataSync in fit | checkpoint / epoch (write) | history + yield |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.code} | ${r.method} | ${r.threads} | ${f(r.bare)} | ${f(r.fit)} | ${r.overheadPct} % | ${f(r.trainEpoch)} | ${f(r.inFit.fidelity)} (${r.inFit.fidelityEpochs}/${o.epochs} epochs) | ${f(r.alone.fidelity)} | ${f(r.alone.probabilities)} | ${f(r.alone.meanLosses)} | ${f(r.inFit.dataSync)} | ${f(r.inFit.checkpoint)} (${f(r.inFit.checkpointWrite)}) | ${f(r.inFit.bookkeepingAndYield)} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

const settings = parse(process.argv.slice(2));
(settings.child ? child(settings) : parent(settings)).catch((err: Error) => {
  console.error(`fit-overhead: ${err.stack ?? err.message}`);
  process.exit(1);
});
