import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DATASET_NAMES, describeDataset, guessCorpus, loadDataset } from '../src/data/registry';
import { DataError, OptionError } from '../src/util/errors';
import { realData } from './real-data';
import { throwsData, tempWriter } from './assert-data';

const { dir: tmp, write } = tempWriter('adan-registry-');


/** An uncompressed little-endian MAT 5 file with double x (n x d, column-major values) and y. */
function matXY(n: number, d: number, xColMajor: number[], y: number[]): Buffer {
  const el = (type: number, data: Buffer) => {
    const tag = Buffer.alloc(8);
    tag.writeUInt32LE(type, 0);
    tag.writeUInt32LE(data.length, 4);
    return Buffer.concat([tag, data, Buffer.alloc((8 - (data.length % 8)) % 8)]);
  };
  const i32 = (v: number[]) => Buffer.from(new Int32Array(v).buffer);
  const f64 = (v: number[]) => Buffer.from(new Float64Array(v).buffer);
  const variable = (name: string, dims: number[], values: number[]) =>
    el(14, Buffer.concat([el(6, Buffer.from(new Uint32Array([6, 0]).buffer)), el(5, i32(dims)), el(1, Buffer.from(name)), el(9, f64(values))]));
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, test');
  header.fill(0, 116, 124);
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126);
  return Buffer.concat([header, variable('x', [n, d], xColMajor), variable('y', [n, 1], y)]);
}

const CSV_HEADER = 'name;frameTime;f1;f2';

// ---- names, options, errors --------------------------------------------------------------------

test('an unknown name lists the known names and where data is searched', () => {
  assert.deepEqual([...DATASET_NAMES], ['emodb-is11', 'iemocap-is10', 'emodb-wav', 'synthetic']);
  assert.throws(() => loadDataset('emodb-is12'), (e: unknown) => {
    assert.ok(e instanceof OptionError);
    assert.match(e.message, /"emodb-is12"/);
    assert.match(e.message, /emodb-is11, iemocap-is10, emodb-wav, synthetic/);
    assert.match(e.message, /searched as folders in .*data/);
    return true;
  });
  assert.throws(() => loadDataset('synthetic', { sead: 1 } as object), /loadDataset\.sead/);
});

test('a named dataset absent from dataDir says where it was looked for', () => {
  const empty = path.join(tmp, 'empty-data');
  fs.mkdirSync(empty, { recursive: true });
  throwsData(() => loadDataset('emodb-is11', { dataDir: empty }), 'emodb-is11', new RegExp(`not found in ${empty.replace(/[/\\]/g, '.')}`));
});

test('synthetic goes through the registry, marked as synthetic', () => {
  const ds = loadDataset('synthetic', { seed: 3, n: 70, d: 12 });
  assert.equal(ds.synthetic, true);
  assert.equal(ds.n, 70);
  assert.equal(ds.d, 12);
  const again = loadDataset('synthetic', { seed: 3, n: 70, d: 12 });
  assert.deepEqual(Array.from(again.x.subarray(0, 12)), Array.from(ds.x.subarray(0, 12)));
});

// ---- paths -----------------------------------------------------------------------------------

test('guessCorpus: EmoDB names, IEMOCAP ids', () => {
  const table = (rowNames: string[]) => ({ file: 't.csv', rowNames, featureNames: ['f'], x: new Float32Array(rowNames.length), n: rowNames.length, d: 1, extra: {} });
  assert.equal(guessCorpus(table(['03a01Fa.wav', '16b10Wb.wav'])), 'emodb');
  assert.equal(guessCorpus(table(['Ses01F_impro01_F000', 'Ses05M_script03_2_M044'])), 'iemocap');
});

test('an openSMILE CSV of EmoDB files: labels and speakers from the row names', () => {
  const file = write('emodb.csv', [CSV_HEADER, "'03a01Wa.wav';0;1;2", "'08b02Nc.wav';0;3;4", "'03a04Td.wav';0;5;6"].join('\n'));
  const ds = loadDataset(file);
  assert.equal(ds.name, file);
  assert.deepEqual(Array.from(ds.y), [0, 6, 5]);
  assert.deepEqual(ds.groups, ['03', '08', '03']);
  assert.deepEqual(ds.ids, ['03a01Wa.wav', '08b02Nc.wav', '03a04Td.wav']);
  assert.deepEqual(ds.featureNames, ['f1', 'f2']);
  assert.deepEqual(describeDataset(ds), {
    rows: 3, dims: 2,
    classes: [['anger', 1], ['boredom', 0], ['disgust', 0], ['fear', 0], ['happiness', 0], ['sadness', 1], ['neutral', 1]].map(([name, count]) => ({ name, count })),
    groups: [{ name: '03', count: 2 }, { name: '08', count: 1 }],
  });
});

