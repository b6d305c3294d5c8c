/**
 * The base of the trained augmenters (GAN, cGAN, AAE, ADAN, WADAN): the epoch loop, history and
 * progress callback, feature scaling, checkpoints and resume, save/load of the networks, and
 * sampling in the original feature space.
 *
 * Randomness (STYLE 9): one seed; initial weights come from `derive('init')`, epoch e's batch
 * order and noise from `derive('epoch<e>')`, so a run resumed from a checkpoint at epoch e
 * draws exactly what the uninterrupted run would have drawn.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tf } from '../backend/tf';
import { initBackend } from '../backend/init';
import { storedValues } from '../backend/stored';
import type { Dataset } from '../data/dataset';
import { MaxAbsScaler } from '../data/preprocess';
import { DataError, NotFittedError, OptionError } from '../util/errors';
import { Random } from '../util/random';
import type { Augmenter, AugmentMethod, EpochRecord, FitControl, SampleOptions } from './augmenter';
import { MANIFEST_FILE, MANIFEST_VERSION, readArrays, readManifest, writeArrays, writeManifest, type Manifest, type NamedArray } from './io';
import { classWeights, type ClassWeightMode } from './losses';
import { checkClassWeights } from '../data/class-weights';
import { PAPER_EPOCHS } from '../protocol/paper';
import { Mlp, uniquePrefix } from './nets';
import { adam } from './optim';
import { checkFitControl, checkInt, checkNumber, checkSeed, mergeOptions } from './options';
import { checkLabels, syntheticDataset } from './synthetic-rows';
import { TSTR_DEFAULTS, TSTR_MEASUREMENT_KEYS, tstrDue, tstrScore, tstrStop, validateTstr, type TstrOptions } from './tstr';

/** Training settings of every trained augmenter (defaults: the paper's, Section IV-D; docs/method.md). */
export interface TrainingOptions {
  /** Training epochs (passes over the training fold). Paper: 1500. */
  epochs: number;
  /** Rows per iteration; an epoch has floor(n / batchSize) iterations (the last partial batch is dropped, as in the authors' code; a fold smaller than one batch is used whole). Paper: 128. */
  batchSize: number;
  /** Adam learning rate of every network. Paper: 1e-4. */
  learningRate: number;
  /** Adam beta1. Authors' code: 0.5. */
  beta1: number;
  /** Adam beta2. TF default: 0.999. */
  beta2: number;
  /** Adam epsilon. Authors' code: 1e-5. */
  epsilon: number;
  /** Discriminator updates per iteration. Authors' code: 2 (ADAN/WADAN). */
  dTimes: number;
  /** Seed of everything random in training and (by default) in sampling. Default 0. */
  seed: number;
}

/** Settings every trained augmenter has: the training ones and the TSTR signal (tstr.ts). */
export type NeuralOptions = TrainingOptions & TstrOptions;

export const NEURAL_DEFAULTS: Readonly<NeuralOptions> = {
  epochs: PAPER_EPOCHS,
  batchSize: 128,
  learningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  epsilon: 1e-5,
  dTimes: 2,
  seed: 0,
  ...TSTR_DEFAULTS,
};

export function validateNeural(what: string, o: NeuralOptions): void {
  checkInt(`${what}.epochs`, o.epochs, 0);
  checkInt(`${what}.batchSize`, o.batchSize, 1);
  checkNumber(`${what}.learningRate`, o.learningRate, 0, Infinity, true);
  checkNumber(`${what}.beta1`, o.beta1, 0, 1);
  if (o.beta1 >= 1) throw new OptionError(`${what}.beta1`, o.beta1, 'a number in [0, 1)');
  checkNumber(`${what}.beta2`, o.beta2, 0, 1);
  if (o.beta2 >= 1) throw new OptionError(`${what}.beta2`, o.beta2, 'a number in [0, 1)');
  checkNumber(`${what}.epsilon`, o.epsilon, 0, Infinity, true);
  checkInt(`${what}.dTimes`, o.dTimes, 1);
  checkSeed(`${what}.seed`, o.seed);
  validateTstr(what, o);
}

export function validateClassWeights(what: string, v: unknown): void {
  checkClassWeights(`${what}.classWeights`, v);
}

/** The training fold as tensors, for one `fit` call. */
export interface FitData {
  n: number;
  d: number;
  k: number;
  /** Scaled features (max-abs), row-major n x d. */
  xScaled: Float32Array;
  labels: Int32Array;
  /** Rows per class. */
  counts: number[];
  /** [n, d] scaled features. */
  x: tf.Tensor2D;
  /** [n, k] one-hot labels. */
  y: tf.Tensor2D;
  /** [n] class weight of each row (Eq. 11). */
  w: tf.Tensor1D;
  /** Rows per iteration and iterations per epoch. */
  batch: number;
  iterations: number;
}

