/**
 * The paper's facts in one place: its grid (epochs, sets, repeats), the methods that train by
 * gradient descent, and the reference numbers of Tables I and II. Percent, as printed in the
 * paper. Nothing here loads tfjs or depends on the rest of adan-lab.
 */

/** The two corpora of the paper's grids. */
export type PaperDataset = 'emodb' | 'iemocap';

/** Training epochs of every augmentation network (Section IV-D; the authors' `--epoch 1500`). */
export const PAPER_EPOCHS = 1500;

/** The most augmented sets added to a training fold (Section V: "10 sets"). */
export const MAX_SETS = 10;

/** Repeats of every point, each with a fresh random draw of the synthetic rows (Section V). */
export const PAPER_REPEATS = 3;

/** Methods trained by gradient descent, whose synthetic rows only become useful late in training. */
export const TRAINED_METHODS: readonly string[] = ['gan', 'cgan', 'aae', 'adan', 'wadan'];

export interface PaperEntry {
  /** Augmentation method (`none` = the baseline rows). */
  method: string;
  classifier: 'svm' | 'dnn';
  /** WA %, UAR % (null where the paper gives none). */
  wa: number;
  uar: number | null;
  /** ± given for the proposed methods (over the 3 repeats). */
  waStd?: number;
  uarStd?: number;
  /** Number of augmented sets of the reported peak, where the text says it. */
  sets?: number;
}

export interface PaperTable {
  title: string;
  /** Our dataset that stands for the paper's. */
  dataset: string;
  entries: PaperEntry[];
  /** What differs between the paper's setting and ours. */
  note?: string;
}

/** Table I: EmoDB, IS11 Speaker State, leave-one-speaker-out. */
export const PAPER_TABLE_I: PaperTable = {
  title: 'Table I (EmoDB)',
  dataset: 'emodb-is11',
  entries: [
    { method: 'none', classifier: 'svm', wa: 80.56, uar: null },
    { method: 'none', classifier: 'dnn', wa: 80.19, uar: null },
    { method: 'copy', classifier: 'dnn', wa: 82.06, uar: 80.96 },
    { method: 'noise', classifier: 'dnn', wa: 82.06, uar: 80.85 },
    { method: 'smote', classifier: 'dnn', wa: 82.43, uar: 81.58, sets: 9 },
    { method: 'gan', classifier: 'dnn', wa: 80.37, uar: 78.6, sets: 1 },
    { method: 'cgan', classifier: 'dnn', wa: 81.5, uar: 79.93, sets: 1 },
    { method: 'aae', classifier: 'dnn', wa: 81.12, uar: 79.73, sets: 1 },
    { method: 'adan', classifier: 'svm', wa: 81.5, uar: 80.39, waStd: 0.05, uarStd: 0.09 },
    { method: 'adan', classifier: 'dnn', wa: 83.55, uar: 82.8, waStd: 0.19, uarStd: 0.03, sets: 10 },
    { method: 'wadan', classifier: 'svm', wa: 81.87, uar: 81.04, waStd: 0.26, uarStd: 0.23 },
    { method: 'wadan', classifier: 'dnn', wa: 84.49, uar: 83.31, waStd: 0.19, uarStd: 0.2 },
  ],
};

/** Table II: IEMOCAP improvised, IS11, leave-one-session-out. */
export const PAPER_TABLE_II: PaperTable = {
  title: 'Table II (IEMOCAP improvised)',
  dataset: 'iemocap-is10',
  note: 'the paper used IEMOCAP improvised sessions with IS11 features (2280 utterances); iemocap-is10 is IS10 features of improvised and scripted sessions (5531): compare trends, not digits',
  entries: [
    { method: 'none', classifier: 'svm', wa: 63.2, uar: 58.81 },
    { method: 'none', classifier: 'dnn', wa: 64.47, uar: 62.86 },
    { method: 'copy', classifier: 'dnn', wa: 65.79, uar: 62.9 },
    { method: 'noise', classifier: 'dnn', wa: 64.43, uar: 63.49 },
    { method: 'smote', classifier: 'dnn', wa: 65.83, uar: 62.5 },
    { method: 'gan', classifier: 'dnn', wa: 55.09, uar: 60.23, sets: 1 },
    { method: 'cgan', classifier: 'dnn', wa: 55.79, uar: 61.78, sets: 1 },
    { method: 'aae', classifier: 'dnn', wa: 63.86, uar: 62.01, sets: 1 },
    { method: 'adan', classifier: 'svm', wa: 64.78, uar: 60.07, waStd: 0.07, uarStd: 0.03 },
    { method: 'adan', classifier: 'dnn', wa: 63.55, uar: 63.96, waStd: 0.37, uarStd: 0.27 },
    { method: 'wadan', classifier: 'svm', wa: 63.82, uar: 59.79, waStd: 0.03, uarStd: 0.02 },
    { method: 'wadan', classifier: 'dnn', wa: 66.92, uar: 64.51, waStd: 0.2, uarStd: 0.15 },
  ],
};

/** Table III (GTX 1080 Ti): seconds per training epoch of ADAN and WADAN for ~400, ~2,000, ~10,000 rows. */
export const PAPER_TABLE_III = {
  rows: [400, 2000, 10000],
  adan: [0.067, 0.3, 1.4],
  wadan: [0.15, 0.67, 3.14],
} as const;

export const PAPER_TABLES: Readonly<Record<PaperDataset, PaperTable>> = { emodb: PAPER_TABLE_I, iemocap: PAPER_TABLE_II };

/** The paper's table for a dataset. */
export function paperTable(dataset: PaperDataset): PaperTable {
  return PAPER_TABLES[dataset];
}
