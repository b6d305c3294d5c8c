/**
 * MATLAB 5.0 (Level 5) MAT-files, as the paper's authors wrote their IS11 features: a 128-byte
 * header, then data elements, each usually an `miCOMPRESSED` (zlib) wrapper around one
 * `miMATRIX` (one variable). Numeric, logical and char arrays are read; cell, struct, object and
 * sparse variables are listed (name, dims, class) without data. MAT v7.3 (HDF5) and v4 files
 * are rejected with a message saying how to re-save them.
 *
 * MATLAB stores arrays column-major; `matToRowMajor` turns a 2-D variable into the row-major
 * Float32Array every Dataset uses.
 *
 * ```ts
 * const { x, n, d, y } = readMatXY('emodb_tst_loso1.mat');   // x: row-major n x d
 * const ds = loadMatFolds('data/emodb-is11');                 // file i = group i
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { Dataset, checkFinite, makeDataset } from '../dataset';
import { DataError } from '../../util/errors';

/** MATLAB array classes (mxClassID), by their MATLAB names. */
export type MatClass =
  | 'cell' | 'struct' | 'object' | 'char' | 'sparse' | 'double' | 'single'
  | 'int8' | 'uint8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64' | 'uint64'
  | 'function' | 'opaque' | 'unknown';

const CLASS_NAMES: Record<number, MatClass> = {
  1: 'cell', 2: 'struct', 3: 'object', 4: 'char', 5: 'sparse', 6: 'double', 7: 'single',
  8: 'int8', 9: 'uint8', 10: 'int16', 11: 'uint16', 12: 'int32', 13: 'uint32', 14: 'int64', 15: 'uint64',
  16: 'function', 17: 'opaque',
};

/** One variable of a MAT-file. `data` is column-major (MATLAB order), as float64. */
export interface MatVariable {
  /** Variable name as saved. */
  readonly name: string;
  /** MATLAB dimensions, e.g. [49, 4354] for a 49 x 4354 matrix. */
  readonly dims: readonly number[];
  /** MATLAB class ('double', 'uint8', ...). Storage may be narrower: MATLAB saves whole-number doubles as uint8. */
  readonly class: MatClass;
  /** True for MATLAB `logical` arrays (class is then 'uint8'). */
  readonly logical: boolean;
  /** Real part, column-major, for numeric and logical arrays; null for other classes. */
  readonly data: Float64Array | null;
  /** Imaginary part for complex numeric arrays. */
  readonly imag?: Float64Array;
  /** Text of a char array (columns of a char matrix joined row by row with newlines). */
  readonly text?: string;
}

// Data types of data elements (miXXX).
const MI = {
  INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9,
  INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18,
} as const;

const MI_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8, 16: 1, 17: 2, 18: 4 };

const FLAG_COMPLEX = 0x0800;
const FLAG_LOGICAL = 0x0200;

/** One raw data element: type, payload view, and where the next one starts. */
interface Element {
  type: number;
  body: Buffer;
  next: number;
}

/** Reads data elements of one buffer (the file, or an inflated compressed element). */
class ElementReader {
  constructor(
    readonly file: string,
    readonly buf: Buffer,
    readonly little: boolean,
    /** Describes where `buf` lives, for error messages ('' for the file itself). */
    readonly where: string,
  ) {}

  u32(at: number): number {
    return this.little ? this.buf.readUInt32LE(at) : this.buf.readUInt32BE(at);
  }

  /** Read the element starting at `at`. Top-level compressed elements are not padded. */
  element(at: number): Element {
    const { buf } = this;
    if (at + 8 > buf.length) this.fail(at, `truncated: a data element tag needs 8 bytes, only ${buf.length - at} remain`);
    const first = this.u32(at);
    const small = first >>> 16;
    if (small !== 0) {
      // Small data element format: size in the upper 16 bits, data in the 4 bytes after.
      const type = first & 0xffff;
      if (small > 4) this.fail(at, `corrupt small data element (type ${type}, ${small} bytes > 4)`);
      return { type, body: buf.subarray(at + 4, at + 4 + small), next: at + 8 };
    }
    const type = first;
    const nbytes = this.u32(at + 4);
    const start = at + 8;
    if (start + nbytes > buf.length) {
      this.fail(at, `truncated: element of type ${type} declares ${nbytes} bytes but only ${buf.length - start} remain`);
    }
    const padded = type === MI.COMPRESSED ? nbytes : Math.ceil(nbytes / 8) * 8;
    return { type, body: buf.subarray(start, start + nbytes), next: Math.min(start + padded, buf.length) };
  }

