/**
 * The DNN emotion classifier as the paper's text describes it (Section IV-D, V-B): a fully
 * connected network with ReLU hidden layers and a softmax output, Xavier-initialised, trained with
 * Adam (lr 1e-4) on the class-weighted cross-entropy plus an L2 penalty on the weights. (The
 * paper's DNN baseline, WA 80.19 %, is cited from another paper, not computed with this network.)
 * EmoDB: 2 hidden layers of 100 (`DNN_PRESETS.emodb`, the default); IEMOCAP: 4 of 512 with
 * class weights (`DNN_PRESETS.iemocap`).
 *
 * The authors' code (python/dnn_cls.py) trains another network: tanh, BatchNorm, dropout 0.5,
 * L2 0.1 on all but the first layer, Adam lr 1e-3, 20 epochs of batches of 50. The options
 * `activation`, `batchNorm*`, `dropout` and `l2Layers` build it: `DNN_AUTHORS_OPTIONS`. Their
 * defaults leave the network above unchanged (same results, bit for bit).
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
import { denseKernelsActive, denseLayer, denseLayerBackward, nativeDropoutMask, softmaxCrossEntropy, softmaxCrossEntropyBackward, tanhBackward, type DenseActivation } from '../backend/dense';
import { initBackend } from '../backend/init';
import { checkOptionKeys, DataError, NotFittedError, OptionError } from '../util/errors';
import { Random } from '../util/random';
import type { Classifier } from './classifier';
import { CLASSIFIER_FORMAT, CLASSIFIER_MANIFEST_VERSION, readArrayFile, writeArrayFile, writeClassifierManifest, type ClassifierManifest } from './io';
import { checkClassWeightSpec, resolveClassWeights, type ClassWeightSpec } from './class-weights';
import { makeClassifierOptimizer } from './optimizer';
import { applyGradientsWithDecay } from '../backend/adam';
import { PROTOCOLS } from '../protocol/protocols';
import {
  BATCH_NORM_MOVING_AVERAGES, batchNormBackward, batchNormForward, batchNormInfer, batchNormTrain, batchNormVariables, buildBatchNorm, updateMovingStatistics,
  type BatchNormLayer, type BatchNormMovingAverage,
} from './batch-norm';

export type { BatchNormLayer, BatchNormMovingAverage } from './batch-norm';

/** Activation of the hidden layers. */
export type DnnActivation = 'relu' | 'tanh';
export const DNN_ACTIVATIONS: readonly DnnActivation[] = Object.freeze(['relu', 'tanh']);

/**
 * Where BatchNorm sits in each hidden layer (dropout, when on, always comes last):
 * - `'before-activation'`: Dense -> BatchNorm -> activation (Ioffe & Szegedy's placement);
 * - `'after-activation'`: Dense -> activation -> BatchNorm;
 * - `'authors'`: layer 1 after its activation, layers 2.. before it, as the authors' Keras model
 *   is built (dnn_cls.py line 167 `Dense(..., activation=act)` then line 168 `BatchNormalization`;
 *   lines 171-173 `Dense` -> `BatchNormalization` -> `Activation`).
 */
export type BatchNormPlacement = 'before-activation' | 'after-activation' | 'authors';
export const BATCH_NORM_PLACEMENTS: readonly BatchNormPlacement[] = Object.freeze(['before-activation', 'after-activation', 'authors']);

/**
 * Which weight matrices the L2 penalty `l2` applies to: `'all'` (every Dense kernel, output
 * included) or `'all-but-first'` (not the input layer's, as the authors' dnn_cls.py lines 167,
 * 171 and 175 set `kernel_regularizer` on layers 2.. and the output only).
 */
