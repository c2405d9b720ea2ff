/**
 * SEW-ResNet-18/34/50 (spike-element-wise residual nets, as used by the IMP paper's ImageNet LTS study,
 * papers.md §3.3): torchvision's ResNet with a spiking neuron after every BN and the residual joined by
 * a connect function on spikes — ADD: out = SN(main) + SN(downsample) (or + identity). The stem is
 * conv 7×7/2 (no bias) + BN + SN + AvgPool(3, 2, 1) (the IMP code replaces the max-pool). Input is
 * time-first `[T, B, H, W, 3]` (static images repeated over T, e.g. with `RepeatT`); the head is
 * global average pooling + Linear(512·expansion, K) per step. Parameter-free connections, so the
 * parameter count equals torchvision's ResNet.
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
  const children: [string, Module][] = [
    ["conv1", new Conv2d(3, 64, 7, { stride: 2, padding: 3, bias: false, init: "kaiming-normal", seed: seed++ })],
    ["bn1", new BatchNorm(64)],
    ["sn1", sn("sn1", 64)],
    ["pool", new AvgPool2d(3, 2, 1)],
  ];
  let cin = 64;
  LAYERS[o.depth].forEach((blocks, li) => {
    const width = 64 * 2 ** li;
    for (let b = 0; b < blocks; b++) {
      const stride = b === 0 && li > 0 ? 2 : 1;
      const name = `layer${li + 1}.${b}`;
      const cout = width * expansion;
      const main: [string, Module][] = bottleneck
        ? [
          ["conv1", conv(cin, width, 1)], ["bn1", new BatchNorm(width)], ["sn1", sn(`${name}.sn1`, width)],
          ["conv2", conv(width, width, 3, stride)], ["bn2", new BatchNorm(width)], ["sn2", sn(`${name}.sn2`, width)],
          ["conv3", conv(width, cout, 1)], ["bn3", new BatchNorm(cout)], ["sn3", sn(`${name}.sn3`, cout)],
        ]
        : [
          ["conv1", conv(cin, width, 3, stride)], ["bn1", new BatchNorm(width)], ["sn1", sn(`${name}.sn1`, width)],
          ["conv2", conv(width, width, 3)], ["bn2", new BatchNorm(width)], ["sn2", sn(`${name}.sn2`, width)],
        ];
      const shortcut = stride !== 1 || cin !== cout
        ? new Named([["0", conv(cin, cout, 1, stride)], ["1", new BatchNorm(cout)], ["sn", sn(`${name}.downsample`, cout)]])
        : null;
      children.push([name, new SewBlock(main, shortcut, connect)]);
      cin = cout;
    }
  });
  children.push(["gap", new GlobalAvgPool()], ["fc", new Linear(512 * expansion, o.numClasses ?? 1000, { seed: seed++ })]);
  return new Named(children);
}
