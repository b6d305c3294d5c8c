/**
 * Kernels re-registered over tfjs' wasm backend.
 *
 * - Native (`registerNativeKernels`): `BatchMatMul` and `_FusedMatMul` call `cblas_sgemm` of the
 *   addon directly on the wasm heap (zero copy: operands are read where the backend keeps them,
 *   the product is written into a freshly allocated output tensor). Bias (rank 1) and the
 *   activations linear, relu, relu6, leakyrelu, sigmoid and elu are applied in the same call.
 *   prelu and broadcast biases run the product natively, then tfjs' Add/Prelu kernels. Anything
 *   else (non-float32, batch shapes that broadcast in both operands) goes to the original kernel.
 *   `Sum` over leading axes (bias gradients) is a native column sum. `Tanh` is the wasm
 *   kernel's own function (musl's tanhf) compiled natively, where the addon has it.
 * - Transpose fix (`registerTransposeFix`, plain wasm without the addon): the shipped wasm
 *   kernels are 10-50x slower on transposed operands (every backward pass uses them), so the
 *   operand is transposed first and the fast non-transposed kernel runs.
 *
 * - Both: `Identity` shares memory instead of copying (see registerSharedIdentity), and
 *   `GatherV2` along the first axis copies whole rows (see registerRowGather).
 *
 * All are undone by `restoreOriginalKernels()` (used by tests to compare with the originals).
 */
import { tf } from './tf';
import type { NativeBlas } from './native';
import { countNativeProduct, kernelStats } from './stats';

/** The parts of tfjs-backend-wasm's BackendWasm this module touches. */
export interface WasmBackendLike {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number; shape: number[]; dtype: string; refCount: number } };
  makeOutput(shape: number[], dtype: string): tf.TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  refCount(dataId: object): number;
}

type KernelArgs = { inputs: Record<string, tf.TensorInfo | undefined>; backend: unknown; attrs?: Record<string, unknown> };
type KernelFn = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** tfjs-backend-wasm's FusableActivation codes (kernels/types.ts); prelu (3) is not handled natively. */
export const NATIVE_ACTIVATIONS: Readonly<Record<string, number>> = {
  linear: 0,
  relu: 1,
  relu6: 2,
  leakyrelu: 4,
  sigmoid: 5,
  elu: 6,
};

const KERNELS = ['BatchMatMul', '_FusedMatMul', 'Identity', 'Sum', 'GatherV2', 'Tanh'] as const;
const originals = new Map<string, tf.KernelConfig>();
let installed: 'native' | 'transpose-fix' | undefined;
let installedNative: NativeBlas | undefined;
/** Bumped whenever the registered kernel set changes (see `kernelGeneration`). */
let generation = 0;

// counters of the native path and the fallback (for tests and the benchmarks): one home in stats.ts
export { kernelStats } from './stats';

/** Which replacement is registered over the wasm kernels right now, if any. */
export function installedKernels(): 'native' | 'transpose-fix' | undefined {
  return installed;
}

/**
 * A number that changes whenever the registered kernel set changes. Within one generation under
 * 'native', no tensor reached tfjs' own matrix products, whose XNNPACK operators keep a packed
 * copy of a weight by its data id: FusedAdam writes weights in place only then.
 */
export function kernelGeneration(): number {
  return generation;
}

function original(name: string): tf.KernelConfig {
  let cfg = originals.get(name);
  if (!cfg) {
    cfg = tf.getKernel(name, 'wasm');
    if (!cfg) throw new Error(`tfjs-backend-wasm has no ${name} kernel: is @tensorflow/tfjs-backend-wasm loaded?`);
    originals.set(name, cfg);
  }
  return cfg;
}

