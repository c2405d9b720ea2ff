/**
 * What the main thread and the gradient workers exchange. Shared memory carries the numbers (parameters,
 * buffers, the batch, one gradient slot per worker); a message per step (or per evaluated batch) carries only
 * where the worker's samples are and the seeds.
 */
import type { SnnLoss } from "../../losses/index.js";
import type { Module } from "../../layers/module.js";
import type { Objective } from "../batch-gradients.js";
import type { SharedGroupLayout } from "./shared-group.js";
import type { SharedTensorsLayout, TensorSpec } from "./shared-tensors.js";

/**
 * How a worker builds its copy of the model: `module` (a file path or URL; `.ts` under tsx/vitest, `.js`
 * under `dist/`) exports `export`, a function of `args` (structured-cloneable) returning a {@link WorkerModel}.
 * It must build the same architecture every time it is called (parameter names and shapes are checked);
 * the weights need not match, the pool copies the main thread's in before every step.
 */
export interface WorkerSetup {
  module: string;
  export: string;
  args?: unknown;
}

/** What a {@link WorkerSetup} function returns; the main thread trains the same (`loadWorkerSetup`). */
export interface WorkerModel {
  model: Module;
  loss: SnnLoss;
  objective?: Objective;
  /**
   * State of the model that is not a parameter or buffer and changes with the epoch (SNN-delays' Dcls σ):
   * applied by the worker before its first step or evaluation of each epoch; the trainer applies its own
   * (`TrainConfig.prepareEpoch`, which must do the same) at the start of each epoch.
   */
  prepareEpoch?: (epoch: number) => void;
}

export type WorkerSetupFunction = (args: unknown) => WorkerModel | Promise<WorkerModel>;

export interface WorkerInit {
  rank: number;
  setup: WorkerSetup;
  /** The main thread's backend rung (the worker starts the same one). */
  backend: string | null;
  params: SharedTensorsLayout;
  /** Main → workers before a step. */
  buffersIn: SharedTensorsLayout;
  /** Worker 0 → main after a step (the running statistics every worker computed alike). */
  buffersOut: SharedTensorsLayout;
  grads: SharedTensorsLayout;
  group: SharedGroupLayout;
  /** Whether the main thread's trainer has a custom objective (the setup must agree). */
  hasObjective: boolean;
  /** Whether the main thread's trainer has a `prepareEpoch` (the setup must agree). */
  hasPrepareEpoch: boolean;
  lossName: string;
}

export interface StepMessage {
  type: "step";
  /** A new batch buffer when the previous one was too small (otherwise the last one sent). */
  data?: SharedArrayBuffer;
  /** Shape of the batch x `[T, B, ...]`; the buffer holds x, then labels and flipped labels (int32). */
  xShape: number[];
  /** Workers taking part this step (ranks 0…parties − 1). */
  parties: number;
  /** Micro-batches [lo, hi) of the batch; each is split over the parties. */
  micro: [number, number][];
  /** Seed of the modules' draws this step (`reseedModule`). */
  moduleSeed: number;
  epoch: number;
  step: number;
  mix: { lambda: number; kind: "none" | "mixup" | "cutmix" } | null;
}

/**
 * One test batch of an evaluation, in eval mode: rank r of P parties forwards samples [a, b) (a = round(r·B/P)).
 * `begin` (the evaluation's first batch): copy parameters and buffers in, switch to eval mode, reseed the draws
 * with `moduleSeed` and prepare `epoch`; later batches continue the draw streams, as `evaluate` does on one model.
 */
export interface EvalMessage {
  type: "eval";
  data?: SharedArrayBuffer;
  /** Shape of the batch x `[T, B, ...]`; the buffer holds x, then the labels (int32). */
  xShape: number[];
  /** Ranks 0…parties − 1; never more than at the evaluation's previous batch (a rank that sat out keeps out). */
  parties: number;
  begin: boolean;
  moduleSeed: number;
  epoch: number;
}

export type WorkerMessage =
  | { type: "ready"; params: TensorSpec[]; buffers: TensorSpec[] }
  | { type: "done"; loss: number; correct: number; hasGrad: boolean[] }
  /** `lossSum`: Σ over the part's samples of the loss (its mean × its sample count). */
  | { type: "evaluated"; lossSum: number; correct: number }
  /** `aborted`: the worker stopped because another one failed (its error is the one to report). */
  | { type: "error"; message: string; stack?: string; aborted?: boolean };

/** Byte layout of the batch buffer for x of `xSize` floats and B labels: x (f32), labels, flipped labels (i32). */
export function batchBytes(xSize: number, B: number): number {
  return 4 * (xSize + 2 * B);
}

/** Writes a batch into the buffer in the {@link batchBytes} layout (flipped labels only when mixed). */
export function writeBatch(buffer: SharedArrayBuffer, x: Float32Array, labels: Int32Array, labelsFlipped?: Int32Array): void {
  const B = labels.length;
  new Float32Array(buffer, 0, x.length).set(x);
  new Int32Array(buffer, 4 * x.length, B).set(labels);
  if (labelsFlipped) new Int32Array(buffer, 4 * (x.length + B), B).set(labelsFlipped);
}

/** Samples [a, b) of the batch of shape `xShape` [T, B, ...] in the buffer: x copied to [T, b − a, ...], labels. */
export function readBatchPart(buffer: SharedArrayBuffer, xShape: readonly number[], a: number, b: number):
  { x: Float32Array; partShape: number[]; labels: Int32Array; labelsFlipped: Int32Array } {
  const [T, B] = xShape as [number, number];
  const inner = xShape.slice(2).reduce((s, d) => s * d, 1), size = T * B * inner, n = b - a;
  const all = new Float32Array(buffer, 0, size), x = new Float32Array(T * n * inner);
  for (let t = 0; t < T; t++) x.set(all.subarray((t * B + a) * inner, (t * B + b) * inner), t * n * inner);
  return {
    x, partShape: [T, n, ...xShape.slice(2)],
    labels: new Int32Array(buffer, 4 * size, B).slice(a, b),
    labelsFlipped: new Int32Array(buffer, 4 * (size + B), B).slice(a, b),
  };
}
