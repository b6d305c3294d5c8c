/**
 * A store archive: a store's finished units (or some folds of them) in one gzipped JSON-lines
 * file, so that results outlive the machine that computed them. A grid too long for one machine
 * is run a fold at a time (`reproduce --folds`); each finished fold is exported and committed;
 * on the next machine `results merge ARCHIVE... --out STORE` puts them back and the same
 * `reproduce` command computes only what is missing.
 *
 * Line 1 is a header: the format, the store's dataset and protocol, the specs run into it, the
 * number of units and a checksum over all of that and every unit's checksum, so that an edited
 * header cannot pass units off as another dataset's or protocol's. Every other line is one unit
 * record exactly as the store keeps it (key and checksum included): a unit read back verifies
 * as it did in the store, and an edited one is refused.
 */
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { writeFileAtomic } from './atomic';
import { canonicalJson, sha256 } from './hash';
import { ResultStore, isResultStore, verifyRecord, type StoreIdentity, type UnitRecord } from './store';

export const ARCHIVE_FORMAT = 'adan-lab/store-archive@1';

/** What an archive holds. */
export interface StoreArchive {
  identity: StoreIdentity;
  specs: Record<string, unknown>[];
  records: UnitRecord[];
}

export interface ExportOptions {
  /** Only the units of these folds (1-based outer folds); each must hold some. Default: every unit. */
  folds?: readonly number[];
}

interface ArchiveHeader extends StoreIdentity {
  format: typeof ARCHIVE_FORMAT;
  specs: Record<string, unknown>[];
  units: number;
  checksum: string;
}

/** The header's checksum: its other fields and every unit's checksum, in the archive's order. */
function headerChecksum(h: Omit<ArchiveHeader, 'checksum'>, records: readonly UnitRecord[]): string {
  return sha256(canonicalJson({ ...h, unitChecksums: records.map((r) => r.checksum) }));
}

/**
 * Write the verified units of the store at `dir` (optionally only some folds) to `file`, gzipped;
 * returns how many units were written. A damaged unit file stops the export with its name: an
 * archive is meant to be the lasting copy, so it never silently leaves a unit out.
 */
export function exportStore(dir: string, file: string, options: ExportOptions = {}): number {
  if (!isResultStore(dir)) throw new Error(`${dir} is not a result store (${fs.existsSync(dir) ? 'no store.json or units/ in it' : 'no such folder'})`);
  const store = new ResultStore(dir);
  const records = store
    .all((f, problem) => {
      throw new Error(`${f}: ${problem}; remove it (the unit is computed again) and export again`);
    })
    .filter((r) => !options.folds || options.folds.includes(r.config.fold.index));
  const empty = (options.folds ?? []).filter((f) => !records.some((r) => r.config.fold.index === f));
  if (empty.length > 0) throw new Error(`${dir} has no unit on fold(s) ${empty.join(',')}; nothing exported`);
  if (records.length === 0) throw new Error(`${dir} has no unit to export`);
  // Units by fold, inner fold (outer units first), then key: the same store gives the same
  // bytes, and neighbouring lines share their test ids, which is what gzip compresses away.
  const inner = (r: UnitRecord): number => r.config.inner?.index ?? 0;
  records.sort((a, b) => a.config.fold.index - b.config.fold.index || inner(a) - inner(b) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  // the specs that ran on these folds: a fold's archive does not change when later folds run
  const folds = options.folds;
  const specs = store.specs().map((s) => s.spec).filter((spec) => !folds || !Array.isArray(spec.folds) || spec.folds.some((f) => folds.includes(f as number)));
  const h = { format: ARCHIVE_FORMAT, ...store.identity(), specs, units: records.length } as const;
  const header: ArchiveHeader = { ...h, checksum: headerChecksum(h, records) };
  const text = [JSON.stringify(header), ...records.map((r) => JSON.stringify(r))].join('\n') + '\n';
  writeFileAtomic(file, zlib.gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));
  return records.length;
}

/** Read and verify an archive; any problem is an error naming the file (and the line). */
export function readArchive(file: string): StoreArchive {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read it (${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message})`);
  }
  let text: string;
  try {
    text = zlib.gunzipSync(bytes).toString('utf8');
  } catch (err) {
    throw new Error(`${file}: not a store archive, or a truncated or damaged one (gzip: ${(err as Error).message}); \`adan-lab results export\` writes one`);
  }
  const lines = text.endsWith('\n') ? text.slice(0, -1).split('\n') : text.split('\n');
  let header: Partial<ArchiveHeader> | null;
  try {
    header = JSON.parse(lines[0] ?? '');
  } catch {
    header = null;
  }
  if (!header || typeof header !== 'object' || header.format !== ARCHIVE_FORMAT) {
    throw new Error(`${file}: line 1 is not a store archive header (format ${JSON.stringify(header?.format)}, expected ${ARCHIVE_FORMAT})`);
  }
  if (!Array.isArray(header.specs) || !Number.isInteger(header.units) || typeof header.checksum !== 'string') {
    throw new Error(`${file}: line 1, the header, lacks its specs, units or checksum`);
  }
  const records: UnitRecord[] = [];
  for (let i = 1; i < lines.length; i++) {
    let key: unknown;
    try {
      key = JSON.parse(lines[i])?.key;
    } catch {
      key = undefined;
    }
    const checked = verifyRecord(lines[i], typeof key === 'string' ? key : '');
    if (typeof checked === 'string') throw new Error(`${file}: line ${i + 1}: ${checked}`);
    records.push(checked);
  }
  if (header.units !== records.length) throw new Error(`${file}: holds ${records.length} units where its header says ${header.units} (truncated?)`);
  const { checksum, ...rest } = header as ArchiveHeader;
  if (headerChecksum(rest, records) !== checksum) throw new Error(`${file}: line 1: the header's checksum does not match it and its units (edited?)`);
  const identity: StoreIdentity = { ...(header.dataset ? { dataset: header.dataset } : {}), ...(header.protocol ? { protocol: header.protocol } : {}) };
  return { identity, specs: header.specs, records };
}
