/**
 * The base of the three training-free augmenters (copy, noise, SMOTE): they keep the training
 * fold's rows and build synthetic rows from them. They share the `Augmenter` verbs; `history`
 * stays empty.
 */
import type { Dataset } from '../data/dataset';
import { NotFittedError, OptionError, DataError } from '../util/errors';
import { Random } from '../util/random';
import type { Augmenter, AugmentMethod, EpochRecord, FitControl, SampleOptions } from './augmenter';
import { checkFitControl, mergeOptions } from './options';
import { checkLabels, rowsByClass, syntheticDataset } from './synthetic-rows';
import { MANIFEST_VERSION, readArrays, writeArrays, writeManifest, type Manifest } from './io';

/** The training fold as a row-based augmenter keeps it. */
export interface TrainingRows {
  name: string;
  x: Float32Array;
  y: Int32Array;
  d: number;
  classes: readonly string[];
  featureNames?: readonly string[];
  /** Row indices per class. */
  byClass: Int32Array[];
}

export abstract class RowAugmenter<O extends { seed: number }> implements Augmenter {
  abstract readonly method: AugmentMethod;
  readonly history: readonly EpochRecord[] = [];
  /** The settings given to the constructor, with the defaults filled in (fit never changes them). */
  readonly settings: O;
  protected rows?: TrainingRows;
  private sampler?: Random;

  constructor(
    private readonly defaults: O,
    options: Partial<O> | undefined,
  ) {
    this.settings = mergeOptions(this.name(), defaults, options);
    this.validate(this.settings);
  }

  /** Name used in messages, e.g. "copy". */
  protected abstract name(): string;
  /** Throw an OptionError for a bad setting. */
  protected abstract validate(o: O): void;
  /** Learn anything beyond the rows (statistics, neighbours). */
  protected abstract fitState(rows: TrainingRows): void;
  /** Write one synthetic row of class `label` into `out` (length d). */
  protected abstract sampleRow(label: number, rng: Random, out: Float32Array): void;
  /** Method-specific state for the manifest (JSON) and binary arrays. */
  protected abstract stateToJSON(): { state: Record<string, unknown>; arrays: import('./io').NamedArray[] };
  protected abstract stateFromJSON(state: Record<string, unknown>, arrays: Map<string, import('./io').NamedArray>): void;

  async fit(train: Dataset, control?: FitControl): Promise<this> {
    checkFitControl(this.name(), control);
    if (train.n === 0) throw new DataError(train.name, 'no training rows to augment from');
    this.rows = {
      name: train.name,
      x: Float32Array.from(train.x),
      y: Int32Array.from(train.y),
      d: train.d,
      classes: [...train.classes],
      featureNames: train.featureNames ? [...train.featureNames] : undefined,
      byClass: rowsByClass(train.y, train.classes.length),
    };
    this.fitState(this.rows);
    this.sampler = new Random(this.settings.seed).derive('sample');
    return this;
  }

  sample(labels: ArrayLike<number>, options: SampleOptions = {}): Dataset {
    const rows = this.fitted('sample');
    const y = checkLabels(this.name(), labels, rows.classes);
    for (const label of new Set(y)) {
      if (rows.byClass[label].length === 0) {
        throw new OptionError(`${this.name()}.sample labels`, label, `a class with training rows (class ${rows.classes[label]} has none in ${rows.name})`);
      }
    }
    const rng = options.seed !== undefined ? new Random(options.seed) : this.sampler!;
    const { d } = rows;
    const x = new Float32Array(y.length * d);
    for (let i = 0; i < y.length; i++) this.sampleRow(y[i], rng, x.subarray(i * d, (i + 1) * d));
    return syntheticDataset(this.method, x, d, y, rows.classes, rows.featureNames);
  }

  async save(dir: string): Promise<void> {
    const rows = this.fitted('save');
    const { state, arrays } = this.stateToJSON();
    const data = writeArrays(dir, 'rows.bin', [
      { name: 'x', shape: [rows.y.length, rows.d], dtype: 'float32', data: rows.x },
      { name: 'y', shape: [rows.y.length], dtype: 'int32', data: rows.y },
      ...arrays,
    ]);
    const manifest: Manifest = {
      format: 'adan-lab-augmenter',
      version: MANIFEST_VERSION,
      method: this.method,
      options: { ...this.settings } as Record<string, unknown>,
      classes: [...rows.classes],
      d: rows.d,
      featureNames: rows.featureNames ? [...rows.featureNames] : undefined,
      seed: this.settings.seed,
      scaling: null,
      history: [],
      state: { ...state, trainingName: rows.name },
      weights: { rows: data },
    };
    writeManifest(dir, manifest);
  }

  /** Rebuild the fitted state from a manifest written by `save` (used by `loadAugmenter`). */
  restore(dir: string, m: Manifest): this {
    const arrays = readArrays(dir, m.weights.rows);
    const x = arrays.get('x')!.data as Float32Array;
    const y = arrays.get('y')!.data as Int32Array;
    this.rows = {
      name: String(m.state.trainingName ?? 'training'),
      x,
      y,
      d: m.d,
      classes: m.classes,
      featureNames: m.featureNames,
      byClass: rowsByClass(y, m.classes.length),
    };
    this.stateFromJSON(m.state, arrays);
    this.sampler = new Random(this.settings.seed).derive('sample');
    return this;
  }

  /** Forget the training rows (nothing else is held). */
  dispose(): void {
    this.rows = undefined;
  }

  protected fitted(verb: string): TrainingRows {
    if (!this.rows) throw new NotFittedError(`${this.name()} augmenter`, verb);
    return this.rows;
  }
}
