/**
 * Fully connected layers as single kernels on the native backend.
 *
 * Written with tfjs ops, one dense layer of the augmenters (product, bias, LeakyReLU as
 * 0.6 x + 0.4 |x|, BatchNorm on fixed statistics) is ~8 kernels forward and ~20 backward, and
 * tanh on the decoder's 128 x 4354 output alone cost ~1 ms per call on wasm. Profiling a WADAN
 * iteration showed that per-kernel overhead, not arithmetic, was what kept it from the
 * hardware's speed (BENCHMARKS.md). Here a layer is one kernel forward (`AdanDense`: sgemm, bias
 * and activation in one native call) and one backward (`AdanDenseGrad`), plus the two matrix
 * products autograd asks for (dW = x^T dz, and dx = dz w^T only when x needs a gradient, so the
 * encoder never forms the 128 x 4354 gradient of its input). BatchNorm on given statistics is
 * `AdanNorm` / `AdanNormGrad`.
 *
 * The reconstruction loss, a mean squared error over 128 x 4354 values, is `AdanMse` (one pass
 * forward, one backward) for the same reason, and the weighted softmax cross-entropy of the
 * classifiers (C, the DNN) `AdanSoftmaxCe` (tfjs' logSoftmax path is ~20 small kernels).
 *
 * `denseLayer`, `fixedNorm` and `meanSquaredError` pick the kernels when the native backend is active and fall back
 * to the equivalent tfjs ops elsewhere (other backends, tests comparing with the ops). The
 * kernels are first-order only: networks whose gradient is differentiated again (WADAN's critic,
 * for its gradient penalty) use `denseLayerOps`.
 */
import { tf } from './tf';
import { installedKernels, type WasmBackendLike } from './kernels';
import { countNativeProduct } from './stats';
import type { NativeBlas } from './native';

/** Activation after a layer's product and bias. 'leaky' is LeakyReLU with slope `leak` below 0; 'relu' ignores `leak`. */
export type DenseActivation = 'linear' | 'leaky' | 'relu' | 'tanh';
const ACTIVATION_CODES: Readonly<Record<DenseActivation, number>> = { linear: 0, leaky: 4, relu: 4, tanh: 7 };
/** The slope below 0 the native kernel uses: ReLU is the leaky kernel with slope 0. */
const slope = (activation: DenseActivation, leak: number): number => (activation === 'relu' ? 0 : leak);

/** BatchNorm on given statistics: ((a - mean) / sqrt(variance + epsilon)) * gamma + beta. */
export interface NormParams {
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  epsilon: number;
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs?: Record<string, unknown> };

let nativeBlas: NativeBlas | undefined;

let opsDepth = 0;

/** Are the fused layer kernels in use right now (native backend active, not inside `withTfjsOps`)? */
export function denseKernelsActive(): boolean {
  return nativeBlas !== undefined && opsDepth === 0 && installedKernels() === 'native' && tf.getBackend() === 'wasm';
}

/**
 * Run `fn` with layers written as tfjs ops: for code that differentiates a gradient again
 * (WADAN's gradient penalty); the fused kernels have first-order gradients only.
 */
export function withTfjsOps<T>(fn: () => T): T {
  opsDepth++;
  try {
    return fn();
  } finally {
    opsDepth--;
  }
}

/** LeakyReLU as the authors wrote it, (1 + leak)/2 x + (1 - leak)/2 |x|: twice differentiable in tfjs. */
export function leakyReluOps(x: tf.Tensor, leak: number): tf.Tensor {
  return tf.add(tf.mul(x, 0.5 * (1 + leak)), tf.mul(tf.abs(x), 0.5 * (1 - leak)));
}

/** act(x w + b) with tfjs ops (any backend, any order of differentiation). */
export function denseLayerOps(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: DenseActivation, leak: number): tf.Tensor2D {
  return tf.tidy(() => {
    const z = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
    if (activation === 'leaky') return leakyReluOps(z, leak) as tf.Tensor2D;
    if (activation === 'relu') return tf.relu(z);
    if (activation === 'tanh') return tf.tanh(z);
    return z;
  });
}

/** BatchNorm on given statistics with tfjs ops. */
export function fixedNormOps(a: tf.Tensor2D, p: NormParams): tf.Tensor2D {
  return tf.tidy(() => tf.add(tf.mul(tf.div(tf.sub(a, p.mean), tf.sqrt(tf.add(p.variance, p.epsilon))), p.gamma), p.beta) as tf.Tensor2D);
}

/** act(x w + b): one native kernel when the native backend is active, tfjs ops otherwise. First-order gradients only on the native path. */
export function denseLayer(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, activation: DenseActivation, leak: number): tf.Tensor2D {
  if (!denseKernelsActive() || x.dtype !== 'float32') return denseLayerOps(x, w, b, activation, leak);
  return tf.engine().runKernel('AdanDense', { x, w, b }, { activation: ACTIVATION_CODES[activation], alpha: slope(activation, leak) }) as tf.Tensor2D;
}

