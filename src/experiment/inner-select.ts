/**
 * The choices of `select: 'inner'` from stored units (inner.ts makes the inner folds, plan.ts
 * their units): for every line (method + options, classifier, train) and outer fold, the number
 * of sets with the best inner score, and the outer test UAR read at each fold's choice. Where
 * the units kept stages (the DNN's `stages`: predictions after fewer epochs), a candidate is a
 * number of sets and a number of epochs, and both are chosen together.
 *
 * Only inner units (those with `config.inner`) enter a choice, and an inner unit's test rows are
 * rows of the outer fold's training speakers: no outer test row can move a choice. The outer
 * units are read only after every fold has chosen, to score the choices.
 */
import { uar } from '../eval/metrics';
import { optionsText } from './spec';
import type { UnitRecord } from './store';
import type { InnerRows } from './inner';

/** One line's choice on one outer fold. */
export interface InnerChoice {
  dataset: string;
  method: string;
  /** Table labels of the augmenter and classifier entries. */
  augment: string;
  augmentOptions: string;
  classifier: string;
  classifierOptions: string;
  train: string;
  /** The outer fold and its held-out group. */
  fold: number;
  group: string;
  /**
   * Every number of sets (and, with stages, of epochs) the inner units cover, with its inner
   * score: UAR pooled over the inner folds, mean over the repeats that have all of them.
   */
  scores: { sets: number; epochs?: number; uar: number; repeats: number }[];
  /** The chosen number of sets: the highest inner score, ties to fewer sets (then fewer epochs). */
  sets: number;
  /** With stages: the chosen number of epochs. */
  epochs?: number;
  /** Where the inner units' synthetic rows came from (inner.ts). */
  rows: InnerRows;
}

/** The inner columns of a line in best.csv. */
export interface InnerColumns {
  /** Each outer fold's choice, `fold:sets` separated by spaces, e.g. `1:3 2:10 3:1` (CSV-safe). */
  setsInner: string;
  /**
   * UAR of the outer test predictions at each fold's inner choice, pooled over those folds, mean
   * over the repeats that have every one of them; NaN when no repeat does.
   */
  uarInner: number;
  /** With stages: each outer fold's chosen number of epochs, `fold:epochs` separated by spaces; '' without. */
  epochsInner: string;
}

/** Is this an inner unit (scored on an inner fold, not on an outer test fold)? */
export function isInner(r: UnitRecord): boolean {
  return r.config.inner !== undefined;
}

/** The outer units of a list of records: what every table but the inner choices is made of. */
export function outerRecords(records: readonly UnitRecord[]): UnitRecord[] {
  return records.some(isInner) ? records.filter((r) => !isInner(r)) : [...records];
}

/** The fields that name a line of the tables (as a best row has them). */
export interface LineFields {
  dataset: string;
  augment: string;
  augmentOptions: string;
  method: string;
  classifier: string;
  classifierOptions: string;
  train: string;
}

/** One string per line: the same for a best row and for the records of its line. */
export function lineKey(l: LineFields): string {
  return [l.dataset, l.augment, l.augmentOptions, l.method, l.classifier, l.classifierOptions, l.train].join('\u0000');
}

/** The line a unit belongs to. */
export function lineOf(r: UnitRecord): LineFields {
  const c = r.config;
  return {
    dataset: c.data.name,
    augment: r.outcome.augmentLabel,
    augmentOptions: optionsText(c.augment.options),
    method: c.augment.method,
    classifier: r.outcome.classifierLabel,
    classifierOptions: optionsText(c.classifier.options),
    train: c.train,
  };
}

/**
 * Every outer fold's choice, per line. A fold chooses only when every number of sets its line
 * has inner units for (on any fold) has all its inner folds in at least one repeat; while the
 * inner grid is partly done, folds without a choice are left out.
 */
