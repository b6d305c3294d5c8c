/**
 * Table I / II and the paired differences as markdown, from a grid's best rows, points and paired
 * rows (results.ts reads them from a store or the committed tables): what notebook 04 shows and
 * scripts/table1-side-by-side.ts prints into REPRODUCTION.md.
 *
 * @example
 *   showMarkdown(tableMarkdown(PAPER_TABLE_I, [{ label: 'ours', best: paper.best, summary: paper.summary, folds: 10 }]));
 *   showMarkdown(pairedMarkdown([{ label: 'paper protocol', paired: paper.paired }], ['copy', 'adan']));
 */
import type { BestRow, SummaryRow } from '../experiment/summary';
import type { PairedRow } from '../experiment/paired-table';
import { PER_REPEAT_LABEL } from '../experiment/plan';
import type { PaperTable } from '../protocol/paper';

/** One cell of the rendered Table I / II: WA / UAR (sets) and ΔUAR against the real-only point. */
function cell(b: BestRow | undefined, folds?: number, spread = false, groups = 'speakers'): { value: string; delta: string } {
  if (!b) return { value: '–', delta: '' };
  // a row of a grid still running pools fewer speakers: say how many, it is not comparable with the paper's
  const sets = (b.method === 'none' ? '' : ` (${b.sets})`) + (folds !== undefined && b.folds < folds ? ` [${b.folds} of ${folds} ${groups}]` : '');
  const d = 100 * (b.uar - b.baselineUar);
  const pm = (v: number, s: number): string => (100 * v).toFixed(2) + (spread && Number.isFinite(s) ? `±${(100 * s).toFixed(2)}` : '');
  return { value: `${pm(b.wa, b.waStd)} / ${pm(b.uar, b.uarStd)}${sets}`, delta: b.method === 'none' || !Number.isFinite(d) ? '' : `${d >= 0 ? '+' : ''}${d.toFixed(2)}` };
}

/** A column of {@link tableMarkdown}: a label and the best rows of one run (null: not computed yet). */
export interface TableColumn {
  label: string;
  best: readonly BestRow[] | null;
  /** Said in the cells when `best` is null. Default 'not computed yet'. */
  missing?: string;
  /** Folds of the complete grid: a row pooling fewer says how many (a grid still running). Default: not said. */
  folds?: number;
  /** What the folds hold out, plural, in those counts: 'speakers' (EmoDB, the default) or 'sessions' (IEMOCAP). */
  groups?: string;
  /** Every point of the run: adds a column with ΔUAR averaged over the line's sets >= 1 (chosen on nothing, unlike the best point). Default none. */
  summary?: readonly SummaryRow[] | null;
  /**
   * Print WA and UAR as mean±std over repeats (what an augmenter per repeat widens); with
   * `summary`, also the UAR std over repeats averaged over the line's sets >= 1. Default false.
   */
  spread?: boolean;
  /**
   * Add the UAR at each fold's number of sets (and DNN epochs) chosen on its training speakers
   * (best.csv's uarInner, `--select inner`) and its ΔUAR against the real-only row at its own
   * choice (as trained where it had none to make). Shown only when the best rows have such
   * choices. Default false.
   */
  inner?: boolean;
}

/**
 * UAR minus the real-only UAR of the same classifier, averaged over every number of sets (1 or
 * more) of a method: a figure chosen on nothing, unlike the best point. NaN when a point pools
 * other folds than the real-only point (a grid still running), as the difference would mix speakers.
 */
export function meanDelta(summary: readonly SummaryRow[], method: string, classifier: string): { delta: number; points: number } {
  const ofClf = (r: SummaryRow): boolean => ofClassifier(r, classifier);
  const base = summary.find((r) => r.method === 'none' && r.sets === 0 && ofClf(r));
  const points = summary.filter((r) => r.method === method && r.sets > 0 && ofClf(r));
  if (!base || points.length === 0 || points.some((r) => r.foldIndices !== base.foldIndices)) return { delta: NaN, points: points.length };
  return { delta: points.reduce((a, r) => a + r.uar - base.uar, 0) / points.length, points: points.length };
}

/** A line's UAR std over repeats, averaged over its numbers of sets (1 or more); NaN without points. */
function meanStd(summary: readonly SummaryRow[], method: string, classifier: string): number {
  const points = summary.filter((r) => r.method === method && r.sets > 0 && ofClassifier(r, classifier) && Number.isFinite(r.uarStd));
  return points.length ? points.reduce((a, r) => a + r.uarStd, 0) / points.length : NaN;
}

/** Is `b` a row of classifier `clf` (its table label or its name)? */
function ofClassifier(b: { classifier: string; classifierName?: string }, clf: string): boolean {
  return b.classifierName === clf || b.classifier === clf;
}

