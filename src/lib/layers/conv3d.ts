/**
 * 3-D convolution over (time, height, width) on time-first input: x `[T, B, H, W, C_in]` →
 * `[T', B, H', W', C_out]`, PyTorch `Conv3d` semantics with symmetric zero padding `(pt, ph, pw)`:
 *
 *   y[t, b, i, j, o] = Σ_{dt, di, dj, c} W[dt, di, dj, c, o] · x_pad[t·st + dt, b, i·sh + di, j·sw + dj, c]  (+ bias)
 *
 * The time axis is convolved like a spatial one (the DVS-Lip stem "3D_c64k577s122p233" of the mul-free paper,
 * papers.md §4.4, mixes 5 neighbouring frames), so this layer is not causal. Weights `[kt, kh, kw, C_in,
 * C_out]` (TF.js NDHWC filter layout); init as {@link Conv2d} (fan = C·kt·kh·kw).
 */
import { tf } from "../backend/tf.js";
import type { LinearOptions } from "./linear.js";
import type { Module, NamedParameter } from "./module.js";
import { tfNormalSeed } from "../util/random.js";

let uid = 0;
type Triple = [number, number, number];

export interface Conv3dOptions extends LinearOptions {
  stride?: Triple;
  padding?: Triple;
}

export class Conv3d implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly stride: Triple;
  readonly padding: Triple;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernel: Triple, opts: Conv3dOptions = {}) {
    const seed = opts.seed ?? 0;
    const vol = kernel[0] * kernel[1] * kernel[2];
    const fanIn = inChannels * vol, fanOut = outChannels * vol;
    const shape = [...kernel, inChannels, outChannels];
    const id = uid++;
    const kaiming = opts.init === "kaiming-normal";
    const bound = 1 / Math.sqrt(fanIn);
    this.weight = tf.variable(kaiming ? tf.randomNormal(shape, 0, Math.sqrt(2 / fanOut), "float32", tfNormalSeed(seed)) : tf.randomUniform(shape, -bound, bound, "float32", seed), true, `conv3d${id}.weight`);
    this.bias = opts.bias === false ? null : tf.variable(kaiming ? tf.zeros([outChannels]) : tf.randomUniform([outChannels], -bound, bound, "float32", seed + 1), true, `conv3d${id}.bias`);
    this.stride = opts.stride ?? [1, 1, 1];
    this.padding = opts.padding ?? [0, 0, 0];
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 5 || x.shape[4] !== this.inChannels) throw new Error(`Conv3d(${this.inChannels}→${this.outChannels}): expected time-first [T, B, H, W, ${this.inChannels}], got shape [${x.shape}]`);
    return tf.tidy(() => {
      const [pt, ph, pw] = this.padding;
      const ndhwc = tf.transpose(x, [1, 0, 2, 3, 4]); // [B, T, H, W, C]
      const padded = pt || ph || pw ? tf.pad(ndhwc, [[0, 0], [pt, pt], [ph, ph], [pw, pw], [0, 0]]) : ndhwc;
      let y = tf.conv3d(padded as tf.Tensor5D, this.weight as tf.Tensor5D, this.stride, "valid");
      if (this.bias) y = tf.add(y, this.bias);
      return tf.transpose(y, [1, 0, 2, 3, 4]);
    });
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, ...(this.bias ? [{ name: "bias", variable: this.bias, group: "bias" as const }] : [])];
  }
}
