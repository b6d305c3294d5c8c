/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0): a magic string, a version, a header
 * length, a Python-literal header `{'descr': '<f4', 'fortran_order': False, 'shape': (n, d), }`
 * and the raw array in C (row-major) order.
 *
 * Supported dtypes: float32, float64, int32, int64, uint8 (little endian `<` or byte-order-free
 * `|`). Fortran order, big-endian data and other dtypes are refused with a message that says how
 * to re-save (`np.save(f, np.ascontiguousarray(a, dtype='<f4'))`).
 *
 * ```ts
 * const a = readNpy('fold00-x.npy');   // { dtype: 'float32', shape: [528, 1582], data: Float32Array }
 * const ds = loadNpyFolds('data/iemocap-is10', { classes: ['angry', 'happy', 'neutral', 'sad'] });
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dataset, checkFinite, makeDataset } from '../dataset';
import { DataError } from '../../util/errors';

/** The dtypes this reader accepts, by NumPy name. */
export type NpyDtype = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8';

/** One array read from a .npy file. */
export interface NpyArray {
  /** NumPy dtype name. */
  dtype: NpyDtype;
  /** Shape, e.g. [528, 1582]; [] for a scalar. */
  shape: number[];
  /**
   * Values in C order. int64 arrives as Float64Array (exact for |v| < 2^53; larger values are
   * an error), every other dtype as its own typed array.
   */
  data: Float32Array | Float64Array | Int32Array | Uint8Array;
}

const MAGIC = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY

const DESCR: Record<string, { dtype: NpyDtype; size: number }> = {
  '<f4': { dtype: 'float32', size: 4 },
  '<f8': { dtype: 'float64', size: 8 },
  '<i4': { dtype: 'int32', size: 4 },
  '<i8': { dtype: 'int64', size: 8 },
  '|u1': { dtype: 'uint8', size: 1 },
  '<u1': { dtype: 'uint8', size: 1 },
};

/** Read one .npy file. Throws DataError naming the file for a bad header, dtype or truncation. */
export function readNpy(file: string): NpyArray {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(file, `cannot read .npy file: ${(e as Error).message}`);
  }
  return parseNpy(buf, file);
}

/** Parse the bytes of a .npy file; `file` is the name used in errors. */
export function parseNpy(buf: Buffer, file = '<buffer>'): NpyArray {
  if (buf.length < 10 || !buf.subarray(0, 6).equals(MAGIC)) {
    throw new DataError(file, 'not a NumPy .npy file (missing the \\x93NUMPY magic string)');
  }
  const major = buf[6];
  let headerLen: number;
  let start: number;
  if (major === 1) {
    headerLen = buf.readUInt16LE(8);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) throw new DataError(file, 'truncated .npy header');
    headerLen = buf.readUInt32LE(8);
    start = 12;
  } else {
    throw new DataError(file, `unsupported .npy format version ${major}.${buf[7]} (expected 1.0, 2.0 or 3.0)`);
  }
  if (start + headerLen > buf.length) throw new DataError(file, `truncated: header declares ${headerLen} bytes, only ${buf.length - start} remain`);
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const { descr, fortran, shape } = parseHeader(header, file);
  const kind = DESCR[descr];
  if (!kind) {
    const hint = descr.startsWith('>') ? 'big-endian data is not supported' : `dtype '${descr}' is not supported (supported: float32, float64, int32, int64, uint8)`;
    throw new DataError(file, `${hint}; re-save with np.save(f, np.ascontiguousarray(a, dtype='<f4'))`);
  }
  if (fortran) {
    throw new DataError(file, "Fortran-order arrays are not supported; re-save with np.save(f, np.ascontiguousarray(a))");
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const dataStart = start + headerLen;
  const need = count * kind.size;
  const have = buf.length - dataStart;
  if (have < need) {
    throw new DataError(file, `truncated: shape (${shape.join(', ')}) of ${kind.dtype} needs ${need} data bytes, only ${have} present`);
  }
  if (have > need) throw new DataError(file, `corrupt: ${have - need} bytes after the data of shape (${shape.join(', ')}) ${kind.dtype}`);
  // Copy into a fresh, aligned buffer: the view types need their natural alignment.
  const bytes = new Uint8Array(need);
  bytes.set(buf.subarray(dataStart, dataStart + need));
  let data: NpyArray['data'];
  switch (kind.dtype) {
    case 'float32': data = new Float32Array(bytes.buffer); break;
    case 'float64': data = new Float64Array(bytes.buffer); break;
    case 'int32': data = new Int32Array(bytes.buffer); break;
    case 'uint8': data = bytes; break;
    case 'int64': {
      const big = new BigInt64Array(bytes.buffer);
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const v = Number(big[i]);
        if (!Number.isSafeInteger(v)) throw new DataError(file, `int64 value ${big[i]} at index ${i} cannot be represented exactly as a number`);
        out[i] = v;
      }
      data = out;
      break;
    }
  }
  return { dtype: kind.dtype, shape, data };
}

/** Parse the Python dict literal of the header. */
function parseHeader(header: string, file: string): { descr: string; fortran: boolean; shape: number[] } {
  const bad = (what: string): never => {
    throw new DataError(file, `corrupt .npy header (${what}): ${JSON.stringify(header.trim().slice(0, 120))}`);
  };
  const h = header.trim();
  if (!h.startsWith('{') || !h.endsWith('}')) bad('not a dict');
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]+)['"]/.exec(h)?.[1] ?? bad('no descr');
  const fortranText = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(h)?.[1] ?? bad('no fortran_order');
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(h)?.[1] ?? bad('no shape');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const v = Number(s.replace(/L$/, ''));
    if (!Number.isInteger(v) || v < 0) bad(`shape entry '${s}'`);
    return v;
  });
  if (/['"]descr['"]\s*:\s*\[/.test(h)) bad('structured dtypes are not supported');
  return { descr, fortran: fortranText === 'True', shape };
}

/** A 2-D float array from .npy as row-major Float32Array (a 1-D array is one column). */
export function npyMatrix(a: NpyArray, file: string): { x: Float32Array; n: number; d: number } {
  if (a.shape.length !== 2 && a.shape.length !== 1) {
    throw new DataError(file, `expected a matrix (n, d), found shape (${a.shape.join(', ')})`);
  }
  const n = a.shape[0];
  const d = a.shape.length === 2 ? a.shape[1] : 1;
  const x = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data);
  return { x, n, d };
}

/** Integer labels from a 1-D (or n x 1) .npy array of whole numbers >= 0. */
export function npyLabels(a: NpyArray, file: string): Int32Array {
  if (!(a.shape.length === 1 || (a.shape.length === 2 && a.shape[1] === 1))) {
    throw new DataError(file, `expected a label vector (n,), found shape (${a.shape.join(', ')})`);
  }
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const v = a.data[i];
    if (!Number.isInteger(v) || v < 0) throw new DataError(file, `label ${i} is ${v}, expected a whole number >= 0`);
    y[i] = v;
  }
  return y;
}

/** Pattern of the files of a fold folder: `fold00-x.npy`, `fold00-y.npy`, ... */
export const NPY_FOLD_PATTERN = /^fold(\d+)-([xy])\.npy$/;

/** The `foldNN-x.npy` / `foldNN-y.npy` pairs of a folder, in fold order. Errors on a missing half. */
export function listNpyFolds(dir: string): { fold: string; x: string; y: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new DataError(dir, `cannot list folder: ${(e as Error).message}`);
  }
  const folds = new Map<string, { x?: string; y?: string }>();
  for (const name of names) {
    const m = NPY_FOLD_PATTERN.exec(name);
    if (!m) continue;
    const key = `fold${m[1]}`;
    const entry = folds.get(key) ?? {};
    entry[m[2] as 'x' | 'y'] = path.join(dir, name);
    folds.set(key, entry);
  }
  if (folds.size === 0) throw new DataError(dir, 'no foldNN-x.npy / foldNN-y.npy files in this folder');
  return [...folds].sort((a, b) => Number(a[0].slice(4)) - Number(b[0].slice(4))).map(([fold, f]) => {
    if (!f.x || !f.y) throw new DataError(dir, `${fold} has ${f.x ? 'features' : 'labels'} but no ${f.x ? `${fold}-y.npy` : `${fold}-x.npy`}`);
    return { fold, x: f.x, y: f.y };
  });
}

/** Options of `loadNpyFolds`. */
export interface NpyFoldsOptions {
  /** Class names by label. Default '0', '1', ... up to the largest label. */
  classes?: readonly string[];
  /** Group of each fold, from its 0-based position and its name (`fold00`). Default: the fold name. */
  groupName?: (index: number, fold: string) => string;
  /** Dataset name. Default: the folder path. */
  name?: string;
}

/**
 * A folder of `foldNN-x.npy` (n x d floats) and `foldNN-y.npy` (n labels) pairs as one Dataset,
 * folds stacked in numeric order. Row ids are `foldNN:<row within fold>`.
 */
export function loadNpyFolds(dir: string, options: NpyFoldsOptions = {}): Dataset {
  const folds = listNpyFolds(dir);
  const parts = folds.map((f) => {
    const { x, n, d } = npyMatrix(readNpy(f.x), f.x);
    const y = npyLabels(readNpy(f.y), f.y);
    if (y.length !== n) throw new DataError(f.y, `${y.length} labels but ${n} feature rows in ${path.basename(f.x)}: rows and labels disagree in count`);
    checkFinite(f.x, x, d);
    return { fold: f.fold, xFile: f.x, x, n, d, y };
  });
  const d = parts[0].d;
  for (const p of parts) if (p.d !== d) throw new DataError(p.xFile, `has ${p.d} features per row, but ${path.basename(parts[0].xFile)} has ${d}`);
  const n = parts.reduce((s, p) => s + p.n, 0);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const groups: string[] = [];
  const ids: string[] = [];
  const groupName = options.groupName ?? ((_: number, fold: string) => fold);
  let at = 0;
  parts.forEach((p, k) => {
    x.set(p.x, at * d);
    y.set(p.y, at);
    const g = groupName(k, p.fold);
    for (let j = 0; j < p.n; j++) {
      groups.push(g);
      ids.push(`${p.fold}:${j}`);
    }
    at += p.n;
  });
  let maxLabel = 0;
  for (const v of y) maxLabel = Math.max(maxLabel, v);
  const classes = options.classes ?? Array.from({ length: maxLabel + 1 }, (_, k) => String(k));
  return makeDataset({ name: options.name ?? dir, x, d, y, classes, groups, ids });
}
