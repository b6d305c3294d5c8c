/**
 * WAV (RIFF/WAVE) reader: PCM integer 8/16/24/32-bit, IEEE float 32/64-bit, WAVE_FORMAT_EXTENSIBLE
 * wrappers of both, any channel count (downmixed to mono by averaging, as openSMILE's
 * `monoMixdown=1`) and any sample rate.
 *
 * Samples are scaled the way openSMILE's cWaveSource does it: integer PCM divided by 2^(bits-1) - 1
 * (e.g. 32767 for 16-bit; 8-bit PCM is unsigned and centred at 128 first), so the most negative
 * code maps slightly below -1; float samples are taken as they are.
 */
import { readFileSync } from 'node:fs';
import { DataError } from '../util/errors';

/** A decoded wave file. */
export interface Wave {
  /** Sampling rate in Hz. */
  readonly sampleRate: number;
  /** Number of channels in the file (the samples below are already mixed down). */
  readonly channels: number;
  /** Bits per sample as stored in the file. */
  readonly bitsPerSample: number;
  /** `pcm` (integer) or `float`. */
  readonly encoding: 'pcm' | 'float';
  /** Mono samples (mean over channels), integer PCM divided by 2^(bits-1) - 1. */
  readonly samples: Float32Array;
  /** Samples of every channel before downmixing, channel-major; only when asked for. */
  readonly channelData?: Float32Array[];
}

/** Options of {@link readWav} / {@link decodeWav}. */
export interface WavOptions {
  /** Keep the separate channels in `channelData`. Default false. */
  keepChannels?: boolean;
  /**
   * Accept a data chunk shorter than its header says (a file cut during a copy or download) and
   * decode the samples that are there. Default false: such a file is an error naming it, as its
   * features would silently describe part of the utterance.
   */
  allowTruncated?: boolean;
}

const WAVE_FORMAT_PCM = 0x0001;
const WAVE_FORMAT_IEEE_FLOAT = 0x0003;
const WAVE_FORMAT_ALAW = 0x0006;
const WAVE_FORMAT_MULAW = 0x0007;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const FORMAT_NAMES: Record<number, string> = {
  0x0002: 'Microsoft ADPCM',
  0x0011: 'IMA ADPCM',
  [WAVE_FORMAT_ALAW]: 'A-law',
  [WAVE_FORMAT_MULAW]: 'µ-law',
  0x0055: 'MPEG layer 3',
};

/** Read and decode a wave file; errors name the file and say what is wrong with it. */
export function readWav(file: string, options: WavOptions = {}): Wave {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (e) {
    throw new DataError(file, `cannot read the file (${(e as Error).message})`);
  }
  return decodeWav(bytes, file, options);
}

/** Decode the bytes of a wave file; `file` is only used in error messages. */
export function decodeWav(bytes: Uint8Array, file = '<buffer>', options: WavOptions = {}): Wave {
  if (bytes.length === 0) throw new DataError(file, 'the file is empty (0 bytes), expected a RIFF/WAVE file');
  if (bytes.length < 12) throw new DataError(file, `truncated header: ${bytes.length} bytes, a RIFF/WAVE header needs at least 12`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]);
  if (tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new DataError(file, `not a RIFF/WAVE file (starts with ${JSON.stringify(tag(0))}/${JSON.stringify(tag(8))})`);
  }
  let fmt: { format: number; channels: number; sampleRate: number; blockAlign: number; bits: number } | undefined;
  let data: { start: number; length: number } | undefined;
  let at = 12;
  while (at + 8 <= bytes.length) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new DataError(file, `truncated header: the fmt chunk has ${Math.min(size, bytes.length - body)} bytes, expected at least 16`);
      let format = view.getUint16(body, true);
      const bits = view.getUint16(body + 14, true);
      if (format === WAVE_FORMAT_EXTENSIBLE) {
        if (size < 40 || body + 40 > bytes.length) throw new DataError(file, 'truncated header: WAVE_FORMAT_EXTENSIBLE fmt chunk shorter than 40 bytes');
        format = view.getUint16(body + 24, true); // first two bytes of the sub-format GUID
      }
      fmt = { format, channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true), blockAlign: view.getUint16(body + 12, true), bits };
    } else if (id === 'data') {
      // A streaming writer may leave the size at 0 or 0xFFFFFFFF: then the data run to the end.
      const open = size === 0 || size === 0xffffffff;
      if (!open && size > bytes.length - body && !options.allowTruncated) {
        throw new DataError(file, `truncated: the data chunk says ${size} bytes but the file holds ${bytes.length - body} of them (${(100 * (bytes.length - body) / size).toFixed(1)} %); re-copy the file, or accept the partial audio explicitly (allowTruncated, --allow-truncated)`);
      }
      const length = open ? bytes.length - body : Math.min(size, bytes.length - body);
      data = { start: body, length };
      if (fmt) break;
    }
    at = body + size + (size & 1);
  }
  if (!fmt) throw new DataError(file, 'truncated header: no fmt chunk found');
  if (!data) throw new DataError(file, 'no data chunk found (truncated file?)');
  const { format, channels, sampleRate, bits } = fmt;
  if (format !== WAVE_FORMAT_PCM && format !== WAVE_FORMAT_IEEE_FLOAT) {
    const name = FORMAT_NAMES[format] ?? `format tag 0x${format.toString(16).padStart(4, '0')}`;
    throw new DataError(file, `unsupported encoding ${name}: only integer PCM (8/16/24/32-bit) and IEEE float (32/64-bit) can be read; convert the file first (e.g. sox in.wav -e signed -b 16 out.wav)`);
  }
  const encoding = format === WAVE_FORMAT_PCM ? 'pcm' : 'float';
  const okBits = encoding === 'pcm' ? [8, 16, 24, 32] : [32, 64];
  if (!okBits.includes(bits)) throw new DataError(file, `unsupported ${encoding} sample size ${bits} bits, expected one of ${okBits.join(', ')}`);
  if (channels < 1) throw new DataError(file, `invalid channel count ${channels}`);
  if (sampleRate < 1) throw new DataError(file, `invalid sample rate ${sampleRate}`);
  const bytesPerSample = bits / 8;
  const frameBytes = bytesPerSample * channels;
  const n = Math.floor(data.length / frameBytes);
  if (n === 0) throw new DataError(file, `no audio: the data chunk holds ${data.length} bytes, less than one ${channels}-channel ${bits}-bit frame`);
  const read = sampleReader(view, encoding, bits);
  const mono = new Float32Array(n);
  const perChannel = options.keepChannels ? Array.from({ length: channels }, () => new Float32Array(n)) : undefined;
  for (let i = 0; i < n; i++) {
    let sum = 0;
    const base = data.start + i * frameBytes;
    for (let c = 0; c < channels; c++) {
      const v = read(base + c * bytesPerSample);
      sum += v;
      if (perChannel) perChannel[c][i] = v;
    }
    mono[i] = sum / channels;
  }
  return { sampleRate, channels, bitsPerSample: bits, encoding, samples: mono, ...(perChannel ? { channelData: perChannel } : {}) };
}

