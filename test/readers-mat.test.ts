import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { listMatFolds, loadMatFolds, matToRowMajor, parseMat, readMat, readMatXY } from '../src/data/readers/mat';
import { classCounts } from '../src/data/dataset';
import { DataError } from '../src/util/errors';
import { realData } from './real-data';
import { throwsData, tempWriter } from './assert-data';

// ---- a tiny Level 5 MAT writer, enough to produce the fixtures --------------------------------

type Num = 'double' | 'single' | 'uint8' | 'int8' | 'int16' | 'uint16' | 'int32' | 'uint32' | 'int64';
const MI: Record<Num, [number, number]> = { int8: [1, 1], uint8: [2, 1], int16: [3, 2], uint16: [4, 2], int32: [5, 4], uint32: [6, 4], single: [7, 4], double: [9, 8], int64: [12, 8] };
const CLASS: Record<string, number> = { char: 4, double: 6, single: 7, int8: 8, uint8: 9, int16: 10, uint16: 11, int32: 12, uint32: 13, int64: 14 };

interface FixtureVar {
  name: string;
  dims: number[];
  /** Column-major values. */
  values: number[];
  /** MATLAB class written in the array flags. */
  cls: string;
  /** Storage type of the data element (MATLAB stores whole doubles as uint8). */
  store?: Num;
  logical?: boolean;
  /** Name written in the small data element format (names of up to 4 bytes). */
  smallName?: boolean;
}

function writeNum(type: Num, values: number[], little: boolean): Buffer {
  const [, size] = MI[type];
  const b = Buffer.alloc(values.length * size);
  values.forEach((v, i) => {
    const o = i * size;
    switch (type) {
      case 'double': little ? b.writeDoubleLE(v, o) : b.writeDoubleBE(v, o); break;
      case 'single': little ? b.writeFloatLE(v, o) : b.writeFloatBE(v, o); break;
      case 'uint8': b.writeUInt8(v, o); break;
      case 'int8': b.writeInt8(v, o); break;
      case 'int16': little ? b.writeInt16LE(v, o) : b.writeInt16BE(v, o); break;
      case 'uint16': little ? b.writeUInt16LE(v, o) : b.writeUInt16BE(v, o); break;
      case 'int32': little ? b.writeInt32LE(v, o) : b.writeInt32BE(v, o); break;
      case 'uint32': little ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o); break;
      case 'int64': little ? b.writeBigInt64LE(BigInt(v), o) : b.writeBigInt64BE(BigInt(v), o); break;
    }
  });
  return b;
}

function u32(v: number, little: boolean): Buffer {
  const b = Buffer.alloc(4);
  little ? b.writeUInt32LE(v) : b.writeUInt32BE(v);
  return b;
}

function element(type: number, data: Buffer, little: boolean): Buffer {
  const pad = (8 - (data.length % 8)) % 8;
  return Buffer.concat([u32(type, little), u32(data.length, little), data, Buffer.alloc(pad)]);
}

function matrix(v: FixtureVar, little: boolean): Buffer {
  const flags = Buffer.concat([u32(CLASS[v.cls] | (v.logical ? 0x0200 : 0), little), u32(0, little)]);
  const name = Buffer.from(v.name, 'latin1');
  const nameEl = v.smallName
    ? Buffer.concat([u32((name.length << 16) | 1, little), name, Buffer.alloc(4 - name.length)])
    : element(1, name, little);
  const store: Num = v.store ?? (v.cls === 'char' ? 'uint16' : (v.cls as Num));
  const dataType = v.cls === 'char' ? 17 : MI[store][0];
  const body = Buffer.concat([
    element(6, flags, little),
    element(5, writeNum('int32', v.dims, little), little),
    nameEl,
    element(dataType, writeNum(store, v.values, little), little),
  ]);
  return element(14, body, little);
}

function header(little: boolean, text = 'MATLAB 5.0 MAT-file, Platform: GLNXA64, written by a test'): Buffer {
  const h = Buffer.alloc(128, 0x20);
  h.write(text, 0, 'latin1');
  h.fill(0, 116, 124);
  if (little) { h.writeUInt16LE(0x0100, 124); h.write('IM', 126, 'latin1'); } else { h.writeUInt16BE(0x0100, 124); h.write('MI', 126, 'latin1'); }
  return h;
}