  fail(at: number, problem: string): never {
    throw new DataError(this.file, `${problem} (at byte ${at}${this.where})`);
  }
}

/**
 * Read every variable of a Level 5 MAT-file.
 * Throws DataError naming the file for a wrong format, truncation or corrupt compressed data.
 */
export function readMat(file: string): MatVariable[] {
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (e) {
    throw new DataError(file, `cannot read MAT-file: ${(e as Error).message}`);
  }
  return parseMat(buf, file);
}

/** Parse the bytes of a Level 5 MAT-file; `file` is the name used in errors. */
export function parseMat(buf: Buffer, file = '<buffer>'): MatVariable[] {
  const little = checkHeader(buf, file);
  const top: ElementReader = new ElementReader(file, buf, little, '');
  const vars: MatVariable[] = [];
  let at = 128;
  while (at < buf.length) {
    // Trailing zero padding after the last element is harmless.
    if (buf.length - at < 8 && buf.subarray(at).every((b) => b === 0)) break;
    const el = top.element(at);
    let matrix: { reader: ElementReader; el: Element };
    if (el.type === MI.COMPRESSED) {
      let inflated: Buffer;
      try {
        inflated = zlib.inflateSync(el.body);
      } catch (e) {
        top.fail(at, `compressed element is corrupt or truncated (zlib: ${(e as Error).message})`);
      }
      const inner = new ElementReader(file, inflated, little, `, inside the compressed element at byte ${at}`);
      matrix = { reader: inner, el: inner.element(0) };
    } else {
      matrix = { reader: top, el };
    }
    if (matrix.el.type === MI.MATRIX) {
      const v = readMatrix(matrix.reader, matrix.el.body, at);
      if (v && v.name !== '') vars.push(v);
    } else {
      top.fail(at, `expected a matrix element (type 14) at top level, found type ${matrix.el.type}`);
    }
    at = el.next;
  }
  return vars;
}

/** Check the 128-byte header; return true for a little-endian file. */
function checkHeader(buf: Buffer, file: string): boolean {
  if (buf.length < 128) {
    throw new DataError(file, `not a MAT-file or truncated: ${buf.length} bytes, a MAT 5 header alone is 128`);
  }
  const text = buf.toString('latin1', 0, 116);
  if (text.startsWith('MATLAB 7.3')) {
    throw new DataError(file, 'MAT v7.3 (HDF5) files are not supported; re-save in MATLAB with save(..., \'-v7\')');
  }
  const mark = buf.toString('latin1', 126, 128);
  if (mark !== 'IM' && mark !== 'MI') {
    throw new DataError(file, `not a Level 5 MAT-file (endian indicator is ${JSON.stringify(mark)}, expected "IM" or "MI"; MAT v4 files are not supported)`);
  }
  const little = mark === 'IM';
  const version = little ? buf.readUInt16LE(124) : buf.readUInt16BE(124);
  if (version !== 0x0100) {
    throw new DataError(file, `unsupported MAT-file version 0x${version.toString(16)} (expected 0x0100, MATLAB 5.0 / v7)`);
  }
  return little;
}

