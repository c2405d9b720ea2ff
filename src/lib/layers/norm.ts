/**
 * Batch normalisation over time-first input, channels last, with PyTorch semantics:
 * training uses the batch statistics over every axis but the channel (T·B·H·W for `[T, B, H, W, C]`,
 * i.e. BN shared over time as `SeqToANNContainer(BatchNorm2d)`), and updates running estimates
 * r ← (1 − m)·r + m·batch with momentum m = 0.1 and the unbiased variance; evaluation uses the
 * running estimates. y = γ·(x − μ)/√(σ² + ε) + β, ε = 1e-5.
 *
 * TEBN (temporal effective BN, used by the IMP 48×48 VGG): the same BN shared over T·B, whose output
 * at step t is multiplied by a learnable scalar te_t (init 1, no weight decay).
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedBuffer, NamedParameter } from "./module.js";

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
    const axes = [...Array(x.rank - 1).keys()];
    if (!this.training) {
      return tf.tidy(() => tf.batchNorm(x, this.runningMean, this.runningVar, this.beta, this.gamma, this.eps));
    }
    const { mean, variance } = tf.moments(x, axes);
    const n = x.size / C;
    // Running estimates use the unbiased variance (PyTorch); outside the gradient tape.
    tf.tidy(() => {
      const m = tf.tensor(mean.dataSync(), [C]), v = tf.tensor(variance.dataSync(), [C]);
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - this.momentum), tf.mul(m, this.momentum)));
      this.runningVar.assign(tf.add(tf.mul(this.runningVar, 1 - this.momentum), tf.mul(v, this.momentum * (n / Math.max(1, n - 1)))));
    });
    // TF.js's batchNorm gradient only handles rank <= 4 (its tile of the scale breaks on rank 5), so
    // higher-rank inputs such as [T, B, H, W, C] are normalised as [T·B·H·W, C] and reshaped back.
    const y = x.rank > 4
      ? tf.tidy(() => tf.reshape(tf.batchNorm(tf.reshape(x, [-1, C]), mean, variance, this.beta, this.gamma, this.eps), x.shape))
      : tf.batchNorm(x, mean, variance, this.beta, this.gamma, this.eps);
    mean.dispose();
    variance.dispose();
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
