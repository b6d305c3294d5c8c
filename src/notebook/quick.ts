/**
 * Quick vs full settings of a notebook, chosen in its parameter cell.
 *
 * `ADAN_QUICK=1` (what CI and `adan-lab notebooks run --quick` set) picks the quick settings:
 * every notebook then runs end to end in minutes on two cores, with GAN-type training far too
 * short to judge any method. Unset (or `0`), the paper's settings are used.
 *
 * @example
 *   const p = notebookParams('04-emodb', {
 *     quick: { folds: [1], epochs: 20 },
 *     full: { folds: undefined, epochs: 1500 },
 *   });
 *   p.epochs;     // 20 with ADAN_QUICK=1, else 1500
 *   p.storeDir;   // results/notebooks/04-emodb/quick (or .../full), under the project root
 */
import { MAX_SETS, PAPER_EPOCHS } from '../protocol/paper';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { projectRoot } from '../data/locate';

/** The env values that turn quick mode on (case-insensitive). */
export const QUICK_VALUES: readonly string[] = ['1', 'true', 'yes', 'on'];

/** The env values that turn it off explicitly (same as unset). */
export const FULL_VALUES: readonly string[] = ['', '0', 'false', 'no', 'off'];

/** Whether quick mode is on: `ADAN_QUICK` in `QUICK_VALUES`. Any other value is an error (a typo should not start a multi-hour run). */
export function quickMode(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env.ADAN_QUICK;
  if (raw === undefined) return false;
  const v = raw.trim().toLowerCase();
  if (QUICK_VALUES.includes(v)) return true;
  if (FULL_VALUES.includes(v)) return false;
  throw new Error(`ADAN_QUICK=${JSON.stringify(raw)}: expected one of ${[...QUICK_VALUES, ...FULL_VALUES.filter(Boolean)].join(', ')} (or unset for the full settings)`);
}

/** Where notebooks keep their runner stores and cached augmenters: `<project>/results/notebooks`. */
export const NOTEBOOK_RESULTS = path.join(projectRoot, 'results', 'notebooks');

/**
 * The store `adan-lab reproduce <dataset> [--protocol code]` writes when run from the project
 * root (`results/<dataset>`, `results/<dataset>-code`): a full-mode notebook that runs the same
 * grid reads it, so one full run (CLI, sharded batch job, or notebook) serves both.
 */
export function reproduceStore(dataset: 'emodb' | 'iemocap', protocol: 'paper' | 'code' = 'paper'): string {
  return path.join(projectRoot, 'results', `${dataset}${protocol === 'paper' ? '' : `-${protocol}`}`);
}

/**
 * The committed tables of a grid (`docs/results/<name>`, e.g. `emodb`, `emodb-code`): what a
 * full-mode notebook draws when no store is here (a fresh clone: `results/` is not in git).
 */
export function committedResults(name: string): string {
  return path.join(projectRoot, 'docs', 'results', name);
}

/** Where a notebook saves its figures: `docs/figures/<notebook>` in full mode (committed), under its store in quick mode (not). */
export function figureDir(name: string, quick: boolean, resultsDir: string = NOTEBOOK_RESULTS): string {
  return quick ? path.join(resultsDir, name, 'quick', 'figures') : path.join(projectRoot, 'docs', 'figures', name);
}

/** What `notebookParams` adds to a notebook's own settings. */
export interface NotebookMode {
  /** True in quick mode. */
  quick: boolean;
  /** 'quick' or 'full'. */
  mode: 'quick' | 'full';
  /** The notebook's result store: `results/notebooks/<name>/<mode>`. */
  storeDir: string;
  /** Shared cache of fitted augmenters (all notebooks): `results/notebooks/augmenters`. */
  augmenterDir: string;
  /** Where `show(spec, { saveAs: \`${p.figureDir}/name\` })` saves figures: `docs/figures/<name>` (full) or `results/notebooks/<name>/quick/figures` (quick). */
  figureDir: string;
  /** The notebook's name (its file name without .ipynb). */
  name: string;
}

