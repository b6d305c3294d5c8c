/** The compute layer: backend choice, native kernels, fused Adam, benchmark. */
export { tf } from './tf';
export { initBackend, backendInfo, backendSummary, parseBackendRequest, BACKEND_KINDS } from './init';
export type { BackendInfo, BackendKind, BackendRequest, InitBackendOptions } from './init';
