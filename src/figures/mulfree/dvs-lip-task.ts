/**
 * The mul-free paper's DVS-Lip task (papers.md §4.4, §5b; issue #19), shared by Table 4 and Fig. 7: data at
 * each scale, the network, one training run, and the per-epoch time estimate.
 *
 * Pipeline: `DVS-Lip/{train,test}/<word>/<speaker>.npy` → events of the central 96 × 96 window (the
 * reference code's crop) → T frames split by event number (SpikingJelly's `split_by="number"`, the
 * project's frame integration) → optional resize (reduced scales) → cached. Training transforms (Table 8):
 * random crop 88 of 96, horizontal flip, spatial mask (4, ≤ 20), zoom in/out (p 0.5, ≤ 26), temporal mask
 * (6, ≤ 18); test: centre crop 88. Sizes scale with the frame size, mask lengths with T/90.
 * Network: `lipSpikingResNet18` with the mul-free channel-wise PSN (k = 2, sawtooth dilation, surrogate
 * 1/(1 + αx²), α = 10). Optimiser Adam, weight decay 1e-4 (L2, PyTorch `Adam`), batch 32; lr 3e-4 for the
 * first half of the epochs, then cosine 1e-4 → 5e-6 (the paper: epochs 0–100 and 100–200 of 200).
 * Loss: cross-entropy of the time-averaged readout; prediction: its argmax.
 *
 * Scales (printed in every report):
 * - smoke: synthetic DVS-Lip-layout `.npy` files (5 words, 6 train / 2 test each) written at run time by the
 *   project's own writer; frames 48² (crop 44), T = 8, width ×1/16, 1 epoch, batch 10;
 * - small: the real DVS-Lip reduced to 10 words (every 10th word of the sorted list), at most 40 training
 *   files per word and every test file of those words; frames 48² (crop 44), T = 16, width ×1/4, 4 epochs,
 *   batch 16;
 * - paper: every word and file, 96² → crop 88, T = 90 (decision: the frame count of the reference model [42];
 *   the paper does not give T), full width, 200 epochs, batch 32.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/backend/tf.js";
import { datasetFrames } from "../../lib/data/datasets/common.js";
import { DVS_LIP_CLASSES, DvsLip } from "../../lib/data/datasets/dvs-lip.js";
import { FrameLoader } from "../../lib/data/loader.js";
import { generateDvsLip } from "../../lib/data/synthetic.js";
import { CenterCrop, RandomCrop } from "../../lib/data/transforms/crop.js";
import { RandomHorizontalFlip } from "../../lib/data/transforms/flip.js";
import { RandomSpatialMask, RandomTemporalMask, RandomZoom } from "../../lib/data/transforms/masking.js";
import { Compose, type FrameTransform } from "../../lib/data/transforms/types.js";
import type { Module } from "../../lib/layers/module.js";
import { crossEntropy, type Labels } from "../../lib/losses/cross-entropy.js";
import { meanOutputPredict } from "../../lib/losses/sdt.js";
import type { SnnLoss } from "../../lib/losses/index.js";
import { neuronFactory } from "../../lib/models/neuron-factories.js";
import { lipSpikingResNet18 } from "../../lib/models/spiking-resnet-lip.js";
import type { QuantGrad } from "../../lib/neurons/quantize.js";
import type { WorkerModel } from "../../lib/train/parallel/protocol.js";
import type { RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { inverseQuadratic } from "../../lib/surrogate.js";
import { Adam } from "../../lib/train/optimizers.js";
import { constantLr, cosineLr, sequentialLr, type Schedule } from "../../lib/train/schedules.js";
import { evaluate, train, type EpochRecord } from "../../lib/train/trainer.js";
import { makeDirAtomic } from "../../lib/util/fs.js";
import { median } from "../../lib/util/timing.js";
import { DVS_LIP } from "../common/paper-splits.js";

export interface LipSetting {
  scale: Scale;
  data: "synthetic" | "real";
  /** Words used (labels = indices into this list). */
  words: readonly string[];
  /** At most this many training files per word (null = all). */
  trainPerWord: number | null;
  T: number;
  /** Frame side after the 96² central crop (96 = no resize). */
  frameSize: number;
  /** Random/centre crop side (88 at 96²). */
  crop: number;
  widthFactor: number;
  epochs: number;
  batchSize: number;
}

export const LIP_SMOKE_WORDS = ["accused", "action", "allow", "allowed", "america"] as const;

