/**
 * The SNN-delays "sum" loss (Hammouamri et al., ICLR 2024; used by the mul-free paper's SHD network, papers.md
 * §4.4): the readout's membrane potentials O_t `[T, B, K]` are turned into per-step class probabilities, summed
 * over time, and the sum is fed to the cross-entropy as if it were logits,
 *
 *   m = Σ_t softmax(O_t),   L = CE(m, y) = −log softmax(m)_y   (mean over the batch),
 *
 * exactly as `Model.calc_loss` with `loss = 'sum'` does (PyTorch `CrossEntropyLoss` on m). Prediction: argmax m.
 */
import { tf } from "../backend/tf.js";
import { checkOutputSeq, crossEntropy, type Labels } from "./cross-entropy.js";

function summedSoftmax(outputs: tf.Tensor): tf.Tensor2D {
  return tf.sum(tf.softmax(outputs, -1), 0) as tf.Tensor2D;
}

export function summedSoftmaxLoss(outputs: tf.Tensor, labels: Labels): tf.Scalar {
  checkOutputSeq(outputs, labels, "summedSoftmaxLoss");
  return tf.tidy(() => crossEntropy(summedSoftmax(outputs), labels));
}

export function summedSoftmaxPredict(outputs: tf.Tensor): tf.Tensor1D {
  if (outputs.rank !== 3) throw new Error(`summedSoftmaxPredict: outputs must be [T, B, K], got [${outputs.shape}]`);
  return tf.tidy(() => tf.argMax(summedSoftmax(outputs), -1) as tf.Tensor1D);
}