/** The folds of best.csv's per-fold choices (`1:3 2:10` gives `1,2`), as foldIndices writes them. */
function choiceFolds(perFold: string): string {
  return perFold.split(' ').filter((x) => x).map((x) => Number(x.split(':')[0])).sort((a, b) => a - b).join(',');
}

/**
 * A row's UAR at its inner choices, and ΔUAR against real rows only as the paired rows at the
 * inner choice read them (paired-table.ts): at the real-only row's own choice (the DNN's epochs),
 * or as trained where that classifier has nothing to choose (the SVM); blank when the real-only
 * row has not chosen yet or chose on other folds, as the difference would mix speakers.
 */
function innerCells(best: readonly BestRow[], b: BestRow | undefined, folds?: number, groups = 'speakers'): [string, string] {
  if (!b || b.setsInner === '' || !Number.isFinite(b.uarInner)) return ['', ''];
  const mine = choiceFolds(b.setsInner);
  const count = mine.split(',').length;
  const value = (100 * b.uarInner).toFixed(2) + (folds !== undefined && count < folds ? ` [${count} of ${folds} ${groups}]` : '');
  if (b.method === 'none') return [value, ''];
  const base = best.find((r) => r.method === 'none' && r.dataset === b.dataset && r.classifier === b.classifier && r.classifierOptions === b.classifierOptions && r.train === b.train);
  const ref =
    base && base.setsInner !== '' ? (choiceFolds(base.setsInner) === mine ? base.uarInner : NaN)
    : b.epochsInner === '' && b.foldIndices === mine ? b.baselineUar // nothing to choose: real rows as trained, on the same folds
    : NaN;
  const d = 100 * (b.uarInner - ref);
  return [value, Number.isFinite(d) ? `${d >= 0 ? '+' : ''}${d.toFixed(2)}` : ''];
}

/**
 * The paper's Table I or II as a markdown table, the paper's WA / UAR (sets) beside each of our
 * runs' best points (WA / UAR (sets), ΔUAR against the real-only point of the same classifier
 * on the same folds), one row per method and classifier, in the paper's order. Each column can
 * add the ΔUAR averaged over sets (`summary`), ± over repeats (`spread`) and the UAR at the
 * choices made on training speakers (`inner`).
 */
