/**
 * A tiny conv → batch-norm → max-pool → depthwise → relu → dense net in plain tf ops, for the
 * wasm-kernel training test and bench (toolchain §7.1's tiny-net table). Max-pool comes before the
 * activation so it sees negative windows (§7.3).
 */
import { tf } from "../../src/lib/backend/index.js";
import { normal } from "./wasm-kernels-helpers.js";

export interface TinyNet { vars: tf.Variable[]; loss: (x: tf.Tensor4D, y: tf.Tensor2D) => tf.Scalar }

export function tinyConvNet(inC: number, hw: number, classes: number, seed: number, width = 8): TinyNet {
  const v = (shape: number[], s: number, scale: number) =>
    tf.variable(tf.mul(tf.tensor(normal(shape, seed * 100 + s), shape), scale));
  const w1 = v([3, 3, inC, width], 1, Math.sqrt(2 / (9 * inC)));
  const gamma = tf.variable(tf.ones([width]));
  const beta = tf.variable(tf.zeros([width]));
  const wd = v([3, 3, width, 1], 2, Math.sqrt(2 / 9));
  const pooled = Math.ceil(hw / 2);
  const feat = Math.ceil(pooled / 2) ** 2 * width;
  const wo = v([feat, classes], 3, Math.sqrt(1 / feat));
  const bo = tf.variable(tf.zeros([classes]));
  const loss = (x: tf.Tensor4D, y: tf.Tensor2D) => tf.tidy(() => {
    const h = tf.conv2d(x, w1 as tf.Tensor4D, 1, "same");
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    const bn = tf.batchNorm(h, mean, variance, beta, gamma, 1e-5);
    const p = tf.maxPool(bn as tf.Tensor4D, 2, 2, "same");
    const d = tf.relu(tf.depthwiseConv2d(p, wd as tf.Tensor4D, 2, "same"));
    const logits = tf.add(tf.matMul(tf.reshape(d, [x.shape[0], feat]), wo as tf.Tensor2D), bo);
    return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
  });
  return { vars: [w1, gamma, beta, wd, wo, bo], loss };
}

/** A seeded toy task: the class is which quadrant of the first channel has the largest mean. */
export function toyBatch(batch: number, inC: number, hw: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const xv = normal([batch, hw, hw, inC], seed);
  const labels = new Int32Array(batch);
  const h = Math.floor(hw / 2);
  for (let b = 0; b < batch; b++) {
    const k = b % 4;
    const [r0, c0] = [Math.floor(k / 2) * h, (k % 2) * h];
    for (let i = r0; i < r0 + h; i++) for (let j = c0; j < c0 + h; j++) xv[((b * hw + i) * hw + j) * inC] += 1.5;
    labels[b] = k;
  }
  return { x: tf.tensor4d(xv, [batch, hw, hw, inC]), y: tf.oneHot(tf.tensor1d(labels, "int32"), 4) as tf.Tensor2D };
}
