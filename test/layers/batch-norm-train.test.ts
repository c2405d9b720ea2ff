import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { batchNormTrain } from "../../src/lib/layers/batch-norm-train.js";

const stats = (x: tf.Tensor2D) => tf.moments(x, 0, true);

describe("batchNormTrain", () => {
  it("∂x of a part, with the group's column sums supplied, equals the whole batch's ∂x rows of that part", async () => {
    const C = 3, n = 6;
    const x = tf.randomNormal([n, C], 0, 1, "float32", 3) as tf.Tensor2D;
    const dyAll = tf.randomNormal([n, C], 0, 1, "float32", 4) as tf.Tensor2D;
    const gamma = tf.tensor1d([1.5, 0.5, -1]), beta = tf.tensor1d([0.1, 0, -0.2]);
    const { mean, variance } = stats(x);
    const whole = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(xs as tf.Tensor2D, mean, variance, gamma, beta, 1e-5), dyAll)))(x);
    // Part = rows 0..2; the group's sums are this part's plus the other rows' (computed from the whole batch).
    const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5)));
    const rest = [tf.sum(tf.slice(dyAll, [3, 0], [3, C]), 0, true), tf.sum(tf.slice(tf.mul(dyAll, xHat), [3, 0], [3, C]), 0, true)];
    const part = tf.slice(x, [0, 0], [3, C]) as tf.Tensor2D, dyPart = tf.slice(dyAll, [0, 0], [3, C]);
    const group = { count: n, sumOverGroup: (b: tf.Tensor, g: tf.Tensor): [tf.Tensor, tf.Tensor] => [tf.add(b, rest[0]!), tf.add(g, rest[1]!)] };
    const partGrad = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(xs as tf.Tensor2D, mean, variance, gamma, beta, 1e-5, group), dyPart)))(part);
    const want = await tf.slice(whole, [0, 0], [3, C]).data(), got = await partGrad.data();
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
  it("without a group, the part is the whole group (N = rows)", async () => {
    const x = tf.randomNormal([5, 2], 0, 1, "float32", 5) as tf.Tensor2D;
    const { mean, variance } = stats(x);
    const g = tf.grad((xs: tf.Tensor) => tf.sum(batchNormTrain(xs as tf.Tensor2D, mean, variance, tf.ones([2]), tf.zeros([2]), 1e-5)))(x);
    // Σ_rows y = N·β is constant in x, so its gradient vanishes.
    for (const v of await g.data()) expect(Math.abs(v)).toBeLessThan(1e-5);
  });
});
