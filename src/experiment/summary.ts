/**
 * From stored units to the paper's numbers: per unit (one fold), per point of the grid (method,
 * number of sets, classifier: pooled over folds the authors' way, fold mean and std, mean and
 * std over repeats) and the best number of sets per method (how Tables I and II were made).
 * All metrics are fractions in [0, 1]; tables print percent.
 */
import { meanStd, median, summarizeFolds } from '../eval/metrics';
import { canonicalJson } from './hash';
import { PAPER_EPOCHS, TRAINED_METHODS } from '../protocol/paper';
import { compactOptions, optionsText } from './spec';
import { innerChoices, innerColumns, lineKey, outerRecords, type InnerChoice } from './inner-select';
import { ResultStore, type UnitRecord } from './store';
import { formatRanges } from './format-ranges';

/** One unit: one fold's test predictions. */
export interface UnitRow {
  key: string;
  dataset: string;
  fold: number;
  /** The held-out speaker or session. */
  group: string;
  method: string;
  /** Table label of the augmenter entry. */
  augment: string;
  augmentOptions: string;
  sets: number;
  repeat: number;
  /** Table label of the classifier entry. */
  classifier: string;
  classifierName: string;
  classifierOptions: string;
  train: string;
  normalize: string;
  seed: number;
  /** Test rows. */
  n: number;
  wa: number;
  uar: number;
  trainReal: number;
  trainSynthetic: number;
  seconds: number;
  augmenterSeconds: number;
}

/** One point of the grid: a method, a number of sets and a classifier, over folds and repeats. */
export interface SummaryRow {
  dataset: string;
  method: string;
  augment: string;
  augmentOptions: string;
  sets: number;
  classifier: string;
  classifierName: string;
  classifierOptions: string;
  train: string;
  /** Repeats summarised: those with every fold; when no repeat has every fold yet, all of them (see `repeatsComplete`). */
  repeats: number;
  /** Repeats some of whose folds are not finished (left out unless no repeat is complete). */
  partialRepeats: number;
  /** False when no repeat has every fold yet and the summary pools partial repeats. */
  repeatsComplete: boolean;
  /** Folds per repeat. */
  folds: number;
  /** Which folds, e.g. `1,2,3` (a partly finished grid has points on different folds). */
  foldIndices: string;
  /** Test rows per repeat (all folds). */
  n: number;
  /** WA and UAR of all folds' predictions pooled (the authors' way): mean over repeats, and std (ddof 0) over repeats. */
  wa: number;
  waStd: number;
  uar: number;
  uarStd: number;
  /** Mean over folds, and std over folds (ddof 0), each averaged over repeats. */
  waFoldMean: number;
  waFoldStd: number;
  uarFoldMean: number;
  uarFoldStd: number;
  /** Classifier seconds summed over the units, and augmenter seconds spent by the runs that fitted them. */
  seconds: number;
  augmenterSeconds: number;
  /**
   * Augmenters behind each fold's points: 1 (one per fold, shared by the repeats), the number of
   * repeats (`augmenterPerRepeat`: the ± over repeats then includes which augmenter was trained),
   * 0 for real rows only.
   */
  augmenterSeeds: number;
}

/** The best number of sets of one method and classifier, next to the real-only baseline. */
export interface BestRow extends SummaryRow {
  /** The metric the best point was chosen by. */
  by: 'uar' | 'wa';
  /**
   * The real-only point (method none, 0 sets) of the same classifier on the same folds as this
   * row (pooled over those folds, mean over repeats); NaN when those units are not in the results.
   */
  baselineWa: number;
  baselineUar: number;
  /**
   * Mean UAR over the line's points with sets >= 1 on the same folds as the best point (the
   * real-only line: its one point): the figure chosen on nothing, beside the one chosen on test.
   */
  uarMeanSets: number;
  /**
   * With `select: 'inner'` (inner-select.ts): each outer fold's number of sets chosen by inner
   * folds on its training speakers, `fold:sets` separated by spaces; '' without inner units.
   */
  setsInner: string;
  /** UAR of the outer test predictions at those choices, pooled over folds, mean over repeats; NaN without inner units. */
  uarInner: number;
  /** With stages (the DNN's `stages`): each outer fold's number of epochs, chosen with its sets, `fold:epochs`; '' without. */
  epochsInner: string;
}

