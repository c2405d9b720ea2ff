/**
 * Batch normalisation over time-first input, channels last, with PyTorch semantics:
 * training uses the batch statistics over every axis but the channel (T·B·H·W for `[T, B, H, W, C]`,
 * i.e. BN shared over time as `SeqToANNContainer(BatchNorm2d)`), and updates running estimates
 * r ← (1 − m)·r + m·batch with momentum m = 0.1 and the unbiased variance; evaluation uses the
 * running estimates. y = γ·(x − μ)/√(σ² + ε) + β, ε = 1e-5.
 *
 * When the batch is split over workers (`BatchShard.allReduce`), the statistics are the whole batch's
 * (`sync-norm.ts`), so the split does not change the result.
 *
 * TEBN (temporal effective BN, used by the IMP 48×48 VGG): the same BN shared over T·B, whose output
 * at step t is multiplied by a learnable scalar te_t (init 1, no weight decay).
 */
import { detach } from "../backend/detach.js";
import { tf } from "../backend/tf.js";
import { currentBatchShard } from "./batch-shard.js";
import type { Module, NamedBuffer, NamedParameter } from "./module.js";
import { batchNormTrain } from "./batch-norm-train.js";
import { columnSums } from "./column-sums.js";
import { syncBatchNormForward } from "./sync-norm.js";

let uid = 0;

export class BatchNorm implements Module {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  readonly runningMean: tf.Variable;
  readonly runningVar: tf.Variable;
  protected training = true;

  constructor(readonly channels: number, readonly momentum = 0.1, readonly eps = 1e-5) {
    const id = uid++;
    this.gamma = tf.variable(tf.ones([channels]), true, `bn${id}.weight`);
    this.beta = tf.variable(tf.zeros([channels]), true, `bn${id}.bias`);
    this.runningMean = tf.variable(tf.zeros([channels]), false, `bn${id}.running_mean`);
    this.runningVar = tf.variable(tf.ones([channels]), false, `bn${id}.running_var`);
  }

  forward(x: tf.Tensor): tf.Tensor {
    const C = x.shape[x.rank - 1];
    if (C !== this.channels) throw new Error(`BatchNorm(${this.channels}): input has ${C} channels in its last axis (shape [${x.shape}])`);
    if (!this.training) {
      return tf.tidy(() => tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, this.eps));
    }
    // The group's batch is split over workers: statistics and gradient sums all-reduced over them (SyncBN).
    const { allReduce } = currentBatchShard();
    if (allReduce) return syncBatchNormForward(this, x, allReduce);
    // Statistics and gradient on the [N, C] view (N = T·B·H·W); every sum over N is `columnSums`: on wasm a
    // reduction over the leading axes of a rank-5 tensor is ~100× slower (it dominated the training step of conv SNNs).
    const n = x.size / C;
    const x2 = tf.reshape(x, [n, C]) as tf.Tensor2D;
    const [mean, variance] = tf.tidy(() => {
      const mu = tf.div(columnSums(x2), n);
      return [mu, tf.div(columnSums(tf.square(tf.sub(x2, mu)) as tf.Tensor2D), n)]; // biased σ², [1, C]
    });
    // Running estimates use the unbiased variance (PyTorch); off the gradient tape (`detach`: the
    // statistics stay on the device, no read-back — a synchronous read throws on webgpu in Node).
    tf.tidy(() => {
      const m = tf.reshape(detach(mean!), [C]), v = tf.reshape(detach(variance!), [C]);
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - this.momentum), tf.mul(m, this.momentum)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - this.momentum), tf.mul(v, this.momentum * (n / Math.max(1, n - 1)))));
    });
    const y2 = batchNormTrain(x2, mean!, variance!, this.gamma, this.beta, this.eps);
    const y = tf.reshape(y2, x.shape);
    tf.dispose([x2, mean!, variance!, y2]);
    return y;
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.gamma, group: "norm" }, { name: "bias", variable: this.beta, group: "norm" }];
  }

  buffers(): NamedBuffer[] {
    return [{ name: "running_mean", variable: this.runningMean }, { name: "running_var", variable: this.runningVar }];
  }

  train(mode: boolean): void {
    this.training = mode;
  }
}

/** TEBN: BN shared over T·B, then a learnable per-step scale te ∈ R^T (init 1). */
export class TEBN extends BatchNorm {
  readonly te: tf.Variable;

  constructor(channels: number, readonly T: number, momentum = 0.1, eps = 1e-5) {
    super(channels, momentum, eps);
    this.te = tf.variable(tf.ones([T]), true, `tebn${uid++}.te`);
  }

  override forward(x: tf.Tensor): tf.Tensor {
    if (x.shape[0] !== this.T) throw new Error(`TEBN: input has T = ${x.shape[0]}, built for T = ${this.T}`);
    const y = super.forward(x);
    return tf.tidy(() => tf.mul(y, tf.reshape(this.te, [this.T, ...Array(x.rank - 1).fill(1)])));
  }

  override parameters(): NamedParameter[] {
    return [...super.parameters(), { name: "te", variable: this.te, group: "tebn" }];
  }
}
