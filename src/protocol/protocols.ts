/**
 * Protocols: which classifiers and augmenter settings a grid uses, as one switch.
 *
 * - `paper`: what the paper's text says (Section IV-D, V): a linear SVM (scikit-learn in the
 *   paper; C = 1 as `SVC(kernel='linear')`), a ReLU DNN with L2, Adam 1e-4; the augmenters at
 *   their defaults (Algorithm 1, Eq. 10–18, alpha 1, p = 5, mu per iteration, no early stop).
 *   Where the text gives no number (DNN epochs, batch, L2), adan-lab's documented defaults fill in.
 * - `code`: what the authors' public code runs (`Louisa-Luyi/adan`, `python/svm_cls.py`,
 *   `python/dnn_cls.py`, `python/adan.py`), field by field below with the line it follows.
 *
 * A protocol only fills in constructor options: every unit's stored key hashes the options it
 * ran with, so the two protocols' units never share a key, and a store records its protocol
 * (src/experiment/store.ts) so that their tables never mix. Nothing here loads tfjs.
 */
import { OptionError } from '../util/errors';
import { PAPER_EPOCHS, type PaperDataset } from './paper';

export const PROTOCOL_NAMES = ['paper', 'code'] as const;
export type ProtocolName = (typeof PROTOCOL_NAMES)[number];

/** The default protocol of `eval`, `reproduce` and the notebooks. */
export const DEFAULT_PROTOCOL: ProtocolName = 'paper';

