/**
 * The VGG-style networks of MPE-PSN and the IMP paper (papers.md §2.2, §3.3), time-first, NHWC inside.
 * Frames arrive as `[T, B, 2, H, W]` (SpikingJelly layout) and are transposed at the first layer.
 *
 * - `vggMpe` (VGGMPE, CIFAR10-DVS 48²): [Conv3×3(2→64)+BN, N] [64→128, N] AP2 [128→256, N] [256→256, N] AP2
 *   [256→512, N] [512→512, N] AP2 [512→512, N] [512→512, N] AP2 → flatten 512·3·3 → Dropout 0.25 →
 *   Linear(4608, 10); convs with bias, plain BN shared over T·B, Kaiming-normal (fan_out) init.
 * - `stateVgg11R48` (StateVGG11R48x48Legacy): 8 × [Conv3×3 (bias) + TEBN + N], AP2 after convs 2, 4, 6, 8,
 *   widths 64, 128, 256, 256, 512, 512, 512, 512 → flatten → Dropout 0.25 → Linear(4608, K) per step.
 * - `vgg11` (IMP 128²): conv64, AP2, conv128, AP2, conv256 ×2, AP2, conv512 ×4 (Conv3×3 + bias + BN + N) →
 *   global average pool → Linear(512, K).
 * - `dvsGestureNet` (MPE-PSN DVSGestureNet): 5 × [Conv3×3 (no bias) + BN + N + MaxPool2] → Flatten →
 *   Dropout 0.5 → Linear(C·s², 1024) → N → Dropout 0.5 → Linear(1024, 110) → Voting(10) (11 outputs).
 */
import type { Module } from "../layers/module.js";
import { Dropout } from "../layers/dropout.js";
import { Conv2d, Linear } from "../layers/linear.js";
import { BatchNorm, TEBN } from "../layers/norm.js";
import { AvgPool2d, Flatten, FramesToNHWC, GlobalAvgPool, MaxPool2d, VotingLayer } from "../layers/pool.js";
import { Named, type NeuronFactory } from "./common.js";

export interface NetOptions {
  neuron: NeuronFactory;
  T: number;
  numClasses?: number;
  inChannels?: number;
  seed?: number;
  /** Inputs are SpikingJelly frames [T, B, C, H, W] (default) or already NHWC [T, B, H, W, C]. */
  framesInput?: boolean;
  /** Multiply every conv width by this factor (default 1 = the paper; reduced-scale runs use less). */
  widthFactor?: number;
}

const scaled = (o: NetOptions, w: number) => Math.max(1, Math.round(w * (o.widthFactor ?? 1)));

type Block = [string, Module][];

function convBlock(name: string, cin: number, cout: number, o: NetOptions, k: number, norm: "bn" | "tebn", bias: boolean): Block {
  return [
    [`${name}.conv`, new Conv2d(cin, cout, 3, { bias, init: "kaiming-normal", seed: (o.seed ?? 0) * 1000 + k })],
    [`${name}.norm`, norm === "tebn" ? new TEBN(cout, o.T) : new BatchNorm(cout)],
    [`${name}.neuron`, o.neuron({ name, channels: cout, T: o.T })],
  ];
}

function input(o: NetOptions): Block {
  return o.framesInput === false ? [] : [["to_nhwc", new FramesToNHWC()]];
}

function vggFeatures(o: NetOptions, widths: number[], poolAfter: number[], norm: "bn" | "tebn"): Block {
  const layers: Block = [];
  let cin = o.inChannels ?? 2;
  widths.forEach((w, i) => {
    layers.push(...convBlock(`features.${i}`, cin, w, o, i, norm, true));
    if (poolAfter.includes(i)) layers.push([`features.${i}.pool`, new AvgPool2d(2)]);
    cin = w;
  });
  return layers;
}

/** VGGMPE for CIFAR10-DVS 48×48. */
export function vggMpe(o: NetOptions): Named {
  return new Named([
    ...input(o),
    ...vggFeatures(o, [64, 128, 256, 256, 512, 512, 512, 512].map((w) => scaled(o, w)), [1, 3, 5, 7], "bn"),
    ["flatten", new Flatten()],
    ["dropout", new Dropout(0.25, o.seed ?? 0)],
    ["classifier", new Linear(scaled(o, 512) * 3 * 3, o.numClasses ?? 10, { seed: (o.seed ?? 0) + 77 })],
  ]);
}

/** StateVGG11R48x48Legacy (IMP 48×48 configs): TEBN instead of BN. */
export function stateVgg11R48(o: NetOptions): Named {
  return new Named([
    ...input(o),
    ...vggFeatures(o, [64, 128, 256, 256, 512, 512, 512, 512].map((w) => scaled(o, w)), [1, 3, 5, 7], "tebn"),
    ["flatten", new Flatten()],
    ["dropout", new Dropout(0.25, o.seed ?? 0)],
    ["classifier", new Linear(scaled(o, 512) * 3 * 3, o.numClasses ?? 10, { seed: (o.seed ?? 0) + 77 })],
  ]);
}

/** VGG11 (IMP 128² configs), global average pooling head. */
export function vgg11(o: NetOptions): Named {
  return new Named([
    ...input(o),
    ...vggFeatures(o, [64, 128, 256, 256, 512, 512, 512, 512].map((w) => scaled(o, w)), [0, 1, 3], "bn"),
    ["gap", new GlobalAvgPool()],
    ["classifier", new Linear(scaled(o, 512), o.numClasses ?? 10, { seed: (o.seed ?? 0) + 77 })],
  ]);
}

/** DVSGestureNet of the MPE-PSN code: 64² input → 2² (channels·4 features), 128² → 4². */
export function dvsGestureNet(o: NetOptions & { channels?: number; inputSize?: number }): Named {
  const C = o.channels ?? 256;
  const size = o.inputSize ?? 64;
  if (size % 32 !== 0) throw new Error(`dvsGestureNet: inputSize must be a multiple of 32 (5 max-pools), got ${size}`);
  const s = size / 32;
  const layers: Block = [...input(o)];
  let cin = o.inChannels ?? 2;
  for (let i = 0; i < 5; i++) {
    layers.push(...convBlock(`conv.${i}`, cin, C, o, i, "bn", false), [`conv.${i}.pool`, new MaxPool2d(2)]);
    cin = C;
  }
  layers.push(
    ["flatten", new Flatten()],
    ["dropout1", new Dropout(0.5, (o.seed ?? 0) + 1)],
    ["fc1", new Linear(C * s * s, 1024, { seed: (o.seed ?? 0) + 11 })],
    ["fc1.neuron", o.neuron({ name: "fc1", channels: 1024, T: o.T })],
    ["dropout2", new Dropout(0.5, (o.seed ?? 0) + 2)],
    // 11 classes × 10 voting neurons = the official 110 (N-Caltech101: 101 × 10, see docs/DECISIONS.md).
    ["fc2", new Linear(1024, (o.numClasses ?? 11) * 10, { seed: (o.seed ?? 0) + 12 })],
    ["voting", new VotingLayer(10)],
  );
  return new Named(layers);
}