function matFile(vars: FixtureVar[], opts: { little?: boolean; compress?: boolean } = {}): Buffer {
  const little = opts.little ?? true;
  const parts = vars.map((v) => {
    const m = matrix(v, little);
    if (!opts.compress) return m;
    const z = zlib.deflateSync(m);
    return Buffer.concat([u32(15, little), u32(z.length, little), z]);
  });
  return Buffer.concat([header(little), ...parts]);
}

const { dir: tmp, write } = tempWriter('adan-mat-');

/** An n x d feature matrix whose (i, j) value is i + j / 10 (column-major), labels i % k. */
function xy(n: number, d: number, k = 3, offset = 0): FixtureVar[] {
  const values: number[] = [];
  for (let j = 0; j < d; j++) for (let i = 0; i < n; i++) values.push(offset + i + j / 10);
  return [
    { name: 'x', dims: [n, d], values, cls: 'double' },
    { name: 'y', dims: [n, 1], values: Array.from({ length: n }, (_, i) => i % k), cls: 'double', store: 'uint8' },
  ];
}

// ---- fixtures ----------------------------------------------------------------------------------

test('reads an uncompressed little-endian double matrix in column-major order', () => {
  const file = write('plain.mat', matFile([{ name: 'a', dims: [2, 3], values: [1, 4, 2, 5, 3, 6], cls: 'double' }]));
  const [a] = readMat(file);
  assert.equal(a.name, 'a');
  assert.deepEqual(a.dims, [2, 3]);
  assert.equal(a.class, 'double');
  assert.deepEqual(Array.from(a.data!), [1, 4, 2, 5, 3, 6]);
  const { x, n, d } = matToRowMajor(a);
  assert.equal(n, 2);
  assert.equal(d, 3);
  assert.deepEqual(Array.from(x), [1, 2, 3, 4, 5, 6]);
});

test('reads compressed elements, uint8-stored labels of class double, and returns row-major x', () => {
  const file = write('compressed.mat', matFile(xy(4, 3), { compress: true }));
  const vars = readMat(file);
  assert.deepEqual(vars.map((v) => [v.name, v.class]), [['x', 'double'], ['y', 'double']]);
  const r = readMatXY(file);
  assert.equal(r.n, 4);
  assert.equal(r.d, 3);
  assert.deepEqual(Array.from(r.x.subarray(3, 6)), [1, 1.1, 1.2].map(Math.fround));
  assert.deepEqual(Array.from(r.y), [0, 1, 2, 0]);
});

test('reads big-endian files, single/int32/int16/int8/uint16/uint32/int64 storage, logical and char arrays', () => {
  for (const little of [true, false]) {
    const file = write(`types-${little ? 'le' : 'be'}.mat`, matFile([
      { name: 's', dims: [1, 3], values: [0.5, -1.25, 3], cls: 'single' },
      { name: 'i', dims: [3, 1], values: [-7, 0, 2147483647], cls: 'int32' },
      { name: 'h', dims: [1, 2], values: [-300, 300], cls: 'int16' },
      { name: 'b', dims: [1, 2], values: [-5, 5], cls: 'int8' },
      { name: 'w', dims: [1, 2], values: [65535, 1], cls: 'uint16' },
      { name: 'u', dims: [1, 2], values: [4294967295, 1], cls: 'uint32' },
      { name: 'l', dims: [1, 2], values: [-(2 ** 40), 3], cls: 'int64' },
      { name: 'ok', dims: [1, 2], values: [1, 0], cls: 'uint8', logical: true, smallName: true },
      { name: 'txt', dims: [1, 5], values: [...'hello'].map((c) => c.charCodeAt(0)), cls: 'char' },
    ], { little, compress: !little }));
    const vars = Object.fromEntries(readMat(file).map((v) => [v.name, v]));
    assert.deepEqual(Array.from(vars.s.data!), [0.5, -1.25, 3]);
    assert.deepEqual(Array.from(vars.i.data!), [-7, 0, 2147483647]);
    assert.deepEqual(Array.from(vars.h.data!), [-300, 300]);
    assert.deepEqual(Array.from(vars.b.data!), [-5, 5]);
    assert.deepEqual(Array.from(vars.w.data!), [65535, 1]);
    assert.deepEqual(Array.from(vars.u.data!), [4294967295, 1]);
    assert.deepEqual(Array.from(vars.l.data!), [-(2 ** 40), 3]);
    assert.equal(vars.ok.logical, true);
    assert.deepEqual(Array.from(vars.ok.data!), [1, 0]);
    assert.equal(vars.txt.class, 'char');
    assert.equal(vars.txt.text, 'hello');
  }
});

