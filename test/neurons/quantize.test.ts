// Power-of-two quantiser (papers.md §4.1 Eqs. 13-16; §5c worked values).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { pow2Exponents, quantizeGradScalar, quantizePow2, quantizePow2Scalar } from "../../src/lib/neurons/quantize.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe("quantizePow2 values (§5c)", () => {
  it("Q(0.3) = 0.25, Q(−0.75) = −1, Q(1.5) = 2, Q(0) = 0, exact powers unchanged", () => {
    const w = tf.tensor1d([0.3, -0.75, 1.5, 0, 0.125, -4, 3, 0.36]);
    expect(arr(quantizePow2(w))).toEqual([0.25, -1, 2, 0, 0.125, -4, 4, 0.5]);
    expect([0.3, -0.75, 1.5, 0, 0.125, -4, 3, 0.36].map(quantizePow2Scalar)).toEqual([0.25, -1, 2, 0, 0.125, -4, 4, 0.5]);
  });
  it("tensor and scalar quantisers agree on 2000 random weights (away from the 2^{n+1/2} jumps)", () => {
    const w = tf.randomUniform([2000], -3, 3, "float32", 5);
    const q = arr(quantizePow2(w));
    const ws = arr(w);
    let compared = 0;
    ws.forEach((v, i) => {
      const frac = Math.log2(Math.abs(v)) % 1;
      if (Math.abs(Math.abs(frac) - 0.5) < 1e-5) return; // float32 log may round either way right at the jump
      expect(q[i]).toBe(quantizePow2Scalar(v));
      compared++;
    });
    expect(compared).toBeGreaterThan(1990);
  });
  it("rejects non-float tensors and unknown gradient modes", () => {
    expect(() => quantizePow2(tf.tensor1d([1], "int32"))).toThrow(/float32/);
    expect(() => quantizePow2(tf.tensor1d([1]), "bogus" as "ste")).toThrow(/"ste" \(Eq. 16\) or "eq15"/);
  });
});

describe("quantizePow2 gradients", () => {
  const ws = [0.3, 0.35, 0.36, -0.3, 1.5, -0.75];
  it("Eq. 16 (ste, default): dQ/dW = 1 everywhere", () => {
    const g = tf.grad((w: tf.Tensor) => tf.sum(quantizePow2(w)))(tf.tensor1d(ws));
    expect(arr(g)).toEqual(ws.map(() => 1));
  });
  it("Eq. 15: dQ/dW = 2^{round(log2|W|)}/|W| — §5c values 0.833, 0.714, 1.389 (past the jump at 2^−1.5)", () => {
    const up = tf.tensor1d(ws.map((_, i) => i + 1));
    const g = arr(tf.grad((w: tf.Tensor) => tf.sum(tf.mul(quantizePow2(w, "eq15"), up)))(tf.tensor1d(ws)));
    const expected = [0.25 / 0.3, 0.25 / 0.35, 0.5 / 0.36, 0.25 / 0.3, 2 / 1.5, 1 / 0.75].map((e, i) => e * (i + 1));
    g.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(quantizeGradScalar(0.3, "eq15")).toBeCloseTo(0.833, 3);
    expect(quantizeGradScalar(0.35, "eq15")).toBeCloseTo(0.714, 3);
    expect(quantizeGradScalar(0.36, "eq15")).toBeCloseTo(1.389, 3);
    expect(quantizeGradScalar(0.36, "ste")).toBe(1);
  });
  it("Eq. 15 is |Q(W)|/|W| and oscillates around 1 between the jumps (Fig. 3b)", () => {
    for (const w of [0.2, 0.6, 0.9, 1.7, 2.9, -1.7]) expect(quantizeGradScalar(w, "eq15")).toBeCloseTo(Math.abs(quantizePow2Scalar(w) / w), 12);
    // Just below / above the jump at 2^{0.5}: 1/|W| → 2/|W|, both within [1/√2, √2].
    const below = quantizeGradScalar(Math.SQRT2 - 1e-6, "eq15"), above = quantizeGradScalar(Math.SQRT2 + 1e-6, "eq15");
    expect(below).toBeCloseTo(1 / Math.SQRT2, 5);
    expect(above).toBeCloseTo(Math.SQRT2, 5);
  });
});

describe("pow2Exponents", () => {
  it("returns signs and integer exponents of quantised weights, and refuses other values", () => {
    const c = pow2Exponents([0.25, -1, 2, 0, -0.125]);
    expect(Array.from(c.signs)).toEqual([1, -1, 1, 0, -1]);
    expect(Array.from(c.exponents)).toEqual([-2, 0, 1, 0, -3]);
    expect(() => pow2Exponents([0.3])).toThrow(/weight 0 = 0.3 is not a power of two/);
  });
});
