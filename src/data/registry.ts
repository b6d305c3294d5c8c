/**
 * Named datasets and paths -> Dataset. `loadDataset` is synchronous (every reader is), so it
 * can be called with or without `await`:
 *
 * ```ts
 * const ds = loadDataset('emodb-is11');                 // the paper's EmoDB IS11 features
 * const ds2 = loadDataset('iemocap-is10', { dataDir: '/data' });
 * const mine = loadDataset('features/is11.csv');        // openSMILE CSV of EmoDB files
 * console.log(describeDataset(ds));                    // {rows, dims, classes, groups}
 * ```
 *
 * Names resolve under the data directory (`dataDir`, else env ADAN_DATA_DIR, else ./data, else
 * ../shared/data; see locate.ts). Anything else is taken as a path: a folder of
 * `*_tst_loso<N>.mat` files, a folder of `foldNN-x.npy` / `foldNN-y.npy` pairs, a folder of EmoDB
 * wav files with their `opensmile-is11.csv`, or an openSMILE `.csv` / `.arff` file whose row
 * names follow the EmoDB or IEMOCAP convention.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dataset, checkFinite, classCounts, groupCounts, makeDataset } from './dataset';
import { dataDirCandidates, findDataEntry, whereToGetData } from './locate';
import { MAT_FOLD_PATTERN, loadMatFolds } from './readers/mat';
import { NPY_FOLD_PATTERN, listNpyFolds, loadNpyFolds } from './readers/npy';
import { EMODB_CLASSES, EMODB_SPEAKERS, emodbLabels, isEmodbName, parseEmodbName } from './corpora/emodb';
import { EMODB_IS11_DIMS, emodbIs11FeatureNames } from './corpora/emodb-is11-names';
import { IEMOCAP_4_CLASSES, iemocapClasses, iemocapRowLabels, isIemocapId, parseIemocapId, readIemocapLabels } from './corpora/iemocap';
import { FeatureTable, checkTableFinite, readFeatureTable, readOpensmileCsv } from './readers/opensmile';
import { makeSynthetic } from './synthetic';
import { DataError, OptionError, checkOptionKeys } from '../util/errors';

/** The names `loadDataset` knows, besides paths. */
export const DATASET_NAMES = ['emodb-is11', 'iemocap-is10', 'emodb-wav', 'synthetic'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Options of `loadDataset`. Every field is optional. */
export interface LoadOptions {
  /** Folder that holds the named dataset folders. Default: ADAN_DATA_DIR, then ./data, then ../shared/data. */
  dataDir: string | undefined;
  /** Seed of the `synthetic` dataset. Default 0. */
  seed: number;
  /** Rows of the `synthetic` dataset. Default 535 (EmoDB). */
  n: number | undefined;
  /** Features of the `synthetic` dataset. Default 4354 (the authors' IS11). */
  d: number | undefined;
  /**
   * For a .csv/.arff of IEMOCAP utterances: the corpus root (the folder with Session1..5, e.g.
   * IEMOCAP_full_release) whose `Session*\/dialog/EmoEvaluation/*.txt` give the labels. Default none.
   */
  iemocapRoot: string | undefined;
  /** IEMOCAP label set: '4' (angry, happy, neutral, sad) or '11' (every EmoEvaluation code). Default '4'. */
  iemocapClasses: '4' | '11';
  /** IEMOCAP, four classes: count excited as happy. Default true. */
  mergeExcited: boolean;
  /** IEMOCAP: keep improvised dialogues only (the paper's 2280-utterance setting). Default false. */
  improvisedOnly: boolean;
}

/** Defaults of `LoadOptions`. */
export const LOAD_DEFAULTS: LoadOptions = {
  dataDir: undefined,
  seed: 0,
  n: undefined,
  d: undefined,
  iemocapRoot: undefined,
  iemocapClasses: '4',
  mergeExcited: true,
  improvisedOnly: false,
};

/**
 * Load a named dataset (`DATASET_NAMES`) or a dataset at a path. Synchronous: returns the Dataset.
 * Errors: an unknown name lists the known names and where data is searched; a named dataset
 * absent from the data directory says where to get it; bad files give DataError naming the file.
 */
export function loadDataset(nameOrPath: string, options: Partial<LoadOptions> = {}): Dataset {
  checkOptionKeys('loadDataset', options, LOAD_DEFAULTS);
  const opts: LoadOptions = { ...LOAD_DEFAULTS, ...stripUndefined(options) };
  switch (nameOrPath) {
    case 'emodb-is11': return loadEmodbIs11(locate('emodb-is11', opts.dataDir));
    case 'iemocap-is10': return loadIemocapIs10(locate('iemocap-is10', opts.dataDir));
    case 'emodb-wav': return loadEmodbWav(locate('emodb-wav', opts.dataDir));
    case 'synthetic': return makeSynthetic(stripUndefined({ seed: opts.seed, n: opts.n, d: opts.d }));
  }
  if (fs.existsSync(nameOrPath)) return loadPath(nameOrPath, opts);
  throw new OptionError('dataset', nameOrPath,
    `one of the names ${DATASET_NAMES.join(', ')} or an existing path (a folder of *_tst_loso<N>.mat, a folder of foldNN-x.npy/foldNN-y.npy, or an openSMILE .csv/.arff file); ` +
    `named datasets are searched as folders in ${searchedIn(opts.dataDir)} (see data/README.md for how to get the corpora; --data synthetic runs on a seeded stand-in meanwhile)`);
}

/** Rows, dimensions, classes and groups with counts: what `adan-lab data info --json` prints. */
export function describeDataset(ds: Dataset): {
  rows: number;
  dims: number;
  classes: { name: string; count: number }[];
  groups: { name: string; count: number }[];
} {
  const counts = classCounts(ds);
  return {
    rows: ds.n,
    dims: ds.d,
    classes: ds.classes.map((name, k) => ({ name, count: counts[k] })),
    groups: groupCounts(ds),
  };
}

// ---- named datasets ---------------------------------------------------------------------------

function locate(entry: string, dataDir: string | undefined): string {
  const found = findDataEntry(entry, dataDir);
  if (found) return found;
  if (dataDir) {
    throw new DataError(entry, `dataset folder '${entry}' not found in ${path.resolve(dataDir)} (from dataDir / --data-dir); see data/README.md for how to get the corpora (--data synthetic runs on a seeded stand-in meanwhile)`);
  }
  throw new DataError(entry, whereToGetData(entry));
}

function searchedIn(dataDir: string | undefined): string {
  return dataDir ? path.resolve(dataDir) : dataDirCandidates().join(', ');
}

/**
 * `emodb-is11`: the authors' ten `emodb_tst_loso{i}.mat` files (speaker i of `EMODB_SPEAKERS`
 * in file i) plus `index.csv` (file,speaker,emotion_code,fold; one line per .mat row, in order).
 * Row ids are the EmoDB file names, groups the speaker codes. index.csv is checked against the
 * .mat files: rows per fold, speaker per fold, and each row's label against its emotion letter.
 * Without index.csv, groups come from `EMODB_SPEAKERS` and ids are `emodb_tst_loso<i>:<row>`.
 * With 4354 columns, the features carry their openSMILE names (`emodbIs11FeatureNames`).
 */
export function loadEmodbIs11(dir: string): Dataset {
  const mat = loadMatFolds(dir, { classes: EMODB_CLASSES, name: 'emodb-is11' });
  // the authors' 4354 columns are IS11 features with 14 removed (emodb-is11-names.ts)
  const raw = mat.d === EMODB_IS11_DIMS ? { ...mat, featureNames: emodbIs11FeatureNames() } : mat;
  const foldOfRow = raw.groups.map((g) => Number(g.replace('loso', '')));
  const nFolds = Math.max(...foldOfRow);
  const indexFile = path.join(dir, 'index.csv');
  if (!fs.existsSync(indexFile)) {
    if (nFolds !== EMODB_SPEAKERS.length) {
      throw new DataError(dir, `${nFolds} fold files but EmoDB has ${EMODB_SPEAKERS.length} speakers, and there is no index.csv naming the speaker of each fold`);
    }
    return makeDataset({ ...raw, groups: foldOfRow.map((f) => EMODB_SPEAKERS[f - 1]) });
  }
  const index = readEmodbIndex(indexFile);
  const byFold = new Map<number, EmodbIndexRow[]>();
  for (const r of index) {
    if (!byFold.has(r.fold)) byFold.set(r.fold, []);
    byFold.get(r.fold)!.push(r);
  }
  const ids: string[] = [];
  const groups: string[] = [];
  let at = 0;
  for (let fold = 1; fold <= nFolds; fold++) {
    const rows = byFold.get(fold) ?? [];
    const inMat = foldOfRow.filter((f) => f === fold).length;
    if (rows.length !== inMat) {
      throw new DataError(indexFile, `fold ${fold} has ${rows.length} lines here but ${inMat} rows in emodb_tst_loso${fold}.mat: index and features disagree`);
    }
    for (const r of rows) {
      if (raw.y[at] !== r.label) {
        throw new DataError(indexFile, `line of ${r.file} (fold ${fold}) says ${EMODB_CLASSES[r.label]} but row ${at} of the .mat folds has label ${raw.y[at]} (${EMODB_CLASSES[raw.y[at]]}): fold order does not match`);
      }
      ids.push(r.file);
      groups.push(r.speaker);
      at++;
    }
    const speakers = new Set(rows.map((r) => r.speaker));
    if (speakers.size > 1) throw new DataError(indexFile, `fold ${fold} mixes speakers ${[...speakers].join(', ')}; each fold file must hold one speaker`);
  }
  if (index.length !== raw.n) throw new DataError(indexFile, `${index.length} lines but ${raw.n} rows in the .mat folds`);
  return makeDataset({ ...raw, ids, groups });
}

/**
 * `iemocap-is10`: `fold00..09-x.npy` (float32, n x 1582) and `-y.npy` (int32 labels 0..3 =
 * angry, happy incl. excited, neutral, sad). Folds 2k and 2k+1 are session k+1, so groups are
 * `Ses01`..`Ses05` (leave-one-session-out). Row ids are `foldNN:<row>` (the files carry no names).
 */
export function loadIemocapIs10(dir: string): Dataset {
  const folds = listNpyFolds(dir);
  if (folds.length !== 10) throw new DataError(dir, `expected 10 fold pairs (fold00..fold09, two per session), found ${folds.length}`);
  return loadNpyFolds(dir, {
    classes: IEMOCAP_4_CLASSES,
    groupName: (k) => `Ses0${Math.floor(k / 2) + 1}`,
    name: 'iemocap-is10',
  });
}

/**
 * `emodb-wav`: the EmoDB wav files of the folder joined by name to the rows of
 * `opensmile-is11.csv` (openSMILE 3.0.2, IS11, 4368 named features). Rows follow the sorted wav
 * list; ids are the wav file names, groups the speakers, labels from the emotion letter.
 * A wav without a feature row, or a row without a wav, is a DataError.
 */
export function loadEmodbWav(dir: string): Dataset {
  const csv = path.join(dir, 'opensmile-is11.csv');
  if (!fs.existsSync(csv)) throw new DataError(dir, 'no opensmile-is11.csv here: extract features with SMILExtract -C IS11_speaker_state.conf -csvoutput (see data/README.md)');
  const wavs = fs.readdirSync(dir).filter((n) => n.toLowerCase().endsWith('.wav')).sort();
  if (wavs.length === 0) throw new DataError(dir, 'no .wav files in this folder');
  return emodbFromTable(readOpensmileCsv(csv), 'emodb-wav', wavs);
}

/**
 * An openSMILE table of EmoDB files as a Dataset. With `files`, rows are taken in that order and
 * every file must have exactly one row (and every row a file); otherwise rows keep table order.
 */
export function emodbFromTable(table: FeatureTable, name: string, files?: readonly string[]): Dataset {
  checkTableFinite(table);
  const { d } = table;
  let x = table.x;
  let ids = table.rowNames;
  if (files) {
    const rowOf = new Map<string, number>();
    table.rowNames.forEach((r, i) => rowOf.set(path.basename(r), i));
    const missing = files.filter((f) => !rowOf.has(f));
    if (missing.length > 0) {
      throw new DataError(table.file, `${missing.length} audio file(s) have no feature row, e.g. ${missing.slice(0, 3).join(', ')}: features and file list disagree`);
    }
    const fileSet = new Set(files);
    const extra = table.rowNames.filter((r) => !fileSet.has(path.basename(r)));
    if (extra.length > 0) {
      throw new DataError(table.file, `${extra.length} feature row(s) name files that are not in the folder, e.g. ${extra.slice(0, 3).join(', ')}`);
    }
    x = new Float32Array(files.length * d);
    files.forEach((f, i) => {
      const r = rowOf.get(f)!;
      x.set(table.x.subarray(r * d, (r + 1) * d), i * d);
    });
    ids = [...files];
  }
  const { y, groups } = emodbLabels(ids, table.file);
  checkFinite(table.file, x, d, ids);
  return makeDataset({ name, x, d, y, classes: EMODB_CLASSES, groups, ids, featureNames: table.featureNames });
}

/**
 * An openSMILE table of IEMOCAP utterances as a Dataset: labels from the corpus' EmoEvaluation
 * files under `options.iemocapRoot`, groups = sessions. Rows outside the label set (e.g.
 * frustration in the four-class set) and, with `improvisedOnly`, scripted rows are dropped.
 */
export function iemocapFromTable(table: FeatureTable, name: string, options: Partial<LoadOptions> = {}): Dataset {
  checkTableFinite(table);
  const opts = { ...LOAD_DEFAULTS, ...stripUndefined(options) };
  if (!opts.iemocapRoot) {
    throw new DataError(table.file, 'rows are IEMOCAP utterances, whose names carry no label: pass iemocapRoot (the folder with Session1..Session5/dialog/EmoEvaluation) to read the labels');
  }
  const labelOpts = { classes: opts.iemocapClasses, mergeExcited: opts.mergeExcited };
  const labels = readIemocapLabels(opts.iemocapRoot);
  const { y, groups, keep } = iemocapRowLabels(table.rowNames, labels, table.file, labelOpts);
  const rows: number[] = [];
  table.rowNames.forEach((r, i) => {
    if (keep[i] && (!opts.improvisedOnly || parseIemocapId(r, table.file).improvised)) rows.push(i);
  });
  if (rows.length === 0) throw new DataError(table.file, 'no rows left after keeping the chosen IEMOCAP classes');
  const { d } = table;
  const x = new Float32Array(rows.length * d);
  rows.forEach((r, i) => x.set(table.x.subarray(r * d, (r + 1) * d), i * d));
  const ids = rows.map((r) => parseIemocapId(table.rowNames[r], table.file).id);
  checkFinite(table.file, x, d, ids);
  return makeDataset({
    name, x, d, y: rows.map((r) => y[r]), classes: iemocapClasses(labelOpts), groups: rows.map((r) => groups[r]), ids, featureNames: table.featureNames,
  });
}

/** Which corpus a table's row names follow: every name EmoDB-like, or every name an IEMOCAP id. */
export function guessCorpus(table: FeatureTable): 'emodb' | 'iemocap' {
  const names = table.rowNames;
  if (isEmodbName(names[0])) {
    const bad = names.findIndex((r) => !isEmodbName(r));
    if (bad >= 0) throw new DataError(table.file, `row ${bad} '${names[bad]}' does not follow the EmoDB naming of the other rows (e.g. ${names[0]})`);
    return 'emodb';
  }
  if (isIemocapId(names[0])) {
    const bad = names.findIndex((r) => !isIemocapId(r));
    if (bad >= 0) throw new DataError(table.file, `row ${bad} '${names[bad]}' is not an IEMOCAP utterance id like the other rows (e.g. ${names[0]})`);
    return 'iemocap';
  }
  throw new DataError(table.file, `row names follow neither the EmoDB convention (e.g. 03a01Fa.wav) nor the IEMOCAP one (e.g. Ses01F_impro01_F000): first row is '${names[0]}'`);
}

interface EmodbIndexRow { file: string; speaker: string; label: number; fold: number }

/** Parse `index.csv` (file,speaker,emotion_code,fold), checking each line against the file name. */
function readEmodbIndex(file: string): EmodbIndexRow[] {
  const lines = fs.readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0]?.split(',').map((s) => s.trim());
  if (!header || header.join(',') !== 'file,speaker,emotion_code,fold') {
    throw new DataError(file, `header must be 'file,speaker,emotion_code,fold', found '${lines[0] ?? ''}'`);
  }
  return lines.slice(1).map((line, i) => {
    const cells = line.split(',').map((s) => s.trim());
    if (cells.length !== 4) throw new DataError(file, `line ${i + 2} has ${cells.length} fields, expected 4: '${line}'`);
    const [name, speaker, letter, foldText] = cells;
    const p = parseEmodbName(name, file);
    if (p.speaker !== speaker) throw new DataError(file, `line ${i + 2}: speaker ${speaker} but the file name ${name} says ${p.speaker}`);
    if (p.letter !== letter) throw new DataError(file, `line ${i + 2}: emotion ${letter} but the file name ${name} says ${p.letter}`);
    const fold = Number(foldText);
    if (!Number.isInteger(fold) || fold < 1) throw new DataError(file, `line ${i + 2}: fold '${foldText}' is not a positive whole number`);
    return { file: name, speaker, label: p.label, fold };
  });
}

