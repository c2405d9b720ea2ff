/**
 * Entry of a gradient worker thread (started by `pool.ts`): its own TF.js and backend, its own copy of the
 * model from the {@link WorkerSetup}, and per step the gradient of its share of the batch.
 *
 * Step (message from the main thread, see `protocol.ts`): copy parameters and buffers in from shared memory →
 * reseed the modules' draws → for each micro-batch [lo, hi), the part [a, b) of rank r of P parties
 * (a = lo + round(r·(hi − lo)/P)) → forward under the batch shard (offset a, all-reduce over the parties, so
 * BatchNorm is SyncBN and per-sample draws are those of samples a…b − 1) → ∇ of (b − a)/B · L_part, summed
 * over micro-batches into this rank's gradient slot → rank 0 writes the buffers back.
 * Σ over parts of (b − a)/B · L_part is the step objective Σ_m (hi − lo)/B · L_m of `localGradients`.
 *
 * Evaluated batch (`EvalMessage`): in eval mode, the part [a, b) = [round(r·B/P), round((r + 1)·B/P)) forwarded
 * under the batch shard (offset a; no all-reduce: eval-mode BN uses its running statistics) → Σ of the part's
 * losses (b − a)·L_part and its correct count; the main thread sums the parts.
 */
import { parentPort, workerData } from "node:worker_threads";
import { tf } from "../../backend/tf.js";
import { initBackend, isBackendRung, useBackend } from "../../backend/index.js";
import { buffersOf, parametersOf, reseedModule, resetModule, setTraining, type NamedBuffer, type NamedParameter } from "../../layers/module.js";
import { withBatchShard } from "../../layers/batch-shard.js";
import { countCorrect, microBatchRange, mixedObjective, type Objective, type ObjectiveContext } from "../batch-gradients.js";
import { namedGrads } from "../named-grads.js";
import { loadWorkerSetup } from "./setup.js";
import { AbortedError, abortSharedGroup, SharedGroup } from "./shared-group.js";
import { SharedTensors, tensorSpecs } from "./shared-tensors.js";
import { readBatchPart, type EvalMessage, type StepMessage, type WorkerInit, type WorkerMessage, type WorkerModel } from "./protocol.js";
import type { Labels } from "../../losses/cross-entropy.js";

class GradientWorker {
  private readonly params: NamedParameter[];
  private readonly buffers: NamedBuffer[];
  private readonly paramMem: SharedTensors;
  private readonly buffersIn: SharedTensors;
  private readonly buffersOut: SharedTensors;
  private readonly gradMem: SharedTensors;
  private readonly group: SharedGroup;
  private readonly objective: Objective;
  private data: SharedArrayBuffer | null = null;
  private preparedEpoch: number | null = null;

  constructor(private readonly init: WorkerInit, private readonly built: WorkerModel) {
    this.params = parametersOf(built.model);
    this.buffers = buffersOf(built.model);
    this.paramMem = new SharedTensors(init.params);
    this.buffersIn = new SharedTensors(init.buffersIn);
    this.buffersOut = new SharedTensors(init.buffersOut);
    this.gradMem = new SharedTensors(init.grads);
    this.group = new SharedGroup(init.group, init.rank);
    this.objective = built.objective ?? ((out: tf.Tensor, y: Labels) => built.loss.loss(out, y));
    setTraining(built.model, true);
  }

  /** Parameters and buffers from shared memory (copied: a backend may keep the array it was given). */
  private copyIn(): void {
    tf.tidy(() => {
      this.params.forEach((p, i) => p.variable.assign(tf.tensor(this.paramMem.view(i).slice(), p.variable.shape, "float32")));
      this.buffers.forEach((b, i) => b.variable.assign(tf.tensor(this.buffersIn.view(i).slice(), b.variable.shape, b.variable.dtype)));
    });
  }

  /** The setup's per-epoch state, applied once per epoch (steps and evaluations of an epoch share it). */
  private prepare(epoch: number): void {
    if (this.preparedEpoch === epoch) return;
    this.built.prepareEpoch?.(epoch);
    this.preparedEpoch = epoch;
  }

  /**
   * The batch buffer for a message (a new one comes with the message when the batch outgrew the last), or null
   * when this rank takes no part in it.
   */
  private batchFor(msg: StepMessage | EvalMessage): SharedArrayBuffer | null {
    if (msg.data) this.data = msg.data;
    if (this.init.rank >= msg.parties) return null;
    if (!this.data) throw new Error(`worker: ${msg.type} without a batch buffer`);
    return this.data;
  }

