/**
 * Names of the 4354 columns of the authors' EmoDB IS11 files (`emodb_tst_loso{i}.mat`).
 *
 * The .mat files carry numbers only. The authors' `emodb/matlab/arff2mat.m`
 * (enmwmak/emotion_recognition) read openSMILE's 4368 IS11 features per file and removed every
 * column whose standard deviation over the 535 files was below 5e-6, keeping the others in
 * openSMILE's order; so each kept column is an IS11 feature, and the names are openSMILE's order
 * minus the removed columns.
 *
 * Which 14 were removed, found on the data (test/corpora-is11-names.test.ts checks it): each
 * authors' column was correlated (over the 535 files) with the IS11 columns openSMILE 3.0.2
 * computes from the EmoDB wav files here (resampled copies, so values differ; median r 0.68 with
 * the column of its name). The order-keeping alignment with the largest summed correlation skips
 * these 14 (one of them off by one, below); around every skip, the 20 columns on either side
 * correlate 0.21-0.69 on average with the names it gives them and -0.09-0.26 shifted by one.
 * Twelve of the 14 are below the authors' 5e-6 on the wav files' features too (253 and 3168 are
 * at 1e-5 and 7e-6). The one it places differently is a pair the correlation cannot settle:
 * voicingFinalUnclipped's `_de_qregc1` (4232) and `_de_qregc2` (4233), r 0.26 vs -0.17 for the
 * same column (the alignment removes 4233); the rule settles it (std 2e-6 vs 3e-4), and thirteen
 * of the 14 are `_de_qregc1` (a quadratic fit's constant on a delta contour: near zero for every
 * file).
 */
import { IS11_FEATURE_NAMES } from '../../features/is11';

/** Indices (into openSMILE's 4368 IS11 features) of the 14 columns the authors removed. */
export const EMODB_IS11_REMOVED: readonly number[] = [171, 245, 253, 282, 2169, 2206, 3094, 3168, 3353, 3538, 4232, 4268, 4304, 4340];

/** Number of columns of the authors' EmoDB IS11 files. */
export const EMODB_IS11_DIMS = IS11_FEATURE_NAMES.length - EMODB_IS11_REMOVED.length;

/** The openSMILE name of each of the authors' 4354 columns, in column order. */
export function emodbIs11FeatureNames(): string[] {
  const removed = new Set(EMODB_IS11_REMOVED);
  return IS11_FEATURE_NAMES.filter((_, j) => !removed.has(j));
}
