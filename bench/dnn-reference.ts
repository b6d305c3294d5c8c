/**
 * One grid DNN unit against its PyTorch reference, alternating (ours, PyTorch, ours, ...), on
 * fold 1 of the corpus as the grid sees it (IEMOCAP z-normalised on the training fold) at 0 sets:
 * the measurement `bench --grid` skips for IEMOCAP, whose PyTorch unit takes minutes.
 * The same network, epochs, batch, Adam and L2 (bench/reference/grid_unit.py); the same threads.
 *
 *   npm run build && env -u OPENBLAS_CORETYPE node dist/bench/dnn-reference.js --dataset iemocap --protocol paper --runs 2
 *
 * Prints one JSON line per run and a last line with the medians and their ratio.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { splitFolds } from '../src/data/folds';
import { loadDataset } from '../src/data/registry';
import { initBackend } from '../src/backend/init';
import { makeClassifier } from '../src/classify/index';
import { PROTOCOLS, classifierOptions, type ProtocolName } from '../src/protocol/protocols';
import { PAPER_TABLES, type PaperDataset } from '../src/protocol/paper';
import { normalizeFold } from '../src/experiment/runner';
import { resolveNormalize } from '../src/experiment/spec';
import { median } from '../src/eval/metrics';
import { referenceSeconds, writeRows } from './grid';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const dataset = arg('dataset', 'iemocap') as PaperDataset;
  const protocol = arg('protocol', 'paper') as ProtocolName;
  const runs = Number(arg('runs', '2'));
  const threads = Number(process.env.ADAN_THREADS ?? '1');
  if (!(dataset in PAPER_TABLES)) throw new Error(`--dataset: emodb or iemocap, not ${dataset}`);
  if (!(protocol in PROTOCOLS)) throw new Error(`--protocol: paper or code, not ${protocol}`);
  if (!(Number.isInteger(runs) && runs >= 1)) throw new Error(`--runs: a whole number >= 1, not ${arg('runs', '')}`);
  await initBackend();
  const data = await loadDataset(PAPER_TABLES[dataset].dataset);
  const [f] = splitFolds(data, [1]);
  const { train, test } = normalizeFold(f.train, f.test, resolveNormalize('auto', data.name));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adan-dnn-ref-'));
  writeRows(dir, train, test);
  const kind = protocol === 'paper' ? 'dnn-paper' : 'dnn-code';
  const options = classifierOptions(PROTOCOLS[protocol], 'dnn', dataset);
  const ours: number[] = [];
  const theirs: number[] = [];
  const notes: string[] = [];
  let reference = '';
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c = makeClassifier('dnn', { ...options, seed: r });
    await c.fit(train);
    c.predict(test.x);
    (c as { dispose?: () => void }).dispose?.();
    ours.push((performance.now() - t0) / 1000);
    console.log(JSON.stringify({ run: r + 1, tool: 'adan-lab', rows: train.n, seconds: ours[r] }));
    const ref = referenceSeconds(kind, dataset, dir, threads, notes);
    if (!ref) throw new Error(notes.join('; '));
    theirs.push(ref.seconds);
    reference = ref.reference;
    console.log(JSON.stringify({ run: r + 1, tool: reference, rows: train.n, seconds: ref.seconds }));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ dataset, protocol, kind, rows: train.n, threads, runs, seconds: median(ours), referenceSeconds: median(theirs), reference, ratio: median(ours) / median(theirs) }));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