function replace(name: string, kernelFunc: KernelFn): void {
  const orig = original(name);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: orig.setupFunc, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/** Put tfjs' own wasm kernels back. */
export function restoreOriginalKernels(): void {
  for (const name of KERNELS) {
    const orig = originals.get(name);
    if (!orig) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(orig);
  }
  installed = undefined;
  generation++;
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Output batch dimensions when both operands' batches can be walked with a fixed stride. */
function batchPlan(a: tf.TensorInfo, b: tf.TensorInfo): { outer: number[]; batch: number; batchA: number; batchB: number } | undefined {
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return undefined; // let the original kernel report the error
  }
  const batch = sizeOf(outer);
  const batchA = sizeOf(outerA);
  const batchB = sizeOf(outerB);
  // Broadcasting only expands 1s, so an operand with the full batch size has the output's order.
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return undefined;
  return { outer, batch, batchA, batchB };
}

interface GemmPlan {
  outShape: number[];
  batch: number;
  m: number;
  n: number;
  k: number;
  strideA: number;
  strideB: number;
}

function gemmPlan(a: tf.TensorInfo, b: tf.TensorInfo, transposeA: boolean, transposeB: boolean): GemmPlan | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (k !== kb) return undefined;
  const plan = batchPlan(a, b);
  if (!plan) return undefined;
  return {
    outShape: [...plan.outer, m, n],
    batch: plan.batch,
    m,
    n,
    k,
    strideA: plan.batchA === 1 ? 0 : m * k,
    strideB: plan.batchB === 1 ? 0 : k * n,
  };
}

function runGemm(
  native: NativeBlas, backend: WasmBackendLike, a: tf.TensorInfo, b: tf.TensorInfo, plan: GemmPlan,
  transposeA: boolean, transposeB: boolean, bias: tf.TensorInfo | undefined, activation: number, alpha: number,
): tf.TensorInfo {
  const out = backend.makeOutput(plan.outShape, 'float32'); // may grow the heap: read offsets and buffer after
  const map = backend.dataIdMap;
  const t0 = performance.now();
  native.gemm(
    backend.wasm.HEAPU8.buffer as ArrayBuffer, transposeA, transposeB, plan.batch, plan.m, plan.n, plan.k,
    map.get(a.dataId).memoryOffset, plan.strideA, map.get(b.dataId).memoryOffset, plan.strideB,
    map.get(out.dataId).memoryOffset, plan.m * plan.n, bias ? map.get(bias.dataId).memoryOffset : -1, activation, alpha,
  );
  countNativeProduct(2 * plan.batch * plan.m * plan.n * plan.k, performance.now() - t0);
  return out;
}

/**
 * Identity without a copy: the output shares the input's memory (reference counted), as the
 * wasm backend's own Reshape does. tfjs' wasm Identity copies, and autograd calls it for every
 * gradient it hands out (a 14 MB copy for the 4354x800 weight's gradient).
 */
