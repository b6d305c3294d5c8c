/**
 * A store archive: a store's finished units (or some folds of them) in one gzipped JSON-lines
 * file, so that results outlive the machine that computed them. A grid too long for one machine
 * is run a fold at a time (`reproduce --folds`); each finished fold is exported and committed;
 * on the next machine `results merge ARCHIVE... --out STORE` puts them back and the same
 * `reproduce` command computes only what is missing.
 *
 * Line 1 is a header (format, the store's dataset and protocol, the specs run into it); every
 * other line is one unit record exactly as the store keeps it, key and checksum included, so a
 * unit read back verifies as it did in the store and an edited one is refused.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { writeFileAtomic } from './atomic';
import { ResultStore, verifyRecord, type StoreIdentity, type UnitRecord } from './store';

export const ARCHIVE_FORMAT = 'adan-lab/store-archive@1';

/** What an archive holds. */
export interface StoreArchive {
  identity: StoreIdentity;
  specs: Record<string, unknown>[];
  records: UnitRecord[];
}

export interface ExportOptions {
  /** Only the units of these folds (1-based outer folds). Default: every unit. */
  folds?: readonly number[];
}

/**
 * Write the verified units of the store at `dir` (optionally only some folds) to `file`, gzipped;
 * returns how many units were written. A damaged unit file stops the export with its name: an
 * archive is meant to be the lasting copy, so it never silently leaves a unit out.
 */
export function exportStore(dir: string, file: string, options: ExportOptions = {}): number {
  const store = new ResultStore(dir);
  if (!fs.existsSync(`${dir}/store.json`)) throw new Error(`${dir} is not a result store (no store.json)`);
  const records = store
    .all((f, problem) => {
      throw new Error(`${f}: ${problem}; remove it (the unit is computed again) and export again`);
    })
    .filter((r) => !options.folds || options.folds.includes(r.config.fold.index));
  if (records.length === 0) throw new Error(`${dir} has no unit${options.folds ? ` on fold(s) ${options.folds.join(',')}` : ''} to export`);
  const header = { format: ARCHIVE_FORMAT, ...store.identity(), specs: store.specs().map((s) => s.spec), units: records.length };
  // Units in fold order, then key: the same store gives the same bytes, and neighbouring lines
  // share their test ids, which is what gzip compresses away.
  records.sort((a, b) => a.config.fold.index - b.config.fold.index || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const text = [JSON.stringify(header), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n';
  writeFileAtomic(file, zlib.gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
  return records.length;
}

/** Is `file` an archive (a file, not a store folder)? */
export function isArchive(file: string): boolean {
  return fs.existsSync(file) && fs.statSync(file).isFile();
}

/** Read and verify an archive; any problem is an error naming the file and the line. */
export function readArchive(file: string): StoreArchive {
  let text: string;
  try {
    text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  } catch (err) {
    throw new Error(`${file}: not a store archive (${(err as Error).message}); \`adan-lab results export\` writes one`);
  }
  const lines = text.split('\n').filter((l) => l.length > 0);
  let header: { format?: string; dataset?: StoreIdentity['dataset']; protocol?: string; specs?: Record<string, unknown>[]; units?: number };
  try {
    header = JSON.parse(lines[0] ?? '');
  } catch {
    header = {};
  }
  if (header.format !== ARCHIVE_FORMAT) throw new Error(`${file}: line 1 is not a store archive header (format ${JSON.stringify(header.format)}, expected ${ARCHIVE_FORMAT})`);
  const records: UnitRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    let key: unknown;
    try {
      key = JSON.parse(lines[i]).key;
    } catch {
      key = undefined;
    }
    const checked = verifyRecord(lines[i], typeof key === 'string' ? key : '');
    if (typeof checked === 'string') throw new Error(`${file}: line ${i + 1}: ${checked}`);
    records.push(checked);
  }
  if (header.units !== undefined && header.units !== records.length) {
    throw new Error(`${file}: holds ${records.length} units where its header says ${header.units} (truncated?)`);
  }
  const identity: StoreIdentity = { ...(header.dataset ? { dataset: header.dataset } : {}), ...(header.protocol ? { protocol: header.protocol } : {}) };
  return { identity, specs: header.specs ?? [], records };
}
