/**
 * The training loop shared by every reproduction (imperative shell over the pure pieces in this
 * folder): seeded, resumable, logged.
 *
 * Per step: module draws reseeded → optional mixing → gradients from the engine (reset neuron state →
 * forward `[T, B, ...]` → objective → backward, see `batch-gradients.ts`) → non-finite guard → optional
 * global-norm clipping → optimiser update at the scheduled learning rate.
 * Determinism: every random draw of a step (dropout masks, Bernoulli estimates via
 * `Module.reseed`, mixup/cutmix) is seeded from (run seed, global step), and batches are addressed
 * by (epoch, index), so a run resumed from a checkpoint repeats the uninterrupted run exactly.
 * No synchronous readback anywhere (webgpu in Node cannot do one): numbers are read with `await data()`.
 * Output folder: `metrics.jsonl` (one record per epoch, rewritten atomically), `checkpoint.json`
 * + `ckpt-<step>.safetensors`.
 */
import { join } from "node:path";
import { tf } from "../backend/tf.js";
import { currentBackend } from "../backend/index.js";
import type { SnnLoss } from "../losses/index.js";
import { buffersOf, parametersOf, reseedModule, setTraining, type Module, type NamedParameter, type ParamGroup } from "../layers/module.js";
import { writeFileAtomic } from "../util/fs.js";
import { ProgressBar } from "../util/progress.js";
import { Rng } from "../util/random.js";
import { localGradients, type GradientEngine, type Objective, type ObjectiveContext } from "./batch-gradients.js";
import type { BatchSource } from "./batch-source.js";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { evaluate } from "./evaluate.js";
import { clipByGlobalNorm, guardNonFinite, type NonFiniteRule } from "./gradients.js";
import { mixBatch, type MixOptions } from "./mixing.js";
import type { Optimizer } from "./optimizers.js";
import { parallelGradients } from "./parallel/engine.js";
import type { WorkerSetup } from "./parallel/protocol.js";
import { resolveWorkers, type WorkersOption } from "./parallel/workers.js";
import type { Schedule } from "./schedules.js";

export type { BatchSource, TrainBatch } from "./batch-source.js";
export type { ObjectiveContext } from "./batch-gradients.js";
export { evaluate, type Evaluation } from "./evaluate.js";

export interface TrainConfig {
  model: Module;
  /** Loss and its prediction rule (e.g. `LOSSES.tet`). */
  loss: SnnLoss;
  /**
   * Optional full objective (defaults to `loss.loss`). Receives the model so auxiliary terms such as
   * MPE-PSN's Σ L_mem can be added (see `mpeTotalLoss`).
   */
  objective?: Objective;
  optimizer: Optimizer;
  schedule: Schedule;
  /**
   * Learning rates of whole parameter groups on their own schedules (SNN-delays: weights cosine, delay positions
   * one-cycle); parameters of other groups follow `schedule`. Both are stepped the same way (`scheduleBy`).
   */
  groupSchedules?: Partial<Record<ParamGroup, Schedule>>;
  /** Step the schedule per epoch (PyTorch default) or per iteration (fractional epochs). */
  scheduleBy?: "epoch" | "iteration";
  epochs: number;
  train: BatchSource;
  test?: BatchSource;
  seed: number;
  mix?: MixOptions & { offFromEpoch?: number };
  clipNorm?: number;
  nonFinite?: NonFiniteRule;
  /**
   * Split each batch into this many micro-batches along the batch axis (axis 1 of `[T, B, ...]`) and step once on
   * the size-weighted mean of their gradients — gradient accumulation, for effective batches that do not fit in
   * memory. BatchNorm then normalises each micro-batch on its own, as DDP without SyncBN does per GPU (IMP-SNN's
   * ImageNet run.sh: 4 GPUs × 192), so micro-batches of the per-GPU size reproduce that setting. Default 1.
   */
  microBatches?: number;
  /**
   * Gradient worker threads (`parallel/`): a count, or `"auto"` (default) = `SPIKELAB_WORKERS` or the physical
   * cores (≤ 8) — used only with a `workerSetup`; 1 computes in this process. Changes the speed, not the result.
   */
  workers?: WorkersOption;
  /** How each worker builds the same model, loss and objective as this config's (see `WorkerSetup`). */
  workerSetup?: WorkerSetup;
  /**
   * Model state that is not a parameter or buffer and follows the epoch (SNN-delays' Dcls σ schedule): called at
   * the start of each epoch (a resumed run included), before its steps and its test evaluation. With workers the
   * setup's `prepareEpoch` must do the same to the workers' copies (closures cannot cross threads).
   */
  prepareEpoch?: (epoch: number) => void;
  /** Run folder for metrics.jsonl and checkpoints. */
  outDir?: string;
  /** Save a checkpoint every N optimiser steps (and at each epoch end). 0 = only at epoch ends. */
  checkpointEvery?: number;
  /** Continue from `outDir/checkpoint.json` when present. */
  resume?: boolean;
  progress?: boolean;
  /** Called after each epoch's record is final. */
  onEpoch?: (r: EpochRecord) => void;
  /** Called after each optimiser step (tests use it to interrupt a run). */
  onStep?: (step: number, loss: number) => void;
}