function sampleReader(view: DataView, encoding: 'pcm' | 'float', bits: number): (at: number) => number {
  if (encoding === 'float') return bits === 32 ? (at) => view.getFloat32(at, true) : (at) => view.getFloat64(at, true);
  switch (bits) {
    case 8: return (at) => (view.getUint8(at) - 128) / 127;
    case 16: return (at) => view.getInt16(at, true) / 32767;
    case 24: return (at) => ((view.getUint8(at) | (view.getUint8(at + 1) << 8) | (view.getInt8(at + 2) << 16))) / 8388607;
    default: return (at) => view.getInt32(at, true) / 2147483647;
  }
}

/** Encode samples as a wave file (used by tests to write fixtures; also handy in notebooks). */
export function encodeWav(channelData: Float32Array[] | Float64Array[], sampleRate: number, encoding: 'pcm' | 'float', bits: number, extensible = false): Buffer {
  const channels = channelData.length;
  const n = channelData[0]?.length ?? 0;
  const bytesPerSample = bits / 8;
  const fmtSize = extensible ? 40 : 16;
  const dataSize = n * channels * bytesPerSample;
  const buf = Buffer.alloc(12 + 8 + fmtSize + 8 + dataSize);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(buf.length - 8, 4);
  buf.write('WAVE', 8, 'latin1');
  buf.write('fmt ', 12, 'latin1');
  buf.writeUInt32LE(fmtSize, 16);
  const tagValue = encoding === 'pcm' ? WAVE_FORMAT_PCM : WAVE_FORMAT_IEEE_FLOAT;
  buf.writeUInt16LE(extensible ? WAVE_FORMAT_EXTENSIBLE : tagValue, 20);
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * bytesPerSample, 28);
  buf.writeUInt16LE(channels * bytesPerSample, 32);
  buf.writeUInt16LE(bits, 34);
  if (extensible) {
    buf.writeUInt16LE(22, 36); // cbSize
    buf.writeUInt16LE(bits, 38); // valid bits
    buf.writeUInt32LE(0, 40); // channel mask
    buf.writeUInt16LE(tagValue, 44); // sub-format GUID, first two bytes
    Buffer.from([0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71]).copy(buf, 46);
  }
  let at = 12 + 8 + fmtSize;
  buf.write('data', at, 'latin1');
  buf.writeUInt32LE(dataSize, at + 4);
  at += 8;
  const full = 2 ** (bits - 1) - 1;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const v = channelData[c][i];
      if (encoding === 'float') {
        if (bits === 32) buf.writeFloatLE(v, at); else buf.writeDoubleLE(v, at);
      } else {
        const q = Math.max(-full - 1, Math.min(full, Math.round(v * full)));
        if (bits === 8) buf.writeUInt8(q + 128, at);
        else if (bits === 16) buf.writeInt16LE(q, at);
        else if (bits === 24) buf.writeIntLE(q, at, 3);
        else buf.writeInt32LE(q, at);
      }
      at += bytesPerSample;
    }
  }
  return buf;
}