/** BatchNorm on given statistics: one native kernel when the native backend is active, tfjs ops otherwise. */
export function fixedNorm(a: tf.Tensor2D, p: NormParams): tf.Tensor2D {
  if (!denseKernelsActive()) return fixedNormOps(a, p);
  const { gamma, beta, mean, variance } = p;
  return tf.engine().runKernel('AdanNorm', { a, gamma, beta, mean, variance }, { epsilon: p.epsilon }) as tf.Tensor2D;
}

/** Mean squared error over all elements: one native kernel (and one for its gradient) when the native backend is active, tfjs ops otherwise. */
export function meanSquaredError(x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  if (!denseKernelsActive() || x.dtype !== 'float32' || y.dtype !== 'float32' || x.size !== y.size) return tf.tidy(() => tf.mean(tf.squaredDifference(x, y)) as tf.Scalar);
  return tf.engine().runKernel('AdanMse', { x, y }, {}) as tf.Scalar;
}

/**
 * Mean over rows of w_i * cross-entropy(softmax(logits_i), targets_i) (targets one-hot rows):
 * one native kernel each way when the native backend is active, tfjs ops otherwise. Gradients
 * for the logits only (targets and weights are data).
 */
export function softmaxCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D, rowWeights: tf.Tensor1D): tf.Scalar {
  const fits = logits.dtype === 'float32' && targets.dtype === 'float32' && rowWeights.dtype === 'float32' && targets.shape[0] === logits.shape[0] && targets.shape[1] === logits.shape[1] && rowWeights.size === logits.shape[0];
  if (!denseKernelsActive() || !fits) {
    return tf.tidy(() => tf.mean(tf.mul(tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1)), rowWeights)) as tf.Scalar);
  }
  return tf.engine().runKernel('AdanSoftmaxCe', { logits, targets, weights: rowWeights }, {}) as tf.Scalar;
}

/** Gradient of `softmaxCrossEntropy`'s kernel for the logits, given the loss's gradient dy (a scalar), for code that runs its own backward pass. Native backend only. */
export function softmaxCrossEntropyBackward(logits: tf.Tensor2D, targets: tf.Tensor2D, rowWeights: tf.Tensor1D, dy: tf.Scalar): tf.Tensor2D {
  return tf.engine().runKernel('AdanSoftmaxCeGrad', { logits, targets, weights: rowWeights, dy }, {}) as tf.Tensor2D;
}

/**
 * tfjs' gradient of Tanh, (1 - y²) · dy from its output y, for code that runs its own backward
 * pass: one native kernel when the native backend is active (each operation rounded to float32
 * as tfjs' three kernels round it), those kernels otherwise.
 */
export function tanhBackward(y: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (denseKernelsActive() && nativeBlas?.tanhGrad && y.dtype === 'float32' && dy.dtype === 'float32' && y.size === dy.size && y.shape.length === dy.shape.length) {
    return tf.engine().runKernel('AdanTanhGrad', { y, dy }, {}) as tf.Tensor;
  }
  return tf.mul(tf.sub(tf.scalar(1), tf.square(y)), dy);
}

/** Gradients through `denseLayer`'s kernel, for code that runs its own backward pass: dz (of x w + b) and db. Native backend only. */
export function denseLayerBackward(dy: tf.Tensor2D, a: tf.Tensor2D, activation: DenseActivation, leak: number): { dz: tf.Tensor2D; db: tf.Tensor1D } {
  const [dz, db] = tf.engine().runKernel('AdanDenseGrad', { dy, a }, { activation: ACTIVATION_CODES[activation], alpha: slope(activation, leak) }) as tf.Tensor[];
  return { dz: dz as tf.Tensor2D, db: db as tf.Tensor1D };
}

