/**
 * Adam whose update of each variable is one fused pass over the weight, its gradient and the two
 * moments (native addon on the wasm heap), instead of tfjs' chain of ~12 elementwise kernels.
 *
 * `makeAdam(options)` returns this optimizer when the native backend is active and
 * `tf.train.adam` otherwise, so callers never branch. Arithmetic (float32, tfjs' order of
 * operations; the bias correction uses beta^t from the step number) and the getWeights/setWeights layout (iterations, then `name/m`
 * for every variable, then `name/v`) follow tfjs' AdamOptimizer, so results agree with it to
 * float32 rounding and checkpoints are interchangeable.
 */
import { tf } from './tf';
import { activeNative } from './init';
import { installedKernels, kernelGeneration, type WasmBackendLike } from './kernels';
import { OptionError, checkOptionKeys } from '../util/errors';

/** A named tensor as tfjs optimizers take it (tfjs-core's NamedTensor, not re-exported by tfjs). */
export interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Options of `makeAdam` (defaults: the paper's Adam, docs/method.md). */
export interface AdamOptions {
  /** Step size; default 1e-4. */
  learningRate?: number;
  /** Decay of the first moment; default 0.5. */
  beta1?: number;
  /** Decay of the second moment; default 0.999. */
  beta2?: number;
  /** Added to the root of the second moment; default 1e-5. */
  epsilon?: number;
}

export const ADAM_DEFAULTS: Readonly<Required<AdamOptions>> = {
  learningRate: 1e-4,
  beta1: 0.5,
  beta2: 0.999,
  epsilon: 1e-5,
};

function resolve(options: AdamOptions): Required<AdamOptions> {
  checkOptionKeys('adam', options, ADAM_DEFAULTS);
  const o = { ...ADAM_DEFAULTS, ...options };
  if (!(o.learningRate > 0) || !Number.isFinite(o.learningRate)) throw new OptionError('adam.learningRate', o.learningRate, 'a positive number');
  if (!(o.beta1 >= 0 && o.beta1 < 1)) throw new OptionError('adam.beta1', o.beta1, 'a number in [0, 1)');
  if (!(o.beta2 >= 0 && o.beta2 < 1)) throw new OptionError('adam.beta2', o.beta2, 'a number in [0, 1)');
  if (!(o.epsilon > 0) || !Number.isFinite(o.epsilon)) throw new OptionError('adam.epsilon', o.epsilon, 'a positive number');
  return o;
}

/**
 * The project's Adam: fused native update on the native backend, `tf.train.adam` elsewhere.
 * Use one optimizer per network part, as the paper does (E, R, C, G, D each have their own).
 *
 * @example
 *   const opt = makeAdam({ learningRate: 1e-4, beta1: 0.5, epsilon: 1e-5 });
 *   opt.minimize(() => loss(), false, weightsOfD);
 */
export function makeAdam(options: AdamOptions = {}): tf.Optimizer {
  const o = resolve(options);
  if (activeNative()) return new FusedAdam(o);
  return tf.train.adam(o.learningRate, o.beta1, o.beta2, o.epsilon);
}

/**
 * `optimizer.applyGradients` with an L2 penalty's gradient, g + w * decays[name], added to the
 * named variables' gradients: fused into the update by `FusedAdam`, with tfjs ops for any other
 * optimizer. Same float32 results either way.
 */
export function applyGradientsWithDecay(optimizer: tf.Optimizer, gradients: readonly NamedTensor[], decays: ReadonlyMap<string, number>): void {
  if (optimizer instanceof FusedAdam) {
    optimizer.applyGradients([...gradients], decays);
    return;
  }
  tf.tidy(() => {
    const registered = tf.engine().registeredVariables;
    optimizer.applyGradients(gradients.map(({ name, tensor }) => {
      const decay = decays.get(name) ?? 0;
      return { name, tensor: decay !== 0 ? tf.add(tensor, tf.mul(registered[name], decay)) : tensor };
    }));
  });
}

/** Time spent in native Adam updates (for the benchmark's breakdown); `inPlace` of the `updates` wrote over the old weight. */
export const adamStats = { ms: 0, updates: 0, elements: 0, inPlace: 0 };

/**
 * The moments are updated in place: if another tensor shares a moment's memory (e.g. a clone
 * kept from getWeights), give the variable its own copy first.
 */
function exclusive(backend: WasmBackendLike, variable: tf.Variable): void {
  if (backend.refCount(variable.dataId) <= 1) return;
  const copy = backend.makeOutput(variable.shape.slice(), 'float32');
  const from = backend.dataIdMap.get(variable.dataId).memoryOffset;
  const to = backend.dataIdMap.get(copy.dataId).memoryOffset;
  backend.wasm.HEAPU8.copyWithin(to, from, from + 4 * variable.size);
  const t = tf.engine().makeTensorFromTensorInfo(copy);
  variable.assign(t);
  t.dispose();
}

interface Moment {
  originalName: string;
  variable: tf.Variable;
}

/**
 * Adam with one native pass per variable. m and v are updated in place. The new weight goes to
 * a fresh tensor, which is assigned, unless it can overwrite the old one unseen: the variable
 * still holds the tensor this optimizer wrote last, no other tensor shares its memory, and the
 * native kernels have been registered throughout since (`kernelGeneration`), so no XNNPACK
 * operator of tfjs' own products keeps a packed copy of it. In place saves up to a third
 * of the pass, which is bound by memory (BENCHMARKS.md, "The paper DNN on IEMOCAP: what is
 * left"); the arithmetic is the same, so are the bits. On any other backend it computes the same
 * update with tfjs ops.
 */
export class FusedAdam extends tf.Optimizer {
  /** Honest instanceof (tf.Optimizer's Symbol.hasInstance accepts any optimizer-like object). */
  static override [Symbol.hasInstance](x: unknown): boolean {
    return Function.prototype[Symbol.hasInstance].call(this, x);
  }

  static get className(): string {
    return 'Adam'; // same serialised name and config as tfjs' Adam: checkpoints interchangeable
  }

  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private firstMoments: Moment[] = [];
  private secondMoments: Moment[] = [];
  private slotOf = new Map<string, number>();
  /** The weight tensor this optimizer last wrote, per variable, and the kernel generation then. */
  private written = new Map<string, { dataId: object; generation: number }>();

  constructor(options: AdamOptions = {}) {
    super();
    const o = resolve(options);
    this.learningRate = o.learningRate;
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
  }

  /**
   * One Adam step. `decays` (by variable name) adds an L2 penalty's gradient first,
   * g + w * decay, inside the same native pass: bit for bit what tfjs' add(g, mul(w, decay))
   * before the update gives, without two extra passes over the weights (the paper DNN's
   * 1.6 M weights on IEMOCAP: BENCHMARKS.md).
   */
  override applyGradients(variableGradients: tf.NamedTensorMap | NamedTensor[], decays?: ReadonlyMap<string, number>): void {
    const pairs: Array<[string, tf.Tensor | undefined]> = Array.isArray(variableGradients)
      ? variableGradients.map((v) => [v.name, v.tensor])
      : Object.keys(variableGradients).map((name) => [name, variableGradients[name]]);
    const native = activeNative();
    // Bias corrections 1 - beta^t from the step number alone (tfjs accumulates beta^t by float32
    // products, and recomputes it with pow on resume): a resumed run then continues bit for bit.
    const t = this.iterations + 1;
    const c1 = Math.fround(1 - Math.fround(Math.pow(this.beta1, t)));
    const c2 = Math.fround(1 - Math.fround(Math.pow(this.beta2, t)));
    for (const [name, gradient] of pairs) {
      const value = tf.engine().registeredVariables[name];
      if (!value) throw new Error(`adam: no variable named ${name}`);
      const slot = this.slot(name, value);
      if (gradient == null) continue;
      const decay = decays?.get(name) ?? 0;
      const m = this.firstMoments[slot].variable;
      const v = this.secondMoments[slot].variable;
      if (native && value.dtype === 'float32' && gradient.dtype === 'float32' && gradient.size === value.size) {
        const backend = tf.backend() as unknown as WasmBackendLike;
        exclusive(backend, m);
        exclusive(backend, v);
        const last = this.written.get(name);
        const inPlace = last !== undefined && last.dataId === value.dataId && last.generation === kernelGeneration()
          && installedKernels() === 'native' && backend.refCount(value.dataId) <= 1;
        const out = inPlace ? value : backend.makeOutput(value.shape.slice(), 'float32'); // may grow the heap: offsets after
        const off = (t: tf.TensorInfo) => backend.dataIdMap.get(t.dataId).memoryOffset;
        const t0 = performance.now();
        native.adamDecayed(
          backend.wasm.HEAPU8.buffer as ArrayBuffer, off(value), off(gradient), off(m), off(v), off(out), value.size,
          this.learningRate, this.beta1, this.beta2, this.epsilon, c1, c2, decay,
        );
        adamStats.ms += performance.now() - t0;
        adamStats.updates++;
        adamStats.elements += value.size;
        if (inPlace) {
          adamStats.inPlace++;
        } else {
          const next = tf.engine().makeTensorFromTensorInfo(out);
          value.assign(next);
          next.dispose();
          if (installedKernels() === 'native') this.written.set(name, { dataId: value.dataId, generation: kernelGeneration() });
        }
      } else {
        tf.tidy(() => {
          const g = decay !== 0 ? tf.add(gradient, tf.mul(value, decay)) : gradient;
          const newM = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
          const newV = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
          const mHat = tf.div(newM, tf.scalar(c1));
          const vHat = tf.div(newV, tf.scalar(c2));
          m.assign(newM);
          v.assign(newV);
          value.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), value));
        });
      }
    }
    this.incrementIterations();
  }

  /** Index of the moments of variable `name`, created (zeros) on first use. */
  private slot(name: string, value: tf.Variable): number {
    let i = this.slotOf.get(name);
    if (i === undefined) {
      i = this.firstMoments.length;
      this.slotOf.set(name, i);
      this.firstMoments.push({ originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
      this.secondMoments.push({ originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) });
    }
    return i;
  }

  override dispose(): void {
    tf.dispose(this.firstMoments.map((x) => x.variable));
    tf.dispose(this.secondMoments.map((x) => x.variable));
    this.firstMoments = [];
    this.secondMoments = [];
    this.slotOf.clear();
    this.written.clear();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    const moments = [...this.firstMoments, ...this.secondMoments];
    return [await this.saveIterations()].concat(moments.map((x) => ({ name: x.originalName, tensor: x.variable })));
  }

  override async setWeights(weightValues: NamedTensor[]): Promise<void> {
    const rest = await this.extractIterations(weightValues);
    this.dispose();
    const count = rest.length / 2;
    for (let i = 0; i < count; i++) {
      const mName = rest[i].name;
      const name = mName.replace(/\/m$/, '');
      this.slotOf.set(name, i);
      this.firstMoments.push({ originalName: mName, variable: rest[i].tensor.variable(false) });
      this.secondMoments.push({ originalName: rest[count + i].name, variable: rest[count + i].tensor.variable(false) });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    return new cls({ learningRate: config.learningRate, beta1: config.beta1, beta2: config.beta2, epsilon: config.epsilon } as never);
  }
}
