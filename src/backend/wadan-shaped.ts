/**
 * A WADAN-shaped training iteration, for the benchmark only: the real augmenter is
 * src/augment/wadan.ts. Same layer sizes, losses and update order as SPEC.md (encoder E and
 * decoder R 800-800, latent 100, classifier C 400-400, generator G and critic D 100-100,
 * batch 128, d_times 2, gradient penalty, one Adam per part), so its cost is the real one;
 * it does not care about the quirks that change results but not cost (BatchNorm is the
 * authors' fixed-statistics affine; the penalty uses the paper's ||grad||^p).
 *
 * Order per iteration (Algorithm 1): C, D x dTimes, R and E (one backward pass: the R loss
 * reaches R and E, the C loss reaches E only), G. E(x) for the C and D steps is computed
 * once per iteration: E does not change before the R/E step.
 */
import { tf } from './tf';
import { makeAdam } from './adam';
import { Random } from '../util/random';

/** Sizes and settings (defaults: the paper's WADAN on EmoDB IS11, 4354 features, 7 classes). */
export interface WadanShapeOptions {
  inputDim: number;
  classes: number;
  /** Hidden width of E and R. */
  hidden: number;
  /** M, the latent size. */
  latent: number;
  /** Hidden width of C. */
  classifierHidden: number;
  /** Hidden width of G and D. */
  adversaryHidden: number;
  zDim: number;
  batchSize: number;
  dTimes: number;
  lambda: number;
  gpPower: number;
  alpha: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  seed: number;
}

export const WADAN_SHAPE_DEFAULTS: Readonly<WadanShapeOptions> = {
  inputDim: 4354,
  classes: 7,
  hidden: 800,
  latent: 100,
  classifierHidden: 400,
  adversaryHidden: 100,
  zDim: 100,
  batchSize: 128,
  dTimes: 2,
  lambda: 10,
  gpPower: 5,
  alpha: 0.1,
  learningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  epsilon: 1e-5,
  seed: 0,
};

type Act = 'leaky' | 'tanh' | 'linear';

interface Layer {
  w: tf.Variable;
  b: tf.Variable;
  /** The authors' BatchNorm without training=True: a learnable per-feature scale and shift. */
  gamma?: tf.Variable;
  beta?: tf.Variable;
  act: Act;
}

class Mlp {
  readonly layers: Layer[] = [];
  constructor(name: string, sizes: number[], out: Act, rng: Random) {
    for (let l = 0; l + 1 < sizes.length; l++) {
      const [fanIn, fanOut] = [sizes[l], sizes[l + 1]];
      const limit = Math.sqrt(6 / (fanIn + fanOut)); // Xavier (Glorot) uniform
      const hiddenLayer = l + 2 < sizes.length;
      // inside tidy: tf.variable keeps its own reference, the initial tensors are freed
      const v = (init: () => tf.Tensor, n: string) => tf.tidy(() => tf.variable(init(), true, `${name}/${n}`));
      this.layers.push({
        w: v(() => tf.tensor2d(rng.uniformArray(fanIn * fanOut, -limit, limit), [fanIn, fanOut]), `dense${l}/kernel`),
        b: v(() => tf.zeros([fanOut]), `dense${l}/bias`),
        gamma: hiddenLayer ? v(() => tf.ones([fanOut]), `bn${l}/gamma`) : undefined,
        beta: hiddenLayer ? v(() => tf.zeros([fanOut]), `bn${l}/beta`) : undefined,
        act: hiddenLayer ? 'leaky' : out,
      });
    }
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    let a: tf.Tensor = x;
    for (const L of this.layers) {
      // matMul + add rather than tf.fused.matMul: the fused op's gradient always forms dA too,
      // which for E's first layer (input x) is a wasted 128x800x4354 product per iteration
      a = tf.add(tf.matMul(a as tf.Tensor2D, L.w as tf.Tensor2D), L.b);
      // LeakyReLU(0.2) as the authors wrote it, 0.6 x + 0.4 |x| (twice differentiable in tfjs,
      // needed by the gradient penalty; src/augment/nets.ts does the same)
      if (L.act === 'leaky') a = tf.add(tf.mul(a, 0.6), tf.mul(tf.abs(a), 0.4));
      else if (L.act === 'tanh') a = tf.tanh(a);
      if (L.gamma && L.beta) a = tf.add(tf.mul(a, L.gamma), L.beta);
    }
    return a as tf.Tensor2D;
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((L) => [L.w, L.b, ...(L.gamma ? [L.gamma, L.beta!] : [])]);
  }
}

/** Losses of one iteration (the last D update's for D). */
export interface WadanShapedLosses {
  c: number;
  d: number;
  r: number;
  g: number;
}

/** The five networks and their optimizers; `step` runs one WADAN-shaped iteration. */
export class WadanShapedNet {
  readonly options: WadanShapeOptions;
  private readonly rng: Random;
  readonly E: Mlp;
  readonly R: Mlp;
  readonly C: Mlp;
  readonly G: Mlp;
  readonly D: Mlp;
  private readonly opt: Record<'E' | 'R' | 'C' | 'G' | 'D', tf.Optimizer>;