/** What a fitted augmenter knows about its training fold. */
export interface FittedMeta {
  classes: string[];
  d: number;
  featureNames?: string[];
  counts: number[];
  trainingName: string;
}

/** A batch of rows of `data`: features, one-hot labels and row weights. */
export function gatherBatch(data: FitData, index: Int32Array): { x: tf.Tensor2D; y: tf.Tensor2D; w: tf.Tensor1D } {
  return tf.tidy(() => {
    const idx = tf.tensor1d(index, 'int32');
    return { x: tf.gather(data.x, idx) as tf.Tensor2D, y: tf.gather(data.y, idx) as tf.Tensor2D, w: tf.gather(data.w, idx) as tf.Tensor1D };
  });
}

/** Standard normal noise [m, dim] from `rng`. */
export function normalNoise(rng: Random, m: number, dim: number): tf.Tensor2D {
  return tf.tensor2d(rng.normalArray(m * dim), [m, dim]);
}

/** One-hot [m, k] of labels. */
export function oneHot(labels: Int32Array, k: number): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), k).toFloat() as tf.Tensor2D);
}

const CHECKPOINT_STATE = 'checkpoint';

export abstract class NeuralAugmenter<O extends NeuralOptions, R extends EpochRecord = EpochRecord> implements Augmenter {
  abstract readonly method: AugmentMethod;
  /** The settings given to the constructor, with the defaults filled in (fit never changes them). */
  readonly settings: O;
  history: R[] = [];
  /** The networks by name (paper's names: E, R, C, G, D; G0/D0... per class for GAN). */
  nets: Record<string, Mlp> = {};
  protected optimizers: Record<string, tf.Optimizer> = {};
  protected scaler?: MaxAbsScaler;
  protected meta?: FittedMeta;
  private sampler?: Random;
  protected readonly prefix: string;

  constructor(
    protected readonly label: string,
    private readonly defaults: O,
    options: Partial<O> | undefined,
  ) {
    this.settings = mergeOptions(label, defaults, options);
    this.validate(this.settings);
    this.prefix = uniquePrefix(label);
  }

  /** Throw an OptionError for a bad setting. */
  protected abstract validate(o: O): void;
  /** Create the networks for `this.meta` and `this.settings`, weights drawn from `rng`. */
  protected abstract buildNets(rng: Random): Record<string, Mlp>;
  /** Train one epoch; returns the record's fields besides epoch and seconds. */
  /** One epoch of training: the record's loss fields (the loop adds `epoch` and `seconds`). */
  protected abstract trainEpoch(epoch: number, rng: Random, data: FitData): Omit<R, 'epoch' | 'seconds'>;
  /** Synthetic rows for `labels` in the scaled space, row-major m x d. */
  protected abstract generate(labels: Int32Array, rng: Random): Float32Array;
  /** Prepare per-fit state after the networks exist (e.g. WADAN's fixed mu). */
  protected beginFit(_data: FitData, _root: Random): void {}
  /** Release per-fit state. */
  protected endFit(): void {}
  /** Stop before the next epoch? The base stops on the TSTR signal (`stop: 'tstr'`); ADAN adds its own rule. */
  protected shouldStop(history: readonly R[]): boolean {
    return this.settings.stop === 'tstr' && tstrStop(history, this.settings.tstrPatience);
  }
  /** Settings that change what is measured, never what is trained: they may differ when resuming. */
  protected measurementOnly(): readonly string[] {
    return this.settings.stop === 'none' ? TSTR_MEASUREMENT_KEYS : [];
  }
  /** Class-weight mode, for methods with a classification loss. */
  protected classWeightMode(): ClassWeightMode {
    return 'none';
  }