export type L2Layers = 'all' | 'all-but-first';
export const L2_LAYERS: readonly L2Layers[] = Object.freeze(['all', 'all-but-first']);

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
  /** Units of each hidden layer. Default [100, 100], the paper's EmoDB network (the authors' dnn_cls.py line 40). */
  hiddenLayers: readonly number[];
  /**
   * Activation of the hidden layers. Default `'relu'` (the paper, Section IV-D); the authors'
   * dnn_cls.py line 39 uses `'tanh'`.
   */
  activation: DnnActivation;
  /**
   * A BatchNormalization layer in every hidden layer (batch statistics while training, moving
   * statistics when predicting; src/classify/batch-norm.ts). Default false (the paper names
   * none); the authors' dnn_cls.py lines 168 and 172 add Keras' `BatchNormalization()`.
   */
  batchNorm: boolean;
  /**
   * Where BatchNorm sits relative to the activation (with `batchNorm`): `'authors'`,
   * `'before-activation'` or `'after-activation'` (see {@link BatchNormPlacement}). Default
   * `'authors'`: after the activation in layer 1, before it in layers 2.. (dnn_cls.py lines 167-173).
   */
  batchNormPlacement: BatchNormPlacement;
  /**
   * BatchNorm momentum in Keras' convention, the weight of the old moving statistic (PyTorch's
   * momentum is 1 − this). Default 0.99 (Keras' default, used by dnn_cls.py line 168).
   */
  batchNormMomentum: number;
  /** ε added to the variance inside BatchNorm's square root. Default 1e-3 (Keras' default, dnn_cls.py line 168). */
  batchNormEpsilon: number;
  /**
   * How the moving statistics follow the batches: `'keras-2.1'`, `'pytorch'` or `'tf-keras'`
   * (see {@link BatchNormMovingAverage}). Default `'keras-2.1'`: what Keras 2.1.6, the version in
   * the authors' python/requirements.txt line 7, does on TensorFlow 1 (n / (n − 1 − ε) variance
   * scaling, zero-debiased average).
   */
  batchNormMovingAverage: BatchNormMovingAverage;
  /**
   * Fraction of each hidden layer's outputs zeroed while training (inverted dropout: the kept
   * ones are scaled by 1 / (1 − rate); off when predicting), masks drawn from the seed. In
   * [0, 1). Default 0 (the paper names none); the authors' dnn_cls.py lines 169 and 174: 0.5.
   */
  dropout: number;
  /** L2 penalty λ·Σ‖W‖² on the weight matrices chosen by `l2Layers` (not the biases), added to the loss (Keras' `l2(λ)` convention). Default 1e-3 (the paper gives no value; the authors' dnn_cls.py lines 171 and 175: 0.1). */
  l2: number;
  /**
   * Which weight matrices the L2 penalty applies to: `'all'` or `'all-but-first'` (see
   * {@link L2Layers}). Default `'all'`; the authors' dnn_cls.py (lines 167, 171, 175): `'all-but-first'`.
   */
  l2Layers: L2Layers;
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
  /**
   * Epochs (each below `epochs`, increasing) after which the network's weights are also kept,
   * for `stagedPredict` (scikit-learn's staged_predict, at chosen epochs): one fit scores the
   * network at several numbers of epochs, which is how `select: 'inner'` chooses the epochs on
   * training speakers (src/experiment/inner.ts). Keeping them changes nothing the fit computes.
   * Not with early stopping. `save` keeps only the final network. Default none.
   */
  stages: readonly number[];
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
  activation: 'relu',
  batchNorm: false,
  batchNormPlacement: 'authors',
  batchNormMomentum: 0.99,
  batchNormEpsilon: 1e-3,
  batchNormMovingAverage: 'keras-2.1',
  dropout: 0,
  l2: 1e-3,
  l2Layers: 'all',
  classWeight: 'none',
  learningRate: 1e-4,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  epochs: 50,
  stages: Object.freeze([]) as readonly number[],
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

/**
 * The authors' DNN for EmoDB (python/dnn_cls.py, Keras 2.1.6 on TensorFlow 1.10), as options:
 * spread them in, e.g. `dnn({ ...DNN_AUTHORS_OPTIONS, seed })`.
 *
 *   layer 1:     Dense(100, tanh) -> BatchNorm -> Dropout(0.5)                      (lines 167-169)
 *   layer 2:     Dense(100, L2 0.1) -> BatchNorm -> tanh -> Dropout(0.5)             (lines 171-174)
 *   output:      Dense(7, L2 0.1) -> softmax                                         (lines 175-176)
 *   loss:        categorical cross-entropy (batch mean) + 0.1 Σ w² per regularised kernel
 *   optimizer:   'adam' = Keras' Adam defaults (lr 1e-3, β 0.9 / 0.999, ε = K.epsilon() 1e-7)
 *   training:    20 epochs, batches of 50 shuffled every epoch, no class weights (line 118: the
 *                weights of lines 107-112 are never passed to fit), the last epoch's model
 *                (the ModelCheckpoint of line 191 saves, nothing restores it).
 *
 * Known residual differences (the default Keras semantics otherwise: Glorot-uniform kernels,
 * zero biases, BatchNorm momentum 0.99, ε 1e-3, inverted dropout): Keras 2.1.6's Adam adds ε
 * to √v before the bias correction (an effective ε of 1e-7 / √(1 − 0.999^t), 3e-6 at the first
 * step), and its cross-entropy clips probabilities to [1e-7, 1 − 1e-7] (no gradient beyond);
 * here ε is added after the correction and the cross-entropy is not clipped.
 * dnn_cls.py hard-codes n_hiddens [100, 100] (line 40); for IEMOCAP the paper (Section V-C) has
 * 4 hidden layers of 512: `{ ...DNN_AUTHORS_OPTIONS, hiddenLayers: [512, 512, 512, 512] }`.
 */
