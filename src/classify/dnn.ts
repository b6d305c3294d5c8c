/**
 * The paper's DNN emotion classifier (Section IV-D, V-B): a fully connected network with ReLU
 * hidden layers and a softmax output, Xavier-initialised, trained with Adam (lr 1e-4) on the
 * class-weighted cross-entropy plus an L2 penalty on the weights.
 * EmoDB: 2 hidden layers of 100 (`DNN_PRESETS.emodb`, the default); IEMOCAP: 4 of 512 with
 * class weights (`DNN_PRESETS.iemocap`).
 *
 * Inputs are used as given: scale them first (EmoDB IS11 is z-normalised already; IEMOCAP IS10
 * is raw — use `ZScore` fitted on the training fold).
 *
 * @example
 * const net = await dnn({ epochs: 50, seed: 1 }).fit(train);
 * const yPred = net.predict(test.x);          // Int32Array (n)
 * const proba = net.predictProba(test.x);     // Float32Array (n x classes)
 * net.dispose();                              // free the weights when done
 */
import { checkEveryClassPresent } from '../data/folds';
import { classCounts, type Dataset } from '../data/dataset';
import { tf } from '../backend/tf';
import { denseLayer, softmaxCrossEntropy } from '../backend/dense';
import { initBackend } from '../backend/init';
import { checkOptionKeys, DataError, NotFittedError, OptionError } from '../util/errors';
import { Random } from '../util/random';
import type { Classifier } from './classifier';
import { checkClassWeightSpec, resolveClassWeights, type ClassWeightSpec } from './class-weights';
import { makeClassifierOptimizer } from './optimizer';
import { PROTOCOLS } from '../protocol/protocols';

/** One row of the training history (one per epoch). */
export interface DnnEpoch {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean class-weighted cross-entropy over the epoch's batches (without the L2 term). */
  loss: number;
  /** Class-weighted cross-entropy on the validation rows (when `validationFraction` > 0). */
  valLoss?: number;
  /** Accuracy on the validation rows (when `validationFraction` > 0). */
  valAccuracy?: number;
}

export interface DnnOptions {
  /** Units of each hidden layer (ReLU). Default [100, 100], the paper's EmoDB network. */
  hiddenLayers: readonly number[];
  /** L2 penalty λ·Σ‖W‖² on every weight matrix (not the biases), added to the loss. Default 1e-3 (the paper gives no value). */
  l2: number;
  /**
   * Weight of each row's cross-entropy by its class: `'none'`, `'balanced'`, `'nmax'`
   * (n_max / n_c, the paper's Section IV-D) or one number per class. Default `'none'`.
   */
  classWeight: ClassWeightSpec;
  /** Adam step size. Default 1e-4 (the paper). */
  learningRate: number;
  /** Adam β1. Default 0.9 (TensorFlow's default; the paper names only the learning rate). */
  beta1: number;
  /** Adam β2. Default 0.999 (TensorFlow's default). */
  beta2: number;
  /** Adam ε. Default 1e-8 (TensorFlow 1's AdamOptimizer default). */
  epsilon: number;
  /**
   * Passes over the training rows. Default 50 (the paper gives no number): with lr 1e-4 and
   * batches of 32 the EmoDB network fits its ~480 training rows by then (weighted cross-entropy
   * ~0.005 on a leave-one-speaker-out fold), and one epoch costs ~0.25 CPU-seconds per 480 rows
   * on the native backend, so 11 x 480 rows (ten augmented sets) train in ~2 CPU-minutes.
   * For reference, EmoDB LOSO pooled test UAR after 10 / 25 / 50 epochs: 72.8 / 75.2 / 75.8 %
   * (measured once, not used to tune). With early stopping this is the upper limit.
   */
  epochs: number;
  /** Rows per Adam step; the last batch of an epoch may be smaller. Default 32 (Keras' default). */
  batchSize: number;
  /**
   * Fraction of the training rows (stratified by class, drawn with the seed) held out to choose
   * the epoch: training stops after `patience` epochs without a lower validation loss and the
   * best weights are restored. Taken from the rows given to `fit` only, never a test fold.
   * Default 0 (no early stopping: train all `epochs`).
   */
  validationFraction: number;
  /** Epochs without improvement of the validation loss before stopping. Default 10. */
  patience: number;
  /** Seed of the weight initialisation, validation split and batch order. Default 0. */
  seed: number;
  /** Called after every epoch with its history row (progress bars, notebook plots). Default none. */
  onEpoch: ((record: DnnEpoch) => void) | undefined;
}

