/**
 * Fig. 6 (and 7) as a reader needs it: one panel per method with its own UAR scale (so the
 * 1-3-point differences show, and AAE's collapse does not flatten the other panels), the
 * real-only point of each classifier as a dashed line across the panel, reference lines (the
 * DNN trained longer on the real rows alone), a marker on each curve's peak (the paper's red
 * arrows), and a band of ± one standard error over folds (speakers), the spread that matters
 * for a held-out speaker, instead of the ± over repeats (ten times smaller).
 *
 * @example
 *   await show(fig6Plot(results.curves, { references: [LONG_TRAINED_DNN_EMODB] }));
 */
import { BASE_CONFIG, PLOT_DEFAULTS, type PlotOptions, type VegaLiteSpec, plotOptions, VEGA_LITE_SCHEMA } from './spec';

/** A point of a Fig. 6 curve (a summary row: UAR as a fraction, stds over repeats and folds). */
export interface CurvePointLike {
  method: string;
  /** Table label of the augmenter (used instead of `method` when given). */
  augment?: string;
  classifier: string;
  sets: number;
  uar: number;
  /** Std over repeats (fraction). */
  uarStd?: number;
  /** Std over folds of the per-fold UAR (fraction). */
  uarFoldStd?: number;
  /** Folds pooled. */
  folds?: number;
}

/** A horizontal reference line in every panel that has curves of its classifier. */
export interface Fig6Reference {
  classifier: string;
  /** UAR as a fraction. */
  uar: number;
  label: string;
}

export interface Fig6PlotOptions extends PlotOptions {
  /**
   * The band around each curve: 'folds' ± one standard error over folds (std over folds / √folds),
   * 'repeats' ± one std over repeats, 'none'. Default 'folds'.
   */
  band?: 'folds' | 'repeats' | 'none';
  /** Reference lines (e.g. a longer-trained real-only DNN). Default none. */
  references?: readonly Fig6Reference[];
  /** Method (panel) order. Default: order of appearance. */
  methods?: readonly string[];
  /** Panels per row. Default 4. */
  columns?: number;
  /** Mark each curve's highest point (over 1 or more sets). Default true. */
  peaks?: boolean;
  /** One y scale per panel (true) or one for all (false). Default true. */
  independentY?: boolean;
  /** Extra subtitle lines, after the one that explains the marks. Default none. */
  notes?: readonly string[];
}

/** Defaults of {@link Fig6PlotOptions}. */
export const FIG6_PLOT_DEFAULTS: Fig6PlotOptions = {
  ...PLOT_DEFAULTS,
  title: 'UAR vs number of augmented sets',
  width: 190,
  height: 140,
  band: 'folds',
  references: [],
  methods: undefined,
  columns: 4,
  peaks: true,
  independentY: true,
  notes: [],
};

/** Display name of a classifier label ('svm' -> 'SVM'). */
const display = (c: string): string => (/^(svm|dnn)$/i.test(c) ? c.toUpperCase() : c);

