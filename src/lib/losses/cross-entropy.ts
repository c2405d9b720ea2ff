/**
 * Cross-entropy building blocks shared by every SNN loss (papers.md §1.3, §3.2).
 *
 * `CE(z, ỹ) = −Σ_k ỹ_k · log softmax(z)_k`, averaged over rows. Targets are either class
 * indices (one-hot) or a label-smoothed distribution `ỹ = (1 − ε)·onehot(y) + ε/K`
 * (mmpretrain `LabelSmoothLoss`, mode "original", as used by TET-S).
 */
import { tf } from "../backend/tf.js";

/** Class labels: an int32 tensor `[B]` or a plain array. */
export type Labels = tf.Tensor1D | number[] | Int32Array;

export function labelsTensor(labels: Labels, what = "labels"): tf.Tensor1D {
  if (labels instanceof tf.Tensor) {
    if (labels.rank !== 1) throw new Error(`${what}: expected a 1-D tensor [B], got shape [${labels.shape}]`);
    return labels.dtype === "int32" ? labels : tf.cast(labels, "int32");
  }
  return tf.tensor1d(Array.from(labels), "int32");
}

/**
 * Targets `[B, K]`: one-hot, or label-smoothed with `ε` spread uniformly over all K classes
 * (the true class receives `1 − ε + ε/K`).
 */
export function targetDistribution(labels: Labels, numClasses: number, epsilon = 0): tf.Tensor2D {
  if (!(epsilon >= 0 && epsilon < 1)) throw new Error(`label smoothing epsilon must be in [0, 1), got ${epsilon}`);
  return tf.tidy(() => {
    const oneHot = tf.oneHot(labelsTensor(labels), numClasses).toFloat() as tf.Tensor2D;
    if (epsilon === 0) return oneHot;
    return tf.add(tf.mul(oneHot, 1 - epsilon), epsilon / numClasses) as tf.Tensor2D;
  });
}

/** Mean over rows of `−Σ_k target_k · log softmax(logits)_k`; logits `[R, K]`, target `[R, K]`. */
export function softCrossEntropy(logits: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  if (logits.rank !== 2 || target.rank !== 2 || logits.shape.join() !== target.shape.join()) {
    throw new Error(`softCrossEntropy: logits [${logits.shape}] and target [${target.shape}] must both be [R, K]`);
  }
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar);
}

/** Cross-entropy of logits `[B, K]` against class labels (optionally label-smoothed). */
export function crossEntropy(logits: tf.Tensor2D, labels: Labels, epsilon = 0): tf.Scalar {
  if (logits.rank !== 2) throw new Error(`crossEntropy: logits must be [B, K], got [${logits.shape}]`);
  return tf.tidy(() => softCrossEntropy(logits, targetDistribution(labels, logits.shape[1], epsilon)));
}

/** Check an output sequence is `[T, B, K]` and matches the labels; returns [T, B, K]. */
export function checkOutputSeq(outputs: tf.Tensor, labels: Labels, loss: string): [number, number, number] {
  if (outputs.rank !== 3) {
    throw new Error(`${loss}: outputs must be time-first [T, B, K], got shape [${outputs.shape}]`);
  }
  const [T, B, K] = outputs.shape as [number, number, number];
  const nLabels = labels instanceof tf.Tensor ? labels.shape[0] : labels.length;
  if (nLabels !== B) throw new Error(`${loss}: ${nLabels} labels for a batch of ${B} (outputs [${outputs.shape}])`);
  return [T, B, K];
}
