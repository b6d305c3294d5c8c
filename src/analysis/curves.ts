/**
 * Tidy rows for the figures: one object per plotted mark, ready for a Vega-Lite `data.values`
 * (and for a table in a notebook). The numbers themselves come from `eval/metrics` (confusion
 * matrix, per-class recall) and the experiment summary (UAR per number of sets).
 *
 * @example
 *   lossRows(adan.history)                                   // [{epoch, loss: 'lossD', value}, ...]
 *   uarVsSets(summarize('results/emodb').summary)            // Fig. 6 points, baseline at 0 sets
 *   confusionCells(yTrue, yPred, ds.classes)                 // heat-map cells, row-normalised
 */
import { confusionMatrix, perClassRecall } from '../eval/metrics';

// ---------------------------------------------------------------------------------------------
// Loss curves (Fig. 3)

/** One row of a training history: `epoch` plus numeric fields (losses, seconds, ...). */
export interface HistoryRecord {
  epoch: number;
  [field: string]: number;
}

/** One point of a loss curve. */
export interface LossRow {
  epoch: number;
  /** Field name of the loss in the history (e.g. `lossD`). */
  loss: string;
  value: number;
}

/** History fields that are not losses, left out unless asked for by name. */
export const NON_LOSS_FIELDS: readonly string[] = ['epoch', 'seconds', 'iteration', 'step'];

/**
 * History -> long rows {epoch, loss, value}. `losses` picks fields by name (default: every
 * numeric field except {@link NON_LOSS_FIELDS}); non-finite values are skipped.
 */
export function lossRows(history: readonly HistoryRecord[], losses?: readonly string[]): LossRow[] {
  if (history.length === 0) throw new Error('lossRows: the history is empty (was the model fitted?)');
  const names = losses ?? lossFields(history);
  for (const name of names) {
    if (!history.some((h) => name in h)) {
      throw new Error(`lossRows: no field ${JSON.stringify(name)} in the history; fields: ${lossFields(history).join(', ')}`);
    }
  }
  const out: LossRow[] = [];
  for (const h of history) {
    for (const loss of names) {
      const value = h[loss];
      if (typeof value === 'number' && Number.isFinite(value)) out.push({ epoch: h.epoch, loss, value });
    }
  }
  return out;
}

/** Numeric fields of a history other than {@link NON_LOSS_FIELDS}, in order of first appearance. */
export function lossFields(history: readonly HistoryRecord[]): string[] {
  const seen = new Set<string>();
  for (const h of history) {
    for (const [k, v] of Object.entries(h)) if (typeof v === 'number' && !NON_LOSS_FIELDS.includes(k)) seen.add(k);
  }
  return [...seen];
}

// ---------------------------------------------------------------------------------------------
// UAR versus number of augmented sets (Fig. 6, 7, 8)

/** The fields of an experiment summary row (`experiment/summary` SummaryRow) that the curve needs. */
export interface SetsResultLike {
  /** Method: `none` for the real-only baseline, else the augmenter (copy, smote, adan, ...). */
  method: string;
  /** Display label of the augmenter; default the method. */
  augment?: string;
  /** Number of augmented sets added to the training fold. */
  sets: number;
  /** Classifier label (SVM, DNN, ...). */
  classifier: string;
  /** Metric values as fractions in [0, 1] and their standard deviation over repeats. */
  uar: number;
  uarStd?: number;
  wa?: number;
  waStd?: number;
}

/** One point of a UAR-vs-sets curve, in percent. */
export interface SetsPoint {
  method: string;
  classifier: string;
  sets: number;
  /** Metric in percent. */
  value: number;
  /** Standard deviation over repeats in percent (0 when unknown). */
  std: number;
}

/**
 * Curve points per (method, classifier) in order of first appearance, sorted by sets. The real-only baseline (method
 * `baseline`, default `none`, at 0 sets) is copied to the start of every method's curve of the
 * same classifier, as the paper's figures start each curve at the baseline.
 */
