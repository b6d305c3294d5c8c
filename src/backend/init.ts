/**
 * Backend choice at start-up. Order when nothing is asked for:
 *   1. `tensorflow-gpu`: @tensorflow/tfjs-node-gpu, when the user installed it (CUDA build);
 *   2. `tensorflow`: @tensorflow/tfjs-node, when installed (libtensorflow on the CPU);
 *   3. `native`: tfjs' wasm backend with BatchMatMul/_FusedMatMul and Adam on a native BLAS
 *      (the addon in native/, OpenBLAS or Accelerate), the project's fast CPU path;
 *   4. `wasm`: tfjs' wasm backend with the transpose fix (no addon);
 *   `cpu` (tfjs' pure-JS backend) only when asked for.
 * `ADAN_BACKEND` (auto | tensorflow-gpu | tensorflow | native | wasm | cpu) overrides the order;
 * `ADAN_THREADS` sets the BLAS threads (default: all cores). Neither tfjs-node package is a
 * dependency: they are loaded with a guarded require when present.
 *
 * @example
 *   const info = await initBackend();   // cheap after the first call
 *   console.log(info.summary);           // "adan-lab backend: native (OpenBLAS 0.3.21 via wasm heap, 2 threads)"
 */
import * as os from 'node:os';
import { tf } from './tf';
import { loadNative, type NativeBlas } from './native';
import { registerDenseKernels } from './dense';
import { registerNativeKernels, registerTransposeFix, restoreOriginalKernels } from './kernels';
import { OptionError } from '../util/errors';

export const BACKEND_KINDS = ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendKind = (typeof BACKEND_KINDS)[number];
export type BackendRequest = 'auto' | BackendKind;