export const DNN_AUTHORS_OPTIONS: Readonly<Partial<DnnOptions>> = Object.freeze({ ...PROTOCOLS.code.dnn.emodb }) as Partial<DnnOptions>;

/**
 * The network's variables: kernels[l] (in x out) and biases[l] (out), last layer = logits;
 * norms[l] the BatchNorm of hidden layer l (empty without BatchNorm).
 */
export interface DnnWeights {
  kernels: tf.Variable[];
  biases: tf.Variable[];
  norms: BatchNormLayer[];
}

/** The options that shape the forward pass (a subset of {@link DnnOptions}). */
export type DnnLayout = Pick<DnnOptions, 'activation' | 'batchNorm' | 'batchNormPlacement' | 'batchNormEpsilon' | 'dropout'>;

/** The current network's layout: ReLU, no BatchNorm, no dropout. */
const PLAIN_LAYOUT: DnnLayout = Object.freeze({ activation: 'relu', batchNorm: false, batchNormPlacement: 'authors', batchNormEpsilon: 1e-3, dropout: 0 });

/**
 * What a training forward pass needs beyond the weights: one dropout mask per hidden layer
 * (m x units, values 0 or 1 / (1 − rate); absent when dropout is off), and where to put each
 * BatchNorm layer's batch mean and variance (kept tensors, for the moving statistics).
 */
export interface DnnTrainingPass {
  masks?: tf.Tensor2D[];
  moments?: { mean: tf.Tensor1D; variance: tf.Tensor1D }[];
}

/**
 * Xavier (Glorot uniform) weights from the seeded generator, zero biases; with `batchNorm`
 * a BatchNorm layer per hidden layer (gamma 1, beta 0, moving mean 0, variance 1).
 */
export function buildDnn(sizes: readonly number[], random: Random, batchNorm = false): DnnWeights {
  const kernels: tf.Variable[] = [];
  const biases: tf.Variable[] = [];
  const norms: BatchNormLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const fanIn = sizes[l];
    const fanOut = sizes[l + 1];
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const values = random.uniformArray(fanIn * fanOut, -limit, limit);
    kernels.push(variableFrom(tf.tensor2d(values, [fanIn, fanOut])));
    biases.push(variableFrom(tf.zeros([fanOut])));
    if (batchNorm && l + 2 < sizes.length) norms.push(buildBatchNorm(fanOut));
  }
  return { kernels, biases, norms };
}

/** Every tensor of the network: kernels, biases, then each BatchNorm layer's. */
function allVariables(net: DnnWeights): tf.Variable[] {
  return [...net.kernels, ...net.biases, ...net.norms.flatMap(batchNormVariables)];
}

/** The variables Adam updates: kernels, biases, BatchNorm gamma and beta. */
function trainableVariables(net: DnnWeights): tf.Variable[] {
  return [...net.kernels, ...net.biases, ...net.norms.flatMap((bn) => [bn.gamma, bn.beta])];
}

/** A trainable variable holding `init` (which is then freed: tf.variable keeps its own handle). */
function variableFrom(init: tf.Tensor): tf.Variable {
  const v = tf.variable(init);
  init.dispose();
  return v;
}

/** Is BatchNorm after the activation in hidden layer `l` (0-based)? */
function normAfterActivation(placement: BatchNormPlacement, l: number): boolean {
  return placement === 'after-activation' || (placement === 'authors' && l === 0);
}

