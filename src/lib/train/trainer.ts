/**
 * The training loop shared by every reproduction (imperative shell over the pure pieces in this
 * folder): seeded, resumable, logged.
 *
 * Per step: reset neuron state → forward `[T, B, ...]` → objective → backward → non-finite guard →
 * optional global-norm clipping → optimiser update at the scheduled learning rate.
 * Determinism: every random draw of a step (dropout masks, Bernoulli estimates via
 * `Module.reseed`, mixup/cutmix) is seeded from (run seed, global step), and batches are addressed
 * by (epoch, index), so a run resumed from a checkpoint repeats the uninterrupted run exactly.
 * Output folder: `metrics.jsonl` (one record per epoch, rewritten atomically), `checkpoint.json`
 * + `ckpt-<step>.safetensors`.
 */
import { join } from "node:path";
import { tf } from "../backend/tf.js";
import { currentBackend } from "../backend/index.js";
import type { Labels } from "../losses/cross-entropy.js";
import { buffersOf, parametersOf, reseedModule, resetModule, setTraining, type Module, type NamedParameter, type ParamGroup } from "../layers/module.js";
import { writeFileAtomic } from "../util/fs.js";
import { ProgressBar } from "../util/progress.js";
import { Rng } from "../util/random.js";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint.js";
import { clipByGlobalNorm, guardNonFinite, type NonFiniteRule } from "./gradients.js";
import { mixBatch, type MixOptions } from "./mixing.js";
import type { Optimizer } from "./optimizers.js";
import type { Schedule } from "./schedules.js";

export interface TrainBatch {
  /** Inputs, time-first `[T, B, ...]`. */
  x: tf.Tensor;
  labels: Int32Array;
}

/** Random-access batches: batch `index` of `epoch` must be the same every time it is asked for. */
export interface BatchSource {
  batchesPerEpoch(epoch: number): number;
  batch(epoch: number, index: number): TrainBatch | Promise<TrainBatch>;
}

export interface ObjectiveContext {
  epoch: number;
  step: number;
  model: Module;
}

export interface LossRule {
  name: string;
  loss(outputs: tf.Tensor, labels: Labels): tf.Scalar;
  predict(outputs: tf.Tensor): tf.Tensor1D;
}

