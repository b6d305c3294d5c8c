/**
 * `adan-lab bench --grid`: what each kind of unit of the paper's grids costs on this machine, on
 * the real data shapes, in one process and one sitting, and the wall clock of each whole grid
 * projected from those costs.
 *
 * Measured (ADAN_THREADS = `threads`, 1 by default: what each of `--jobs 2` workers gets):
 * - **fit epoch** of every trained augmenter under each protocol's settings: one fold's training
 *   rows, the seconds from one epoch's record to the next inside `fit` (history, label fidelity
 *   where due, ADAN's statistic: everything the grid pays), median over the timed epochs after a
 *   warm-up epoch. The bare iteration against it is bench/fit-overhead.ts.
 * - **classifier unit** of each protocol (linear SVM and the paper's DNN; RBF SVC and the
 *   authors' DNN): fit on one fold's training rows plus `sets` sets of noisy copies (seeded;
 *   standing in for synthetic rows: trained augmenters' rows can be harder, e.g. AAE's for the
 *   linear SVM), then predict the test fold. Sizes 0 and `maxSets` sets.
 * - **reference** (with `references`): the same rows through scikit-learn's SVC and a PyTorch
 *   replica of each DNN (bench/reference/grid_unit.py, Debian's python3), same threads.
 *
 * Projection: every unit of `reproduceGrid(dataset, { protocol })` priced by the fitted cost of
 * its kind (linear in the training rows for the DNN and the linear SVM, quadratic for the RBF
 * SVM, from the two measured sizes), every augmenter fit at its epochs (ADAN under the code
 * protocol at all 1,500: early stop makes it an upper bound), summed and divided by `jobs`.
 * It prices the scheduler as perfect; the measured wall clock of a real grid is the check.
 *
 * Floor (native BLAS only): the FLOPs of the matrix products each timed unit ran (every native
 * GEMM is counted: the training kernels and the SVMs' Gram blocks), divided by the rate sgemm
 * reaches on this machine at the same threads in the same sitting, priced over the grid as the
 * seconds are. It is the wall clock the grid would take if all of its work were products at
 * sgemm's rate and nothing else (no coordinate-descent passes, no exp, no bookkeeping): a bound
 * no implementation of the same work beats on this machine, so it says how near the projection
 * is to the machine's limit and which targets that limit rules out.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { concat, type Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { findDataEntry, projectRoot } from '../src/data/locate';
import { loadDataset } from '../src/data/registry';
import { initBackend } from '../src/backend/init';
import { makeAugmenter, type AugmentMethod } from '../src/augment/index';
import { makeClassifier } from '../src/classify/index';
import { PROTOCOLS, augmentOptions, classifierOptions, type ProtocolName } from '../src/protocol/protocols';
import { PAPER_TABLES, TRAINED_METHODS, type PaperDataset } from '../src/protocol/paper';
import { reproduceGrid } from '../src/experiment/grid';
import { prepareExperiment } from '../src/experiment/prepare';
import { normalizeFold } from '../src/experiment/runner';
import { resolveNormalize } from '../src/experiment/spec';
import { Random } from '../src/util/random';
import { median } from '../src/eval/metrics';
import { kernelStats } from '../src/backend/stats';
import { measureSgemm } from './table3';
import { CLASSIFIER_KIND, costModel, fitTimingProtocol, gridCost, projectUnits, type UnitCosts, type UnitKind } from '../src/experiment/projection';

export interface GridBenchOptions {
  /** Corpora to measure and project (those whose data is absent are skipped with a note). */
  datasets: PaperDataset[];
  /** Timed fit epochs per augmenter (after one warm-up epoch). */
  fitEpochs: number;
  /** BLAS threads of this process (each grid worker's share). */
  threads: number;
  /** Workers the projection divides by (`reproduce --jobs`). */
  jobs: number;
  /** Time the same units with scikit-learn / PyTorch (skipped with a note where absent). */
  references: boolean;
  /** The largest number of sets timed per classifier unit (IEMOCAP's 10 sets take long: fewer by default there). */
  maxSets: Record<PaperDataset, number>;
  seed: number;
  /** Progress lines (stderr by the CLI). */
  onProgress?: (line: string) => void;
}

export const GRID_BENCH_DEFAULTS: Readonly<Omit<GridBenchOptions, 'onProgress'>> = {
  datasets: ['emodb', 'iemocap'],
  fitEpochs: 5,
  threads: 1,
  jobs: 2,
  references: true,
  maxSets: { emodb: 10, iemocap: 1 },
  seed: 0,
};

