/**
 * What the main thread and the gradient workers exchange. Shared memory carries the numbers (parameters,
 * buffers, the batch, one gradient slot per worker); a message per step carries only where the worker's
 * samples are and the step's seeds.
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

export type WorkerMessage =
  | { type: "ready"; params: TensorSpec[]; buffers: TensorSpec[] }
  | { type: "done"; loss: number; correct: number; hasGrad: boolean[] }
  /** `aborted`: the worker stopped because another one failed (its error is the one to report). */
  | { type: "error"; message: string; stack?: string; aborted?: boolean };

/** Byte layout of the batch buffer for x of `xSize` floats and B labels. */
export function batchBytes(xSize: number, B: number): number {
  return 4 * (xSize + 2 * B);
}
