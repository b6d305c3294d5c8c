/**
 * The result store: one JSON file per finished unit, named by the unit's key, written
 * atomically. A unit whose file exists and verifies (key and checksum match) is done; anything
 * else (missing, a leftover temporary, a damaged file) is computed again. Shards of a job array
 * can share one store on a shared filesystem, or write their own and be merged.
 *
 * Layout of a store folder:
 *   store.json                    format marker; the dataset (name, fingerprint) and protocol it holds
 *   specs/<hash>.json             every spec run into this store
 *   units/<key[0..1]>/<key>.json  one finished unit (config, predictions, metrics, timing)
 *   cache/<group>/...             synthetic sets of an augmenter whose units are not all done
 *   augmenters/<group>/           fitted augmenters (only with keepAugmenters)
 *   results/                      CSV and JSON tables written by writeResults
 *
 * merge.ts combines stores (and archives, archive.ts: a store in one file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, TEMP_SUFFIX } from './atomic';
import { canonicalJson, sha256, stableKey } from './hash';
import type { UnitConfig } from './plan';

export const STORE_FORMAT = 'adan-lab/store@1';
export const UNIT_FORMAT = 'adan-lab/unit@1';

/** What a finished unit produced. */
export interface UnitOutcome {
  /** Test row ids, true and predicted labels, in the test fold's order. */
  ids: string[];
  yTrue: number[];
  yPred: number[];
  /** Class names (index = label). */
  classes: string[];
  /**
   * With a classifier that keeps stages (the DNN's `stages` option): the predictions of the test
   * rows after each of those epochs, in order; `yPred` is the final network's, after `epochs`.
   * What `select: 'inner'` chooses the epochs from (inner-select.ts).
   */
  stages?: { epochs: number; yPred: number[] }[];
  /** With `stages`: the epochs of the final network (`yPred`). */
  epochs?: number;
  /** Metrics of this fold alone (fractions, not percent). */
  wa: number;
  uar: number;
  /** Rows the classifier was trained on: real, synthetic. */
  trainReal: number;
  trainSynthetic: number;
  /** Wall-clock seconds of the classifier fit + predict (the augmenter's time is in augmenterSeconds). */
  seconds: number;
  /** Seconds spent fitting the augmenter of this unit's group, when this run fitted it (0 when reused). */
  augmenterSeconds: number;
  /** Epochs the augmenter trained, on the unit that reports its fit (fewer than asked when it stopped early, e.g. ADAN's rule). */
  augmenterEpochs?: number;
  /** Table labels of the augmenter and classifier entries (not part of the key). */
  augmentLabel: string;
  classifierLabel: string;
  /** ISO time the unit finished. */
  finishedAt: string;
}

/** One stored unit: its key, the configuration the key was made from, and the outcome. */
export interface UnitRecord {
  format: typeof UNIT_FORMAT;
  key: string;
  config: UnitConfig;
  outcome: UnitOutcome;
  /** SHA-256 of the canonical JSON of { key, config, outcome }. */
  checksum: string;
}

/**
 * What a store holds: one dataset (by name and content fingerprint) and, where the runs named
 * one, one protocol. Recorded by the first run that says it; later runs must agree.
 */
export interface StoreIdentity {
  dataset?: { name: string; fingerprint: string };
  protocol?: string;
}

/** A run (or merge) that would put units of another dataset or protocol into a store. */
export class StoreMismatchError extends Error {
  constructor(readonly dir: string, what: string) {
    super(`${dir} ${what}; give this run a store of its own (--store DIR; storeDir in a notebook)`);
    this.name = 'StoreMismatchError';
  }
}

export class ResultStore {
  constructor(readonly dir: string) {}

  /**
   * Create the folder and its marker (idempotent). With `identity`, check that the store holds
   * that dataset and protocol (a StoreMismatchError otherwise) and record what it did not say yet.
   */
  init(identity: StoreIdentity = {}): this {
    fs.mkdirSync(path.join(this.dir, 'units'), { recursive: true });
    const marker = path.join(this.dir, 'store.json');
    const held = fs.existsSync(marker) ? this.identity() : {};
    const conflict = identityConflict(held, identity);
    if (conflict) throw new StoreMismatchError(this.dir, conflict);
    const merged: StoreIdentity = { dataset: held.dataset ?? identity.dataset, protocol: held.protocol ?? identity.protocol };
    if (!fs.existsSync(marker) || merged.dataset !== held.dataset || merged.protocol !== held.protocol) {
      writeFileAtomic(marker, JSON.stringify({ format: STORE_FORMAT, ...merged }, null, 1) + '\n');
    }
    return this;
  }