export function innerChoices(records: readonly UnitRecord[]): InnerChoice[] {
  // line -> fold -> sets -> repeat -> inner fold -> record
  const lines = new Map<string, { fields: LineFields; rows: InnerRows; candidates: Map<string, Candidate>; folds: Map<number, { group: string; at: Map<number, Map<number, UnitRecord[]>> }> }>();
  for (const r of records) {
    if (!isInner(r)) continue; // the choice never looks at an outer (test-fold) unit
    const fields = lineOf(r);
    const rows = r.config.inner!.rows;
    const id = `${lineKey(fields)}\u0002${rows}`; // shared and refit inner units (one store may hold both) choose apart
    const line = lines.get(id) ?? { fields, rows, candidates: new Map(), folds: new Map() };
    lines.set(id, line);
    for (const epochs of epochsOf(r)) line.candidates.set(`${r.config.sets}:${epochs ?? ''}`, { sets: r.config.sets, epochs });
    const fold = line.folds.get(r.config.fold.index) ?? { group: r.config.fold.group, at: new Map() };
    line.folds.set(r.config.fold.index, fold);
    const bySets = fold.at.get(r.config.sets) ?? new Map<number, UnitRecord[]>();
    fold.at.set(r.config.sets, bySets);
    bySets.set(r.config.repeat, [...(bySets.get(r.config.repeat) ?? []), r]);
  }
  const out: InnerChoice[] = [];
  for (const { fields, rows, candidates, folds } of lines.values()) {
    // fewer sets first, then fewer epochs: an equal score never replaces an earlier candidate
    const order = [...candidates.values()].sort((a, b) => a.sets - b.sets || (a.epochs ?? 0) - (b.epochs ?? 0));
    for (const [fold, { group, at }] of [...folds].sort((a, b) => a[0] - b[0])) {
      const scores = order.map((c) => ({ ...c, ...innerScore(at.get(c.sets), c.epochs) }));
      if (scores.some((s) => s.repeats === 0)) continue;
      const best = scores.reduce((a, b) => (b.uar > a.uar ? b : a));
      out.push({ ...fields, fold, group, scores: scores.map(({ epochs, ...s }) => (epochs === undefined ? s : { ...s, epochs })), sets: best.sets, ...(best.epochs !== undefined ? { epochs: best.epochs } : {}), rows });
    }
  }
  return out;
}

/** A candidate of a choice: a number of sets and, where the units kept stages, of epochs. */
interface Candidate {
  sets: number;
  epochs: number | undefined;
}

/** The epochs a unit can be read at: its stages' and its final network's, or [undefined] without stages. */
function epochsOf(r: UnitRecord): (number | undefined)[] {
  const o = r.outcome;
  return o.stages && o.epochs !== undefined ? [...o.stages.map((s) => s.epochs), o.epochs] : [undefined];
}

/** A unit's test predictions after `epochs` (undefined: its final ones); undefined when it did not keep them. */
function predictionsAt(r: UnitRecord, epochs: number | undefined): number[] | undefined {
  const o = r.outcome;
  if (epochs === undefined || o.epochs === epochs) return o.yPred;
  return o.stages?.find((s) => s.epochs === epochs)?.yPred;
}

/** One outer unit's test UAR after `epochs` (undefined: its final network); undefined when it did not keep those. */
export function uarAt(r: UnitRecord, epochs: number | undefined): number | undefined {
  const o = r.outcome;
  if (epochs === undefined || o.epochs === epochs) return o.uar;
  const p = predictionsAt(r, epochs);
  return p && uar(o.yTrue, p, o.classes.length);
}

/**
 * The choices that report each line (by {@link lineKey}), in fold order: a line with both kinds
 * of inner units is reported by its refit ones (no inner test row reached their augmenter).
 */
export function reportedChoices(choices: readonly InnerChoice[]): Map<string, InnerChoice[]> {
  const refitLines = new Set(choices.filter((c) => c.rows === 'refit').map(lineKey));
  const byLine = new Map<string, InnerChoice[]>();
  for (const c of choices) if (c.rows === 'refit' || !refitLines.has(lineKey(c))) byLine.set(lineKey(c), [...(byLine.get(lineKey(c)) ?? []), c]);
  return byLine;
}

/** The outer units of a list of records, found by line ({@link lineKey}), fold, number of sets and repeat. */
export interface OuterIndex {
  unit(line: string, fold: number, sets: number, repeat: number): UnitRecord | undefined;
  /** Each line's outer units, in record order. */
  lines: Map<string, UnitRecord[]>;
}

