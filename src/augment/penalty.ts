/**
 * WADAN's gradient penalty (Eq. 16, 17) for an MLP critic, with its gradient written out instead
 * of obtained by differentiating a gradient (double back-propagation).
 *
 * For D = linear o (LeakyReLU o dense)^(L-1), the gradient of sum_i D(h_i) at the rows h is
 * g = v_0 W_0^T with v_{L-1} = 1, u_l = v_l W_l^T and v_{l-1} = u_l * S_{l-1}, where S_l holds the
 * LeakyReLU slopes (1 or `leak`) of hidden layer l. The slopes are piecewise constant in the
 * weights, so d/dW of the penalty P = mean_i ||g_i||^p only goes through the products:
 * with dU_0 = dP/dg = (p / m) ||g_i||^(p - 2) g_i, dW_l = dU_l^T v_l and
 * dU_{l+1} = (dU_l W_l) * S_l. The biases get no gradient (they only move the slopes' switch
 * points), as double back-propagation through 0.6 x + 0.4 |x| also finds.
 *
 * The same value and gradients as `gradientPenalty(h => D.apply(h), ...)` (a test compares them),
 * in ~25 first-order kernels instead of ~90 recorded ones: the critic update is where a WADAN
 * iteration's small-kernel overhead was largest.
 */
import { tf } from '../backend/tf';
import { LEAK, type Mlp } from './nets';

/** Can `mlpGradientPenalty` handle this critic (dense + LeakyReLU hidden layers, no BatchNorm, linear scalar output)? */
export function hasAnalyticPenalty(critic: Mlp): boolean {
  return critic.spec.batchNorm === 'none' && critic.spec.activation === 'linear' && critic.spec.output === 1;
}

/** mean_i ||grad_h D(h_i)||^power at the rows `interpolates`, differentiable w.r.t. D's kernels and biases. */
export function mlpGradientPenalty(D: Mlp, interpolates: tf.Tensor2D, power: number): tf.Scalar {
  if (!hasAnalyticPenalty(D)) throw new Error(`mlpGradientPenalty: critic ${D.spec.name} has BatchNorm or a non-scalar, non-linear output`);
  const kernels = D.kernels as tf.Tensor2D[];
  const layers = kernels.length;
  const m = interpolates.shape[0];
  const penalty = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args[args.length - 1] as tf.GradSaveFunc;
    const w = args.slice(0, layers) as tf.Tensor2D[];
    const b = args.slice(layers, 2 * layers) as tf.Tensor1D[];
    // forward through the hidden layers: the slopes S_l
    const slopes: tf.Tensor2D[] = [];
    let a: tf.Tensor2D = interpolates;
    for (let l = 0; l < layers - 1; l++) {
      const z = tf.add(tf.matMul(a, w[l]), b[l]) as tf.Tensor2D;
      const s = tf.where(tf.greater(z, 0), tf.onesLike(z), tf.fill(z.shape, LEAK)) as tf.Tensor2D;
      slopes.push(s);
      a = tf.mul(z, s) as tf.Tensor2D;
    }
    // backward of sum_i D(h_i) w.r.t. h: v_l, u_l
    const v: tf.Tensor2D[] = new Array(layers);
    v[layers - 1] = tf.ones([m, 1]) as tf.Tensor2D;
    let g!: tf.Tensor2D;
    for (let l = layers - 1; l >= 0; l--) {
      const u = tf.matMul(v[l], w[l], false, true) as tf.Tensor2D;
      if (l > 0) v[l - 1] = tf.mul(u, slopes[l - 1]) as tf.Tensor2D;
      else g = u;
    }
    const q = tf.sum(tf.square(g), 1); // ||g_i||^2
    const value = tf.mean(power === 2 ? q : tf.pow(q, power / 2)) as tf.Scalar;
    save([g, q, ...v, ...slopes]);
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [gs, qs] = saved as [tf.Tensor2D, tf.Tensor1D];
        const vs = saved.slice(2, 2 + layers) as tf.Tensor2D[];
        const ss = saved.slice(2 + layers) as tf.Tensor2D[];
        // dP/dg_i = dy * (p / m) * q_i^(p/2 - 1) * g_i
        const scale = power === 2 ? tf.fill([m, 1], (2 / m) as number) : tf.reshape(tf.mul(power / m, tf.pow(qs, power / 2 - 1)), [m, 1]);
        let dU = tf.mul(tf.mul(scale, dy as tf.Scalar), gs) as tf.Tensor2D;
        const dW: tf.Tensor[] = new Array(layers);
        for (let l = 0; l < layers; l++) {
          dW[l] = tf.matMul(dU, vs[l], true, false);
          if (l < layers - 1) dU = tf.mul(tf.matMul(dU, w[l]), ss[l]) as tf.Tensor2D;
        }
        return [...dW, ...b.map((bias) => tf.zerosLike(bias))];
      },
    };
  });
  return penalty(...kernels, ...(D.biases as tf.Tensor1D[])) as tf.Scalar;
}
