import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { listNpyFolds, loadNpyFolds, parseNpy, readNpy } from '../src/data/readers/npy';
import { classCounts } from '../src/data/dataset';
import { DataError } from '../src/util/errors';
import { realData } from './real-data';
import { throwsData, tempWriter } from './assert-data';

// ---- a tiny .npy writer, as numpy.save lays files out ------------------------------------------

function npy(descr: string, shape: number[], data: Buffer, opts: { version?: 1 | 2 | 3; fortran?: boolean } = {}): Buffer {
  const version = opts.version ?? 1;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': ${opts.fortran ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const pre = version === 1 ? 10 : 12;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64; // numpy pads the header to 64 bytes
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const head = Buffer.alloc(pre);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]).copy(head);
  if (version === 1) head.writeUInt16LE(dict.length, 8); else head.writeUInt32LE(dict.length, 8);
  return Buffer.concat([head, Buffer.from(dict, 'latin1'), data]);
}

const f32 = (v: number[]) => Buffer.from(new Float32Array(v).buffer);
const f64 = (v: number[]) => Buffer.from(new Float64Array(v).buffer);
const i32 = (v: number[]) => Buffer.from(new Int32Array(v).buffer);
const i64 = (v: number[]) => Buffer.from(new BigInt64Array(v.map(BigInt)).buffer);

const { dir: tmp, write } = tempWriter('adan-npy-');