export interface UnitTiming {
  dataset: PaperDataset;
  /** `fit-<method>-<protocol>` (seconds per epoch) or a classifier unit kind (seconds per unit). */
  kind: string;
  /** Training rows (for a fit: the rows of one epoch). */
  rows: number;
  sets: number | null;
  seconds: number;
  /** GFLOP of the native matrix products in that work (per epoch for a fit); null off the native path. */
  gflop: number | null;
  referenceSeconds: number | null;
  reference: string | null;
}

export interface GridBenchResult {
  date: string;
  machine: { cpu: string; cores: number; openblasCoretype: string | null };
  backend: string;
  threads: number;
  jobs: number;
  units: UnitTiming[];
  /** Hours of wall clock per grid on `jobs` workers; null where the corpus was not measured. */
  projectedHours: Record<PaperDataset, Record<ProtocolName, number | null>>;
  /** What the projection is made of, per grid: hours of fits and of each classifier kind (one worker). */
  breakdown: Record<string, Record<string, number>>;
  /**
   * Hours on `jobs` workers of each grid run after the other protocol's, with
   * `--reuse-fits <its store>`: the augmenters both grids train alike (same group key: GAN,
   * cGAN and AAE) are loaded, not fitted.
   */
  projectedHoursReusingFits: Record<PaperDataset, Record<ProtocolName, number | null>>;
  /** sgemm 128x4368x800 GFLOP/s at `threads`, this sitting (null off the native path). */
  sgemmGflops: number | null;
  /** Hours on `jobs` workers if every unit's products ran at `sgemmGflops` and nothing else did (see the module doc). */
  floorHours: Record<PaperDataset, Record<ProtocolName, number | null>>;
  /** The floor by part, as `breakdown` (one worker). */
  floorBreakdown: Record<string, Record<string, number>>;
  notes: string[];
}


/** The training rows and `copies` noisy copies of them (N(0, noise²) added, seeded): stand-ins for synthetic sets in the benchmarks. */
export function withNoisyCopies(train: Dataset, copies: number, seed: number, noise = 0.1): Dataset {
  if (copies === 0) return train;
  const parts = [train];
  for (let c = 1; c <= copies; c++) {
    const rng = new Random(seed).derive(`copy ${c}`);
    const x = new Float32Array(train.x.length);
    for (let i = 0; i < x.length; i++) x[i] = train.x[i] + noise * rng.normal();
    parts.push({ ...train, x, synthetic: true });
  }
  return concat(parts, `${train.name} + ${copies} noisy copies`);
}

function fold1(data: Dataset): { train: Dataset; test: Dataset } {
  const [f] = splitFolds(data, [1]);
  return { train: f.train, test: f.test };
}

interface Timed {
  seconds: number;
  /** Native GEMM FLOPs in the same work (0 off the native path). */
  flops: number;
}

/** Seconds and product FLOPs of one epoch inside `fit`: medians over the epochs after the first. */
async function timeFitEpoch(method: AugmentMethod, options: Record<string, unknown>, train: Dataset, epochs: number): Promise<Timed> {
  const stamps: number[] = [];
  const flops: number[] = [];
  const aug = makeAugmenter(method, { ...options, epochs: epochs + 1, seed: 0 } as never);
  await aug.fit(train, {
    onEpoch: () => {
      stamps.push(performance.now());
      flops.push(kernelStats.nativeFlops);
    },
  });
  (aug as { dispose?: () => void }).dispose?.();
  const gaps = (v: number[]) => v.slice(1).map((t, i) => t - v[i]);
  return { seconds: median(gaps(stamps)) / 1000, flops: median(gaps(flops)) };
}

async function timeUnit(kind: UnitKind, options: Record<string, unknown>, train: Dataset, test: Dataset): Promise<Timed> {
  const f0 = kernelStats.nativeFlops;
  const t0 = performance.now();
  const c = makeClassifier(kind.startsWith('svm') ? 'svm' : 'dnn', options);
  await c.fit(train);
  c.predict(test.x);
  (c as { dispose?: () => void }).dispose?.();
  return { seconds: (performance.now() - t0) / 1000, flops: kernelStats.nativeFlops - f0 };
}

