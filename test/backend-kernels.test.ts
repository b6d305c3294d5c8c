/**
 * The native BatchMatMul/_FusedMatMul (cblas_sgemm on the wasm heap) and the plain-wasm transpose
 * fix against tfjs' original wasm kernels, on random shapes: transposes, batch dims (also
 * broadcast), bias, every natively handled activation, prelu (fallback), and gradients.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import { loadNative } from '../src/backend/native';
import { installedKernels, kernelStats, withOriginalKernels } from '../src/backend/kernels';
import { Random } from '../src/util/random';
import { maxRelErr } from './numeric';

const native = loadNative();
const noNative = native.addon ? false : `native addon absent: ${native.reason}`;

const relErr = maxRelErr;

type Spec = { data: Float32Array; shape: number[] };

/**
 * Compute `f` on the current (wasm) backend with the replacement kernels and on tfjs' cpu
 * backend, the reference. (tfjs-backend-wasm 4.22's own _FusedMatMul is not a usable reference:
 * it returns wrong values for transposeA with a bias; see BENCHMARKS.md.)
 */
async function vsCpu(specs: Spec[], f: (ts: tf.Tensor[]) => tf.Tensor): Promise<{ mine: Float32Array; ref: Float32Array; shape: number[] }> {
  const run = () =>
    tf.tidy(() => {
      const y = f(specs.map((s) => tf.tensor(s.data, s.shape)));
      return { data: y.dataSync() as Float32Array, shape: y.shape };
    });
  const mine = run();
  const prev = tf.getBackend();
  await tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false; // no "install tfjs-node" banner
  try {
    const ref = run();
    assert.deepEqual(ref.shape, mine.shape);
    return { mine: mine.data, ref: ref.data, shape: mine.shape };
  } finally {
    await tf.setBackend(prev);
  }
}

const spec = (rng: Random, shape: number[]): Spec => ({ data: rng.normalArray(shape.reduce((a, b) => a * b, 1)), shape });

interface Case {
  batchA: number[];
  batchB: number[];
  m: number;
  n: number;
  k: number;
  tA: boolean;
  tB: boolean;
}

function randomCases(rng: Random, count: number): Case[] {
  const batches: Array<[number[], number[]]> = [
    [[], []],
    [[3], [3]],
    [[2, 3], [2, 3]],
    [[4], [1]],
    [[1], [5]],
    [[2, 2], []],
  ];
  const out: Case[] = [];
  for (let i = 0; i < count; i++) {
    const [batchA, batchB] = batches[i % batches.length];
    out.push({ batchA, batchB, m: 1 + rng.int(70), n: 1 + rng.int(70), k: 1 + rng.int(90), tA: rng.uniform() < 0.5, tB: rng.uniform() < 0.5 });
  }
  // the WADAN shapes that matter most: forward, dW (transposeA), dX (transposeB)
  out.push({ batchA: [], batchB: [], m: 128, n: 800, k: 437, tA: false, tB: false });
  out.push({ batchA: [], batchB: [], m: 437, n: 800, k: 128, tA: true, tB: false });
  out.push({ batchA: [], batchB: [], m: 128, n: 437, k: 800, tA: false, tB: true });
  return out;
}

function operands(rng: Random, c: Case): [Spec, Spec] {
  return [spec(rng, [...c.batchA, ...(c.tA ? [c.k, c.m] : [c.m, c.k])]), spec(rng, [...c.batchB, ...(c.tB ? [c.n, c.k] : [c.k, c.n])])];
}

test('native BatchMatMul equals the reference (transposes, batch dims, broadcast)', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  assert.equal(installedKernels(), 'native');
  const rng = new Random(11);
  const before = kernelStats.native;
  for (const c of randomCases(rng, 24)) {
    const { mine, ref, shape } = await vsCpu(operands(rng, c), ([a, b]) => tf.matMul(a, b, c.tA, c.tB));
    assert.deepEqual(shape.slice(-2), [c.m, c.n]);
    const err = relErr(mine, ref);
    assert.ok(err <= 1e-4, `${JSON.stringify(c)}: relative error ${err}`);
  }
  assert.ok(kernelStats.native - before >= 27, 'the native kernel ran');
});

