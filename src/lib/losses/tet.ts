/**
 * TET (Deng et al., ICLR 2022; papers.md §1.3) and TET-S (IMP paper, papers.md §3.2).
 *
 * TET:   `L = (1 − λ)·(1/T)·Σ_t CE(O_t, y) + λ·MSE(O, φ)`, the MSE taken over every element of O
 *        against the constant φ. Official defaults λ = 1e-3, φ = 1.0; the IMP code and SpikingJelly's
 *        `temporal_efficient_training_cross_entropy` use λ = 0.
 * TET-S: `L = (1/T)·Σ_t CE(O_t, ỹ)` with label-smoothed targets `ỹ = (1 − ε)·onehot(y) + ε/K`,
 *        ε = 0.01 in every released config, no MSE term (decision §5d-5).
 * Both predict with argmax of the time-mean output.
 */
import { tf } from "../backend/tf.js";
import { checkOutputSeq, softCrossEntropy, targetDistribution, type Labels } from "./cross-entropy.js";

export interface TETOptions {
  /** Weight λ of the MSE regulariser (0 = pure per-step CE). */
  lambda?: number;
  /** Target φ of the MSE regulariser. */
  phi?: number;
  /** Label smoothing ε (TET-S); 0 = plain one-hot. */
  epsilon?: number;
}

/** The original TET defaults (λ = 1e-3, φ = 1), as reused verbatim by the MPE-PSN code. */
export const TET_ORIGINAL: Required<TETOptions> = { lambda: 1e-3, phi: 1.0, epsilon: 0 };

/** Mean over t of CE(O_t, ỹ): CE over the T·B flattened rows, the form both official codes use. */
function perStepCrossEntropy(outputs: tf.Tensor, labels: Labels, epsilon: number): tf.Scalar {
  const [T, B, K] = outputs.shape as [number, number, number];
  return tf.tidy(() => {
    const target = targetDistribution(labels, K, epsilon); // [B, K]
    const tiled = tf.tile(tf.expandDims(target, 0), [T, 1, 1]).reshape([T * B, K]) as tf.Tensor2D;
    return softCrossEntropy(outputs.reshape([T * B, K]) as tf.Tensor2D, tiled);
  });
}

export function tetLoss(outputs: tf.Tensor, labels: Labels, opts: TETOptions = {}): tf.Scalar {
  checkOutputSeq(outputs, labels, "tetLoss");
  const lambda = opts.lambda ?? 0;
  const phi = opts.phi ?? TET_ORIGINAL.phi;
  const epsilon = opts.epsilon ?? 0;
  if (!(lambda >= 0 && lambda <= 1)) throw new Error(`tetLoss: lambda must be in [0, 1], got ${lambda}`);
  return tf.tidy(() => {
    const ce = perStepCrossEntropy(outputs, labels, epsilon);
    if (lambda === 0) return ce;
    const mse = tf.mean(tf.square(tf.sub(outputs, phi)));
    return tf.add(tf.mul(ce, 1 - lambda), tf.mul(mse, lambda)) as tf.Scalar;
  });
}

/** TET-S: per-step CE against label-smoothed targets (ε = 0.01 by default), no MSE term. */
export function tetSLoss(outputs: tf.Tensor, labels: Labels, epsilon = 0.01): tf.Scalar {
  checkOutputSeq(outputs, labels, "tetSLoss");
  return perStepCrossEntropy(outputs, labels, epsilon);
}
