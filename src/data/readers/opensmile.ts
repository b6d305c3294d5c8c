/**
 * openSMILE feature tables, as `SMILExtract` writes them:
 * - CSV (`-csvoutput`): `;`-separated, header `name;frameTime;<feature names>`, one row per
 *   input file, the name quoted (`'03a01Fa.wav';0.000000;2.546113e-01;...`). A header line that
 *   repeats (appended runs) is skipped.
 * - ARFF (`-arffout`): `@relation`, `@attribute name string`, optional `frameIndex` /
 *   `frameTime` / `frameLength numeric`, the numeric features, then class attributes (nominal
 *   `{...}`, string, or numeric), `@data`, and comma-separated rows.
 *
 * Both give a `FeatureTable`; the registry joins its rows to labels and groups by the row name
 * through a corpus convention (EmoDB file names, IEMOCAP utterance ids).
 *
 * ```ts
 * const t = readOpensmileCsv('emodb-wav/opensmile-is11.csv');  // t.n = 535, t.d = 4368
 * t.rowNames[0];       // '03a01Fa.wav' (quotes removed)
 * t.featureNames[0];   // 'audspec_lengthL1norm_sma_quartile1'
 * ```
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataError } from '../../util/errors';

/** Rows of named feature vectors. Values may be NaN here; Datasets refuse them later. */
export interface FeatureTable {
  /** The file read (named in errors downstream). */
  file: string;
  /** Row names with quotes removed, e.g. `03a01Fa.wav`. */
  rowNames: string[];
  /** Feature names, in column order. */
  featureNames: string[];
  /** Features, row-major n x d. */
  x: Float32Array;
  n: number;
  d: number;
  /** Non-feature columns by name (e.g. ARFF `class` / `emotion`), as text per row. */
  extra: Record<string, string[]>;
  /** The file's line (1-based) of each row, where it came from a file (errors name it). */
  lines?: number[];
}

/** Throw a DataError naming the line and column of the first NaN or infinite feature of a table. */
export function checkTableFinite(table: FeatureTable): void {
  const { x, d } = table;
  for (let i = 0; i < x.length; i++) {
    if (Number.isFinite(x[i])) continue;
    const row = Math.floor(i / d);
    const where = table.lines ? `line ${table.lines[row]}` : `row ${row + 1}`;
    throw new DataError(table.file, `${where} (${table.rowNames[row]}), column '${table.featureNames[i % d]}' (feature ${(i % d) + 1} of ${d}) is ${x[i]}: NaN or infinite features are not allowed (impute or drop them first)`);
  }
}

/** Columns openSMILE adds that are bookkeeping, not features. */
const META_COLUMNS = new Set(['frameIndex', 'frameTime', 'frameLength']);

/** Non-numeric class columns that may follow the features (ARFF, or a CSV with labels). */
const DEFAULT_LABEL_COLUMNS = ['class', 'emotion', 'label'];

/** Options shared by both readers. */
export interface FeatureTableOptions {
  /** Columns that hold labels, not features, even when numeric. Default ['class', 'emotion', 'label']. */
  labelColumns?: readonly string[];
}

/** Read an openSMILE `.csv` or `.arff` file, chosen by extension. */
export function readFeatureTable(file: string, options: FeatureTableOptions = {}): FeatureTable {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return readOpensmileCsv(file, options);
  if (ext === '.arff') return readArff(file, options);
  throw new DataError(file, `unsupported feature table '${ext}' (expected .csv or .arff)`);
}

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DataError(file, `cannot read: ${(e as Error).message}`);
  }
}

/** Read an openSMILE CSV (`SMILExtract -csvoutput`). */
export function readOpensmileCsv(file: string, options: FeatureTableOptions = {}): FeatureTable {
  return parseOpensmileCsv(readText(file), file, options);
}