/** Index the outer units of `records` (inner units are left out) for reading a line at a fold's choice. */
export function outerIndex(records: readonly UnitRecord[]): OuterIndex {
  const units = new Map<string, UnitRecord>();
  const lines = new Map<string, UnitRecord[]>();
  const at = (line: string, fold: number, sets: number, repeat: number): string => `${line}\u0001${fold}\u0001${sets}\u0001${repeat}`;
  for (const r of records) {
    if (isInner(r)) continue;
    const line = lineKey(lineOf(r));
    units.set(at(line, r.config.fold.index, r.config.sets, r.config.repeat), r);
    const of = lines.get(line);
    if (of) of.push(r);
    else lines.set(line, [r]);
  }
  return { unit: (line, fold, sets, repeat) => units.get(at(line, fold, sets, repeat)), lines };
}

/** UAR pooled over the inner folds of each repeat that has all of them (at `epochs`), mean over those repeats. */
function innerScore(byRepeat: Map<number, UnitRecord[]> | undefined, epochs: number | undefined): { uar: number; repeats: number } {
  const per: number[] = [];
  for (const units of byRepeat?.values() ?? []) {
    const count = units[0].config.inner!.count;
    if (new Set(units.map((u) => u.config.inner!.index)).size < count) continue;
    const v = pooledUar(units, epochs);
    if (v !== undefined) per.push(v);
  }
  return { uar: per.length ? per.reduce((s, v) => s + v, 0) / per.length : NaN, repeats: per.length };
}

/** UAR of `units`' predictions at `epochs`, pooled; undefined when one of them did not keep those. */
function pooledUar(units: readonly UnitRecord[], epochs?: number): number | undefined {
  const preds = units.map((u) => predictionsAt(u, epochs));
  if (preds.some((p) => p === undefined)) return undefined;
  const yTrue = units.flatMap((u) => u.outcome.yTrue);
  return uar(yTrue, (preds as number[][]).flat(), units[0].outcome.classes.length);
}

/**
 * best.csv's inner columns of every line with choices: the choices, and the outer test UAR at
 * them (pooled over the folds that chose, mean over the repeats whose outer units cover all).
 */
export function innerColumns(records: readonly UnitRecord[], choices: readonly InnerChoice[] = innerChoices(records)): Map<string, InnerColumns> {
  const outer = outerIndex(records);
  const byLine = reportedChoices(choices);
  const out = new Map<string, InnerColumns>();
  for (const [line, cs] of byLine) {
    const per: number[] = [];
    for (const repeat of [...new Set((outer.lines.get(line) ?? []).map((r) => r.config.repeat))].sort((a, b) => a - b)) {
      const units = cs.map((c) => outer.unit(line, c.fold, c.sets, repeat));
      if (units.some((u) => u === undefined)) continue;
      // each fold's outer unit read at that fold's chosen epochs
      const yTrue = units.flatMap((u) => u!.outcome.yTrue);
      const yPred = cs.map((c, i) => predictionsAt(units[i]!, c.epochs));
      if (yPred.every((p) => p !== undefined)) per.push(uar(yTrue, (yPred as number[][]).flat(), units[0]!.outcome.classes.length));
    }
    out.set(line, {
      setsInner: cs.map((c) => `${c.fold}:${c.sets}`).join(' '),
      uarInner: per.length ? per.reduce((s, v) => s + v, 0) / per.length : NaN,
      epochsInner: cs.some((c) => c.epochs !== undefined) ? cs.map((c) => `${c.fold}:${c.epochs ?? ''}`).join(' ') : '',
    });
  }
  return out;
}

/** inner.csv: one row per line, outer fold and candidate (number of sets; with stages, of epochs), with its inner score and whether it was chosen. */
export function innerRows(choices: readonly InnerChoice[]): Record<string, string | number | boolean>[] {
  return choices.flatMap((c) =>
    c.scores.map((s) => ({
      dataset: c.dataset, method: c.method, augment: c.augment, augmentOptions: c.augmentOptions, classifier: c.classifier, classifierOptions: c.classifierOptions, train: c.train,
      fold: c.fold, group: c.group, innerRows: c.rows, sets: s.sets, epochs: s.epochs ?? '', uarInnerFolds: s.uar, repeats: s.repeats, chosen: s.sets === c.sets && s.epochs === c.epochs,
    })),
  );
}