function registerSharedIdentity(): void {
  const orig = original('Identity').kernelFunc as unknown as KernelFn;
  replace('Identity', (args) => {
    const x = args.inputs.x!;
    if (x.dtype === 'string') return orig(args);
    (args.backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}

/**
 * `GatherV2` along axis 0 (the augmenters' batches: `tf.gather(x, rows)`) as one copy per row
 * within the wasm heap. tfjs' wasm kernel walks every element with its own index arithmetic: a
 * batch of 128 x 4354 rows took ~10 ms, a quarter of a GAN's fit epoch (CPU profile,
 * BENCHMARKS.md). A copy, so the values are the kernel's; other axes, batch dimensions, element
 * types other than float32 and int32, and indices out of range go to the original kernel.
 */
function registerRowGather(): void {
  const orig = original('GatherV2').kernelFunc as unknown as KernelFn;
  replace('GatherV2', (args) => {
    const x = args.inputs.x!;
    const indices = args.inputs.indices!;
    const rank = x.shape.length;
    const axis = Number(args.attrs?.axis ?? 0);
    const batchDims = Number(args.attrs?.batchDims ?? 0);
    if (rank < 1 || (axis !== 0 && axis !== -rank) || batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return orig(args);
    const backend = args.backend as WasmBackendLike;
    const count = sizeOf(indices.shape);
    const n = x.shape[0];
    const rowBytes = 4 * sizeOf(x.shape.slice(1));
    let at = backend.dataIdMap.get(indices.dataId).memoryOffset;
    const index = new Int32Array(backend.wasm.HEAPU8.buffer, at, count).slice();
    for (let i = 0; i < count; i++) if (!(index[i] >= 0 && index[i] < n)) return orig(args); // it reports the bad index
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const heap = backend.wasm.HEAPU8; // after makeOutput, which may grow the heap
    const from = backend.dataIdMap.get(x.dataId).memoryOffset;
    at = backend.dataIdMap.get(out.dataId).memoryOffset;
    for (let i = 0; i < count; i++, at += rowBytes) heap.copyWithin(at, from + index[i] * rowBytes, from + (index[i] + 1) * rowBytes);
    return out;
  });
}

/** Register the native `BatchMatMul` and `_FusedMatMul` over the wasm backend's. Idempotent. */
export function registerNativeKernels(native: NativeBlas): void {
  if (installed === 'native') return;
  if (installed) restoreOriginalKernels();
  const origMatMul = original('BatchMatMul').kernelFunc as unknown as KernelFn;
  const origFused = original('_FusedMatMul').kernelFunc as unknown as KernelFn;

  replace('BatchMatMul', (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transposeA = Boolean(args.attrs?.transposeA);
    const transposeB = Boolean(args.attrs?.transposeB);
    const plan = gemmPlan(a, b, transposeA, transposeB);
    if (!plan) {
      kernelStats.fallback++;
      return origMatMul(args);
    }
    return runGemm(native, args.backend as WasmBackendLike, a, b, plan, transposeA, transposeB, undefined, 0, 0);
  });
  registerSharedIdentity();

  replace('_FusedMatMul', (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
    const attrs = args.attrs ?? {};
    const transposeA = Boolean(attrs.transposeA);
    const transposeB = Boolean(attrs.transposeB);
    const activationName = String(attrs.activation ?? 'linear');
    const activation = NATIVE_ACTIVATIONS[activationName];
    const plan = a && b ? gemmPlan(a, b, transposeA, transposeB) : undefined;
    if (!plan || (activation === undefined && activationName !== 'prelu') || (bias != null && bias.dtype !== 'float32')) {
      kernelStats.fallback++;
      return origFused(args);
    }
    const backend = args.backend as WasmBackendLike;
    const simpleBias = bias == null || (bias.shape.length === 1 && bias.shape[0] === plan.n);
    if (simpleBias && activation !== undefined) {
      return runGemm(native, backend, a!, b!, plan, transposeA, transposeB, bias ?? undefined, activation, Number(attrs.leakyreluAlpha ?? 0.2));
    }
    // prelu or a broadcast bias: native product, then tfjs' own Add / Prelu kernels (the original
    // fused kernel gets some of these cases wrong, see BENCHMARKS.md)
    let y = runGemm(native, backend, a!, b!, plan, transposeA, transposeB, undefined, 0, 0);
    const step = (kernel: string, inputs: Record<string, tf.TensorInfo>) => {
      const next = (tf.getKernel(kernel, 'wasm').kernelFunc as unknown as KernelFn)({ inputs, backend, attrs: {} }) as tf.TensorInfo;
      backend.disposeData(y.dataId);
      y = next;
    };
    if (bias != null) step('Add', { a: y, b: bias });
    if (activationName === 'prelu') step('Prelu', { x: y, alpha: preluActivationWeights! });
    return y;
  });
  // Sum over leading axes (every bias gradient: [batch, n] -> [n]): tfjs' wasm Sum transposes
  // the input first and then reduces; a column sum reads it once.
  const origSum = original('Sum').kernelFunc as unknown as KernelFn;
  replace('Sum', (args) => {
    const x = args.inputs.x!;
    const rank = x.shape.length;
    const raw = args.attrs?.axis as number | number[] | null | undefined;
    const axes = (raw == null ? x.shape.map((_, i) => i) : Array.isArray(raw) ? raw : [raw]).map((a) => (a < 0 ? a + rank : a)).sort((a, b) => a - b);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (x.dtype !== 'float32' || !leading) {
      kernelStats.fallback++;
      return origSum(args);
    }
    const backend = args.backend as WasmBackendLike;
    const cols = sizeOf(x.shape.slice(axes.length));
    const rows = sizeOf(x.shape.slice(0, axes.length));
    const outShape = args.attrs?.keepDims ? x.shape.map((d, i) => (i < axes.length ? 1 : d)) : x.shape.slice(axes.length);
    const out = backend.makeOutput(outShape, 'float32');
    native.colsum(backend.wasm.HEAPU8.buffer as ArrayBuffer, backend.dataIdMap.get(x.dataId).memoryOffset, rows, cols, backend.dataIdMap.get(out.dataId).memoryOffset);
    kernelStats.nativeSums++;
    return out;
  });
  registerRowGather();
  // Tanh: the wasm kernel's own function (musl's tanhf) compiled natively, one call per tensor
  const tanh = native.tanh?.bind(native);
  if (tanh) {
    const origTanh = original('Tanh').kernelFunc as unknown as KernelFn;
    replace('Tanh', (args) => {
      const x = args.inputs.x!;
      if (x.dtype !== 'float32') return origTanh(args);
      const backend = args.backend as WasmBackendLike;
      const out = backend.makeOutput(x.shape, 'float32');
      tanh(backend.wasm.HEAPU8.buffer as ArrayBuffer, sizeOf(x.shape), backend.dataIdMap.get(x.dataId).memoryOffset, backend.dataIdMap.get(out.dataId).memoryOffset);
      return out;
    });
  }
  installed = 'native';
  installedNative = native;
  generation++;
}

/**
 * Run `fn` with tfjs' original wasm kernels registered, then put back what was there (for
 * comparisons in tests and the benchmark's before/after profile).
 */
export function withOriginalKernels<T>(fn: () => T): T {
  const was = installed;
  const native = installedNative;
  restoreOriginalKernels();
  try {
    return fn();
  } finally {
    if (was === 'native' && native) registerNativeKernels(native);
    else if (was === 'transpose-fix') registerTransposeFix();
  }
}

/**
 * Plain wasm: materialise transposed operands (fast Transpose kernel), then run the original
 * non-transposed matmul, which is 10-50x faster than its transposed variants. Idempotent.
 */
export function registerTransposeFix(): void {
  if (installed === 'transpose-fix') return;
  if (installed) restoreOriginalKernels();
  const origMatMul = original('BatchMatMul').kernelFunc as unknown as KernelFn;
  const origFused = original('_FusedMatMul').kernelFunc as unknown as KernelFn;
  const transposeKernel = tf.getKernel('Transpose', 'wasm').kernelFunc as unknown as KernelFn;

  const withPlainOperands = (orig: KernelFn) => (args: KernelArgs) => {
    const attrs = args.attrs ?? {};
    if (!attrs.transposeA && !attrs.transposeB) return orig(args);
    const backend = args.backend as WasmBackendLike;
    const temps: tf.TensorInfo[] = [];
    const swapLast = (x: tf.TensorInfo): tf.TensorInfo => {
      const perm = x.shape.map((_, i) => i);
      perm[perm.length - 2] = perm.length - 1;
      perm[perm.length - 1] = perm.length - 2;
      const t = transposeKernel({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
      temps.push(t);
      return t;
    };
    const inputs = { ...args.inputs };
    if (attrs.transposeA) inputs.a = swapLast(inputs.a!);
    if (attrs.transposeB) inputs.b = swapLast(inputs.b!);
    try {
      return orig({ inputs, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      for (const t of temps) backend.disposeData(t.dataId);
    }
  };
  replace('BatchMatMul', withPlainOperands(origMatMul));
  replace('_FusedMatMul', withPlainOperands(origFused));
  registerSharedIdentity();
  registerRowGather();
  installed = 'transpose-fix';
  generation++;
}
