import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { clipByGlobalNorm, globalNorm, guardNonFinite } from "../../src/lib/train/gradients.js";

describe("gradient guards", () => {
  it("zeroes NaN/inf entries (MPE-PSN rule) or asks to skip the step", async () => {
    const g = { a: tf.tensor1d([1, NaN, 2]), b: tf.tensor1d([Infinity, 3]) };
    const z = await guardNonFinite(g, "zero");
    expect(z.nonFinite).toBe(2);
    expect(Array.from(await z.grads!.a!.data())).toEqual([1, 0, 2]);
    expect(Array.from(await z.grads!.b!.data())).toEqual([0, 3]);
    expect((await guardNonFinite(g, "skip")).grads).toBeNull();
    expect((await guardNonFinite({ a: tf.tensor1d([1]) }, "skip")).grads).not.toBeNull();
    expect((await guardNonFinite(g, "off")).nonFinite).toBe(0);
  });
  it("passes finite gradients through untouched (the same tensors)", async () => {
    const g = { a: tf.tensor1d([1, 2]), b: tf.tensor2d([[3]]) };
    const r = await guardNonFinite(g, "zero");
    expect(r.nonFinite).toBe(0);
    expect(r.grads!.a).toBe(g.a);
    expect(r.grads!.b).toBe(g.b);
  });
  it("clips by the global norm over all tensors", async () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    expect(await globalNorm(g)).toBeCloseTo(5, 6);
    const c = await clipByGlobalNorm(g, 1);
    expect(c.norm).toBeCloseTo(5, 6);
    expect(await globalNorm(c.grads)).toBeCloseTo(1, 4);
    expect((await clipByGlobalNorm(g, 10)).grads).toBe(g);
  });
});