/** Options of {@link notebookParams}. */
export interface NotebookParamsOptions {
  /** Force quick (true) or full (false) instead of reading ADAN_QUICK. Default: `quickMode()`. */
  quick?: boolean;
  /** Root of the stores. Default `NOTEBOOK_RESULTS`. */
  resultsDir?: string;
}

/**
 * The settings of a notebook for the current mode, plus where its results go. Both settings
 * objects must have the same keys (a key only in one is an error: it would silently differ).
 * Their types may differ: a setting that is `undefined` in quick mode and a string in full mode
 * reads as `string | undefined`, with no cast in the notebook's parameter cell.
 */
export function notebookParams<Q extends object, F extends object>(name: string, settings: { quick: Q; full: F }, options: NotebookParamsOptions = {}): (Q | F) & NotebookMode {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`notebookParams: name must be a plain folder name (letters, digits, '.', '-', '_'), got ${JSON.stringify(name)}`);
  if (!settings || typeof settings.quick !== 'object' || typeof settings.full !== 'object') throw new Error('notebookParams: settings must be { quick: {...}, full: {...} }');
  const qk = Object.keys(settings.quick).sort();
  const fk = Object.keys(settings.full).sort();
  const onlyOne = [...qk.filter((k) => !fk.includes(k)), ...fk.filter((k) => !qk.includes(k))];
  if (onlyOne.length > 0) throw new Error(`notebookParams: quick and full settings must have the same keys; only in one: ${onlyOne.join(', ')}`);
  const quick = options.quick ?? quickMode();
  const mode = quick ? 'quick' : 'full';
  const root = options.resultsDir ?? NOTEBOOK_RESULTS;
  return { ...(quick ? settings.quick : settings.full), quick, mode, storeDir: path.join(root, name, mode), augmenterDir: path.join(root, 'augmenters'), figureDir: figureDir(name, quick, root), name };
}

/** The line a parameter cell prints: which mode, and what it means for the numbers below. */
export function describeMode(p: NotebookMode): string {
  return p.quick
    ? 'QUICK mode (ADAN_QUICK=1): few epochs, folds and sets, so the notebook runs in minutes. GAN-type augmenters trained this briefly ' +
        'produce rows that do not yet carry their label, so augmentation looks harmful here: these numbers show the machinery, never the method.'
    : `FULL mode: the settings of the parameter cell above (the paper's where it gives them: ${PAPER_EPOCHS} epochs, every fold, 0-${MAX_SETS} sets). Long runs are stored in ${path.relative(projectRoot, p.storeDir)} and reused.`;
}

/** The commit the library was built from: short hash, and whether src/ differs from it; undefined outside a git checkout. */
export function libraryCommit(root: string = projectRoot): { commit: string; date: string; dirty: boolean } | undefined {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git('log', '-1', '--format=%h %cI');
  if (head.status !== 0 || !head.stdout.trim()) return undefined;
  const [commit, date] = head.stdout.trim().split(' ');
  const status = git('status', '--porcelain', '--', 'src');
  return { commit, date, dirty: status.status === 0 && status.stdout.trim() !== '' };
}

/**
 * The first line a notebook prints: which notebook, the library's commit (and whether src/ has
 * changes not committed), when it ran (UTC) and in which mode, so a reader knows what produced
 * the outputs below.
 */
export function provenance(p: Pick<NotebookMode, 'mode' | 'name'>, now: Date = new Date()): string {
  const c = libraryCommit();
  const lib = c ? `adan-lab ${c.commit} (${c.date.slice(0, 10)})${c.dirty ? ' with uncommitted changes in src/' : ''}` : 'adan-lab (not a git checkout: commit unknown)';
  return `${p.name}: ${lib}; run ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC; ${p.mode.toUpperCase()} mode; Node ${process.version}`;
}