/** Gradients through `fixedNorm`'s kernel for its input a, gamma and beta. Native backend only. */
export function fixedNormBackward(dy: tf.Tensor2D, a: tf.Tensor2D, p: NormParams): { da: tf.Tensor2D; dgamma: tf.Tensor1D; dbeta: tf.Tensor1D } {
  const { gamma, beta, mean, variance } = p;
  const [da, dgamma, dbeta] = tf.engine().runKernel('AdanNormGrad', { dy, a, gamma, beta, mean, variance }, { epsilon: p.epsilon }) as tf.Tensor[];
  return { da: da as tf.Tensor2D, dgamma: dgamma as tf.Tensor1D, dbeta: dbeta as tf.Tensor1D };
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const offset = (backend: WasmBackendLike, t: tf.TensorInfo): number => backend.dataIdMap.get(t.dataId).memoryOffset;
const heapOf = (backend: WasmBackendLike): ArrayBuffer => backend.wasm.HEAPU8.buffer as ArrayBuffer;

function checkRank2(name: string, t: tf.TensorInfo, cols?: number): void {
  if (t.shape.length !== 2 || (cols !== undefined && t.shape[1] !== cols)) {
    throw new Error(`${name}: expected a matrix${cols !== undefined ? ` with ${cols} columns` : ''}, got shape [${t.shape}]`);
  }
}

/** Register a kernel of the wasm backend whose work is a native call. */
function wasmKernel(name: string, run: (backend: WasmBackendLike, inputs: Record<string, tf.TensorInfo>, attrs: Record<string, unknown>) => tf.TensorInfo | tf.TensorInfo[]): void {
  tf.registerKernel({
    kernelName: name,
    backendName: 'wasm',
    kernelFunc: (({ inputs, backend, attrs }: KernelArgs) => run(backend as WasmBackendLike, inputs, attrs ?? {})) as unknown as tf.KernelFunc,
  });
}

/**
 * A rows x n dropout mask drawn by the addon straight into the wasm heap (xoshiro128**, `state`
 * advanced in place; classify/dnn.ts' JS loop is the reference, bit for bit), or undefined off
 * the native path. The JS loop and the copy into a tensor cost ~1 ms a step of the authors' DNN on IEMOCAP.
 */
export function nativeDropoutMask(rows: number, n: number, threshold: number, keep: number, state: Int32Array): tf.Tensor2D | undefined {
  if (!denseKernelsActive() || state.byteOffset !== 0 || state.buffer.byteLength !== 16) return undefined;
  const backend = tf.backend() as unknown as WasmBackendLike;
  const out = backend.makeOutput([rows, n], 'float32'); // may grow the heap: offsets after
  nativeBlas!.dropoutMask(heapOf(backend), offset(backend, out), rows * n, threshold, keep, state.buffer as ArrayBuffer);
  return tf.engine().makeTensorFromTensorInfo(out) as tf.Tensor2D;
}

/** Register the kernels (layer, BatchNorm, losses) on the wasm backend and their gradients. Idempotent. */
export function registerDenseKernels(native: NativeBlas): void {
  nativeBlas = native;
  if (tf.getKernel('AdanDense', 'wasm')) return;

  wasmKernel('AdanDense', (backend, inputs, attrs) => {
    const { x, w, b } = inputs;
    checkRank2('AdanDense x', x);
    checkRank2('AdanDense w', w);
    const [m, k] = x.shape;
    const n = w.shape[1];
    if (w.shape[0] !== k || b.shape.length !== 1 || b.shape[0] !== n) {
      throw new Error(`AdanDense: shapes x [${x.shape}], w [${w.shape}], b [${b.shape}] do not fit`);
    }
    const a = backend.makeOutput([m, n], 'float32'); // may grow the heap: offsets after
    const t0 = performance.now();
    nativeBlas!.dense(heapOf(backend), m, n, k, offset(backend, x), offset(backend, w), offset(backend, b), Number(attrs.activation), Number(attrs.alpha), offset(backend, a));
    // counted with the matmul kernels: the product is almost all of the call
    countNativeProduct(2 * m * n * k, performance.now() - t0);
    return a;
  });
  wasmKernel('AdanDenseGrad', (backend, inputs, attrs) => {
    const { dy, a } = inputs;
    const [m, n] = a.shape;
    const dz = backend.makeOutput([m, n], 'float32');
    const db = backend.makeOutput([n], 'float32');
    nativeBlas!.denseGrad(heapOf(backend), m, n, offset(backend, dy), offset(backend, a), Number(attrs.activation), Number(attrs.alpha), offset(backend, dz), offset(backend, db));
    return [dz, db];
  });
  tf.registerGradient({
    kernelName: 'AdanDense',
    inputsToSave: ['x', 'w'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, w, a] = saved as tf.Tensor2D[];
      // dz and db once, eagerly: the closures below only pick what autograd needs
      const [dz, db] = tf.engine().runKernel('AdanDenseGrad', { dy: dy as tf.Tensor, a }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      return {
        x: () => tf.matMul(dz as tf.Tensor2D, w, false, true),
        w: () => tf.matMul(x, dz as tf.Tensor2D, true, false),
        b: () => db,
      };
    },
  });

  wasmKernel('AdanMse', (backend, inputs) => {
    const { x, y } = inputs;
    const out = backend.makeOutput([], 'float32');
    nativeBlas!.mse(heapOf(backend), sizeOf(x.shape), offset(backend, x), offset(backend, y), offset(backend, out));
    return out;
  });
  wasmKernel('AdanMseGrad', (backend, inputs) => {
    const { x, y, dy } = inputs;
    const out = backend.makeOutput(x.shape, 'float32');
    nativeBlas!.mseGrad(heapOf(backend), sizeOf(x.shape), offset(backend, x), offset(backend, y), offset(backend, dy), offset(backend, out));
    return out;
  });
  tf.registerGradient({
    kernelName: 'AdanMse',
    inputsToSave: ['x', 'y'],
    gradFunc: (dy, saved) => {
      const [x, y] = saved;
      const grad = (a: tf.Tensor, b: tf.Tensor) => () => tf.engine().runKernel('AdanMseGrad', { x: a, y: b, dy: dy as tf.Tensor }, {}) as tf.Tensor;
      return { x: grad(x, y), y: grad(y, x) };
    },
  });

  wasmKernel('AdanSoftmaxCe', (backend, inputs) => {
    const { logits, targets, weights } = inputs;
    const out = backend.makeOutput([], 'float32');
    nativeBlas!.softmaxCe(heapOf(backend), logits.shape[0], logits.shape[1], offset(backend, logits), offset(backend, targets), offset(backend, weights), offset(backend, out));
    return out;
  });
  wasmKernel('AdanSoftmaxCeGrad', (backend, inputs) => {
    const { logits, targets, weights, dy } = inputs;
    const out = backend.makeOutput(logits.shape, 'float32');
    nativeBlas!.softmaxCeGrad(heapOf(backend), logits.shape[0], logits.shape[1], offset(backend, logits), offset(backend, targets), offset(backend, weights), offset(backend, dy), offset(backend, out));
    return out;
  });
  tf.registerGradient({
    kernelName: 'AdanSoftmaxCe',
    inputsToSave: ['logits', 'targets', 'weights'],
    gradFunc: (dy, saved) => {
      const [logits, targets, weights] = saved;
      const data = (what: string) => () => {
        throw new Error(`AdanSoftmaxCe: no gradient for the ${what} (they are data here)`);
      };
      return { logits: () => softmaxCrossEntropyBackward(logits as tf.Tensor2D, targets as tf.Tensor2D, weights as tf.Tensor1D, dy as tf.Scalar), targets: data('targets'), weights: data('weights') };
    },
  });

  if (nativeBlas!.tanhGrad) {
    wasmKernel('AdanTanhGrad', (backend, inputs) => {
      const { y, dy } = inputs;
      const out = backend.makeOutput(y.shape, 'float32');
      nativeBlas!.tanhGrad!(heapOf(backend), sizeOf(y.shape), offset(backend, y), offset(backend, dy), offset(backend, out));
      return out;
    });
  }

  wasmKernel('AdanNorm', (backend, inputs, attrs) => {
    const { a, gamma, beta, mean, variance } = inputs;
    checkRank2('AdanNorm a', a);
    const [m, n] = a.shape;
    for (const [name, t] of Object.entries({ gamma, beta, mean, variance })) {
      if (t.shape.length !== 1 || t.shape[0] !== n) throw new Error(`AdanNorm: ${name} has shape [${t.shape}], expected [${n}]`);
    }
    const out = backend.makeOutput([m, n], 'float32');
    nativeBlas!.norm(heapOf(backend), m, n, offset(backend, a), offset(backend, gamma), offset(backend, beta), offset(backend, mean), offset(backend, variance), Number(attrs.epsilon), offset(backend, out));
    return out;
  });
  wasmKernel('AdanNormGrad', (backend, inputs, attrs) => {
    const { dy, a, gamma, beta, mean, variance } = inputs;
    const [m, n] = a.shape;
    const da = backend.makeOutput([m, n], 'float32');
    const dgamma = backend.makeOutput([n], 'float32');
    const dbeta = backend.makeOutput([n], 'float32');
    nativeBlas!.normGrad(
      heapOf(backend), m, n, offset(backend, dy), offset(backend, a), offset(backend, gamma), offset(backend, beta), offset(backend, mean), offset(backend, variance),
      Number(attrs.epsilon), offset(backend, da), offset(backend, dgamma), offset(backend, dbeta),
    );
    return [da, dgamma, dbeta];
  });
  tf.registerGradient({
    kernelName: 'AdanNorm',
    inputsToSave: ['a', 'gamma', 'beta', 'mean', 'variance'],
    gradFunc: (dy, saved, attrs) => {
      const [a, gamma, beta, mean, variance] = saved;
      const [da, dgamma, dbeta] = tf.engine().runKernel('AdanNormGrad', { dy: dy as tf.Tensor, a, gamma, beta, mean, variance }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const constant = (what: string) => () => {
        throw new Error(`AdanNorm: no gradient for the ${what} (the statistics are constants here)`);
      };
      return { a: () => da, gamma: () => dgamma, beta: () => dbeta, mean: constant('mean'), variance: constant('variance') };
    },
  });
}
