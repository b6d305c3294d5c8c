/**
 * Stable keys for stored results: canonical JSON (sorted keys, no undefined, finite numbers
 * only) hashed with SHA-256. The same configuration gives the same key on every machine and
 * every run, so a resumed or sharded run finds the results of an earlier one.
 */
import { createHash } from 'node:crypto';
import type { Dataset } from '../data/dataset';

/** JSON with object keys sorted at every level; typed arrays become plain arrays. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(canonical(value, '$'));
}

function canonical(v: unknown, path: string): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`canonicalJson: ${path} is ${v}; only finite numbers can be part of a key`);
    return Object.is(v, -0) ? 0 : v;
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x, i) => canonical(x, `${path}[${i}]`));
  if (Array.isArray(v)) return v.map((x, i) => (x === undefined ? null : canonical(x, `${path}[${i}]`)));
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x === undefined) continue;
      out[k] = canonical(x, `${path}.${k}`);
    }
    return out;
  }
  throw new Error(`canonicalJson: ${path} is a ${typeof v}; only JSON values can be part of a key`);
}

/** SHA-256 hex of a string. */
export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Length of the keys used for file names (hex characters of SHA-256; 160 bits). */
export const KEY_LENGTH = 40;

/** The key of a configuration: SHA-256 of its canonical JSON, shortened to `KEY_LENGTH`. */
export function stableKey(config: unknown): string {
  return sha256(canonicalJson(config)).slice(0, KEY_LENGTH);
}

/** A 31-bit seed from a key (for generators that need a number). */
export function seedFromKey(key: string): number {
  return parseInt(key.slice(0, 8), 16) >>> 1;
}

/**
 * Fingerprint of a dataset's content (features, labels, groups, classes, ids): results computed
 * on other data never match a key computed on this data.
 */
export function datasetFingerprint(ds: Dataset): string {
  const h = createHash('sha256');
  h.update(`${ds.n}x${ds.d}\u0000${ds.classes.join('\u0001')}\u0000`);
  h.update(new Uint8Array(ds.x.buffer, ds.x.byteOffset, ds.x.byteLength));
  h.update(new Uint8Array(ds.y.buffer, ds.y.byteOffset, ds.y.byteLength));
  h.update(ds.groups.join('\u0001'));
  h.update('\u0000');
  h.update(ds.ids.join('\u0001'));
  return h.digest('hex').slice(0, KEY_LENGTH);
}
