/**
 * Displaying a MIME bundle (several representations of one output) in a running tslab kernel.
 *
 * tslab's public `display` sends one MIME type per output (`display.svg(s)`, `display.png(b)`),
 * but a figure must carry two: Jupyter shows an untrusted notebook's `image/svg+xml` nowhere
 * (the classic Notebook skips it, JupyterLab says "Cannot display an untrusted SVG"), and every
 * notebook cloned from git is untrusted. A bundle with `image/png` beside the SVG is drawn as
 * the SVG where the notebook is trusted and as the PNG everywhere else (GitHub's viewer too).
 * So the bundle goes through the function tslab's own `display` calls, `writeDisplayData` of
 * the cell being executed (`tslab/dist/jupyter`'s `lastWriteDisplayData`), with the message
 * content Jupyter's protocol defines: `{ data, metadata, transient }`.
 */

/** One output: MIME type -> content (text, base64 for binary types, JSON for JSON types), and per-type metadata. */
export interface MimeBundle {
  data: Record<string, string | object>;
  metadata?: Record<string, unknown>;
}

/** tslab's kernel module: set while a cell executes, null otherwise. */
interface TslabKernelModule {
  lastWriteDisplayData: ((content: { data: Record<string, string | object>; metadata: Record<string, unknown>; transient: Record<string, unknown> }, update: boolean) => void) | null;
}

/**
 * tslab's kernel modules that may be the running kernel's: the one the kernel's main module
 * resolves (a global tslab install) first, then this project's.
 */
function kernelModules(): TslabKernelModule[] {
  const found: TslabKernelModule[] = [];
  const loaders: (() => unknown)[] = [() => require.main?.require('tslab/dist/jupyter'), () => require('tslab/dist/jupyter')];
  for (const load of loaders) {
    try {
      // tslab is a notebook-only dependency: guarded requires keep plain Node working without it.
      const m = load() as TslabKernelModule | undefined;
      if (m && 'lastWriteDisplayData' in m && !found.includes(m)) found.push(m);
    } catch {
      // not installed there
    }
  }
  return found;
}

/** Whether a tslab kernel is executing a cell in this process (so a display would be shown). */
export function inKernel(): boolean {
  return kernelModules().some((m) => typeof m.lastWriteDisplayData === 'function');
}

/**
 * Display `bundle` below the running cell. Returns false (and displays nothing) outside a tslab
 * kernel, so callers can print or return the content instead.
 */
export function displayBundle(bundle: MimeBundle): boolean {
  if (!bundle.data || Object.keys(bundle.data).length === 0) throw new Error('displayBundle: the bundle has no data (expected e.g. { "image/png": base64, "image/svg+xml": svg })');
  for (const m of kernelModules()) {
    const write = m.lastWriteDisplayData;
    if (typeof write !== 'function') continue;
    write({ data: bundle.data, metadata: bundle.metadata ?? {}, transient: {} }, false);
    return true;
  }
  return false;
}