  async fit(train: Dataset, options?: FitControl): Promise<this> {
    const control = checkFitControl(this.label, options);
    const settings = this.settings;
    if (train.n === 0) throw new DataError(train.name, 'no training rows to train the augmenter on');
    const validation = control.validation;
    if (settings.tstrEvery > 0 && !validation) {
      throw new OptionError(`${this.label}.tstrEvery`, settings.tstrEvery, '0, or real rows to score TSTR on: fit(train, { validation }) with rows of training speakers the augmenter does not train on (holdOutGroups)');
    }
    if (validation && (validation.d !== train.d || validation.classes.join('\u0000') !== train.classes.join('\u0000'))) {
      throw new DataError(validation.name, `validation rows must have the training rows' ${train.d} features and classes`);
    }
    await initBackend(); // the fastest backend present (native BLAS here) before any optimizer exists
    const root = new Random(settings.seed);

    let start = 0;
    const ckpt = control.checkpointDir;
    if (control.resume && ckpt && fs.existsSync(path.join(ckpt, MANIFEST_FILE))) {
      start = await this.resumeFrom(ckpt, train);
    } else {
      this.disposeModel();
      this.meta = {
        classes: [...train.classes],
        d: train.d,
        featureNames: train.featureNames ? [...train.featureNames] : undefined,
        counts: countLabels(train.y, train.classes.length),
        trainingName: train.name,
      };
      this.scaler = new MaxAbsScaler().fit(train.x, train.d);
      this.nets = this.buildNets(root.derive('init'));
      this.optimizers = this.makeOptimizers();
      this.history = [];
    }
    const data = this.prepareData(train);
    this.beginFit(data, root);
    let saved = start;
    try {
      for (let epoch = start; epoch < settings.epochs; epoch++) {
        if (this.shouldStop(this.history)) break;
        const t0 = performance.now();
        const fields = this.trainEpoch(epoch, root.derive(`epoch${epoch}`), data);
        const seconds = (performance.now() - t0) / 1000; // training only: the TSTR measurement is not part of an epoch's cost
        if (validation && tstrDue(epoch, settings.tstrEvery, settings.epochs)) {
          // one set with the training fold's labels; a seed of its own, so training draws nothing extra
          Object.assign(fields, await tstrScore(this.sample(train.y, { seed: root.derive(`tstr${epoch}`).int(2 ** 31) }), validation, settings.tstrClassifier));
        }
        const record = { epoch: epoch + 1, seconds, ...fields } as R;
        for (const [k, v] of Object.entries(fields)) {
          if (!Number.isFinite(v)) throw new Error(`${this.label}: loss ${k} became ${v} in epoch ${epoch + 1} (try a smaller learningRate)`);
        }
        this.history.push(record);
        control.onEpoch?.(record);
        const every = control.checkpointEvery ?? 0;
        if (ckpt && every > 0 && (epoch + 1) % every === 0) {
          await this.writeCheckpoint(ckpt, epoch + 1);
          saved = epoch + 1;
        }
        // Let the event loop run between epochs: a notebook kernel must get its display
        // messages out (tslab's socket refuses a send while the previous one is pending, and
        // the wasm backend turns that rejection into a dead kernel) and see interrupts.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      if (ckpt && (control.checkpointEvery ?? 0) > 0 && saved !== this.history.length) await this.writeCheckpoint(ckpt, this.history.length);
    } finally {
      this.endFit();
      tf.dispose([data.x, data.y, data.w]);
    }
    this.sampler = root.derive('sample');
    return this;
  }

  sample(labels: ArrayLike<number>, options: SampleOptions = {}): Dataset {
    const meta = this.fitted('sample');
    const y = checkLabels(this.label, labels, meta.classes);
    const rng = options.seed !== undefined ? new Random(options.seed) : this.sampler ?? new Random(this.settings.seed).derive('sample');
    const scaled = y.length === 0 ? new Float32Array(0) : this.generate(y, rng);
    const x = this.scaler!.inverseTransform(scaled);
    return syntheticDataset(this.method, x, meta.d, y, meta.classes, meta.featureNames);
  }

  async save(dir: string): Promise<void> {
    this.fitted('save');
    writeManifest(dir, this.manifest(dir, {}));
  }

  /** Rebuild from a manifest written by `save` (used by `loadAugmenter`). */
  restore(dir: string, m: Manifest): this {
    this.disposeModel();
    this.readModel(dir, m);
    this.sampler = new Random(this.settings.seed).derive('sample');
    return this;
  }

  /** Free the networks' and optimizers' memory. The augmenter must be fitted again after this. */
  dispose(): void {
    this.disposeModel();
    this.meta = undefined;
  }

  /** Trainable parameters per network. */
  parameterCounts(): Record<string, number> {
    return Object.fromEntries(Object.entries(this.nets).map(([k, net]) => [k, net.parameterCount()]));
  }

  protected fitted(verb: string): FittedMeta {
    if (!this.meta || !this.scaler) throw new NotFittedError(`${this.label} augmenter`, verb);
    return this.meta;
  }

  protected makeOptimizers(): Record<string, tf.Optimizer> {
    const s = this.settings;
    return Object.fromEntries(Object.keys(this.nets).map((k) => [k, adam({ learningRate: s.learningRate, beta1: s.beta1, beta2: s.beta2, epsilon: s.epsilon })]));
  }

  private prepareData(train: Dataset): FitData {
    const meta = this.meta!;
    if (train.d !== meta.d) throw new DataError(train.name, `has ${train.d} features, the checkpoint ${meta.d}`);
    const k = meta.classes.length;
    const xScaled = this.scaler!.transform(train.x);
    const labels = Int32Array.from(train.y);
    const weights = classWeights(meta.counts, this.classWeightMode());
    const batch = Math.min(this.settings.batchSize, train.n);
    return {
      n: train.n,
      d: train.d,
      k,
      xScaled,
      labels,
      counts: meta.counts,
      x: tf.tensor2d(xScaled, [train.n, train.d]),
      y: oneHot(labels, k),
      w: tf.tensor1d(Float32Array.from(labels, (l) => weights[l])),
      batch,
      iterations: Math.floor(train.n / batch),
    };
  }

  private manifest(dir: string, extra: Record<string, unknown>, tag = ''): Manifest {
    const meta = this.meta!;
    const weights: Manifest['weights'] = {};
    for (const [name, net] of Object.entries(this.nets)) {
      // views of the backend's memory, written before any other tfjs operation (see storedValues)
      weights[name] = writeArrays(dir, `${name}${tag}.weights.bin`, net.named().map(({ name: n, variable }) => ({
        name: n,
        shape: variable.shape,
        dtype: 'float32' as const,
        data: storedValues(variable),
      })));
    }
    return {
      format: 'adan-lab-augmenter',
      version: MANIFEST_VERSION,
      method: this.method,
      options: { ...this.settings } as Record<string, unknown>,
      classes: meta.classes,
      d: meta.d,
      featureNames: meta.featureNames,
      seed: this.settings.seed,
      scaling: this.scaler!.toJSON(),
      history: this.history,
      state: { counts: meta.counts, trainingName: meta.trainingName, ...extra },
      weights,
    };
  }

  private readModel(dir: string, m: Manifest): void {
    if (m.method !== this.method) throw new DataError(path.join(dir, MANIFEST_FILE), `holds a ${m.method} augmenter, not ${this.method}`);
    this.meta = {
      classes: m.classes,
      d: m.d,
      featureNames: m.featureNames,
      counts: (m.state.counts as number[]) ?? [],
      trainingName: String(m.state.trainingName ?? 'training'),
    };
    this.scaler = MaxAbsScaler.fromJSON(m.scaling as { scale: number[] });
    this.history = [...m.history] as R[];
    this.nets = this.buildNets(new Random(0));
    for (const [name, net] of Object.entries(this.nets)) {
      const group = m.weights[name];
      if (!group) throw new DataError(path.join(dir, MANIFEST_FILE), `has no weights for network ${name}`);
      const arrays = readArrays(dir, group);
      for (const { name: n, variable } of net.named()) {
        const a = arrays.get(n);
        if (!a || a.data.length !== variable.size) throw new DataError(path.join(dir, group.paths[0]), `weight ${name}/${n} missing or of the wrong size`);
        tf.tidy(() => variable.assign(tf.tensor(a.data, variable.shape)));
      }
    }
  }

  private async writeCheckpoint(dir: string, epochsDone: number): Promise<void> {
    const tag = `.e${epochsDone}`; // new files per checkpoint, so a crash mid-write never mixes two
    const optimizerGroups: Record<string, Manifest['weights'][string]> = {};
    for (const [name, opt] of Object.entries(this.optimizers)) {
      const named = await opt.getWeights();
      // views of the backend's memory (see storedValues): from here to the write, no tfjs operation
      const arrays: NamedArray[] = named.map((t, i) => ({
        name: `${i}:${t.name}`,
        shape: t.tensor.shape,
        dtype: t.tensor.dtype === 'int32' ? 'int32' : 'float32',
        data: storedValues(t.tensor),
      }));
      // tfjs' Adam accumulates beta^t by float32 products but recomputes it with pow in
      // setWeights; keep the accumulated values so a resumed run continues bit for bit.
      for (const key of ['accBeta1', 'accBeta2']) {
        const v = (opt as unknown as Record<string, unknown>)[key];
        if (v instanceof tf.Variable) arrays.push({ name: key, shape: [], dtype: 'float32', data: storedValues(v) });
      }
      optimizerGroups[name] = writeArrays(dir, `${name}${tag}.optimizer.bin`, arrays);
      if (named.length > 0) tf.dispose(named[0].tensor); // the iteration count is a fresh scalar
    }
    const m = this.manifest(dir, { [CHECKPOINT_STATE]: { epochsDone, prefix: this.prefix, optimizers: optimizerGroups } }, tag);
    writeManifest(dir, m); // atomic (rename): until here the previous checkpoint stays whole
    const current = new Set([...Object.values(m.weights), ...Object.values(optimizerGroups)].flatMap((g) => g.paths));
    for (const f of fs.readdirSync(dir)) {
      if (/\.e\d+\.(weights|optimizer)\.bin$/.test(f) && !current.has(f)) fs.rmSync(path.join(dir, f), { force: true });
    }
  }

  private async resumeFrom(dir: string, train: Dataset): Promise<number> {
    const m = readManifest(dir);
    const state = m.state[CHECKPOINT_STATE] as { epochsDone: number; prefix: string; optimizers: Record<string, Manifest['weights'][string]> } | undefined;
    if (!state) throw new DataError(path.join(dir, MANIFEST_FILE), 'is a saved augmenter, not a checkpoint (no optimizer state)');
    // epochs and measurement-only settings may differ (a checkpoint written before such a setting existed has no value for it)
    // a setting added after the checkpoint was written has its default there
    const mine = { ...this.settings, epochs: 0 } as unknown as Record<string, unknown>;
    const theirs: Record<string, unknown> = { ...(this.defaults as object), ...m.options, epochs: 0 };
    for (const key of this.measurementOnly()) {
      delete mine[key];
      delete theirs[key];
    }
    if (JSON.stringify(sortKeys(mine)) !== JSON.stringify(sortKeys(theirs))) {
      const free = ['epochs', ...this.measurementOnly()].join(', ');
      throw new DataError(path.join(dir, MANIFEST_FILE), `was written with other settings (only ${free} may differ when resuming)`);
    }
    if (m.d !== train.d || m.classes.join('\u0000') !== train.classes.join('\u0000')) {
      throw new DataError(train.name, `does not match the checkpoint in ${dir} (features or classes differ)`);
    }
    this.disposeModel();
    this.readModel(dir, m);
    this.history = this.history.slice(0, state.epochsDone);
    this.optimizers = this.makeOptimizers();
    for (const [name, opt] of Object.entries(this.optimizers)) {
      const group = state.optimizers[name];
      if (!group || group.weights.length === 0) continue;
      const arrays = readArrays(dir, group);
      // moments are named after the variables (`<prefix>/<net>/.../m`): rename them to this instance's
      const named = group.weights
        .filter((spec) => spec.name.includes(':'))
        .map((spec) => {
          const a = arrays.get(spec.name)!;
          const original = spec.name.slice(spec.name.indexOf(':') + 1);
          const renamed = original.startsWith(`${state.prefix}/`) ? this.prefix + original.slice(state.prefix.length) : original;
          return { name: renamed, tensor: tf.tensor(a.data, spec.shape, spec.dtype) };
        });
      await opt.setWeights(named);
      tf.dispose(named.map((t) => t.tensor));
      for (const key of ['accBeta1', 'accBeta2']) {
        const v = (opt as unknown as Record<string, unknown>)[key];
        const saved = arrays.get(key);
        if (v instanceof tf.Variable && saved) tf.tidy(() => v.assign(tf.scalar(saved.data[0])));
      }
    }
    return state.epochsDone;
  }

  private disposeModel(): void {
    for (const net of Object.values(this.nets)) net.dispose();
    for (const opt of Object.values(this.optimizers)) opt.dispose();
    this.nets = {};
    this.optimizers = {};
  }
}

function countLabels(y: Int32Array, k: number): number[] {
  const c = new Array(k).fill(0);
  for (const v of y) c[v]++;
  return c;
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** Run `f` on row chunks of at most `size` rows and concatenate the Float32Array results. */
export function inChunks(m: number, size: number, f: (start: number, end: number) => Float32Array): Float32Array {
  const parts: Float32Array[] = [];
  let total = 0;
  for (let s = 0; s < m; s += size) {
    const p = f(s, Math.min(m, s + size));
    parts.push(p);
    total += p.length;
  }
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Run `f` in tf.tidy and download its tensor. (Never return a typed array from tf.tidy itself:
 * tidy walks its result looking for tensors, element by element — seconds for a 486 x 4354 array.)
 */
export function tidyToArray(f: () => tf.Tensor): Float32Array {
  const t = tf.tidy(f);
  const out = t.dataSync() as Float32Array;
  t.dispose();
  return out;
}