const ALIASES: Readonly<Record<string, BackendRequest>> = {
  auto: 'auto',
  '': 'auto',
  'tensorflow-gpu': 'tensorflow-gpu',
  gpu: 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  tensorflow: 'tensorflow',
  node: 'tensorflow',
  'tfjs-node': 'tensorflow',
  native: 'native',
  blas: 'native',
  openblas: 'native',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** What `initBackend` set up. */
export interface BackendInfo {
  /** adan-lab's name for the compute path. */
  kind: BackendKind;
  /** tfjs' backend name (`tf.getBackend()`): tensorflow, wasm or cpu. */
  tfBackend: string;
  /** What was asked for (option, else ADAN_BACKEND, else auto). */
  requested: BackendRequest;
  /** What runs the kernels, e.g. "OpenBLAS 0.3.21 via wasm heap" or "@tensorflow/tfjs-node 4.22.0". */
  detail: string;
  /** BLAS library description on the native path, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH ...". */
  blas?: string;
  /** BLAS threads on the native path (0 when not applicable). */
  threads: number;
  /** Why faster choices were passed over (one short line each). */
  notes: string[];
  /** One line for logs and notebooks. */
  summary: string;
}

/** Options of `initBackend`. */
export interface InitBackendOptions {
  /** Compute path; default: ADAN_BACKEND, else 'auto' (the order above). */
  backend?: BackendRequest | string;
  /** BLAS threads on the native path; default: ADAN_THREADS, else the number of cores. */
  threads?: number;
}

let current: BackendInfo | undefined;
let pending: Promise<BackendInfo> | undefined;
let pendingKey = '';

/** The backend set up by `initBackend`, or undefined before the first call. */
export function backendInfo(): BackendInfo | undefined {
  if (current && tf.getBackend() !== current.tfBackend) return undefined; // someone switched behind our back
  return current;
}

/** The one-line report (`adan-lab backend: ...`), or a note that no backend was chosen yet. */
export function backendSummary(): string {
  return backendInfo()?.summary ?? `adan-lab backend: not initialised (tfjs default: ${tf.getBackend() ?? 'none'}); call initBackend()`;
}

/** The native addon when the native path is the active backend (for kernels such as Adam). */
export function activeNative(): NativeBlas | undefined {
  const info = backendInfo();
  if (!info || info.kind !== 'native' || tf.getBackend() !== 'wasm') return undefined;
  return loadNative().addon;
}

/** Parse a backend name (as in ADAN_BACKEND); throws an OptionError naming the valid values. */
export function parseBackendRequest(value: string | undefined, option = 'backend'): BackendRequest {
  const key = (value ?? 'auto').trim().toLowerCase();
  const req = ALIASES[key];
  if (!req) throw new OptionError(option, value, `one of auto, ${BACKEND_KINDS.join(', ')}`);
  return req;
}

function threadCount(options: InitBackendOptions): number {
  const raw = options.threads ?? (process.env.ADAN_THREADS ? Number(process.env.ADAN_THREADS) : undefined);
  if (raw === undefined) return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  if (!Number.isInteger(raw) || raw < 1) throw new OptionError('threads', raw, 'a positive integer (or unset ADAN_THREADS)');
  return raw;
}

/**
 * Choose and set up the backend (see the module comment). Idempotent and cheap: once a
 * backend is set up, `initBackend()` (auto) and a request for the same kind return the same info
 * without work, so every model's fit may call it; a request for another kind switches.
 * Throws when a backend asked for explicitly is unavailable, saying why.
 */
export function initBackend(options: InitBackendOptions = {}): Promise<BackendInfo> {
  const requested = parseBackendRequest(options.backend ?? process.env.ADAN_BACKEND, options.backend != null ? 'backend' : 'ADAN_BACKEND');
  const threads = threadCount(options);
  const key = `${requested}/${threads}`;
  if (current && tf.getBackend() === current.tfBackend) {
    // Already set up: 'auto' keeps whatever was chosen (a model's fit after an explicit choice),
    // and asking for the current kind again is a no-op.
    const sameThreads = options.threads === undefined || current.kind !== 'native' || current.threads === threads;
    if ((requested === 'auto' || requested === current.kind) && sameThreads) return Promise.resolve(current);
  }
  if (pending && pendingKey === key) return pending;
  pendingKey = key;
  pending = setUp(requested, threads).then(
    (info) => {
      current = info;
      return info;
    },
    (err) => {
      pending = undefined;
      pendingKey = '';
      throw err;
    },
  );
  return pending;
}

async function setUp(requested: BackendRequest, threads: number): Promise<BackendInfo> {
  const notes: string[] = [];
  const order: BackendKind[] = requested === 'auto' ? ['tensorflow-gpu', 'tensorflow', 'native', 'wasm'] : [requested];
  for (const kind of order) {
    const result = await trySetUp(kind, threads);
    if (typeof result === 'string') {
      if (requested !== 'auto') throw new Error(`adan-lab backend ${kind} is not available: ${result}`);
      if (kind === 'native' || !/not installed/.test(result)) notes.push(`${kind}: ${result}`);
      continue;
    }
    if (kind === 'native' && process.env.OPENBLAS_CORETYPE) {
      notes.push(`OPENBLAS_CORETYPE=${process.env.OPENBLAS_CORETYPE} is set: OpenBLAS uses that CPU's kernels, not the best for this one (unset it for speed; keep it for bitwise-equal results across machines)`);
    }
    const info: BackendInfo = { ...result, kind, requested, notes, summary: '' };
    info.summary = summarise(info);
    return info;
  }
  throw new Error(`adan-lab: no backend could be set up (${notes.join('; ')})`);
}

type SetUpResult = Omit<BackendInfo, 'kind' | 'requested' | 'notes' | 'summary'>;

/** Set up one backend; a string says why it is not available. */
async function trySetUp(kind: BackendKind, threads: number): Promise<SetUpResult | string> {
  switch (kind) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      const pkg = kind === 'tensorflow-gpu' ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
      const loaded = requireOptional(pkg);
      if (typeof loaded === 'string') return loaded;
      if (!tf.findBackend('tensorflow')) {
        return `${pkg} ${loaded.version} is installed but registered its backend in another copy of @tensorflow/tfjs-core (install the same version as @tensorflow/tfjs ${tf.version_core})`;
      }
      if (!(await tf.setBackend('tensorflow'))) return `${pkg} did not initialise`;
      await tf.ready();
      return { tfBackend: 'tensorflow', threads: 0, detail: `${pkg} ${loaded.version}` };
    }
    case 'native': {
      const native = loadNative();
      if (!native.addon) return native.reason;
      const wasm = await setWasm();
      if (wasm) return wasm;
      native.addon.setThreads(threads);
      registerNativeKernels(native.addon);
      registerDenseKernels(native.addon);
      const blas = native.addon.info();
      const core = /core=(\S+)/.exec(blas)?.[1];
      const forced = process.env.OPENBLAS_CORETYPE ? ' kernels forced by OPENBLAS_CORETYPE,' : '';
      const shortBlas = [...blas.split(' ').slice(0, 2), ...(core ? [core] : [])].join(' ') + forced;
      return { tfBackend: 'wasm', blas, threads: native.addon.getThreads() || threads, detail: `${shortBlas} via wasm heap` };
    }
    case 'wasm': {
      const wasm = await setWasm();
      if (wasm) return wasm;
      registerTransposeFix();
      return { tfBackend: 'wasm', threads: 0, detail: 'tfjs wasm kernels, transposed matmuls fixed' };
    }
    case 'cpu': {
      if (!(await tf.setBackend('cpu'))) return 'the tfjs cpu backend did not initialise';
      await tf.ready();
      (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false; // quiet: no "install tfjs-node" banner
      return { tfBackend: 'cpu', threads: 0, detail: 'tfjs pure-JavaScript kernels' };
    }
  }
}

/** Load tfjs' wasm backend and make it current; a string says why not. */
async function setWasm(): Promise<string | undefined> {
  if (!tf.findBackend('wasm')) {
    const loaded = requireOptional('@tensorflow/tfjs-backend-wasm');
    if (typeof loaded === 'string') return loaded;
  }
  if (!(await tf.setBackend('wasm'))) return 'the tfjs wasm backend did not initialise';
  await tf.ready();
  restoreOriginalKernels();
  return undefined;
}

/** require() a package that may be absent; a string says why it could not be loaded. */
function requireOptional(pkg: string): { version: string } | string {
  let resolved: string;
  try {
    resolved = require.resolve(pkg);
  } catch {
    return `${pkg} not installed`;
  }
  try {
    require(resolved);
  } catch (e) {
    return `${pkg} is installed but fails to load: ${String((e as Error).message).split('\n')[0]}`;
  }
  let version = '?';
  try {
    version = (require(`${pkg}/package.json`) as { version: string }).version;
  } catch {
    /* version is cosmetic */
  }
  return { version };
}

function summarise(info: BackendInfo): string {
  const detail = info.detail;
  const threads = info.kind === 'native' ? `, ${info.threads} thread${info.threads === 1 ? '' : 's'}` : '';
  const why = info.kind === 'wasm' || info.kind === 'cpu' ? info.notes.filter((n) => n.startsWith('native')).map((n) => `; ${n}`).join('') : '';
  return `adan-lab backend: ${info.kind} (${detail}${threads}${why})`;
}
