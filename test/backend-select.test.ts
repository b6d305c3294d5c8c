/** Backend choice: ADAN_BACKEND, idempotence, the one-line report, and life without the addon. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { tf } from '../src/backend/tf';
import { backendInfo, backendSummary, initBackend, parseBackendRequest } from '../src/backend/init';
import { loadNative } from '../src/backend/native';

const native = loadNative();

/** Run `fn` with ADAN_BACKEND set to `value` (restored afterwards). */
async function withEnv<T>(value: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.ADAN_BACKEND;
  if (value === undefined) delete process.env.ADAN_BACKEND;
  else process.env.ADAN_BACKEND = value;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.ADAN_BACKEND;
    else process.env.ADAN_BACKEND = saved;
  }
}

test('the native addon is present where it is required (ADAN_REQUIRE_NATIVE=1, e.g. CI)', { skip: process.env.ADAN_REQUIRE_NATIVE !== '1' && 'ADAN_REQUIRE_NATIVE is not 1' }, async () => {
  assert.ok(native.addon, `native addon missing: ${native.addon ? '' : native.reason}`);
  const info = await initBackend();
  assert.ok(info.kind === 'native' || info.kind.startsWith('tensorflow'), info.summary);
});

test('ADAN_BACKEND chooses the backend, and the report says which', async () => {
  const wasm = await withEnv('wasm', () => initBackend());
  assert.equal(wasm.kind, 'wasm');
  assert.equal(wasm.requested, 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.match(wasm.summary, /^adan-lab backend: wasm \(/);
  const cpu = await withEnv('cpu', () => initBackend());
  assert.equal(cpu.kind, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(backendSummary(), cpu.summary);
  if (native.addon) {
    const n = await withEnv('native', () => initBackend());
    assert.equal(n.kind, 'native');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(n.summary, /^adan-lab backend: native \((OpenBLAS|Accelerate).*via wasm heap, \d+ threads?\)$/);
  }
});

test('initBackend is idempotent: the same request returns the same info without work', async () => {
  const a = await initBackend({ backend: 'wasm' });
  const b = await initBackend({ backend: 'wasm' });
  assert.equal(a, b);
  assert.equal(backendInfo(), a);
  const [c, d] = await Promise.all([initBackend({ backend: 'cpu' }), initBackend({ backend: 'cpu' })]);
  assert.equal(c, d);
  // after an explicit choice, a model's plain initBackend() keeps it
  await withEnv(undefined, async () => assert.equal(await initBackend(), c));
  assert.equal(tf.getBackend(), 'cpu');
});

test('unknown names are rejected, naming the valid ones; aliases are accepted', async () => {
  assert.equal(parseBackendRequest('OpenBLAS'), 'native');
  assert.equal(parseBackendRequest('gpu'), 'tensorflow-gpu');
  assert.equal(parseBackendRequest(undefined), 'auto');
  await assert.rejects(withEnv('cuda', () => initBackend()), /ADAN_BACKEND.*"cuda".*auto, tensorflow-gpu, tensorflow, native, wasm, cpu/);
});

test('asking for tfjs-node when it is not installed says so', async (t) => {
  try {
    require.resolve('@tensorflow/tfjs-node');
    t.skip('@tensorflow/tfjs-node is installed here');
    return;
  } catch {
    /* expected */
  }
  await assert.rejects(initBackend({ backend: 'tensorflow' }), /tensorflow is not available: @tensorflow\/tfjs-node not installed/);
});

test('without the addon, auto picks wasm with a note why, and training still works', () => {
  const script = `
    const b = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'backend', 'index.js'))});
    const { makeAdam } = require(${JSON.stringify(path.join(__dirname, '..', 'src', 'backend', 'adam.js'))});
    (async () => {
      const info = await b.initBackend();
      const tf = b.tf;
      const w = tf.variable(tf.ones([4, 2]));
      const x = tf.ones([3, 4]);
      const opt = makeAdam({ learningRate: 0.1 });
      const loss = () => tf.sum(tf.square(tf.matMul(x, w, false, false)));
      const l0 = opt.minimize(loss, true).dataSync()[0];
      for (let i = 0; i < 5; i++) opt.minimize(loss);
      const l1 = loss().dataSync()[0];
      console.log(JSON.stringify({ kind: info.kind, summary: info.summary, l0, l1, adam: opt.constructor.name }));
    })().catch((e) => { console.error(e); process.exit(1); });`;
  const env: NodeJS.ProcessEnv = { ...process.env, ADAN_NATIVE_PATH: path.join(__dirname, 'no-such-addon.node') };
  delete env.ADAN_BACKEND;
  const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' }).trim().split('\n').pop()!);
  assert.equal(out.kind, 'wasm');
  assert.match(out.summary, /native: no native addon at ADAN_NATIVE_PATH/);
  assert.equal(out.adam, 'AdamOptimizer');
  assert.ok(out.l1 < out.l0, `loss falls: ${out.l0} -> ${out.l1}`);
});
