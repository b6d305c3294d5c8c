/**
 * The optional native BLAS addon (native/adan_blas.c, built by scripts/build-native.js at
 * `npm install`). Loading never throws: when the addon is missing or broken, `loadNative()`
 * says why and the rest of adan-lab runs on tfjs' own kernels.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../data/locate';

/** The functions the addon exports (see native/adan_blas.c for the exact contracts). */
export interface NativeBlas {
  /**
   * C[i] = act(op(A[i]) op(B[i]) + bias) for i < batch, row-major float32 on the wasm heap.
   * Offsets are in bytes, strides in elements (0 = the same matrix for every i), biasOff < 0
   * means no bias; activation codes follow tfjs-backend-wasm's FusableActivation enum.
   */
  gemm(
    heap: ArrayBuffer, transposeA: boolean, transposeB: boolean, batch: number,
    m: number, n: number, k: number, aOff: number, aStride: number, bOff: number,
    bStride: number, cOff: number, cStride: number, biasOff: number, activation: number,
    alpha: number,
  ): void;
  /** One fused pass of tfjs' Adam update: m, v in place, the new weight to outOff (which may be wOff). */
  adam(
    heap: ArrayBuffer, wOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
    n: number, learningRate: number, beta1: number, beta2: number, epsilon: number,
    oneMinusAccBeta1: number, oneMinusAccBeta2: number,
  ): void;
  /** `adam` on the gradient plus an L2 penalty's, g + w * decay (each rounded to float32, as tfjs' add(g, mul(w, decay))). */
  adamDecayed(
    heap: ArrayBuffer, wOff: number, gOff: number, mOff: number, vOff: number, outOff: number,
    n: number, learningRate: number, beta1: number, beta2: number, epsilon: number,
    oneMinusAccBeta1: number, oneMinusAccBeta2: number, decay: number,
  ): void;
  /** n dropout-mask values: xoshiro128** draws (state: four uint32, advanced in place), 0 below `threshold`, else `keep` (classify/dnn.ts' loop). */
  dropoutMask(heap: ArrayBuffer, outOff: number, n: number, threshold: number, keep: number, state: ArrayBuffer): void;
  /** out[j] = sum over rows of x[i, j] (row-major rows x cols), rows added in order. */
  colsum(heap: ArrayBuffer, xOff: number, rows: number, cols: number, outOff: number): void;
  /** a = act(x w + b), x: m x k, w: k x n; act 0 linear, 4 leaky ReLU (slope alpha), 7 tanh. */
  dense(heap: ArrayBuffer, m: number, n: number, k: number, xOff: number, wOff: number, bOff: number, activation: number, alpha: number, aOff: number): void;
  /** dz = dy * act'(a) and db = column sums of dz, for `dense`'s output a. */
  denseGrad(heap: ArrayBuffer, m: number, n: number, dyOff: number, aOff: number, activation: number, alpha: number, dzOff: number, dbOff: number): void;
  /** out = ((a - mean) / sqrt(variance + eps)) * gamma + beta, per column. */
  norm(heap: ArrayBuffer, m: number, n: number, aOff: number, gammaOff: number, betaOff: number, meanOff: number, varOff: number, eps: number, outOff: number): void;
  /** Gradients of `norm` for a, gamma and beta. */
  normGrad(
    heap: ArrayBuffer, m: number, n: number, dyOff: number, aOff: number, gammaOff: number, betaOff: number, meanOff: number,
    varOff: number, eps: number, daOff: number, dgammaOff: number, dbetaOff: number,
  ): void;
  /** out[0] = mean((x - y)^2) over n values (summed in double). */
  mse(heap: ArrayBuffer, n: number, xOff: number, yOff: number, outOff: number): void;
  /** out = dy[0] * 2 (x - y) / n, the gradient of `mse` for x. */
  mseGrad(heap: ArrayBuffer, n: number, xOff: number, yOff: number, dyOff: number, outOff: number): void;
  /** out[0] = mean over rows of w_i * CE(softmax(logits_i), targets_i), logits and targets m x k. */
  softmaxCe(heap: ArrayBuffer, m: number, k: number, logitsOff: number, targetOff: number, weightOff: number, outOff: number): void;
  /** The gradient of `softmaxCe` for the logits, scaled by dy[0]. */
  softmaxCeGrad(heap: ArrayBuffer, m: number, k: number, logitsOff: number, targetOff: number, weightOff: number, dyOff: number, outOff: number): void;
  /**
   * The greedy linear-SVM solver's scans (src/classify/dual-greedy.ts `scanAndStep`, in C): byte
   * offsets of K (float32), u, qd, invQd, cost, ys, alpha, G (float64) and active (int32); returns
   * the steps taken. Absent from addons built before it.
   */
  greedyScans?(
    heap: ArrayBuffer, l: number, kOff: number, uOff: number, qdOff: number, invQdOff: number, costOff: number,
    ysOff: number, alphaOff: number, gOff: number, activeOff: number, base: number, b2: number, tolerance: number, budget: number,
  ): number;
  /** The same with libsvm's pair steps beside the single ones (dual-greedy.ts `scanPairsAndStep`, in C). Absent from addons built before it. */
  greedyPairScans?(
    heap: ArrayBuffer, l: number, kOff: number, uOff: number, qdOff: number, invQdOff: number, costOff: number,
    ysOff: number, alphaOff: number, gOff: number, activeOff: number, base: number, b2: number, tolerance: number, budget: number,
  ): number;
  /** y = tanh(x) over n values, bit for bit as tfjs-backend-wasm's Tanh kernel (musl's tanhf). Absent from addons built before it. */
  tanh?(heap: ArrayBuffer, n: number, xOff: number, yOff: number): void;
  /** out = (1 - y * y) * dy over n values, each operation rounded to float32 (tfjs' gradient of Tanh). Absent from addons built before it. */
  tanhGrad?(heap: ArrayBuffer, n: number, yOff: number, dyOff: number, outOff: number): void;
  /**
   * The interior-point SVM solver's normal matrix I + Σ scale_i [x_i, bias][x_i, bias]ᵀ (rows with
   * scale at most `floor` left out) and its Cholesky factor, float64 (d+1)² at mOff; x float32
   * n x d, scale float64 n; returns LAPACK's info (0: positive definite). Absent from addons built before it.
   */
  ipmNormal?(buffer: ArrayBuffer, n: number, d: number, xOff: number, scaleOff: number, bias: number, mOff: number, floor: number): number;
  /** b = M⁻¹ b with `ipmNormal`'s factor (d1 = d + 1). Absent from addons built before it. */
  cholSolve?(buffer: ArrayBuffer, d1: number, mOff: number, bOff: number): void;
  /** Number of BLAS threads (OpenBLAS; ignored by Accelerate). */
  setThreads(n: number): void;
  getThreads(): number;
  /** The BLAS library's own description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ... Zen". */
  info(): string;
}