export interface Summary {
  /** Outer units only (inner units are scored on training speakers: they are in `inner`). */
  units: UnitRow[];
  summary: SummaryRow[];
  best: BestRow[];
  /** `select: 'inner'`: every outer fold's choice per line with its inner scores (empty without inner units). */
  inner: InnerChoice[];
}

export interface SummarizeOptions {
  /** Metric that picks the best number of sets (Tables I, II were read at the UAR peaks of Fig. 6, 7). Default 'uar'. */
  by?: 'uar' | 'wa';
  /** Keep only units whose key is in this set (e.g. the units of one spec in a shared store). */
  keys?: ReadonlySet<string>;
}

/**
 * Summarise stored units: a store folder, a ResultStore, a run's result, or records.
 *
 * @example
 * const s = summarize('results/emodb');
 * s.best.map((b) => [b.augment, b.classifier, b.sets, b.uar]);
 */
export function summarize(input: string | ResultStore | { records: readonly UnitRecord[] } | readonly UnitRecord[], options: SummarizeOptions = {}): Summary {
  const by = options.by ?? 'uar';
  if (by !== 'uar' && by !== 'wa') throw new Error(`summarize: by must be 'uar' or 'wa', got ${JSON.stringify(by)}`);
  let records: readonly UnitRecord[] =
    typeof input === 'string' ? new ResultStore(input).all() : input instanceof ResultStore ? input.all() : Array.isArray(input) ? (input as readonly UnitRecord[]) : (input as { records: readonly UnitRecord[] }).records;
  if (options.keys) records = records.filter((r) => options.keys!.has(r.key));
  const withInner = records;
  records = outerRecords(records); // inner units only choose (below); every table is of outer units
  const units = records.map(unitRow).sort(unitOrder);
  const cells = new Map<string, { rows: UnitRow[]; records: UnitRecord[] }>();
  for (const r of records) {
    const c = r.config;
    const id = canonicalJson({ data: c.data, normalize: c.normalize, train: c.train, augment: c.augment, sets: c.sets, classifier: c.classifier, seed: c.seed, v: c.v });
    let cell = cells.get(id);
    if (!cell) cells.set(id, (cell = { rows: [], records: [] }));
    cell.rows.push(unitRow(r));
    cell.records.push(r);
  }
  const recordsOf = new Map<SummaryRow, UnitRecord[]>();
  for (const cell of cells.values()) recordsOf.set(summarizeCell(cell.records), cell.records);
  const summary = [...recordsOf.keys()].sort(summaryOrder);
  const inner = innerChoices(withInner);
  const columns = innerColumns(withInner, inner);
  const best = bestSets(summary, by, recordsOf).map((b) => ({ ...b, ...columns.get(lineKey(b)) }));
  return { units, summary, best, inner };
}

function unitRow(r: UnitRecord): UnitRow {
  const c = r.config;
  const o = r.outcome;
  return {
    key: r.key,
    dataset: c.data.name,
    fold: c.fold.index,
    group: c.fold.group,
    method: c.augment.method,
    augment: o.augmentLabel,
    augmentOptions: optionsText(c.augment.options),
    sets: c.sets,
    repeat: c.repeat,
    classifier: o.classifierLabel,
    classifierName: c.classifier.name,
    classifierOptions: optionsText(c.classifier.options),
    train: c.train,
    normalize: c.normalize,
    seed: c.seed,
    n: o.yTrue.length,
    wa: o.wa,
    uar: o.uar,
    trainReal: o.trainReal,
    trainSynthetic: o.trainSynthetic,
    seconds: o.seconds,
    augmenterSeconds: o.augmenterSeconds,
  };
}