  /** The dataset and protocol recorded in store.json (empty for stores made before they were recorded). */
  identity(): StoreIdentity {
    const marker = path.join(this.dir, 'store.json');
    let m: { format?: string; dataset?: { name: string; fingerprint: string }; protocol?: string };
    try {
      m = JSON.parse(fs.readFileSync(marker, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`${marker}: not a readable store marker (${(err as Error).message})`);
    }
    if (m.format !== STORE_FORMAT) throw new Error(`${marker}: not an adan-lab store (format ${JSON.stringify(m.format)}, expected ${STORE_FORMAT})`);
    return { ...(m.dataset ? { dataset: m.dataset } : {}), ...(m.protocol ? { protocol: m.protocol } : {}) };
  }

  unitPath(key: string): string {
    return path.join(this.dir, 'units', key.slice(0, 2), `${key}.json`);
  }

  /** The stored unit, or undefined when absent or damaged (a damaged file is reported through `onDamaged`). */
  get(key: string, onDamaged?: (file: string, problem: string) => void): UnitRecord | undefined {
    const file = this.unitPath(key);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    const checked = verifyRecord(text, key);
    if (typeof checked === 'string') {
      onDamaged?.(file, checked);
      return undefined;
    }
    return checked;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Store a finished unit atomically. */
  put(config: UnitConfig, outcome: UnitOutcome): UnitRecord {
    const key = stableKey(config);
    const record = makeRecord(key, config, outcome);
    writeFileAtomic(this.unitPath(key), JSON.stringify(record) + '\n');
    return record;
  }

  /** Keys of every stored unit file (not verified; temporaries skipped). */
  keys(): string[] {
    const root = path.join(this.dir, 'units');
    if (!fs.existsSync(root)) return [];
    const out: string[] = [];
    for (const sub of fs.readdirSync(root).sort()) {
      const d = path.join(root, sub);
      if (!fs.statSync(d).isDirectory()) continue;
      for (const f of fs.readdirSync(d).sort()) if (f.endsWith('.json') && !f.endsWith(TEMP_SUFFIX)) out.push(f.slice(0, -5));
    }
    return out;
  }

  /** Every stored unit that verifies, in key order. */
  all(onDamaged?: (file: string, problem: string) => void): UnitRecord[] {
    const out: UnitRecord[] = [];
    for (const k of this.keys()) {
      const r = this.get(k, onDamaged);
      if (r) out.push(r);
    }
    return out;
  }

  /** Record a spec that was run into this store; returns its hash. */
  putSpec(spec: object): string {
    const text = canonicalJson(spec);
    const h = sha256(text).slice(0, 16);
    const file = path.join(this.dir, 'specs', `${h}.json`);
    if (!fs.existsSync(file)) writeFileAtomic(file, JSON.stringify(JSON.parse(text), null, 1) + '\n');
    return h;
  }

  /** The specs recorded in this store. */
  specs(): { hash: string; spec: Record<string, unknown> }[] {
    const dir = path.join(this.dir, 'specs');
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ hash: f.slice(0, -5), spec: JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) }));
  }

  cacheDir(group: string): string {
    return path.join(this.dir, 'cache', group);
  }

  augmenterDir(group: string): string {
    return path.join(this.dir, 'augmenters', group);
  }
}

/** Is `dir` a result store (a folder with its marker or its units/)? */
export function isResultStore(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'store.json')) || fs.existsSync(path.join(dir, 'units'));
}

export function makeRecord(key: string, config: UnitConfig, outcome: UnitOutcome): UnitRecord {
  const checksum = sha256(canonicalJson({ key, config, outcome }));
  return { format: UNIT_FORMAT, key, config, outcome, checksum };
}

/** Parse and check a unit file's text; a string names the problem. */
export function verifyRecord(text: string, key: string): UnitRecord | string {
  let r: UnitRecord;
  try {
    r = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message})`;
  }
  if (!r || r.format !== UNIT_FORMAT) return `not a unit record (format ${JSON.stringify(r?.format)})`;
  if (r.key !== key) return `holds key ${r.key}, expected ${key}`;
  if (stableKey(r.config) !== key) return 'its configuration does not hash to its key';
  if (sha256(canonicalJson({ key: r.key, config: r.config, outcome: r.outcome })) !== r.checksum) return 'checksum mismatch (damaged or edited)';
  return r;
}

/** Why a store holding `held` cannot take units of `incoming`, or undefined when it can. */
export function identityConflict(held: StoreIdentity, incoming: StoreIdentity): string | undefined {
  if (held.dataset && incoming.dataset && (held.dataset.name !== incoming.dataset.name || held.dataset.fingerprint !== incoming.dataset.fingerprint)) {
    const same = held.dataset.name === incoming.dataset.name;
    return `holds units of dataset ${held.dataset.name}${same ? ` (fingerprint ${held.dataset.fingerprint.slice(0, 12)})` : ''}, not ${incoming.dataset.name}${same ? ` (fingerprint ${incoming.dataset.fingerprint.slice(0, 12)}: the files changed)` : ''}`;
  }
  if (held.protocol && incoming.protocol && held.protocol !== incoming.protocol) return `holds units of protocol ${held.protocol}, not ${incoming.protocol}`;
  return undefined;
}