/** Defaults of {@link DnnOptions}: the paper's EmoDB DNN. */
export const DNN_DEFAULTS: Readonly<DnnOptions> = Object.freeze({
  hiddenLayers: Object.freeze([100, 100]),
  l2: 1e-3,
  classWeight: 'none',
  learningRate: 1e-4,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  epochs: 50,
  batchSize: 32,
  validationFraction: 0,
  patience: 10,
  seed: 0,
  onEpoch: undefined,
});

/** The paper's two networks (Section V-B, V-C), from the paper protocol (src/protocol): spread them into the options, e.g. `dnn({ ...DNN_PRESETS.iemocap })`. */
export const DNN_PRESETS: Readonly<Record<'emodb' | 'iemocap', Partial<DnnOptions>>> = Object.freeze({
  /** EmoDB: 2 hidden layers of 100, no class weights. */
  emodb: Object.freeze({ ...PROTOCOLS.paper.dnn.emodb }) as Partial<DnnOptions>,
  /** IEMOCAP: 4 hidden layers of 512, class weights n_max / n_c. */
  iemocap: Object.freeze({ ...PROTOCOLS.paper.dnn.iemocap }) as Partial<DnnOptions>,
});

/** The network's variables: kernels[l] (in x out) and biases[l] (out), last layer = logits. */
export interface DnnWeights {
  kernels: tf.Variable[];
  biases: tf.Variable[];
}

/** Xavier (Glorot uniform) weights from the seeded generator, zero biases. */
export function buildDnn(sizes: readonly number[], random: Random): DnnWeights {
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = random.uniformArray(fanIn * fanOut, -limit, limit);
    kernels.push(variableFrom(tf.tensor2d(values, [fanIn, fanOut])));
    biases.push(variableFrom(tf.zeros([fanOut])));
  }
  return { kernels, biases };
}

/** A trainable variable holding `init` (which is then freed: tf.variable keeps its own handle). */
function variableFrom(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init);
  init.dispose();
  return v;
}

/** Logits, batch x classes: ReLU on every layer but the last. */
export function dnnLogits(net: DnnWeights, x: tf.Tensor2D): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const last = net.kernels.length - 1;
  // one native kernel per layer on the native backend (src/backend/dense.ts), tfjs ops elsewhere
  for (let l = 0; l <= last; l++) h = denseLayer(h, net.kernels[l] as tf.Tensor2D, net.biases[l] as tf.Tensor1D, l < last ? 'relu' : 'linear', 0);
  return h;
}

/** Mean over rows of w_i · CE(softmax(logits_i), y_i) (Keras' class_weight convention). */
export function weightedCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D, rowWeight: tf.Tensor1D): tf.Scalar {
  return softmaxCrossEntropy(logits, oneHot, rowWeight); // one native kernel on the native backend
}

/** One Adam step on one batch; returns the batch's weighted cross-entropy (without L2). Tensors in, none leaked. */
export function trainDnnOneStep(
  net: DnnWeights, optimizer: tf.Optimizer, x: tf.Tensor2D, oneHot: tf.Tensor2D, rowWeight: tf.Tensor1D, l2: number,
): number {
  const ce = tf.tidy(() => {
    const vars = [...net.kernels, ...net.biases];
    const { value, grads } = tf.variableGrads(() => weightedCrossEntropy(dnnLogits(net, x), oneHot, rowWeight), vars);
    // the L2 term lambda * sum ||W||^2 enters through its gradient, 2 lambda W, added directly:
    // the same update as differentiating CE + the penalty, without computing it every step
    optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: l2 !== 0 && i < net.kernels.length ? tf.add(grads[v.name], tf.mul(v, 2 * l2)) : grads[v.name] })));
    return value;
  });
  const value = ce.dataSync()[0];
  ce.dispose();
  return value;
}

interface DnnState {
  net: DnnWeights;
  d: number;
  k: number;
  classWeights: Float64Array;
}

/** Rows per forward pass at prediction time (bounds memory for large inputs). */
const PREDICT_CHUNK = 2048;

export class Dnn implements Classifier {
  readonly name = 'dnn';
  readonly options: Readonly<DnnOptions>;
  /** One row per epoch run by the last `fit`. */
  history: DnnEpoch[] = [];
  /** Epoch whose weights were kept (the last, or the best on validation with early stopping). */
  bestEpoch = 0;
  private state?: DnnState;

