import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArff, parseOpensmileCsv, readArff, readFeatureTable, readOpensmileCsv } from '../src/data/readers/opensmile';
import { DataError } from '../src/util/errors';
import { realData } from './real-data';
import { tempWriter, throwsData } from './assert-data';

const { dir: tmp, write } = tempWriter('adan-smile-');

// As SMILExtract -csvoutput writes it: quoted instance name, frameTime, %e-formatted features.
const CSV = [
  'name;frameTime;pcm_RMSenergy_sma_max;F0final_sma_amean;mfcc_sma[1]_stddev',
  "'03a01Fa.wav';0.000000;2.546113e-01;-1.500000e+00;3.000000e+02",
  "'unknown';0.000000;1.000000e-03;0.000000e+00;-2.000000e+00",
  "'a;b.wav';0.000000;1;2;3",
  '',
].join('\n');

test('openSMILE CSV: quoted names, frameTime dropped, features row-major with their names', () => {
  const file = write('small.csv', CSV);
  const t = readOpensmileCsv(file);
  assert.deepEqual(t.rowNames, ['03a01Fa.wav', 'unknown', 'a;b.wav']);
  assert.deepEqual(t.featureNames, ['pcm_RMSenergy_sma_max', 'F0final_sma_amean', 'mfcc_sma[1]_stddev']);
  assert.equal(t.n, 3);
  assert.equal(t.d, 3);
  assert.deepEqual(Array.from(t.x), [0.2546113, -1.5, 300, 0.001, 0, -2, 1, 2, 3].map(Math.fround));
  assert.equal(readFeatureTable(file).n, 3);
});

test('openSMILE CSV: a header repeated by an appending run is skipped; a class column is kept apart', () => {
  const header = 'name;frameTime;f1;f2;class';
  const t = parseOpensmileCsv([header, "'x1';0.0;1;2;W", header, "'x2';0.0;3;4;N"].join('\r\n'), 'appended.csv');
  assert.deepEqual(t.rowNames, ['x1', 'x2']);
  assert.deepEqual(t.featureNames, ['f1', 'f2']);
  assert.deepEqual(Array.from(t.x), [1, 2, 3, 4]);
  assert.deepEqual(t.extra.class, ['W', 'N']);
});

test('openSMILE CSV: nan and inf values are read as NaN and Infinity (the Dataset refuses them later)', () => {
  const t = parseOpensmileCsv("name;frameTime;a;b;c\n'x';0;-nan;inf;-inf\n", 'nan.csv');
  assert.ok(Number.isNaN(t.x[0]));
  assert.equal(t.x[1], Infinity);
  assert.equal(t.x[2], -Infinity);
});

test('openSMILE CSV: truncated line, bad number, duplicate row, missing name column are DataErrors naming the file', () => {
  const cut = write('cut.csv', CSV.slice(0, CSV.indexOf("'a;b.wav'") + 20));
  throwsData(() => readOpensmileCsv(cut), cut, /line 4 has 3 fields but the header has 5/);
  const bad = write('badnum.csv', CSV.replace('-1.500000e+00', '-1.5O0000e+00'));
  throwsData(() => readOpensmileCsv(bad), bad, /line 2, column 'F0final_sma_amean': "-1.5O0000e\+00" is not a number/);
  const dup = write('dup.csv', CSV.replace("'unknown'", "'03a01Fa.wav'"));
  throwsData(() => readOpensmileCsv(dup), dup, /'03a01Fa\.wav' appears on lines 2 and 3/);
  const noName = write('noname.csv', 'frameTime;a\n0;1\n');
  throwsData(() => readOpensmileCsv(noName), noName, /header must start with 'name'/);
  const empty = write('empty.csv', '\n\n');
  throwsData(() => readOpensmileCsv(empty), empty, /empty file/);
  const open = write('quote.csv', "name;frameTime;a\n'x;0;1\n");
  throwsData(() => readOpensmileCsv(open), open, /unterminated quote/);
});