/** Parse the text of an openSMILE CSV; `file` is the name used in errors. */
export function parseOpensmileCsv(text: string, file = '<csv>', options: FeatureTableOptions = {}): FeatureTable {
  const lines = text.split(/\r?\n/);
  let first = 0;
  while (first < lines.length && lines[first].trim() === '') first++;
  if (first === lines.length) throw new DataError(file, 'empty file: no header line');
  const headerLine = lines[first];
  const sep = headerLine.includes(';') ? ';' : headerLine.includes(',') ? ',' : ';';
  const header = splitFields(headerLine, sep, file, first + 1).map(unquote);
  if (header[0] !== 'name') {
    throw new DataError(file, `header must start with 'name' (as SMILExtract -csvoutput writes 'name;frameTime;...'); found '${header[0]}'. Was openSMILE run with -instname?`);
  }
  const labelCols = new Set(options.labelColumns ?? DEFAULT_LABEL_COLUMNS);
  const roles = header.map((h, j): Role => (j === 0 ? 'name' : META_COLUMNS.has(h) ? 'meta' : labelCols.has(h) ? 'extra' : 'feature'));
  const rows: string[][] = [];
  const lineNo: number[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i];
    if (line.trim() === '') continue;
    if (line === headerLine) continue; // a header repeated by an appending run
    rows.push(splitFields(line, sep, file, i + 1));
    lineNo.push(i + 1);
  }
  return buildTable(file, header, roles, rows, lineNo);
}

type Role = 'name' | 'meta' | 'feature' | 'extra';

/** Turn split rows into a FeatureTable, checking field counts and numbers. */
function buildTable(file: string, header: string[], roles: Role[], rows: string[][], lineNo: number[]): FeatureTable {
  const featureCols = roles.flatMap((r, j) => (r === 'feature' ? [j] : []));
  const extraCols = roles.flatMap((r, j) => (r === 'extra' ? [j] : []));
  const nameCol = roles.indexOf('name');
  const d = featureCols.length;
  if (d === 0) throw new DataError(file, 'no feature columns');
  const n = rows.length;
  if (n === 0) throw new DataError(file, 'no data rows');
  const x = new Float32Array(n * d);
  const rowNames: string[] = new Array(n);
  const extra: Record<string, string[]> = Object.fromEntries(extraCols.map((j) => [header[j], [] as string[]]));
  const seen = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const cells = rows[i];
    if (cells.length !== header.length) {
      throw new DataError(file, `line ${lineNo[i]} has ${cells.length} fields but the header has ${header.length} (truncated or corrupt line)`);
    }
    const name = nameCol >= 0 ? unquote(cells[nameCol]) : `row${i}`;
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DataError(file, `row name '${name}' appears on lines ${lineNo[before]} and ${lineNo[i]}; expected one row per file (functionals, not frame-level output)`);
    }
    seen.set(name, i);
    rowNames[i] = name;
    const base = i * d;
    for (let k = 0; k < d; k++) {
      const cell = cells[featureCols[k]];
      const v = parseNumber(cell);
      if (v === undefined) {
        throw new DataError(file, `line ${lineNo[i]}, column '${header[featureCols[k]]}': ${JSON.stringify(cell)} is not a number`);
      }
      x[base + k] = v;
    }
    for (const j of extraCols) extra[header[j]].push(unquote(cells[j]));
  }
  return { file, rowNames, featureNames: featureCols.map((j) => header[j]), x, n, d, extra, lines: lineNo };
}

/** A number as openSMILE prints it (`%e`, also `nan`, `-nan`, `inf`); undefined if not a number. */
function parseNumber(cell: string): number | undefined {
  const s = cell.trim();
  if (s === '') return undefined;
  const v = Number(s);
  if (!Number.isNaN(v)) return v;
  const low = s.toLowerCase().replace(/^[+-]/, '');
  if (low === 'nan' || low === '?') return NaN;
  if (low === 'inf' || low === 'infinity') return s.startsWith('-') ? -Infinity : Infinity;
  return undefined;
}

