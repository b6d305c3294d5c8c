import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { decodeWav, encodeWav, readWav } from '../src/features/wav';
import { DataError } from '../src/util/errors';

const dir = mkdtempSync(path.join(tmpdir(), 'adan-wav-'));

/** Integer codes that every PCM depth can hold exactly, as fractions of full scale. */
function codes(bits: number, n: number): Float64Array {
  const full = 2 ** (bits - 1) - 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin(i * 0.37) * full * 0.9) / full;
  out[0] = 1; out[1] = -1; out[2] = 0;
  return out;
}

for (const bits of [8, 16, 24, 32]) {
  for (const extensible of [false, true]) {
    test(`PCM ${bits}-bit${extensible ? ' (WAVE_FORMAT_EXTENSIBLE)' : ''}: exact samples, rate, channels`, () => {
      const x = codes(bits, 101);
      const file = path.join(dir, `pcm${bits}${extensible ? 'x' : ''}.wav`);
      writeFileSync(file, encodeWav([x], 16000, 'pcm', bits, extensible));
      const w = readWav(file);
      assert.equal(w.sampleRate, 16000);
      assert.equal(w.channels, 1);
      assert.equal(w.bitsPerSample, bits);
      assert.equal(w.encoding, 'pcm');
      assert.equal(w.samples.length, 101);
      for (let i = 0; i < x.length; i++) assert.equal(w.samples[i], Math.fround(x[i]), `sample ${i}`);
    });
  }
}

for (const bits of [32, 64]) {
  test(`IEEE float ${bits}-bit: exact samples`, () => {
    const x = Float64Array.from({ length: 64 }, (_, i) => Math.fround(Math.cos(i) * 0.7));
    const file = path.join(dir, `float${bits}.wav`);
    writeFileSync(file, encodeWav([x], 44100, 'float', bits, bits === 64));
    const w = readWav(file);
    assert.equal(w.encoding, 'float');
    assert.equal(w.sampleRate, 44100);
    for (let i = 0; i < x.length; i++) assert.equal(w.samples[i], Math.fround(x[i]));
  });
}

test('multi-channel files are mixed down by averaging, channels kept on request', () => {
  const left = codes(16, 50);
  const right = left.map((v) => -v / 2);
  const file = path.join(dir, 'stereo.wav');
  writeFileSync(file, encodeWav([left, right], 22050, 'pcm', 16));
  const w = readWav(file, { keepChannels: true });
  assert.equal(w.channels, 2);
  assert.ok(w.channelData);
  for (let i = 0; i < 50; i++) {
    const r = Math.round(right[i] * 32767) / 32767; // what 16 bits hold of the right channel
    assert.equal(w.channelData[0][i], Math.fround(left[i]));
    assert.equal(w.channelData[1][i] + 0, Math.fround(r) + 0);
    assert.equal(w.samples[i] + 0, Math.fround((left[i] + r) / 2) + 0); // + 0: -0 and 0 are the same sample
  }
});

test('16-bit samples are scaled by 1/32767 like openSMILE', () => {
  const buf = encodeWav([Float64Array.from([1, -1, 0.5])], 8000, 'pcm', 16);
  const raw = new DataView(buf.buffer, buf.byteOffset + 44);
  assert.equal(raw.getInt16(0, true), 32767);
  const w = decodeWav(buf);
  assert.equal(w.samples[0], 1);
  assert.equal(w.samples[2], Math.fround(Math.round(0.5 * 32767) / 32767));
});

test('bad audio gives a DataError that names the file', () => {
  const empty = path.join(dir, 'empty.wav');
  writeFileSync(empty, Buffer.alloc(0));
  assert.throws(() => readWav(empty), (e: unknown) => e instanceof DataError && e.file === empty && /empty/.test(e.message));

  const truncated = path.join(dir, 'truncated.wav');
  writeFileSync(truncated, encodeWav([codes(16, 10)], 8000, 'pcm', 16).subarray(0, 30));
  assert.throws(() => readWav(truncated), (e: unknown) => e instanceof DataError && e.file === truncated && /truncated header/.test(e.message));

  const mulaw = Buffer.from(encodeWav([codes(16, 10)], 8000, 'pcm', 16));
  mulaw.writeUInt16LE(7, 20); // format tag µ-law
  const mulawFile = path.join(dir, 'mulaw.wav');
  writeFileSync(mulawFile, mulaw);
  assert.throws(() => readWav(mulawFile), (e: unknown) => e instanceof DataError && /unsupported encoding µ-law/.test(e.message));

  const adpcm = Buffer.from(mulaw);
  adpcm.writeUInt16LE(2, 20);
  assert.throws(() => decodeWav(adpcm, 'x.wav'), /x\.wav: unsupported encoding Microsoft ADPCM/);

  assert.throws(() => decodeWav(Buffer.from('RIFF\0\0\0\0AVI LIST'), 'movie.avi'), /not a RIFF\/WAVE file/);
  assert.throws(() => readWav(path.join(dir, 'missing.wav')), /cannot read the file/);
});
