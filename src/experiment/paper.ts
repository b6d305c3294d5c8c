/**
 * Text tables that print our best points next to the paper's Tables I and II (whose numbers
 * live in src/protocol/paper.ts) and the curves of Fig. 6 / 7.
 */
import type { BestRow, Summary, SummaryRow } from './summary';
import { MAX_SETS, PAPER_EPOCHS, TRAINED_METHODS, type PaperEntry, type PaperTable } from '../protocol/paper';
import { formatRanges } from './format-ranges';
import { SYNTHETIC_NOTICE } from '../data/synthetic';

export { PAPER_TABLE_I, PAPER_TABLE_II, PAPER_TABLES, PAPER_EPOCHS, TRAINED_METHODS, type PaperEntry, type PaperTable } from '../protocol/paper';

const METHOD_ORDER = ['none', 'steps', 'copy', 'noise', 'smote', 'gan', 'cgan', 'aae', 'adan', 'wadan'];

export interface FormatTableOptions {
  /** Extra lines printed under the table. */
  notes?: string[];
}

/**
 * Our best point per method and classifier next to the paper's (WA / UAR %, best number of
 * sets), with notes on how to read it.
 */
export function formatTable(summary: Summary, paper?: PaperTable, options: FormatTableOptions = {}): string {
  const best = summary.best;
  type Line = { method: string; label: string; classifier: string; ours?: BestRow; paper?: PaperEntry };
  const lines: Line[] = [];
  for (const b of best) lines.push({ method: b.method, label: b.augment, classifier: b.classifier, ours: b });
  for (const p of paper?.entries ?? []) {
    const mine = lines.find((l) => l.method === p.method && !l.paper && (l.ours?.classifierName ?? l.classifier) === p.classifier);
    if (mine) mine.paper = p;
    else lines.push({ method: p.method, label: p.method, classifier: p.classifier, paper: p });
  }
  const rank = (m: string): number => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);
  lines.sort((a, b) => rank(a.method) - rank(b.method) || a.label.localeCompare(b.label) || a.classifier.localeCompare(b.classifier));

  const pct = (v: number | null | undefined, std?: number): string => (v === null || v === undefined || Number.isNaN(v) ? '–' : std !== undefined && std > 0 ? `${v.toFixed(2)}±${std.toFixed(2)}` : v.toFixed(2));
  // select: 'inner': the figure chosen on training speakers, and the one chosen on nothing, beside the paper's pick on test
  const inner = best.some((b) => b.setsInner !== '');
  const epochs = best.some((b) => b.epochsInner !== '');
  const header = ['method', 'classifier', 'paper WA', 'paper UAR', 'paper sets', 'ours WA', 'ours UAR', 'ours sets', 'ΔUAR', ...(inner ? ['mean-sets UAR', 'inner UAR', 'inner sets'] : []), ...(epochs ? ['inner epochs'] : []), 'folds×rep'];
  const rows = lines.map((l) => {
    const o = l.ours;
    const delta = o && o.method !== 'none' && !Number.isNaN(o.baselineUar) ? (100 * (o.uar - o.baselineUar)).toFixed(2) : '';
    return [
      l.label === 'none' ? 'none (real only)' : l.label,
      l.classifier,
      l.paper ? pct(l.paper.wa, l.paper.waStd) : '',
      l.paper ? pct(l.paper.uar, l.paper.uarStd) : '',
      l.paper?.sets !== undefined ? String(l.paper.sets) : l.paper ? (l.method === 'none' ? '0' : '?') : '',
      o ? pct(100 * o.wa, 100 * o.waStd) : 'not run',
      o ? pct(100 * o.uar, 100 * o.uarStd) : '',
      o ? String(o.sets) : '',
      delta && !delta.startsWith('-') ? `+${delta}` : delta,
      ...(inner ? innerCells(o, pct) : []),
      ...(epochs ? [choicesText(o?.epochsInner ?? '')] : []),
      o ? `${o.folds}×${o.repeats}${!o.repeatsComplete ? ' (partial repeats)' : o.partialRepeats ? ` (+${o.partialRepeats} partial)` : ''}` : '',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]): string => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const out: string[] = [];
  const dataset = best[0]?.dataset ?? paper?.dataset ?? '';
  out.push(`${paper ? paper.title + ' vs ' : ''}adan-lab on ${dataset}: best number of augmented sets per method (WA / UAR %, pooled over folds, mean±std over repeats)`);
  out.push(fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt));
  out.push('', ...tableNotes(summary, paper), ...(options.notes ?? []).map((n) => `note: ${n}`));
  return out.join('\n');
}

