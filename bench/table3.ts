/**
 * `runBenchmark(options)`: trains the WADAN-shaped networks (./wadan-shaped.ts) on random data
 * of the paper's size and returns one JSON-ready object: backend, ms per iteration, seconds per
 * epoch for 480 / 2,000 / 10,000 rows (Table III), the BLAS's sgemm GFLOP/s on 128x4368x800
 * measured in the same run, the matmul FLOPs of one iteration, how close the matmuls come to
 * sgemm, a kernel breakdown, and memory (tensor count, RSS) before and after.
 *
 * Timing: epochs of 480 rows (3 iterations: full batches of 128) are timed one by one; the
 * median is the headline and the best is given too, because the machines this runs on are
 * shared and noisy (the load average is recorded). CPU time per iteration is also reported: it
 * varies less with other processes than wall time does.
 */
import * as os from 'node:os';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import { loadNative } from '../src/backend/native';
import { adamStats } from '../src/backend/adam';
import { kernelStats } from '../src/backend/kernels';
import { Random } from '../src/util/random';
import { WadanShapedNet, randomFold, trainEpoch, type WadanShapeOptions } from './wadan-shaped';
import { checkOptionKeys, OptionError } from '../src/util/errors';
import { PAPER_TABLE_III } from '../src/protocol/paper';

export { PAPER_TABLE_III };

export interface BenchmarkOptions {
  /** Backend (as ADAN_BACKEND); default: ADAN_BACKEND, else the automatic choice. */
  backend?: string;
  /** BLAS threads on the native path; default: ADAN_THREADS, else all cores. */
  threads?: number;
  /** Timed epochs of 480 rows (3 iterations each); default 5. */
  epochs?: number;
  /** Untimed epochs first (optimizer state, kernel set-up); default 1, at least 1. */
  warmupEpochs?: number;
  /** Training-set sizes to report seconds per epoch for; default [480, 2000, 10000]. */
  rows?: number[];
  /** Repeats of the sgemm measurement (best is kept); default 10. */
  sgemmRepeats?: number;
  /** Seed of data, weights and noise; default 0. */
  seed?: number;
  /** Profile one epoch kernel by kernel; default true. */
  profile?: boolean;
  /** Network sizes (tests use small ones); default the paper's WADAN on EmoDB. */
  shape?: Partial<WadanShapeOptions>;
}

export const BENCHMARK_DEFAULTS: Readonly<Required<Omit<BenchmarkOptions, 'backend' | 'threads'>>> = {
  epochs: 5,
  warmupEpochs: 1,
  rows: [480, 2000, 10000],
  sgemmRepeats: 10,
  seed: 0,
  profile: true,
  shape: {},
};

export interface KernelTime {
  kernel: string;
  msPerIteration: number;
  calls: number;
  share: number;
}