export function tableMarkdown(paper: PaperTable, columns: readonly TableColumn[]): string {
  const fmt = (v: number | null | undefined, s?: number): string => (v === null || v === undefined ? '–' : s ? `${v.toFixed(2)}±${s.toFixed(2)}` : v.toFixed(2));
  const signed = (v: number): string => (Number.isFinite(v) ? `${v >= 0 ? '+' : ''}${(100 * v).toFixed(2)}` : '');
  const order = [...new Set([...paper.entries.map((e) => e.method), ...columns.flatMap((c) => (c.best ?? []).map((b) => b.method))])];
  const spreadMean = (c: TableColumn): boolean => c.spread === true && c.summary !== undefined;
  const withInner = (c: TableColumn): boolean => c.inner === true && (c.best ?? []).some((b) => b.setsInner !== '');
  const columnHead = (c: TableColumn): string[] => [
    `${c.label}: WA / UAR${c.spread ? ', ± over repeats' : ''} (sets)`,
    'ΔUAR',
    ...(c.summary !== undefined ? ['ΔUAR, mean over sets'] : []),
    ...(spreadMean(c) ? ['UAR ± over repeats, mean over sets'] : []),
    ...(withInner(c) ? ['UAR, sets chosen on training speakers', 'ΔUAR, inner choice'] : []),
  ];
  const columnCells = (c: TableColumn, method: string, clf: string): string[] => {
    if (!c.best) return [c.missing ?? 'not computed yet', '', ...columnHead(c).slice(2).map(() => '')];
    const b = c.best.find((r) => r.method === method && ofClassifier(r, clf));
    const main = cell(b, c.folds, c.spread, c.groups);
    const augmented = c.summary && method !== 'none';
    return [
      main.value,
      main.delta,
      ...(c.summary !== undefined ? [augmented ? signed(meanDelta(c.summary!, method, clf).delta) : ''] : []),
      ...(spreadMean(c) ? [augmented ? ((sd) => (Number.isFinite(sd) ? `±${(100 * sd).toFixed(2)}` : ''))(meanStd(c.summary!, method, clf)) : ''] : []),
      ...(withInner(c) ? innerCells(c.best, b, c.folds, c.groups) : []),
    ];
  };
  const head = ['method', 'classifier', 'paper WA / UAR (sets)', ...columns.flatMap(columnHead)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i < 2 ? '---' : '---:')).join('|')}|`];
  for (const method of order) {
    for (const clf of ['svm', 'dnn']) {
      const e = paper.entries.find((x) => x.method === method && x.classifier === clf);
      // a line no run has and the paper lacks (the steps control with the SVM) is left out
      if (!e && !columns.some((c) => c.best?.some((b) => b.method === method && ofClassifier(b, clf)))) continue;
      const paperCell = e ? `${fmt(e.wa, e.waStd)} / ${fmt(e.uar, e.uarStd)}${e.sets ? ` (${e.sets})` : method === 'none' ? '' : ' (?)'}` : '';
      lines.push(`| ${method === 'none' ? 'none (real only)' : method} | ${clf.toUpperCase()} | ${paperCell} | ${columns.flatMap((c) => columnCells(c, method, clf)).join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/**
 * The paired differences of one or more runs as a markdown table: per method and classifier, the
 * mean over the line's sets >= 1 of the per-fold UAR difference against real rows only, its 95 % bootstrap
 * interval over folds and sign-flip p (points of UAR), in the order of `methods` (others after).
 * `sets: 'inner'` gives the rows at each fold's inner choice instead. Runs without such rows are
 * left out; '' when none has any.
 */
export function pairedMarkdown(runs: readonly { label: string; paired: readonly PairedRow[] | null }[], methods: readonly string[] = [], sets: 'mean' | 'inner' = 'mean'): string {
  const withPaired = runs.filter((x) => x.paired && x.paired.some((p) => p.sets === sets));
  if (withPaired.length === 0) return '';
  const pct = (v: number): string => `${v >= 0 ? '+' : ''}${(100 * v).toFixed(1)}`;
  const head = ['method', 'classifier', ...withPaired.map((x) => `${x.label}: ΔUAR [95 % interval], p (folds)`)];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  const rank = (m: string): number => (methods.includes(m) ? methods.indexOf(m) : methods.length);
  const all = [...new Set(withPaired.flatMap((x) => x.paired!.map((p) => p.method)))].sort((a, b) => rank(a) - rank(b));
  for (const method of all) {
    for (const clf of ['svm', 'dnn']) {
      const cells = withPaired.map(({ paired }) => {
        const p = paired!.find((row) => row.method === method && row.classifier === clf && row.sets === sets && row.against === 'none');
        return p ? `${pct(p.delta)} [${pct(p.low)}, ${pct(p.high)}], p ${p.p.toFixed(2)} (${p.folds})` : '';
      });
      if (cells.every((c) => c === '')) continue;
      lines.push(`| ${method} | ${clf.toUpperCase()} | ${cells.join(' | ')} |`);
    }
  }
  return lines.join('\n');
}

/** A grid's tables as {@link seedSpreadMarkdown} reads them (a {@link GridResults} will do). */
export interface ResultTablesLike {
  best: readonly BestRow[];
  summary: readonly SummaryRow[];
  paired: readonly PairedRow[] | null;
}

/**
 * The augmenter-seed spread (issue 13, item 4) beside the grid it repeats: its methods' rows with
 * ± over repeats, one augmenter per fold in `grid`, one per fold and repeat in `seeds`, so the
 * second ± includes which augmenter was trained; and their paired intervals side by side. The
 * seed run's lines are those labelled {@link PER_REPEAT_LABEL}, with its real rows only.
 */
export function seedSpreadMarkdown(paper: PaperTable, grid: ResultTablesLike, seeds: ResultTablesLike, options: { folds?: number; protocol?: string } = {}): { table: string; paired: string } {
  const folds = options.folds;
  const perRepeat = seeds.best.filter((b) => b.augmenterSeeds > 1 || b.method === 'none');
  const methods = new Set(perRepeat.map((b) => b.method));
  const of = <T extends { method: string }>(rows: readonly T[]): T[] => rows.filter((r) => methods.has(r.method));
  // rows are matched by method: keep only the seed run's own lines (and its real rows)
  const spread = <T extends { method: string; augment: string }>(rows: readonly T[]): T[] => rows.filter((r) => r.method === 'none' || r.augment.endsWith(PER_REPEAT_LABEL));
  const table = tableMarkdown({ ...paper, entries: of(paper.entries) }, [
    { label: `${options.protocol ? `${options.protocol}, ` : ''}one augmenter per fold`, best: of(grid.best), summary: grid.summary, folds, spread: true },
    { label: 'an augmenter per fold and repeat', best: spread(perRepeat), summary: spread(seeds.summary), folds, spread: true },
  ]);
  const paired = pairedMarkdown([
    { label: 'one augmenter per fold', paired: grid.paired && of(grid.paired) },
    { label: 'an augmenter per fold and repeat', paired: seeds.paired && spread(seeds.paired) },
  ], [...methods]);
  return { table, paired };
}
