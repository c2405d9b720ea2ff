import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { clipByGlobalNorm, globalNorm, guardNonFinite } from "../../src/lib/train/gradients.js";

describe("gradient guards", () => {
  it("zeroes NaN/inf entries (MPE-PSN rule) or asks to skip the step", () => {
    const g = { a: tf.tensor1d([1, NaN, 2]), b: tf.tensor1d([Infinity, 3]) };
    const z = guardNonFinite(g, "zero");
    expect(z.nonFinite).toBe(2);
    expect(Array.from(z.grads!.a!.dataSync())).toEqual([1, 0, 2]);
    expect(Array.from(z.grads!.b!.dataSync())).toEqual([0, 3]);
    expect(guardNonFinite(g, "skip").grads).toBeNull();
    expect(guardNonFinite({ a: tf.tensor1d([1]) }, "skip").grads).not.toBeNull();
  });
  it("clips by the global norm over all tensors", () => {
    const g = { a: tf.tensor1d([3]), b: tf.tensor1d([4]) };
    expect(globalNorm(g)).toBeCloseTo(5, 6);
    const c = clipByGlobalNorm(g, 1);
    expect(c.norm).toBeCloseTo(5, 6);
    expect(globalNorm(c.grads)).toBeCloseTo(1, 4);
    expect(clipByGlobalNorm(g, 10).grads).toBe(g);
  });
});