  /** This rank's part of the step, or null when it takes no part (it only keeps a new batch buffer). */
  async step(msg: StepMessage): Promise<WorkerMessage | null> {
    const data = this.batchFor(msg);
    if (!data) return null;
    const { rank } = this.init;
    const model = this.built.model;
    const B = msg.xShape[1]!;
    this.copyIn();
    setTraining(model, true);
    this.prepare(msg.epoch);
    reseedModule(model, msg.moduleSeed);
    this.group.beginStep(msg.parties);
    const slot = this.gradMem.copyView(rank);
    slot.fill(0);
    const hasGrad = this.params.map(() => false);
    const ctx: ObjectiveContext = { epoch: msg.epoch, step: msg.step, model };
    const mix = msg.mix;
    const P = msg.parties;
    const reduce = P > 1 ? (v: Float64Array) => this.group.allReduce(v) : undefined;
    let loss = 0, correct = 0;
    for (const [lo, hi] of msg.micro) {
      const [a, b] = microBatchRange(rank, P, hi - lo).map((i) => lo + i) as [number, number];
      const part = readBatchPart(data, msg.xShape, a, b);
      const x = tf.tensor(part.x, part.partShape, "float32");
      const y = part.labels, yFlip = mix ? part.labelsFlipped : undefined;
      let pred: tf.Tensor | null = null;
      const r = withBatchShard({ offset: a, allReduce: reduce }, () => namedGrads(this.params, () => {
        resetModule(model);
        const out = model.forward(x);
        pred = tf.keep(tf.tidy(() => this.built.loss.predict(out)));
        return tf.mul(mixedObjective(this.objective, out, y, yFlip, mix, ctx), (b - a) / B) as tf.Scalar;
      }));
      x.dispose();
      correct += await countCorrect(pred!, y);
      (pred as tf.Tensor | null)?.dispose();
      loss += (await r.value.data())[0]!;
      r.value.dispose();
      for (let i = 0; i < this.params.length; i++) {
        const g = r.grads[this.params[i]!.name];
        if (!g) continue;
        const v = await g.data() as Float32Array, dst = this.gradMem.view(i, rank);
        if (hasGrad[i]) for (let j = 0; j < v.length; j++) dst[j] += v[j]!;
        else dst.set(v);
        hasGrad[i] = true;
        g.dispose();
      }
    }
    resetModule(model);
    if (rank === 0) {
      for (let i = 0; i < this.buffers.length; i++) this.buffersOut.view(i).set(await this.buffers[i]!.variable.data() as Float32Array);
    }
    return { type: "done", loss, correct, hasGrad };
  }

  /** This rank's part of one evaluated batch, or null when it takes no part. */
  async evaluate(msg: EvalMessage): Promise<WorkerMessage | null> {
    const data = this.batchFor(msg);
    if (!data) return null;
    const { rank } = this.init;
    const model = this.built.model;
    if (msg.begin) {
      this.copyIn();
      setTraining(model, false);
      this.prepare(msg.epoch);
      reseedModule(model, msg.moduleSeed);
    }
    const [a, b] = microBatchRange(rank, msg.parties, msg.xShape[1]!);
    const part = readBatchPart(data, msg.xShape, a, b);
    const x = tf.tensor(part.x, part.partShape, "float32");
    const y = part.labels;
    resetModule(model);
    const [lossT, predT] = withBatchShard({ offset: a }, () => tf.tidy(() => {
      const out = model.forward(x);
      return [this.built.loss.loss(out, y), this.built.loss.predict(out)];
    }));
    x.dispose();
    resetModule(model);
    const correct = await countCorrect(predT, y);
    const lossMean = (await lossT.data())[0]!;
    tf.dispose([lossT, predT]);
    return { type: "evaluated", lossSum: lossMean * (b - a), correct };
  }
}

async function main(): Promise<void> {
  const init = workerData as WorkerInit;
  const port = parentPort!;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const fail = (e: unknown) => {
    const err = e instanceof Error ? e : new Error(String(e));
    abortSharedGroup(init.group); // peers waiting at a barrier for this worker stop instead of hanging
    post({ type: "error", message: err.message, stack: err.stack, aborted: err instanceof AbortedError });
  };
  let worker: GradientWorker;
  try {
    process.env.SPIKELAB_QUIET = "1";
    if (init.backend && isBackendRung(init.backend)) await useBackend(init.backend, { log: false });
    else await initBackend({ log: false });
    const built = await loadWorkerSetup(init.setup);
    if (!!built.prepareEpoch !== init.hasPrepareEpoch) {
      throw new Error(`workerSetup ${init.setup.module}#${init.setup.export}: ${built.prepareEpoch ? "returns a prepareEpoch but the trainer has none" : "returns no prepareEpoch but the trainer has one"} (the workers must hold the trainer's per-epoch state)`);
    }
    if (!!built.objective !== init.hasObjective) {
      throw new Error(`workerSetup ${init.setup.module}#${init.setup.export}: ${built.objective ? "returns an objective but the trainer has none" : "returns no objective but the trainer has one"} (the workers must compute the trainer's objective)`);
    }
    if (built.loss.name !== init.lossName) {
      throw new Error(`workerSetup ${init.setup.module}#${init.setup.export}: loss '${built.loss.name}', the trainer's is '${init.lossName}'`);
    }
    worker = new GradientWorker(init, built);
    post({ type: "ready", params: tensorSpecs(parametersOf(built.model)), buffers: tensorSpecs(buffersOf(built.model)) });
  } catch (e) {
    fail(e);
    return;
  }
  // Steps and evaluated batches run one at a time (the main thread sends the next only after every worker answered).
  port.on("message", (msg: StepMessage | EvalMessage) => {
    (msg.type === "eval" ? worker.evaluate(msg) : worker.step(msg)).then((m) => m && post(m), fail);
  });
}

if (parentPort && (workerData as { rank?: unknown } | undefined)?.rank !== undefined) await main();