function activate(a: tf.Tensor2D, activation: DnnActivation): tf.Tensor2D {
  return activation === 'tanh' ? tf.tanh(a) : tf.relu(a);
}

/**
 * Logits, batch x classes. Each hidden layer: Dense with the activation, with BatchNorm before
 * or after it (`layout`), then dropout (training only); the last layer is linear.
 * Without `training` the pass predicts (BatchNorm on the moving statistics, no dropout); with
 * it, BatchNorm uses the batch's statistics and pushes them to `training.moments`.
 * The plain network (no BatchNorm, no dropout) is one native kernel per layer on the native
 * backend (src/backend/dense.ts), tfjs ops elsewhere.
 */
export function dnnLogits(net: DnnWeights, x: tf.Tensor2D, layout: DnnLayout = PLAIN_LAYOUT, training?: DnnTrainingPass): tf.Tensor2D {
  return forwardPass(net, x, layout, training);
}

/** What the tape-free backward pass (`dnnGradients`) keeps of one hidden layer's forward pass. */
interface LayerTrace {
  input: tf.Tensor2D;
  dense: tf.Tensor2D;
  denseActivation: DenseActivation;
  /** `batchNormForward`'s saved tensors. */
  norm?: tf.Tensor[];
  /** The activation after BatchNorm (placement before the activation). */
  activated?: { input: tf.Tensor2D; output: tf.Tensor2D };
  /** The layer's output, after dropout: the next layer's input. */
  output: tf.Tensor2D;
}

/**
 * `dnnLogits`' pass. With `trace` (training, tape-free), BatchNorm runs `batchNormForward` and
 * each hidden layer's tensors go to `trace` for `dnnGradients`; without it, BatchNorm in training
 * is `batchNormTrain`, whose gradient tfjs' autograd takes from its customGrad.
 */
function forwardPass(net: DnnWeights, x: tf.Tensor2D, layout: DnnLayout, training?: DnnTrainingPass, trace?: LayerTrace[]): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  const last = net.kernels.length - 1;
  for (let l = 0; l < last; l++) {
    const bn = layout.batchNorm ? net.norms[l] : undefined;
    const before = bn !== undefined && !normAfterActivation(layout.batchNormPlacement, l);
    const layer: LayerTrace = { input: h, dense: h, denseActivation: before ? 'linear' : layout.activation, output: h };
    layer.dense = denseLayer(h, net.kernels[l] as tf.Tensor2D, net.biases[l] as tf.Tensor1D, layer.denseActivation, 0);
    h = layer.dense;
    if (bn && !training) {
      h = batchNormInfer(h, bn, layout.batchNormEpsilon);
    } else if (bn && trace) {
      const f = batchNormForward(h, bn.gamma as tf.Tensor1D, bn.beta as tf.Tensor1D, layout.batchNormEpsilon);
      if (training!.moments) training!.moments.push({ mean: tf.keep(f.mean), variance: tf.keep(f.variance) });
      layer.norm = f.saved;
      h = f.y;
    } else if (bn) {
      const f = batchNormTrain(h, bn, layout.batchNormEpsilon);
      if (training!.moments) training!.moments.push({ mean: f.mean, variance: f.variance });
      else tf.dispose([f.mean, f.variance]); // kept by batchNormTrain
      h = f.y;
    }
    if (before) {
      layer.activated = { input: h, output: activate(h, layout.activation) };
      h = layer.activated.output;
    }
    const mask = training?.masks?.[l];
    if (mask) h = tf.mul(h, mask);
    layer.output = h;
    trace?.push(layer);
  }
  return denseLayer(h, net.kernels[last] as tf.Tensor2D, net.biases[last] as tf.Tensor1D, 'linear', 0);
}

/** Mean over rows of w_i · CE(softmax(logits_i), y_i) (Keras' class_weight convention). */
export function weightedCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D, rowWeight: tf.Tensor1D): tf.Scalar {
  return softmaxCrossEntropy(logits, oneHot, rowWeight); // one native kernel on the native backend
}

/**
 * Inverted-dropout masks for one batch of `rows`: per hidden layer a rows x units matrix of 0
 * (probability `rate`) or 1 / (1 − rate), drawn from `random` (the caller disposes them).
 * `random` seeds (4 draws) a xoshiro128** stream that makes the 32-bit draws, one per unit,
 * a unit being dropped when its draw is below rate · 2^32: `Random.nextUint32` costs ~40 ns a
 * draw (its state words are boxed numbers), this loop a few ns, and a step of the authors'
 * network draws 50 x 200 of them.
 */