test('an ARFF of EmoDB files loads the same way', () => {
  const file = write('emodb.arff', [
    '@relation openSMILE_features', '@attribute name string', '@attribute frameTime numeric', '@attribute f1 numeric',
    '@attribute class {0,1,2,3}', '@data', "'16b10Lb.wav',0.000000,1.500000e+00,0",
  ].join('\n'));
  const ds = loadDataset(file);
  assert.deepEqual(Array.from(ds.y), [1]);
  assert.deepEqual(ds.groups, ['16']);
  assert.deepEqual(Array.from(ds.x), [1.5]);
});

test('CSV bad input: unknown emotion letter, NaN feature, names of no known corpus, mixed names', () => {
  const letter = write('letter.csv', [CSV_HEADER, "'03a01Wa.wav';0;1;2", "'03a01Xa.wav';0;1;2"].join('\n'));
  throwsData(() => loadDataset(letter), letter, /unknown EmoDB emotion letter 'X'/);
  const nan = write('nan.csv', [CSV_HEADER, "'03a01Wa.wav';0;1;2", "'03a02Wa.wav';0;-nan;2"].join('\n'));
  throwsData(() => loadDataset(nan), nan, /line 3 \(03a02Wa\.wav\), column '[^']+' \(feature 1 of \d+\) is NaN/);
  const inf = write('inf.csv', [CSV_HEADER, "'03a01Wa.wav';0;inf;2"].join('\n'));
  throwsData(() => loadDataset(inf), inf, /is Infinity/);
  const other = write('other.csv', [CSV_HEADER, "'speaker1_happy';0;1;2"].join('\n'));
  throwsData(() => loadDataset(other), other, /neither the EmoDB convention .* nor the IEMOCAP one/);
  const mixed = write('mixed.csv', [CSV_HEADER, "'03a01Wa.wav';0;1;2", "'Ses01F_impro01_F000';0;1;2"].join('\n'));
  throwsData(() => loadDataset(mixed), mixed, /row 1 'Ses01F_impro01_F000' does not follow the EmoDB naming/);
  const txt = write('features.txt', 'a');
  throwsData(() => loadDataset(txt), txt, /unsupported file type '\.txt'/);
});

test('an openSMILE CSV of IEMOCAP utterances takes labels from the corpus EmoEvaluation files', () => {
  const root = path.join(tmp, 'IEMOCAP_full_release');
  write(path.join('IEMOCAP_full_release', 'Session1', 'dialog', 'EmoEvaluation', 'Ses01F_impro01.txt'), [
    '[1.0 - 2.0]\tSes01F_impro01_F000\tneu\t[2.5000, 2.5000, 2.5000]',
    '[3.0 - 4.0]\tSes01F_impro01_M000\texc\t[3.5000, 3.5000, 3.0000]',
    '[5.0 - 6.0]\tSes01F_impro01_F001\tfru\t[2.0000, 3.5000, 3.5000]',
  ].join('\n'));
  write(path.join('IEMOCAP_full_release', 'Session2', 'dialog', 'EmoEvaluation', 'Ses02M_script01_1.txt'),
    '[1.0 - 2.0]\tSes02M_script01_1_M000\tsad\t[1.5000, 2.0000, 2.0000]\n');
  const file = write('iemocap.csv', [
    CSV_HEADER, "'Ses01F_impro01_F000';0;1;1", "'Ses01F_impro01_M000';0;2;2", "'Ses01F_impro01_F001';0;3;3", "'Ses02M_script01_1_M000';0;4;4",
  ].join('\n'));
  throwsData(() => loadDataset(file), file, /pass iemocapRoot/);
  const four = loadDataset(file, { iemocapRoot: root });
  assert.deepEqual(four.classes, ['angry', 'happy', 'neutral', 'sad']);
  assert.deepEqual(four.ids, ['Ses01F_impro01_F000', 'Ses01F_impro01_M000', 'Ses02M_script01_1_M000']); // fru dropped
  assert.deepEqual(Array.from(four.y), [2, 1, 3]);
  assert.deepEqual(four.groups, ['Ses01', 'Ses01', 'Ses02']);
  assert.deepEqual(Array.from(four.x), [1, 1, 2, 2, 4, 4]);
  const noExc = loadDataset(file, { iemocapRoot: root, mergeExcited: false });
  assert.deepEqual(noExc.ids, ['Ses01F_impro01_F000', 'Ses02M_script01_1_M000']);
  const impro = loadDataset(file, { iemocapRoot: root, improvisedOnly: true });
  assert.deepEqual(impro.ids, ['Ses01F_impro01_F000', 'Ses01F_impro01_M000']);
  const all = loadDataset(file, { iemocapRoot: root, iemocapClasses: '11' });
  assert.equal(all.n, 4);
  assert.equal(all.classes[all.y[2]], 'frustration');
});

