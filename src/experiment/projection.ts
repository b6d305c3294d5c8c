/**
 * How long a grid (or what a store still lacks of it) takes on this kind of machine: every unit
 * priced by the cost of its kind, as `bench --grid` measured it (its `--json` output), every
 * augmenter fit at its epochs, summed and divided by the workers. `bench --grid` prices whole
 * grids this way; `reproduce --dry-run --costs FILE` prices the missing units of a store.
 *
 * A projection prices the scheduler as perfect, and each unit and fit epoch from the sizes timed
 * (in proportion to its rows): it is a plan, and the wall clock a run records is the check.
 */
import * as fs from 'node:fs';
import { DataError } from '../util/errors';
import { TRAINED_METHODS, type PaperDataset } from '../protocol/paper';
import { PROTOCOLS, type ProtocolName } from '../protocol/protocols';
import type { PreparedExperiment } from './prepare';
import type { UnitGroup } from './plan';

/** The classifier units `bench --grid` times: each protocol's SVM and DNN. */
export type UnitKind = 'svm-linear' | 'svm-rbf' | 'dnn-paper' | 'dnn-code';

export const CLASSIFIER_KIND: Readonly<Record<ProtocolName, Readonly<Record<'svm' | 'dnn', UnitKind>>>> = {
  paper: { svm: 'svm-linear', dnn: 'dnn-paper' },
  code: { svm: 'svm-rbf', dnn: 'dnn-code' },
};

/** Seconds per unit at `rows` from two measured points: a + b·rows, or c·rows² for the RBF SVM (kernel rows). */
export function costModel(kind: string, points: readonly { rows: number; seconds: number }[]): (rows: number) => number {
  const [p, q] = [...points].sort((a, b) => a.rows - b.rows);
  if (!q || q.rows === p.rows) return (r) => (p.seconds * r) / p.rows;
  if (kind === 'svm-rbf') {
    // fit the exponent between the two sizes (libsvm: between linear and quadratic), clamp to [1, 2]
    const e = Math.min(2, Math.max(1, Math.log(q.seconds / p.seconds) / Math.log(q.rows / p.rows)));
    return (r) => p.seconds * (r / p.rows) ** e;
  }
  const b = (q.seconds - p.seconds) / (q.rows - p.rows);
  const a = p.seconds - b * p.rows;
  return (r) => Math.max(0, a + b * r);
}

/**
 * Whose fit epoch times `method` under `protocol`: its own where the protocol sets the
 * augmenter's options (the code protocol's ADAN and WADAN), else the paper's, the same fit
 * (`bench --grid` times each once).
 */
export function fitTimingProtocol(method: string, protocol: ProtocolName): ProtocolName {
  return Object.hasOwn(PROTOCOLS[protocol].augment, method) ? protocol : 'paper';
}

/** Is `g` a group whose augmenter is trained (a GAN-type fit)? */
function trainsAugmenter(g: UnitGroup): boolean {
  return g.augmenter !== undefined && TRAINED_METHODS.includes(g.augmenter.method);
}

/**
 * Seconds of one worker for every unit of a prepared grid, by part: `fits` (each trained
 * augmenter at its epochs times `fitEpoch(method, rows)`, one epoch on its training rows) and
 * each classifier kind (`unit(kind, rows)` at the unit's training rows: its fold's real rows, an
 * inner unit's inner training rows, times 1 + sets). Groups whose key is in `loaded` cost no fit
 * (`reproduce --reuse-fits` loads them from another store; a store that kept them loads its own).
 */
export function gridCost(
  prep: Pick<PreparedExperiment, 'groups' | 'folds'>, protocol: ProtocolName, fitEpoch: (method: string, rows: number) => number, unit: (kind: UnitKind, rows: number) => number,
  loaded: ReadonlySet<string> = new Set(),
): Record<string, number> {
  const parts: Record<string, number> = { fits: 0 };
  for (const g of prep.groups) {
    const train = prep.folds.find((f) => f.fold.index === g.fold)!.train;
    // an inner unit (or an augmenter refitted for an inner fold) trains without the speakers that fold holds out
    const rowsWithout = (held: readonly string[] | undefined) => (held ? train.groups.filter((s) => !held.includes(s)).length : train.n);
    if (trainsAugmenter(g) && !loaded.has(g.key)) parts.fits += Number(g.augmenter!.options.epochs) * fitEpoch(g.augmenter!.method, rowsWithout(g.inner?.test));
    for (const u of g.units) {
      const kind = CLASSIFIER_KIND[protocol][u.config.classifier.name as 'svm' | 'dnn'];
      // the steps control trains real rows for as many updates as k sets: priced as k sets
      parts[kind] = (parts[kind] ?? 0) + unit(kind, (1 + u.config.sets) * rowsWithout(u.config.inner?.test));
    }
  }
  return parts;
}

/** What a projection needs of `bench --grid --json`'s output (GridBenchResult). */
export interface UnitCosts {
  date: string;
  machine: { cpu: string; cores: number; openblasCoretype: string | null };
  /** BLAS threads of each timed unit (one worker's share). */
  threads: number;
  /** `kind` is a classifier unit kind or `fit-<method>-<protocol>` (seconds per epoch). */
  units: { dataset: string; kind: string; rows: number; seconds: number }[];
}

