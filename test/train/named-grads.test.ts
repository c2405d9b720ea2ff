import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import type { NamedParameter } from "../../src/lib/layers/module.js";
import { namedGrads } from "../../src/lib/train/named-grads.js";

describe("namedGrads", () => {
  it("keys ∇ by parameter name: d/dw Σ w² = 2w, d/db Σ 3b = 3", async () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const b = tf.variable(tf.tensor1d([0.5]));
    const params: NamedParameter[] = [{ name: "fc.weight", variable: w, group: "weight" }, { name: "fc.bias", variable: b, group: "bias" }];
    const { value, grads } = namedGrads(params, () => tf.add(tf.sum(tf.square(w)), tf.sum(tf.mul(b, 3))) as tf.Scalar);
    expect(Object.keys(grads).sort()).toEqual(["fc.bias", "fc.weight"]);
    expect(Array.from(await grads["fc.weight"]!.data())).toEqual([2, -4]);
    expect(Array.from(await grads["fc.bias"]!.data())).toEqual([3]);
    expect((await value.data())[0]).toBeCloseTo(1 + 4 + 1.5, 6);
    tf.dispose([value, ...Object.values(grads), w, b]);
  });
  it("refuses two parameters with one name", () => {
    const v = tf.variable(tf.scalar(1));
    const p: NamedParameter = { name: "x", variable: v, group: "weight" };
    expect(() => namedGrads([p, p], () => tf.mul(v, 1) as tf.Scalar)).toThrow(/duplicate parameter name 'x'/);
    v.dispose();
  });
});