function summarizeCell(records: UnitRecord[]): SummaryRow {
  const first = unitRow(records[0]);
  const k = records[0].outcome.classes.length;
  const byRepeat = new Map<number, UnitRecord[]>();
  for (const r of records) {
    const list = byRepeat.get(r.config.repeat) ?? [];
    list.push(r);
    byRepeat.set(r.config.repeat, list);
  }
  const allFolds = new Set(records.map((r) => r.config.fold.index));
  let repeats = [...byRepeat.entries()].filter(([, rs]) => rs.length === allFolds.size);
  const partialRepeats = byRepeat.size - repeats.length;
  if (repeats.length === 0) repeats = [...byRepeat.entries()];
  const per = repeats.map(([, rs]) =>
    summarizeFolds(
      [...rs].sort((a, b) => a.config.fold.index - b.config.fold.index).map((r) => ({ fold: String(r.config.fold.index), yTrue: r.outcome.yTrue, yPred: r.outcome.yPred })),
      k,
    ),
  );
  const m = (f: (s: (typeof per)[number]) => number): { mean: number; std: number } => meanStd(per.map(f));
  const w = m((s) => s.wa);
  const u = m((s) => s.uar);
  return {
    dataset: first.dataset,
    method: first.method,
    augment: first.augment,
    augmentOptions: first.augmentOptions,
    sets: first.sets,
    classifier: first.classifier,
    classifierName: first.classifierName,
    classifierOptions: first.classifierOptions,
    train: first.train,
    repeats: repeats.length,
    partialRepeats,
    repeatsComplete: partialRepeats < byRepeat.size,
    folds: allFolds.size,
    foldIndices: [...allFolds].sort((a, b) => a - b).join(','),
    n: Math.round(repeats.reduce((s, [, rs]) => s + rs.reduce((t, r) => t + r.outcome.yTrue.length, 0), 0) / repeats.length),
    wa: w.mean,
    waStd: w.std,
    uar: u.mean,
    uarStd: u.std,
    waFoldMean: m((s) => s.waFoldMean).mean,
    waFoldStd: m((s) => s.waFoldStd).mean,
    uarFoldMean: m((s) => s.uarFoldMean).mean,
    uarFoldStd: m((s) => s.uarFoldStd).mean,
    seconds: records.reduce((s, r) => s + r.outcome.seconds, 0),
    augmenterSeconds: records.reduce((s, r) => s + r.outcome.augmenterSeconds, 0),
    augmenterSeeds: first.sets === 0 || first.method === 'none' ? 0 : records[0].config.augment.perRepeat ? repeats.length : 1,
  };
}

/**
 * The best point of every (method + options, classifier): among the line's sets >= 1 for augmenters (the
 * real-only point is its own row, method `none`), highest `by`, ties to fewer sets. This picks
 * on the test folds, as the paper's tables did: an optimistic figure, not a tuned setting.
 * While a grid is partly done, only the points on the most common set of folds among those
 * with the most folds compete (a point finished on one lucky speaker does not win over points
 * pooled on three), and the baseline is the real-only point on the same folds: recomputed from
 * the real-only cell's own units when `recordsOf` (each summary row's units, as `summarize`
 * passes) is given, else the real-only row when its folds match.
 */
export function bestSets(summary: readonly SummaryRow[], by: 'uar' | 'wa' = 'uar', recordsOf?: ReadonlyMap<SummaryRow, readonly UnitRecord[]>): BestRow[] {
  const lines = new Map<string, SummaryRow[]>();
  for (const r of summary) {
    const id = [r.dataset, r.augment, r.augmentOptions, r.method, r.classifier, r.classifierOptions, r.train].join('\u0000');
    lines.set(id, [...(lines.get(id) ?? []), r]);
  }
  const out: BestRow[] = [];
  for (const rows of lines.values()) {
    const points = comparable(rows);
    const best = points.reduce((a, b) => (b[by] > a[by] || (b[by] === a[by] && b.sets < a.sets) ? b : a));
    const base = matchedBaseline(best, summary, recordsOf);
    const augmented = points.some((r) => r.sets > 0) ? points.filter((r) => r.sets > 0) : points;
    const uarMeanSets = augmented.reduce((s, r) => s + r.uar, 0) / augmented.length;
    out.push({ ...best, by, baselineWa: base?.wa ?? NaN, baselineUar: base?.uar ?? NaN, uarMeanSets, setsInner: '', uarInner: NaN, epochsInner: '' });
  }
  return out.sort(summaryOrder);
}

