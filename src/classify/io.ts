/**
 * Saving and loading fitted classifiers: a JSON manifest `classifier.json` that describes the
 * model (format, version, kind, options, classes, fitted scalars) and names the binary files
 * beside it (little-endian float32 / float64 arrays, each with its shape and SHA-256, so a
 * truncated or altered file is caught at load).
 *
 * `loadClassifier` (load.ts) reads a folder back whatever the kind.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../util/errors';
import type { Classifier } from './classifier';

export const CLASSIFIER_FORMAT = 'adan-lab/classifier';
/** Bump when the manifest layout changes; loading refuses newer versions. */
export const CLASSIFIER_MANIFEST_VERSION = 1;
export const CLASSIFIER_MANIFEST_FILE = 'classifier.json';
/** The kinds `loadClassifier` knows. */
export const CLASSIFIER_KINDS = ['kernel-svm', 'linear-svm', 'dnn'] as const;
export type ClassifierKind = (typeof CLASSIFIER_KINDS)[number];

/** A binary array file named in a manifest. */
export interface ArrayFile {
  file: string;
  dtype: 'float32' | 'float64';
  shape: number[];
  sha256: string;
}

/** What every classifier manifest starts with; the kind adds its own fields. */
export interface ClassifierManifest {
  format: typeof CLASSIFIER_FORMAT;
  version: number;
  kind: ClassifierKind;
  options: Record<string, unknown>;
  classes: string[];
  d: number;
  files: Record<string, ArrayFile>;
  [key: string]: unknown;
}

/** Write `data` (row-major, `shape`) to dir/file and describe it for the manifest. */
export function writeArrayFile(dir: string, file: string, data: Float32Array | Float64Array, shape: number[]): ArrayFile {
  const count = shape.reduce((p, s) => p * s, 1);
  if (count !== data.length) throw new Error(`writeArrayFile: ${file} has ${data.length} values but shape [${shape}]`);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, file), bytes);
  return { file, dtype: data instanceof Float32Array ? 'float32' : 'float64', shape, sha256: sha256(bytes) };
}

/** Read an array file named in the manifest, checking its size and checksum. */
export function readArrayFile(dir: string, spec: ArrayFile | undefined, name: string, manifestFile: string): Float32Array | Float64Array {
  if (!spec || typeof spec.file !== 'string' || !Array.isArray(spec.shape) || (spec.dtype !== 'float32' && spec.dtype !== 'float64')) {
    throw new DataError(manifestFile, `files.${name} is missing or malformed (expected { file, dtype: 'float32' | 'float64', shape, sha256 })`);
  }
  const file = path.join(dir, spec.file);
  if (!fs.existsSync(file)) throw new DataError(file, `missing: ${manifestFile} names it as files.${name}`);
  const bytes = fs.readFileSync(file);
  const width = spec.dtype === 'float32' ? 4 : 8;
  const count = spec.shape.reduce((p, s) => p * s, 1);
  if (bytes.length !== count * width) {
    throw new DataError(file, `has ${bytes.length} bytes, expected ${count * width} (${spec.dtype} [${spec.shape.join(', ')}]): the file is truncated or not the one the manifest describes`);
  }
  if (typeof spec.sha256 === 'string' && sha256(bytes) !== spec.sha256) {
    throw new DataError(file, `content does not match the SHA-256 recorded in ${CLASSIFIER_MANIFEST_FILE}: the file is damaged or was replaced`);
  }
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return spec.dtype === 'float32' ? new Float32Array(copy) : new Float64Array(copy);
}

/** Write the manifest last (through a temporary file), so a folder with a manifest is complete. */
export function writeClassifierManifest(dir: string, manifest: ClassifierManifest): void {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, CLASSIFIER_MANIFEST_FILE + '.tmp');
  fs.writeFileSync(tmp, JSON.stringify(manifest, null, 1));
  fs.renameSync(tmp, path.join(dir, CLASSIFIER_MANIFEST_FILE));
}

/** Read and check the common part of dir/classifier.json; returns it and its path. */
export function readClassifierManifest(dir: string): { manifest: ClassifierManifest; file: string } {
  const file = path.join(dir, CLASSIFIER_MANIFEST_FILE);
  if (!fs.existsSync(file)) throw new DataError(file, 'no classifier manifest here (save a fitted classifier with save(dir) first)');
  let m: ClassifierManifest;
  try {
    m = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DataError(file, `not valid JSON: ${(e as Error).message}`);
  }
  if (m === null || typeof m !== 'object') throw new DataError(file, 'not a JSON object');
  if (m.format !== CLASSIFIER_FORMAT) throw new DataError(file, `format ${JSON.stringify(m.format)} is not ${JSON.stringify(CLASSIFIER_FORMAT)}`);
  if (!(typeof m.version === 'number' && m.version >= 1)) throw new DataError(file, `version ${JSON.stringify(m.version)} is not a manifest version`);
  if (m.version > CLASSIFIER_MANIFEST_VERSION) throw new DataError(file, `manifest version ${m.version} is newer than this adan-lab reads (${CLASSIFIER_MANIFEST_VERSION})`);
  if (!(CLASSIFIER_KINDS as readonly unknown[]).includes(m.kind)) {
    throw new DataError(file, `kind ${JSON.stringify(m.kind)} is not one this adan-lab can load (known: ${CLASSIFIER_KINDS.join(', ')})`);
  }
  if (!Array.isArray(m.classes) || m.classes.length < 2) throw new DataError(file, 'classes must list at least 2 class names');
  if (!(Number.isInteger(m.d) && m.d > 0)) throw new DataError(file, `d ${JSON.stringify(m.d)} is not a positive integer`);
  if (m.options === null || typeof m.options !== 'object') throw new DataError(file, 'options must be an object');
  if (m.files === null || typeof m.files !== 'object') throw new DataError(file, 'files must be an object');
  return { manifest: m, file };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