// As SMILExtract -arffout writes it (cArffSink): relation, name string, frameTime, features, class.
const ARFF = [
  '@relation openSMILE_features',
  '',
  '@attribute name string',
  '@attribute frameTime numeric',
  '@attribute pcm_RMSenergy_sma_max numeric',
  '@attribute F0final_sma_amean numeric',
  '@attribute emotion {W,L,E,A,F,T,N}',
  '',
  '@data',
  '',
  "'03a01Fa.wav',0.000000,2.546113e-01,-1.500000e+00,F",
  "'03a01Wa.wav',0.000000,1.000000e+00,2.000000e+00,W",
  '',
].join('\n');

test('openSMILE ARFF: name, frameTime, numeric features and a nominal class attribute', () => {
  const file = write('small.arff', ARFF);
  const t = readArff(file);
  assert.deepEqual(t.rowNames, ['03a01Fa.wav', '03a01Wa.wav']);
  assert.deepEqual(t.featureNames, ['pcm_RMSenergy_sma_max', 'F0final_sma_amean']);
  assert.deepEqual(Array.from(t.x), [0.2546113, -1.5, 1, 2].map(Math.fround));
  assert.deepEqual(t.extra.emotion, ['F', 'W']);
  assert.equal(readFeatureTable(file).d, 2);
});

test('openSMILE ARFF: the default dummy class {0,1,2,3}, a frameIndex and comments are not features', () => {
  const text = [
    '% written by a test', '@relation corpus', '@attribute name string', '@attribute frameIndex numeric',
    '@attribute frameTime numeric', "@attribute 'f 1' numeric", '@attribute class {0,1,2,3}', '@data',
    "'Ses01F_impro01_F000',0,0.000000,5.000000e-01,0",
  ].join('\n');
  const t = parseArff(text, 'dummy.arff');
  assert.deepEqual(t.featureNames, ['f 1']);
  assert.deepEqual(Array.from(t.x), [0.5]);
  assert.deepEqual(t.extra.class, ['0']);
});

test('openSMILE ARFF: truncated data line, no @relation, sparse rows, no name attribute are DataErrors', () => {
  const cut = write('cut.arff', ARFF.slice(0, ARFF.lastIndexOf(',W')));
  throwsData(() => readArff(cut), cut, /line 12 has 4 fields but the header has 5/);
  const norel = write('norel.arff', ARFF.replace('@relation openSMILE_features', ''));
  throwsData(() => readArff(norel), norel, /no @relation line/);
  const sparse = write('sparse.arff', ARFF.replace("'03a01Wa.wav',0.000000,1.000000e+00,2.000000e+00,W", '{0 x, 2 1.0}'));
  throwsData(() => readArff(sparse), sparse, /sparse ARFF rows are not supported/);
  const noname = write('noname.arff', '@relation r\n@attribute a numeric\n@data\n1\n');
  throwsData(() => readArff(noname), noname, /no 'name' string attribute/);
  const garbage = write('garbage.arff', '@relation r\nhello\n');
  throwsData(() => readArff(garbage), garbage, /unexpected line in the ARFF header/);
});

const rd = realData('emodb-wav');

test('opensmile-is11.csv of emodb-wav: 535 x 4368, names and values as written', { skip: rd.skip }, () => {
  const t = readOpensmileCsv(path.join(rd.path, 'opensmile-is11.csv'));
  assert.equal(t.n, 535);
  assert.equal(t.d, 4368);
  assert.equal(t.rowNames[0], '03a01Fa.wav');
  assert.equal(t.featureNames[0], 'audspec_lengthL1norm_sma_quartile1');
  assert.equal(t.featureNames[4367], 'F0final_sma_ff0_de_duration');
  assert.equal(new Set(t.featureNames).size, 4368);
  // The file's second line begins '03a01Fa.wav';0.000000;2.546113e-01;5.383298e-01;1.111166e+00
  assert.deepEqual(Array.from(t.x.subarray(0, 3)), [2.546113e-01, 5.383298e-01, 1.111166e+00].map(Math.fround));
  // and its last line ends ...;2.935452e-01;1.910000e+00
  assert.deepEqual(Array.from(t.x.subarray(t.x.length - 2)), [2.935452e-01, 1.91].map(Math.fround));
  assert.deepEqual(Object.keys(t.extra), []);
});
