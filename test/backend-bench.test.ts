/**
 * The WADAN-shaped benchmark step: same seed -> identical losses on the same backend, a flat
 * tensor count over many steps, and runBenchmark's JSON fields (small networks: fast; no timed
 * assertions, speed is for BENCHMARKS.md).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import { loadNative } from '../src/backend/native';
import { WadanShapedNet, randomFold, trainEpoch, type WadanShapedLosses } from '../bench/wadan-shaped';
import { runBenchmark } from '../bench/table3';
import { Random } from '../src/util/random';

const SMALL = { inputDim: 60, hidden: 40, latent: 8, classifierHidden: 16, adversaryHidden: 12, zDim: 6, batchSize: 32 };
const backends = loadNative().addon ? (['native', 'wasm'] as const) : (['wasm'] as const);

function run(seed: number, epochs: number): WadanShapedLosses[] {
  const net = new WadanShapedNet({ ...SMALL, seed });
  const fold = randomFold(128, SMALL.inputDim, 7, seed + 1);
  const rng = new Random(seed + 2);
  const out: WadanShapedLosses[] = [];
  for (let e = 0; e < epochs; e++) out.push(...trainEpoch(net, fold, rng));
  net.dispose();
  return out;
}

for (const backend of backends) {
  test(`${backend}: the same seed gives identical losses, another seed different ones`, async () => {
    await initBackend({ backend });
    const a = run(3, 3);
    const b = run(3, 3);
    assert.equal(a.length, 12);
    assert.deepEqual(a, b);
    assert.ok(a.every((l) => Number.isFinite(l.c) && Number.isFinite(l.d) && Number.isFinite(l.r) && Number.isFinite(l.g)));
    assert.notDeepEqual(run(4, 1), a.slice(0, 4));
  });

  test(`${backend}: the tensor count stays flat over repeated training steps, and dispose frees all`, async () => {
    await initBackend({ backend });
    const base = tf.memory().numTensors;
    const net = new WadanShapedNet({ ...SMALL, seed: 1 });
    const fold = randomFold(128, SMALL.inputDim, 7, 2);
    const rng = new Random(3);
    trainEpoch(net, fold, rng); // creates the optimizers' moments
    const before = tf.memory().numTensors;
    for (let e = 0; e < 10; e++) trainEpoch(net, fold, rng);
    assert.equal(tf.memory().numTensors, before);
    net.dispose();
    assert.equal(tf.memory().numTensors, base, 'dispose frees weights and optimizer state');
  });
}

test('runBenchmark returns the documented figures', async () => {
  const r = await runBenchmark({ backend: backends[0], epochs: 1, warmupEpochs: 1, sgemmRepeats: 1, shape: SMALL });
  assert.equal(r.backend, backends[0]);
  assert.match(r.backendSummary, /^adan-lab backend: /);
  assert.deepEqual(Object.keys(r.epochSeconds), ['480', '2000', '10000']);
  assert.deepEqual(r.iterationsPerEpoch, { '480': 15, '2000': 62, '10000': 312 });
  assert.equal(r.iterationsTimed, 15);
  assert.ok(r.msPerIteration > 0 && r.sgemmGflops > 0);
  // matmul FLOPs of one iteration, from the profiled shapes, equal the count from the layer sizes
  // FLOPs from the profiled shapes: above a floor from the layer sizes, and (native path)
  // exactly what the native kernels counted while they ran
  assert.ok(r.iterationFlops >= smallIterationFlops(), `${r.iterationFlops} >= ${smallIterationFlops()}`);
  if (r.backend === 'native') assert.equal(r.nativeFlopsPerIteration, r.iterationFlops);
  assert.ok(r.matmulTimeShare! > 0 && r.matmulTimeShare! <= 1);
  assert.equal(r.memory.numTensorsEnd, r.memory.numTensorsStart);
  assert.ok(r.profile.some((k) => k.kernel === 'BatchMatMul'));
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(r)));
});

/**
 * A floor for the matmul FLOPs of one iteration of the small shape: the R/E step alone runs E and
 * R forward (2*n*in*out per dense layer), forms every weight gradient of E and R (as much again)
 * and every input gradient of R's layers (R's size, which equals E's); the C, D and G steps come
 * on top.
 */
function smallIterationFlops(): number {
  const n = SMALL.batchSize;
  const layers = (sizes: number[]) => sizes.slice(1).reduce((acc, o, l) => acc + 2 * n * sizes[l] * o, 0);
  const E = layers([SMALL.inputDim, SMALL.hidden, SMALL.hidden, SMALL.latent]);
  const R = layers([SMALL.latent, SMALL.hidden, SMALL.hidden, SMALL.inputDim]);
  return 2 * (E + R) + /* R's input gradients */ R;
}