/** Decode one miMATRIX body. */
function readMatrix(r: ElementReader, body: Buffer, topAt: number): MatVariable | null {
  if (body.length === 0) return null; // an empty matrix placeholder
  const sub = new ElementReader(r.file, body, r.little, `${r.where}, in the variable at byte ${topAt}`);
  const flagsEl = sub.element(0);
  if (flagsEl.type !== MI.UINT32 || flagsEl.body.length < 8) sub.fail(0, 'array flags sub-element missing or malformed');
  const flags = r.little ? flagsEl.body.readUInt32LE(0) : flagsEl.body.readUInt32BE(0);
  const classId = flags & 0xff;
  const cls: MatClass = CLASS_NAMES[classId] ?? 'unknown';
  const complex = (flags & FLAG_COMPLEX) !== 0;
  const logical = (flags & FLAG_LOGICAL) !== 0;

  const dimsEl = sub.element(flagsEl.next);
  if (dimsEl.type !== MI.INT32) sub.fail(flagsEl.next, `dimensions sub-element has type ${dimsEl.type}, expected 5 (int32)`);
  const dims = Array.from(toFloat64(sub, dimsEl, flagsEl.next));
  const nameEl = sub.element(dimsEl.next);
  if (nameEl.type !== MI.INT8 && nameEl.type !== MI.UINT8 && nameEl.type !== MI.UTF8) {
    sub.fail(dimsEl.next, `name sub-element has type ${nameEl.type}, expected 1 (int8)`);
  }
  const name = nameEl.body.toString('latin1');
  const count = dims.reduce((a, b) => a * b, 1);

  if (cls === 'char') {
    const el = sub.element(nameEl.next);
    const text = decodeChars(sub, el, nameEl.next, dims);
    return { name, dims, class: cls, logical, data: null, text };
  }
  if (classId < 6 || classId > 15) {
    return { name, dims, class: cls, logical, data: null };
  }
  const realAt = nameEl.next;
  const realEl = sub.element(realAt);
  const data = toFloat64(sub, realEl, realAt);
  if (data.length !== count) {
    sub.fail(realAt, `variable '${name}' has dims ${dims.join('x')} (${count} values) but ${data.length} stored values`);
  }
  let imag: Float64Array | undefined;
  if (complex) {
    const imEl = sub.element(realEl.next);
    imag = toFloat64(sub, imEl, realEl.next);
    if (imag.length !== count) sub.fail(realEl.next, `variable '${name}': imaginary part has ${imag.length} values, expected ${count}`);
  }
  return { name, dims, class: cls, logical, data, imag };
}

/** Convert a numeric data element to float64 values, honouring the file's byte order. */
function toFloat64(r: ElementReader, el: Element, at: number): Float64Array {
  const size = MI_SIZE[el.type];
  if (size === undefined || el.type === MI.UTF8 || el.type === MI.UTF16 || el.type === MI.UTF32) {
    r.fail(at, `numeric data expected, found element type ${el.type}`);
  }
  if (el.body.length % size !== 0) r.fail(at, `element of type ${el.type} has ${el.body.length} bytes, not a multiple of ${size}`);
  const n = el.body.length / size;
  const out = new Float64Array(n);
  const b = el.body;
  const L = r.little;
  switch (el.type) {
    case MI.DOUBLE:
      if (L) {
        // Copy into an aligned buffer and view it: far faster than one read per value.
        const aligned = new Uint8Array(n * 8);
        aligned.set(b);
        out.set(new Float64Array(aligned.buffer));
      } else for (let i = 0; i < n; i++) out[i] = b.readDoubleBE(i * 8);
      break;
    case MI.SINGLE: for (let i = 0; i < n; i++) out[i] = L ? b.readFloatLE(i * 4) : b.readFloatBE(i * 4); break;
    case MI.INT8: for (let i = 0; i < n; i++) out[i] = b.readInt8(i); break;
    case MI.UINT8: for (let i = 0; i < n; i++) out[i] = b[i]; break;
    case MI.INT16: for (let i = 0; i < n; i++) out[i] = L ? b.readInt16LE(i * 2) : b.readInt16BE(i * 2); break;
    case MI.UINT16: for (let i = 0; i < n; i++) out[i] = L ? b.readUInt16LE(i * 2) : b.readUInt16BE(i * 2); break;
    case MI.INT32: for (let i = 0; i < n; i++) out[i] = L ? b.readInt32LE(i * 4) : b.readInt32BE(i * 4); break;
    case MI.UINT32: for (let i = 0; i < n; i++) out[i] = L ? b.readUInt32LE(i * 4) : b.readUInt32BE(i * 4); break;
    case MI.INT64:
    case MI.UINT64:
      for (let i = 0; i < n; i++) {
        const v = el.type === MI.INT64
          ? (L ? b.readBigInt64LE(i * 8) : b.readBigInt64BE(i * 8))
          : (L ? b.readBigUInt64LE(i * 8) : b.readBigUInt64BE(i * 8));
        const f = Number(v);
        if (!Number.isSafeInteger(f)) r.fail(at, `64-bit integer ${v} cannot be represented exactly as a number`);
        out[i] = f;
      }
      break;
    default:
      r.fail(at, `unsupported numeric element type ${el.type}`);
  }
  return out;
}

