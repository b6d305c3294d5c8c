/**
 * `adan-lab bench [--json]`: time WADAN-shaped training on this machine's backend (Table III)
 * and the BLAS it reaches; see BENCHMARKS.md for what is measured.
 */
import { parseFlags } from './flags';
import { OptionError } from '../util/errors';
import { runBenchmark, PAPER_TABLE_III, type BenchmarkOptions } from '../backend/bench';

export const BENCH_USAGE = 'adan-lab bench [--json] [--backend native|wasm|cpu|tensorflow] [--threads N] [--epochs N] [--seed S] [--no-profile]';

function positiveInt(flag: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new OptionError(flag, v, 'a positive whole number');
  return n;
}

export async function benchCommand(argv: string[]): Promise<number> {
  const { values } = parseFlags(argv, {
    json: { type: 'boolean' },
    backend: { type: 'string' },
    threads: { type: 'string' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    'no-profile': { type: 'boolean' },
  }, false);
  const options: BenchmarkOptions = {
    backend: values.backend as string | undefined,
    threads: positiveInt('--threads', values.threads),
    epochs: positiveInt('--epochs', values.epochs),
    profile: !values['no-profile'],
  };
  if (values.seed !== undefined) options.seed = Number(values.seed);
  if (!values.json) console.error('adan-lab: timing WADAN-shaped training (about a minute) ...');
  const r = await runBenchmark(options);
  if (values.json) {
    console.log(JSON.stringify(r, null, 2));
    return 0;
  }
  console.log(r.backendSummary);
  const share = r.matmulShareOfSgemm === null ? '' : `; matmul share of sgemm ${(100 * r.matmulShareOfSgemm).toFixed(0)} %`;
  console.log(`WADAN iteration (batch 128): ${r.msPerIteration.toFixed(0)} ms; sgemm 128x4368x800: ${r.sgemmGflops.toFixed(0)} GFLOP/s${share}`);
  console.log('seconds per epoch (WADAN), ours vs the paper (GTX 1080 Ti, ADAN / WADAN):');
  Object.entries(r.epochSeconds).forEach(([rows, s], i) => {
    const p = PAPER_TABLE_III;
    console.log(`  ${rows.padStart(6)} rows: ${s.toFixed(2)} s   paper (~${p.rows[i]} rows): ${p.adan[i]} / ${p.wadan[i]} s`);
  });
  return 0;
}