/** The reference seconds of `kind` on the rows in `dir` (grid_unit.py), or null with a note. */
export function referenceSeconds(kind: UnitKind, dataset: PaperDataset, dir: string, threads: number, notes: string[]): { seconds: number; reference: string } | null {
  const script = path.join(projectRoot, 'bench', 'reference', 'grid_unit.py');
  const r = spawnSync('/usr/bin/python3', [script, '--kind', kind, '--dataset', dataset, '--rows', dir, '--threads', String(threads)], { encoding: 'utf8', timeout: 3 * 3600 * 1000 });
  if (r.status !== 0) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').pop();
    notes.push(`no reference for ${kind} on ${dataset}: ${why}`);
    return null;
  }
  const out = JSON.parse(r.stdout) as { seconds: number; reference: string };
  return out;
}

/** The rows grid_unit.py reads (see its docstring). */
export function writeRows(dir: string, train: Dataset, test: Dataset): void {
  const bytes = (a: Float32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'x.f32'), bytes(train.x));
  fs.writeFileSync(path.join(dir, 'y.i32'), bytes(train.y));
  fs.writeFileSync(path.join(dir, 'test-x.f32'), bytes(test.x));
  fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ n: train.n, d: train.d, k: train.classes.length, nTest: test.n }));
}

export async function runGridBenchmark(options: Partial<GridBenchOptions> = {}): Promise<GridBenchResult> {
  const o: GridBenchOptions = { ...GRID_BENCH_DEFAULTS, ...options, maxSets: { ...GRID_BENCH_DEFAULTS.maxSets, ...options.maxSets } };
  const say = o.onProgress ?? (() => undefined);
  process.env.ADAN_THREADS = String(o.threads);
  const backend = await initBackend({ threads: o.threads });
  const notes: string[] = [];
  const units: UnitTiming[] = [];
  const projectedHours = { emodb: { paper: null, code: null }, iemocap: { paper: null, code: null } } as GridBenchResult['projectedHours'];
  const floorHours = structuredClone(projectedHours);
  const projectedHoursReusingFits = structuredClone(projectedHours);
  const breakdown: GridBenchResult['breakdown'] = {};
  const floorBreakdown: GridBenchResult['floorBreakdown'] = {};
  // the machine's rate for products at this sitting's threads: the floor's denominator
  const sgemmGflops = backend.kind === 'native' ? measureSgemm(5, true).nn : null;
  const floorSeconds = (flops: number) => (sgemmGflops ? flops / (sgemmGflops * 1e9) : NaN);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-bench-grid-'));
  try {
    for (const dataset of o.datasets) {
      const entry = PAPER_TABLES[dataset].dataset;
      if (!findDataEntry(entry)) {
        notes.push(`${dataset}: ${entry} not found in the data path: not measured, not projected`);
        continue;
      }
      const data = await loadDataset(entry);
      const { train, test } = fold1(data);
      // features as the grid sees them: EmoDB's are z-normalised already, IEMOCAP's per training fold
      const scaled = normalizeFold(train, test, resolveNormalize('auto', data.name));
      // fit epochs
      const perEpoch = new Map<string, Timed>();
      for (const protocol of ['paper', 'code'] as const) {
        for (const method of TRAINED_METHODS) {
          const opts = augmentOptions(PROTOCOLS[protocol], method, undefined);
          if (fitTimingProtocol(method, protocol) !== protocol) {
            perEpoch.set(`${method}-${protocol}`, perEpoch.get(`${method}-paper`)!); // the same fit
            continue;
          }
          say(`${dataset}: ${method} (${protocol}) fit, ${o.fitEpochs + 1} epochs of ${scaled.train.n} rows ...`);
          const t = await timeFitEpoch(method as AugmentMethod, opts, scaled.train, o.fitEpochs);
          perEpoch.set(`${method}-${protocol}`, t);
          units.push({ dataset, kind: `fit-${method}-${protocol}`, rows: scaled.train.n, sets: null, seconds: t.seconds, gflop: gflopOf(t, sgemmGflops), referenceSeconds: null, reference: null });
        }
      }
      // classifier units
      const models = new Map<UnitKind, (rows: number) => number>();
      const floorModels = new Map<UnitKind, (rows: number) => number>();
      for (const protocol of ['paper', 'code'] as const) {
        for (const name of ['svm', 'dnn'] as const) {
          const kind = CLASSIFIER_KIND[protocol][name];
          const copts = classifierOptions(PROTOCOLS[protocol], name, dataset);
          const points: { rows: number; seconds: number }[] = [];
          const floorPoints: { rows: number; seconds: number }[] = [];
          for (const sets of [0, o.maxSets[dataset]]) {
            const rows = withNoisyCopies(scaled.train, sets, o.seed);
            say(`${dataset}: ${kind} unit on ${rows.n} rows ...`);
            const timed = await timeUnit(kind, copts, rows, scaled.test);
            let ref: { seconds: number; reference: string } | null = null;
            if (o.references) {
              const dir = path.join(scratch, `${dataset}-${sets}`);
              if (!fs.existsSync(dir)) writeRows(dir, rows, scaled.test);
              say(`${dataset}: ${kind} reference on ${rows.n} rows ...`);
              ref = referenceSeconds(kind, dataset, dir, o.threads, notes);
            }
            points.push({ rows: rows.n, seconds: timed.seconds });
            floorPoints.push({ rows: rows.n, seconds: floorSeconds(timed.flops) });
            units.push({ dataset, kind, rows: rows.n, sets, seconds: timed.seconds, gflop: gflopOf(timed, sgemmGflops), referenceSeconds: ref?.seconds ?? null, reference: ref?.reference ?? null });
          }
          models.set(kind, costModel(kind, points));
          // product FLOPs: linear in rows for the DNN, the RBF SVM's Gram between linear and quadratic
          floorModels.set(kind, costModel(kind, floorPoints));
        }
      }
      // projection
      const preps = {
        paper: await prepareExperiment(reproduceGrid(dataset, { protocol: 'paper' }), { loadData: async () => data }),
        code: await prepareExperiment(reproduceGrid(dataset, { protocol: 'code' }), { loadData: async () => data }),
      };
      // the projection `reproduce --dry-run --costs` makes from this output, of the whole grid
      const costs: UnitCosts = { date: new Date().toISOString(), machine: machineInfo(), threads: o.threads, units: units.filter((u) => u.dataset === dataset) };
      for (const protocol of ['paper', 'code'] as const) {
        const prep = preps[protocol];
        const whole = projectUnits(prep, protocol, dataset, costs, { jobs: o.jobs });
        const other = preps[protocol === 'paper' ? 'code' : 'paper'];
        const shared = new Set(other.groups.filter((g) => g.augmenter && TRAINED_METHODS.includes(g.augmenter.method)).map((g) => g.key));
        projectedHoursReusingFits[dataset][protocol] = projectUnits(prep, protocol, dataset, costs, { jobs: o.jobs, loaded: shared }).hours;
        breakdown[`${dataset}/${protocol}`] = whole.parts;
        projectedHours[dataset][protocol] = whole.hours;
        if (sgemmGflops) {
          // product FLOPs of a fit epoch, like its seconds, in proportion to its rows
          const floorEpoch = (method: string, rows: number) => (floorSeconds(perEpoch.get(`${method}-${protocol}`)!.flops) * rows) / scaled.train.n;
          const floor = gridCost(prep, protocol, floorEpoch, (kind, rows) => floorModels.get(kind)!(rows));
          floorBreakdown[`${dataset}/${protocol}`] = Object.fromEntries(Object.entries(floor).map(([k, v]) => [k, v / 3600]));
          floorHours[dataset][protocol] = Object.values(floor).reduce((s, v) => s + v, 0) / 3600 / o.jobs;
        }
      }
      if (o.maxSets[dataset] < 10) notes.push(`${dataset}: classifier units timed at 0 and ${o.maxSets[dataset]} sets; larger sets extrapolated (linear in rows; RBF SVM by the exponent between the two sizes)${dataset === 'iemocap' ? "; for the linear SVM (the paper protocol's interior-point fallback) low by the growth of its Newton steps with the rows, from 12-13 a problem at 0 sets to about 25 at 10: the 10-set unit measured 1.09-1.18x the line through the 0- and 1-set ones (BENCHMARKS.md, 'Linear SVM: an interior point')" : ''}`);
    }
    notes.push('synthetic rows are noisy copies of the real ones; a trained augmenter\'s rows may cost more (AAE\'s rows move the linear SVM to its greedy solver: bench/svm-hard-rows.ts)');
    notes.push('ADAN under the code protocol is priced at all its epochs; its early stop (after epoch 200) only shortens it');
    if (!sgemmGflops) notes.push(`no floor: the ${backend.kind} backend does not count its products`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return {
    date: new Date().toISOString(), machine: machineInfo(),
    backend: `${backend.kind}: ${backend.detail}`, threads: o.threads, jobs: o.jobs, units, projectedHours, breakdown, projectedHoursReusingFits,
    sgemmGflops, floorHours, floorBreakdown, notes,
  };
}

function machineInfo(): UnitCosts['machine'] {
  return { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, openblasCoretype: process.env.OPENBLAS_CORETYPE ?? null };
}

function gflopOf(t: Timed, sgemmGflops: number | null): number | null {
  return sgemmGflops ? t.flops / 1e9 : null;
}
