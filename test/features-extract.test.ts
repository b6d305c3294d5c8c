import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { readOpensmileCsv } from '../src/data/readers/opensmile';
import { formatE, writeSmileCsv } from '../src/features/csv';
import { extractIs11, listWavFiles, runSmileExtract } from '../src/features/extract';
import { IS11_FEATURE_NAMES, isImplemented } from '../src/features/is11';
import { encodeWav } from '../src/features/wav';
import { extractIs11Dataset } from '../src/features/dataset';
import { loadDataset } from '../src/data/registry';
import { DataError, OptionError } from '../src/util/errors';
import { realData } from './real-data';

const dir = mkdtempSync(path.join(tmpdir(), 'adan-extract-'));

/** A 0.5 s vowel-like tone (150 Hz with harmonics) in a little noise, seeded LCG. */
function tone(seconds: number, rate: number, f0: number): Float64Array {
  const n = Math.round(seconds * rate);
  const x = new Float64Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const t = i / rate;
    x[i] = 0.3 * Math.sin(2 * Math.PI * f0 * t) + 0.15 * Math.sin(4 * Math.PI * f0 * t) + 0.01 * (s / 2147483648 - 0.5);
  }
  return x;
}

test('formatE prints like C printf %e', () => {
  assert.equal(formatE(0.2546113), '2.546113e-01');
  assert.equal(formatE(0), '0.000000e+00');
  assert.equal(formatE(-1234.5), '-1.234500e+03');
  assert.equal(formatE(1e-120), '1.000000e-120');
  assert.equal(formatE(NaN), 'NaN');
});

test('extractIs11: one row per file, 4368 named finite columns, progress, CSV round trip', () => {
  const a = path.join(dir, 'a.wav');
  const b = path.join(dir, 'b.wav');
  writeFileSync(a, encodeWav([tone(0.5, 16000, 150)], 16000, 'pcm', 16));
  writeFileSync(b, encodeWav([tone(0.6, 16000, 220)], 16000, 'float', 32));
  const seen: number[] = [];
  const t = extractIs11(listWavFiles(dir), { onProgress: (i) => { seen.push(i); } });
  assert.deepEqual(seen, [1, 2]);
  assert.deepEqual(t.rowNames, ['a.wav', 'b.wav']);
  assert.equal(t.d, 4368);
  assert.deepEqual(t.featureNames, [...IS11_FEATURE_NAMES]);
  for (let j = 0; j < t.d; j++) {
    for (let r = 0; r < 2; r++) {
      const v: number = t.x[r * t.d + j];
      assert.ok(Number.isFinite(v) && t.implemented[j], `${t.featureNames[j]} row ${r}`);
    }
  }
  // the two tones differ in pitch: their MFCCs differ
  const mfcc2 = t.featureNames.indexOf('pcm_fftMag_mfcc_sma[2]_amean');
  assert.notEqual(t.x[mfcc2], t.x[t.d + mfcc2]);
  const only = extractIs11([a], { implementedOnly: true });
  assert.equal(only.d, IS11_FEATURE_NAMES.filter(isImplemented).length);
  assert.ok(only.x.every((v) => Number.isFinite(v)));

  const csv = path.join(dir, 'out.csv');
  writeSmileCsv(csv, t);
  const text = readFileSync(csv, 'utf8');
  assert.match(text.split('\n')[1], /^'a\.wav';0\.000000;/);
  const back = readOpensmileCsv(csv);
  assert.deepEqual(back.rowNames, t.rowNames);
  assert.deepEqual(back.featureNames, t.featureNames);
  const k = t.featureNames.indexOf('pcm_RMSenergy_sma_amean');
  assert.ok(Math.abs(back.x[k] - t.x[k]) <= 1e-6 * Math.abs(t.x[k]));
});

test('extractIs11 and listWavFiles reject bad input with clear errors', () => {
  assert.throws(() => extractIs11([]), OptionError);
  assert.throws(() => extractIs11([path.join(dir, 'a.wav')], { onProgres: () => {} } as never), /extractIs11\.onProgres/);
  assert.throws(() => listWavFiles(path.join(dir, 'nope')), (e: unknown) => e instanceof DataError && /no such file/.test(e.message));
  const emptyDir = mkdtempSync(path.join(tmpdir(), 'adan-empty-'));
  assert.throws(() => listWavFiles(emptyDir), /holds no \.wav files/);
  const short = path.join(emptyDir, 'short.wav');
  writeFileSync(short, encodeWav([new Float64Array(100)], 16000, 'pcm', 16));
  assert.throws(() => extractIs11([short]), /too short/);
});

test('--engine opensmile: a clear error when SMILExtract is not on PATH', () => {
  assert.throws(
    () => runSmileExtract([path.join(dir, 'a.wav')], path.join(dir, 'o.csv'), 'IS11.conf', 'SMILExtract-definitely-not-installed'),
    (e: unknown) => e instanceof OptionError && /SMILExtract on PATH/.test(e.message),
  );
});

test('extractIs11Dataset: EmoDB audio to a labelled Dataset whose rows equal openSMILE\'s closely', { skip: realData('emodb-wav').skip }, () => {
  const dir = realData('emodb-wav').path;
  const names = ['03a01Fa.wav', '08a01Lc.wav', '16b10Td.wav'];
  const ds = extractIs11Dataset(names.map((f) => path.join(dir, f)));
  assert.equal(ds.n, 3);
  assert.equal(ds.d, 4368);
  assert.deepEqual(ds.y.length, 3);
  assert.deepEqual([...ds.y].map((c) => ds.classes[c]), ['happiness', 'boredom', 'sadness']);
  assert.deepEqual([...ds.groups], ['03', '08', '16']);
  const ref = loadDataset('emodb-wav');
  const j = ref.featureNames!.indexOf('pcm_fftMag_mfcc_sma[1]_amean');
  for (let r = 0; r < 3; r++) {
    const i = ref.ids.findIndex((id) => id.replace(/\.wav$/, '') === names[r].replace(/\.wav$/, ''));
    const a = ds.x[r * ds.d + j], b = ref.x[i * ref.d + j];
    assert.ok(Math.abs(a - b) <= 1e-3 * Math.max(1, Math.abs(b)), `${names[r]}: ${a} vs ${b}`);
  }
});
