/**
 * The mul-free paper's "modified Spiking ResNet-18" for DVS-Lip (papers.md §4.4, Table 7):
 *
 *   3D_c64k577s122p233 - APk3s2p1 - {RB64}×2 - {RB128}×2 - {RB256}×2 - {RB512}×2 - AAPk1 - DP - Stateful FC100
 *
 * - stem: Conv3d(2 → 64, kernel (5, 7, 7) over (t, h, w), stride (1, 2, 2), padding (2, 3, 3)) - BN - SN,
 *   then average pooling 3×3 / 2, padding 1, on the spikes ("no spiking neurons inside pooling");
 * - RB (Spiking ResNet basic block, Zheng et al. 2021 / SpikingJelly `spiking_resnet.BasicBlock`):
 *   out = SN(BN(conv3×3(SN(BN(conv3×3(x))))) + shortcut(x)), shortcut = identity or conv1×1/stride - BN;
 *   the first block of stages 2-4 has stride 2;
 * - head: global average pooling per step, dropout, Linear(512, K) and the stateful readout — a
 *   non-spiking leaky integrator (`LeakyIntegratorReadout`, τ = 2) whose membrane is the per-step output.
 *
 * Input: frames `[T, B, 2, H, W]` (SpikingJelly layout; 88² crops in the paper); output `[T, B, K]`.
 * Any neuron plugs in through the {@link NeuronFactory} (the paper: mul-free channel-wise PSN, k = 2,
 * sawtooth dilation, surrogate 1/(1 + αx²) with α = 10). `widthFactor` scales every width (reduced scales).
 */
import type { Module } from "../layers/module.js";
import { Conv3d } from "../layers/conv3d.js";
import { Dropout } from "../layers/dropout.js";
import { Conv2d, Linear } from "../layers/linear.js";
import { BatchNorm } from "../layers/norm.js";
import { AvgPool2d, FramesToNHWC, GlobalAvgPool } from "../layers/pool.js";
import { LeakyIntegratorReadout } from "../layers/readout.js";
import { tf } from "../backend/tf.js";
import { Named, residualForward, type NeuronFactory } from "./common.js";

/** Spiking ResNet basic block: the neuron after the residual sum. */
class SpikingBasicBlock extends Named {
  constructor(main: [string, Module][], readonly shortcut: Named | null, readonly out: Module) {
    super([...main, ...(shortcut ? [["downsample", shortcut] as [string, Module]] : []), ["sn2", out]]);
    this.main = new Named(main);
  }
  private readonly main: Named;

  override forward(x: tf.Tensor): tf.Tensor {
    return residualForward(this.main, this.shortcut, this.out, x);
  }
}

export interface LipResNetOptions {
  neuron: NeuronFactory;
  T: number;
  numClasses?: number;
  /** Input polarity channels (default 2). */
  inChannels?: number;
  /** Scales every width (64·2^i·f, rounded, at least 1); 1 = the paper's network. */
  widthFactor?: number;
  /** Dropout before the FC (default 0.5; the paper gives no value). */
  dropout?: number;
  /** τ of the stateful readout (default 2, SpikingJelly's LIF default). */
  readoutTau?: number;
  seed?: number;
}

export function lipSpikingResNet18(o: LipResNetOptions): Named {
  const f = o.widthFactor ?? 1;
  if (!(f > 0)) throw new Error(`lipSpikingResNet18: widthFactor must be > 0, got ${o.widthFactor}`);
  const widthOf = (c: number) => Math.max(1, Math.round(c * f));
  let seed = (o.seed ?? 0) * 10_000;
  const conv = (cin: number, cout: number, k: number, stride = 1) =>
    new Conv2d(cin, cout, k, { stride, padding: Math.floor(k / 2), bias: false, init: "kaiming-normal", seed: seed++ });
  const sn = (name: string, channels: number) => o.neuron({ name, channels, T: o.T });
  const w0 = widthOf(64);
  const children: [string, Module][] = [
    ["nhwc", new FramesToNHWC()],
    ["conv1", new Conv3d(o.inChannels ?? 2, w0, [5, 7, 7], { stride: [1, 2, 2], padding: [2, 3, 3], bias: false, init: "kaiming-normal", seed: seed++ })],
    ["bn1", new BatchNorm(w0)],
    ["sn1", sn("sn1", w0)],
    ["pool", new AvgPool2d(3, 2, 1)],
  ];
  let cin = w0;
  for (let li = 0; li < 4; li++) {
    const width = widthOf(64 * 2 ** li);
    for (let b = 0; b < 2; b++) {
      const stride = b === 0 && li > 0 ? 2 : 1;
      const name = `layer${li + 1}.${b}`;
      const main: [string, Module][] = [
        ["conv1", conv(cin, width, 3, stride)], ["bn1", new BatchNorm(width)], ["sn1", sn(`${name}.sn1`, width)],
        ["conv2", conv(width, width, 3)], ["bn2", new BatchNorm(width)],
      ];
      const shortcut = stride !== 1 || cin !== width ? new Named([["0", conv(cin, width, 1, stride)], ["1", new BatchNorm(width)]]) : null;
      children.push([name, new SpikingBasicBlock(main, shortcut, sn(`${name}.sn2`, width))]);
      cin = width;
    }
  }
  children.push(
    ["gap", new GlobalAvgPool()],
    ["dropout", new Dropout(o.dropout ?? 0.5, seed++)],
    ["fc", new Linear(cin, o.numClasses ?? 100, { seed: seed++ })],
    ["readout", new LeakyIntegratorReadout(o.readoutTau ?? 2)],
  );
  return new Named(children);
}
