/**
 * Counters of the native BLAS path: how often it and the fallback ran, and the FLOPs and
 * milliseconds of its matrix products. One home for the training kernels (kernels.ts, dense.ts)
 * and the SVMs' Gram blocks (classify/gram.ts), so a benchmark can set the work it timed against
 * what sgemm could do with it. Kept free of tfjs so the SVMs can count without loading it.
 */
export const kernelStats = { native: 0, fallback: 0, nativeFlops: 0, nativeMs: 0, nativeSums: 0 };

/** Add one native product of `flops` FLOPs that took `ms` milliseconds. */
export function countNativeProduct(flops: number, ms: number): void {
  kernelStats.native++;
  kernelStats.nativeFlops += flops;
  kernelStats.nativeMs += ms;
}
