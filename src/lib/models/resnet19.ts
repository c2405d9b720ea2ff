/**
 * ResNet-19 for CIFAR (Zheng et al. 2021 "tdBN", used by TET and the MPE-PSN CIFAR10 log, papers.md §2.2):
 *
 *   conv3×3(3→128) + BN + SN → 3 × Block(128) → 3 × Block(256, first stride 2) → 2 × Block(512, first stride 2)
 *   → global average pool → FC(512→256) + SN → FC(256→K)
 *
 * Block(c) = SN(BN(conv3×3(SN(BN(conv3×3(x))))) + shortcut(x)), the shortcut a 1×1 conv + BN when the
 * stride or width changes (a "spiking ResNet": the residual is added to the membrane input of the last
 * neuron, not to its spikes as in SEW). Convs have no bias. Input `[T, B, 32, 32, 3]` (static images
 * repeated over T). `widthFactor` narrows every width for reduced-scale runs (1 = the paper).
 */
import { tf } from "../backend/tf.js";
import { Conv2d, Linear } from "../layers/linear.js";
import type { Module, NamedBuffer, NamedParameter } from "../layers/module.js";
import { BatchNorm } from "../layers/norm.js";
import { GlobalAvgPool } from "../layers/pool.js";
import { Named, residualForward, type NeuronFactory } from "./common.js";

class SpikingBasicBlock implements Module {
  readonly main: Named;
  readonly shortcut: Named | null;
  readonly out: Module;
  constructor(cin: number, cout: number, stride: number, neuron: NeuronFactory, T: number, name: string, seed: number) {
    const conv = (i: number, o: number, k: number, s: number, sd: number) => new Conv2d(i, o, k, { stride: s, padding: Math.floor(k / 2), bias: false, init: "kaiming-normal", seed: sd });
    this.main = new Named([
      ["conv1", conv(cin, cout, 3, stride, seed)], ["bn1", new BatchNorm(cout)], ["sn1", neuron({ name: `${name}.sn1`, channels: cout, T })],
      ["conv2", conv(cout, cout, 3, 1, seed + 1)], ["bn2", new BatchNorm(cout)],
    ]);
    this.shortcut = stride !== 1 || cin !== cout ? new Named([["conv", conv(cin, cout, 1, stride, seed + 2)], ["bn", new BatchNorm(cout)]]) : null;
    this.out = neuron({ name: `${name}.sn2`, channels: cout, T });
  }
  get children(): [string, Module][] {
    return [["main", this.main], ...(this.shortcut ? [["shortcut", this.shortcut] as [string, Module]] : []), ["sn2", this.out]];
  }
  forward(x: tf.Tensor): tf.Tensor {
    return residualForward(this.main, this.shortcut, this.out, x);
  }
  parameters(): NamedParameter[] {
    return this.children.flatMap(([n, c]) => (c.parameters?.() ?? []).map((p) => ({ ...p, name: `${n}.${p.name}` })));
  }
  buffers(): NamedBuffer[] {
    return this.children.flatMap(([n, c]) => (c.buffers?.() ?? []).map((b) => ({ ...b, name: `${n}.${b.name}` })));
  }
  reset(): void { this.children.forEach(([, c]) => c.reset?.()); }
  train(mode: boolean): void { this.children.forEach(([, c]) => c.train?.(mode)); }
  reseed(seed: number): void { this.children.forEach(([, c], i) => c.reseed?.(seed * 31 + i)); }
}

export interface ResNet19Options {
  neuron: NeuronFactory;
  T: number;
  numClasses?: number;
  widthFactor?: number;
  seed?: number;
}

export function resnet19(o: ResNet19Options): Named {
  const w = (c: number) => Math.max(1, Math.round(c * (o.widthFactor ?? 1)));
  const s = (o.seed ?? 0) * 1000;
  const layers: [string, Module][] = [
    ["conv1", new Conv2d(3, w(128), 3, { padding: 1, bias: false, init: "kaiming-normal", seed: s })], ["bn1", new BatchNorm(w(128))],
    ["sn1", o.neuron({ name: "sn1", channels: w(128), T: o.T })],
  ];
  let cin = w(128), k = 1;
  for (const [stage, [width, blocks]] of ([[128, 3], [256, 3], [512, 2]] as const).entries()) {
    for (let b = 0; b < blocks; b++) {
      const stride = stage > 0 && b === 0 ? 2 : 1;
      layers.push([`layer${stage + 1}.${b}`, new SpikingBasicBlock(cin, w(width), stride, o.neuron, o.T, `layer${stage + 1}.${b}`, s + 10 * k++)]);
      cin = w(width);
    }
  }
  layers.push(
    ["pool", new GlobalAvgPool()],
    ["fc1", new Linear(cin, w(256), { seed: s + 900 })], ["fc1.sn", o.neuron({ name: "fc1.sn", channels: w(256), T: o.T })],
    ["fc2", new Linear(w(256), o.numClasses ?? 10, { seed: s + 901 })],
  );
  return new Named(layers);
}