/** The rows of one line that share the most common fold set among those with the most folds. */
function comparable(rows: readonly SummaryRow[]): SummaryRow[] {
  const most = Math.max(...rows.map((r) => r.folds));
  const bySet = new Map<string, SummaryRow[]>();
  for (const r of rows.filter((x) => x.folds === most)) bySet.set(r.foldIndices, [...(bySet.get(r.foldIndices) ?? []), r]);
  return [...bySet.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))[0][1];
}

/** The real-only point of `row`'s classifier on exactly `row`'s folds. */
function matchedBaseline(row: SummaryRow, summary: readonly SummaryRow[], recordsOf?: ReadonlyMap<SummaryRow, readonly UnitRecord[]>): { wa: number; uar: number } | undefined {
  const base = summary.find((r) => r.method === 'none' && r.dataset === row.dataset && r.classifier === row.classifier && r.classifierOptions === row.classifierOptions);
  if (!base) return undefined;
  if (base.foldIndices === row.foldIndices) return base;
  const baseRecords = recordsOf?.get(base);
  if (!baseRecords) return undefined;
  const folds = new Set(row.foldIndices.split(',').map(Number));
  const mine = baseRecords.filter((r) => folds.has(r.config.fold.index));
  const covered = new Set(mine.map((r) => r.config.fold.index));
  return covered.size === folds.size ? summarizeCell(mine) : undefined;
}

/** The compute a set of stored units cost, as recorded when each was computed. */
export interface ComputeTime {
  units: number;
  /** Classifier fit + predict seconds, summed. */
  classifierSeconds: number;
  /** GAN-type augmenter fits recorded (a fit's seconds are stored with the first unit that used it). */
  fits: number;
  /** Seconds of every augmenter fit (the training-free ones take a fraction of a second). */
  augmenterSeconds: number;
  /**
   * GAN-type fits per method (with its options and dataset when a store holds several) and their
   * median seconds: what one fit takes here, robust to the odd fit whose process was paused or
   * shared its cores with other work.
   */
  fitsByMethod: { method: string; fits: number; medianSeconds: number }[];
  /**
   * Classifier and augmenter seconds with every GAN-type fit counted at its kind's median: the
   * total without the odd paused or crowded fit, what one more run of these units would take.
   */
  secondsAtMedianFits: number;
  /** ISO times of the first and last unit finished. */
  firstFinished: string;
  lastFinished: string;
}

/**
 * Sum the recorded seconds of stored units: about the wall-clock of computing them in one
 * process, however many runs, shards and resumptions it took (drawing the synthetic sets and
 * loading data are not counted). Each unit's seconds are wall-clock: a process that was paused
 * (e.g. `kill -STOP`) counts its pause.
 */