export function dropoutMasks(rows: number, units: readonly number[], rate: number, random: Random): tf.Tensor2D[] {
  const state = Int32Array.from({ length: 4 }, () => random.nextUint32() | 0);
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = 1;
  return units.map((n) => {
    const native = nativeDropoutMask(rows, n, rate * 4294967296, 1 / (1 - rate), state);
    if (native) return native;
    const values = new Float32Array(rows * n);
    fillDropoutMask(values, rate * 4294967296, 1 / (1 - rate), state);
    return tf.tensor2d(values, [rows, n]);
  });
}

/**
 * values[i] = 0 when the next xoshiro128** draw (unsigned) is below `threshold`, else `keep`;
 * advances `state`. The reference for the addon's `dropoutMask` (exported for its test).
 */
export function fillDropoutMask(values: Float32Array, threshold: number, keep: number, state: Int32Array): void {
  let s0 = state[0];
  let s1 = state[1];
  let s2 = state[2];
  let s3 = state[3];
  for (let i = 0; i < values.length; i++) {
    const x = Math.imul(s1, 5);
    const draw = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    values[i] = draw < threshold ? 0 : keep;
  }
  state[0] = s0;
  state[1] = s1;
  state[2] = s2;
  state[3] = s3;
}

/**
 * The loss and its gradients for `dnnLogits`' network in training mode, by the kernels and ops
 * tfjs' autograd would call for it (the gradients of AdanDense and AdanSoftmaxCe in
 * backend/dense.ts, of `batchNormTrain`, and tfjs' own for Tanh, Relu and Mul), in its order and
 * without its tape: the same float32 values (test/classify-dnn.test.ts compares them with
 * `tf.variableGrads` for every layout), with less bookkeeping per step. The forward pass is
 * `dnnLogits`' (each layer's statistics go to `training.moments`). Native backend only.
 */
export function dnnGradients(
  net: DnnWeights, vars: readonly tf.Variable[], x: tf.Tensor2D, oneHot: tf.Tensor2D, rowWeight: tf.Tensor1D, layout: DnnLayout, training: DnnTrainingPass = {},
): { value: tf.Scalar; grads: Record<string, tf.Tensor> } {
  const last = net.kernels.length - 1;
  const layers: LayerTrace[] = [];
  const logits = forwardPass(net, x, layout, training, layers);
  const h = layers.length > 0 ? layers[layers.length - 1].output : x;
  const value = softmaxCrossEntropy(logits, oneHot, rowWeight);

  const grads: Record<string, tf.Tensor> = {};
  let dy = softmaxCrossEntropyBackward(logits, oneHot, rowWeight, tf.ones([]) as tf.Scalar); // autograd seeds with ones(y.shape)
  const throughDense = (l: number, input: tf.Tensor2D, output: tf.Tensor2D, activation: DenseActivation): void => {
    const { dz, db } = denseLayerBackward(dy, output, activation, 0);
    grads[net.kernels[l].name] = tf.matMul(input, dz, true, false);
    grads[net.biases[l].name] = db;
    if (l > 0) dy = tf.matMul(dz, net.kernels[l] as tf.Tensor2D, false, true);
  };
  throughDense(last, h, logits, 'linear');
  for (let l = last - 1; l >= 0; l--) {
    const layer = layers[l];
    const mask = training.masks?.[l];
    if (mask) dy = tf.mul(dy, tf.cast(mask, 'float32')); // Mul's gradient
    if (layer.activated) {
      dy = layout.activation === 'tanh'
        ? (tanhBackward(layer.activated.output, dy) as tf.Tensor2D) // Tanh's gradient
        : tf.mul(dy, tf.cast(tf.step(layer.activated.input), 'float32')); // Relu's gradient
    }
    if (layer.norm) {
      const bn = net.norms[l];
      const [da, dGamma, dBeta] = batchNormBackward(dy, layer.norm);
      grads[bn.gamma.name] = dGamma;
      grads[bn.beta.name] = dBeta;
      dy = da;
    }
    throughDense(l, layer.input, layer.dense, layer.denseActivation);
  }
  if (vars.some((v) => !(v.name in grads))) throw new Error('dnnGradients: a trainable variable of the network has no gradient');
  return { value, grads };
}

