/**
 * Per-layer operation counts of a network, measured by running one time step of a batch-1 input and
 * recording, for every Conv2d / Linear / ColumnConv, its output shape and per-step FLOPs (one
 * multiply-accumulate = 1, bias not counted, syops convention). With firing rates of each layer's
 * input this gives SOPs and energy (`networkCounts`, `synapticEnergy`).
 */
import { tf } from "../backend/tf.js";
import { ColumnConv } from "../layers/column-conv.js";
import { Conv2d, Linear } from "../layers/linear.js";
import { withForwardHooks, type ForwardCall } from "../layers/hooks.js";
import type { Module } from "../layers/module.js";
import { leafModules, resetModule, setTraining } from "../layers/module.js";
import { conv2dFlops, linearFlops } from "./flops.js";

/** The layers that carry synapses (weights applied to every step's input): Conv2d, Linear, ColumnConv. */
export function synapseLayers(model: Module): [string, Conv2d | Linear | ColumnConv][] {
  const isSynapse = (m: Module): m is Conv2d | Linear | ColumnConv => m instanceof Conv2d || m instanceof Linear || m instanceof ColumnConv;
  return leafModules(model, isSynapse).filter((e): e is [string, Conv2d | Linear | ColumnConv] => isSynapse(e[1]));
}

export interface LayerFlops {
  name: string;
  type: string;
  outShape: number[];
  params: number;
  flops: number;
}

/** Run `input` ([1, 1, ...] = one step, batch 1) through the model and count each layer's FLOPs. */
export function modelFlops(model: Module, input: tf.Tensor): LayerFlops[] {
  if (input.shape[0] !== 1 || input.shape[1] !== 1) throw new Error(`modelFlops: input must be one step of batch 1, [1, 1, ...], got [${input.shape}]`);
  const rows: LayerFlops[] = [];
  const count = ({ name, module: m, output: y }: ForwardCall) => {
    const params = (m.parameters?.() ?? []).reduce((s, p) => s + p.variable.size, 0);
    let flops: number;
    if (m instanceof Linear) flops = linearFlops(m.inFeatures, m.outFeatures) * (y.size / m.outFeatures);
    else {
      const k = (m as Conv2d | ColumnConv).weight.shape as number[];
      flops = conv2dFlops({ kernel: [k[0]!, k[1]!], inChannels: k[2]!, outChannels: k[3]!, outSize: [y.shape[2]!, y.shape[3]!] });
    }
    rows.push({ name, type: m.constructor.name, outShape: y.shape.slice(2), params, flops });
  };
  try {
    setTraining(model, false);
    resetModule(model);
    withForwardHooks(synapseLayers(model), count, () => tf.tidy(() => { model.forward(input); }));
  } finally {
    resetModule(model);
    setTraining(model, true);
  }
  return rows;
}
