import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { columnSumBlock, columnSums } from "../../src/lib/layers/column-sums.js";

describe("columnSums", () => {
  it("picks the largest block of 16, 8, 4, 2 dividing n, else 1", () => {
    expect([64, 24, 12, 6, 7].map(columnSumBlock)).toEqual([16, 8, 4, 2, 1]);
  });
  it("equals the float64 column sums for every block size, as [1, C]", async () => {
    for (const n of [48, 40, 20, 6, 7]) {
      const x = tf.randomNormal([n, 5], 0, 1, "float32", n) as tf.Tensor2D;
      const s = columnSums(x);
      expect(s.shape).toEqual([1, 5]);
      const xs = await x.data(), got = await s.data();
      for (let c = 0; c < 5; c++) {
        let want = 0;
        for (let i = 0; i < n; i++) want += xs[i * 5 + c]!;
        expect(got[c]).toBeCloseTo(want, 4);
      }
      tf.dispose([x, s]);
    }
  });
  it("is differentiable: ∂(w·1ᵀx)/∂x is w broadcast over the rows", async () => {
    const x = tf.randomNormal([32, 3], 0, 1, "float32", 1) as tf.Tensor2D, w = tf.tensor2d([[1, -2, 0.5]]);
    const g = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(columnSums(xs as tf.Tensor2D), w)))(x);
    const gv = await g.data();
    for (let i = 0; i < 32; i++) expect([gv[i * 3], gv[i * 3 + 1], gv[i * 3 + 2]]).toEqual([1, -2, 0.5]);
  });
});