export interface EpochRecord {
  epoch: number;
  lr: number;
  trainLoss: number;
  trainAcc: number;
  testLoss?: number;
  testAcc?: number;
  nonFiniteSteps: number;
  steps: number;
  wallS: number;
  backend: string;
}

/** Where a run stands; saved in every checkpoint, so a resumed run continues from exactly here. */
interface Progress {
  epoch: number;
  nextBatch: number;
  step: number;
  history: EpochRecord[];
  acc: EpochSums;
}

interface EpochSums { lossSum: number; correct: number; count: number; batches: number; nonFinite: number; wallS: number }

const freshSums = (): EpochSums => ({ lossSum: 0, correct: 0, count: 0, batches: 0, nonFinite: 0, wallS: 0 });

/** A seed for (run seed, step, stream) — independent streams for module draws and mixing. */
export function stepSeed(seed: number, step: number, stream: number): number {
  let h = (seed * 0x9e3779b1) ^ (step * 0x85ebca77) ^ (stream * 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The run's mutable state: parameters, progress and how to checkpoint them. */
interface Run {
  params: NamedParameter[];
  prog: Progress;
  save(): Promise<void>;
}

function openRun(cfg: TrainConfig): Run {
  const params = parametersOf(cfg.model);
  const buffers = buffersOf(cfg.model);
  if (params.length === 0) throw new Error("train: the model has no trainable parameters");
  const names = new Set<string>();
  for (const p of params) {
    if (names.has(p.name)) throw new Error(`train: duplicate parameter name '${p.name}'`);
    names.add(p.name);
  }
  let prog: Progress = { epoch: 0, nextBatch: 0, step: 0, history: [], acc: freshSums() };
  if (cfg.resume && cfg.outDir) {
    const ck = loadCheckpoint<Progress>(cfg.outDir, params, buffers);
    if (ck) {
      cfg.optimizer.loadState(ck.optimizer);
      Object.values(ck.optimizer.tensors).forEach((t) => t.dispose());
      prog = ck.meta.progress;
    }
  }
  const run: Run = {
    params,
    prog,
    async save() {
      if (cfg.outDir) await saveCheckpoint(cfg.outDir, run.prog.step, params, buffers, cfg.optimizer.state(), run.prog);
    },
  };
  return run;
}

/** The optimiser update of one step from its gradients (after the non-finite guard and clipping). */
async function applyGradients(cfg: TrainConfig, run: Run, grads: Record<string, tf.Tensor>, lr: number, frac: number): Promise<void> {
  const guarded = await guardNonFinite(grads, cfg.nonFinite ?? "zero");
  if (guarded.nonFinite) run.prog.acc.nonFinite++;
  const made = new Set<tf.Tensor>();
  if (guarded.grads) {
    let gs = guarded.grads;
    if (cfg.clipNorm) gs = (await clipByGlobalNorm(gs, cfg.clipNorm)).grads;
    for (const g of [...Object.values(guarded.grads), ...Object.values(gs)]) made.add(g);
    const groups = cfg.groupSchedules;
    cfg.optimizer.apply(run.params, gs, groups ? (p: NamedParameter) => groups[p.group]?.(frac) ?? lr : lr);
  }
  for (const g of Object.values(grads)) made.add(g);
  made.forEach((g) => g.dispose());
}

/** One optimiser step on batch `index` of `epoch`; returns its loss and learning rate. */
async function trainStep(cfg: TrainConfig, run: Run, engine: GradientEngine, epoch: number, index: number, nb: number): Promise<{ loss: number; lr: number }> {
  const { prog } = run;
  const t0 = performance.now();
  const b = await cfg.train.batch(epoch, index);
  const frac = cfg.scheduleBy === "iteration" ? epoch + index / nb : epoch;
  const lr = cfg.schedule(frac);
  const moduleSeed = stepSeed(cfg.seed, prog.step, 1);
  reseedModule(cfg.model, moduleSeed);
  const mixOn = cfg.mix && (cfg.mix.offFromEpoch === undefined || epoch < cfg.mix.offFromEpoch);
  const mix = mixOn ? mixBatch(b.x, b.labels, new Rng(stepSeed(cfg.seed, prog.step, 2)), cfg.mix!) : null;
  const ctx: ObjectiveContext = { epoch, step: prog.step, model: cfg.model };
  try {
    const r = await engine.gradients({ x: mix?.x ?? b.x, labels: b.labels, mix, ctx, moduleSeed });
    await applyGradients(cfg, run, r.grads, lr, frac);
    const B = b.labels.length;
    prog.acc.lossSum += r.loss * B;
    prog.acc.correct += r.correct;
    prog.acc.count += B;
    prog.acc.batches++;
    prog.acc.wallS += (performance.now() - t0) / 1000;
    prog.step++;
    return { loss: r.loss, lr };
  } finally {
    if (mix && mix.x !== b.x) mix.x.dispose();
    b.x.dispose();
  }
}

/** The epoch's record from its running sums, with the test evaluation when a test source is given. */
async function closeEpoch(cfg: TrainConfig, run: Run, engine: GradientEngine, epoch: number): Promise<EpochRecord> {
  const acc = run.prog.acc;
  const record: EpochRecord = {
    epoch,
    lr: cfg.schedule(epoch),
    trainLoss: acc.lossSum / Math.max(1, acc.count),
    trainAcc: acc.correct / Math.max(1, acc.count),
    nonFiniteSteps: acc.nonFinite,
    steps: acc.batches,
    wallS: acc.wallS,
    backend: currentBackend()?.rung ?? tf.getBackend(),
  };
  if (cfg.test) {
    // Evaluation's own draws (MPE-PSN samples at test time) from (run seed, step), not from whatever state the
    // training forwards left — with gradient workers the trainer's model runs none.
    // With workers, they evaluate their copies of the model in parts of each test batch (same numbers up to float32
    // summation order).
    const evalSeed = stepSeed(cfg.seed, run.prog.step, 3);
    reseedModule(cfg.model, evalSeed);
    const ev = engine.evaluate ? await engine.evaluate(cfg.test, epoch, evalSeed) : await evaluate(cfg.model, cfg.loss, cfg.test, epoch);
    record.testLoss = ev.loss;
    record.testAcc = ev.acc;
  }
  return record;
}

/** Writes metrics.jsonl and a checkpoint positioned at the start of the next epoch. */
async function persistEpoch(cfg: TrainConfig, run: Run): Promise<void> {
  if (!cfg.outDir) return;
  const { prog } = run;
  await writeFileAtomic(join(cfg.outDir, "metrics.jsonl"), prog.history.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const saved = { epoch: prog.epoch, acc: prog.acc };
  prog.epoch++; prog.nextBatch = 0; prog.acc = freshSums();
  await run.save();
  prog.epoch = saved.epoch; prog.acc = saved.acc;
}

function summary(r: EpochRecord): string {
  return `train loss ${r.trainLoss.toFixed(4)} acc ${(100 * r.trainAcc).toFixed(1)}%` +
    (r.testAcc !== undefined ? ` test acc ${(100 * r.testAcc).toFixed(1)}%` : "");
}

export async function train(cfg: TrainConfig): Promise<{ history: EpochRecord[]; steps: number }> {
  const run = openRun(cfg);
  const { prog } = run;
  const every = cfg.checkpointEvery ?? 0;
  const local = { model: cfg.model, loss: cfg.loss, objective: cfg.objective, microBatches: cfg.microBatches };
  const workers = resolveWorkers(cfg.workers, cfg.workerSetup !== undefined);
  const engine = workers > 1 ? parallelGradients({ ...local, workers, setup: cfg.workerSetup!, prepareEpoch: cfg.prepareEpoch }) : localGradients(local);
  setTraining(cfg.model, true);
  try {
    for (; prog.epoch < cfg.epochs; prog.epoch++, prog.nextBatch = 0, prog.acc = freshSums()) {
      const epoch = prog.epoch;
      cfg.prepareEpoch?.(epoch);
      const nb = cfg.train.batchesPerEpoch(epoch);
      const bar = cfg.progress === false ? null : new ProgressBar(`epoch ${epoch + 1}/${cfg.epochs}`, nb);
      for (; prog.nextBatch < nb; prog.nextBatch++) {
        const { loss, lr } = await trainStep(cfg, run, engine, epoch, prog.nextBatch, nb);
        bar?.tick(1, `loss ${loss.toFixed(4)} lr ${lr.toExponential(2)}`);
        cfg.onStep?.(prog.step, loss);
        if (every > 0 && prog.step % every === 0 && prog.nextBatch + 1 < nb) {
          // Positioned at the next batch, so a resumed run does not repeat this one.
          prog.nextBatch++;
          await run.save();
          prog.nextBatch--;
        }
      }
      const record = await closeEpoch(cfg, run, engine, epoch);
      prog.history.push(record);
      bar?.finish(summary(record));
      await persistEpoch(cfg, run);
      cfg.onEpoch?.(record);
    }
  } finally {
    await engine.dispose();
  }
  reseedModule(cfg.model, stepSeed(cfg.seed, prog.step, 3)); // the same module state after training, whichever engine ran
  return { history: prog.history, steps: prog.step };
}
