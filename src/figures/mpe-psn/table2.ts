/**
 * MPE-PSN Table 2 (contents UNKNOWN, decision §5d-1): the only candidate number is the official CIFAR10 log,
 * ResNet-19 with MPE-PSN, T = 4 (94.36 %; its presence in the paper is unconfirmed, papers.md §2.5).
 *
 * Setting (papers.md §2.3): ResNet-19, static images repeated over T = 4, TET loss (λ = 1e-3, φ = 1) plus
 * λ_mem·L_mem until the cut-off, Adam lr 0.01, cosine over 300 epochs, batch 64, horizontal flip. MPE-PSN
 * Variant A (the CIFAR code's `MPE_PSN.py` semantics). λ_mem for this log is not stated: 0.01 as CIFAR10-DVS.
 * Scales: smoke = synthetic grating CIFAR10 (real binary batch files), width ×1/16, 3 epochs of 50 images (a curve,
 * not a point: 6 steps instead of one epoch's 4); small = real
 * CIFAR10 subset (5 000 / 1 000), width ×1/4, 3 epochs; paper = the full setting.
 */
import { fileURLToPath } from "node:url";
import { disposeModule, type Module } from "../../lib/layers/module.js";
import { tf } from "../../lib/backend/tf.js";
import { CifarSequenceSource } from "../../lib/data/datasets/cifar.js";
import { lineChart } from "../../lib/plot/charts.js";
import type { ItemResult, RunContext } from "../../lib/repro/item.js";
import { LOSSES } from "../../lib/losses/index.js";
import { mpeTotalLoss } from "../../lib/losses/mpe.js";
import type { Labels } from "../../lib/losses/cross-entropy.js";
import { resnet19 } from "../../lib/models/resnet19.js";
import { MPEPSN, collectMemLosses } from "../../lib/neurons/mpe-psn.js";
import { Adam } from "../../lib/train/optimizers.js";
import { cosineLr } from "../../lib/train/schedules.js";
import { train } from "../../lib/train/trainer.js";
import type { Objective } from "../../lib/train/batch-gradients.js";
import type { WorkerModel } from "../../lib/train/parallel/protocol.js";
import { cifarData } from "../common/cifar-data.js";
import { dataSourceFor } from "../common/scale.js";
import { mpeLayers } from "./experiment.js";
import { authorsBeside } from "./authors-beside.js";

export function table2Setting(scale: RunContext["scale"]) {
  if (scale === "smoke") return { epochs: 3, batchSize: 25, widthFactor: 1 / 16, trainLimit: 50 as number | null, testLimit: 50 as number | null };
  if (scale === "small") return { epochs: 3, batchSize: 32, widthFactor: 1 / 4, trainLimit: 5000, testLimit: 1000 };
  return { epochs: 300, batchSize: 64, widthFactor: 1, trainLimit: null, testLimit: null };
}

/** MPE-PSN (variant A) ResNet-19 at T = 4. */
function table2Net(widthFactor: number, seed: number): Module {
  let layer = 0;
  return resnet19({ neuron: ({ T: t }) => new MPEPSN({ T: t, variant: "A", seed: seed * 100 + layer++ }), T: 4, widthFactor, seed });
}

/** (1 − λ)·TET + λ·Σ L_mem of the model it is given (the trainer's or a worker's copy), λ = 0.01 until `cutoff`. */
function table2Objective(cutoff: number): Objective {
  return (out: tf.Tensor, y: Labels, c) => mpeTotalLoss(out, y, collectMemLosses(mpeLayers(c.model)), { lambdaMem: 0.01, epoch: c.epoch, cutoffEpoch: cutoff });
}

export interface Table2WorkerArgs { widthFactor: number; seed: number; cutoff: number }

/** `WorkerSetup` export: a gradient worker's copy of the Table 2 network, loss and objective. */
export function table2WorkerModel(a: Table2WorkerArgs): WorkerModel {
  return { model: table2Net(a.widthFactor, a.seed), loss: LOSSES["tet-original"], objective: table2Objective(a.cutoff) };
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  const st = table2Setting(ctx.scale);
  const T = 4;
  const data = await cifarData("cifar10", dataSourceFor(ctx.scale), ctx); // same CIFAR10 files as the mul-free items
  const src = (trainSet: boolean) => new CifarSequenceSource(trainSet ? data.train : data.test, {
    layout: "image", repeat: T, batchSize: st.batchSize, ...(trainSet ? { shuffleSeed: ctx.seed + 1, hflip: true } : {}),
    ...((trainSet ? st.trainLimit : st.testLimit) ? { limit: (trainSet ? st.trainLimit : st.testLimit)! } : {}),
  });
  const model = table2Net(st.widthFactor, ctx.seed);
  const cutoff = Math.round((st.epochs * 150) / 230);
  const { history } = await train({
    model, loss: LOSSES["tet-original"], optimizer: new Adam({}), schedule: cosineLr({ base: 0.01, tMax: st.epochs }),
    objective: table2Objective(cutoff),
    epochs: st.epochs, train: src(true), test: src(false), seed: ctx.seed, nonFinite: "zero", progress: false,
    workers: ctx.workers,
    workerSetup: { module: fileURLToPath(import.meta.url), export: "table2WorkerModel", args: { widthFactor: st.widthFactor, seed: ctx.seed, cutoff } satisfies Table2WorkerArgs },
  });
  disposeModule(model);
  const accs = history.map((h) => 100 * (h.testAcc ?? NaN));
  const beside = authorsBeside("table2-vs-authors", [{ run: "cifar10/resnet19-T4", testAcc: accs }], ctx.scale);
  return {
    title: "CIFAR10 ResNet-19 with MPE-PSN, T = 4 (the log behind the presumed Table 2)",
    data: { setting: st, history },
    reproduced: [{ claimId: "mpe-psn:table2/cifar10/resnet19/T=4", value: Math.max(...accs), note: `best of ${st.epochs} epoch(s)` }],
    figures: [{ name: "table2", spec: lineChart({ data: accs.map((a, e) => ({ epoch: e + 1, accuracy: a, split: "test" })), x: "epoch", y: "accuracy", color: "split", title: `MPE-PSN ResNet-19 on CIFAR10 (scale ${ctx.scale})`, xTitle: "epoch", yTitle: "test accuracy (%)" }) }, ...beside.figures],
    notes: [
      `Ran: ResNet-19 width ×${st.widthFactor}, T = ${T}, ${st.epochs} epoch(s), batch ${st.batchSize}, ${ctx.scale === "smoke" ? "synthetic grating CIFAR10 (real binary batch files, not CIFAR images)" : `real CIFAR10${st.trainLimit ? ` (first ${st.trainLimit} / ${st.testLimit} class-balanced samples)` : ""}`}; λ_mem = 0.01 until epoch ${cutoff} (not stated for this log).`,
      "Table 2's contents are UNKNOWN; this is the only logged number that could belong to it.",
      ...(ctx.scale === "paper" ? [] : ["Reduced scale: the accuracy is shown, not judged."]),
      ...beside.notes,
    ],
  };
}
