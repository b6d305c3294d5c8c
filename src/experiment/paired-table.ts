/**
 * Paired comparisons of a store's units (src/analysis/paired.ts): for every method × classifier
 * × number of sets, the per-fold UAR difference against real rows only, against copy (the
 * simplest augmentation) and, where the store has it, against the steps control at the same k
 * (real rows trained as many updates as k sets give: more data or only more steps?), on the
 * same folds and repeats, with a bootstrap interval over folds and a sign-flip p-value. Also
 * one row per line for the mean over all its numbers of sets (`sets: 'mean'`): "does this
 * method help, whatever the number of sets?", chosen on nothing. Where the store holds inner
 * units (`select: 'inner'`), one more (`sets: 'inner'`): each fold read at its own choice made
 * on training speakers, against real rows only read at theirs (the DNN's epochs are chosen for
 * real rows too), copy at copy's or the steps control at its own: the figure a method would
 * get in use, with nothing picked on a test speaker.
 */
import { pairedDifference } from '../analysis/paired';
import { canonicalJson, seedFromKey, stableKey } from './hash';
import type { UnitRecord } from './store';
import { innerChoices, outerIndex, outerRecords, reportedChoices, uarAt, type InnerChoice } from './inner-select';
import { STEPS_METHOD } from './steps';

export interface PairedRow {
  dataset: string;
  method: string;
  /** Table label of the augmenter entry. */
  augment: string;
  classifier: string;
  /**
   * A number of sets; 'mean' for the mean over all the line's numbers of sets; 'inner' for each
   * fold at the sets (and epochs) its inner folds chose, against the compared line at its own.
   */
  sets: number | 'mean' | 'inner';
  /**
   * 'none' (real rows only, same classifier), 'copy' (copy at the same number of sets) or 'steps'
   * (the steps control at the same k); for 'inner' rows, the compared line at its own inner choice.
   */
  against: PairedAgainst;
  /** Mean over folds of the per-fold UAR difference (fraction; each fold's difference is its mean over repeats). */
  delta: number;
  /** 95 % percentile bootstrap interval of `delta`, resampling folds. */
  low: number;
  high: number;
  /** Two-sided sign-flip p-value over folds. */
  p: number;
  /** Folds compared, and repeats per fold (the smallest). */
  folds: number;
  repeats: number;
}

export interface PairedTableOptions {
  /** Bootstrap resamples. Default 10,000. */
  resamples?: number;
  /** Base seed of the bootstraps (each row derives its own from its identity). Default 0. */
  seed?: number;
  /** The inner choices of `records`, when the caller has them (summarize's `inner`). Default: computed from `records`. */
  choices?: readonly InnerChoice[];
}

/** What a paired row is compared with: real rows only, copy, or the steps control. */
export type PairedAgainst = 'none' | 'copy' | 'steps';

/** The lines a method is compared with at the same k, besides real rows only (never itself). */
const AGAINST_LINES = ['copy', 'steps'] as const;

/**
 * Copy against the steps control is the control against copy, negated (`mirrored`): computed
 * once, so that the two rows agree to the last digit (two bootstraps would not).
 */
const isMirror = (method: string, against: string): boolean => method === 'copy' && against === STEPS_METHOD;

type Key = string;