test('reads the five dtypes with v1, v2 and v3 headers in C order', () => {
  const cases: [string, Buffer, number[], string][] = [
    ['<f4', f32([1.5, -2, 3.25, 4, 5, 6]), [1.5, -2, 3.25, 4, 5, 6], 'float32'],
    ['<f8', f64([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6], 'float64'],
    ['<i4', i32([-1, 2, -3, 4, -5, 6]), [-1, 2, -3, 4, -5, 6], 'int32'],
    ['<i8', i64([-(2 ** 40), 2, 3, 4, 5, 2 ** 50]), [-(2 ** 40), 2, 3, 4, 5, 2 ** 50], 'int64'],
    ['|u1', Buffer.from([0, 1, 2, 250, 254, 255]), [0, 1, 2, 250, 254, 255], 'uint8'],
  ];
  for (const version of [1, 2, 3] as const) {
    for (const [descr, bytes, want, dtype] of cases) {
      const a = readNpy(write(`${descr.slice(1)}-v${version}.npy`, npy(descr, [2, 3], bytes, { version })));
      assert.equal(a.dtype, dtype);
      assert.deepEqual(a.shape, [2, 3]);
      assert.deepEqual(Array.from(a.data), want);
    }
  }
  const vec = parseNpy(npy('<i4', [4], i32([3, 1, 0, 2])), 'vec');
  assert.deepEqual(vec.shape, [4]);
});

test('Fortran order, big-endian and other dtypes are refused with the reason', () => {
  const ff = write('fortran.npy', npy('<f4', [2, 2], f32([1, 2, 3, 4]), { fortran: true }));
  throwsData(() => readNpy(ff), ff, /Fortran-order arrays are not supported/);
  const be = write('big.npy', npy('>f4', [2], Buffer.alloc(8)));
  throwsData(() => readNpy(be), be, /big-endian/);
  const c = write('complex.npy', npy('<c8', [1], Buffer.alloc(8)));
  throwsData(() => readNpy(c), c, /dtype '<c8' is not supported/);
  const b = write('bool.npy', npy('|b1', [2], Buffer.from([1, 0])));
  throwsData(() => readNpy(b), b, /dtype '\|b1' is not supported/);
});

test('truncated and corrupt .npy files are DataErrors naming the file', () => {
  const whole = npy('<f4', [3, 2], f32([1, 2, 3, 4, 5, 6]));
  const t = write('truncated.npy', whole.subarray(0, whole.length - 5));
  throwsData(() => readNpy(t), t, /truncated: shape \(3, 2\) of float32 needs 24 data bytes, only 19 present/);
  const h = write('header-cut.npy', whole.subarray(0, 40));
  throwsData(() => readNpy(h), h, /truncated: header declares/);
  const m = write('not-npy.npy', Buffer.from('hello world, not numpy'));
  throwsData(() => readNpy(m), m, /not a NumPy \.npy file/);
  const bad = Buffer.from(whole);
  bad.write('{"nonsense": 1}', 10, 'latin1');
  const c = write('bad-header.npy', bad);
  throwsData(() => readNpy(c), c, /corrupt \.npy header/);
  const extra = write('extra.npy', Buffer.concat([whole, Buffer.alloc(4)]));
  throwsData(() => readNpy(extra), extra, /corrupt: 4 bytes after the data/);
});

test('a fold folder is stacked in numeric order, one group per fold', () => {
  const dir = path.join(tmp, 'folds');
  // fold2 before fold10 (a text sort would put fold10 first); fold k has k+1 rows of value 10k.
  for (const k of [0, 1, 2, 10]) {
    const n = k + 1;
    write(path.join('folds', `fold${String(k).padStart(2, '0')}-x.npy`), npy('<f4', [n, 2], f32(Array.from({ length: 2 * n }, () => 10 * k))));
    write(path.join('folds', `fold${String(k).padStart(2, '0')}-y.npy`), npy('<i8', [n], i64(Array.from({ length: n }, (_, i) => i % 2))));
  }
  assert.deepEqual(listNpyFolds(dir).map((f) => f.fold), ['fold00', 'fold01', 'fold02', 'fold10']);
  const ds = loadNpyFolds(dir, { classes: ['no', 'yes'] });
  assert.equal(ds.n, 1 + 2 + 3 + 11);
  assert.equal(ds.d, 2);
  assert.deepEqual(ds.groups.slice(0, 4), ['fold00', 'fold01', 'fold01', 'fold02']);
  assert.equal(ds.x[6 * 2], 100);
  assert.equal(ds.ids[6], 'fold10:0');
  assert.deepEqual(classCounts(ds), [1 + 1 + 2 + 6, 0 + 1 + 1 + 5]); // labels i % 2 within each fold
});

test('fold folder errors: a missing half, labels and rows disagreeing, NaN features', () => {
  const dir = path.join(tmp, 'half');
  write(path.join('half', 'fold00-x.npy'), npy('<f4', [1, 2], f32([1, 2])));
  throwsData(() => loadNpyFolds(dir), dir, /fold00 has features but no fold00-y\.npy/);

  const dir2 = path.join(tmp, 'count');
  write(path.join('count', 'fold00-x.npy'), npy('<f4', [3, 2], f32([1, 2, 3, 4, 5, 6])));
  const y2 = write(path.join('count', 'fold00-y.npy'), npy('<i4', [2], i32([0, 1])));
  throwsData(() => loadNpyFolds(dir2), y2, /2 labels but 3 feature rows/);

  const dir3 = path.join(tmp, 'nan');
  const x3 = write(path.join('nan', 'fold00-x.npy'), npy('<f4', [2, 2], f32([1, NaN, 3, 4])));
  write(path.join('nan', 'fold00-y.npy'), npy('<i4', [2], i32([0, 1])));
  throwsData(() => loadNpyFolds(dir3), x3, /row 1, feature 2 of 2, is NaN/);

  const dir4 = path.join(tmp, 'neg');
  write(path.join('neg', 'fold00-x.npy'), npy('<f4', [2, 1], f32([1, 2])));
  const y4 = write(path.join('neg', 'fold00-y.npy'), npy('<i4', [2], i32([0, -1])));
  throwsData(() => loadNpyFolds(dir4), y4, /label 1 is -1/);
});

const rd = realData('iemocap-is10');

test('iemocap-is10 folds: 5531 x 1582, the first values numpy.load reads, counts 1103/1636/1708/1084', { skip: rd.skip }, () => {
  const a = readNpy(path.join(rd.path, 'fold00-x.npy'));
  assert.equal(a.dtype, 'float32');
  assert.deepEqual(a.shape, [528, 1582]);
  // numpy.load('fold00-x.npy')[0, :4] and [-1, -3:]
  [5.309091e-01, 7.745454e-01, 3.072865e-01, -2.664708e-04].forEach((w, i) => assert.ok(Math.abs(a.data[i] - w) < 1e-6, `${a.data[i]} vs ${w}`));
  const last = Array.from(a.data.subarray(a.data.length - 3));
  [0.08695652, 2, 3.97].forEach((w, i) => assert.ok(Math.abs(last[i] - w) < 1e-6, `${last[i]} vs ${w}`));
  const y = readNpy(path.join(rd.path, 'fold00-y.npy'));
  assert.equal(y.dtype, 'int32');
  const ds = loadNpyFolds(rd.path);
  assert.equal(ds.n, 5531);
  assert.equal(ds.d, 1582);
  assert.deepEqual(classCounts(ds), [1103, 1636, 1708, 1084]);
  // numpy.bincount of fold00-y.npy
  assert.deepEqual(classCounts({ y: ds.y.subarray(0, 528), classes: ds.classes }), [147, 132, 171, 78]);
});