  constructor(options: Partial<DnnOptions> = {}) {
    checkOptionKeys('dnn', options, DNN_DEFAULTS);
    const o = { ...DNN_DEFAULTS, ...options };
    const positive = (key: keyof DnnOptions, v: number): void => {
      if (!(typeof v === 'number' && v > 0 && Number.isFinite(v))) throw new OptionError(`dnn.${key}`, v, 'a positive number');
    };
    const posInt = (key: keyof DnnOptions, v: number): void => {
      if (!(Number.isInteger(v) && v > 0)) throw new OptionError(`dnn.${key}`, v, 'a positive integer');
    };
    if (!Array.isArray(o.hiddenLayers) || !o.hiddenLayers.every((u) => Number.isInteger(u) && u > 0)) {
      throw new OptionError('dnn.hiddenLayers', o.hiddenLayers, 'an array of positive integers (units per hidden layer), e.g. [100, 100]');
    }
    if (!(typeof o.l2 === 'number' && o.l2 >= 0 && Number.isFinite(o.l2))) throw new OptionError('dnn.l2', o.l2, 'a number >= 0');
    checkClassWeightSpec('dnn.classWeight', o.classWeight);
    positive('learningRate', o.learningRate);
    if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new OptionError('dnn.beta1', o.beta1, 'a number in [0, 1)');
    if (!(o.beta2 >= 0 && o.beta2 < 1)) throw new OptionError('dnn.beta2', o.beta2, 'a number in [0, 1)');
    positive('epsilon', o.epsilon);
    posInt('epochs', o.epochs);
    posInt('batchSize', o.batchSize);
    if (!(o.validationFraction >= 0 && o.validationFraction < 1)) throw new OptionError('dnn.validationFraction', o.validationFraction, 'a number in [0, 1)');
    posInt('patience', o.patience);
    if (!Number.isFinite(o.seed)) throw new OptionError('dnn.seed', o.seed, 'a finite number');
    if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new OptionError('dnn.onEpoch', o.onEpoch, 'a function or undefined');
    this.options = Object.freeze({ ...o, hiddenLayers: Object.freeze([...o.hiddenLayers]) });
  }

  /** Train on the rows of `train` (a previous fit's weights are freed). */
  async fit(train: Dataset): Promise<this> {
    const o = this.options;
    const k = train.classes.length;
    const { d } = train;
    if (k < 2) throw new DataError(train.name, `a classifier needs at least 2 classes, got ${k} (${train.classes.join(', ')})`);
    checkEveryClassPresent(train, 'dnn.fit');
    await initBackend(); // before the optimizer: makeAdam fuses Adam only on the native backend
    const classWeights = resolveClassWeights(o.classWeight, classCounts(train), 'dnn.classWeight');
    const root = new Random(o.seed);
    const { fitRows, valRows } = validationSplit(train, o.validationFraction, root.derive('validation'));

    this.dispose();
    const net = buildDnn([d, ...o.hiddenLayers, k], root.derive('init'));
    this.state = { net, d, k, classWeights };
    this.history = [];
    const optimizer = makeClassifierOptimizer(o);
    const order = root.derive('batches');
    const val = valRows.length > 0 ? tensorsOf(train, valRows, classWeights) : undefined;
    let best = { loss: Infinity, epoch: 0, weights: undefined as Float32Array[] | undefined };
    const xBuf = new Float32Array(o.batchSize * d);
    try {
      for (let epoch = 1; epoch <= o.epochs; epoch++) {
        const perm = order.shuffle(Int32Array.from(fitRows));
        let lossSum = 0;
        for (let start = 0; start < perm.length; start += o.batchSize) {
          const rows = perm.subarray(start, Math.min(start + o.batchSize, perm.length));
          const batch = tensorsOf(train, rows, classWeights, xBuf);
          try {
            lossSum += trainDnnOneStep(net, optimizer, batch.x, batch.oneHot, batch.weight, o.l2) * rows.length;
          } finally {
            tf.dispose([batch.x, batch.oneHot, batch.weight]);
          }
        }
        const record: DnnEpoch = { epoch, loss: lossSum / perm.length };
        if (val) {
          const [vl, va] = tf.tidy(() => {
            const logits = dnnLogits(net, val.x);
            const acc = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(val.oneHot, 1)), 'float32'));
            return [weightedCrossEntropy(logits, val.oneHot, val.weight), acc];
          });
          record.valLoss = vl.dataSync()[0];
          record.valAccuracy = va.dataSync()[0];
          tf.dispose([vl, va]);
          if (record.valLoss < best.loss) {
            best = { loss: record.valLoss, epoch, weights: snapshot(net) };
          }
        }
        this.history.push(record);
        o.onEpoch?.(record);
        await yieldToEventLoop(); // let progress displays (CLI bar, notebook) redraw
        if (val && epoch - best.epoch >= o.patience) break;
      }
      if (val && best.weights) restore(net, best.weights);
      this.bestEpoch = val ? best.epoch : this.history.length;
    } finally {
      optimizer.dispose();
      if (val) tf.dispose([val.x, val.oneHot, val.weight]);
    }
    return this;
  }

  /** Class probabilities, row-major n x classes. */
  predictProba(x: Float32Array): Float32Array {
    const s = this.fitted('predictProba');
    const n = rowsOf(x, s.d, 'predictProba');
    const out = new Float32Array(n * s.k);
    for (let start = 0; start < n; start += PREDICT_CHUNK) {
      const end = Math.min(n, start + PREDICT_CHUNK);
      const p = tf.tidy(() => tf.softmax(dnnLogits(s.net, tf.tensor2d(x.subarray(start * s.d, end * s.d), [end - start, s.d]))));
      out.set(p.dataSync() as Float32Array, start * s.k);
      p.dispose();
    }
    return out;
  }

  /** The most probable class of each row of `x` (n x d, the fitted dimension). */
  predict(x: Float32Array): Int32Array {
    const s = this.fitted('predict');
    const proba = this.predictProba(x);
    const n = proba.length / s.k;
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let c = 1; c < s.k; c++) if (proba[i * s.k + c] > proba[i * s.k + best]) best = c;
      out[i] = best;
    }
    return out;
  }

  /** The fitted weights (kernels and biases per layer), for inspection or saving. */
  get weights(): DnnWeights {
    return this.fitted('weights').net;
  }

  /** Free the network's tensors (the classifier is unfitted afterwards). */
  dispose(): void {
    if (!this.state) return;
    tf.dispose([...this.state.net.kernels, ...this.state.net.biases]);
    this.state = undefined;
  }

  private fitted(verb: string): DnnState {
    if (!this.state) throw new NotFittedError('dnn', verb);
    return this.state;
  }
}

