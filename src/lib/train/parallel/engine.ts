/**
 * `parallelGradients`: the {@link GradientEngine} that computes a step's gradients in worker threads
 * (`pool.ts`, `worker.ts`) instead of this process — the same objective as `localGradients`, whatever the
 * number of workers.
 *
 * Per step: the batch (already mixed), its labels, the parameters and buffers go into shared memory → each of
 * P = min(workers, smallest micro-batch) workers computes ∇ of its samples' share of every micro-batch, with
 * BatchNorm synchronised over the P parts of each micro-batch (SyncBN) and per-sample draws keyed by the
 * sample's index in the batch → the gradient slots are summed in rank order (float32, as the optimiser
 * sees them) and BN running statistics copied back from worker 0.
 *
 * Agreement: for a fixed P the computation is a fixed sequence of float32 operations, so runs repeat
 * bit-identically; between different P only the order of summations differs (per-channel BN sums,
 * conv-weight gradient sums over samples, the sum over workers), ≈ 1e-6 relative per step
 * (test/train/parallel/engine.test.ts bounds it after several steps).
 *
 * Evaluation (`evaluate`): parameters and buffers (BN running statistics) into shared memory once, then per test
 * batch (loaded while the workers run the previous one) each of P workers forwards its part in eval mode and
 * returns Σ loss and its correct count; the sums over parts are those of `evaluate` on the trainer's model up to
 * the order of the float32 sums (a part's mean loss × its size, summed in float64). P = min(workers, B) and never
 * grows within an evaluation, so every taking part worker has run every earlier batch and its draw streams
 * (MPE-PSN samples at test time) stand where the trainer's model's would.
 */
import { tf } from "../../backend/tf.js";
import { currentBackend } from "../../backend/index.js";
import { buffersOf, parametersOf } from "../../layers/module.js";
import { microBatchRange, type GradientEngine, type LocalGradientOptions, type StepGradients, type StepInput } from "../batch-gradients.js";
import type { BatchSource, TrainBatch } from "../batch-source.js";
import type { Evaluation } from "../evaluate.js";
import { WorkerPool } from "./pool.js";
import { batchBytes, writeBatch, type WorkerSetup } from "./protocol.js";
import { tensorSpecs } from "./shared-tensors.js";

export interface ParallelGradientOptions extends LocalGradientOptions {
  /** Worker threads (≥ 1; use `resolveWorkers` for the default). */
  workers: number;
  /** How each worker builds its copy of `model` (and `loss`, `objective`, `prepareEpoch`). */
  setup: WorkerSetup;
  /** The trainer's per-epoch hook; only whether there is one is used (the setup's must exist too). */
  prepareEpoch?: (epoch: number) => void;
}