/** Every comparison the records allow, in method, classifier, against, sets order. */
export function pairedTable(records: readonly UnitRecord[], options: PairedTableOptions = {}): PairedRow[] {
  // UAR of every unit by (line, sets, fold, repeat)
  const lineId = (r: UnitRecord): Key => canonicalJson({ d: r.config.data.name, a: r.outcome.augmentLabel, ao: r.config.augment.options, c: r.outcome.classifierLabel, co: r.config.classifier.options, t: r.config.train });
  const classifierOf = (r: UnitRecord): Key => canonicalJson({ d: r.config.data.name, c: r.outcome.classifierLabel, co: r.config.classifier.options, t: r.config.train });
  const real = new Map<Key, Map<string, number>>(); // classifier -> "fold/repeat" -> uar
  const lines = new Map<Key, { sample: UnitRecord; points: Map<number, Map<string, number>> }>();
  for (const r of outerRecords(records)) {
    const fr = `${r.config.fold.index}/${r.config.repeat}`;
    if (r.config.sets === 0) {
      const m = real.get(classifierOf(r)) ?? new Map<string, number>();
      m.set(fr, r.outcome.uar);
      real.set(classifierOf(r), m);
      continue;
    }
    const line = lines.get(lineId(r)) ?? { sample: r, points: new Map() };
    const at = line.points.get(r.config.sets) ?? new Map<string, number>();
    at.set(fr, r.outcome.uar);
    line.points.set(r.config.sets, at);
    lines.set(lineId(r), line);
  }
  const lineOf = (method: string, sample: UnitRecord) => [...lines.values()].find((l) => l.sample.config.augment.method === method && classifierOf(l.sample) === classifierOf(sample));
  const rows: PairedRow[] = [];
  for (const { sample, points } of lines.values()) {
    const base = real.get(classifierOf(sample));
    const targets: [PairedAgainst, (sets: number) => Map<string, number> | undefined][] = [['none', () => base]];
    for (const method of AGAINST_LINES) {
      const other = method === sample.config.augment.method || isMirror(sample.config.augment.method, method) ? undefined : lineOf(method, sample);
      if (other) targets.push([method, (k) => other.points.get(k)]);
    }
    for (const [against, target] of targets) {
      const perSets = new Map<number, Map<number, number[]>>(); // sets -> fold -> differences over repeats
      for (const [k, uars] of [...points].sort((a, b) => a[0] - b[0])) {
        const other = target(k);
        if (!other) continue;
        const byFold = new Map<number, number[]>();
        for (const [fr, u] of uars) {
          const o = other.get(fr);
          if (o === undefined) continue;
          const fold = Number(fr.split('/')[0]);
          byFold.set(fold, [...(byFold.get(fold) ?? []), u - o]);
        }
        if (byFold.size > 0) perSets.set(k, byFold);
      }
      const identity = { d: sample.config.data.name, a: sample.outcome.augmentLabel, c: sample.outcome.classifierLabel, against };
      for (const [k, byFold] of perSets) rows.push(row(sample, k, against, byFold, seedOf({ ...identity, k }, options), options));
      // the mean over the line's numbers of sets, per fold, on the folds every number of sets has
      if (perSets.size > 1) {
        const folds = [...perSets.values()].map((m) => new Set(m.keys())).reduce((a, b) => new Set([...a].filter((f) => b.has(f))));
        const meanByFold = new Map<number, number[]>();
        for (const f of folds) meanByFold.set(f, [avg([...perSets.values()].map((m) => avg(m.get(f)!)))]);
        const minRepeats = Math.min(...[...perSets.values()].flatMap((m) => [...folds].map((f) => m.get(f)!.length)));
        if (meanByFold.size > 0) rows.push({ ...row(sample, 'mean', against, meanByFold, seedOf({ ...identity, k: 'mean' }, options), options), repeats: minRepeats });
      }
    }
  }
  rows.push(...innerPaired(records, options));
  rows.push(...mirrored(rows));
  const order = (r: PairedRow): string => `${r.dataset}\u0000${r.augment}\u0000${r.classifier}\u0000${r.against}`;
  const rank = (k: PairedRow['sets']): number => (k === 'mean' ? 1e6 : k === 'inner' ? 1e6 + 1 : k);
  return rows.sort((a, b) => order(a).localeCompare(order(b)) || rank(a.sets) - rank(b.sets));
}

/**
 * The 'inner' rows: per augmented line and fold, the outer unit at the fold's inner choice minus
 * the compared line's outer unit at its own choice, per repeat, on the folds both have. Real rows
 * only are read at the epochs chosen for them where their units kept stages (a fold they have not
 * chosen on yet is left out), and as trained where there was nothing to choose (an SVM).
 */
function innerPaired(records: readonly UnitRecord[], options: PairedTableOptions): PairedRow[] {
  const byLine = reportedChoices(options.choices ?? innerChoices(records));
  if (byLine.size === 0) return [];
  const outer = outerIndex(records);
  const sample = new Map([...outer.lines].map(([line, units]) => [line, units[0]])); // line -> one of its units
  const repeats = new Map<number, Set<number>>(); // fold -> repeats
  for (const units of outer.lines.values()) for (const r of units) repeats.set(r.config.fold.index, (repeats.get(r.config.fold.index) ?? new Set<number>()).add(r.config.repeat));
  const choiceOf = (line: string, fold: number): { sets: number; epochs?: number } | undefined => {
    const chosen = byLine.get(line);
    if (chosen) return chosen.find((c) => c.fold === fold);
    const s = sample.get(line);
    return s?.config.augment.method === 'none' && !s.outcome.stages ? { sets: 0 } : undefined;
  };
  const sameClassifier = (a: UnitRecord, b: UnitRecord): boolean =>
    a.config.data.name === b.config.data.name && a.outcome.classifierLabel === b.outcome.classifierLabel && canonicalJson(a.config.classifier.options) === canonicalJson(b.config.classifier.options) && a.config.train === b.config.train;
  const rows: PairedRow[] = [];
  for (const [line, choices] of byLine) {
    const s = sample.get(line);
    if (!s || s.config.augment.method === 'none') continue;
    const against: [PairedAgainst, string | undefined][] = (['none', ...AGAINST_LINES] as const).filter((m) => m !== s.config.augment.method && !isMirror(s.config.augment.method, m)).map((m) => [m, [...sample].find(([, o]) => o.config.augment.method === m && sameClassifier(o, s))?.[0]]);
    for (const [target, other] of against) {
      if (other === undefined) continue;
      const byFold = new Map<number, number[]>();
      for (const c of choices) {
        const o = choiceOf(other, c.fold);
        if (!o) continue;
        for (const repeat of repeats.get(c.fold) ?? []) {
          const u = outer.unit(line, c.fold, c.sets, repeat);
          const v = outer.unit(other, c.fold, o.sets, repeat);
          const a = u && uarAt(u, c.epochs);
          const b = v && uarAt(v, o.epochs);
          if (a !== undefined && b !== undefined) byFold.set(c.fold, [...(byFold.get(c.fold) ?? []), a - b]);
        }
      }
      if (byFold.size === 0) continue;
      const identity = { d: s.config.data.name, a: s.outcome.augmentLabel, c: s.outcome.classifierLabel, against: target, k: 'inner' };
      rows.push(row(s, 'inner', target, byFold, seedOf(identity, options), options));
    }
  }
  return rows;
}

