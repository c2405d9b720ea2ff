/**
 * Synchronised batch normalisation (SyncBN): the training-mode BN of a normalisation group whose samples
 * are split over several parts (workers), each part holding x_p ∈ R^{N_p×C}, N = Σ_p N_p.
 *
 * Forward, with Σ the all-reduce over parts (`BatchShard.allReduce`, fixed order, float64):
 *   μ = Σ_p 1ᵀx_p / N,   σ² = Σ_p 1ᵀ(x_p − μ)² / N   (two passes, as the single-part BN computes them),
 *   x̂ = (x − μ)·r, r = (σ² + ε)^(−½), y = γ·x̂ + β;
 * running estimates r ← (1 − m)·r + m·(μ, σ²·N/(N − 1)) — identical in every part.
 * Backward, dy the gradient of the *total* loss at this part's outputs:
 *   Dβ = Σ_p 1ᵀdy_p,  Dγ = Σ_p 1ᵀ(dy_p ⊙ x̂_p),  ∂x_p = (γ·r/N)·(N·dy_p − Dβ − x̂_p ⊙ Dγ),
 * while the parameter gradients returned are this part's own 1ᵀdy_p and 1ᵀ(dy_p ⊙ x̂_p): the trainer sums
 * parameter gradients over parts. The backward all-reduce runs inside the custom gradient, synchronously,
 * so every part must run the same graph (same layers in the same order) — which data-parallel copies do.
 */
import { tf } from "../backend/tf.js";
import { batchNormTrain, type BatchNormGroup } from "./batch-norm-train.js";
import { columnSums } from "./column-sums.js";
import type { BatchNorm } from "./norm.js";

type AllReduce = (values: Float64Array) => Float64Array;

/** 1ᵀ·m read back in float64 for the all-reduce (workers run on wasm/cpu, where a synchronous read is allowed). */
function localColumnSums(m: tf.Tensor2D): Float64Array {
  const s = columnSums(m);
  const v = Float64Array.from(s.dataSync());
  s.dispose();
  return v;
}

/** Training-mode forward of `bn` on x [..., C] with the statistics of every part of the group. */
export function syncBatchNormForward(bn: BatchNorm, x: tf.Tensor, allReduce: AllReduce): tf.Tensor {
  const C = bn.channels;
  const n = x.size / C;
  const x2 = tf.reshape(x, [n, C]) as tf.Tensor2D;
  const local1 = new Float64Array(C + 1);
  local1.set(localColumnSums(x2));
  local1[C] = n;
  const total1 = allReduce(local1);
  const N = total1[C]!;
  const mean = tf.tensor(Float32Array.from(total1.subarray(0, C), (s) => s / N), [1, C], "float32");
  const sq = tf.tidy(() => tf.square(tf.sub(x2, mean))) as tf.Tensor2D;
  const total2 = allReduce(localColumnSums(sq));
  sq.dispose();
  const variance = tf.tensor(Float32Array.from(total2, (s) => s / N), [1, C], "float32");
  tf.tidy(() => {
    const m = tf.reshape(mean, [C]), v = tf.reshape(variance, [C]);
    bn.runningMean.assign(tf.add(tf.mul(bn.runningMean, 1 - bn.momentum), tf.mul(m, bn.momentum)));
    bn.runningVar.assign(tf.add(tf.mul(bn.runningVar, 1 - bn.momentum), tf.mul(v, bn.momentum * (N / Math.max(1, N - 1)))));
  });
  const y2 = batchNormTrain(x2, mean, variance, bn.gamma, bn.beta, bn.eps, syncGroup(N, C, allReduce));
  const y = tf.reshape(y2, x.shape);
  tf.dispose([x2, mean, variance, y2]);
  return y;
}

/** The group of a split batch: its sample count and the backward all-reduce of the column sums. */
function syncGroup(N: number, C: number, allReduce: AllReduce): BatchNormGroup {
  return {
    count: N,
    sumOverGroup(dBeta, dGamma) {
      const local = new Float64Array(2 * C);
      local.set(dBeta.dataSync());
      local.set(dGamma.dataSync(), C);
      const total = allReduce(local);
      return [tf.tensor(Float32Array.from(total.subarray(0, C)), [1, C], "float32"), tf.tensor(Float32Array.from(total.subarray(C)), [1, C], "float32")];
    },
  };
}
