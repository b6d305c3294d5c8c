/**
 * The authors' DNN (python/dnn_cls.py, `DNN_AUTHORS_OPTIONS`) on EmoDB IS11, leave-one-speaker-out,
 * real data only: pooled WA / UAR per seed and mean ± std over seeds, to set beside the PyTorch
 * replica bench/reference/dnn_authors.py (same protocol). Optionally, the seconds of one
 * experiment unit (fit 20 epochs on a fold's ~480 rows, and on ~5,300 rows = the fold's rows
 * and 10 noisy copies standing in for 10 augmented sets, then predict the ~50 test rows).
 *
 * Usage:
 *   npm run build && node dist/bench/dnn-authors.js [--seeds 0,1,2 | none] [--timing] [--threads N]
 *     [--set key=value ...]      (override an option, e.g. --set batchNormMovingAverage=pytorch)
 * `--threads` sets the BLAS threads (as ADAN_THREADS); compare with the replica's --threads.
 */
import { concat, type Dataset } from '../src/data/dataset';
import { splitFolds } from '../src/data/folds';
import { findDataEntry, whereToGetData } from '../src/data/locate';
import { loadDataset } from '../src/data/registry';
import { meanStd, summarizeFolds, type FoldPredictions } from '../src/eval/metrics';
import { Dnn, DNN_AUTHORS_OPTIONS, type DnnOptions } from '../src/classify/dnn';
import { initBackend } from '../src/backend/init';
import { Random } from '../src/util/random';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** `--set key=value` pairs (numbers, booleans and JSON arrays parsed). */
function overrides(): Partial<DnnOptions> {
  const out: Record<string, unknown> = {};
  process.argv.forEach((a, i) => {
    if (a !== '--set') return;
    const [key, raw] = process.argv[i + 1].split('=');
    out[key] = /^[-\d.[]|^(true|false)$/.test(raw) ? JSON.parse(raw) : raw;
  });
  return out as Partial<DnnOptions>;
}

/** Wall-clock and CPU seconds (user + system) of `f`. */
async function timed<T>(f: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}

/** `times` x the rows of `train`: the real rows, then noisy copies (N(0, 0.1²) added). */
function inflate(train: Dataset, times: number, rng: Random): Dataset {
  const parts = [train];
  for (let t = 1; t < times; t++) {
    const x = new Float32Array(train.x.length);
    for (let i = 0; i < x.length; i++) x[i] = train.x[i] + 0.1 * rng.normal();
    parts.push({ ...train, x, synthetic: true });
  }
  return concat(parts, `${train.name} x${times}`);
}

const pct = (v: number): string => (100 * v).toFixed(2);

async function main(): Promise<void> {
  if (!findDataEntry('emodb-is11')) {
    console.log(`dnn-authors: ${whereToGetData('emodb-is11')}`);
    return;
  }
  const threads = arg('threads') ? Number(arg('threads')) : undefined;
  const info = await initBackend(threads ? { threads } : {});
  const options = { ...DNN_AUTHORS_OPTIONS, ...overrides() };
  const seeds = arg('seeds') === 'none' ? [] : (arg('seeds') ?? '0,1,2').split(',').map(Number);
  const ds = loadDataset('emodb-is11');
  const folds = splitFolds(ds);
  console.log(info.summary);
  console.log(`options: ${JSON.stringify(options)}`);
  console.log(`EmoDB IS11 ${ds.n} x ${ds.d}, leave-one-speaker-out (${folds.length} folds), test predictions pooled`);

  const was: number[] = [];
  const uars: number[] = [];
  for (const seed of seeds) {
    const t = await timed(async () => {
      const preds: FoldPredictions[] = [];
      for (const f of folds) {
        const net = await new Dnn({ ...options, seed: seed * 1000 + f.fold.index }).fit(f.train);
        preds.push({ fold: f.fold.group, yTrue: f.test.y, yPred: net.predict(f.test.x) });
        net.dispose();
      }
      return summarizeFolds(preds, ds.classes.length);
    });
    was.push(t.value.wa);
    uars.push(t.value.uar);
    console.log(`seed ${seed}: WA ${pct(t.value.wa)} %  UAR ${pct(t.value.uar)} %   (${t.wall.toFixed(1)} s wall, ${t.cpu.toFixed(1)} s cpu)`);
  }
  if (seeds.length > 0) {
    const w = meanStd(was);
    const u = meanStd(uars);
    console.log(`mean ± std over ${seeds.length} seeds: WA ${pct(w.mean)} ± ${pct(w.std)} %  UAR ${pct(u.mean)} ± ${pct(u.std)} %`);
  }

  if (process.argv.includes('--timing')) {
    const fold = folds[0];
    console.log(`\nseconds of one unit (fit ${options.epochs} epochs + predict ${fold.test.n} rows), fold 1, median of 3:`);
    for (const times of [1, 11]) {
      const train = inflate(fold.train, times, new Random(times));
      const runs: { wall: number; cpu: number }[] = [];
      for (let r = 0; r < 3; r++) {
        runs.push(await timed(async () => {
          const net = await new Dnn({ ...options, seed: r }).fit(train);
          net.predict(fold.test.x);
          net.dispose();
        }));
      }
      const med = (k: 'wall' | 'cpu'): number => runs.map((x) => x[k]).sort((a, b) => a - b)[1];
      console.log(`  ${String(train.n).padStart(5)} rows: ${med('wall').toFixed(2)} s wall, ${med('cpu').toFixed(2)} s cpu  (runs: ${runs.map((x) => x.wall.toFixed(2)).join(', ')})`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
