/**
 * Pooling and flattening per time step on `[T, B, H, W, C]`.
 *
 * `Flatten` emits features in PyTorch's C·H·W order (it transposes NHWC → NCHW first), so a Linear
 * layer after it has the same in_features layout as the papers' PyTorch models and weights can be
 * mapped one to one.
 */
import { tf } from "../backend/tf.js";
import type { Module } from "./module.js";
import { seqToAnn } from "./seq.js";

function check5(x: tf.Tensor, who: string): void {
  if (x.rank !== 5) throw new Error(`${who}: expected time-first [T, B, H, W, C], got shape [${x.shape}]`);
}

export class MaxPool2d implements Module {
  constructor(readonly size: number, readonly stride = size) {}
  forward(x: tf.Tensor): tf.Tensor {
    check5(x, "MaxPool2d");
    return seqToAnn(x, (f) => tf.maxPool(f as tf.Tensor4D, this.size, this.stride, "valid"));
  }
}

export class AvgPool2d implements Module {
  /** `padding` > 0 zero-pads and counts the pads (PyTorch count_include_pad=True). */
  constructor(readonly size: number, readonly stride = size, readonly padding = 0) {}
  forward(x: tf.Tensor): tf.Tensor {
    check5(x, "AvgPool2d");
    return seqToAnn(x, (f) => {
      const p = this.padding;
      const padded = p ? tf.pad(f, [[0, 0], [p, p], [p, p], [0, 0]]) : f;
      return tf.avgPool(padded as tf.Tensor4D, this.size, this.stride, "valid");
    });
  }
}

/** Mean over H and W: [T, B, H, W, C] → [T, B, C]. */
export class GlobalAvgPool implements Module {
  forward(x: tf.Tensor): tf.Tensor {
    check5(x, "GlobalAvgPool");
    return tf.mean(x, [2, 3]);
  }
}

/** [T, B, H, W, C] → [T, B, C·H·W] in PyTorch's channel-major order. */
export class Flatten implements Module {
  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank === 3) return x.clone();
    check5(x, "Flatten");
    const [T, B] = x.shape as [number, number];
    return tf.tidy(() => tf.reshape(tf.transpose(x, [0, 1, 4, 2, 3]), [T, B, -1]));
  }
}

/** From SpikingJelly frames [T, B, C, H, W] to the NHWC layout the networks use. */
export class FramesToNHWC implements Module {
  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 5) throw new Error(`FramesToNHWC: expected frames [T, B, C, H, W], got shape [${x.shape}]`);
    return tf.transpose(x, [0, 1, 3, 4, 2]);
  }
}

/** Average over groups of `size` consecutive outputs (SpikingJelly `VotingLayer`): [.., K·size] → [.., K]. */
export class VotingLayer implements Module {
  constructor(readonly size = 10) {}
  forward(x: tf.Tensor): tf.Tensor {
    const n = x.shape[x.rank - 1]!;
    if (n % this.size !== 0) throw new Error(`VotingLayer(${this.size}): ${n} outputs are not a multiple of the voting size`);
    return tf.tidy(() => tf.mean(tf.reshape(x, [...x.shape.slice(0, -1), n / this.size, this.size]), -1));
  }
}