/** A `bench --grid --json` output, checked for what a projection reads; errors name the file. */
export function readUnitCosts(file: string): UnitCosts {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(file, `cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}); write one with \`adan-lab bench --grid --json > ${file}\``);
  }
  let c: Partial<UnitCosts>;
  try {
    c = JSON.parse(text) as Partial<UnitCosts>;
  } catch (err) {
    throw new DataError(file, `not JSON (${(err as Error).message}); expected the output of \`adan-lab bench --grid --json\``);
  }
  const unitOk = (u: unknown): boolean => {
    const v = u as Record<string, unknown>;
    return !!v && typeof v.dataset === 'string' && typeof v.kind === 'string' && Number.isFinite(v.rows) && (v.rows as number) > 0 && Number.isFinite(v.seconds) && (v.seconds as number) >= 0;
  };
  if (!c || typeof c !== 'object' || !Array.isArray(c.units) || !c.units.every(unitOk) || typeof c.date !== 'string' || typeof c.machine?.cpu !== 'string' || !Number.isInteger(c.threads)) {
    throw new DataError(file, 'not a unit-cost table: expected the output of `adan-lab bench --grid --json` (date, machine, threads and units of {dataset, kind, rows, seconds})');
  }
  return c as UnitCosts;
}

export interface Projection {
  /** Wall-clock hours on `jobs` workers. */
  hours: number;
  jobs: number;
  /** Hours of one worker by part: `fits` and each classifier kind. */
  parts: Record<string, number>;
  /** Units priced. */
  units: number;
  /** Augmenter fits priced (those with a priced unit and not `loaded`). */
  fits: number;
}

/**
 * The hours the units in `keys` (default: all of the grid) take, priced by `costs` for `dataset`
 * under `protocol`, on `jobs` workers. Fits are priced for the groups that have such a unit and
 * are not in `loaded`. A kind the costs do not time for the dataset is an error naming `source`.
 */
export function projectUnits(
  prep: Pick<PreparedExperiment, 'groups' | 'folds'>, protocol: ProtocolName, dataset: PaperDataset, costs: UnitCosts,
  options: { jobs: number; keys?: ReadonlySet<string>; loaded?: ReadonlySet<string>; source?: string },
): Projection {
  const source = options.source ?? 'the unit costs';
  const timed = (kind: string) => costs.units.filter((u) => u.dataset === dataset && u.kind === kind);
  const need = (kind: string) => {
    const points = timed(kind);
    if (points.length === 0) throw new DataError(source, `no ${kind} timing for ${dataset}; \`adan-lab bench --grid --json --datasets ${dataset}\` measures every kind the grids use`);
    return points;
  };
  const groups: UnitGroup[] = prep.groups
    .map((g) => ({ ...g, units: options.keys ? g.units.filter((u) => options.keys!.has(u.key)) : g.units }))
    .filter((g) => g.units.length > 0);
  const models = new Map<string, (rows: number) => number>();
  const unit = (kind: UnitKind, rows: number) => {
    if (!models.has(kind)) models.set(kind, costModel(kind, need(kind)));
    return models.get(kind)!(rows);
  };
  // an epoch's seconds in proportion to its rows (every fit epoch passes over all of them)
  const fitEpoch = (method: string, rows: number) => {
    const [point] = need(`fit-${method}-${fitTimingProtocol(method, protocol)}`);
    return (point.seconds * rows) / point.rows;
  };
  const seconds = gridCost({ groups, folds: prep.folds }, protocol, fitEpoch, unit, options.loaded);
  const fits = groups.filter((g) => trainsAugmenter(g) && !options.loaded?.has(g.key)).length;
  const total = Object.values(seconds).reduce((s, v) => s + v, 0);
  return {
    hours: total / 3600 / options.jobs,
    jobs: options.jobs,
    parts: Object.fromEntries(Object.entries(seconds).map(([k, v]) => [k, v / 3600])),
    units: groups.reduce((s, g) => s + g.units.length, 0),
    fits,
  };
}

/** One line: the hours, what they are made of and where the costs come from. */
export function formatProjection(p: Projection, costs: UnitCosts, source: string): string {
  const parts = Object.entries(p.parts).filter(([, h]) => h > 0).map(([k, h]) => `${k} ${h.toFixed(1)} h`).join(', ');
  return (
    `projected: ${p.hours.toFixed(1)} h on ${p.jobs} worker${p.jobs === 1 ? '' : 's'} for ${p.units} unit${p.units === 1 ? '' : 's'} and ${p.fits} augmenter fit${p.fits === 1 ? '' : 's'}` +
    ` (one worker: ${parts || 'nothing'}), at the unit costs of ${source} (bench --grid, ${costs.date.slice(0, 10)}, ${costs.machine.cpu}, ${costs.threads} BLAS thread${costs.threads === 1 ? '' : 's'} a worker);` +
    ' a perfect scheduler, so a plan, not a promise'
  );
}