test('native _FusedMatMul equals the reference: bias, activations (prelu too), transposes, batch dims', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(12);
  const activations = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu', 'prelu'] as const;
  let i = 0;
  for (const c of randomCases(rng, 14).filter((x) => x.batchA.length <= 1 && x.batchB.length <= 1)) {
    const activation = activations[i++ % activations.length];
    const withBias = i % 3 !== 0;
    const [a, b] = operands(rng, c);
    const bias = spec(rng, [c.n]);
    const prelu = { data: bias.data.map(Math.abs), shape: [c.n] };
    const { mine, ref } = await vsCpu([a, b, bias, prelu], ([ta, tb, tbias, tprelu]) =>
      tf.fused.matMul({
        a: ta, b: tb, transposeA: c.tA, transposeB: c.tB, bias: withBias ? tbias : undefined, activation,
        preluActivationWeights: activation === 'prelu' ? tprelu : undefined, leakyreluAlpha: 0.2,
      }),
    );
    const err = relErr(mine, ref);
    assert.ok(err <= 1e-4, `${activation} bias=${withBias} ${JSON.stringify(c)}: relative error ${err}`);
  }
});

test('gradients through fused dense layers agree with the reference and the original kernels', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(13);
  const specs = [spec(rng, [37, 53]), spec(rng, [53, 29]), spec(rng, [29]), spec(rng, [29, 7])];
  const grads = ([x, w1, b1, w2]: tf.Tensor[]) => {
    const loss = (w: tf.Tensor, v: tf.Tensor) => {
      const h = tf.fused.matMul({ a: x, b: w, bias: b1, activation: 'relu' });
      return tf.sum(tf.square(tf.fused.matMul({ a: h, b: v, activation: 'linear' })));
    };
    const [gw1, gw2] = tf.grads(loss)([w1, w2]);
    return tf.concat([gw1.flatten(), gw2.flatten()]); // dW1 (transposeA), dW2, dH (transposeB) all used
  };
  const { mine, ref } = await vsCpu(specs, grads);
  assert.ok(relErr(mine, ref) <= 1e-4, `relative error ${relErr(mine, ref)}`);
  // and the same against tfjs' original wasm kernels (no bias on a transposed operand here)
  const orig = withOriginalKernels(() => tf.tidy(() => grads(specs.map((s) => tf.tensor(s.data, s.shape))).dataSync()));
  assert.ok(relErr(mine, orig as Float32Array) <= 1e-4);
});

test('native products are bitwise repeatable with the configured BLAS threads', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(14);
  const a = tf.tensor(spec(rng, [128, 700]).data, [128, 700]);
  const b = tf.tensor(spec(rng, [128, 300]).data, [128, 300]);
  const first = tf.matMul(a, b, true, false); // the dW shape: transposeA, large output
  const again = tf.matMul(a, b, true, false);
  assert.deepEqual(again.dataSync(), first.dataSync());
  tf.dispose([a, b, first, again]);
});

test('plain wasm with the transpose fix equals the reference', async () => {
  await initBackend({ backend: 'wasm' });
  assert.equal(installedKernels(), 'transpose-fix');
  const rng = new Random(15);
  for (const c of randomCases(rng, 8)) {
    const plain = await vsCpu(operands(rng, c), ([a, b]) => tf.matMul(a, b, c.tA, c.tB));
    assert.ok(relErr(plain.mine, plain.ref) <= 1e-4, JSON.stringify(c));
    const c2 = { ...c, batchA: [], batchB: [] };
    const fused = await vsCpu([...operands(rng, c2), spec(rng, [c.n])], ([a, b, bias]) =>
      tf.fused.matMul({ a, b, transposeA: c.tA, transposeB: c.tB, bias, activation: 'relu' }),
    );
    assert.ok(relErr(fused.mine, fused.ref) <= 1e-4, `fused ${JSON.stringify(c2)}`);
  }
});

test('native Sum over leading axes (bias gradients) equals the reference; other axes still work', { skip: noNative }, async () => {
  await initBackend({ backend: 'native' });
  const rng = new Random(16);
  const cases: Array<{ shape: number[]; axis: number | number[] | null; keepDims: boolean }> = [
    { shape: [128, 800], axis: 0, keepDims: false },
    { shape: [128, 37], axis: [0], keepDims: true },
    { shape: [1, 128, 100], axis: [0, 1], keepDims: false },
    { shape: [3, 5, 7], axis: [1, 0], keepDims: true },
    { shape: [6, 9], axis: -1, keepDims: false }, // innermost: the original kernel
    { shape: [4, 5, 6], axis: [0, 2], keepDims: false }, // not leading: the original kernel
    { shape: [7, 8], axis: null, keepDims: false }, // all axes: the original kernel
  ];
  const before = kernelStats.nativeSums;
  for (const c of cases) {
    const { mine, ref, shape } = await vsCpu([spec(rng, c.shape)], ([x]) => tf.sum(x, c.axis ?? undefined, c.keepDims));
    const err = relErr(mine, ref);
    assert.ok(err <= 1e-5, `${JSON.stringify(c)} -> ${JSON.stringify(shape)}: relative error ${err}`);
  }
  assert.equal(kernelStats.nativeSums - before, 4, 'the four leading-axis cases ran natively');
});