/** Fig. 6 with per-method panels, real-only and reference lines, peak markers and fold bands. */
export function fig6Plot(rows: readonly CurvePointLike[], options: Fig6PlotOptions = {}): VegaLiteSpec {
  const o = plotOptions('fig6Plot', FIG6_PLOT_DEFAULTS, options);
  if (!['folds', 'repeats', 'none'].includes(o.band!)) throw new Error(`fig6Plot: band must be 'folds', 'repeats' or 'none', got ${JSON.stringify(o.band)}`);
  if (rows.length === 0) throw new Error('fig6Plot: no points');
  const label = (r: CurvePointLike): string => r.augment ?? r.method;
  const curveRows = rows.filter((r) => label(r) !== 'none');
  if (curveRows.length === 0) throw new Error('fig6Plot: only real-only points; a curve needs an augmenter');
  const methods = o.methods ?? [...new Set(curveRows.map(label))];
  const classifiers = [...new Set(curveRows.map((r) => display(r.classifier)))].sort((a, b) => (a === 'SVM' ? -1 : b === 'SVM' ? 1 : 0));
  const half = (r: CurvePointLike): number => {
    if (o.band === 'folds') return r.uarFoldStd !== undefined && r.folds ? r.uarFoldStd / Math.sqrt(r.folds) : 0;
    if (o.band === 'repeats') return r.uarStd ?? 0;
    return 0;
  };
  const values: Record<string, unknown>[] = [];
  const lines = new Map<string, CurvePointLike[]>();
  for (const r of curveRows) {
    if (!methods.includes(label(r))) continue;
    const key = `${label(r)}\u0000${display(r.classifier)}`;
    lines.set(key, [...(lines.get(key) ?? []), r]);
    values.push({ kind: 'point', method: label(r), classifier: display(r.classifier), sets: r.sets, value: 100 * r.uar, lo: 100 * (r.uar - half(r)), hi: 100 * (r.uar + half(r)) });
  }
  for (const [key, pts] of lines) {
    const [method, classifier] = key.split('\u0000');
    const base = pts.find((p) => p.sets === 0);
    if (base) values.push({ kind: 'baseline', method, classifier, value: 100 * base.uar });
    const augmented = pts.filter((p) => p.sets > 0);
    if (o.peaks && augmented.length > 0) {
      const peak = augmented.reduce((a, b) => (b.uar > a.uar ? b : a));
      values.push({ kind: 'peak', method, classifier, sets: peak.sets, value: 100 * peak.uar });
    }
    for (const ref of o.references ?? []) if (display(ref.classifier) === classifier) values.push({ kind: 'reference', method, classifier, value: 100 * ref.uar, label: ref.label });
  }
  const maxSets = Math.max(1, ...curveRows.map((r) => r.sets));
  const x = { field: 'sets', type: 'quantitative', title: 'Augmented sets', scale: { domain: [0, maxSets] }, axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'value', type: 'quantitative', title: 'UAR (%)', scale: { zero: false } };
  const color = { field: 'classifier', type: 'nominal', title: 'Classifier', sort: classifiers, scale: { domain: classifiers, range: ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd'].slice(0, Math.max(1, classifiers.length)) } };
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  const layers: object[] = [];
  if (o.band !== 'none') layers.push({ transform: only('point'), mark: { type: 'area', opacity: 0.14 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color: color } });
  layers.push({ transform: only('baseline'), mark: { type: 'rule', strokeDash: [5, 3], strokeWidth: 1.2 }, encoding: { y, color: color } });
  if ((o.references ?? []).length > 0) {
    layers.push({ transform: only('reference'), mark: { type: 'rule', strokeDash: [1, 2], strokeWidth: 1.6 }, encoding: { y, color } });
  }
  layers.push({ transform: only('point'), mark: { type: 'line', strokeWidth: 1.6 }, encoding: { x, y, color } });
  layers.push({ transform: only('point'), mark: { type: 'circle', size: 18, opacity: 1 }, encoding: { x, y, color: color } });
  if (o.peaks) layers.push({ transform: only('peak'), mark: { type: 'point', shape: 'triangle-down', filled: true, size: 55, color: '#d62728', yOffset: -9, opacity: 1 }, encoding: { x, y } });
  const bandText = o.band === 'folds' ? 'band ± 1 s.e. over speakers (fold-to-fold std / √folds)' : o.band === 'repeats' ? 'band ± 1 std over repeats' : '';
  const refs = (o.references ?? []).map((r) => `${r.label} (${(100 * r.uar).toFixed(2)})`).join(', ');
  const marks = ['dashed: real rows only', ...(refs ? [`dotted: ${refs}`] : []), ...(o.peaks ? ['▼ peak'] : []), ...(bandText ? [bandText] : [])].join(' · ');
  const subtitle = [...(o.subtitle ? [o.subtitle] : []), marks, ...(o.notes ?? [])];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: o.title ?? '', subtitle },
    config: BASE_CONFIG,
    background: 'white',
    padding: 8,
    data: { values },
    facet: { field: 'method', type: 'nominal', title: null, sort: methods },
    columns: o.columns,
    spec: { width: o.width, height: o.height, layer: layers },
    ...(o.independentY ? { resolve: { scale: { y: 'independent' } } } : {}),
  };
}