export function uarVsSets(results: readonly SetsResultLike[], options: { metric?: 'uar' | 'wa'; baseline?: string } = {}): SetsPoint[] {
  const metric = options.metric ?? 'uar';
  const baselineName = options.baseline ?? 'none';
  if (metric !== 'uar' && metric !== 'wa') throw new Error(`uarVsSets: metric must be 'uar' or 'wa', got ${JSON.stringify(metric)}`);
  const point = (r: SetsResultLike, method: string): SetsPoint => {
    const v = metric === 'uar' ? r.uar : r.wa;
    const s = metric === 'uar' ? r.uarStd : r.waStd;
    if (typeof v !== 'number') throw new Error(`uarVsSets: result of ${r.method} / ${r.classifier} at ${r.sets} sets has no ${metric}`);
    return { method, classifier: r.classifier, sets: r.sets, value: 100 * v, std: 100 * (s ?? 0) };
  };
  const out: SetsPoint[] = [];
  const baselines = new Map<string, SetsResultLike>();
  for (const r of results) if (r.method === baselineName) baselines.set(r.classifier, r);
  const curves = new Set<string>();
  for (const r of results) {
    if (r.method === baselineName) continue;
    const label = r.augment ?? r.method;
    out.push(point(r, label));
    const key = `${label}\u0000${r.classifier}`;
    if (!curves.has(key)) {
      curves.add(key);
      const b = baselines.get(r.classifier);
      if (b && !results.some((q) => (q.augment ?? q.method) === label && q.classifier === r.classifier && q.sets === 0)) out.push({ ...point(b, label), sets: 0 });
    }
  }
  if (out.length === 0) for (const b of baselines.values()) out.push(point(b, baselineName));
  // Methods and classifiers keep their order of first appearance (the spec's order); sets ascend.
  const rank = (values: string[]) => { const m = new Map<string, number>(); values.forEach((v) => m.has(v) || m.set(v, m.size)); return m; };
  const mRank = rank(out.map((p) => p.method));
  const cRank = rank(results.map((r) => r.classifier));
  return out.sort((a, b) => mRank.get(a.method)! - mRank.get(b.method)! || cRank.get(a.classifier)! - cRank.get(b.classifier)! || a.sets - b.sets);
}

// ---------------------------------------------------------------------------------------------
// Confusion matrix and per-class recall

/** One cell of a confusion matrix. */
export interface ConfusionCell {
  /** True class name (row). */
  actual: string;
  /** Predicted class name (column). */
  predicted: string;
  count: number;
  /** count / rows of the true class (the row's recall share); NaN for an empty row. */
  rate: number;
}

/** Confusion-matrix cells, row-normalised, in class order (rows = true class). */
export function confusionCells(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: readonly string[]): ConfusionCell[] {
  const m = confusionMatrix(yTrue, yPred, classes.length);
  const cells: ConfusionCell[] = [];
  m.forEach((row, t) => {
    const total = row.reduce((s, v) => s + v, 0);
    row.forEach((count, p) => cells.push({ actual: classes[t], predicted: classes[p], count, rate: total === 0 ? NaN : count / total }));
  });
  return cells;
}

/** Per-class recall rows {class, recall (fraction), support}. */
export function recallRows(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, classes: readonly string[]): { class: string; recall: number; support: number }[] {
  const r = perClassRecall(yTrue, yPred, classes.length);
  const support = new Array<number>(classes.length).fill(0);
  for (let i = 0; i < yTrue.length; i++) support[yTrue[i]]++;
  return classes.map((c, k) => ({ class: c, recall: r[k], support: support[k] }));
}

// ---------------------------------------------------------------------------------------------
// t-SNE points (Fig. 4, 9)

/** One embedded row. */
export interface EmbeddedPoint {
  x: number;
  y: number;
  /** Class name. */
  emotion: string;
  /** 'real' or 'synthetic'. */
  source: 'real' | 'synthetic';
  /** Row id (utterance name), for a tooltip. */
  id?: string;
}

/**
 * Embedding (n x 2) + labels -> points. `synthetic[i]` marks generated rows (a boolean per row, or
 * the number of leading real rows, as after `concat([real, synthetic])`).
 */
export function embeddedPoints(embedding: Float32Array | Float64Array, labels: ArrayLike<number>, classes: readonly string[], synthetic: ArrayLike<boolean | number> | number = labels.length, ids?: readonly string[]): EmbeddedPoint[] {
  const n = labels.length;
  if (embedding.length !== 2 * n) throw new Error(`embeddedPoints: embedding has ${embedding.length} values, expected n x 2 = ${2 * n}`);
  if (typeof synthetic !== 'number' && synthetic.length !== n) throw new Error(`embeddedPoints: ${synthetic.length} synthetic flags for ${n} rows`);
  const out: EmbeddedPoint[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels[i];
    if (!(label >= 0 && label < classes.length)) throw new Error(`embeddedPoints: label ${label} of row ${i} outside 0..${classes.length - 1}`);
    const isSynthetic = typeof synthetic === 'number' ? i >= synthetic : Boolean(synthetic[i]);
    out[i] = { x: embedding[2 * i], y: embedding[2 * i + 1], emotion: classes[label], source: isSynthetic ? 'synthetic' : 'real', ...(ids ? { id: ids[i] } : {}) };
  }
  return out;
}