export interface BenchmarkResult {
  benchmark: 'wadan-shaped';
  date: string;
  machine: { cpu: string; cores: number; node: string; platform: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  backend: string;
  backendSummary: string;
  threads: number;
  shape: WadanShapeOptions;
  iterationsTimed: number;
  /** Median wall time of one iteration (ms). */
  msPerIteration: number;
  /** Best epoch's time per iteration (ms). */
  msPerIterationBest: number;
  /** Process CPU time per iteration, all threads (ms). */
  cpuMsPerIteration: number;
  /** Seconds per epoch (median-based): iterations(rows) x msPerIteration, keyed by rows. */
  epochSeconds: Record<string, number>;
  epochSecondsBest: Record<string, number>;
  iterationsPerEpoch: Record<string, number>;
  paperTableIII: typeof PAPER_TABLE_III;
  /** The BLAS (or the backend's matmul when there is no addon) on 128x4368x800, best of N. */
  sgemmGflops: number;
  sgemm: { source: string; nn: number; transposeA: number; transposeB: number };
  /** Matmul FLOPs of one iteration (GFLOP), from the profiled shapes. */
  iterationGflop: number;
  /** The same, in FLOPs. */
  iterationFlops: number;
  /** FLOPs the native matmul kernels ran per timed iteration (0 off the native path). */
  nativeFlopsPerIteration: number;
  /** FLOPs of the iteration's matmuls / time in matmul kernels (native: timed epochs; else the profiled one). */
  matmulGflops: number | null;
  /** matmulGflops / sgemmGflops (target >= 0.5). */
  matmulShareOfSgemm: number | null;
  /** Fraction of the wall time spent in matmul kernels (native: timed epochs; else the profiled one). */
  matmulTimeShare: number | null;
  /** Native Adam updates per iteration (ms; 0 when tfjs' Adam runs, which shows up as kernels). */
  adamMsPerIteration: number;
  /** Sum of tfjs kernel times per iteration in the profiled epoch (ms). */
  kernelMsPerIteration: number | null;
  /** Wall time per iteration of the profiled epoch (ms): the rest is JavaScript, autograd and Adam. */
  wallMsPerIterationProfiled: number | null;
  /** Kernel breakdown of one profiled epoch, per iteration, largest first. */
  profile: KernelTime[];
  /** Tensor count and resident set size before and after the timed epochs (RSS after each, MB). */
  memory: { numTensorsStart: number; numTensorsEnd: number; rssMbStart: number; rssMbEnd: number; rssMbPerEpoch: number[] };
  lastLosses: { c: number; d: number; r: number; g: number };
}

const MATMULS = new Set(['BatchMatMul', '_FusedMatMul', 'AdanDense']);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
const sizeOf = (shape: number[]): number => shape.reduce((a, b) => a * b, 1);

/** Train the WADAN-shaped networks and measure; see the module comment. */
export async function runBenchmark(options: BenchmarkOptions = {}): Promise<BenchmarkResult> {
  checkOptionKeys('benchmark', options, { ...BENCHMARK_DEFAULTS, backend: 0, threads: 0 });
  // an option given as undefined means its default (as a CLI flag that was not passed)
  const o = { ...BENCHMARK_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof BENCHMARK_DEFAULTS & BenchmarkOptions;
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new OptionError('benchmark.epochs', o.epochs, 'a positive integer');
  if (!Number.isInteger(o.warmupEpochs) || o.warmupEpochs < 1) {
    throw new OptionError('benchmark.warmupEpochs', o.warmupEpochs, 'a positive integer (the first epoch allocates the optimizer state)');
  }
  const info = await initBackend({ backend: o.backend, threads: o.threads });
  const loadStart = os.loadavg();
  const sgemm = measureSgemm(o.sgemmRepeats, info.kind === 'native');

  const net = new WadanShapedNet({ ...o.shape, seed: o.seed });
  const shape = net.options;
  const foldRows = 480;
  const itersPerEpoch = Math.floor(foldRows / shape.batchSize);
  if (itersPerEpoch < 1) throw new OptionError('benchmark.shape.batchSize', shape.batchSize, `at most ${foldRows}`);
  const fold = randomFold(foldRows, shape.inputDim, shape.classes, o.seed + 1);
  const rng = new Random(o.seed + 2);
  for (let e = 0; e < o.warmupEpochs; e++) trainEpoch(net, fold, rng);

  const tensorsStart = tf.memory().numTensors;
  const rssStart = process.memoryUsage().rss;
  const epochMs: number[] = [];
  const rssPerEpoch: number[] = [];
  const adam0 = adamStats.ms;
  const flops0 = kernelStats.nativeFlops;
  const nativeMs0 = kernelStats.nativeMs;
  const cpu0 = process.cpuUsage();
  let last = { c: NaN, d: NaN, r: NaN, g: NaN };
  for (let e = 0; e < o.epochs; e++) {
    const t0 = performance.now();
    const losses = trainEpoch(net, fold, rng);
    epochMs.push(performance.now() - t0);
    rssPerEpoch.push(round(process.memoryUsage().rss / 2 ** 20, 1));
    last = losses[losses.length - 1];
  }
  const cpu = process.cpuUsage(cpu0);
  const adamMs = adamStats.ms - adam0;
  const nativeFlops = kernelStats.nativeFlops - flops0;
  const nativeMs = kernelStats.nativeMs - nativeMs0;
  const tensorsEnd = tf.memory().numTensors;
  const rssEnd = process.memoryUsage().rss;
  const iterationsTimed = o.epochs * itersPerEpoch;

  const prof = o.profile ? await profileEpoch(() => void trainEpoch(net, fold, rng), itersPerEpoch) : undefined;
  net.dispose();

  const msPerIteration = median(epochMs) / itersPerEpoch;
  const msBest = Math.min(...epochMs) / itersPerEpoch;
  const perEpoch = (ms: number) => Object.fromEntries(o.rows.map((r) => [String(r), round((Math.floor(r / shape.batchSize) * ms) / 1000)]));
  // Native path: FLOPs and time of the native products during the timed epochs (no profiler
  // overhead). Elsewhere: from the profiled epoch.
  const iterationFlops = prof ? Math.round(prof.flops / itersPerEpoch) : nativeFlops > 0 ? Math.round(nativeFlops / iterationsTimed) : NaN;
  const matmulGflops = nativeMs > 0 ? nativeFlops / nativeMs / 1e6 : prof && prof.matmulMs > 0 ? prof.flops / prof.matmulMs / 1e6 : null;
  const matmulTimeShare = nativeMs > 0 ? nativeMs / epochMs.reduce((a, b) => a + b, 0) : prof ? prof.matmulMs / prof.wallMs : null;
  return {
    benchmark: 'wadan-shaped',
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverageStart: loadStart.map((x) => round(x, 2)),
      loadAverageEnd: os.loadavg().map((x) => round(x, 2)),
    },
    backend: info.kind,
    backendSummary: info.summary,
    threads: info.threads,
    shape,
    iterationsTimed,
    msPerIteration: round(msPerIteration, 1),
    msPerIterationBest: round(msBest, 1),
    cpuMsPerIteration: round((cpu.user + cpu.system) / 1000 / iterationsTimed, 1),
    epochSeconds: perEpoch(msPerIteration),
    epochSecondsBest: perEpoch(msBest),
    iterationsPerEpoch: Object.fromEntries(o.rows.map((r) => [String(r), Math.floor(r / shape.batchSize)])),
    paperTableIII: PAPER_TABLE_III,
    sgemmGflops: round(sgemm.nn, 1),
    sgemm: { source: sgemm.source, nn: round(sgemm.nn, 1), transposeA: round(sgemm.transposeA, 1), transposeB: round(sgemm.transposeB, 1) },
    // From the profile when there is one, else from the native kernels' own count.
    iterationGflop: round(iterationFlops / 1e9, 3),
    iterationFlops,
    nativeFlopsPerIteration: Math.round(nativeFlops / iterationsTimed),
    matmulGflops: matmulGflops === null ? null : round(matmulGflops, 1),
    matmulShareOfSgemm: matmulGflops === null ? null : round(matmulGflops / sgemm.nn, 2),
    matmulTimeShare: matmulTimeShare === null ? null : round(matmulTimeShare, 2),
    adamMsPerIteration: round(adamMs / iterationsTimed, 1),
    kernelMsPerIteration: prof ? round(prof.totalMs / itersPerEpoch, 1) : null,
    wallMsPerIterationProfiled: prof ? round(prof.wallMs / itersPerEpoch, 1) : null,
    profile: prof?.kernels ?? [],
    memory: {
      numTensorsStart: tensorsStart,
      numTensorsEnd: tensorsEnd,
      rssMbStart: round(rssStart / 2 ** 20, 1),
      rssMbEnd: round(rssEnd / 2 ** 20, 1),
      rssMbPerEpoch: rssPerEpoch,
    },
    lastLosses: last,
  };
}

/** sgemm 128x4368x800 and its two transposed variants (the backward pass's), best of `repeats`. */
export function measureSgemm(repeats: number, useNative: boolean): { source: string; nn: number; transposeA: number; transposeB: number } {
  const [m, k, n] = [128, 4368, 800];
  const flop = 2 * m * n * k;
  const best = (f: () => void) => {
    f();
    let t = Infinity;
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      f();
      t = Math.min(t, performance.now() - t0);
    }
    return flop / t / 1e6;
  };
  const addon = useNative ? loadNative().addon : undefined;
  if (addon) {
    // the same BLAS and thread setting as training, on a plain buffer
    const a = 0;
    const b = 4 * m * k;
    const g = b + 4 * k * n;
    const c = g + 4 * m * n;
    const buf = new ArrayBuffer(c + 4 * k * n);
    const f32 = new Float32Array(buf);
    f32.set(new Random(7).uniformArray(f32.length, -1, 1));
    return {
      source: `${addon.info().split(' ').slice(0, 2).join(' ')} cblas_sgemm`,
      nn: best(() => addon.gemm(buf, false, false, 1, m, n, k, a, 0, b, 0, c, 0, -1, 0, 0)),
      transposeA: best(() => addon.gemm(buf, true, false, 1, k, n, m, a, 0, g, 0, c, 0, -1, 0, 0)),
      transposeB: best(() => addon.gemm(buf, false, true, 1, m, k, n, g, 0, b, 0, c, 0, -1, 0, 0)),
    };
  }
  const A = tf.randomUniform([m, k]);
  const B = tf.randomUniform([k, n]);
  const G = tf.randomUniform([m, n]);
  const run = (f: () => tf.Tensor) => () => {
    const y = f();
    y.dataSync();
    y.dispose();
  };
  const out = {
    source: `tf.matMul on ${tf.getBackend()}`,
    nn: best(run(() => tf.matMul(A, B))),
    transposeA: best(run(() => tf.matMul(A, G, true, false))),
    transposeB: best(run(() => tf.matMul(G, B, false, true))),
  };
  tf.dispose([A, B, G]);
  return out;
}

