/** storedValues: a tensor's values without a copy on the wasm heap, the same values as dataSync everywhere. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../src/backend/tf';
import { initBackend } from '../src/backend/init';
import { storedValues } from '../src/backend/stored';
import type { WasmBackendLike } from '../src/backend/kernels';

test('storedValues gives the values of float32 and int32 tensors, as a view of the heap on wasm', async () => {
  const info = await initBackend();
  const f = tf.tensor2d([[1.5, -2, 3.25], [4, 5e-7, -6]]);
  const i = tf.tensor1d([7, -8, 9], 'int32');
  const v = tf.variable(tf.tensor1d([0.1, 0.2]), false, 'stored-test/v');
  for (const t of [f, i, v]) {
    const s = storedValues(t);
    assert.equal(s instanceof Float32Array, t.dtype === 'float32');
    assert.deepEqual(Array.from(s), Array.from(t.dataSync() as ArrayLike<number>));
    if (info.tfBackend === 'wasm') {
      assert.equal(s.buffer, (tf.backend() as unknown as WasmBackendLike).wasm.HEAPU8.buffer, `${info.kind}: a view, not a copy`);
    }
  }
  tf.dispose([f, i, v]);
});