test('a folder of *_tst_loso{1..N}.mat is one dataset, files in numeric order, file i = group i', () => {
  const dir = path.join(tmp, 'folds');
  // 11 folds so that a text sort (1, 10, 11, 2, ...) would be wrong; fold i has i rows, values offset by 100 i.
  for (let i = 1; i <= 11; i++) write(path.join('folds', `demo_tst_loso${i}.mat`), matFile(xy(i, 2, 3, 100 * i), { compress: true }));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a fold');
  assert.deepEqual(listMatFolds(dir).map((f) => f.fold), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const ds = loadMatFolds(dir, { classes: ['a', 'b', 'c'], groupName: (i) => `spk${i}` });
  assert.equal(ds.n, 66);
  assert.equal(ds.d, 2);
  assert.deepEqual(ds.classes, ['a', 'b', 'c']);
  // Row 0 is fold 1, rows 1-2 fold 2, ..., rows 45-54 fold 10, rows 55-65 fold 11.
  assert.equal(ds.groups[0], 'spk1');
  assert.equal(ds.groups[45], 'spk10');
  assert.equal(ds.groups[65], 'spk11');
  assert.equal(ds.x[45 * 2], 1000);
  assert.equal(ds.x[55 * 2 + 1], Math.fround(1100.1));
  assert.equal(ds.ids[55], 'demo_tst_loso11:0');
  const defaults = loadMatFolds(dir);
  assert.deepEqual(defaults.classes, ['0', '1', '2']);
  assert.equal(defaults.groups[1], 'loso2');
});

// ---- bad input -------------------------------------------------------------------------------


test('a truncated MAT-file is a DataError naming the file', () => {
  const whole = matFile(xy(5, 4), { compress: true });
  const file = write('truncated.mat', whole.subarray(0, whole.length - 20));
  throwsData(() => readMat(file), file, /truncated/);
  const plain = matFile(xy(5, 4));
  const file2 = write('truncated-plain.mat', plain.subarray(0, plain.length - 20));
  throwsData(() => readMat(file2), file2, /truncated/);
  const file3 = write('header-only.mat', header(true).subarray(0, 100));
  throwsData(() => readMat(file3), file3, /128/);
});

test('corrupt compressed data is a DataError naming the file', () => {
  const bytes = Buffer.from(matFile(xy(5, 4), { compress: true }));
  for (let i = 140; i < 170; i++) bytes[i] ^= 0x5a;
  const file = write('corrupt.mat', bytes);
  throwsData(() => readMat(file), file, /corrupt|truncated/);
});

test('not a MAT 5 file, and MAT v7.3, are refused with a reason', () => {
  const file = write('text.mat', Buffer.from('x,y\n'.repeat(64)));
  throwsData(() => readMat(file), file, /not a Level 5 MAT-file/);
  const file2 = write('hdf5.mat', header(true, 'MATLAB 7.3 MAT-file, Platform: GLNXA64'));
  throwsData(() => readMat(file2), file2, /7\.3/);
});

test('a missing x or y variable is a DataError listing the variables present', () => {
  const file = write('no-y.mat', matFile([xy(3, 2)[0]]));
  throwsData(() => readMatXY(file), file, /variable 'y' not found; variables present: x \(3x2 double\)/);
  const file2 = write('no-x.mat', matFile([xy(3, 2)[1]], { compress: true }));
  throwsData(() => readMatXY(file2), file2, /variable 'x' not found/);
  const ok = readMatXY(write('renamed.mat', matFile([{ ...xy(3, 2)[0], name: 'feat' }, { ...xy(3, 2)[1], name: 'lab' }])), { x: 'feat', y: 'lab' });
  assert.equal(ok.n, 3);
});

test('labels and feature rows that disagree in count are a DataError', () => {
  const [x] = xy(4, 2);
  const file = write('mismatch.mat', matFile([x, { name: 'y', dims: [3, 1], values: [0, 1, 2], cls: 'double' }]));
  throwsData(() => readMatXY(file), file, /4 feature rows .* but 3 labels/);
  const file2 = write('badlabel.mat', matFile([x, { name: 'y', dims: [4, 1], values: [0, 1, 2.5, 1], cls: 'double' }]));
  throwsData(() => readMatXY(file2), file2, /label 2 of 'y' is 2.5/);
});

test('NaN or infinite features in a fold are a DataError naming that fold file', () => {
  const dir = path.join(tmp, 'nanfolds');
  write(path.join('nanfolds', 'a_tst_loso1.mat'), matFile(xy(3, 2)));
  const [x, y] = xy(3, 2);
  const values = [...x.values];
  values[4] = NaN;
  const bad = write(path.join('nanfolds', 'a_tst_loso2.mat'), matFile([{ ...x, values }, y], { compress: true }));
  throwsData(() => loadMatFolds(dir), bad, /NaN or infinite/);
});

test('a missing fold number is a DataError naming the folder', () => {
  const dir = path.join(tmp, 'gap');
  write(path.join('gap', 'a_tst_loso1.mat'), matFile(xy(2, 2)));
  write(path.join('gap', 'a_tst_loso3.mat'), matFile(xy(2, 2)));
  throwsData(() => loadMatFolds(dir), dir, /expected loso2, found a_tst_loso3\.mat/);
  throwsData(() => listMatFolds(tmp), tmp, /no \*_tst_loso<N>\.mat files/);
});

test('parseMat takes bytes directly', () => {
  const vars = parseMat(matFile(xy(2, 2), { compress: true }), 'in-memory');
  assert.deepEqual(vars.map((v) => v.name), ['x', 'y']);
});

// ---- the authors' files ------------------------------------------------------------------------

const rd = realData('emodb-is11');

test('emodb_tst_loso1.mat: shapes and the values scipy.io.loadmat reads', { skip: rd.skip }, () => {
  const file = path.join(rd.path, 'emodb_tst_loso1.mat');
  const vars = readMat(file);
  assert.deepEqual(vars.map((v) => [v.name, v.dims, v.class]), [['x', [49, 4354], 'double'], ['y', [49, 1], 'double']]);
  const r = readMatXY(file);
  // Reference values from scipy.io.loadmat(...)['x'][0, :5], x[1, :3], x[-1, -3:], y[:10].
  const close = (got: ArrayLike<number>, want: number[]) =>
    want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-6, `value ${i}: ${got[i]} vs ${w}`));
  close(r.x.subarray(0, 5), [-0.79451551, -1.44882329, -1.16258585, -1.43395134, -0.15325663]);
  close(r.x.subarray(r.d, r.d + 3), [-1.26081195, -0.38550768, -0.67305195]);
  close(r.x.subarray(r.n * r.d - 3), [0.03691198, 0.91561855, -0.32602211]);
  assert.deepEqual(Array.from(r.y.subarray(0, 10)), [4, 6, 0, 4, 6, 5, 0, 0, 3, 4]);
});

test('the ten emodb-is11 folds: 535 x 4354, class counts 127/81/46/69/71/62/79, rows per fold match index.csv', { skip: rd.skip }, () => {
  const ds = loadMatFolds(rd.path);
  assert.equal(ds.n, 535);
  assert.equal(ds.d, 4354);
  assert.deepEqual(classCounts(ds), [127, 81, 46, 69, 71, 62, 79]);
  const perFold = new Map<string, number>();
  for (const g of ds.groups) perFold.set(g, (perFold.get(g) ?? 0) + 1);
  const lines = fs.readFileSync(path.join(rd.path, 'index.csv'), 'utf8').trim().split('\n').slice(1);
  const fromIndex = new Map<string, number>();
  for (const line of lines) {
    const fold = `loso${line.split(',')[3]}`;
    fromIndex.set(fold, (fromIndex.get(fold) ?? 0) + 1);
  }
  assert.deepEqual([...perFold], [...fromIndex]);
});