/** Where the addon is looked for. ADAN_NATIVE_PATH replaces the default (e.g. a path that does not exist disables it). */
export function nativeCandidates(): string[] {
  if (process.env.ADAN_NATIVE_PATH) return [path.resolve(process.env.ADAN_NATIVE_PATH)];
  return [path.join(projectRoot, 'native', 'build', 'Release', 'adan_blas.node')];
}

export type NativeLoad = { addon: NativeBlas; path: string } | { addon: undefined; reason: string };

let cached: NativeLoad | undefined;

/** Load the addon once; afterwards the same result (an addon, or the reason there is none). */
export function loadNative(): NativeLoad {
  if (cached) return cached;
  const candidates = nativeCandidates();
  const file = candidates.find((p) => fs.existsSync(p));
  if (!file) {
    cached = {
      addon: undefined,
      reason: process.env.ADAN_NATIVE_PATH ? `no native addon at ADAN_NATIVE_PATH=${process.env.ADAN_NATIVE_PATH}` : 'native addon not built (run `node scripts/build-native.js`; on Debian/Ubuntu it needs libopenblas-dev)',
    };
    return cached;
  }
  try {
    // OpenBLAS worker threads spin ~2^28 cycles waiting for work before they sleep: between
    // products (half of a training step) that burns the other core, which on a shared machine
    // halves everyone's speed (measured here: 2x slower steps under load). 2^4 cycles instead.
    // Read by OpenBLAS when it loads, so it must be set before the require.
    if (process.env.OPENBLAS_THREAD_TIMEOUT === undefined) process.env.OPENBLAS_THREAD_TIMEOUT = '4';
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(file) as NativeBlas;
    const missing = (['gemm', 'adam', 'adamDecayed', 'dropoutMask', 'colsum', 'dense', 'denseGrad', 'norm', 'normGrad', 'mse', 'mseGrad', 'softmaxCe', 'softmaxCeGrad'] as const).filter((f) => typeof addon[f] !== 'function');
    if (missing.length > 0) throw new Error(`it lacks ${missing.join(', ')} (stale build? run \`node scripts/build-native.js\`)`);
    cached = { addon, path: file };
  } catch (e) {
    cached = { addon: undefined, reason: `native addon at ${file} does not load: ${String((e as Error).message).split('\n')[0]}` };
  }
  return cached;
}
