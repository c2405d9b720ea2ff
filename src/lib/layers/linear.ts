/**
 * Linear and convolution layers, applied per time step on time-first input (`[T, B, F]` / `[T, B, H, W, C]`).
 *
 * Initialisation follows PyTorch: the default is Kaiming-uniform with a = √5, i.e. W, b ~ U(±1/√fan_in);
 * `init: "kaiming-normal"` is `kaiming_normal_(mode="fan_out", nonlinearity="relu")`, N(0, 2/fan_out),
 * with zero bias, as the papers' VGGs use. Weights are output-last (TF.js): dense [in, out], conv
 * [kh, kw, in, out].
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "./module.js";
import { seqToAnn } from "./seq.js";
import { tfNormalSeed } from "../util/random.js";

let uid = 0;
const vname = (s: string) => `${s}_${uid++}`;

export type InitKind = "default" | "kaiming-normal";

function initWeight(shape: number[], fanIn: number, fanOut: number, init: InitKind, seed: number): tf.Tensor {
  if (init === "kaiming-normal") return tf.randomNormal(shape, 0, Math.sqrt(2 / fanOut), "float32", tfNormalSeed(seed));
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform(shape, -bound, bound, "float32", seed);
}

function initBias(n: number, fanIn: number, init: InitKind, seed: number): tf.Tensor {
  if (init === "kaiming-normal") return tf.zeros([n]);
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform([n], -bound, bound, "float32", seed);
}

export interface LinearOptions {
  bias?: boolean;
  init?: InitKind;
  seed?: number;
}

export class Linear implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;

  constructor(readonly inFeatures: number, readonly outFeatures: number, opts: LinearOptions = {}) {
    const seed = opts.seed ?? 0;
    const init = opts.init ?? "default";
    this.weight = tf.variable(initWeight([inFeatures, outFeatures], inFeatures, outFeatures, init, seed), true, vname("linear.weight"));
    this.bias = opts.bias === false ? null : tf.variable(initBias(outFeatures, inFeatures, init, seed + 1), true, vname("linear.bias"));
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.shape[x.rank - 1] !== this.inFeatures) {
      throw new Error(`Linear(${this.inFeatures}, ${this.outFeatures}): input's last dimension is ${x.shape[x.rank - 1]} (shape [${x.shape}])`);
    }
    return tf.tidy(() => {
      const flat = tf.reshape(x, [-1, this.inFeatures]);
      const y = this.bias ? tf.add(tf.matMul(flat, this.weight), this.bias) : tf.matMul(flat, this.weight);
      return tf.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]);
    });
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, ...(this.bias ? [{ name: "bias", variable: this.bias, group: "bias" as const }] : [])];
  }
}

export interface Conv2dOptions extends LinearOptions {
  stride?: number;
  /** Symmetric zero padding in pixels (PyTorch style), or "same" / "valid". */
  padding?: number | "same" | "valid";
  dilation?: number;
}

/** 2-D convolution per time step: x [T, B, H, W, C_in] → [T, B, H', W', C_out]. */
export class Conv2d implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly stride: number;
  readonly padding: number | "same" | "valid";
  readonly dilation: number;

  constructor(readonly inChannels: number, readonly outChannels: number, readonly kernel: number, opts: Conv2dOptions = {}) {
    const seed = opts.seed ?? 0;
    const init = opts.init ?? "default";
    const fanIn = inChannels * kernel * kernel, fanOut = outChannels * kernel * kernel;
    this.weight = tf.variable(initWeight([kernel, kernel, inChannels, outChannels], fanIn, fanOut, init, seed), true, vname("conv.weight"));
    this.bias = opts.bias === false ? null : tf.variable(initBias(outChannels, fanIn, init, seed + 1), true, vname("conv.bias"));
    this.stride = opts.stride ?? 1;
    this.padding = opts.padding ?? Math.floor(kernel / 2);
    this.dilation = opts.dilation ?? 1;
  }

  /** The conv on one folded batch [N, H, W, C]. */
  apply(x4: tf.Tensor4D): tf.Tensor4D {
    if (x4.shape[3] !== this.inChannels) throw new Error(`Conv2d(${this.inChannels}→${this.outChannels}): input has ${x4.shape[3]} channels (shape [${x4.shape}]; layout NHWC)`);
    const pad = this.padding === 0 ? "valid" : this.padding;
    const y = tf.conv2d(x4, this.weight as tf.Tensor4D, this.stride, pad, "NHWC", this.dilation);
    return this.bias ? tf.add(y, this.bias) : y;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (x.rank !== 5) throw new Error(`Conv2d: expected time-first [T, B, H, W, C], got shape [${x.shape}]`);
    return seqToAnn(x, (f) => this.apply(f as tf.Tensor4D));
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, ...(this.bias ? [{ name: "bias", variable: this.bias, group: "bias" as const }] : [])];
  }
}
