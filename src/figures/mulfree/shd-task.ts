/**
 * The mul-free paper's SHD run (papers.md §4.4 Table 7/8, §5b; issue #19): data at each scale, the SNN-delays
 * network with the chosen neuron, and one training run with the Table 8 recipe.
 *
 * Recipe at every scale: binning 10 ms × channel pooling 5 (SNN-delays, 700 → 140 inputs), max delay 250 ms
 * (D = 25 taps), {Dcls-BN-SN-DP(0.4)}×2-Dcls20-readout, summed-softmax cross-entropy; Adam (coupled decay 1e-5 on
 * weights), weights lr 5e-4 cosine over the epochs, delay positions lr 0.05 one-cycle, both stepped per epoch;
 * σ from ⌊D/2⌋ + 0.27 down to 0.5 over the first quarter of the epochs; positions clamped after every step;
 * Table 8 augmentations on the training set. The neuron: ours = mul-free channel-wise PSN k = 2 with sawtooth
 * dilation (1, 2) and ATan(α = 5); "lif-delay" = SNN-delays' LIF (τ = 1.005, no input decay, V_th 1, detached
 * reset), the Hammouamri row of Table 2 under the same recipe.
 *
 * Scales (printed in every report):
 * - smoke: synthetic SHD-layout files (`synthetic-shd.ts`, written by the project's HDF5 writer) under the runs
 *   folder, 40 ms bins (T = 25), D = 7, hidden 32, 5 epochs, seeds 0–2: checks the pipeline only;
 * - small: real SHD (`data/fetch/shd.ts`), the full 8 156 / 2 264 samples, the paper's network, 5 of 150 epochs,
 *   seed 0 (the σ and learning-rate schedules are compressed to those 5 epochs);
 * - paper: the full recipe, 150 epochs, seeds 0, 1, 2; the claim is their mean ± std.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { readShdFile, SHD_CHANNELS, SHD_CLASSES, SHD_FILES, type ShdSet } from "../../lib/data/datasets/shd.js";
import { ShdSequenceSource } from "../../lib/data/datasets/shd-source.js";
import type { ChannelBinning } from "../../lib/data/channel-frames.js";
import { generateSyntheticShd } from "../../lib/data/synthetic-shd.js";
import { SHD_TABLE8_AUGMENT } from "../../lib/data/transforms/channel-events.js";
import { dclsSigmaSchedule } from "../../lib/layers/dcls.js";
import { summedSoftmaxLoss, summedSoftmaxPredict } from "../../lib/losses/summed-softmax.js";
import type { SnnLoss } from "../../lib/losses/index.js";
import type { NeuronFactory } from "../../lib/models/common.js";
import { DelaySnn } from "../../lib/models/delay-snn.js";
import { neuronFactory } from "../../lib/models/neuron-factories.js";
import { LIFNode } from "../../lib/neurons/lif.js";
import type { RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { atan } from "../../lib/surrogate.js";
import { Adam } from "../../lib/train/optimizers.js";
import { cosineLr, oneCycleLr } from "../../lib/train/schedules.js";
import { evaluate, train, type EpochRecord } from "../../lib/train/trainer.js";
import type { WorkerModel } from "../../lib/train/parallel/protocol.js";
import type { WorkersOption } from "../../lib/train/parallel/workers.js";
import { makeDirAtomic } from "../../lib/util/fs.js";
import { rawDataPath } from "../common/data-root.js";

export type ShdArm = "ours" | "lif-delay";

export interface ShdSetting {
  scale: Scale;
  data: "synthetic" | "real";
  trainLimit: number | null;
  testLimit: number | null;
  epochs: number;
  batchSize: number;
  hidden: number;
  binning: ChannelBinning;
  /** Dense delay kernel length D (odd). */
  kernelSize: number;
  seeds: number[];
}

/** Kernel length of a maximal delay: ⌊250 ms / dt⌋, made odd by + 1 (SNN-delays). */
export function delayKernelSize(dtMs: number, maxDelayMs = 250): number {
  const d = Math.floor(maxDelayMs / dtMs);
  return d % 2 === 1 ? d : d + 1;
}

const PAPER_BINNING: ChannelBinning = { dtMs: 10, maxTimeMs: 1400, pool: 5, channels: SHD_CHANNELS };