export function lipSetting(scale: Scale): LipSetting {
  if (scale === "smoke") return { scale, data: "synthetic", words: LIP_SMOKE_WORDS, trainPerWord: null, T: 8, frameSize: 48, crop: 44, widthFactor: 1 / 16, epochs: 2, batchSize: 10 };
  if (scale === "small") return { scale, data: "real", words: DVS_LIP_CLASSES.filter((_, i) => i % 10 === 0), trainPerWord: 40, T: 16, frameSize: 48, crop: 44, widthFactor: 1 / 4, epochs: 4, batchSize: 16 };
  return { scale, data: "real", words: DVS_LIP_CLASSES, trainPerWord: null, T: 90, frameSize: 96, crop: 88, widthFactor: 1, epochs: 200, batchSize: 32 };
}

export function describeLipSetting(s: LipSetting): string {
  return `DVS-Lip at scale ${s.scale}: ${s.data === "synthetic" ? "synthetic DVS-Lip-layout .npy files (moving squares, not lips)" : "real DVS-Lip"}, ` +
    `${s.words.length} words, ${s.trainPerWord === null ? "all" : `≤ ${s.trainPerWord}`} training files per word, T = ${s.T} frames (split by number), ` +
    `frames ${s.frameSize}² of the central 96² (crop ${s.crop}), width ×${s.widthFactor}, ${s.epochs} epoch(s), batch ${s.batchSize}`;
}

/** Table 8's training transforms at a setting's sizes (lengths scaled by frame size and T). */
export function lipTrainTransform(s: LipSetting): FrameTransform {
  const px = (v: number) => Math.max(1, Math.round((v * s.frameSize) / 96));
  return new Compose([
    new RandomCrop(s.crop),
    new RandomHorizontalFlip(0.5),
    new RandomSpatialMask(4, px(20)),
    new RandomZoom(0.5, px(26)),
    new RandomTemporalMask(6, Math.max(1, Math.round((18 * s.T) / 90))),
  ]);
}

/** Root of the fetched files (`data/fetch/dvs-lip.ts` writes `data/raw/dvs-lip/extract`), overridable with SPIKELAB_DATA. */
export function lipDataRoot(): string {
  return join(process.env.SPIKELAB_DATA ?? join("data", "raw"), "dvs-lip", "extract");
}

/** Train/test datasets of a setting; synthetic files are written once, atomically, under `results/_synthetic-dvs-lip`. */
export async function lipDatasets(s: LipSetting, ctx: Pick<RunContext, "sharedDir">): Promise<{ train: DvsLip; test: DvsLip; root: string }> {
  let root = lipDataRoot();
  if (s.data === "synthetic") {
    root = ctx.sharedDir("synthetic-dvs-lip");
    await makeDirAtomic(root, async (tmp) => { await generateDvsLip(tmp, { words: s.words, trainPerWord: 6, testPerWord: 2 }); });
  }
  const common = { root, words: s.words, centerCrop: 96 };
  return {
    train: DvsLip.open({ ...common, train: true, ...(s.trainPerWord !== null ? { perWord: s.trainPerWord } : {}) }),
    test: DvsLip.open({ ...common, train: false }),
    root,
  };
}

export async function lipLoaders(s: LipSetting, ctx: Pick<RunContext, "sharedDir" | "seed">): Promise<{ train: FrameLoader; test: FrameLoader }> {
  const ds = await lipDatasets(s, ctx);
  const fo = {
    cacheRoot: ctx.sharedDir("frames"), frames: s.T, splitBy: "number" as const,
    ...(s.frameSize !== 96 ? { resize: [s.frameSize, s.frameSize] as [number, number] } : {}), antialias: false, progress: false as const,
  };
  const train = await datasetFrames(ds.train, ds.root, fo);
  const test = await datasetFrames(ds.test, ds.root, fo);
  return {
    train: new FrameLoader(train, { batchSize: s.batchSize, shuffle: true, seed: ctx.seed, transform: lipTrainTransform(s) }),
    test: new FrameLoader(test, { batchSize: s.batchSize, transform: new CenterCrop(s.crop) }),
  };
}

/** The network of a setting (mul-free PSN k = 2 + sawtooth, 1/(1 + 10x²) surrogate). */
export function buildLipNet(s: LipSetting, seed: number, quantGrad: QuantGrad = "ste"): Module {
  const neuron = neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: inverseQuadratic(10), quantGrad, seed });
  return lipSpikingResNet18({ neuron, T: s.T, numClasses: s.words.length, widthFactor: s.widthFactor, seed });
}

/** 3e-4 for the first half of the epochs, then cosine 1e-4 → 5e-6 over the second half. */
export function lipSchedule(epochs: number): Schedule {
  const half = epochs / 2;
  return sequentialLr({ milestone: half, first: constantLr(3e-4), then: cosineLr({ base: 1e-4, tMax: Math.max(half, 1e-9), etaMin: 5e-6 }) });
}