/** What `trainDnnOneStep` needs beyond the batch: the penalty, its layers, the layout and the BatchNorm update. */
export type DnnStepOptions = Pick<DnnOptions, 'l2' | 'l2Layers' | 'batchNormMomentum' | 'batchNormMovingAverage'> & DnnLayout;

/**
 * One Adam step on one batch; returns the batch's weighted cross-entropy (without L2). With
 * BatchNorm, the moving statistics then move towards the batch's. Tensors in, none leaked.
 * `l2` may be a number (every kernel, the original signature) or the step options.
 */
export function trainDnnOneStep(
  net: DnnWeights, optimizer: tf.Optimizer, x: tf.Tensor2D, oneHot: tf.Tensor2D, rowWeight: tf.Tensor1D, l2: number | DnnStepOptions, masks?: tf.Tensor2D[],
): number {
  const o: DnnStepOptions = typeof l2 === 'number' ? { ...PLAIN_LAYOUT, l2, l2Layers: 'all', batchNormMomentum: 0.99, batchNormMovingAverage: 'keras-2.1' } : l2;
  const firstPenalised = o.l2Layers === 'all' ? 0 : 1;
  const moments: { mean: tf.Tensor1D; variance: tf.Tensor1D }[] = [];
  const pass: DnnTrainingPass = { masks, moments };
  const ce = tf.tidy(() => {
    const vars = trainableVariables(net);
    const { value, grads } = denseKernelsActive()
      ? dnnGradients(net, vars, x, oneHot, rowWeight, o, pass)
      : tf.variableGrads(() => weightedCrossEntropy(dnnLogits(net, x, o, pass), oneHot, rowWeight), vars);
    // the L2 term lambda * sum ||W||^2 enters through its gradient, 2 lambda W, added directly:
    // the same update as differentiating CE + the penalty, without computing it every step
    const penalised = (i: number): boolean => o.l2 !== 0 && i >= firstPenalised && i < net.kernels.length;
    // the penalty's gradient 2λW joins each kernel's gradient inside Adam's pass (one home: adam.ts)
    const decays = new Map(vars.flatMap((v, i) => (penalised(i) ? [[v.name, 2 * o.l2] as const] : [])));
    applyGradientsWithDecay(optimizer, vars.map((v) => ({ name: v.name, tensor: grads[v.name] })), decays);
    return value;
  });
  try {
    if (o.batchNorm) {
      const rows = x.shape[0];
      const stats = { momentum: o.batchNormMomentum, epsilon: o.batchNormEpsilon, movingAverage: o.batchNormMovingAverage };
      net.norms.forEach((bn, l) => updateMovingStatistics(bn, moments[l].mean, moments[l].variance, rows, stats));
    }
  } finally {
    tf.dispose(moments.flatMap((m) => [m.mean, m.variance]));
  }
  const value = ce.dataSync()[0];
  ce.dispose();
  return value;
}

