/**
 * 1-D convolution along the column axis of a column-by-column image sequence (the sequential-CIFAR input:
 * T steps of one H-pixel column with C channels, `[T, B, H, 1, C]`):
 *
 *   y[t, b, h, 0, o] = bias[o] + Σ_{j < k} Σ_c w[j, 0, c, o] · x[t, b, h + j − ⌊(k − 1)/2⌋, 0, c]
 *
 * with zero padding ("same", as conv2d with a [k, 1] kernel pads). Initialisation is PyTorch's default,
 * W, b ~ U(±1/√(cin·k)).
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "./module.js";
import { seqToAnn } from "./seq.js";

let uid = 0;

/** 1-D convolution along the column axis H of [T, B, H, 1, C] (kernel [k, 1], "same" padding). */
export class ColumnConv implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  constructor(readonly cin: number, readonly cout: number, readonly k = 3, seed = 0) {
    const bound = 1 / Math.sqrt(cin * k);
    this.weight = tf.variable(tf.randomUniform([k, 1, cin, cout], -bound, bound, "float32", seed), true, `colconv${uid}.weight`);
    this.bias = tf.variable(tf.randomUniform([cout], -bound, bound, "float32", seed + 1), true, `colconv${uid++}.bias`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return seqToAnn(x, (f) => tf.add(tf.conv2d(f as tf.Tensor4D, this.weight as tf.Tensor4D, 1, "same"), this.bias));
  }
  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, { name: "bias", variable: this.bias, group: "bias" }];
  }
}
