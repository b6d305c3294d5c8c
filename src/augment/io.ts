/**
 * Saving augmenters without tfjs-node: a JSON manifest plus, per network, one binary file of
 * little-endian float32/int32 values described by tfjs weight specs ({name, shape, dtype}),
 * the layout of tfjs' `weightsManifest` (`{paths, weights}`), written with node:fs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../util/errors';
import type { AugmentMethod, EpochRecord } from './augmenter';

/** Bump when the manifest layout changes; `load` refuses newer versions. */
export const MANIFEST_VERSION = 1;
export const MANIFEST_FILE = 'augmenter.json';

/** One named array to store (tfjs' WeightsManifestEntry plus the values). */
export interface NamedArray {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

/** tfjs' WeightsManifestGroupConfig. */
export interface WeightGroup {
  paths: string[];
  weights: { name: string; shape: number[]; dtype: 'float32' | 'int32' }[];
}

/** What `save` writes into `augmenter.json`. */
export interface Manifest {
  format: 'adan-lab-augmenter';
  version: number;
  method: AugmentMethod;
  /** The settings the augmenter was fitted with (plain JSON). */
  options: Record<string, unknown>;
  classes: string[];
  /** Feature dimension in the original space. */
  d: number;
  featureNames?: string[];
  seed: number;
  /** Feature scaling used inside the method (MaxAbsScaler.toJSON()), or null. */
  scaling: object | null;
  history: EpochRecord[];
  /** Method-specific fitted state (plain JSON). */
  state: Record<string, unknown>;
  /** Binary groups by name (network or data), tfjs weightsManifest layout. */
  weights: Record<string, WeightGroup>;
}

/**
 * Write `arrays` one after another into `dir/file` and return their weight group. Each array is
 * written from where it is (it may be a view of the backend's memory), without a concatenated
 * copy: a checkpoint is ~100 MB.
 */
export function writeArrays(dir: string, file: string, arrays: NamedArray[]): WeightGroup {
  fs.mkdirSync(dir, { recursive: true });
  for (const a of arrays) {
    const expected = a.shape.reduce((p, s) => p * s, 1);
    if (expected !== a.data.length) throw new Error(`writeArrays: ${a.name} has ${a.data.length} values but shape [${a.shape}]`);
  }
  const fd = fs.openSync(path.join(dir, file), 'w');
  try {
    for (const a of arrays) {
      const bytes = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength);
      for (let at = 0; at < bytes.length; ) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { paths: [file], weights: arrays.map(({ name, shape, dtype }) => ({ name, shape, dtype })) };
}

/** Read a weight group written by `writeArrays`, by name. */
export function readArrays(dir: string, group: WeightGroup): Map<string, NamedArray> {
  const chunks = group.paths.map((p) => {
    const file = path.join(dir, p);
    if (!fs.existsSync(file)) throw new DataError(file, 'weight file named in the manifest is missing');
    return fs.readFileSync(file);
  });
  const all = Buffer.concat(chunks);
  const out = new Map<string, NamedArray>();
  let at = 0;
  for (const spec of group.weights) {
    const count = spec.shape.reduce((p, s) => p * s, 1);
    const bytes = all.subarray(at, at + count * 4);
    if (bytes.length !== count * 4) throw new DataError(path.join(dir, group.paths[0]), `too short for ${spec.name} [${spec.shape}]`);
    const copy = new ArrayBuffer(count * 4);
    new Uint8Array(copy).set(bytes);
    const data = spec.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
    out.set(spec.name, { ...spec, data });
    at += count * 4;
  }
  return out;
}

export function writeManifest(dir: string, manifest: Manifest): void {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, MANIFEST_FILE + '.tmp');
  fs.writeFileSync(tmp, JSON.stringify(manifest, null, 1));
  fs.renameSync(tmp, path.join(dir, MANIFEST_FILE));
}

export function readManifest(dir: string): Manifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new DataError(file, 'no augmenter manifest here (save an augmenter with save(dir) first)');
  let m: Manifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (m.format !== 'adan-lab-augmenter') throw new DataError(file, `format ${JSON.stringify(m.format)} is not an adan-lab augmenter manifest`);
  if (!(m.version <= MANIFEST_VERSION)) throw new DataError(file, `manifest version ${m.version} is newer than this adan-lab (${MANIFEST_VERSION})`);
  return m;
}