export function computeTime(records: readonly UnitRecord[]): ComputeTime {
  const times = records.map((r) => r.outcome.finishedAt).sort();
  const fits = records.filter((r) => r.outcome.augmenterSeconds > 0 && TRAINED_METHODS.includes(r.config.augment.method));
  // one median per kind of fit: a 400-epoch and a 1,500-epoch WADAN are not the same work
  const kind = (r: UnitRecord): string => canonicalJson({ m: r.config.augment.method, o: r.config.augment.options, d: r.config.data.name });
  const kinds = new Map<string, { record: UnitRecord; seconds: number[] }>();
  for (const r of fits) {
    const k = kinds.get(kind(r)) ?? { record: r, seconds: [] };
    k.seconds.push(r.outcome.augmenterSeconds);
    kinds.set(kind(r), k);
  }
  const methodsSeen = new Map<string, number>();
  for (const k of kinds.values()) methodsSeen.set(k.record.config.augment.method, (methodsSeen.get(k.record.config.augment.method) ?? 0) + 1);
  const label = (r: UnitRecord): string => {
    if (methodsSeen.get(r.config.augment.method) === 1) return r.config.augment.method;
    const o = compactOptions(r.config.augment.options);
    return `${r.config.augment.method} (${[o, r.config.data.name].filter((x) => x).join(', ')})`;
  };
  const classifierSeconds = records.reduce((s, r) => s + r.outcome.seconds, 0);
  const augmenterSeconds = records.reduce((s, r) => s + r.outcome.augmenterSeconds, 0);
  const fitSeconds = fits.reduce((s, r) => s + r.outcome.augmenterSeconds, 0);
  const fitsAtMedian = [...kinds.values()].reduce((s, k) => s + k.seconds.length * median(k.seconds), 0);
  return {
    units: records.length,
    classifierSeconds,
    fits: fits.length,
    augmenterSeconds,
    fitsByMethod: [...kinds.values()]
      .sort((a, b) => TRAINED_METHODS.indexOf(a.record.config.augment.method) - TRAINED_METHODS.indexOf(b.record.config.augment.method) || kind(a.record).localeCompare(kind(b.record)))
      .map((k) => ({ method: label(k.record), fits: k.seconds.length, medianSeconds: median(k.seconds) })),
    secondsAtMedianFits: classifierSeconds + augmenterSeconds - fitSeconds + fitsAtMedian,
    firstFinished: times[0] ?? '',
    lastFinished: times[times.length - 1] ?? '',
  };
}

/** For the CLI: units, classifier and augmenter hours, the span of finish times; then the median fit per method and the total at those medians. */
export function formatComputeTime(t: ComputeTime): string {
  const h = (sec: number): string => `${(sec / 3600).toFixed(2)} h`;
  if (t.units === 0) return 'compute recorded: no units';
  const line = `compute recorded: ${t.units} units, classifiers ${h(t.classifierSeconds)}, augmenters ${h(t.augmenterSeconds)} (${t.fits} GAN-type fit(s)), ${h(t.classifierSeconds + t.augmenterSeconds)} in all (units finished ${t.firstFinished.slice(0, 16)} to ${t.lastFinished.slice(0, 16)} UTC)`;
  if (t.fitsByMethod.length === 0) return line;
  return `${line}\nGAN-type fits: ${t.fitsByMethod.map((f) => `${f.method} ${f.fits} x median ${Math.round(f.medianSeconds)} s`).join(', ')}; ${h(t.secondsAtMedianFits)} in all with each fit at its median`;
}

/** One augmenter fit of a store: what it was asked to train and what it trained. */
export interface FitRow {
  dataset: string;
  method: string;
  augmentOptions: string;
  fold: number;
  /** The repeat it served, or 0 when all repeats share it. */
  repeat: number;
  /** Epochs asked for (the options' `epochs`, else the paper's). */
  epochsAsked: number;
  /** Epochs trained: fewer than asked when it stopped early (ADAN's rule). */
  epochs: number;
  seconds: number;
}

/**
 * Every GAN-type fit whose unit recorded its epochs, in dataset, method, fold order: which fits
 * stopped early, and when (e.g. the epoch at which ADAN's early-stop rule ended each fold's fit).
 */
export function fitRows(records: readonly UnitRecord[]): FitRow[] {
  // a shared inner unit may report its outer augmenter's fit (the first unit after it); a refit
  // inner unit's fit is an inner augmenter's, not one of the grid's
  return records
    .filter((r) => r.outcome.augmenterEpochs !== undefined && TRAINED_METHODS.includes(r.config.augment.method) && r.config.inner?.rows !== 'refit')
    .map((r) => ({
      dataset: r.config.data.name,
      method: r.config.augment.method,
      augmentOptions: compactOptions(r.config.augment.options),
      fold: r.config.fold.index,
      repeat: r.config.augment.perRepeat ? r.config.repeat : 0,
      epochsAsked: Number(r.config.augment.options.epochs ?? PAPER_EPOCHS),
      epochs: r.outcome.augmenterEpochs!,
      seconds: r.outcome.augmenterSeconds,
    }))
    .sort((a, b) => a.dataset.localeCompare(b.dataset) || TRAINED_METHODS.indexOf(a.method) - TRAINED_METHODS.indexOf(b.method) || a.augmentOptions.localeCompare(b.augmentOptions) || a.fold - b.fold || a.repeat - b.repeat);
}

