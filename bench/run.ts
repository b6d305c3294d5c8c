/**
 * Standalone benchmark: `node dist/bench/run.js [--backend native] [--epochs 5] [--threads 2]`
 * prints one JSON object (see bench/table3.ts); the same as `adan-lab bench --json`.
 */
import { main } from '../src/cli/main';

main(['bench', '--json', ...process.argv.slice(2)]).then((code) => process.exit(code));