// ---- paths ------------------------------------------------------------------------------------

function loadPath(p: string, opts: LoadOptions): Dataset {
  const stat = fs.statSync(p);
  if (stat.isDirectory()) {
    const names = fs.readdirSync(p);
    if (names.some((n) => MAT_FOLD_PATTERN.test(n))) {
      // The authors' EmoDB folder (with or without index.csv) gets EmoDB labels and speakers.
      if (names.some((n) => /^emodb_tst_loso\d+\.mat$/.test(n))) return loadEmodbIs11(p);
      return loadMatFolds(p);
    }
    if (names.some((n) => NPY_FOLD_PATTERN.test(n))) {
      if (path.basename(path.resolve(p)) === 'iemocap-is10') return loadIemocapIs10(p);
      return loadNpyFolds(p);
    }
    if (names.includes('opensmile-is11.csv') && names.some((n) => n.toLowerCase().endsWith('.wav'))) return loadEmodbWav(p);
    throw new DataError(p, 'folder holds no *_tst_loso<N>.mat files, no foldNN-x.npy/foldNN-y.npy pairs and no wav files with opensmile-is11.csv');
  }
  const ext = path.extname(p).toLowerCase();
  if (ext === '.csv' || ext === '.arff') {
    const table = readFeatureTable(p);
    return guessCorpus(table) === 'emodb' ? emodbFromTable(table, p) : iemocapFromTable(table, p, opts);
  }
  throw new DataError(p, `unsupported file type '${ext}' (expected an openSMILE .csv or .arff file, or a folder)`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
