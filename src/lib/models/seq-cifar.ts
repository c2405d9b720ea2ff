/**
 * The mul-free paper's sequential-CIFAR network (papers.md §4.4, the PSN paper's network with the
 * neuron swapped): {{c128k3s1-BN-SN}×3-APk2s2}×2-FC256-SN-FC10/100. An image is fed column by column:
 * T = 32 steps of one 32-pixel column with 3 channels. The convolutions are 1-D along the column
 * (kernel 3, stride 1, "same"), implemented as conv2d with a [3, 1] kernel on `[T, B, 32, 1, C]`
 * [INFERENCE, papers.md §4.4]; pooling halves the column (32 → 16 → 8).
 */
import { tf } from "../backend/tf.js";
import { ColumnConv } from "../layers/column-conv.js";
import { Linear } from "../layers/linear.js";
import type { Module } from "../layers/module.js";
import { BatchNorm } from "../layers/norm.js";
import { Flatten } from "../layers/pool.js";
import { seqToAnn } from "../layers/seq.js";
import { Named, type NeuronFactory } from "./common.js";

/** Average pooling by 2 along the column axis. */
class ColumnPool implements Module {
  forward(x: tf.Tensor): tf.Tensor {
    return seqToAnn(x, (f) => tf.avgPool(f as tf.Tensor4D, [2, 1], [2, 1], "valid"));
  }
}

export function seqCifarNet(o: { neuron: NeuronFactory; T?: number; numClasses?: number; channels?: number; seed?: number }): Named {
  const C = o.channels ?? 128;
  const T = o.T ?? 32;
  const layers: [string, Module][] = [];
  let cin = 3, k = 0;
  for (let stage = 0; stage < 2; stage++) {
    for (let i = 0; i < 3; i++, k++) {
      layers.push([`conv.${k}`, new ColumnConv(cin, C, 3, (o.seed ?? 0) * 100 + k)], [`bn.${k}`, new BatchNorm(C)], [`sn.${k}`, o.neuron({ name: `sn.${k}`, channels: C, T })]);
      cin = C;
    }
    layers.push([`pool.${stage}`, new ColumnPool()]);
  }
  layers.push(
    ["flatten", new Flatten()],
    ["fc1", new Linear(C * 8, 256, { seed: (o.seed ?? 0) + 50 })],
    ["fc1.sn", o.neuron({ name: "fc1.sn", channels: 256, T })],
    ["fc2", new Linear(256, o.numClasses ?? 10, { seed: (o.seed ?? 0) + 51 })],
  );
  return new Named(layers);
}