  constructor(options: Partial<WadanShapeOptions> = {}) {
    const o = (this.options = { ...WADAN_SHAPE_DEFAULTS, ...options });
    this.rng = new Random(o.seed);
    const init = this.rng.derive('init');
    this.E = new Mlp('E', [o.inputDim, o.hidden, o.hidden, o.latent], 'tanh', init);
    this.R = new Mlp('R', [o.latent, o.hidden, o.hidden, o.inputDim], 'tanh', init);
    this.C = new Mlp('C', [o.latent, o.classifierHidden, o.classifierHidden, o.classes], 'linear', init);
    this.G = new Mlp('G', [o.zDim + o.classes, o.adversaryHidden, o.adversaryHidden, o.latent], 'tanh', init);
    this.D = new Mlp('D', [o.latent, o.adversaryHidden, o.adversaryHidden, 1], 'linear', init);
    const adam = () => makeAdam({ learningRate: o.learningRate, beta1: o.beta1, beta2: o.beta2, epsilon: o.epsilon });
    this.opt = { E: adam(), R: adam(), C: adam(), G: adam(), D: adam() };
  }

  /** One iteration on a batch (x: batch x inputDim in [-1, 1], y: batch x classes one-hot). */
  step(x: tf.Tensor2D, y: tf.Tensor2D): WadanShapedLosses {
    const o = this.options;
    const n = x.shape[0];
    const ce = (logits: tf.Tensor2D) => tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
    const genInput = () => tf.concat([tf.tensor2d(this.rng.normalArray(n * o.zDim), [n, o.zDim]), y], 1);
    const losses = tf.tidy(() => {
      const hReal = tf.tidy(() => this.E.apply(x)); // E is fixed until the R/E step
      // C: weighted cross-entropy on E(x) (Eq. 11)
      const lossC = this.opt.C.minimize(() => ce(this.C.apply(hReal)), true, this.C.variables)!;
      // D x dTimes: Eq. 17 with the gradient penalty on x_interp = (1 - mu) E(x) + mu G(z, y)
      let lossD: tf.Scalar | null = null;
      for (let k = 0; k < o.dTimes; k++) {
        const hFake = tf.tidy(() => this.G.apply(genInput()));
        const mu = tf.tensor2d(this.rng.uniformArray(n), [n, 1]);
        const interp = tf.add(tf.mul(hReal, tf.sub(1, mu)), tf.mul(hFake, mu));
        lossD = this.opt.D.minimize(() => {
          const gradNorm2 = tf.sum(tf.square(tf.grad((h: tf.Tensor) => tf.sum(this.D.apply(h as tf.Tensor2D)))(interp)), 1);
          const penalty = tf.mean(tf.pow(gradNorm2, o.gpPower / 2));
          return tf.add(tf.sub(tf.mean(this.D.apply(hReal)), tf.mean(this.D.apply(hFake))), tf.mul(o.lambda, penalty)) as tf.Scalar;
        }, true, this.D.variables)!;
      }
      // R and E: reconstruction (Eq. 12) reaches R and E, the C loss (Eq. 13) reaches E
      const eVars = this.E.variables;
      const rVars = this.R.variables;
      let lossR!: tf.Scalar;
      const { grads } = tf.variableGrads(() => {
        const h = this.E.apply(x);
        lossR = tf.keep(tf.losses.meanSquaredError(x, this.R.apply(h)) as tf.Scalar);
        return tf.add(lossR, ce(this.C.apply(h))) as tf.Scalar;
      }, [...eVars, ...rVars]);
      this.opt.E.applyGradients(eVars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      this.opt.R.applyGradients(rVars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
      // G: Eq. 18, D(G(z, y)) + alpha * CE(C(G(z, y)), y)
      const lossG = this.opt.G.minimize(() => {
        const hFake = this.G.apply(genInput());
        return tf.add(tf.mean(this.D.apply(hFake)), tf.mul(o.alpha, ce(this.C.apply(hFake)))) as tf.Scalar;
      }, true, this.G.variables)!;
      const all = tf.stack([lossC, lossD!, lossR, lossG]);
      lossR.dispose(); // kept out of variableGrads' scope above
      return all;
    });
    const [c, d, r, g] = losses.dataSync();
    losses.dispose();
    return { c, d, r, g };
  }

  /** Free all variables and optimizer state. */
  dispose(): void {
    for (const net of [this.E, this.R, this.C, this.G, this.D]) tf.dispose(net.variables);
    for (const o of Object.values(this.opt)) o.dispose();
  }
}

/** Random rows in [-1, 1] with class labels (the benchmark's stand-in for a scaled training fold). */
export function randomFold(rows: number, dims: number, classes: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Random(seed);
  const x = rng.uniformArray(rows * dims, -1, 1);
  const y = new Int32Array(rows);
  for (let i = 0; i < rows; i++) y[i] = rng.int(classes);
  return { x, y };
}

/**
 * One epoch over a fold: shuffle, full batches only (the authors' code drops the remainder, so
 * 480 rows make 3 iterations of 128), a step per batch. Returns the last iteration's losses.
 */
export function trainEpoch(net: WadanShapedNet, fold: { x: Float32Array; y: Int32Array }, rng: Random): WadanShapedLosses[] {
  const { inputDim: d, classes, batchSize } = net.options;
  const rows = fold.y.length;
  const order = rng.permutation(rows);
  const out: WadanShapedLosses[] = [];
  const xb = new Float32Array(batchSize * d);
  const yb = new Int32Array(batchSize);
  for (let start = 0; start + batchSize <= rows; start += batchSize) {
    for (let i = 0; i < batchSize; i++) {
      const r = order[start + i];
      xb.set(fold.x.subarray(r * d, (r + 1) * d), i * d);
      yb[i] = fold.y[r];
    }
    const x = tf.tensor2d(xb, [batchSize, d]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(yb, 'int32'), classes).toFloat() as tf.Tensor2D);
    out.push(net.step(x, y));
    tf.dispose([x, y]);
  }
  return out;
}