/** One epoch under tf.profile: kernel times per iteration; matmul FLOPs and times of the whole epoch. */
async function profileEpoch(
  epoch: () => void,
  iterations: number,
): Promise<{ kernels: KernelTime[]; flops: number; matmulMs: number; totalMs: number; wallMs: number }> {
  const check = tf.env().getBool('CHECK_COMPUTATION_FOR_ERRORS');
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  try {
    const t0 = performance.now();
    const info = await tf.profile(epoch);
    const wallMs = performance.now() - t0;
    const byName = new Map<string, { ms: number; calls: number }>();
    let flops = 0;
    let matmulMs = 0;
    let totalMs = 0;
    for (const k of info.kernels) {
      if (k.name.endsWith('__op')) continue; // custom-gradient wrappers: their kernels are listed too
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      totalMs += ms;
      const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls++;
      byName.set(k.name, entry);
      if (MATMULS.has(k.name)) {
        matmulMs += ms;
        const a = k.inputShapes[0] as number[];
        const out = k.outputShapes[0] as number[];
        const m = out[out.length - 2];
        const inner = (a[a.length - 1] * a[a.length - 2]) / m;
        flops += 2 * sizeOf(out) * inner;
      }
    }
    const kernels = [...byName.entries()]
      .map(([kernel, e]) => ({ kernel, msPerIteration: round(e.ms / iterations, 2), calls: Math.round(e.calls / iterations), share: round(e.ms / totalMs, 3) }))
      .sort((x, y) => y.msPerIteration - x.msPerIteration)
      .slice(0, 15);
    return { kernels, flops, matmulMs, totalMs, wallMs };
  } finally {
    tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', check);
  }
}
