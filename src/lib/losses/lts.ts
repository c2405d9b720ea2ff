/**
 * LTS, last-time-step loss (IMP paper, papers.md §3.2): train with `CE(O_{T−1}, y)` and predict with
 * `argmax O_{T−1}` only (IMP-SNN `in1k/LTS/train_olts.py`; the ImageNet-100 config's
 * `out_time_step=[3]` at T = 4 is the same thing).
 */
import { tf } from "../backend/tf.js";
import { checkOutputSeq, crossEntropy, type Labels } from "./cross-entropy.js";

function lastStep(outputs: tf.Tensor): tf.Tensor2D {
  const [T, B, K] = outputs.shape as [number, number, number];
  return tf.slice(outputs, [T - 1, 0, 0], [1, B, K]).reshape([B, K]) as tf.Tensor2D;
}

export function ltsLoss(outputs: tf.Tensor, labels: Labels, epsilon = 0): tf.Scalar {
  checkOutputSeq(outputs, labels, "ltsLoss");
  return tf.tidy(() => crossEntropy(lastStep(outputs), labels, epsilon));
}

export function lastStepPredict(outputs: tf.Tensor): tf.Tensor1D {
  if (outputs.rank !== 3) throw new Error(`predict: outputs must be [T, B, K], got [${outputs.shape}]`);
  return tf.tidy(() => tf.argMax(lastStep(outputs), -1) as tf.Tensor1D);
}
