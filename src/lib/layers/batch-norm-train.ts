/**
 * Training-mode BN on x ∈ R^{n×C} with the batch statistics μ, σ² (biased) given as [1, C]:
 * x̂ = (x − μ)·r, r = (σ² + ε)^(−½), y = γ·x̂ + β. Its gradient, with μ and σ² functions of x, over a
 * normalisation group of N samples (N = n unless the group is split over parts, `sync-norm.ts`):
 *   Dβ = Σ_group 1ᵀ·dy,  Dγ = Σ_group 1ᵀ·(dy ⊙ x̂),  ∂x = (γ·r/N)·(N·dy − Dβ − x̂ ⊙ Dγ),
 * the column sums by `columnSums`. The parameter gradients returned are this part's own
 * 1ᵀdy and 1ᵀ(dy ⊙ x̂) (a trainer sums parameter gradients over parts). μ and σ² are inputs only to share
 * their computation with the running estimates: their gradient is already inside ∂x, so zeros are returned.
 */
import { tf } from "../backend/tf.js";
import { columnSums } from "./column-sums.js";

/** How the column sums of a split normalisation group are completed; absent: the group is this batch. */
export interface BatchNormGroup {
  /** N, the samples of the whole group. */
  count: number;
  /** (1ᵀdy, 1ᵀ(dy ⊙ x̂)) of this part → the group's (Dβ, Dγ), each [1, C]. */
  sumOverGroup(dBeta: tf.Tensor, dGamma: tf.Tensor): [tf.Tensor, tf.Tensor];
}

export function batchNormTrain(x: tf.Tensor2D, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor,
  eps: number, group?: BatchNormGroup): tf.Tensor2D {
  const [n, C] = x.shape;
  const N = group?.count ?? n;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, g, b, mu, v, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const r = tf.rsqrt(tf.add(v, eps));
    const xHat = tf.mul(tf.sub(xs, mu), r);
    save([xHat, r, g]);
    return {
      value: tf.add(tf.mul(xHat, g), b),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rr, gg] = saved as [tf.Tensor2D, tf.Tensor, tf.Tensor];
        const dBeta = columnSums(dy as tf.Tensor2D);
        const dGamma = columnSums(tf.mul(dy, xh) as tf.Tensor2D);
        const [sumBeta, sumGamma] = group ? group.sumOverGroup(dBeta, dGamma) : [dBeta, dGamma];
        const dx = tf.mul(tf.div(tf.mul(gg, rr), N), tf.sub(tf.sub(tf.mul(dy, N), sumBeta), tf.mul(xh, sumGamma)));
        return [dx, tf.reshape(dGamma, [C]), tf.reshape(dBeta, [C]), tf.zeros([1, C]), tf.zeros([1, C])];
      },
    };
  });
  return f(x, gamma, beta, mean, variance) as tf.Tensor2D;
}