/** Copy against the steps control, from each row of the control against copy (see `isMirror`). */
function mirrored(rows: readonly PairedRow[]): PairedRow[] {
  return rows
    .filter((r) => r.method === STEPS_METHOD && r.against === 'copy')
    .flatMap((r) => {
      const copy = rows.find((c) => c.method === 'copy' && c.dataset === r.dataset && c.classifier === r.classifier);
      return copy ? [{ ...r, method: 'copy', augment: copy.augment, against: STEPS_METHOD, delta: -r.delta, low: -r.high, high: -r.low }] : [];
    });
}

function row(sample: UnitRecord, sets: PairedRow['sets'], against: PairedAgainst, byFold: Map<number, number[]>, seed: number, options: PairedTableOptions): PairedRow {
  const folds = [...byFold.keys()].sort((a, b) => a - b);
  const r = pairedDifference(folds.map((f) => avg(byFold.get(f)!)), { seed, resamples: options.resamples });
  return {
    dataset: sample.config.data.name,
    method: sample.config.augment.method,
    augment: sample.outcome.augmentLabel,
    classifier: sample.outcome.classifierLabel,
    sets,
    against,
    delta: r.delta,
    low: r.low,
    high: r.high,
    p: r.p,
    folds: r.n,
    repeats: Math.min(...folds.map((f) => byFold.get(f)!.length)),
  };
}

function seedOf(identity: object, options: PairedTableOptions): number {
  return seedFromKey(stableKey({ ...identity, seed: options.seed ?? 0 }));
}

function avg(a: readonly number[]): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

/**
 * For the CLI: one line per method × classifier × comparison, the difference in UAR points at
 * every number of sets (`*` where the 95 % interval excludes 0) and the mean over all of them
 * with its interval and p-value.
 */
export function formatPaired(rows: readonly PairedRow[]): string {
  if (rows.length === 0) return 'paired comparisons: no augmented units with their real-only (or copy) units on the same folds';
  const sets = [...new Set(rows.flatMap((r) => (typeof r.sets === 'number' ? [r.sets] : [])))].sort((a, b) => a - b);
  const inner = rows.some((r) => r.sets === 'inner');
  const groups = new Map<string, PairedRow[]>();
  for (const r of rows) {
    const k = `${r.augment}\u0000${r.classifier}\u0000${r.against}`;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  const pts = (v: number): string => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  const header = ['method', 'classifier', 'vs', ...sets.map(String), 'mean of sets [95 % interval]', 'p', ...(inner ? ['inner choice [95 % interval]', 'p'] : []), 'folds'];
  const table = [...groups.values()].map((g) => {
    const mean = g.find((r) => r.sets === 'mean');
    const chosen = g.find((r) => r.sets === 'inner');
    const folds = Math.max(...g.filter((r) => r !== chosen).map((r) => r.folds), 0);
    return [
      g[0].augment, g[0].classifier, g[0].against === 'none' ? 'real' : g[0].against,
      ...sets.map((k) => {
        const r = g.find((x) => x.sets === k);
        return r ? `${pts(r.delta)}${r.low > 0 || r.high < 0 ? '*' : ''}` : '';
      }),
      mean ? `${pts(mean.delta)} [${pts(mean.low)}, ${pts(mean.high)}]` : '',
      mean ? mean.p.toFixed(3) : '',
      // the inner row pools the folds that have chosen: said when they are fewer (an inner grid still running)
      ...(inner ? [chosen ? `${pts(chosen.delta)} [${pts(chosen.low)}, ${pts(chosen.high)}]${chosen.folds !== folds ? ` (${chosen.folds} folds)` : ''}` : '', chosen ? chosen.p.toFixed(3) : ''] : []),
      String(folds || chosen?.folds || 0),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    'Paired UAR differences (points): per fold (speaker/session) the method minus real rows only, or minus copy at the same number of sets, or minus the steps control at the same k (where the store has it), averaged over repeats; mean over folds; * = 95 % bootstrap interval over folds excludes 0',
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.map(fmt),
    'note: the intervals resample speakers, the unit that varies most; p is the two-sided sign-flip test over folds. The mean over sets is chosen on nothing; a best number of sets picked on the test folds is not (see best.csv).',
    ...(inner
      ? [
          "note: \"inner choice\" reads each fold at the number of sets (and DNN epochs) its inner folds chose on the training speakers, against real rows only (or copy, or the steps control) read at their own choice: nothing in it is picked on the outer test speaker. Where the inner units' synthetic rows were shared (innerRows 'shared', the default for GAN-type augmenters), the augmenter had seen the inner test speakers (README).",
        ]
      : []),
  ].join('\n');
}
