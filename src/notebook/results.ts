/**
 * A grid's results for a notebook, from wherever they are: the units of a result store (every
 * prediction: paired intervals and confusion matrices possible), or, when no store is here (a
 * fresh clone: `results/` is not in git), the tables committed under `docs/results/` (points
 * and best rows only). The notebook says which it drew.
 *
 * @example
 *   const paper = await gridResults({ spec, store: 'results/emodb', tables: 'docs/results/emodb', label: 'paper protocol' });
 *   console.log(paper.note);
 *   await show(fig6Plot(paper.curves, { references: longTrainedReference(paper) }));
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../data/locate';
import type { ExperimentSpec } from '../experiment/spec';
import type { UnitRecord } from '../experiment/store';
import { summarize, matchedCurves, type BestRow, type SummaryRow } from '../experiment/summary';
import { pairedTable, type PairedRow } from '../experiment/paired-table';
import { runInNotebook } from './experiments';
import { prepareExperiment } from '../experiment/prepare';

/** Parse CSV as written by the runner's `toCsv` (quoted fields, doubled quotes, a header line). */
export function parseCsv(text: string): Record<string, string>[] {
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [head, ...body] = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  if (!head) return [];
  return body.map((r) => Object.fromEntries(head.map((h, k) => [h, r[k] ?? ''])));
}

/** A CSV cell as a number ('' and 'NaN' -> NaN). */
const num = (s: string | undefined): number => (s === undefined || s === '' ? NaN : Number(s));

/** Summary rows from a `summary.csv` / `curves.csv` of `adan-lab results show --out`. */
export function summaryRowsFromCsv(rows: readonly Record<string, string>[]): SummaryRow[] {
  return rows.map((r) => ({
    dataset: r.dataset,
    method: r.method,
    augment: r.augment,
    augmentOptions: r.augmentOptions,
    sets: num(r.sets),
    classifier: r.classifier,
    classifierName: r.classifierName,
    classifierOptions: r.classifierOptions,
    train: r.train,
    repeats: num(r.repeats),
    partialRepeats: num(r.partialRepeats),
    repeatsComplete: r.repeatsComplete === 'true',
    folds: num(r.folds),
    foldIndices: r.foldIndices,
    n: num(r.n),
    wa: num(r.wa),
    waStd: num(r.waStd),
    uar: num(r.uar),
    uarStd: num(r.uarStd),
    waFoldMean: num(r.waFoldMean),
    waFoldStd: num(r.waFoldStd),
    uarFoldMean: num(r.uarFoldMean),
    uarFoldStd: num(r.uarFoldStd),
    seconds: num(r.seconds),
    augmenterSeconds: num(r.augmenterSeconds),
    // tables published before the column existed: one augmenter per fold, none for real rows only
    augmenterSeeds: r.augmenterSeeds !== undefined ? num(r.augmenterSeeds) : r.method === 'none' || num(r.sets) === 0 ? 0 : 1,
  }));
}

/** Best rows from a `best.csv`. */
export function bestRowsFromCsv(rows: readonly Record<string, string>[]): BestRow[] {
  // tables published before inner selection (#21) lack its columns: NaN and '' as a store without inner units gives
  return summaryRowsFromCsv(rows).map((s, i) => ({
    ...s,
    by: rows[i].by === 'wa' ? 'wa' : 'uar',
    baselineWa: num(rows[i].baselineWa),
    baselineUar: num(rows[i].baselineUar),
    uarMeanSets: num(rows[i].uarMeanSets),
    setsInner: rows[i].setsInner ?? '',
    uarInner: num(rows[i].uarInner),
    epochsInner: rows[i].epochsInner ?? '',
  }));
}

/** A paired row's `against`; anything else is a file of another kind (read as 'none', it would pass for a comparison with real rows). */
function againstOf(v: string | undefined): PairedRow['against'] {
  if (v === 'none' || v === 'copy' || v === 'steps') return v;
  throw new Error(`paired.csv: against ${JSON.stringify(v)} is not none, copy or steps`);
}

