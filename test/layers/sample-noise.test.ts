import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { withBatchShard } from "../../src/lib/layers/batch-shard.js";
import { sampleUniform, sampleUniformValues } from "../../src/lib/layers/sample-noise.js";

const T = 3, B = 7, R = 5;

describe("sampleUniform — per-sample draws", () => {
  it("a sample draws the same whether the batch is whole or split at any point (offset = its first sample)", async () => {
    const whole = await sampleUniform([T, B, R], 1, 1234).array() as number[][][];
    for (const cut of [1, 3, 6]) {
      const a = await withBatchShard({ offset: 0 }, () => sampleUniform([T, cut, R], 1, 1234)).array() as number[][][];
      const b = await withBatchShard({ offset: cut }, () => sampleUniform([T, B - cut, R], 1, 1234)).array() as number[][][];
      expect(a.map((row, t) => [...row, ...b[t]!])).toEqual(whole);
    }
  });

  it("the batch axis may be the first one (dropout masks [B, ...])", () => {
    const whole = sampleUniformValues(9, 0, B, 1, R);
    const tail = sampleUniformValues(9, 4, B - 4, 1, R);
    expect(Array.from(whole.subarray(4 * R))).toEqual(Array.from(tail));
  });

  it("values are float32 in [0, 1) with mean ≈ ½, and differ between seeds and between samples", () => {
    const v = sampleUniformValues(77, 0, 200, 4, 250); // 200 000 draws
    let sum = 0, min = 1, max = 0;
    for (const x of v) { sum += x; min = Math.min(min, x); max = Math.max(max, x); }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / v.length - 0.5)).toBeLessThan(0.005); // σ of the mean ≈ 0.00065
    const other = sampleUniformValues(78, 0, 200, 4, 250);
    expect(v.filter((x, i) => x === other[i]).length).toBeLessThan(100);
    const s0 = v.subarray(0, 250), s1 = v.subarray(250, 500); // samples 0 and 1 at t = 0
    expect(Array.from(s0)).not.toEqual(Array.from(s1));
  });

  it("seeds beyond 2³² differ, and the stream separates draws under one seed even past 2⁵³", () => {
    const big = 4_000_000_000;
    expect(Array.from(sampleUniformValues(big, 0, 1, 1, 8))).not.toEqual(Array.from(sampleUniformValues(big + 1, 0, 1, 1, 8)));
    const huge = 1.2e17; // a nested module seed (seed·31 + i per level) times a per-call factor: huge + 1 === huge
    expect(huge + 1).toBe(huge);
    expect(Array.from(sampleUniformValues(huge, 0, 1, 1, 8, 0))).not.toEqual(Array.from(sampleUniformValues(huge, 0, 1, 1, 8, 1)));
    expect(() => sampleUniformValues(1, 0, 1, 1, 1, -1)).toThrow(/stream must be an integer in \[0, 2³²\), got -1/);
  });

  it("refuses an axis outside the shape", () => {
    expect(() => sampleUniform([2, 3], 2, 0)).toThrow(/batchAxis 2 is not an axis of shape \[2,3\]/);
  });

  it("withBatchShard restores the previous shard, also when the body throws", () => {
    expect(() => withBatchShard({ offset: 5 }, () => { throw new Error("x"); })).toThrow("x");
    const t = sampleUniform([1, 2, 1], 1, 3);
    expect(Array.from(t.dataSync())).toEqual(Array.from(sampleUniformValues(3, 0, 2, 1, 1)));
    tf.dispose(t);
  });
});
