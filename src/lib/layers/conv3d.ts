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
    const [T, B, H, W, C] = x.shape as [number, number, number, number, number];
    const [kt] = this.kernel;
    const [st, sh, sw] = this.stride;
    const [pt, ph, pw] = this.padding;
    const To = Math.floor((T + 2 * pt - kt) / st) + 1;
    if (To < 1) throw new Error(`Conv3d: ${T} frames with padding ${pt} are fewer than the temporal kernel ${kt}`);
    // Σ over the kt temporal taps of a 2-D conv on the T'·B folded frames: TF.js's wasm Conv3D is a plain loop
    // (measured 18 s vs 0.6 s forward for the DVS-Lip stem at T 16, B 16, 44², 16 channels), conv2d runs on XNNPACK.
    return tf.tidy(() => {
      const xp = pt || ph || pw ? tf.pad(x, [[pt, pt], [0, 0], [ph, ph], [pw, pw], [0, 0]]) : x;
      const [, , Hp, Wp] = xp.shape as number[];
      let acc: tf.Tensor4D | null = null;
      for (let dt = 0; dt < kt; dt++) {
        const frames = tf.stridedSlice(xp, [dt, 0, 0, 0, 0], [dt + (To - 1) * st + 1, B, Hp!, Wp!, C], [st, 1, 1, 1, 1]);
        const w2 = tf.reshape(tf.slice(this.weight, [dt, 0, 0, 0, 0], [1, -1, -1, -1, -1]), this.weight.shape.slice(1) as [number, number, number, number]) as tf.Tensor4D;
        const y = tf.conv2d(tf.reshape(frames, [To * B, Hp!, Wp!, C]) as tf.Tensor4D, w2, [sh, sw], "valid");
        acc = acc ? (tf.add(acc, y) as tf.Tensor4D) : y;
      }
      const out = this.bias ? tf.add(acc!, this.bias) : acc!;
      return tf.reshape(out, [To, B, out.shape[1]!, out.shape[2]!, this.outChannels]);
    });
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, ...(this.bias ? [{ name: "bias", variable: this.bias, group: "bias" as const }] : [])];
  }
}