interface DnnState {
  net: DnnWeights;
  /** The weights after each epoch of `options.stages` the fit reached. */
  stages: { epoch: number; weights: Float32Array[] }[];
  d: number;
  k: number;
  classes: string[];
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
    const oneOf = <T>(key: keyof DnnOptions, v: T, allowed: readonly T[]): void => {
      if (!allowed.includes(v)) throw new OptionError(`dnn.${key}`, v, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
    };
    oneOf('activation', o.activation, DNN_ACTIVATIONS);
    if (typeof o.batchNorm !== 'boolean') throw new OptionError('dnn.batchNorm', o.batchNorm, 'true or false');
    oneOf('batchNormPlacement', o.batchNormPlacement, BATCH_NORM_PLACEMENTS);
    if (!(typeof o.batchNormMomentum === 'number' && o.batchNormMomentum >= 0 && o.batchNormMomentum < 1)) {
      throw new OptionError('dnn.batchNormMomentum', o.batchNormMomentum, "a number in [0, 1) (Keras' convention: the weight of the old moving statistic, e.g. 0.99)");
    }
    positive('batchNormEpsilon', o.batchNormEpsilon);
    oneOf('batchNormMovingAverage', o.batchNormMovingAverage, BATCH_NORM_MOVING_AVERAGES);
    if (!(typeof o.dropout === 'number' && o.dropout >= 0 && o.dropout < 1)) throw new OptionError('dnn.dropout', o.dropout, 'a number in [0, 1) (the fraction of units zeroed)');
    if (!(typeof o.l2 === 'number' && o.l2 >= 0 && Number.isFinite(o.l2))) throw new OptionError('dnn.l2', o.l2, 'a number >= 0');
    oneOf('l2Layers', o.l2Layers, L2_LAYERS);
    checkClassWeightSpec('dnn.classWeight', o.classWeight);
    positive('learningRate', o.learningRate);
    if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new OptionError('dnn.beta1', o.beta1, 'a number in [0, 1)');
    if (!(o.beta2 >= 0 && o.beta2 < 1)) throw new OptionError('dnn.beta2', o.beta2, 'a number in [0, 1)');
    positive('epsilon', o.epsilon);
    posInt('epochs', o.epochs);
    if (!Array.isArray(o.stages) || !o.stages.every((e, i) => Number.isInteger(e) && e > 0 && e < o.epochs && (i === 0 || e > o.stages[i - 1]))) {
      throw new OptionError('dnn.stages', o.stages, `increasing whole numbers of epochs below epochs (${o.epochs}), e.g. [10, 20, 30, 40]`);
    }
    // early stopping ends each fit at an epoch of its own: stages of different fits would not line up
    if (o.stages.length > 0 && o.validationFraction > 0) throw new OptionError('dnn.stages', o.stages, 'no stages with early stopping (validationFraction > 0), which chooses its own epoch');
    posInt('batchSize', o.batchSize);
    if (!(o.validationFraction >= 0 && o.validationFraction < 1)) throw new OptionError('dnn.validationFraction', o.validationFraction, 'a number in [0, 1)');
    posInt('patience', o.patience);
    if (!Number.isFinite(o.seed)) throw new OptionError('dnn.seed', o.seed, 'a finite number');
    if (o.onEpoch !== undefined && typeof o.onEpoch !== 'function') throw new OptionError('dnn.onEpoch', o.onEpoch, 'a function or undefined');
    this.options = Object.freeze({ ...o, hiddenLayers: Object.freeze([...o.hiddenLayers]), stages: Object.freeze([...o.stages]) });
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
    const net = buildDnn([d, ...o.hiddenLayers, k], root.derive('init'), o.batchNorm);
    const state: DnnState = { net, d, k, classes: [...train.classes], classWeights, stages: [] };
    this.state = state;
    this.history = [];
    const optimizer = makeClassifierOptimizer(o);
    const order = root.derive('batches');
    const dropping = o.dropout > 0 ? root.derive('dropout') : undefined;
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
          const masks = dropping ? dropoutMasks(rows.length, o.hiddenLayers, o.dropout, dropping) : undefined;
          try {
            lossSum += trainDnnOneStep(net, optimizer, batch.x, batch.oneHot, batch.weight, o, masks) * rows.length;
          } finally {
            tf.dispose([batch.x, batch.oneHot, batch.weight, ...(masks ?? [])]);
          }
        }
        const record: DnnEpoch = { epoch, loss: lossSum / perm.length };
        if (val) {
          const [vl, va] = tf.tidy(() => {
            const logits = dnnLogits(net, val.x, o);
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
        if (o.stages.includes(epoch)) state.stages.push({ epoch, weights: snapshot(net) });
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
      const p = tf.tidy(() => tf.softmax(dnnLogits(s.net, tf.tensor2d(x.subarray(start * s.d, end * s.d), [end - start, s.d]), this.options)));
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

  /**
   * The predictions of the network after each epoch of `options.stages` the fit reached, then
   * of the final network (`bestEpoch`: the last epoch, or the best on validation), in that order.
   * A network read by `loadClassifier` has only its final one.
   */
  stagedPredict(x: Float32Array): { epoch: number; yPred: Int32Array }[] {
    const s = this.fitted('stagedPredict');
    const out: { epoch: number; yPred: Int32Array }[] = [];
    if (s.stages.length > 0) {
      const final = snapshot(s.net);
      try {
        for (const stage of s.stages) {
          restore(s.net, stage.weights);
          out.push({ epoch: stage.epoch, yPred: this.predict(x) });
        }
      } finally {
        restore(s.net, final);
      }
    }
    out.push({ epoch: this.bestEpoch, yPred: this.predict(x) });
    return out;
  }

  /** The fitted weights (kernels and biases per layer, BatchNorm layers), for inspection or saving. */
  get weights(): DnnWeights {
    return this.fitted('weights').net;
  }

  /**
   * Write the fitted network to `dir` (classifier.json and weights.f32: every kernel, bias and
   * BatchNorm scale, shift and moving statistic): `loadClassifier(dir)` predicts exactly as this
   * one. What continued training would need (Adam's moments, TensorFlow's debias shadows) is not kept.
   */
  async save(dir: string): Promise<void> {
    const s = this.fitted('save');
    const variables = allVariables(s.net);
    const flat = new Float32Array(variables.reduce((n, v) => n + v.size, 0));
    let at = 0;
    for (const v of variables) {
      flat.set(v.dataSync() as Float32Array, at);
      at += v.size;
    }
    const { onEpoch: _callback, ...options } = this.options;
    const manifest: ClassifierManifest = {
      format: CLASSIFIER_FORMAT,
      version: CLASSIFIER_MANIFEST_VERSION,
      kind: 'dnn',
      options: { ...options, hiddenLayers: [...options.hiddenLayers] },
      classes: [...s.classes],
      d: s.d,
      shapes: variables.map((v) => v.shape),
      classWeights: Array.from(s.classWeights),
      files: { weights: writeArrayFile(dir, 'weights.f32', flat, [flat.length]) },
      history: this.history,
      bestEpoch: this.bestEpoch,
    };
    writeClassifierManifest(dir, manifest);
  }

  /** Rebuild a fitted network from a manifest `loadClassifier` has read (and checked in its common part). */
  static async fromManifest(dir: string, m: ClassifierManifest, file: string): Promise<Dnn> {
    let net: Dnn;
    try {
      net = new Dnn(m.options as Partial<DnnOptions>);
    } catch (e) {
      throw new DataError(file, `options: ${(e as Error).message}`);
    }
    const k = m.classes.length;
    await initBackend();
    const weights = buildDnn([m.d, ...net.options.hiddenLayers, k], new Random(0), net.options.batchNorm);
    const variables = allVariables(weights);
    const shapes = m.shapes;
    const same = Array.isArray(shapes) && shapes.length === variables.length && variables.every((v, i) => JSON.stringify(v.shape) === JSON.stringify(shapes[i]));
    if (!same) {
      tf.dispose(variables);
      throw new DataError(file, `shapes do not match a ${[m.d, ...net.options.hiddenLayers, k].join('-')} network${net.options.batchNorm ? ' with BatchNorm' : ''} (the options and the weights disagree)`);
    }
    const flat = readArrayFile(dir, m.files.weights, 'weights', file);
    if (flat.length !== variables.reduce((n, v) => n + v.size, 0)) {
      tf.dispose(variables);
      throw new DataError(file, `weights hold ${flat.length} values, the shapes ${variables.reduce((n, v) => n + v.size, 0)}`);
    }
    let at = 0;
    restore(weights, variables.map((v) => {
      const part = Float32Array.from(flat.subarray(at, at + v.size));
      at += v.size;
      return part;
    }));
    const cw = m.classWeights;
    if (!Array.isArray(cw) || cw.length !== k) {
      tf.dispose(variables);
      throw new DataError(file, `classWeights must be ${k} numbers`);
    }
    net.state = { net: weights, d: m.d, k, classes: [...m.classes], classWeights: Float64Array.from(cw as number[]), stages: [] };
    net.history = Array.isArray(m.history) ? (m.history as DnnEpoch[]) : [];
    net.bestEpoch = typeof m.bestEpoch === 'number' ? m.bestEpoch : net.history.length;
    return net;
  }

  /** Free the network's tensors (the classifier is unfitted afterwards). */
  dispose(): void {
    if (!this.state) return;
    tf.dispose(allVariables(this.state.net));
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
  return allVariables(net).map((v) => (v.dataSync() as Float32Array).slice());
}

function restore(net: DnnWeights, values: Float32Array[]): void {
  allVariables(net).forEach((v, i) => {
    tf.tidy(() => v.assign(tf.tensor(values[i], v.shape)));
  });
}

/** The DNN (notebook-friendly factory): `await dnn({ epochs: 50 }).fit(train)`, `dnn(DNN_AUTHORS_OPTIONS)`. */
export function dnn(options: Partial<DnnOptions> = {}): Dnn {
  return new Dnn(options);
}
