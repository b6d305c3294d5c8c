/** The compute layer: backend choice, native kernels, fused Adam, benchmark. */
export { tf } from './tf';
export { initBackend, backendInfo, backendSummary, parseBackendRequest, activeNative, BACKEND_KINDS } from './init';
export type { BackendInfo, BackendKind, BackendRequest, InitBackendOptions } from './init';
export { makeAdam, FusedAdam, ADAM_DEFAULTS } from './adam';
export type { AdamOptions } from './adam';
export { loadNative } from './native';
