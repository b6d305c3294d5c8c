/**
 * Loading a notebook's dataset: the real corpus when it is here, else the seeded `synthetic`
 * stand-in, said plainly (SYNTHETIC_NOTICE) so that no figure is mistaken for speech results.
 *
 * @example
 *   const { data, real } = loadForNotebook('emodb-is11');
 */
import type { Dataset } from '../data/dataset';
import { loadDataset, type LoadOptions } from '../data/registry';
import { SYNTHETIC_NOTICE } from '../data/synthetic';
import { findDataEntry } from '../data/locate';
import { showMarkdown } from './display';

/** What {@link loadForNotebook} returns. */
export interface NotebookData {
  data: Dataset;
  /** True when the real corpus was loaded, false for the synthetic stand-in. */
  real: boolean;
  /** The name asked for. */
  requested: string;
  /** One markdown line saying what was loaded (and the notice when it is synthetic). */
  note: string;
}

/** Options of {@link loadForNotebook}. */
export interface NotebookLoadOptions extends Partial<LoadOptions> {
  /** Display the note in the notebook (tslab) or print it. Default true. */
  announce?: boolean;
  /** Rows and features of the synthetic stand-in. Default: the registry's (EmoDB-shaped, 535 x 4354). */
  syntheticShape?: { n?: number; d?: number };
}

/**
 * `loadDataset(name)` when the corpus is found (ADAN_DATA_DIR, ./data, ../shared/data), else
 * the synthetic stand-in with SYNTHETIC_NOTICE. Errors other than "not found" (a damaged file)
 * are thrown, not hidden behind the fallback.
 */
export function loadForNotebook(name: string, options: NotebookLoadOptions = {}): NotebookData {
  const { announce = true, syntheticShape, ...load } = options;
  let result: NotebookData;
  if (name === 'synthetic' || !findDataEntry(name, load.dataDir)) {
    const data = loadDataset('synthetic', { seed: load.seed, n: syntheticShape?.n, d: syntheticShape?.d });
    const why = name === 'synthetic' ? '' : `**${name} was not found**, so this notebook uses the synthetic stand-in instead. `;
    result = { data, real: false, requested: name, note: `${why}**${SYNTHETIC_NOTICE}**` };
  } else {
    const data = loadDataset(name, load);
    result = { data, real: true, requested: name, note: `Data: **${data.name}**, ${data.n} rows x ${data.d} features, ${data.classes.length} classes, ${new Set(data.groups).size} groups (real data).` };
  }
  if (announce) showMarkdown(result.note);
  return result;
}