export interface TrainConfig {
  model: Module;
  /** Loss and its prediction rule (e.g. `LOSSES.tet`). */
  loss: LossRule;
  /**
   * Optional full objective (defaults to `loss.loss`). Receives the model so auxiliary terms such as
   * MPE-PSN's Σ L_mem can be added (see `mpeTotalLoss`).
   */
  objective?: (outputs: tf.Tensor, labels: Labels, ctx: ObjectiveContext) => tf.Scalar;
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

interface Progress {
  epoch: number;
  nextBatch: number;
  step: number;
  history: EpochRecord[];
  acc: { lossSum: number; correct: number; count: number; batches: number; nonFinite: number; wallS: number };
}

const freshAcc = () => ({ lossSum: 0, correct: 0, count: 0, batches: 0, nonFinite: 0, wallS: 0 });

/** A seed for (run seed, step, stream) — independent streams for module draws and mixing. */
export function stepSeed(seed: number, step: number, stream: number): number {
  let h = (seed * 0x9e3779b1) ^ (step * 0x85ebca77) ^ (stream * 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

function countCorrect(pred: tf.Tensor1D, labels: Int32Array): number {
  const p = pred.dataSync();
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] === labels[i]) c++;
  return c;
}

/** Mean loss and accuracy over a batch source with the loss's own prediction rule, in eval mode. */
export async function evaluate(model: Module, loss: LossRule, data: BatchSource, epoch = 0): Promise<{ loss: number; acc: number; count: number }> {
  setTraining(model, false);
  let lossSum = 0, correct = 0, count = 0;
  const n = data.batchesPerEpoch(epoch);
  for (let i = 0; i < n; i++) {
    const b = await data.batch(epoch, i);
    resetModule(model);
    const [lossT, predT] = tf.tidy(() => {
      const out = model.forward(b.x);
      return [loss.loss(out, b.labels), loss.predict(out)];
    });
    const l = lossT.dataSync()[0]!;
    const c = countCorrect(predT as tf.Tensor1D, b.labels);
    lossT.dispose();
    predT.dispose();
    lossSum += l * b.labels.length;
    correct += c;
    count += b.labels.length;
    b.x.dispose();
  }
  resetModule(model);
  setTraining(model, true);
  return { loss: count ? lossSum / count : NaN, acc: count ? correct / count : NaN, count };
}

export async function train(cfg: TrainConfig): Promise<{ history: EpochRecord[]; steps: number }> {
  const { model, optimizer, train: data } = cfg;
  const params = parametersOf(model);
  const buffers = buffersOf(model);
  if (params.length === 0) throw new Error("train: the model has no trainable parameters");
  const names = new Set<string>();
  for (const p of params) {
    if (names.has(p.name)) throw new Error(`train: duplicate parameter name '${p.name}'`);
    names.add(p.name);
  }
  const byVarName = new Map(params.map((p) => [p.variable.name, p]));
  const objective = cfg.objective ?? ((o: tf.Tensor, y: Labels) => cfg.loss.loss(o, y));
  const every = cfg.checkpointEvery ?? 0;

  let prog: Progress = { epoch: 0, nextBatch: 0, step: 0, history: [], acc: freshAcc() };
  if (cfg.resume && cfg.outDir) {
    const ck = loadCheckpoint<Progress>(cfg.outDir, params, buffers);
    if (ck) {
      optimizer.loadState(ck.optimizer);
      Object.values(ck.optimizer.tensors).forEach((t) => t.dispose());
      prog = ck.meta.progress;
    }
  }
  const save = async () => {
    if (cfg.outDir) await saveCheckpoint(cfg.outDir, prog.step, params, buffers, optimizer.state(), prog);
  };
  setTraining(model, true);

  for (; prog.epoch < cfg.epochs; prog.epoch++, prog.nextBatch = 0, prog.acc = freshAcc()) {
    const epoch = prog.epoch;
    const nb = data.batchesPerEpoch(epoch);
    const bar = cfg.progress === false ? null : new ProgressBar(`epoch ${epoch + 1}/${cfg.epochs}`, nb);
    for (; prog.nextBatch < nb; prog.nextBatch++) {
      const t0 = performance.now();
      const b = await data.batch(epoch, prog.nextBatch);
      const frac = cfg.scheduleBy === "iteration" ? epoch + prog.nextBatch / nb : epoch;
      const lr = cfg.schedule(frac);
      reseedModule(model, stepSeed(cfg.seed, prog.step, 1));
      const mixOn = cfg.mix && (cfg.mix.offFromEpoch === undefined || epoch < cfg.mix.offFromEpoch);
      const mixed = mixOn ? mixBatch(b.x, b.labels, new Rng(stepSeed(cfg.seed, prog.step, 2)), cfg.mix!) : null;
      const x = mixed?.x ?? b.x;
      const ctx: ObjectiveContext = { epoch, step: prog.step, model };
      let correct = 0, lossValue = 0;
      const B = b.labels.length, k = Math.max(1, Math.min(cfg.microBatches ?? 1, B));
      let grads: Record<string, tf.Tensor> = {};
      for (let m = 0; m < k; m++) {
        // Micro-batch m: samples [lo, hi); its mean loss and gradients weigh (hi − lo)/B of the step.
        const lo = Math.round((m * B) / k), hi = Math.round(((m + 1) * B) / k), w = (hi - lo) / B;
        const xm = k === 1 ? x : tf.slice(x, [0, lo], [-1, hi - lo]);
        const ym = b.labels.subarray(lo, hi), ybm = mixed?.labelsB.subarray(lo, hi);
        const r = tf.variableGrads(() => {
          resetModule(model);
          const out = model.forward(xm);
          const pred = tf.tidy(() => cfg.loss.predict(out));
          correct += countCorrect(pred, ym);
          pred.dispose();
          const l = objective(out, ym, ctx);
          if (!mixed || mixed.kind === "none") return l;
          return tf.add(tf.mul(l, mixed.lambda), tf.mul(objective(out, ybm!, ctx), 1 - mixed.lambda)) as tf.Scalar;
        }, params.map((p) => p.variable));
        if (xm !== x) xm.dispose();
        lossValue += w * r.value.dataSync()[0]!;
        r.value.dispose();
        if (k === 1) grads = r.grads;
        else {
          for (const [vn, g] of Object.entries(r.grads)) {
            const prev = grads[vn];
            grads[vn] = prev ? tf.tidy(() => tf.add(prev, tf.mul(g, w))) : tf.mul(g, w);
            prev?.dispose();
            g.dispose();
          }
        }
      }
      let named: Record<string, tf.Tensor> = {};
      for (const [vn, g] of Object.entries(grads)) named[byVarName.get(vn)!.name] = g;
      const guarded = guardNonFinite(named, cfg.nonFinite ?? "zero");
      if (guarded.nonFinite) prog.acc.nonFinite++;
      if (guarded.grads) {
        let gs = guarded.grads;
        if (cfg.clipNorm) gs = clipByGlobalNorm(gs, cfg.clipNorm).grads;
        const groups = cfg.groupSchedules;
        optimizer.apply(params, gs, groups ? (p: NamedParameter) => groups[p.group]?.(frac) ?? lr : lr);
        for (const g of Object.values(gs)) if (!Object.values(grads).includes(g)) g.dispose();
        for (const g of Object.values(guarded.grads)) if (!Object.values(grads).includes(g)) g.dispose();
      }
      Object.values(grads).forEach((g) => g.dispose());
      if (mixed && mixed.x !== b.x) mixed.x.dispose();
      b.x.dispose();
      resetModule(model);
      prog.acc.lossSum += lossValue * b.labels.length;
      prog.acc.correct += correct;
      prog.acc.count += b.labels.length;
      prog.acc.batches++;
      prog.acc.wallS += (performance.now() - t0) / 1000;
      prog.step++;
      bar?.tick(1, `loss ${lossValue.toFixed(4)} lr ${lr.toExponential(2)}`);
      cfg.onStep?.(prog.step, lossValue);
      if (every > 0 && prog.step % every === 0 && prog.nextBatch + 1 < nb) {
        prog.nextBatch++;
        await save();
        prog.nextBatch--;
      }
    }
    const record: EpochRecord = {
      epoch,
      lr: cfg.schedule(epoch),
      trainLoss: prog.acc.lossSum / Math.max(1, prog.acc.count),
      trainAcc: prog.acc.correct / Math.max(1, prog.acc.count),
      nonFiniteSteps: prog.acc.nonFinite,
      steps: prog.acc.batches,
      wallS: prog.acc.wallS,
      backend: currentBackend()?.rung ?? tf.getBackend(),
    };
    if (cfg.test) {
      const ev = await evaluate(model, cfg.loss, cfg.test, epoch);
      record.testLoss = ev.loss;
      record.testAcc = ev.acc;
    }
    prog.history.push(record);
    bar?.finish(`train loss ${record.trainLoss.toFixed(4)} acc ${(100 * record.trainAcc).toFixed(1)}%` +
      (record.testAcc !== undefined ? ` test acc ${(100 * record.testAcc).toFixed(1)}%` : ""));
    if (cfg.outDir) {
      await writeFileAtomic(join(cfg.outDir, "metrics.jsonl"), prog.history.map((r) => JSON.stringify(r)).join("\n") + "\n");
      // Position the checkpoint at the start of the next epoch.
      prog.epoch++; prog.nextBatch = 0; prog.acc = freshAcc();
      await save();
      prog.epoch--;
    }
    cfg.onEpoch?.(record);
  }
  return { history: prog.history, steps: prog.step };
}