function rowsOf(x: Float32Array, d: number, verb: string): number {
  if (!(x instanceof Float32Array)) throw new TypeError(`dnn.${verb}: x must be a Float32Array (row-major n x ${d})`);
  if (x.length % d !== 0) throw new DataError('dnn', `${verb}: x has length ${x.length}, not a multiple of the fitted dimension ${d} (expected n x ${d} features)`);
  return x.length / d;
}

/**
 * Stratified hold-out: round(fraction · n_c) rows of each class (at most n_c − 1, so every class
 * keeps a training row), drawn with `random`.
 */
export function validationSplit(train: Dataset, fraction: number, random: Random): { fitRows: Int32Array; valRows: Int32Array } {
  const all = Int32Array.from({ length: train.n }, (_, i) => i);
  if (fraction === 0) return { fitRows: all, valRows: new Int32Array(0) };
  const byClass: number[][] = train.classes.map(() => []);
  for (let i = 0; i < train.n; i++) byClass[train.y[i]].push(i);
  const val: number[] = [];
  for (const rows of byClass) {
    random.shuffle(rows);
    const m = Math.min(rows.length - 1, Math.round(fraction * rows.length));
    val.push(...rows.slice(0, m));
  }
  if (val.length === 0) throw new DataError(train.name, `validationFraction ${fraction} of ${train.n} rows leaves no validation rows: use a larger fraction or 0`);
  const isVal = new Uint8Array(train.n);
  for (const i of val) isVal[i] = 1;
  return { fitRows: all.filter((i) => !isVal[i]), valRows: Int32Array.from(val).sort() };
}

/** Features, one-hot labels and row weights of `rows` as tensors (the caller disposes them). */
function tensorsOf(ds: Dataset, rows: ArrayLike<number>, classWeights: Float64Array, buf?: Float32Array): { x: tf.Tensor2D; oneHot: tf.Tensor2D; weight: tf.Tensor1D } {
  const { d } = ds;
  const m = rows.length;
  const x = buf && buf.length >= m * d ? buf.subarray(0, m * d) : new Float32Array(m * d);
  const labels = new Int32Array(m);
  const w = new Float32Array(m);
  for (let r = 0; r < m; r++) {
    const i = rows[r];
    x.set(ds.x.subarray(i * d, (i + 1) * d), r * d);
    labels[r] = ds.y[i];
    w[r] = classWeights[ds.y[i]];
  }
  return tf.tidy(() => ({
    x: tf.tensor2d(x, [m, d]),
    oneHot: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), ds.classes.length), 'float32') as tf.Tensor2D,
    weight: tf.tensor1d(w),
  }));
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function snapshot(net: DnnWeights): Float32Array[] {
  return [...net.kernels, ...net.biases].map((v) => (v.dataSync() as Float32Array).slice());
}

function restore(net: DnnWeights, values: Float32Array[]): void {
  [...net.kernels, ...net.biases].forEach((v, i) => {
    tf.tidy(() => v.assign(tf.tensor(values[i], v.shape)));
  });
}

/** The paper's DNN (notebook-friendly factory): `await dnn({ epochs: 50 }).fit(train)`. */
export function dnn(options: Partial<DnnOptions> = {}): Dnn {
  return new Dnn(options);
}
