/**
 * Standalone benchmark: `node dist/bench/run.js [--backend native] [--epochs 5] [--threads 2]`
 * prints one JSON object (see src/backend/bench.ts). `npm run bench` and `adan-lab bench --json`
 * call the same `runBenchmark`.
 */
import { runBenchmark, type BenchmarkOptions } from '../src/backend/bench';

function parseArgs(argv: string[]): BenchmarkOptions {
  const out: BenchmarkOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = inline ?? argv[++i];
    switch (flag) {
      case '--backend':
        out.backend = value;
        break;
      case '--epochs':
        out.epochs = Number(value);
        break;
      case '--threads':
        out.threads = Number(value);
        break;
      case '--seed':
        out.seed = Number(value);
        break;
      case '--no-profile':
        out.profile = false;
        if (inline === undefined) i--;
        break;
      default:
        throw new Error(`bench/run: unknown argument ${argv[i]} (known: --backend, --epochs, --threads, --seed, --no-profile)`);
    }
  }
  return out;
}

runBenchmark(parseArgs(process.argv.slice(2))).then(
  (result) => console.log(JSON.stringify(result, null, 2)),
  (err: Error) => {
    console.error(`bench: ${err.message}`);
    process.exit(1);
  },
);