export function shdSetting(scale: Scale): ShdSetting {
  if (scale === "smoke") {
    const binning = { dtMs: 40, maxTimeMs: 1000, pool: 5, channels: SHD_CHANNELS };
    return { scale, data: "synthetic", trainLimit: null, testLimit: null, epochs: 5, batchSize: 20, hidden: 32, binning, kernelSize: delayKernelSize(40), seeds: [0, 1, 2] };
  }
  const paper = scale === "paper";
  return { scale, data: "real", trainLimit: null, testLimit: null, epochs: paper ? 150 : 5, batchSize: 128, hidden: 256, binning: PAPER_BINNING, kernelSize: delayKernelSize(10), seeds: paper ? [0, 1, 2] : [0] };
}

export function describeShd(s: ShdSetting): string {
  const { T, C } = { T: Math.ceil(s.binning.maxTimeMs / s.binning.dtMs), C: s.binning.channels / s.binning.pool };
  return `SHD at scale ${s.scale}: ${s.data === "synthetic" ? "synthetic SHD-layout HDF5 files (class-dependent frequency sweeps, not speech)" : "real SHD"}, ` +
    `train ${s.trainLimit ?? "all"} / test ${s.testLimit ?? "all"} samples, ${s.binning.dtMs} ms bins → T = ${T}, ${C} input channels (pool ${s.binning.pool}), ` +
    `D = ${s.kernelSize} (max delay ${(s.kernelSize - 1) * s.binning.dtMs} ms), hidden ${s.hidden}, ${s.epochs} epoch(s), batch ${s.batchSize}, seeds ${s.seeds.join("/")}`;
}

/** Folder holding `shd_train.h5` / `shd_test.h5` (override with SPIKELAB_DATA; `data/fetch/shd.ts` fills it). */
export function shdDataRoot(): string {
  return rawDataPath("shd", "extract");
}

const cache = new Map<string, { train: ShdSet; test: ShdSet }>();

/** Train and test sets of a setting; synthetic files are written once (atomically) in the shared folder `_synthetic-shd`. */
export async function shdData(s: ShdSetting, ctx: Pick<RunContext, "sharedDir">, opts: { root?: string } = {}): Promise<{ train: ShdSet; test: ShdSet; root: string }> {
  let root: string;
  if (opts.root) {
    root = opts.root;
  } else if (s.data === "synthetic") {
    root = ctx.sharedDir("synthetic-shd");
    await makeDirAtomic(root, (tmp) => generateSyntheticShd(tmp, {
      train: { samplesPerClass: 8, spikesPerSample: 300, seed: 1 },
      test: { samplesPerClass: 3, spikesPerSample: 300, seed: 2 },
    }));
  } else {
    root = shdDataRoot();
  }
  if (!cache.has(root)) {
    const hint = `run 'npx tsx data/fetch/shd.ts' first (or set SPIKELAB_DATA)`;
    const read = (f: string) => readShdFile(join(root, f)).catch((e: Error) => { throw new Error(`${e.message}${s.data === "real" ? ` — ${hint}` : ""}`); });
    cache.set(root, { train: await read(SHD_FILES.train), test: await read(SHD_FILES.test) });
  }
  return { ...cache.get(root)!, root };
}

export const SUMMED_SOFTMAX: SnnLoss = { name: "summed-softmax-ce", loss: summedSoftmaxLoss, predict: summedSoftmaxPredict };

/** SNN-delays' hidden LIF: τ = 10.05 ms / 10 ms, no input decay, V_th 1, detached hard reset, ATan(5). */
function snnDelaysLif(): NeuronFactory {
  return () => new LIFNode({ tau: 1.005, decayInput: false, vThreshold: 1, vReset: 0, detachReset: true, surrogate: atan(5) });
}

export function buildShdNet(s: ShdSetting, arm: ShdArm, seed: number): DelaySnn {
  const neuron = arm === "ours" ? neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: atan(5), seed }) : snnDelaysLif();
  const T = Math.ceil(s.binning.maxTimeMs / s.binning.dtMs);
  return new DelaySnn({ inputs: s.binning.channels / s.binning.pool, hidden: s.hidden, layers: 2, outputs: SHD_CLASSES, kernelSize: s.kernelSize, T, neuron, dropout: 0.4, seed });
}

