/**
 * The mul-free paper's pixel-CIFAR10 network (papers.md §4.4, the PMSN paper's network):
 *
 *   FC128-BN-SN-{RB128}×2-APk4s4-FC256-BN-SN-{RB256}×2-FC10
 *
 * on `[T, B, 3]` (one pixel per step, T = 1024 at full size). The residual block is not spelled out in the
 * spec; our reading [INFERENCE, documented in docs/DECISIONS.md]: RB(c) = x + SN(BN(FC_c(x))), one
 * FC-BN-SN branch added to its input. APk4s4 is average pooling over time (kernel 4, stride 4), so the
 * second half runs at T/4. Output: per-step logits `[T/4, B, 10]` (the loss decides how steps combine).
 */
import { tf } from "../backend/tf.js";
import { Linear } from "../layers/linear.js";
import type { Module, NamedBuffer, NamedParameter } from "../layers/module.js";
import { BatchNorm } from "../layers/norm.js";
import { Named, type NeuronFactory } from "./common.js";

/** x + SN(BN(FC(x))): a residual block whose branch is one fully connected spiking layer. */
export class ResidualFcBlock implements Module {
  readonly branch: Named;
  constructor(readonly channels: number, neuron: NeuronFactory, T: number, name: string, seed = 0) {
    this.branch = new Named([["fc", new Linear(channels, channels, { seed })], ["bn", new BatchNorm(channels)], ["sn", neuron({ name: `${name}.sn`, channels, T })]]);
  }
  get children(): [string, Module][] {
    return this.branch.children;
  }
  forward(x: tf.Tensor): tf.Tensor {
    const y = this.branch.forward(x);
    const out = tf.add(x, y);
    y.dispose();
    return out;
  }
  parameters(): NamedParameter[] { return this.branch.parameters(); }
  buffers(): NamedBuffer[] { return this.branch.buffers(); }
  reset(): void { this.branch.reset(); }
  train(mode: boolean): void { this.branch.train(mode); }
  reseed(seed: number): void { this.branch.reseed(seed); }
}

/** Average pooling over time with kernel = stride = `factor` on `[T, B, C]` (T divisible by factor). */
export class TimeAvgPool implements Module {
  constructor(readonly factor: number) {}
  forward(x: tf.Tensor): tf.Tensor {
    const [T, ...rest] = x.shape as [number, ...number[]];
    if (T % this.factor !== 0) throw new Error(`TimeAvgPool(${this.factor}): T = ${T} is not divisible by ${this.factor}`);
    return tf.tidy(() => tf.mean(tf.reshape(x, [T / this.factor, this.factor, ...rest]), 1));
  }
}

export interface PixelCifarOptions {
  neuron: NeuronFactory;
  /** Sequence length of the input (1024 for 32×32 pixels). */
  T: number;
  numClasses?: number;
  /** Widths of the two halves (paper 128, 256). */
  widths?: [number, number];
  seed?: number;
}

export function pixelCifarNet(o: PixelCifarOptions): Named {
  const [w1, w2] = o.widths ?? [128, 256];
  const T2 = o.T / 4;
  const s = (o.seed ?? 0) * 100;
  return new Named([
    ["fc1", new Linear(3, w1, { seed: s + 1 })], ["bn1", new BatchNorm(w1)], ["sn1", o.neuron({ name: "sn1", channels: w1, T: o.T })],
    ["rb1", new ResidualFcBlock(w1, o.neuron, o.T, "rb1", s + 2)], ["rb2", new ResidualFcBlock(w1, o.neuron, o.T, "rb2", s + 3)],
    ["pool", new TimeAvgPool(4)],
    ["fc2", new Linear(w1, w2, { seed: s + 4 })], ["bn2", new BatchNorm(w2)], ["sn2", o.neuron({ name: "sn2", channels: w2, T: T2 })],
    ["rb3", new ResidualFcBlock(w2, o.neuron, T2, "rb3", s + 5)], ["rb4", new ResidualFcBlock(w2, o.neuron, T2, "rb4", s + 6)],
    ["fc3", new Linear(w2, o.numClasses ?? 10, { seed: s + 7 })],
  ]);
}
