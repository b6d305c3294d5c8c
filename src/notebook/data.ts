/**
 * Loading a notebook's dataset: the real corpus when it is here, else the seeded `synthetic`
 * stand-in, said plainly (SYNTHETIC_NOTICE) so that no figure is mistaken for speech results.
 *
 * @example
 *   const { data, real } = loadForNotebook('emodb-is11');
 */
import { subset, type Dataset } from '../data/dataset';
import { Random } from '../util/random';
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

/**
 * A seeded random share of the rows of every group (speaker/session) and class, at least one
 * row of each non-empty cell: a smaller copy of a corpus with its folds and class mix, for
 * quick runs. Named `<name> (<percent> % sample)`, so result stores keep it apart.
 */
export function sampleFraction(ds: Dataset, fraction: number, seed = 0): Dataset {
  if (!(fraction > 0 && fraction <= 1)) throw new Error(`sampleFraction: fraction must be in (0, 1], got ${fraction}`);
  if (fraction === 1) return ds;
  const cells = new Map<string, number[]>();
  for (let i = 0; i < ds.n; i++) {
    const key = `${ds.groups[i]}\u0000${ds.y[i]}`;
    const rows = cells.get(key);
    if (rows) rows.push(i);
    else cells.set(key, [i]);
  }
  const rng = new Random(seed);
  const keep: number[] = [];
  for (const key of [...cells.keys()].sort()) {
    const rows = cells.get(key)!;
    rng.shuffle(rows);
    keep.push(...rows.slice(0, Math.max(1, Math.round(fraction * rows.length))));
  }
  keep.sort((a, b) => a - b);
  return subset(ds, keep, `${ds.name} (${+(100 * fraction).toFixed(1)} % sample)`);
}