test('a folder of fold .mat files and a folder of fold .npy pairs load by path', () => {
  write(path.join('matfolds', 'demo_tst_loso1.mat'), matXY(2, 2, [1, 2, 3, 4], [0, 1]));
  write(path.join('matfolds', 'demo_tst_loso2.mat'), matXY(1, 2, [5, 6], [1]));
  const m = loadDataset(path.join(tmp, 'matfolds'));
  assert.equal(m.n, 3);
  assert.deepEqual(Array.from(m.x), [1, 3, 2, 4, 5, 6]);
  assert.deepEqual(m.groups, ['loso1', 'loso1', 'loso2']);
  const npy = (descr: string, shape: string, data: Buffer) => {
    const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`.padEnd(117, ' ') + '\n';
    const head = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, dict.length, 0]);
    return Buffer.concat([head, Buffer.from(dict), data]);
  };
  write(path.join('npyfolds', 'fold00-x.npy'), npy('<f4', '(2, 1)', Buffer.from(new Float32Array([7, 8]).buffer)));
  write(path.join('npyfolds', 'fold00-y.npy'), npy('<i4', '(2,)', Buffer.from(new Int32Array([1, 0]).buffer)));
  const n = loadDataset(path.join(tmp, 'npyfolds'));
  assert.deepEqual(Array.from(n.x), [7, 8]);
  assert.deepEqual(n.groups, ['fold00', 'fold00']);
  fs.mkdirSync(path.join(tmp, 'nothing'), { recursive: true });
  throwsData(() => loadDataset(path.join(tmp, 'nothing')), 'nothing', /no \*_tst_loso<N>\.mat files, no foldNN-x\.npy/);
});

test('an emodb-is11 folder whose index.csv disagrees with the .mat folds is refused', () => {
  const dir = path.join(tmp, 'data', 'emodb-is11');
  write(path.join('data', 'emodb-is11', 'emodb_tst_loso1.mat'), matXY(2, 1, [1, 2], [0, 6]));
  write(path.join('data', 'emodb-is11', 'emodb_tst_loso2.mat'), matXY(1, 1, [3], [5]));
  const good = 'file,speaker,emotion_code,fold\n03a01Wa.wav,03,W,1\n03a02Nb.wav,03,N,1\n08b01Td.wav,08,T,2\n';
  const index = write(path.join('data', 'emodb-is11', 'index.csv'), good);
  const ds = loadDataset('emodb-is11', { dataDir: path.join(tmp, 'data') });
  assert.deepEqual(ds.ids, ['03a01Wa.wav', '03a02Nb.wav', '08b01Td.wav']);
  assert.deepEqual(ds.groups, ['03', '03', '08']);
  assert.equal(ds.name, 'emodb-is11');
  fs.writeFileSync(index, good.replace('03a02Nb.wav,03,N', '03a02Fb.wav,03,F'));
  throwsData(() => loadDataset(dir), 'index.csv', /says happiness but row 1 of the \.mat folds has label 6 \(neutral\)/);
  fs.writeFileSync(index, good.replace('08b01Td.wav,08,T,2', '08b01Td.wav,08,T,1'));
  throwsData(() => loadDataset(dir), 'index.csv', /fold 1 has 3 lines here but 2 rows/);
  fs.writeFileSync(index, good.replace('03a01Wa.wav,03,W,1', '03a01Wa.wav,03,Q,1'));
  throwsData(() => loadDataset(dir), 'index.csv', /emotion Q but the file name 03a01Wa\.wav says W/);
});

test('emodb-wav: a wav without a feature row is refused', () => {
  write(path.join('wavdata', 'emodb-wav', '03a01Wa.wav'), '');
  write(path.join('wavdata', 'emodb-wav', '03a02Nb.wav'), '');
  const csv = write(path.join('wavdata', 'emodb-wav', 'opensmile-is11.csv'), [CSV_HEADER, "'03a02Nb.wav';0;3;4", "'03a01Wa.wav';0;1;2"].join('\n'));
  const ds = loadDataset('emodb-wav', { dataDir: path.join(tmp, 'wavdata') });
  assert.deepEqual(ds.ids, ['03a01Wa.wav', '03a02Nb.wav']); // rows follow the sorted wav list
  assert.deepEqual(Array.from(ds.x), [1, 2, 3, 4]);
  assert.deepEqual(loadDataset(path.join(tmp, 'wavdata', 'emodb-wav')).ids, ds.ids); // the same folder by path
  write(path.join('wavdata', 'emodb-wav', '03a05Ta.wav'), '');
  throwsData(() => loadDataset('emodb-wav', { dataDir: path.join(tmp, 'wavdata') }), csv, /1 audio file\(s\) have no feature row, e.g\. 03a05Ta\.wav/);
});

// ---- the real corpora -----------------------------------------------------------------------------

const is11 = realData('emodb-is11');
let is11Cache: ReturnType<typeof loadDataset> | undefined;
const loadIs11 = () => (is11Cache ??= loadDataset('emodb-is11'));

test('emodb-is11: 535 x 4354, 7 classes 127/81/46/69/71/62/79, 10 speakers, ids = file names', { skip: is11.skip }, () => {
  const ds = loadIs11();
  const info = describeDataset(ds);
  assert.equal(info.rows, 535);
  assert.equal(info.dims, 4354);
  assert.deepEqual(info.classes.map((c) => c.name), ['anger', 'boredom', 'disgust', 'fear', 'happiness', 'sadness', 'neutral']);
  assert.deepEqual(info.classes.map((c) => c.count), [127, 81, 46, 69, 71, 62, 79]);
  assert.deepEqual(info.groups, [['03', 49], ['08', 58], ['09', 43], ['10', 38], ['11', 55], ['12', 35], ['13', 61], ['14', 69], ['15', 56], ['16', 71]].map(([name, count]) => ({ name, count })));
  assert.equal(ds.ids[0], '03a01Fa.wav');
  assert.equal(ds.classes[ds.y[0]], 'happiness'); // F
});

const is10 = realData('iemocap-is10');

test('iemocap-is10: 5531 x 1582, 4 classes 1103/1636/1708/1084, sessions Ses01..Ses05', { skip: is10.skip }, () => {
  const info = describeDataset(loadDataset('iemocap-is10'));
  assert.equal(info.rows, 5531);
  assert.equal(info.dims, 1582);
  assert.deepEqual(info.classes, [['angry', 1103], ['happy', 1636], ['neutral', 1708], ['sad', 1084]].map(([name, count]) => ({ name, count })));
  // numpy: folds 00+01 = 528 + 557, 02+03 = 481 + 542, 04+05 = 616 + 535, 06+07 = 528 + 503, 08+09 = 605 + 636
  assert.deepEqual(info.groups, [['Ses01', 1085], ['Ses02', 1023], ['Ses03', 1151], ['Ses04', 1031], ['Ses05', 1241]].map(([name, count]) => ({ name, count })));
});

const wav = realData('emodb-wav');

test('emodb-wav: 535 x 4368 named features joined to the wav files, same rows and labels as emodb-is11', { skip: wav.skip || is11.skip }, () => {
  const ds = loadDataset('emodb-wav');
  assert.equal(ds.n, 535);
  assert.equal(ds.d, 4368);
  assert.equal(ds.featureNames?.length, 4368);
  assert.equal(ds.featureNames?.[0], 'audspec_lengthL1norm_sma_quartile1');
  const is11ds = loadIs11();
  const label = new Map(is11ds.ids.map((id, i) => [id, is11ds.y[i]]));
  assert.equal(label.size, 535);
  ds.ids.forEach((id, i) => assert.equal(ds.y[i], label.get(id), id));
});
