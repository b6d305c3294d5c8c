/**
 * Does this build train the grid's DNNs as another build does? Fits the DNN of each protocol on
 * fold 1's training rows of EmoDB (all epochs) and IEMOCAP (`--iemocap-epochs`, default 2),
 * prints the SHA-256 of each `predictProba` on the test rows and the fit's seconds. Run it from
 * two builds' dist folders with the grid's BLAS settings and compare the hashes; the seconds,
 * taken in one sitting, compare their speed.
 *
 *   env -u OPENBLAS_CORETYPE ADAN_THREADS=1 node dist/scripts/dnn-fingerprint.js [--root OTHER/dist] [--iemocap-epochs 4]
 *
 * `--root` loads the library from another build's dist (a worktree of an older commit), so the
 * older build needs no copy of this script.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const root = path.resolve(arg('root', path.join(__dirname, '..')));
  const epochs = Number(arg('iemocap-epochs', '2'));
  if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`dnn-fingerprint: --iemocap-epochs: got ${arg('iemocap-epochs', '')}, expected an integer >= 1`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = (rel: string) => require(path.join(root, 'src', rel));
  const { loadDataset } = lib('data/registry');
  const { splitFolds } = lib('data/folds');
  const { normalizeFold } = lib('experiment/runner');
  const { resolveNormalize } = lib('experiment/spec');
  const { makeClassifier } = lib('classify/index');
  const { PROTOCOLS, classifierOptions } = lib('protocol/protocols');
  const { initBackend } = lib('backend/init');
  const backend = await initBackend({ threads: Number(process.env.ADAN_THREADS ?? 1) });
  console.log(`${root}: ${backend.summary}`);
  for (const [entry, corpus, epochsHere] of [['emodb-is11', 'emodb', undefined], ['iemocap-is10', 'iemocap', epochs]] as const) {
    const data = await loadDataset(entry);
    const [fold] = splitFolds(data, [1]);
    const s = normalizeFold(fold.train, fold.test, resolveNormalize('auto', data.name));
    for (const protocol of ['paper', 'code']) {
      const options = { ...classifierOptions(PROTOCOLS[protocol], 'dnn', corpus), ...(epochsHere ? { epochs: epochsHere } : {}) };
      const dnn = makeClassifier('dnn', options);
      const t0 = performance.now();
      await dnn.fit(s.train);
      const seconds = (performance.now() - t0) / 1000;
      const p: Float32Array | Float64Array = dnn.predictProba(s.test.x);
      const hash = createHash('sha256').update(Buffer.from(p.buffer, p.byteOffset, p.byteLength)).digest('hex').slice(0, 16);
      console.log(`${corpus} ${protocol}, ${epochsHere ?? 'all'} epochs: ${hash}  fit ${seconds.toFixed(2)} s`);
      dnn.dispose?.();
    }
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