/** Decode char data (UTF-16 or UTF-8 or 8/16-bit codes) into text, rows joined by newlines. */
function decodeChars(r: ElementReader, el: Element, at: number, dims: number[]): string {
  let codes: number[];
  if (el.type === MI.UTF8) codes = [...el.body.toString('utf8')].map((c) => c.codePointAt(0) ?? 0);
  else if (el.type === MI.UTF16 || el.type === MI.UINT16) codes = Array.from({ length: el.body.length / 2 }, (_, i) => (r.little ? el.body.readUInt16LE(i * 2) : el.body.readUInt16BE(i * 2)));
  else codes = Array.from(toFloat64(r, el, at));
  const rows = dims[0] ?? 0;
  if (dims.length !== 2 || rows <= 1) return String.fromCodePoint(...codes);
  const cols = dims[1];
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    let s = '';
    for (let j = 0; j < cols; j++) s += String.fromCodePoint(codes[i + j * rows] ?? 32);
    lines.push(s);
  }
  return lines.join('\n');
}

/**
 * A 2-D numeric variable as a row-major Float32Array (n = dims[0] rows, d = dims[1] columns).
 * MATLAB's column-major element (i, j) is `data[i + j * n]`; here it is `x[i * d + j]`.
 */
export function matToRowMajor(v: MatVariable, file = '<mat>'): { x: Float32Array; n: number; d: number } {
  if (!v.data) throw new DataError(file, `variable '${v.name}' is a ${v.class} array, not numeric`);
  if (v.imag) throw new DataError(file, `variable '${v.name}' is complex; only real features are supported`);
  const dims = trimDims(v.dims);
  if (dims.length > 2) throw new DataError(file, `variable '${v.name}' has ${dims.length} dimensions (${v.dims.join('x')}), expected a matrix`);
  const [n, d] = [dims[0], dims[1] ?? 1];
  const src = v.data;
  const x = new Float32Array(n * d);
  for (let j = 0; j < d; j++) {
    const col = j * n;
    for (let i = 0; i < n; i++) x[i * d + j] = src[col + i];
  }
  return { x, n, d };
}

/** Drop trailing singleton dimensions beyond the second (MATLAB keeps at least two). */
function trimDims(dims: readonly number[]): number[] {
  const out = [...dims];
  while (out.length > 2 && out[out.length - 1] === 1) out.pop();
  return out;
}

/** Names of the feature and label variables for `readMatXY`. */
export interface MatXYOptions {
  /** Feature matrix variable (n x d). Default `'x'`, as the authors saved it. */
  x?: string;
  /** Label vector variable (n x 1 or 1 x n, whole numbers >= 0). Default `'y'`. */
  y?: string;
}

/** Features (row-major) and integer labels of one MAT-file. */
export interface MatXY {
  file: string;
  x: Float32Array;
  n: number;
  d: number;
  y: Int32Array;
}

/**
 * Read the feature matrix and label vector of one MAT-file. Errors (DataError, naming the file):
 * a missing variable (the message lists those present), labels that are not whole numbers >= 0,
 * and a label count that differs from the number of feature rows.
 */
export function readMatXY(file: string, options: MatXYOptions = {}): MatXY {
  const xName = options.x ?? 'x';
  const yName = options.y ?? 'y';
  const vars = readMat(file);
  const find = (name: string): MatVariable => {
    const v = vars.find((w) => w.name === name);
    if (!v) {
      const present = vars.map((w) => `${w.name} (${w.dims.join('x')} ${w.class})`).join(', ') || 'none';
      throw new DataError(file, `variable '${name}' not found; variables present: ${present}`);
    }
    return v;
  };
  const xv = find(xName);
  const yv = find(yName);
  const { x, n, d } = matToRowMajor(xv, file);
  if (!yv.data) throw new DataError(file, `label variable '${yName}' is a ${yv.class} array, expected numeric labels`);
  const ydims = trimDims(yv.dims);
  if (ydims.length > 2 || (ydims[0] !== 1 && ydims[1] !== 1)) {
    throw new DataError(file, `label variable '${yName}' has dims ${yv.dims.join('x')}, expected a vector (n x 1 or 1 x n)`);
  }
  if (yv.data.length !== n) {
    throw new DataError(file, `${n} feature rows in '${xName}' but ${yv.data.length} labels in '${yName}': rows and labels disagree in count`);
  }
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = yv.data[i];
    if (!Number.isInteger(v) || v < 0) throw new DataError(file, `label ${i} of '${yName}' is ${v}, expected a whole number >= 0`);
    y[i] = v;
  }
  return { file, x, n, d, y };
}

