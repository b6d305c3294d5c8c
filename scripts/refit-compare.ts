/**
 * Is a kept augmenter the fit this build would make? Refits one GAN-type augmenter of the EmoDB
 * grid (one fold, one method) into a scratch store that keeps it, then compares its saved weight
 * files, byte for byte (SHA-256), with those another store kept under the same group key (what
 * `reproduce --reuse-fits` would load). Run with the BLAS settings of the grid that fitted the
 * other (e.g. `env -u OPENBLAS_CORETYPE ADAN_THREADS=1` for a `--jobs 2` grid).
 *
 *   node dist/scripts/refit-compare.js --other /work/stores/emodb-code --fold 10 --method gan [--protocol paper] [--scratch DIR]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { reproduceGrid } from '../src/experiment/grid';
import { runExperiment } from '../src/experiment/runner';

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? process.argv[i + 1] : fallback;
  if (v === undefined) throw new Error(`refit-compare: --${name} is required`);
  return v;
}

async function main(): Promise<void> {
  const other = arg('other');
  const fold = Number(arg('fold'));
  const method = arg('method');
  const protocol = arg('protocol', 'paper') as 'paper' | 'code';
  const scratch = arg('scratch', fs.mkdtempSync(path.join(os.tmpdir(), 'refit-compare-')));
  const spec = { ...reproduceGrid('emodb', { methods: [method], classifiers: ['svm'], protocol }), folds: [fold], sets: [1], repeats: 1 };
  await runExperiment(spec, { storeDir: scratch, keepAugmenters: true, onEpoch: (e) => e.record.epoch % 250 === 0 && console.error(`${method} fold ${fold}: epoch ${e.record.epoch}`) });
  const [group] = fs.readdirSync(path.join(scratch, 'augmenters'));
  const mine = path.join(scratch, 'augmenters', group);
  const theirs = path.join(other, 'augmenters', group);
  if (!fs.existsSync(theirs)) throw new Error(`refit-compare: ${other} kept no augmenter of group ${group} (${method}, fold ${fold})`);
  const hash = (f: string): string => createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  const files = fs.readdirSync(mine).filter((f) => f.endsWith('.bin')).sort();
  const differ = files.filter((f) => !fs.existsSync(path.join(theirs, f)) || hash(path.join(mine, f)) !== hash(path.join(theirs, f)));
  console.log(`${method} fold ${fold}, group ${group}: ${files.length - differ.length} of ${files.length} weight files identical to ${theirs}${differ.length ? `; differ: ${differ.join(', ')}` : ''}`);
  process.exitCode = differ.length === 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