test('Identity shares memory instead of copying (clones stay valid after the original is freed)', async () => {
  for (const backend of noNative ? (['wasm'] as const) : (['native', 'wasm'] as const)) {
    await initBackend({ backend });
    const x = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
    const y = tf.clone(x);
    const map = (tf.backend() as unknown as { dataIdMap: { get(d: object): { memoryOffset: number } } }).dataIdMap;
    assert.equal(map.get(y.dataId).memoryOffset, map.get(x.dataId).memoryOffset);
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4, 5, 6]);
    y.dispose();
  }
});

test("GatherV2 along the first axis copies rows: the original kernel's values; other axes and bad indices go to it", async () => {
  for (const backend of noNative ? (['wasm'] as const) : (['native', 'wasm'] as const)) {
    await initBackend({ backend });
    const rng = new Random(17);
    const cases: Array<{ shape: number[]; dtype: 'float32' | 'int32'; indices: number[]; indexShape?: number[]; axis?: number }> = [
      { shape: [486, 37], dtype: 'float32', indices: Array.from({ length: 128 }, (_, i) => (i * 211) % 486) },
      { shape: [9], dtype: 'float32', indices: [8, 0, 0, 3] }, // rank 1, repeats
      { shape: [5, 3, 4], dtype: 'int32', indices: [4, 1, 2, 2, 0, 3], indexShape: [2, 3] }, // rank 3, 2-d indices
      { shape: [6, 2], dtype: 'float32', indices: [] }, // nothing gathered
      { shape: [6, 5], dtype: 'float32', indices: [4, 0, 1], axis: 1 }, // another axis: the original kernel
      { shape: [6, 5], dtype: 'float32', indices: [5, 0, 3], axis: -2 }, // axis 0 counted from the end
    ];
    for (const c of cases) {
      const size = c.shape.reduce((a, b) => a * b, 1);
      const values = c.dtype === 'int32' ? Int32Array.from({ length: size }, () => Math.floor(rng.uniform() * 1e6) - 5e5) : rng.normalArray(size);
      const run = (): { bytes: Buffer; shape: number[] } =>
        tf.tidy(() => {
          const y = tf.gather(tf.tensor(values, c.shape, c.dtype), tf.tensor(c.indices, c.indexShape ?? [c.indices.length], 'int32'), c.axis ?? 0);
          const data = y.dataSync() as Float32Array | Int32Array;
          return { bytes: Buffer.from(data.buffer, data.byteOffset, data.byteLength), shape: y.shape };
        });
      const mine = run();
      const ref = withOriginalKernels(run);
      assert.deepEqual(mine.shape, ref.shape, `${backend} ${JSON.stringify(c.shape)}: shape`);
      assert.ok(mine.bytes.equals(ref.bytes), `${backend} ${JSON.stringify(c.shape)} axis ${c.axis ?? 0}: the original kernel's values`);
    }
    // an index out of range is the original kernel's to report (it does not read past the rows)
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const bad = tf.tensor1d([0, 2], 'int32');
    assert.throws(() => tf.gather(x, bad), /2/);
    tf.dispose([x, bad]);
  }
});

test("native Tanh is the wasm kernel's function bit for bit (a sample of every float's range, and the edge values)", { skip: noNative || (native.addon && !native.addon.tanh ? 'addon built before tanh' : false) }, async () => {
  await initBackend({ backend: 'native' });
  // 2^20 bit patterns spread over all 2^32 (every exponent, both signs), then the edges
  const bits = new Uint32Array((1 << 20) + 16);
  for (let i = 0; i < 1 << 20; i++) bits[i] = Math.imul(i, 4093) >>> 0;
  const edges = [0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 0x00000001, 0x007fffff, 0x00800000, 0x3e82c578, 0x3e82c579, 0x3f0c9f54, 0x3f0c9f55, 0x41200000, 0x41200001, 0x33000000, 0x4195b844];
  bits.set(edges, 1 << 20);
  const x = new Float32Array(bits.buffer);
  const run = (): Buffer => tf.tidy(() => {
    const y = tf.tanh(tf.tensor1d(x)).dataSync();
    return Buffer.from(y.buffer, y.byteOffset, y.byteLength);
  });
  const mine = run();
  const ref = withOriginalKernels(run);
  let differ = 0;
  for (let i = 0; i < x.length; i++) if (mine.readUInt32LE(4 * i) !== ref.readUInt32LE(4 * i)) differ++;
  assert.equal(differ, 0, `values whose tanh differs from the wasm kernel's, of ${x.length}`);
});
