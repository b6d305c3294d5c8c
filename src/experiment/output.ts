/**
 * Results as files (CSV and JSON in a results folder) and as rows for notebooks (plain objects,
 * or a danfojs DataFrame when danfojs is installed).
 */
import * as path from 'node:path';
import { writeFileAtomic } from './atomic';
import { curves, fitRows, matchedCurves, type Summary } from './summary';
import { pairedTable } from './paired-table';
import type { UnitRecord } from './store';
import { innerRows, outerRecords } from './inner-select';

/** The tables a Summary holds. */
export type TableName = 'units' | 'summary' | 'best' | 'curves';

/** Rows of one table as plain objects (one per row, camelCase columns), ready for any notebook tool. */
export function toRows(summary: Summary, table: TableName = 'summary'): Record<string, string | number>[] {
  const rows = table === 'curves' ? curves(summary.summary) : summary[table];
  if (!rows) throw new Error(`toRows: unknown table ${JSON.stringify(table)}; one of units, summary, best, curves`);
  return rows.map((r) => ({ ...r }) as Record<string, string | number>);
}

import { toCsv } from '../util/csv';

export { toCsv };

/**
 * Write units, summary, best and curves as CSV and JSON into `dir` (default `<store>/results`),
 * plus, when records are given, every test prediction (predictions.csv: one line per test row and
 * unit), every GAN-type fit with the epochs it trained (fits.csv: where ADAN's rule stopped it)
 * and the paired comparisons against real-only and copy (paired.csv, src/experiment/paired-table.ts);
 * with inner units (`select: 'inner'`), inner.csv: each outer fold's inner scores and choice.
 * With records, curves are `matchedCurves` (each line and its 0-sets point on the same folds and
 * repeats, which matters while a grid is partly done). `summary` is `summarize(records)` when both
 * are given (its inner choices are reused); a summary of other units is refused before anything is
 * written. Returns the files written.
 */
export function writeResults(summary: Summary, dir: string, records?: readonly UnitRecord[]): string[] {
  if (records) checkSameUnits(summary, records);
  const files: string[] = [];
  for (const table of ['units', 'summary', 'best', 'curves'] as const) {
    const rows = table === 'curves' && records ? matchedCurves(records).map((r) => ({ ...r }) as unknown as Record<string, string | number>) : toRows(summary, table);
    const csv = path.join(dir, `${table}.csv`);
    const json = path.join(dir, `${table}.json`);
    writeFileAtomic(csv, toCsv(rows));
    writeFileAtomic(json, JSON.stringify(rows, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
    files.push(csv, json);
  }
  if (summary.inner.length > 0) {
    // select: 'inner': every outer fold's inner scores per number of sets and its choice
    const inner = path.join(dir, 'inner.csv');
    writeFileAtomic(inner, toCsv(innerRows(summary.inner)));
    files.push(inner);
  }
  if (records) {
    const paired = path.join(dir, 'paired.csv');
    writeFileAtomic(paired, toCsv(pairedTable(records, { choices: summary.inner }) as unknown as Record<string, unknown>[]) || 'dataset,method,augment,classifier,sets,against,delta,low,high,p,folds,repeats\n');
    files.push(paired);
    const fits = fitRows(records) as unknown as Record<string, unknown>[];
    const fitsCsv = path.join(dir, 'fits.csv');
    writeFileAtomic(fitsCsv, toCsv(fits) || 'dataset,method,augmentOptions,fold,repeat,epochsAsked,epochs,seconds\n');
    files.push(fitsCsv);
    const lines = ['key,fold,method,sets,repeat,classifier,id,yTrue,yPred'];
    for (const r of outerRecords(records)) { // test predictions only; inner units predict training speakers
      const c = r.config;
      const o = r.outcome;
      for (let i = 0; i < o.ids.length; i++) {
        lines.push([r.key, c.fold.index, c.augment.method, c.sets, c.repeat, c.classifier.name, csvCell(o.ids[i]), o.yTrue[i], o.yPred[i]].join(','));
      }
    }
    const file = path.join(dir, 'predictions.csv');
    writeFileAtomic(file, lines.join('\n') + '\n');
    files.push(file);
  }
  return files;
}

/** The tables and the per-unit files must describe the same units: one from a store, the other from another would mix them. */
function checkSameUnits(summary: Summary, records: readonly UnitRecord[]): void {
  const outer = new Set(outerRecords(records).map((r) => r.key));
  const missing = summary.units.filter((u) => !outer.has(u.key)).length;
  if (missing > 0 || summary.units.length !== outer.size) {
    throw new Error(`writeResults: the summary holds ${summary.units.length} outer units and the records ${outer.size}, ${missing} of the summary's not among them; pass summarize(records) with the same records`);
  }
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The part of the danfojs module this helper uses. */
export interface DanfoLike {
  DataFrame: new (data: Record<string, unknown>[]) => unknown;
}

/**
 * A danfojs DataFrame of one table. Pass the danfojs module (`import * as dfd from 'danfojs-node'`)
 * or leave it out to load `danfojs-node` if the user installed it (it needs tfjs-node), else the
 * `danfojs` that adan-lab depends on, by dynamic import.
 *
 * @example
 * const df = await toDataFrame(summarize('results/emodb'), 'best');
 * df.print();
 */
export async function toDataFrame(summary: Summary, table: TableName = 'summary', danfo?: DanfoLike): Promise<unknown> {
  const dfd = danfo ?? (await loadDanfo());
  return new dfd.DataFrame(toRows(summary, table));
}

/** Load danfojs-node or danfojs, with a clear message when neither is installed. */
export async function loadDanfo(): Promise<DanfoLike> {
  const errors: string[] = [];
  for (const name of ['danfojs-node', 'danfojs']) {
    try {
      // A real dynamic import (node16 keeps it), so danfojs loads only for those who call this.
      const mod = (await quietly(() => import(name))) as { DataFrame?: unknown; default?: { DataFrame?: unknown } };
      const dfd = (mod.DataFrame ? mod : mod.default) as DanfoLike | undefined;
      if (dfd && typeof dfd.DataFrame === 'function') return dfd;
      errors.push(`${name}: no DataFrame export`);
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    }
  }
  throw new Error(`toDataFrame: danfojs could not be loaded (npm install danfojs), or pass the module: toDataFrame(summary, 'summary', dfd). Use toRows(summary) for plain objects. (${errors.join('; ')})`);
}

/**
 * danfojs bundles tfjs 3, whose import re-registers every cpu kernel into tfjs' global registry
 * and warns once per kernel (hundreds of lines in a notebook). Our backends (native, wasm) are
 * untouched; only the noise is dropped.
 */
async function quietly<T>(load: () => Promise<T>): Promise<T> {
  const { warn, log } = console;
  console.warn = () => undefined;
  console.log = (...args: unknown[]) => {
    if (!/already (been )?(registered|set)/.test(String(args[0]))) log(...args);
  };
  try {
    return await load();
  } finally {
    console.warn = warn;
    console.log = log;
  }
}