/** Pattern of one fold file of a leave-one-group-out MAT folder, e.g. `emodb_tst_loso3.mat`. */
export const MAT_FOLD_PATTERN = /^(.*)_tst_loso(\d+)\.mat$/;

/**
 * The `*_tst_loso{1..N}.mat` files of a folder, in numeric fold order (loso10 after loso9).
 * Errors when there are none, when prefixes differ, or when a fold number is missing or repeated.
 */
export function listMatFolds(dir: string): { fold: number; file: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    throw new DataError(dir, `cannot list folder: ${(e as Error).message}`);
  }
  const found = names
    .map((name) => ({ name, m: MAT_FOLD_PATTERN.exec(name) }))
    .filter((e): e is { name: string; m: RegExpExecArray } => e.m !== null)
    .map((e) => ({ prefix: e.m[1], fold: Number(e.m[2]), file: path.join(dir, e.name) }))
    .sort((a, b) => a.fold - b.fold);
  if (found.length === 0) throw new DataError(dir, 'no *_tst_loso<N>.mat files in this folder');
  const prefixes = [...new Set(found.map((f) => f.prefix))];
  if (prefixes.length > 1) throw new DataError(dir, `fold files with different prefixes (${prefixes.join(', ')}): one dataset per folder`);
  found.forEach((f, i) => {
    if (f.fold !== i + 1) throw new DataError(dir, `fold files must be numbered 1..${found.length}: expected loso${i + 1}, found ${path.basename(f.file)}`);
  });
  return found.map(({ fold, file }) => ({ fold, file }));
}

/** Options of `loadMatFolds`. */
export interface MatFoldsOptions extends MatXYOptions {
  /** Class names by label. Default: '0', '1', ... up to the largest label. */
  classes?: readonly string[];
  /** Group name of fold i (1-based). Default: `loso<i>`. */
  groupName?: (fold: number) => string;
  /** Row ids in file order (all folds stacked). Default: `<file stem>:<row within file>`. */
  ids?: readonly string[];
  /** Dataset name. Default: the folder path. */
  name?: string;
}

/**
 * A folder of `*_tst_loso{1..N}.mat` files as one Dataset: the files stacked in fold order,
 * every row of file i in group i (its held-out speaker in the authors' leave-one-speaker-out).
 */
export function loadMatFolds(dir: string, options: MatFoldsOptions = {}): Dataset {
  const folds = listMatFolds(dir);
  const parts = folds.map((f) => ({ ...f, xy: readMatXY(f.file, options) }));
  const d = parts[0].xy.d;
  for (const p of parts) {
    if (p.xy.d !== d) throw new DataError(p.file, `has ${p.xy.d} features per row, but ${path.basename(parts[0].file)} has ${d}`);
    checkFinite(p.file, p.xy.x, d); // name the fold file, not the folder, when a value is NaN or infinite
  }
  const n = parts.reduce((s, p) => s + p.xy.n, 0);
  const x = new Float32Array(n * d);
  const y = new Int32Array(n);
  const groups: string[] = [];
  const ids: string[] = [];
  const groupName = options.groupName ?? ((i: number) => `loso${i}`);
  let at = 0;
  for (const p of parts) {
    x.set(p.xy.x, at * d);
    y.set(p.xy.y, at);
    const stem = path.basename(p.file, '.mat');
    for (let j = 0; j < p.xy.n; j++) {
      groups.push(groupName(p.fold));
      ids.push(`${stem}:${j}`);
    }
    at += p.xy.n;
  }
  let maxLabel = 0;
  for (const v of y) maxLabel = Math.max(maxLabel, v);
  const classes = options.classes ?? Array.from({ length: maxLabel + 1 }, (_, k) => String(k));
  if (options.ids && options.ids.length !== n) {
    throw new DataError(dir, `${n} rows in the fold files but ${options.ids.length} row ids given`);
  }
  return makeDataset({ name: options.name ?? dir, x, d, y, classes, groups, ids: options.ids ?? ids });
}