export function shdSources(s: ShdSetting, data: { train: ShdSet; test: ShdSet }, seed: number): { train: ShdSequenceSource; test: ShdSequenceSource } {
  return {
    train: new ShdSequenceSource(data.train, { batchSize: s.batchSize, binning: s.binning, shuffleSeed: seed + 1, augment: SHD_TABLE8_AUGMENT, ...(s.trainLimit ? { limit: s.trainLimit } : {}) }),
    test: new ShdSequenceSource(data.test, { batchSize: s.batchSize, binning: s.binning, ...(s.testLimit ? { limit: s.testLimit } : {}) }),
  };
}

export interface ShdRunResult {
  arm: ShdArm;
  seed: number;
  /** Test accuracy after the last epoch, %. */
  testAcc: number;
  history: EpochRecord[];
  /** Mean training wall time per epoch (s), evaluation excluded. */
  epochSeconds: number;
  model: DelaySnn;
}

export interface ShdWorkerArgs { setting: ShdSetting; arm: ShdArm; seed: number }

/**
 * The network, loss and per-epoch σ of one run — `WorkerSetup` export, and what {@link trainShd} trains itself:
 * σ(epoch) from ⌊D/2⌋ (+ 0.27 by `dclsSigmaSchedule`) to 0.5 over the first quarter of `s.epochs`, set at the
 * start of each epoch (σ is a number, not a buffer, so each worker sets its own).
 */
export function shdWorkerModel(a: ShdWorkerArgs): WorkerModel & { model: DelaySnn; prepareEpoch: (epoch: number) => void } {
  const model = buildShdNet(a.setting, a.arm, a.seed);
  const sigma = dclsSigmaSchedule({ initial: Math.floor(a.setting.kernelSize / 2), decayEpochs: Math.max(1, Math.floor(a.setting.epochs / 4)) });
  return { model, loss: SUMMED_SOFTMAX, prepareEpoch: (epoch) => model.setSigma(sigma(epoch)) };
}

/**
 * One run of the Table 8 recipe; gradients and per-epoch test evaluations from `workers` worker threads (default
 * auto). `maxBatches` stops each epoch early and `epochs` runs fewer epochs (timing runs only: the σ and
 * learning-rate schedules still span `s.epochs`).
 */
export async function trainShd(s: ShdSetting, arm: ShdArm, seed: number, data: { train: ShdSet; test: ShdSet }, opts: { maxBatches?: number; evaluateEachEpoch?: boolean; epochs?: number; onStep?: () => void; workers?: WorkersOption } = {}): Promise<ShdRunResult> {
  const src = shdSources(s, data, seed);
  const args: ShdWorkerArgs = { setting: s, arm, seed };
  const { model, prepareEpoch } = shdWorkerModel(args);
  const trainSrc = opts.maxBatches ? { batchesPerEpoch: (e: number) => Math.min(opts.maxBatches!, src.train.batchesPerEpoch()), batch: (e: number, i: number) => src.train.batch(e, i) } : src.train;
  const { history } = await train({
    model, loss: SUMMED_SOFTMAX, optimizer: new Adam({ weightDecay: 1e-5 }),
    schedule: cosineLr({ base: 5e-4, tMax: s.epochs }), groupSchedules: { delay: oneCycleLr({ max: 0.05, totalSteps: Math.max(2, s.epochs) }) },
    epochs: opts.epochs ?? s.epochs, train: trainSrc, ...(opts.evaluateEachEpoch === false ? {} : { test: src.test }), seed, progress: false,
    prepareEpoch,
    workers: opts.workers ?? "auto",
    workerSetup: { module: fileURLToPath(import.meta.url), export: "shdWorkerModel", args },
    // Positions are parameters: clamped here after the optimiser step, they reach the workers with the next step's.
    onStep: () => { model.clampPositions(); opts.onStep?.(); },
  });
  const last = history[history.length - 1]!;
  const testAcc = last.testAcc !== undefined ? 100 * last.testAcc : 100 * (await evaluate(model, SUMMED_SOFTMAX, src.test)).acc;
  return { arm, seed, testAcc, history, epochSeconds: history.reduce((a, h) => a + h.wallS, 0) / history.length, model };
}

/** Mean and sample standard deviation (n − 1), as "95.50 ± 0.36 over seeds 0, 1, 2". */
export function meanStd(v: readonly number[]): { mean: number; std: number } {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std };
}