export interface Protocol {
  name: ProtocolName;
  /** One line for tables and logs. */
  summary: string;
  /** Options of the `svm` classifier for each corpus. */
  svm: Readonly<Record<PaperDataset, Readonly<Record<string, unknown>>>>;
  /** Options of the `dnn` classifier for each corpus. */
  dnn: Readonly<Record<PaperDataset, Readonly<Record<string, unknown>>>>;
  /**
   * Options of each augmenter on top of its defaults, besides `epochs` (which the grid sets:
   * {@link PAPER_EPOCHS}, or fewer in quick runs). Methods not listed use their defaults.
   */
  augment: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** The paper's text. The DNN presets are src/classify's `DNN_PRESETS` (a test keeps them equal). */
const PAPER: Protocol = {
  name: 'paper',
  summary: "the paper's text: linear SVM (C = 1), ReLU DNN (L2 1e-3, Adam 1e-4, 50 epochs), augmenters as Algorithm 1 and Eq. 10-18",
  svm: {
    /** `SVC(kernel='linear')`'s defaults (src/classify/linear-svm.ts). */
    emodb: {},
    /**
     * The same SVM, with the interior-point method taking over the problems dual coordinate
     * descent crawls on (linear-svm.ts `fallback`): the same problem and tolerance, met on every
     * unit of IEMOCAP's grid, where the greedy solver (even with pair steps) cannot hold the Gram
     * matrices of 5 or more sets and the passes stop at their cap. EmoDB keeps the solver its
     * stored grids ran with.
     */
    iemocap: { fallback: 'interior-point' },
  },
  dnn: {
    /** Section V-B: 2 hidden layers of 100, no class weights. */
    emodb: { hiddenLayers: [100, 100], classWeight: 'none' },
    /** Section V-C: 4 hidden layers of 512, class weights n_max / n_c (Section IV-D). */
    iemocap: { hiddenLayers: [512, 512, 512, 512], classWeight: 'nmax' },
  },
  augment: {},
};

/** `svm_cls.py` l. 80: `SVC(C=10, gamma='auto', kernel='rbf')`, one-vs-one, no class weights. */
const AUTHORS_SVM: Readonly<Record<string, unknown>> = { kernel: 'rbf', C: 10, gamma: 'auto' };

/**
 * The authors' DNN (`dnn_cls.py`): layer 1 Dense(tanh) -> BatchNorm -> Dropout 0.5 (l. 167-169);
 * later layers Dense (L2 0.1) -> BatchNorm -> tanh -> Dropout 0.5 (l. 171-174); output Dense
 * (L2 0.1) -> softmax (l. 175-176); Keras 'adam' defaults lr 1e-3, eps 1e-7 (l. 38); 20 epochs,
 * batch 50 (l. 118), shuffled (l. 197); the class weights it computes (l. 108-112) are never
 * passed to `fit`, and the model after the last epoch is the one tested (l. 115-126).
 */
const AUTHORS_DNN: Readonly<Record<string, unknown>> = {
  activation: 'tanh',
  batchNorm: true,
  /** BatchNorm after the activation in layer 1 (l. 167-168), before it in layers 2.. (l. 171-173). */
  batchNormPlacement: 'authors',
  /** Keras' BatchNormalization defaults. */
  batchNormMomentum: 0.99,
  batchNormEpsilon: 1e-3,
  /** The moving averages of Keras 2.1.6, the version `python/requirements.txt` pins. */
  batchNormMovingAverage: 'keras-2.1',
  dropout: 0.5,
  l2: 0.1,
  /** `kernel_regularizer=l2(0.1)` on layers 2.. and the output only (l. 171, 175). */
  l2Layers: 'all-but-first',
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  /** Keras' `K.epsilon()`. */
  epsilon: 1e-7,
  epochs: 20,
  batchSize: 50,
  classWeight: 'none',
  validationFraction: 0,
};

const CODE: Protocol = {
  name: 'code',
  summary: "the authors' code: RBF SVC (C = 10, gamma = 1/d), their Keras DNN (tanh, BatchNorm, dropout 0.5, 20 epochs), ADAN's early stop, WADAN with alpha 0.1, ||grad||^10, fixed mu",
  svm: { emodb: AUTHORS_SVM, iemocap: AUTHORS_SVM },
  dnn: {
    /** `dnn_cls.py` l. 40: n_hiddens = [100, 100]. */
    emodb: { hiddenLayers: [100, 100], ...AUTHORS_DNN },
    /** The paper's IEMOCAP size (Section V-C; the script hard-codes EmoDB's) with the script's layers and no class weights. */
    iemocap: { hiddenLayers: [512, 512, 512, 512], ...AUTHORS_DNN },
  },
  augment: {
    /** `adan.py` l. 300-305: stop after epoch 200 once D's mean outputs stay within 0.01 of 0.5 (always on). */
    adan: { earlyStop: true },
    wadan: {
      /** `adan.py` l. 355: `G_loss = -D_loss + 0.1 * Cg_loss`. */
      alpha: 0.1,
      /** l. 346: `tf.pow(tf.reduce_sum(tf.square(gradients)), 5)` = ||grad||^10. */
      gpPower: 10,
      /** l. 342: `epsilon = np.random.uniform(0., 1., (self.batch, 1))`, drawn once when the graph is built. */
      mu: 'fixed',
      /** l. 355: G's loss is -D_loss (with the penalty) + alpha CE. */
      generatorLoss: 'code',
    },
  },
};

export const PROTOCOLS: Readonly<Record<ProtocolName, Protocol>> = { paper: PAPER, code: CODE };

/** The protocol of a name; an unknown name fails naming the option and the choices. */
export function protocol(name: string = DEFAULT_PROTOCOL, option = 'protocol'): Protocol {
  if (!(PROTOCOL_NAMES as readonly string[]).includes(name)) throw new OptionError(option, name, `one of ${PROTOCOL_NAMES.join(', ')}`);
  return PROTOCOLS[name as ProtocolName];
}

/** Options of `classifier` ('svm' or 'dnn') under `p` for a corpus (unknown classifiers: none). */
export function classifierOptions(p: Protocol, classifier: string, dataset: PaperDataset): Record<string, unknown> {
  if (classifier === 'svm') return { ...p.svm[dataset] };
  if (classifier === 'dnn') return clone(p.dnn[dataset]);
  return {};
}

/** Options of augmenter `method` under `p`, with `epochs` for the trained methods. */
export function augmentOptions(p: Protocol, method: string, epochs: number | undefined): Record<string, unknown> {
  return { ...(epochs !== undefined ? { epochs } : {}), ...(p.augment[method] ?? {}) };
}

/** Which corpus' DNN a dataset name calls for: IEMOCAP-like names get IEMOCAP's network. */
export function corpusOf(dataset: string): PaperDataset {
  return /iemocap/i.test(dataset) ? 'iemocap' : 'emodb';
}

function clone(o: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(o)) as Record<string, unknown>;
}

export { PAPER_EPOCHS };
