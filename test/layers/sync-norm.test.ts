import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { withBatchShard } from "../../src/lib/layers/batch-shard.js";
import { BatchNorm } from "../../src/lib/layers/norm.js";

/** Forward, ∂/∂(x, γ, β) of Σ w ⊙ BN(x), and the running stats after, for a BN forced through a given shard. */
function run(allReduce: ((v: Float64Array) => Float64Array) | undefined) {
  const bn = new BatchNorm(3);
  tf.tidy(() => { bn.gamma.assign(tf.tensor1d([1.5, 0.5, -1])); bn.beta.assign(tf.tensor1d([0.1, 0, -0.2])); });
  const x = tf.tensor(Float32Array.from({ length: 2 * 4 * 3 }, (_, i) => Math.sin(i * 1.7) * 2 + (i % 3)), [2, 4, 3]);
  const w = tf.tensor(Float32Array.from({ length: 2 * 4 * 3 }, (_, i) => Math.cos(i * 0.9)), [2, 4, 3]);
  const f = (xs: tf.Tensor) => withBatchShard({ offset: 0, allReduce }, () => tf.sum(tf.mul(bn.forward(xs), w)) as tf.Scalar);
  const { value, grads } = tf.variableGrads(() => f(x), [bn.gamma, bn.beta]);
  const dx = tf.grad(f)(x);
  return {
    y: value.dataSync()[0]!,
    dx: Array.from(dx.dataSync()),
    dGamma: Array.from(grads[bn.gamma.name]!.dataSync()),
    dBeta: Array.from(grads[bn.beta.name]!.dataSync()),
    mean: Array.from(bn.runningMean.dataSync()),
    variance: Array.from(bn.runningVar.dataSync()),
  };
}

const close = (a: number[], b: number[], tol: number) => a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThan(tol));

describe("SyncBN with one part", () => {
  it("equals plain BatchNorm (forward, gradients of x, γ, β, running statistics) to float32 rounding", () => {
    let reduces = 0;
    const plain = run(undefined);
    const synced = run((v) => { reduces++; return Float64Array.from(v); });
    expect(reduces).toBeGreaterThanOrEqual(6); // 2 forward all-reduces per BN call (2 calls: value+grads, grad of x) + 1 backward each
    expect(Math.abs(synced.y - plain.y)).toBeLessThan(1e-5);
    close(synced.dx, plain.dx, 1e-5);
    close(synced.dGamma, plain.dGamma, 1e-5);
    close(synced.dBeta, plain.dBeta, 1e-5);
    close(synced.mean, plain.mean, 1e-6);
    close(synced.variance, plain.variance, 1e-6);
  });
});