/**
 * The inner columns of a row: mean over its sets, the UAR at the inner choices, the choices in
 * fold order (`2,10,1`). A real-only row has inner choices only when its epochs were chosen.
 */
function innerCells(o: BestRow | undefined, pct: (v: number | undefined) => string): string[] {
  if (!o) return ['', '', ''];
  if (o.method === 'none') return ['', o.setsInner ? pct(100 * o.uarInner) : '', ''];
  return [pct(100 * o.uarMeanSets), o.setsInner ? pct(100 * o.uarInner) : '', choicesText(o.setsInner)];
}

/** `1:3 2:10` (best.csv's per-fold choices) as `3,10`. */
function choicesText(perFold: string): string {
  return perFold.split(' ').filter((x) => x).map((x) => x.split(':')[1]).join(',');
}

/**
 * The curves of Fig. 6 / 7 as text: UAR % against the number of augmented sets, one line per
 * method and classifier, from curve rows (`matchedCurves(records)`, or `curves(summary)` on a
 * complete grid). Each line is printed on the folds and repeats its rows pool, its real-only
 * point being the row of 0 sets on those same folds.
 */
export function formatCurves(rows: readonly SummaryRow[]): string {
  const rank = (m: string): number => (METHOD_ORDER.includes(m) ? METHOD_ORDER.indexOf(m) : METHOD_ORDER.length);
  const points = rows.filter((r) => r.sets > 0);
  const sets = [...new Set(points.map((r) => r.sets))].sort((a, b) => a - b);
  const datasets = new Set(rows.map((r) => r.dataset));
  const maxFolds = Math.max(0, ...rows.map((r) => r.folds));
  const maxRepeats = Math.max(0, ...rows.map((r) => r.repeats));
  const lineOf = (r: SummaryRow): string => [r.dataset, r.augment, r.augmentOptions, r.classifier, r.classifierOptions, r.train].join('\u0000');
  const lines = new Map<string, SummaryRow[]>();
  for (const r of points) lines.set(lineOf(r), [...(lines.get(lineOf(r)) ?? []), r]);
  const header = [...(datasets.size > 1 ? ['dataset'] : []), 'method', 'classifier', 'folds', 'rep', 'real only', ...sets.map(String)];
  const table = [...lines.values()]
    .sort((a, b) => a[0].dataset.localeCompare(b[0].dataset) || rank(a[0].method) - rank(b[0].method) || a[0].augment.localeCompare(b[0].augment) || a[0].classifier.localeCompare(b[0].classifier) || a[0].train.localeCompare(b[0].train))
    .map((line) => {
      const first = line[0];
      // the 0-sets row of this line: same method and classifier on the same folds and repeats
      const base = rows.find((r) => r.sets === 0 && r.dataset === first.dataset && r.augment === first.augment && r.augmentOptions === first.augmentOptions && r.classifier === first.classifier && r.classifierOptions === first.classifierOptions && r.foldIndices === first.foldIndices && r.repeats === first.repeats);
      const at = (k: number): string => {
        const r = line.find((x) => x.sets === k);
        return r ? (100 * r.uar).toFixed(2) : '';
      };
      const folds = first.folds === maxFolds ? `all ${maxFolds}` : formatRanges(first.foldIndices.split(',').map(Number));
      return [...(datasets.size > 1 ? [first.dataset] : []), first.augment, first.classifier, folds, String(first.repeats), base ? (100 * base.uar).toFixed(2) : '–', ...sets.map(at)];
    });
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const left = header.indexOf('folds');
  const fmt = (r: string[]): string => r.map((c, i) => (i <= left ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const partial = table.length > 0 && [...lines.values()].some((l) => l[0].folds < maxFolds || l[0].repeats < maxRepeats);
  return [
    `UAR % against the number of augmented sets (Fig. 6 / 7): pooled over the folds given, mean over repeats${partial ? '; a partial line is pooled on the folds × repeats that hold all its points, its real-only point on the same ones' : ''}; a blank is a point not computed`,
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.map(fmt),
  ].join('\n');
}

/** A grid of fewer numbers of sets than the paper's 1-10 (`reproduce --sets`, --quick): which, since every choice is among them. */
function setsNote(summary: Summary): string[] {
  const sets = [...new Set(summary.summary.filter((r) => r.sets > 0).map((r) => r.sets))].sort((a, b) => a - b);
  if (sets.length === 0 || sets.join(',') === Array.from({ length: MAX_SETS }, (_, i) => i + 1).join(',')) return [];
  return [`note: these lines have ${sets.join(', ')} augmented set${sets.length === 1 ? '' : 's'} (the paper's grid: 1-${MAX_SETS}); the best point${summary.best.some((b) => b.setsInner !== '') ? ', the mean over sets and the inner choice are' : ' and the mean over sets are'} among these only.`];
}

/** The notes formatTable prints: how the best point was chosen, and what makes a run not comparable. */
export function tableNotes(summary: Summary, paper?: PaperTable): string[] {
  const notes = [
    'note: "sets" is the number of augmented sets at the peak, chosen on the test folds as the paper did (an optimistic figure); ΔUAR is against our real-only point of the same classifier on the same folds.',
    ...(summary.best.some((b) => b.setsInner !== '')
      ? [
          `note: "mean-sets UAR" is the mean over the line's numbers of sets >= 1 (chosen on nothing); "inner UAR" is the test UAR at each fold's number of sets chosen by inner folds on its training speakers ("inner sets", in fold order; inner.csv has the inner scores)${
            summary.inner.some((c) => c.rows === 'shared') ? "; the inner folds' synthetic rows came from the outer fold's augmenter, which had seen their test speakers (innerRows 'shared', README)" : ''
          }.`,
          ...(summary.best.some((b) => b.epochsInner !== '')
            ? ['note: "inner epochs" is each fold\'s number of DNN epochs, chosen by the same inner folds together with its sets (the real-only row chooses its epochs alone; the steps control\'s are its own, k + 1 times as many); the other columns read every DNN after all its epochs.']
            : []),
        ]
      : []),
    ...setsNote(summary),
    ...(paper ? ["note: '–' where the paper gives no number, '?' where it does not say at how many sets its peak lies; 'not run' where this store has no such row."] : []),
  ];
  const same = summary.best.filter((b) => b.method !== 'none' && b.uar === b.baselineUar && b.wa === b.baselineWa);
  if (same.length > 0) {
    notes.push(`note: ${same.map((b) => `${b.augment} + ${b.classifier}`).join(', ')}: the best point scores exactly as real rows alone (ΔUAR +0.00). Rows that copy the real ones, or lie between two of a class (SMOTE) or close to one (small noise), can leave an SVM's maximum margin where it was when the real rows are separable (here: more features than rows, or an RBF kernel), so its predictions do not change.`);
  }
  const short = summary.best.filter((b) => TRAINED_METHODS.includes(b.method) && epochsOf(b.augmentOptions) !== undefined && epochsOf(b.augmentOptions)! < PAPER_EPOCHS);
  if (short.length > 0) {
    const which = [...new Set(short.map((b) => `${b.augment} (${epochsOf(b.augmentOptions)} epochs)`))].join(', ');
    notes.push(
      `warning: ${which} trained for fewer than the paper's ${PAPER_EPOCHS} epochs. Short runs make GAN-type augmentation look harmful: in a faithful reference run, WADAN's synthetic rows carried their label for 18 % of rows after 100 epochs and 100 % only after ${PAPER_EPOCHS}, and a 400-epoch WADAN lowered linear-SVM UAR from 79.4 % to 52.7 % (docs/method.md, "What a faithful reference run showed"). Do not judge the method on this table.`,
    );
  }
  const foldCounts = [...new Set(summary.best.map((b) => b.folds))].sort((a, b) => b - a);
  if (foldCounts.length > 1) {
    notes.push(`note: rows pool different numbers of folds (${foldCounts.join(', ')}; the folds×rep column): a row on fewer folds is partial and its ΔUAR is against the real-only point on its own folds${paper?.dataset === 'emodb-is11' && !foldCounts.includes(10) ? ' (the paper used all 10 speakers: no row here is comparable with it)' : ''}.`);
  } else if (foldCounts.length === 1) {
    notes.push(`note: ${foldCounts[0]} fold(s) per point${paper?.dataset === 'emodb-is11' && foldCounts[0] !== 10 ? ' (the paper used all 10 speakers: fewer folds pool fewer test rows and are not comparable)' : ''}.`);
  }
  if (paper?.note) notes.push(`note: ${paper.note}.`);
  if (summary.best.some((b) => b.dataset === 'synthetic')) notes.push(SYNTHETIC_NOTICE);
  return notes;
}

function epochsOf(options: string): number | undefined {
  const m = /(?:^|,)epochs=(\d+)/.exec(options);
  return m ? Number(m[1]) : undefined;
}
