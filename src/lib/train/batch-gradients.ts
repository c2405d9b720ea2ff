/**
 * One optimiser step's gradients, behind an engine interface so the trainer does not care where they are
 * computed (this process, or worker threads — `parallel/`).
 *
 * For a batch split into k micro-batches m = [lo, hi) of a batch of B samples, the step's objective is the
 * size-weighted mean  L = Σ_m (hi − lo)/B · L_m,  and with mixing (λ, y_flip)
 * L_m = λ·ℓ(O_m, y_m) + (1 − λ)·ℓ(O_m, y_flip,m).
 */
import { tf } from "../backend/tf.js";
import type { Labels } from "../losses/cross-entropy.js";
import type { SnnLoss } from "../losses/index.js";
import { withBatchShard } from "../layers/batch-shard.js";
import { parametersOf, resetModule, type Module } from "../layers/module.js";
import type { BatchSource } from "./batch-source.js";
import type { Evaluation } from "./evaluate.js";
import type { MixedBatch } from "./mixing.js";
import { namedGrads } from "./named-grads.js";

export interface ObjectiveContext {
  epoch: number;
  step: number;
  model: Module;
}

/** The full objective of a step; defaults to the loss itself (MPE-PSN adds Σ L_mem, see `mpeTotalLoss`). */
export type Objective = (outputs: tf.Tensor, labels: Labels, ctx: ObjectiveContext) => tf.Scalar;

export interface StepInput {
  /** Inputs `[T, B, ...]`, already mixed when `mix` is set (the engine does not dispose it). */
  x: tf.Tensor;
  labels: Int32Array;
  mix: MixedBatch | null;
  ctx: ObjectiveContext;
  /**
   * The seed the trainer reseeded the model's draws with this step; engines with model copies (`parallel/`) need
   * it to reseed theirs.
   */
  moduleSeed?: number;
}

export interface StepGradients {
  /** The step's objective value. */
  loss: number;
  /** Samples whose prediction (the loss's own rule) equals `labels`. */
  correct: number;
  /** Gradients keyed by parameter name; the trainer disposes them. */
  grads: Record<string, tf.Tensor>;
}

export interface GradientEngine {
  gradients(step: StepInput): Promise<StepGradients>;
  /**
   * `evaluate` of the trainer's model (its current parameters and buffers) on `data` at `epoch`, the modules' draws
   * reseeded with `moduleSeed` first — where the engine has model copies of its own to run it on (`parallel/`);
   * absent: the trainer evaluates its model itself.
   */
  evaluate?(data: BatchSource, epoch: number, moduleSeed: number): Promise<Evaluation>;
  dispose(): Promise<void> | void;
}

export interface LocalGradientOptions {
  model: Module;
  loss: SnnLoss;
  objective?: Objective;
  /** Micro-batches per step along axis 1 (gradient accumulation; BN normalises each on its own). Default 1. */
  microBatches?: number;
}

/** Micro-batch m of k over B samples: [lo, hi), as equal as rounding allows. */
export function microBatchRange(m: number, k: number, B: number): [number, number] {
  return [Math.round((m * B) / k), Math.round(((m + 1) * B) / k)];
}

/** Samples whose prediction equals the label (one asynchronous read). */
export async function countCorrect(pred: tf.Tensor, labels: ArrayLike<number>): Promise<number> {
  const p = await pred.data();
  let c = 0;
  for (let i = 0; i < labels.length; i++) if (p[i] === labels[i]) c++;
  return c;
}

/** The objective of one (micro-)batch, mixing included. */
export function mixedObjective(objective: Objective, out: tf.Tensor, y: Int32Array, yFlip: Int32Array | undefined,
  mix: Pick<MixedBatch, "kind" | "lambda"> | null, ctx: ObjectiveContext): tf.Scalar {
  const l = objective(out, y, ctx);
  if (!mix || mix.kind === "none") return l;
  return tf.add(tf.mul(l, mix.lambda), tf.mul(objective(out, yFlip!, ctx), 1 - mix.lambda)) as tf.Scalar;
}

/** Gradients computed in this process, micro-batch by micro-batch. */
export function localGradients(o: LocalGradientOptions): GradientEngine {
  const params = parametersOf(o.model);
  const objective = o.objective ?? ((out: tf.Tensor, y: Labels) => o.loss.loss(out, y));
  return {
    async gradients({ x, labels, mix, ctx }) {
      const B = labels.length, k = Math.max(1, Math.min(o.microBatches ?? 1, B));
      let grads: Record<string, tf.Tensor> = {};
      let loss = 0, correct = 0;
      for (let m = 0; m < k; m++) {
        const [lo, hi] = microBatchRange(m, k, B), w = (hi - lo) / B;
        const xm = k === 1 ? x : tf.slice(x, [0, lo], [-1, hi - lo]);
        const ym = labels.subarray(lo, hi), yFlip = mix?.labelsB.subarray(lo, hi);
        let pred: tf.Tensor | null = null;
        // Offset lo: the micro-batch's per-sample draws are those of samples lo…hi − 1 of the batch.
        const r = withBatchShard({ offset: lo }, () => namedGrads(params, () => {
          resetModule(o.model);
          const out = o.model.forward(xm);
          pred = tf.keep(tf.tidy(() => o.loss.predict(out)));
          return mixedObjective(objective, out, ym, yFlip, mix, ctx);
        }));
        if (xm !== x) xm.dispose();
        correct += await countCorrect(pred!, ym);
        (pred as tf.Tensor | null)?.dispose();
        loss += w * (await r.value.data())[0]!;
        r.value.dispose();
        grads = k === 1 ? r.grads : accumulate(grads, r.grads, w);
      }
      resetModule(o.model);
      return { loss, correct, grads };
    },
    dispose() {},
  };
}

/** acc + w·g per parameter, disposing the inputs. */
function accumulate(acc: Record<string, tf.Tensor>, g: Record<string, tf.Tensor>, w: number): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = { ...acc };
  for (const [name, gi] of Object.entries(g)) {
    const prev = acc[name];
    out[name] = tf.tidy(() => (prev ? tf.add(prev, tf.mul(gi, w)) : tf.mul(gi, w)));
    prev?.dispose();
    gi.dispose();
  }
  return out;
}