/** For the CLI: the fits that stopped before their epochs, per method and fold (empty when none did). */
export function formatEarlyStops(rows: readonly FitRow[]): string {
  const early = rows.filter((r) => r.epochs < r.epochsAsked);
  if (early.length === 0) return '';
  const byMethod = new Map<string, FitRow[]>();
  for (const r of early) byMethod.set(r.method, [...(byMethod.get(r.method) ?? []), r]);
  return [...byMethod.entries()]
    .map(([m, rs]) => `${m} stopped early in ${rs.length} of ${rows.filter((r) => r.method === m).length} fits: ${rs.map((r) => `fold ${r.fold}${r.repeat ? ` r${r.repeat}` : ''} at epoch ${r.epochs}`).join(', ')} (of ${rs[0].epochsAsked})`)
    .join('\n');
}

/**
 * The curves of Fig. 6 / 7: for every augmenter and classifier, one point per number of sets,
 * with the real-only point copied in at 0 sets.
 */
export function curves(summary: readonly SummaryRow[]): SummaryRow[] {
  const out: SummaryRow[] = [];
  const methods = new Map<string, SummaryRow>();
  for (const r of summary) if (r.method !== 'none') methods.set([r.dataset, r.augment, r.augmentOptions, r.classifier, r.classifierOptions, r.train].join('\u0000'), r);
  for (const m of methods.values()) {
    const base = summary.find((r) => r.method === 'none' && r.dataset === m.dataset && r.classifier === m.classifier && r.classifierOptions === m.classifierOptions);
    if (base) out.push({ ...base, method: m.method, augment: m.augment, augmentOptions: m.augmentOptions });
    out.push(...summary.filter((r) => r.dataset === m.dataset && r.augment === m.augment && r.augmentOptions === m.augmentOptions && r.classifier === m.classifier && r.classifierOptions === m.classifierOptions && r.train === m.train));
  }
  return out.sort(summaryOrder);
}

/**
 * The curves of Fig. 6 / 7 from a grid that may be partly finished: every augmenter ×
 * classifier curve on one block of folds × repeats whose (fold, repeat) pairs all hold every
 * number of sets and the real-only unit, its 0-sets point being those same pairs' real-only
 * units. A point pooled on other speakers than its neighbours would move for that reason alone.
 * The block is the largest (folds × repeats, ties to more folds) among: the k repeats with the
 * most complete folds and the folds complete in all k. On a complete grid this equals
 * `curves(summarize(records).summary)`; a curve with no complete pair is left out.
 */
