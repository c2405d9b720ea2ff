/**
 * SEW-ResNet-18/34/50 (spike-element-wise residual nets, as used by the IMP paper's ImageNet LTS study,
 * papers.md §3.3): torchvision's ResNet with a spiking neuron after every BN and the residual joined by
 * a connect function on spikes — ADD: out = SN(main) + SN(downsample) (or + identity). The stem is
 * conv 7×7/2 (no bias) + BN + SN + AvgPool(3, 2, 1) (the IMP code replaces the max-pool). Input is
 * time-first `[T, B, H, W, 3]` (static images repeated over T, e.g. with `RepeatT`); the head is
 * global average pooling + Linear(512·expansion, K) per step. Parameter-free connections, so the
 * parameter count equals torchvision's ResNet.
 *
 * CIFAR variant (`stem: "cifar"`, the IMP repo's `SEWResNetCifar`, papers.md §3.3): 32² inputs keep their
 * resolution through a 3×3 stride-1 stem without pooling, so the four stages see 32², 16², 8², 4².
 * `zeroInitResidual` sets γ = 0 in the last BN of every main branch (Goyal et al. 2017): at init that BN
 * outputs β = 0, its neuron stays silent, and with ADD each block starts as its shortcut.
 */
import { tf } from "../backend/tf.js";
import { Conv2d, Linear } from "../layers/linear.js";
import type { Module } from "../layers/module.js";
import { BatchNorm } from "../layers/norm.js";
import { AvgPool2d, GlobalAvgPool } from "../layers/pool.js";
import { Named, type NeuronFactory } from "./common.js";

export type SewConnect = "ADD" | "AND" | "IAND";

/** Main branch and shortcut joined by the connect function. */
class SewBlock extends Named {
  constructor(main: [string, Module][], readonly shortcut: Named | null, readonly connect: SewConnect) {
    super(shortcut ? [...main, ["downsample", shortcut]] : main);
    this.mainLen = main.length;
  }
  private readonly mainLen: number;

  override forward(x: tf.Tensor): tf.Tensor {
    const main = new Named(this.children.slice(0, this.mainLen)).forward(x);
    const id = this.shortcut ? this.shortcut.forward(x) : x;
    const out = tf.tidy(() => {
      if (this.connect === "ADD") return tf.add(main, id);
      if (this.connect === "AND") return tf.mul(main, id);
      return tf.mul(tf.sub(1, main), id); // IAND: (¬main) ∧ id
    });
    main.dispose();
    if (id !== x) id.dispose();
    return out;
  }
}

export interface SewResNetOptions {
  depth: 18 | 34 | 50;
  neuron: NeuronFactory;
  T: number;
  numClasses?: number;
  connect?: SewConnect;
  seed?: number;
  /** "imagenet" (default): conv 7×7/2 + AvgPool(3, 2, 1); "cifar": conv 3×3/1, no pooling. */
  stem?: "imagenet" | "cifar";
  /** Scales every width (64·2^i·f, rounded, at least 1); 1 = the published network. */
  widthFactor?: number;
  /** γ = 0 in the last BN of each main branch (the IMP CIFAR configs). Default false. */
  zeroInitResidual?: boolean;
}

const LAYERS: Record<18 | 34 | 50, number[]> = { 18: [2, 2, 2, 2], 34: [3, 4, 6, 3], 50: [3, 4, 6, 3] };

export function sewResNet(o: SewResNetOptions): Named {
  const bottleneck = o.depth === 50;
  const expansion = bottleneck ? 4 : 1;
  const connect = o.connect ?? "ADD";
  let seed = (o.seed ?? 0) * 10_000;
  const conv = (cin: number, cout: number, k: number, stride = 1) =>
    new Conv2d(cin, cout, k, { stride, padding: Math.floor(k / 2), bias: false, init: "kaiming-normal", seed: seed++ });
  const sn = (name: string, channels: number) => o.neuron({ name, channels, T: o.T });
  const f = o.widthFactor ?? 1;
  if (!(f > 0)) throw new Error(`sewResNet: widthFactor must be > 0, got ${o.widthFactor}`);
  const widthOf = (c: number) => Math.max(1, Math.round(c * f));
  const cifar = o.stem === "cifar";
  const stemWidth = widthOf(64);
  const children: [string, Module][] = cifar
    ? [
      ["conv1", conv(3, stemWidth, 3)],
      ["bn1", new BatchNorm(stemWidth)],
      ["sn1", sn("sn1", stemWidth)],
    ]
    : [
      ["conv1", new Conv2d(3, stemWidth, 7, { stride: 2, padding: 3, bias: false, init: "kaiming-normal", seed: seed++ })],
      ["bn1", new BatchNorm(stemWidth)],
      ["sn1", sn("sn1", stemWidth)],
      ["pool", new AvgPool2d(3, 2, 1)],
    ];
  let cin = stemWidth;
  const lastBn = (c: number) => {
    const bn = new BatchNorm(c);
    if (o.zeroInitResidual) bn.gamma.assign(tf.zeros([c]));
    return bn;
  };
  LAYERS[o.depth].forEach((blocks, li) => {
    const width = widthOf(64 * 2 ** li);
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 && li > 0 ? 2 : 1;
      const name = `layer${li + 1}.${b}`;
      const cout = width * expansion;
      const main: [string, Module][] = bottleneck
        ? [
          ["conv1", conv(cin, width, 1)], ["bn1", new BatchNorm(width)], ["sn1", sn(`${name}.sn1`, width)],
          ["conv2", conv(width, width, 3, stride)], ["bn2", new BatchNorm(width)], ["sn2", sn(`${name}.sn2`, width)],
          ["conv3", conv(width, cout, 1)], ["bn3", lastBn(cout)], ["sn3", sn(`${name}.sn3`, cout)],
        ]
        : [
          ["conv1", conv(cin, width, 3, stride)], ["bn1", new BatchNorm(width)], ["sn1", sn(`${name}.sn1`, width)],
          ["conv2", conv(width, width, 3)], ["bn2", lastBn(width)], ["sn2", sn(`${name}.sn2`, width)],
        ];
      const shortcut = stride !== 1 || cin !== cout
        ? new Named([["0", conv(cin, cout, 1, stride)], ["1", new BatchNorm(cout)], ["sn", sn(`${name}.downsample`, cout)]])
        : null;
      children.push([name, new SewBlock(main, shortcut, connect)]);
      cin = cout;
    }
  });
  children.push(["gap", new GlobalAvgPool()], ["fc", new Linear(cin, o.numClasses ?? 1000, { seed: seed++ })]);
  return new Named(children);
}

/** SEW-ResNet-18 for 32² images (`SEWResNetCifar` [2, 2, 2, 2], zero-initialised residual, 10 classes by default). */
export function sewResNetCifar(o: Omit<SewResNetOptions, "depth" | "stem" | "zeroInitResidual">): Named {
  return sewResNet({ numClasses: 10, ...o, depth: 18, stem: "cifar", zeroInitResidual: true });
}