/** Paired rows from a `paired.csv` (sets may be 'mean' or 'inner'). */
export function pairedRowsFromCsv(rows: readonly Record<string, string>[]): PairedRow[] {
  return rows.map((r) => ({
    dataset: r.dataset,
    method: r.method,
    augment: r.augment,
    classifier: r.classifier,
    sets: r.sets === 'mean' || r.sets === 'inner' ? r.sets : num(r.sets),
    against: againstOf(r.against),
    delta: num(r.delta),
    low: num(r.low),
    high: num(r.high),
    p: num(r.p),
    folds: num(r.folds),
    repeats: num(r.repeats),
  }));
}

/** A grid's results, and where they came from. */
export interface GridResults {
  /** 'store': the units of a result store; 'tables': committed CSV tables (no units). */
  source: 'store' | 'tables';
  /** The folder read, relative to the project root. */
  from: string;
  /** Every point (method × classifier × sets). */
  summary: SummaryRow[];
  /** The best number of sets per method and classifier, with the real-only point on the same folds. */
  best: BestRow[];
  /** Fig. 6's lines, each with its real-only point at 0 sets on the same folds and repeats. */
  curves: SummaryRow[];
  /** Paired differences against real-only, copy and the steps control, or null when neither units nor a paired.csv are here. */
  paired: PairedRow[] | null;
  /** The stored units (every prediction), or null when read from tables. */
  records: UnitRecord[] | null;
  /** Which speakers (folds) the results cover: a grid still running holds only some. */
  coverage: Coverage;
  /** One or two sentences for the notebook: what was read, and what that allows. */
  note: string;
}

/** The folds a grid's results cover. */
export interface Coverage {
  /** Fold numbers holding at least one unit (tables: pooled by at least one row). */
  folds: number[];
  /** Folds of the grid. */
  of: number;
  /** Fold numbers holding every unit of the grid (tables: pooled by every row). */
  complete: number[];
  /** Units read and units of the grid; undefined for tables (they do not list what is missing). */
  units?: number;
  total?: number;
  /** Whether the real-only units (0 sets) are among them: without them no difference to real-only can be drawn. */
  realOnly: boolean;
  /** For figure subtitles and notes, e.g. 'all 10 speakers' or 'partial: 1 of 10 speakers, no real-only units yet'. */
  text: string;
}