/** Split one line on `sep`, keeping separators inside single or double quotes. */
function splitFields(line: string, sep: string, file: string, lineNumber: number): string[] {
  if (!line.includes("'") && !line.includes('"')) return line.split(sep);
  const out: string[] = [];
  let pos = 0;
  for (;;) {
    const c = line[pos];
    if (c === "'" || c === '"') {
      let end = pos + 1;
      for (;;) {
        end = line.indexOf(c, end);
        if (end < 0) throw new DataError(file, `line ${lineNumber}: unterminated quote starting at column ${pos + 1}`);
        if (line[end - 1] === '\\') { end++; continue; }
        break;
      }
      out.push(line.slice(pos, end + 1));
      pos = end + 1;
      if (pos >= line.length) return out;
      if (line[pos] !== sep) throw new DataError(file, `line ${lineNumber}: text after a closing quote at column ${pos + 1}`);
      pos++;
    } else {
      const next = line.indexOf(sep, pos);
      if (next < 0) {
        out.push(line.slice(pos));
        return out;
      }
      out.push(line.slice(pos, next));
      pos = next + 1;
    }
  }
}

/** Remove one pair of surrounding quotes and unescape `\'`. */
function unquote(s: string): string {
  const t = s.trim();
  if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t[t.length - 1] === t[0]) return t.slice(1, -1).replace(/\\(['"\\])/g, '$1');
  return t;
}

/** Read a Weka ARFF file as openSMILE writes it (`SMILExtract -arffout`). */
export function readArff(file: string, options: FeatureTableOptions = {}): FeatureTable {
  return parseArff(readText(file), file, options);
}

/** Parse ARFF text; `file` is the name used in errors. Sparse ARFF rows are refused. */
export function parseArff(text: string, file = '<arff>', options: FeatureTableOptions = {}): FeatureTable {
  const lines = text.split(/\r?\n/);
  const attrs: { name: string; type: string }[] = [];
  let sawRelation = false;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('%')) continue;
    const low = line.toLowerCase();
    if (low.startsWith('@relation')) { sawRelation = true; continue; }
    if (low.startsWith('@attribute')) {
      const m = /^@attribute\s+('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|\S+)\s+(.+)$/i.exec(line);
      if (!m) throw new DataError(file, `line ${i + 1}: malformed @attribute line: ${JSON.stringify(line)}`);
      attrs.push({ name: unquote(m[1]), type: m[2].trim() });
      continue;
    }
    if (low.startsWith('@data')) { i++; break; }
    throw new DataError(file, `line ${i + 1}: unexpected line in the ARFF header: ${JSON.stringify(line.slice(0, 80))}`);
  }
  if (!sawRelation) throw new DataError(file, 'not an ARFF file: no @relation line');
  if (attrs.length === 0) throw new DataError(file, 'no @attribute lines');
  const labelCols = new Set(options.labelColumns ?? DEFAULT_LABEL_COLUMNS);
  const numeric = (t: string) => /^(numeric|real|integer)$/i.test(t);
  let nameCol = attrs.findIndex((a) => a.name === 'name' && !numeric(a.type));
  if (nameCol < 0) nameCol = attrs.findIndex((a) => /^string$/i.test(a.type));
  const roles = attrs.map((a, j): Role =>
    j === nameCol ? 'name' : META_COLUMNS.has(a.name) ? 'meta' : !numeric(a.type) || labelCols.has(a.name) ? 'extra' : 'feature');
  const header = attrs.map((a) => a.name);
  const rows: string[][] = [];
  const lineNo: number[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '' || line.startsWith('%')) continue;
    if (line.startsWith('{')) throw new DataError(file, `line ${i + 1}: sparse ARFF rows are not supported`);
    rows.push(splitFields(line, ',', file, i + 1));
    lineNo.push(i + 1);
  }
  const table = buildTable(file, header, roles, rows, lineNo);
  if (nameCol < 0) {
    throw new DataError(file, "no 'name' string attribute: rows cannot be joined to labels (run SMILExtract with -instname)");
  }
  return table;
}