export function parallelGradients(o: ParallelGradientOptions): GradientEngine {
  if (!(Number.isInteger(o.workers) && o.workers >= 1)) throw new Error(`parallelGradients: workers must be a positive integer, got ${o.workers}`);
  const params = parametersOf(o.model);
  const buffers = buffersOf(o.model);
  for (const b of buffers) {
    if (b.variable.dtype !== "float32") throw new Error(`parallelGradients: buffer '${b.name}' is ${b.variable.dtype}; shared buffers must be float32`);
  }
  for (const p of params) {
    if (p.variable.dtype !== "float32") throw new Error(`parallelGradients: parameter '${p.name}' is ${p.variable.dtype}; shared parameters must be float32`);
  }
  let data: SharedArrayBuffer | null = null;
  /** The batch buffer, grown when `bytes` do not fit; returns the new one (to send) or undefined. */
  const batchBuffer = (bytes: number): SharedArrayBuffer | undefined => {
    if (data && data.byteLength >= bytes) return undefined;
    return (data = new SharedArrayBuffer(Math.ceil(bytes * 1.25 / 4) * 4));
  };
  const syncModel = async (p: WorkerPool) => {
    for (let i = 0; i < params.length; i++) p.params.view(i).set(await params[i]!.variable.data() as Float32Array);
    for (let i = 0; i < buffers.length; i++) p.buffersIn.view(i).set(await buffers[i]!.variable.data() as Float32Array);
  };

  // Started now, so the workers build their models while the trainer loads its first batch; a start failure is
  // reported by the first `gradients` call (the no-op catch only keeps it from being an unhandled rejection first).
  let pool: Promise<WorkerPool> | null = WorkerPool.start({
    workers: o.workers, setup: o.setup, params: tensorSpecs(params), buffers: tensorSpecs(buffers),
    hasObjective: o.objective !== undefined, hasPrepareEpoch: o.prepareEpoch !== undefined, lossName: o.loss.name, backend: currentBackend()?.rung ?? null,
  });
  pool.catch(() => undefined);

  return {
    async gradients({ x, labels, mix, ctx, moduleSeed }: StepInput): Promise<StepGradients> {
      if (moduleSeed === undefined) throw new Error("parallelGradients: the step needs its moduleSeed (the seed the model's draws were reseeded with)");
      if (!pool) throw new Error("parallelGradients: the engine was disposed");
      const p = await pool;
      const B = labels.length, k = Math.max(1, Math.min(o.microBatches ?? 1, B));
      if (x.rank < 2 || x.shape[1] !== B) throw new Error(`parallelGradients: x must be [T, B, ...] with B = ${B} labels, got shape [${x.shape}]`);
      const micro = Array.from({ length: k }, (_, m) => microBatchRange(m, k, B));
      const parties = Math.min(p.size, ...micro.map(([lo, hi]) => hi - lo));

      const fresh = batchBuffer(batchBytes(x.size, B));
      writeBatch(data!, await x.data() as Float32Array, labels, mix?.labelsB);
      await syncModel(p);

      const done = await p.step({
        type: "step", data: fresh, xShape: x.shape.slice(), parties, micro, moduleSeed,
        epoch: ctx.epoch, step: ctx.step, mix: mix ? { lambda: mix.lambda, kind: mix.kind } : null,
      });

      const grads: Record<string, tf.Tensor> = {};
      for (let i = 0; i < params.length; i++) {
        if (!done.some((d) => d.hasGrad[i])) continue;
        const sum = Float32Array.from(p.grads.view(i, 0));
        for (let r = 1; r < parties; r++) {
          const g = p.grads.view(i, r);
          for (let j = 0; j < sum.length; j++) sum[j] += g[j]!;
        }
        grads[params[i]!.name] = tf.tensor(sum, params[i]!.variable.shape, "float32");
      }
      tf.tidy(() => buffers.forEach((b, i) => b.variable.assign(tf.tensor(p.buffersOut.view(i).slice(), b.variable.shape, "float32"))));
      let loss = 0, correct = 0;
      for (const d of done) { loss += d.loss; correct += d.correct; }
      return { loss, correct, grads };
    },
    async evaluate(source: BatchSource, epoch: number, moduleSeed: number): Promise<Evaluation> {
      if (!pool) throw new Error("parallelGradients: the engine was disposed");
      const p = await pool;
      await syncModel(p);
      const n = source.batchesPerEpoch(epoch);
      let lossSum = 0, correct = 0, count = 0, parties = p.size, begun = false;
      let b: TrainBatch | null = n > 0 ? await source.batch(epoch, 0) : null;
      try {
        for (let i = 0; i < n; i++) {
          const cur = b!;
          b = null;
          const B = cur.labels.length;
          let parts: Promise<{ lossSum: number; correct: number }[]> = Promise.resolve([]);
          try {
            if (cur.x.rank < 2 || cur.x.shape[1] !== B) throw new Error(`parallelGradients: test batch ${i} must be [T, B, ...] with B = ${B} labels, got shape [${cur.x.shape}]`);
            if (B > 0) {
              parties = Math.min(parties, B);
              const fresh = batchBuffer(batchBytes(cur.x.size, B));
              writeBatch(data!, await cur.x.data() as Float32Array, cur.labels);
              parts = p.evaluate({ type: "eval", data: fresh, xShape: cur.x.shape.slice(), parties, begin: !begun, moduleSeed, epoch });
              parts.catch(() => undefined); // awaited below, after the next batch is loaded
              begun = true;
            }
          } finally {
            cur.x.dispose();
          }
          // The next batch loads in this thread while the workers forward this one.
          if (i + 1 < n) b = await source.batch(epoch, i + 1);
          for (const d of await parts) { lossSum += d.lossSum; correct += d.correct; }
          count += B;
        }
      } finally {
        b?.x.dispose();
      }
      return { loss: count ? lossSum / count : NaN, acc: count ? correct / count : NaN, count };
    },
    async dispose() {
      const p = pool;
      pool = null;
      if (p) await (await p.catch(() => null))?.close();
    },
  };
}
