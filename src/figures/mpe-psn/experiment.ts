/**
 * MPE-PSN training runs shared by Fig. 3a, Fig. 3b, Fig. 4, Table 1, Table 2 and the abstract's number
 * (papers.md §2.1–2.4): data per dataset and scale, the paper's networks with MPE-PSN or the vanilla LIF
 * baseline, and the official loss `(1 − λ_mem)·TET + λ_mem·Σ L_mem` until the cut-off epoch.
 *
 * Scales (each report prints what ran):
 * - smoke: synthetic DVS files in the publisher layouts (`data/synthetic.ts`: moving squares), frames at a
 *   reduced size, narrow networks, 3 epochs (enough for every per-epoch curve to be a curve, and for the
 *   λ_mem cut-off to happen) — checks the pipeline, not the paper's numbers;
 * - small: the real dataset (`data/fetch/<dataset>.ts`), the paper's input size, narrower networks, few epochs;
 * - paper: the paper's networks, T, optimiser, schedule, batch and 230 epochs (a GPU backend's job).
 * The λ_mem cut-off (epoch 150 of 230) is scaled to the same fraction of the epochs at reduced scales.
 */
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/backend/tf.js";
import type { FrameLoader } from "../../lib/data/loader.js";
import { dvsClasses, dvsLoaders, type DvsDataset } from "../common/dvs-data.js";
import type { FrameSetting } from "../common/scale.js";
import { Compose, RandomCrop, RandomHorizontalFlip } from "../../lib/data/transforms/index.js";
import { buffersOf, leafModules, reseedModule, resetModule, type Module } from "../../lib/layers/module.js";
import { LOSSES } from "../../lib/losses/index.js";
import { mpeTotalLoss } from "../../lib/losses/mpe.js";
import type { Labels } from "../../lib/losses/cross-entropy.js";
import { dvsGestureNet, vggMpe } from "../../lib/models/vgg.js";
import type { NeuronFactory } from "../../lib/models/common.js";
import { LegacyLIFNode } from "../../lib/neurons/legacy-lif.js";
import { MPEPSN, collectMemLosses } from "../../lib/neurons/mpe-psn.js";
import { SGD } from "../../lib/train/optimizers.js";
import { cosineLr } from "../../lib/train/schedules.js";
import { evaluate, stepSeed, train, type BatchSource, type EpochRecord } from "../../lib/train/trainer.js";
import { resolveWorkers } from "../../lib/train/parallel/workers.js";
import type { Objective } from "../../lib/train/batch-gradients.js";
import type { WorkerModel } from "../../lib/train/parallel/protocol.js";
import type { RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";

export type MpeDataset = DvsDataset;
export type MpeNeuron = "mpe-psn" | "lif";

export interface MpeSetting extends FrameSetting {
  dataset: MpeDataset;
  /** Frame size after resize (square). */
  size: number;
  lr: number;
  lambdaMem: number;
  /** First epoch without L_mem (150 of 230 in the official code, scaled at reduced scales). */
  cutoffEpoch: number;
  numClasses: number;
}

const PAPER = {
  dvsgesture: { T: 16, size: 64, batchSize: 8, lr: 0.05, lambdaMem: 0.001, numClasses: 11 },
  cifar10dvs: { T: 4, size: 48, batchSize: 32, lr: 0.05, lambdaMem: 0.01, numClasses: 10 },
  ncaltech101: { T: 10, size: 128, batchSize: 8, lr: 0.01, lambdaMem: 0.001, numClasses: 101 },
} as const;

export function mpeSetting(dataset: MpeDataset, scale: Scale, T?: number): MpeSetting {
  const p = PAPER[dataset];
  const epochs = scale === "smoke" ? 3 : scale === "small" ? 6 : 230;
  const base = { dataset, scale, T: T ?? p.T, lr: p.lr, lambdaMem: p.lambdaMem, epochs, cutoffEpoch: Math.round((epochs * 150) / 230) };
  if (scale === "smoke") {
    return { ...base, T: Math.min(base.T, 4), size: 32, widthFactor: 1 / 16, batchSize: 8, data: "synthetic", numClasses: dvsClasses(dataset, "synthetic") };
  }
  if (scale === "small") return { ...base, size: p.size, widthFactor: 1 / 4, batchSize: 16, data: "real", numClasses: p.numClasses };
  return { ...base, size: p.size, widthFactor: 1, batchSize: p.batchSize, data: "real", numClasses: p.numClasses };
}

export function describeMpeSetting(s: MpeSetting): string {
  return `${s.dataset} at scale ${s.scale}: ${s.data === "synthetic" ? "synthetic moving-square DVS files (real formats, not the dataset)" : "real dataset"}, ` +
    `T = ${s.T}, ${s.size}×${s.size} frames, width ×${s.widthFactor}, ${s.epochs} epoch(s), batch ${s.batchSize}, SGD lr ${s.lr} cosine, λ_mem ${s.lambdaMem} until epoch ${s.cutoffEpoch}`;
}

/** Train and test batch sources: frames cached once per setting; train gets RandomCrop(pad 4) + HFlip (papers.md §2.4). */
export async function mpeData(s: MpeSetting, ctx: Pick<RunContext, "sharedDir" | "seed">): Promise<{ train: FrameLoader; test: FrameLoader }> {
  return dvsLoaders(s.dataset, s.data, ctx, {
    T: s.T, size: s.size, batchSize: s.batchSize, split: { cifar10dvs: "tebn", ncaltech101: "mpe" },
    transform: new Compose([new RandomCrop(s.size, s.size, 4), new RandomHorizontalFlip()]),
  });
}

/** The dataset's network with the chosen neuron (Variant A on CIFAR10-DVS, B elsewhere, papers.md §2.1). */
export function buildMpeNet(s: MpeSetting, neuron: MpeNeuron, seed: number, opts: { trackDistance?: boolean } = {}): Module {
  let layer = 0;
  const factory: NeuronFactory = ({ T }) => neuron === "lif"
    ? new LegacyLIFNode({})
    : new MPEPSN({ T, variant: s.dataset === "cifar10dvs" ? "A" : "B", seed: seed * 100 + layer++, trackDistance: opts.trackDistance ?? false });
  if (s.dataset === "cifar10dvs") {
    if (s.size !== 48) return dvsGestureNet({ neuron: factory, T: s.T, numClasses: s.numClasses, seed, channels: Math.max(4, Math.round(256 * s.widthFactor)), inputSize: s.size });
    return vggMpe({ neuron: factory, T: s.T, numClasses: s.numClasses, seed, widthFactor: s.widthFactor });
  }
  return dvsGestureNet({ neuron: factory, T: s.T, numClasses: s.numClasses, seed, channels: Math.max(4, Math.round(256 * s.widthFactor)), inputSize: s.size });
}

/** MPE-PSN layers of a model, in forward order. */
export function mpeLayers(m: Module): MPEPSN[] {
  return leafModules(m).map(([, x]) => x).filter((x): x is MPEPSN => x instanceof MPEPSN);
}

export interface MpeRun {
  setting: MpeSetting;
  neuron: MpeNeuron;
  lambdaMem: number;
  history: EpochRecord[];
  /** Per epoch: Σ over iterations and layers of Σ_t ‖u_t^seq − U_t‖₂ (Fig. 3a), when tracked. */
  distance: number[];
  /** Per epoch: training loss summed over the iterations (Fig. 4c's left axis). */
  summedLoss: number[];
  bestTestAcc: number;
  finalTestAcc: number;
  model: Module;
  test: FrameLoader;
}

/** The official objective on the model it is given (the trainer's or a worker's copy): L_mem of that model's layers. */
function mpeObjective(s: MpeSetting, neuron: MpeNeuron, lambdaMem: number): Objective {
  return (out: tf.Tensor, y: Labels, c) => neuron === "mpe-psn"
    ? mpeTotalLoss(out, y, collectMemLosses(mpeLayers(c.model)), { lambdaMem, epoch: c.epoch, cutoffEpoch: s.cutoffEpoch })
    : LOSSES["tet-original"].loss(out, y);
}

export interface MpeWorkerArgs { setting: MpeSetting; neuron: MpeNeuron; seed: number; lambdaMem: number }

/** `WorkerSetup` export: a gradient worker's copy of {@link trainMpe}'s network, loss and objective. */
export function mpeWorkerModel(a: MpeWorkerArgs): WorkerModel {
  return { model: buildMpeNet(a.setting, a.neuron, a.seed), loss: LOSSES["tet-original"], objective: mpeObjective(a.setting, a.neuron, a.lambdaMem) };
}

/**
 * The training batches of a run whose trainer's model runs no training forward (gradient workers), with the
 * forward that sets its MPE-PSN layers' `lastDistance` run on that model before each step: the step's parameters
 * (the optimiser has not moved them yet), input (no mixing), draws (reseeded as the trainer will: run seed, step,
 * stream 1) and BN batch statistics — the values the step's own forward has in a one-process run; BN running
 * statistics are restored (the workers' are the ones the trainer keeps). `stepOf()`: the step about to run.
 */
function withDistancePass(src: BatchSource, model: Module, seed: number, stepOf: () => number): BatchSource {
  return {
    batchesPerEpoch: (e) => src.batchesPerEpoch(e),
    async batch(e, i) {
      const b = await src.batch(e, i);
      const saved = buffersOf(model).map((x) => tf.keep(tf.clone(x.variable)));
      try {
        reseedModule(model, stepSeed(seed, stepOf(), 1));
        resetModule(model);
        tf.tidy(() => { model.forward(b.x); });
        resetModule(model);
        buffersOf(model).forEach((x, k) => x.variable.assign(saved[k]!));
      } finally {
        tf.dispose(saved);
      }
      return b;
    },
  };
}

/**
 * One training run. `lambdaMem` overrides the setting's (Fig. 3a's run without L_mem uses 0). Gradients and
 * per-epoch test evaluations come from `ctx.workers` worker threads. The membrane distance (Fig. 3a) is read from
 * the trainer's model's layers after each step: with workers, a forward pass of that model before each step
 * ({@link withDistancePass}) computes it, costing one forward on this thread per step; with mixup (paper scale
 * only) that pass cannot see the mixed batch, so a tracked run with mixup computes in one process.
 */
export async function trainMpe(s: MpeSetting, neuron: MpeNeuron, ctx: Pick<RunContext, "sharedDir" | "seed"> & Partial<Pick<RunContext, "workers">>, o: { lambdaMem?: number; trackDistance?: boolean; mixup?: boolean } = {}): Promise<MpeRun> {
  const data = await mpeData(s, ctx);
  const model = buildMpeNet(s, neuron, ctx.seed, { trackDistance: o.trackDistance ?? false });
  const layers = mpeLayers(model);
  const lambdaMem = o.lambdaMem ?? s.lambdaMem;
  const summedLoss: number[] = [];
  let epochLoss = 0;
  // Each step's per-layer distances stay on the device (kept copies; the layer disposes its own at the
  // next forward); every epoch's are read asynchronously once it ends and summed in step order.
  let stepDistances: tf.Tensor[] = [];
  const epochDistances: Promise<number>[] = [];
  const tracked = o.trackDistance ?? false;
  const workers = tracked && o.mixup ? 1 : resolveWorkers(ctx.workers ?? "auto", true);
  let steps = 0;
  const trainSrc = tracked && workers > 1 ? withDistancePass(data.train, model, ctx.seed, () => steps) : data.train;
  const workerArgs: MpeWorkerArgs = { setting: s, neuron, seed: ctx.seed, lambdaMem };
  const { history } = await train({
    model, loss: LOSSES["tet-original"], optimizer: new SGD({ momentum: 0.9, weightDecay: 5e-4 }), schedule: cosineLr({ base: s.lr, tMax: s.epochs }),
    objective: mpeObjective(s, neuron, lambdaMem),
    workers, workerSetup: { module: fileURLToPath(import.meta.url), export: "mpeWorkerModel", args: workerArgs },
    epochs: s.epochs, train: trainSrc, test: data.test, seed: ctx.seed, nonFinite: "zero", progress: false,
    // The official runs' mixup (α 0.5, p 0.5, off from epoch 140) at the paper scale; its label smoothing 0.1 is not applied.
    ...(o.mixup ? { mix: { mixupAlpha: 0.5, prob: 0.5, offFromEpoch: 140 } } : {}),
    onStep: (_step, loss) => {
      steps++;
      epochLoss += loss;
      for (const l of layers) if (l.lastDistance) stepDistances.push(tf.keep(tf.clone(l.lastDistance)));
    },
    onEpoch: () => {
      epochDistances.push(sumScalars(stepDistances));
      stepDistances = [];
      summedLoss.push(epochLoss);
      epochLoss = 0;
    },
  });
  const distance = await Promise.all(epochDistances);
  const accs = history.map((h) => 100 * (h.testAcc ?? NaN));
  const finalTest = await evaluate(model, LOSSES["tet-original"], data.test);
  return { setting: s, neuron, lambdaMem, history, distance, summedLoss, bestTestAcc: Math.max(...accs), finalTestAcc: 100 * finalTest.acc, model, test: data.test };
}

/** Σ of scalar tensors read back in order (float64, as a running JS sum), disposing them. */
async function sumScalars(ts: tf.Tensor[]): Promise<number> {
  let s = 0;
  try {
    for (const t of ts) s += (await t.data())[0]!;
  } finally {
    tf.dispose(ts);
  }
  return s;
}

/** Min-max normalisation to [0, 1] (decision §5d-3 for Fig. 3a); a constant curve maps to 0. */
export function minMax(xs: number[]): number[] {
  const lo = Math.min(...xs), hi = Math.max(...xs);
  return xs.map((x) => (hi > lo ? (x - lo) / (hi - lo) : 0));
}
