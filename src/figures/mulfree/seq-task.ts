/**
 * The mul-free paper's sequential image tasks (papers.md §4.4, §5b), shared by Table 3, Table 5, Table 10 /
 * Fig. 5 and Table 11 / Fig. 6: data at each scale, the network for a neuron choice, and one training run.
 *
 * Scales (what each one runs is printed in every report):
 * - smoke: synthetic grating CIFAR written as real binary batches (`synthetic-cifar.ts`) under the run's
 *   folder, narrow networks, one or two epochs: checks the pipeline, says nothing about the paper's numbers;
 * - small: the real dataset (`data/fetch/cifar.ts`), a class-balanced subset, narrower networks, few epochs;
 * - paper: the paper's network widths, full data and the epochs/batch of Table 8 (a GPU backend's job).
 * Recipe at every scale: AdamW lr 1e-3, cosine schedule, label smoothing 0.1, random horizontal flip,
 * loss on the time-averaged output. At the paper scale mixup (α 0.2) / cutmix (α 1) with p 0.5 is added;
 * TrivialAugment and RandomErasing are not implemented (noted in the report).
 */
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/backend/tf.js";
import { CifarSequenceSource, type CifarSet, type CifarVariant } from "../../lib/data/datasets/cifar.js";
import type { Module } from "../../lib/layers/module.js";
import { crossEntropy, type Labels } from "../../lib/losses/cross-entropy.js";
import { meanOutputPredict } from "../../lib/losses/sdt.js";
import type { SnnLoss } from "../../lib/losses/index.js";
import { neuronFactory, type NeuronFactoryOptions, type NeuronKind } from "../../lib/models/neuron-factories.js";
import { pixelCifarNet } from "../../lib/models/pixel-cifar.js";
import { seqCifarNet } from "../../lib/models/seq-cifar.js";
import { surrogateFromSpec, type SurrogateSpec, type TieRule } from "../../lib/surrogate.js";
import { adamW } from "../../lib/train/optimizers.js";
import { cosineLr } from "../../lib/train/schedules.js";
import { evaluate, train, type EpochRecord } from "../../lib/train/trainer.js";
import type { WorkerModel } from "../../lib/train/parallel/protocol.js";
import type { RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { cifarData } from "../common/cifar-data.js";
import type { ScaledSetting } from "../common/scale.js";

export type SeqTask = "seq-cifar10" | "seq-cifar100" | "pixel-cifar10";

export interface SeqTaskSetting extends ScaledSetting {
  task: SeqTask;
  variant: CifarVariant;
  /** Training / test samples used (null = all). */
  trainLimit: number | null;
  testLimit: number | null;
  /** seq-CIFAR conv width (paper 128) or pixel-CIFAR widths (paper 128, 256). */
  widths: [number, number];
  /** Pixel task: average-pool factor of the image (1 = T 1024). */
  downsample: number;
  mix: boolean;
}

const VARIANT: Record<SeqTask, CifarVariant> = { "seq-cifar10": "cifar10", "seq-cifar100": "cifar100", "pixel-cifar10": "cifar10" };

/** What each scale runs (see the module doc). */
export function seqTaskSetting(task: SeqTask, scale: Scale): SeqTaskSetting {
  const variant = VARIANT[task];
  const pixel = task === "pixel-cifar10";
  if (scale === "smoke") {
    return { task, scale, variant, trainLimit: null, testLimit: null, epochs: 1, batchSize: 25, widths: [16, 32], downsample: pixel ? 4 : 1, mix: false, data: "synthetic" };
  }
  if (scale === "small") {
    return { task, scale, variant, trainLimit: 5000, testLimit: 1000, epochs: 3, batchSize: 50, widths: pixel ? [32, 64] : [32, 32], downsample: pixel ? 2 : 1, mix: false, data: "real" };
  }
  return { task, scale, variant, trainLimit: null, testLimit: null, epochs: pixel ? 128 : 256, batchSize: 128, widths: pixel ? [128, 256] : [128, 128], downsample: 1, mix: true, data: "real" };
}

/** One line for reports: what this setting ran. */
export function describeSetting(s: SeqTaskSetting): string {
  const T = s.task === "pixel-cifar10" ? (32 / s.downsample) ** 2 : 32;
  return `${s.task} at scale ${s.scale}: ${s.data === "synthetic" ? "synthetic grating CIFAR (real binary batch files, not CIFAR images)" : `real ${s.variant}`}, ` +
    `train ${s.trainLimit ?? "all"} / test ${s.testLimit ?? "all"} samples, T = ${T}${s.downsample > 1 ? ` (image average-pooled ×${s.downsample}; the paper uses T = 1024)` : ""}, ` +
    `widths ${s.widths.join("/")}, ${s.epochs} epoch(s), batch ${s.batchSize}`;
}

/** Train and test sets of a setting (synthetic or fetched CIFAR, `common/cifar-data.ts`). */
export function seqTaskData(s: SeqTaskSetting, ctx: Pick<RunContext, "sharedDir">): Promise<{ train: CifarSet; test: CifarSet; root: string }> {
  return cifarData(s.variant, s.data, ctx);
}

/** Cross-entropy with label smoothing 0.1 on the time-averaged output; prediction from the same average. */
export const SMOOTHED_MEAN_CE: SnnLoss = {
  name: "ce-mean-ls0.1",
  loss: (out: tf.Tensor, y: Labels) => tf.tidy(() => crossEntropy(tf.mean(out, 0) as tf.Tensor2D, y, 0.1)),
  predict: meanOutputPredict,
};

/** The task's network with the chosen neuron. */
export function buildSeqNet(s: SeqTaskSetting, kind: NeuronKind, o: NeuronFactoryOptions, seed: number): Module {
  const neuron = neuronFactory(kind, { ...o, seed });
  const numClasses = s.variant === "cifar100" ? 100 : 10;
  if (s.task === "pixel-cifar10") return pixelCifarNet({ neuron, T: (32 / s.downsample) ** 2, numClasses, widths: s.widths, seed });
  return seqCifarNet({ neuron, T: 32, numClasses, channels: s.widths[0], seed });
}

export function seqSources(s: SeqTaskSetting, data: { train: CifarSet; test: CifarSet }, seed: number): { train: CifarSequenceSource; test: CifarSequenceSource } {
  const layout = s.task === "pixel-cifar10" ? "pixel" : "column";
  const common = { layout, downsample: s.downsample } as const;
  return {
    train: new CifarSequenceSource(data.train, { ...common, batchSize: s.batchSize, shuffleSeed: seed + 1, hflip: true, ...(s.trainLimit ? { limit: s.trainLimit } : {}) }),
    test: new CifarSequenceSource(data.test, { ...common, batchSize: s.batchSize, ...(s.testLimit ? { limit: s.testLimit } : {}) }),
  };
}

export interface SeqRunResult {
  kind: NeuronKind;
  options: NeuronFactoryOptions;
  testAcc: number;
  history: EpochRecord[];
  /** Mean training wall time per epoch, s. */
  epochSeconds: number;
  model: Module;
}

/** {@link NeuronFactoryOptions} as a worker receives them: the surrogate as its spec (functions cannot be cloned). */
export type SeqNeuronArgs = Omit<NeuronFactoryOptions, "surrogate"> & { surrogate?: { spec: SurrogateSpec; tie: TieRule } };

export interface SeqWorkerArgs { setting: SeqTaskSetting; kind: NeuronKind; options: SeqNeuronArgs; seed: number }

function neuronArgs(o: NeuronFactoryOptions): SeqNeuronArgs {
  const { surrogate, ...rest } = o;
  if (!surrogate) return rest;
  if (!surrogate.spec) throw new Error(`trainSeqTask: options.surrogate '${surrogate.name}' has no spec, so the gradient workers cannot rebuild it; use a surrogate from src/lib/surrogate.ts`);
  return { ...rest, surrogate: { spec: surrogate.spec, tie: surrogate.tie } };
}

/** `WorkerSetup` export: a gradient worker's copy of {@link trainSeqTask}'s network and loss. */
export function seqWorkerModel(a: SeqWorkerArgs): WorkerModel {
  const { surrogate, ...rest } = a.options;
  const options: NeuronFactoryOptions = surrogate ? { ...rest, surrogate: surrogateFromSpec(surrogate.spec, surrogate.tie) } : rest;
  return { model: buildSeqNet(a.setting, a.kind, options, a.seed), loss: SMOOTHED_MEAN_CE };
}

/**
 * Train one network on a task setting and evaluate it (the model is returned for further measurement); gradients
 * from `ctx.workers` worker threads (default auto).
 */
export async function trainSeqTask(s: SeqTaskSetting, kind: NeuronKind, o: NeuronFactoryOptions, ctx: Pick<RunContext, "sharedDir" | "seed"> & Partial<Pick<RunContext, "workers">>): Promise<SeqRunResult> {
  const data = await seqTaskData(s, ctx);
  const src = seqSources(s, data, ctx.seed);
  const model = buildSeqNet(s, kind, o, ctx.seed);
  const { history } = await train({
    model, loss: SMOOTHED_MEAN_CE, optimizer: adamW({ weightDecay: 0.01 }), schedule: cosineLr({ base: 1e-3, tMax: s.epochs }),
    epochs: s.epochs, train: src.train, seed: ctx.seed, progress: false,
    workers: ctx.workers ?? "auto",
    workerSetup: { module: fileURLToPath(import.meta.url), export: "seqWorkerModel", args: { setting: s, kind, options: neuronArgs(o), seed: ctx.seed } satisfies SeqWorkerArgs },
    // CutMix boxes span (row, column) = axes (2, 0) of the column layout; pixel sequences get mixup only.
    ...(s.mix ? { mix: s.task === "pixel-cifar10" ? { mixupAlpha: 0.2, prob: 0.5 } : { mixupAlpha: 0.2, cutmixAlpha: 1, prob: 1, switchProb: 0.5, spatialAxes: [2, 0] as [number, number] } } : {}),
  });
  const test = await evaluate(model, SMOOTHED_MEAN_CE, src.test);
  return { kind, options: o, testAcc: 100 * test.acc, history, epochSeconds: history.reduce((a, h) => a + h.wallS, 0) / history.length, model };
}