/** Fold numbers as '1-3, 5'. */
function foldList(folds: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < folds.length; ) {
    let j = i;
    while (j + 1 < folds.length && folds[j + 1] === folds[j] + 1) j++;
    runs.push(j > i ? `${folds[i]}–${folds[j]}` : `${folds[i]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** The coverage sentence: full grids say so briefly; partial ones say which speakers (or sessions: `groups`) and what is missing. */
function coverageText(c: Omit<Coverage, 'text'>, groups = 'speakers'): string {
  if (c.complete.length === c.of && c.realOnly) return c.of === 1 ? `1 ${groups.replace(/s$/, '')} (fold ${c.folds[0]})` : `all ${c.of} ${groups}`;
  const units = c.units !== undefined && c.total !== undefined ? `${c.units.toLocaleString('en-US')} of ${c.total.toLocaleString('en-US')} units, ` : '';
  const noReal = c.realOnly ? '' : ', no real-only units yet';
  if (c.folds.length === c.of && c.complete.length < c.of) {
    // every speaker is in some row (e.g. a control run on all folds) but not in every row
    const rest = c.folds.filter((f) => !c.complete.includes(f));
    return `partial: ${units}complete for ${c.complete.length} of ${c.of} ${groups}${c.complete.length > 0 ? ` (${foldList(c.complete)})` : ''}; some rows reach ${foldList(rest)}${noReal}`;
  }
  const complete = c.complete.length === c.folds.length ? '' : `, complete for ${c.complete.length === 0 ? 'none' : foldList(c.complete)}`;
  return `partial: ${units}${c.folds.length} of ${c.of} ${groups} (${foldList(c.folds)}${complete})${noReal}`;
}

/** Coverage of stored units, against the units of the grid that are missing. */
export function storeCoverage(records: readonly UnitRecord[], missing: readonly { config: { fold: { index: number } } }[], groups = 'speakers'): Coverage {
  const fold = (u: { config: { fold: { index: number } } }): number => u.config.fold.index;
  const folds = [...new Set(records.map(fold))].sort((a, b) => a - b);
  const lacking = new Set(missing.map(fold));
  const all = new Set([...folds, ...lacking]);
  const c = { folds, of: all.size, complete: folds.filter((f) => !lacking.has(f)), units: records.length, total: records.length + missing.length, realOnly: records.some((r) => r.config.sets === 0) };
  return { ...c, text: coverageText(c, groups) };
}

/** Coverage of committed tables, from the folds each summary row pools; `of` is the grid's number of folds (tables do not say it: by default the folds they hold). */
export function tableCoverage(summary: readonly SummaryRow[], of?: number, groups = 'speakers'): Coverage {
  const sets = summary.map((r) => new Set(r.foldIndices.split(',').filter((x) => x !== '').map(Number)));
  const folds = [...new Set(sets.flatMap((s) => [...s]))].sort((a, b) => a - b);
  const c = { folds, of: Math.max(of ?? 0, folds.length), complete: folds.filter((f) => sets.every((s) => s.has(f))), realOnly: summary.some((r) => r.method === 'none') };
  return { ...c, text: coverageText(c, groups) };
}

/** Options of {@link gridResults}. */
export interface GridResultsOptions {
  /** The grid (its units are looked up in, or computed into, `store`). */
  spec: ExperimentSpec;
  /** The result store. */
  store: string;
  /** Committed tables to fall back on (e.g. docs/results/emodb), or undefined for none. */
  tables?: string;
  /** Compute the units the store lacks (true: quick runs), or only read (false: full grids run elsewhere). Default false. */
  computeMissing?: boolean;
  /** Name in messages, e.g. 'EmoDB grid, paper protocol'. Default 'grid'. */
  label?: string;
  /** The command that fills the store, named when it is missing. */
  fillCommand?: string;
  /** What the folds hold out, plural, in the coverage sentences: 'speakers' (EmoDB, the default) or 'sessions' (IEMOCAP). */
  groups?: string;
}

const rel = (p: string): string => path.relative(projectRoot, path.resolve(p)) || '.';

/** Whether a store folder holds any unit. */
export function storeHasUnits(store: string): boolean {
  const units = path.join(store, 'units');
  return fs.existsSync(units) && fs.readdirSync(units).length > 0;
}

/** Results read from committed tables (`best.csv`, `summary.csv`, `curves.csv`, and `paired.csv` when present). */
export function readResultTables(dir: string, grid?: { folds: number; groups?: string }): Omit<GridResults, 'note'> {
  const read = (f: string): Record<string, string>[] => parseCsv(fs.readFileSync(path.join(dir, f), 'utf8'));
  for (const f of ['best.csv', 'summary.csv', 'curves.csv']) if (!fs.existsSync(path.join(dir, f))) throw new Error(`readResultTables: ${path.join(dir, f)} is missing (made by adan-lab results show STORE --out DIR)`);
  const summary = summaryRowsFromCsv(read('summary.csv'));
  return {
    source: 'tables',
    from: rel(dir),
    summary,
    best: bestRowsFromCsv(read('best.csv')),
    curves: summaryRowsFromCsv(read('curves.csv')),
    paired: fs.existsSync(path.join(dir, 'paired.csv')) ? pairedRowsFromCsv(read('paired.csv')) : null,
    records: null,
    coverage: tableCoverage(summary, grid?.folds, grid?.groups),
  };
}

/** As {@link readResultTables}, but null when `dir` holds no best.csv (tables not published there). */
export function optionalResultTables(dir: string, grid?: { folds: number }): Omit<GridResults, 'note'> | null {
  return fs.existsSync(path.join(dir, 'best.csv')) ? readResultTables(dir, grid) : null;
}

/**
 * The grid's results: from `store` when it holds units (or `computeMissing` computes them), else
 * from the committed `tables`. Prints what it read; throws when neither is here.
 */
export async function gridResults(options: GridResultsOptions): Promise<GridResults> {
  const r = await optionalGridResults(options);
  if (!r) throw new Error(`${options.label ?? 'grid'}: no results to draw: no store at ${rel(options.store)}${options.tables ? ` and no tables in ${rel(options.tables)}` : ''}${options.fillCommand ? `; \`${options.fillCommand}\` computes them` : ''}`);
  return r;
}

/** As {@link gridResults}, but null (with a line saying "not computed yet") when neither a store nor tables are here. */
export async function optionalGridResults(options: GridResultsOptions): Promise<GridResults | null> {
  const label = options.label ?? 'grid';
  if (options.computeMissing || storeHasUnits(options.store)) {
    const { run, summary } = await runInNotebook(options.spec, { storeDir: options.store, label, computeMissing: options.computeMissing ?? false, fillCommand: options.fillCommand });
    const records = [...run.records];
    // a run that computed what was missing holds every unit; a read-only one lists what it lacks
    const coverage = storeCoverage(records, 'missing' in run ? run.missing : [], options.groups);
    const result: GridResults = {
      source: 'store',
      from: rel(options.store),
      summary: summary.summary,
      best: summary.best,
      curves: matchedCurves(records),
      paired: pairedTable(records, { choices: summary.inner }),
      records,
      coverage,
      note: `${label}: ${records.length} of ${run.total} units from the store ${rel(options.store)}${coverage.text.startsWith('partial') ? ` (${coverage.text}: each line pools the folds and repeats it has)` : ''}; paired intervals and confusion matrices come from its units.`,
    };
    console.log(result.note);
    return result;
  }
  if (options.tables && fs.existsSync(path.join(options.tables, 'best.csv'))) {
    // the grid's folds, so that tables of a grid still running say "2 of 10 speakers"
    const plan = await prepareExperiment(options.spec).catch(() => null);
    const t = readResultTables(options.tables, plan ? { folds: plan.folds.length, groups: options.groups } : { folds: 0, groups: options.groups });
    const note =
      `${label}: no store at ${rel(options.store)} (results/ is not in git), so these are the committed tables in ${t.from} (${t.coverage.text}). ` +
      (t.paired ? 'They include paired.csv; ' : 'They hold no per-fold units, so no paired intervals; ') +
      `confusion matrices need the store's predictions${options.fillCommand ? ` (\`${options.fillCommand}\` fills it)` : ''}.`;
    console.log(note);
    return { ...t, note };
  }
  console.log(`${label}: not computed yet (no store at ${rel(options.store)}${options.tables ? `, no tables in ${rel(options.tables)}` : ''})${options.fillCommand ? `: \`${options.fillCommand}\` computes it` : ''}.`);
  return null;
}

/** A reference line drawn across Fig. 6's panels of one classifier (e.g. the longer-trained DNN). */
export interface ReferenceLine {
  classifier: string;
  /** UAR as a fraction. */
  uar: number;
  label: string;
}

/**
 * The paper-protocol DNN trained on the real rows alone for 550 epochs instead of 50 (as many
 * updates as 10 augmented sets give): WA 80.56 / UAR 79.18 over 10 speakers × 3 repeats
 * (REPRODUCTION.md; `node bin/adan-lab.js eval --data emodb-is11 --classifier dnn
 * --classifier-options '{"epochs":550}' --repeats 3 --json`). Its epochs were scored on the test
 * speakers: it shows the effect of training length, not a tuned baseline.
 */
export const LONG_TRAINED_DNN_EMODB: ReferenceLine & { wa: number; epochs: number } = { classifier: 'dnn', epochs: 550, wa: 0.8056, uar: 0.7918, label: 'DNN, real rows, 550 epochs' };

/** Predictions of every unit of one configuration (augmenter label, classifier label, sets; real rows only: 'none', 0), pooled over folds and repeats. */
export function pooledPredictions(records: readonly UnitRecord[], which: { augment: string; classifier: string; sets: number }): { yTrue: number[]; yPred: number[]; classes: string[]; units: number } {
  const yTrue: number[] = [];
  const yPred: number[] = [];
  let classes: string[] = [];
  let units = 0;
  for (const r of records) {
    const o = r.outcome;
    if (o.classifierLabel !== which.classifier || r.config.sets !== which.sets || o.augmentLabel !== which.augment) continue;
    yTrue.push(...o.yTrue);
    yPred.push(...o.yPred);
    classes = o.classes;
    units++;
  }
  return { yTrue, yPred, classes, units };
}
