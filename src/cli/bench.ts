/**
 * `adan-lab bench`: time WADAN-shaped training on this machine's backend (Table III) and the
 * BLAS it reaches; see BENCHMARKS.md for what is measured.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { wholeNumber } from './options';
import type { GridBenchResult } from '../../bench/grid';

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
    .option('--grid', 'instead: the cost of every unit kind of the grids on the real data (fit epochs, SVM and DNN units of both protocols, beside scikit-learn / PyTorch) and the projected hours of each grid; minutes on EmoDB, longer with IEMOCAP', false)
    .addOption(new Option('--datasets <list>', 'with --grid: corpora to measure (comma-separated)').default(['emodb', 'iemocap'], 'emodb,iemocap').argParser(corpusList))
    .addOption(new Option('--fit-epochs <n>', 'with --grid: timed fit epochs per augmenter (after one warm-up)').argParser(wholeNumber(1)).default(5))
    .addOption(new Option('--jobs <n>', 'with --grid: workers the projection divides by (reproduce --jobs)').argParser(wholeNumber(1)).default(2))
    .option('--no-references', 'with --grid: skip scikit-learn / PyTorch')
    .action(async (o) => {
      if (o.grid) {
        const { runGridBenchmark } = await import('../../bench/grid.js');
        const r = await runGridBenchmark({ datasets: o.datasets, fitEpochs: o.fitEpochs, jobs: o.jobs, threads: o.threads ?? 1, references: o.references, seed: o.seed, onProgress: (l) => console.error(`adan-lab: ${l}`) });
        if (o.json) console.log(JSON.stringify(r, null, 2));
        else console.log(formatGridBench(r));
        return;
      }
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

function corpusList(text: string): ('emodb' | 'iemocap')[] {
  const list = text.split(',').map((t) => t.trim());
  for (const c of list) if (c !== 'emodb' && c !== 'iemocap') throw new InvalidArgumentError(`expected emodb, iemocap or both (comma-separated), got ${c}`);
  return list as ('emodb' | 'iemocap')[];
}

/** The --grid result as a table: seconds of each unit kind beside the reference and the sgemm floor, then the projected hours. */
export function formatGridBench(r: GridBenchResult): string {
  const rate = r.sgemmGflops;
  const lines = [
    `${r.backend}; ${r.threads} thread(s) per worker, ${r.jobs} workers; ${r.machine.cpu}${rate ? `; sgemm ${rate.toFixed(0)} GFLOP/s` : ''}`,
    '',
    'unit                      rows   sets   ours s   reference s  ratio    GFLOP  floor s',
  ];
  for (const u of r.units) {
    const ratio = u.referenceSeconds ? (u.seconds / u.referenceSeconds).toFixed(2) : '';
    const floor = u.gflop !== null && rate ? (u.gflop / rate).toFixed(2) : '';
    lines.push(
      `${`${u.dataset} ${u.kind}`.padEnd(24)} ${String(u.rows).padStart(6)} ${String(u.sets ?? '').padStart(5)} ${u.seconds.toFixed(2).padStart(8)} ${(u.referenceSeconds?.toFixed(2) ?? '').padStart(12)}  ${ratio.padEnd(5)} ${(u.gflop?.toFixed(1) ?? '').padStart(8)} ${floor.padStart(8)}`,
    );
  }
  const parts = (b: Record<string, number> | undefined) => Object.entries(b ?? {}).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ');
  lines.push('', 'projected wall clock (hours; floor: every product at sgemm\'s rate, nothing else):');
  for (const [dataset, byProtocol] of Object.entries(r.projectedHours)) {
    for (const [protocol, h] of Object.entries(byProtocol)) {
      if (h === null) continue;
      const key = `${dataset}/${protocol}`;
      const floor = r.floorHours[dataset as 'emodb'][protocol as 'paper'];
      const reusing = r.projectedHoursReusingFits?.[dataset as 'emodb'][protocol as 'paper'];
      lines.push(`  ${dataset} ${protocol}: ${h.toFixed(1)} h   (${parts(r.breakdown[key])} h on one worker)${reusing != null ? `; after the other protocol's grid, with --reuse-fits: ${reusing.toFixed(1)} h` : ''}`);
      if (floor !== null) lines.push(`  ${' '.repeat(dataset.length + protocol.length + 1)}  floor ${floor.toFixed(1)} h   (${parts(r.floorBreakdown[key])} h on one worker)`);
    }
  }
  for (const n of r.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}
