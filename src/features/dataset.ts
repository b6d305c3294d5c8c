/**
 * Audio straight to a labelled Dataset: IS11 features of each file, joined to labels and groups
 * by the file names' corpus convention (EmoDB or IEMOCAP), as for an openSMILE CSV.
 *
 * ```ts
 * const ds = extractIs11Dataset(listWavFiles('data/emodb-wav'));   // 535 x 4368, 7 emotions, 10 speakers
 * ```
 */
import { emodbFromTable, guessCorpus, iemocapFromTable } from '../data/registry';
import type { Dataset } from '../data/dataset';
import { extractIs11, type ExtractOptions } from './extract';

export function extractIs11Dataset(files: readonly string[], options: ExtractOptions & { name?: string } = {}): Dataset {
  const { name = 'is11 (adan-lab extractor)', ...extract } = options;
  const table = extractIs11(files, extract);
  return guessCorpus(table) === 'emodb' ? emodbFromTable(table, name) : iemocapFromTable(table, name);
}
