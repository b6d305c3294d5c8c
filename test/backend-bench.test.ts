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
import { WadanShapedNet, randomFold, trainEpoch, type WadanShapedLosses } from '../src/backend/wadan-shaped';
import { runBenchmark } from '../src/backend/bench';
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
  // FLOPs from the profiled shapes: at least what the layer sizes require, and (native path)
  // exactly what the native kernels counted while they ran
  assert.ok(r.iterationFlops >= smallIterationFlops(), `${r.iterationFlops} >= ${smallIterationFlops()}`);
  if (r.backend === 'native') assert.equal(r.nativeFlopsPerIteration, r.iterationFlops);
  assert.ok(r.matmulTimeShare! > 0 && r.matmulTimeShare! <= 1);
  assert.equal(r.memory.numTensorsEnd, r.memory.numTensorsStart);
  assert.ok(r.profile.some((k) => k.kernel === 'BatchMatMul'));
  assert.doesNotThrow(() => JSON.parse(JSON.stringify(r)));
});

/**
 * Matmul FLOPs one iteration of the small shape needs, counted by hand: a forward of a dense
 * layer costs 2*n*in*out; its backward 2*n*in*out for dW plus the same for dX when the gradient
 * must flow further down. The D step's penalty adds a double backward through D. (tfjs computes
 * a little more: the fused matmul's gradient also forms dX of first layers.)
 */
function smallIterationFlops(): number {
  const n = SMALL.batchSize;
  const mm = (i: number, o: number) => 2 * n * i * o;
  const net = (sizes: number[]) => sizes.slice(1).map((o, l) => mm(sizes[l], o));
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const E = net([SMALL.inputDim, SMALL.hidden, SMALL.hidden, SMALL.latent]);
  const R = net([SMALL.latent, SMALL.hidden, SMALL.hidden, SMALL.inputDim]);
  const C = net([SMALL.latent, SMALL.classifierHidden, SMALL.classifierHidden, 7]);
  const G = net([SMALL.zDim + 7, SMALL.adversaryHidden, SMALL.adversaryHidden, SMALL.latent]);
  const D = net([SMALL.latent, SMALL.adversaryHidden, SMALL.adversaryHidden, 1]);
  const fwd = sum;
  const hReal = fwd(E);
  const cStep = fwd(C) + sum(C); // dW of every C layer; dX down to the first layer only
  const cStepDx = sum(C.slice(1));
  // D step: D(h_interp) forward, its input gradient (dX of all layers), then the backward of that
  // graph w.r.t. D's weights; plus D(h_real), D(h_fake) with their dW/dX; G forward for h_fake
  const dGrad = sum(D); // dX through all D layers
  const dStep = fwd(G) + fwd(D) + dGrad + /* d(penalty)/dW: */ (sum(D) + sum(D.slice(1)) + dGrad) + 2 * fwd(D) + 2 * (sum(D) + sum(D.slice(1)));
  const reStep = fwd(E) + fwd(R) + fwd(C) + sum(R) + sum(R) + sum(E) + sum(E.slice(1)) + sum(C);
  const gStep = fwd(G) + fwd(D) + fwd(C) + sum(D) + sum(D) + sum(C) + sum(C) + sum(G) + sum(G.slice(1));
  return hReal + cStep + cStepDx + 2 * dStep + reStep + gStep;
}