export function matchedCurves(records: readonly UnitRecord[]): SummaryRow[] {
  const curveId = (r: UnitRecord): string => {
    const c = r.config;
    return canonicalJson({ data: c.data, normalize: c.normalize, train: c.train, augment: c.augment, classifier: c.classifier, seed: c.seed, v: c.v });
  };
  const baseId = (r: UnitRecord): string => {
    const c = r.config;
    return canonicalJson({ data: c.data, normalize: c.normalize, classifier: c.classifier, seed: c.seed, v: c.v });
  };
  const pair = (r: UnitRecord): string => `${r.config.fold.index}/${r.config.repeat}`;
  const bases = new Map<string, UnitRecord[]>();
  const lines = new Map<string, UnitRecord[]>();
  for (const r of outerRecords(records)) {
    const [map, id] = r.config.augment.method === 'none' ? [bases, baseId(r)] : [lines, curveId(r)];
    const list = map.get(id) ?? [];
    list.push(r);
    map.set(id, list);
  }
  const out: SummaryRow[] = [];
  for (const line of lines.values()) {
    const sets = new Set(line.map((r) => r.config.sets));
    const base = bases.get(baseId(line[0])) ?? [];
    const basePairs = new Set(base.map(pair));
    const setsOf = new Map<string, Set<number>>();
    for (const r of line) {
      const p = pair(r);
      setsOf.set(p, (setsOf.get(p) ?? new Set<number>()).add(r.config.sets));
    }
    // complete folds per repeat
    const foldsOf = new Map<number, Set<number>>();
    for (const r of line) {
      const p = pair(r);
      if (setsOf.get(p)!.size === sets.size && (base.length === 0 || basePairs.has(p))) foldsOf.set(r.config.repeat, (foldsOf.get(r.config.repeat) ?? new Set<number>()).add(r.config.fold.index));
    }
    const ranked = [...foldsOf].sort((a, b) => b[1].size - a[1].size || a[0] - b[0]);
    let block: { repeats: number[]; folds: number[] } = { repeats: [], folds: [] };
    for (let k = 1; k <= ranked.length; k++) {
      const repeats = ranked.slice(0, k).map(([r]) => r);
      const folds = [...ranked[0][1]].filter((f) => ranked.slice(1, k).every(([, fs]) => fs.has(f)));
      const area = repeats.length * folds.length;
      const best = block.repeats.length * block.folds.length;
      if (area > best || (area === best && folds.length > block.folds.length)) block = { repeats, folds };
    }
    if (block.folds.length === 0) continue;
    const inBlock = (rs: readonly UnitRecord[]): UnitRecord[] => rs.filter((r) => block.repeats.includes(r.config.repeat) && block.folds.includes(r.config.fold.index));
    const rows = summarize([...inBlock(line), ...inBlock(base)]).summary;
    const m = rows.find((r) => r.method !== 'none')!;
    for (const r of rows) out.push(r.method === 'none' ? { ...r, method: m.method, augment: m.augment, augmentOptions: m.augmentOptions } : r);
  }
  return out.sort(summaryOrder);
}

/**
 * The curves that pool fewer folds or repeats than `records` hold (or, without records, than
 * the fullest curve), one line each, e.g. `aae × svm: folds 1–3, 5, 1 repeat`: a figure's
 * caption while a grid is partly done.
 */
export function partialCurves(rows: readonly SummaryRow[], records?: readonly UnitRecord[]): string[] {
  const maxFolds = records ? new Set(records.map((r) => r.config.fold.index)).size : Math.max(0, ...rows.map((r) => r.folds));
  const maxRepeats = records ? new Set(records.map((r) => r.config.repeat)).size : Math.max(0, ...rows.map((r) => r.repeats));
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of rows) {
    const label = `${r.augment} × ${r.classifier}`;
    if (seen.has(label) || (r.folds >= maxFolds && r.repeats >= maxRepeats)) continue;
    seen.add(label);
    out.push(`${label}: fold${r.folds === 1 ? '' : 's'} ${formatRanges(r.foldIndices.split(',').map(Number))}, ${r.repeats} repeat${r.repeats === 1 ? '' : 's'}`);
  }
  return out;
}

const METHOD_ORDER = ['none', 'copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan'];
const methodRank = (m: string): number => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);

function summaryOrder(a: SummaryRow, b: SummaryRow): number {
  return (
    a.dataset.localeCompare(b.dataset) ||
    a.classifier.localeCompare(b.classifier) ||
    methodRank(a.method) - methodRank(b.method) ||
    a.augment.localeCompare(b.augment) ||
    a.augmentOptions.localeCompare(b.augmentOptions) ||
    a.sets - b.sets
  );
}

function unitOrder(a: UnitRow, b: UnitRow): number {
  return summaryOrder(a as unknown as SummaryRow, b as unknown as SummaryRow) || a.repeat - b.repeat || a.fold - b.fold;
}
