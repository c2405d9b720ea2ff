/**
 * SDT, "standard direct training" (papers.md §1.3): cross-entropy of the time-averaged output,
 * `L = CE((1/T)·Σ_t O_t, y)`; prediction `argmax_k (1/T)·Σ_t O_t[k]`.
 */
import { tf } from "../backend/tf.js";
import { checkOutputSeq, crossEntropy, type Labels } from "./cross-entropy.js";

export function sdtLoss(outputs: tf.Tensor, labels: Labels): tf.Scalar {
  checkOutputSeq(outputs, labels, "sdtLoss");
  return tf.tidy(() => crossEntropy(tf.mean(outputs, 0) as tf.Tensor2D, labels));
}

/** argmax of the mean over time (the rule of SDT, TET and TET-S). */
export function meanOutputPredict(outputs: tf.Tensor): tf.Tensor1D {
  if (outputs.rank !== 3) throw new Error(`predict: outputs must be [T, B, K], got [${outputs.shape}]`);
  return tf.tidy(() => tf.argMax(tf.mean(outputs, 0), -1) as tf.Tensor1D);
}
