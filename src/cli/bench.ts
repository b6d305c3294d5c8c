/**
 * `adan-lab bench`: time WADAN-shaped training on this machine's backend (Table III) and the
 * BLAS it reaches; see BENCHMARKS.md for what is measured.
 */
import { Command, Option } from 'commander';
import { wholeNumber } from './options';

export function registerBench(program: Command): void {
  program
    .command('bench')
    .summary('time WADAN training on this machine (Table III) and the BLAS it reaches')
    .description('Times the real WADAN iteration at the paper\'s sizes (batch 128, 4354 features) on random data: seconds per epoch of ~400, ~2,000 and ~10,000 rows, the sgemm rate, the share of it the training reaches. About a minute.')
    .option('--json', 'print the whole measurement as JSON (BENCHMARKS.md quotes its fields)', false)
    .addOption(new Option('--backend <name>', 'tfjs backend (default: ADAN_BACKEND, else the fastest available)').choices(['native', 'wasm', 'cpu', 'tensorflow']))
    .addOption(new Option('--threads <n>', 'BLAS threads on the native path (default: ADAN_THREADS, else all cores)').argParser(wholeNumber(1)))
    .addOption(new Option('--epochs <n>', 'timed epochs of 480 rows (median reported)').argParser(wholeNumber(1)).default(5))
    .addOption(new Option('--seed <n>', 'seed of the data, weights and noise').argParser(wholeNumber(0)).default(0))
    .option('--no-profile', 'skip the kernel-by-kernel profile of one epoch')
    .action(async (o) => {
      const { runBenchmark, PAPER_TABLE_III } = await import('../../bench/table3.js');
      if (!o.json) console.error('adan-lab: timing WADAN-shaped training (about a minute) ...');
      const r = await runBenchmark({ backend: o.backend, threads: o.threads, epochs: o.epochs, seed: o.seed, profile: o.profile });
      if (o.json) {
        console.log(JSON.stringify(r, null, 2));
        return;
      }
      console.log(r.backendSummary);
      const share = r.matmulShareOfSgemm === null ? '' : `; matmul share of sgemm ${(100 * r.matmulShareOfSgemm).toFixed(0)} %`;
      console.log(`WADAN iteration (batch 128): ${r.msPerIteration.toFixed(0)} ms; sgemm 128x4368x800: ${r.sgemmGflops.toFixed(0)} GFLOP/s${share}`);
      console.log('seconds per epoch (WADAN), ours vs the paper (GTX 1080 Ti, ADAN / WADAN):');
      Object.entries(r.epochSeconds).forEach(([rows, s], i) => {
        const p = PAPER_TABLE_III;
        console.log(`  ${rows.padStart(6)} rows: ${(s as number).toFixed(2)} s   paper (~${p.rows[i]} rows): ${p.adan[i]} / ${p.wadan[i]} s`);
      });
    });
}
