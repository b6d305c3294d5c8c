/**
 * Metrics of the paper: WA (Eq. 19) and UAR (Eq. 20), the confusion matrix, and the two ways
 * of summarising cross-validation: pooled over all folds' predictions (what the authors report)
 * and the mean and standard deviation over folds.
 */

function checkPair(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): void {
  if (yTrue.length !== yPred.length) throw new Error(`metrics: ${yTrue.length} true labels but ${yPred.length} predictions`);
  if (yTrue.length === 0) throw new Error('metrics: no predictions to score');
}

/** counts[t][p]: rows of true class t predicted as p. */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[][] {
  checkPair(yTrue, yPred);
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    if (!(t >= 0 && t < k) || !(p >= 0 && p < k)) throw new Error(`metrics: label ${t} or prediction ${p} at row ${i} is outside 0..${k - 1}`);
    m[t][p]++;
  }
  return m;
}

/** Weighted accuracy, Eq. 19: correct / all. */
export function wa(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkPair(yTrue, yPred);
  let correct = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / yTrue.length;
}

/** Recall per class; NaN for a class with no true rows. */
export function perClassRecall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number[] {
  const m = confusionMatrix(yTrue, yPred, k);
  return m.map((rowCounts, c) => {
    const total = rowCounts.reduce((s, v) => s + v, 0);
    return total === 0 ? NaN : rowCounts[c] / total;
  });
}

/**
 * Unweighted average recall, Eq. 20: the mean of per-class recalls over the classes present
 * in `yTrue` (a class absent from a test fold has no recall to average; scikit-learn's
 * balanced_accuracy does the same).
 */
export function uar(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, k: number): number {
  const r = perClassRecall(yTrue, yPred, k).filter((v) => !Number.isNaN(v));
  return r.reduce((s, v) => s + v, 0) / r.length;
}

export interface FoldPredictions {
  fold: string;
  yTrue: ArrayLike<number>;
  yPred: ArrayLike<number>;
}

export interface CvSummary {
  /** WA over all folds' predictions pooled (the authors' figure). */
  wa: number;
  /** UAR over all folds' predictions pooled (the authors' figure). */
  uar: number;
  waFoldMean: number;
  waFoldStd: number;
  uarFoldMean: number;
  uarFoldStd: number;
  folds: { fold: string; n: number; wa: number; uar: number }[];
}

/** Median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Mean and population standard deviation (ddof 0, numpy's default). */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: NaN, std: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const v = values.reduce((s, x) => s + (x - mean) * (x - mean), 0) / values.length;
  return { mean, std: Math.sqrt(v) };
}

/** Pooled and per-fold WA/UAR of a cross-validation run. */
export function summarizeFolds(folds: readonly FoldPredictions[], k: number): CvSummary {
  if (folds.length === 0) throw new Error('summarizeFolds: no folds');
  const allTrue: number[] = [];
  const allPred: number[] = [];
  const per = folds.map((f) => {
    checkPair(f.yTrue, f.yPred);
    for (let i = 0; i < f.yTrue.length; i++) {
      allTrue.push(f.yTrue[i]);
      allPred.push(f.yPred[i]);
    }
    return { fold: f.fold, n: f.yTrue.length, wa: wa(f.yTrue, f.yPred), uar: uar(f.yTrue, f.yPred, k) };
  });
  const w = meanStd(per.map((f) => f.wa));
  const u = meanStd(per.map((f) => f.uar));
  return { wa: wa(allTrue, allPred), uar: uar(allTrue, allPred, k), waFoldMean: w.mean, waFoldStd: w.std, uarFoldMean: u.mean, uarFoldStd: u.std, folds: per };
}
