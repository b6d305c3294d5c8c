/**
 * A tensor's values where the backend keeps them, for writing them to a file without copies.
 *
 * `dataSync()` on the wasm backend (the native path) copies the values out of the wasm heap into
 * fresh memory; a checkpoint of the paper's networks and their Adam moments is ~100 MB (GAN's
 * seven pairs ~200 MB), and those copies cost more than the write itself. `storedValues` returns
 * a view of the heap instead. A view is valid only until the next tfjs operation (one that
 * allocates may grow the heap, which detaches its buffer): take it right before writing.
 */
import { tf } from './tf';
import type { WasmBackendLike } from './kernels';

/** The values of a float32 or int32 tensor: a view of the wasm heap, elsewhere `dataSync()`. */
export function storedValues(t: tf.Tensor): Float32Array | Int32Array {
  if (tf.getBackend() === 'wasm' && (t.dtype === 'float32' || t.dtype === 'int32')) {
    const backend = tf.backend() as unknown as WasmBackendLike;
    const offset = backend.dataIdMap.get(t.dataId)?.memoryOffset;
    if (typeof offset === 'number' && offset % 4 === 0) {
      const heap = backend.wasm.HEAPU8.buffer;
      return t.dtype === 'int32' ? new Int32Array(heap, offset, t.size) : new Float32Array(heap, offset, t.size);
    }
  }
  return t.dataSync() as Float32Array | Int32Array;
}