export const LIP_MEAN_CE: SnnLoss = {
  name: "ce-mean",
  loss: (out: tf.Tensor, y: Labels) => tf.tidy(() => crossEntropy(tf.mean(out, 0) as tf.Tensor2D, y)),
  predict: meanOutputPredict,
};

export interface LipRunResult {
  testAcc: number;
  history: EpochRecord[];
  epochSeconds: number;
  nonFiniteSteps: number;
  model: Module;
}

export interface LipWorkerArgs { setting: LipSetting; seed: number; quantGrad: QuantGrad }

/** `WorkerSetup` export: a gradient worker's copy of {@link trainLip}'s network and loss. */
export function lipWorkerModel(a: LipWorkerArgs): WorkerModel {
  return { model: buildLipNet(a.setting, a.seed, a.quantGrad), loss: LIP_MEAN_CE };
}

/**
 * Train one network and evaluate it on the test split (per-epoch test accuracy in `history`); gradients from
 * `ctx.workers` worker threads (default auto).
 */
export async function trainLip(s: LipSetting, ctx: Pick<RunContext, "sharedDir" | "seed"> & Partial<Pick<RunContext, "workers">>, o: { quantGrad?: QuantGrad } = {}): Promise<LipRunResult> {
  const data = await lipLoaders(s, ctx);
  const quantGrad = o.quantGrad ?? "ste";
  const model = buildLipNet(s, ctx.seed, quantGrad);
  const { history } = await train({
    model, loss: LIP_MEAN_CE, optimizer: new Adam({ weightDecay: 1e-4 }), schedule: lipSchedule(s.epochs),
    epochs: s.epochs, train: data.train, test: data.test, seed: ctx.seed, progress: false,
    workers: ctx.workers ?? "auto",
    workerSetup: { module: fileURLToPath(import.meta.url), export: "lipWorkerModel", args: { setting: s, seed: ctx.seed, quantGrad } satisfies LipWorkerArgs },
    // Fig. 7's collapse shows as NaN gradients: those steps are skipped and counted, not applied.
    nonFinite: "skip",
  });
  const test = await evaluate(model, LIP_MEAN_CE, data.test);
  return {
    testAcc: 100 * test.acc, history, model,
    epochSeconds: history.reduce((a, h) => a + h.wallS, 0) / history.length,
    nonFiniteSteps: history.reduce((a, h) => a + h.nonFiniteSteps, 0),
  };
}

/** DVS-Lip's training split (19 871 samples: the official 14 896 train / 4 975 test, `common/paper-splits.ts`). */
export const DVS_LIP_TRAIN_SAMPLES = DVS_LIP.train;

/**
 * Seconds per training step of a setting at `batch`, on random frames of the setting's sizes (forward +
 * backward, median of `repeats` after one warm-up), and the implied seconds per training epoch over
 * `trainSamples` samples at the setting's batch (steps scale linearly with the batch when compute-bound,
 * so a step measured at a smaller batch is multiplied by batchSize / batch — stated in every printout).
 */
export function timeLipEpoch(s: LipSetting, o: { batch?: number; repeats?: number; trainSamples: number; clock?: () => number }): { batch: number; stepSeconds: number[]; epochSeconds: number; steps: number } {
  const batch = o.batch ?? s.batchSize;
  const clock = o.clock ?? (() => performance.now() / 1000);
  const net = buildLipNet(s, 0);
  const vars = net.parameters!().map((p) => p.variable);
  const x = tf.randomUniform([s.T, batch, 2, s.crop, s.crop], 0, 2, "float32", 1);
  const labels = Int32Array.from({ length: batch }, (_, i) => i % s.words.length);
  const times: number[] = [];
  try {
    for (let r = 0; r <= (o.repeats ?? 2); r++) {
      const t0 = clock();
      const { value, grads } = tf.variableGrads(() => LIP_MEAN_CE.loss(net.forward(x), labels), vars);
      value.dataSync();
      Object.values(grads).forEach((g) => g.dispose());
      value.dispose();
      if (r > 0) times.push(clock() - t0);
    }
  } finally {
    x.dispose();
    for (const p of net.parameters?.() ?? []) p.variable.dispose();
    for (const b of net.buffers?.() ?? []) b.variable.dispose();
  }
  const steps = Math.ceil(o.trainSamples / s.batchSize);
  return { batch, stepSeconds: times, steps, epochSeconds: median(times) * (s.batchSize / batch) * steps };
}
