import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { withBatchShard } from "../../src/lib/layers/batch-shard.js";
import { Dropout } from "../../src/lib/layers/dropout.js";

const T = 3, B = 6, F = 40;
const ones = (b: number) => tf.ones([T, b, F]);

describe("Dropout — per-sample masks", () => {
  it("sample b keeps the same units whether the batch runs whole or in parts (each with its offset)", async () => {
    const whole = new Dropout(0.4, 0);
    whole.reseed(17);
    const w = await whole.forward(ones(B)).array() as number[][][];
    const split = new Dropout(0.4, 0);
    const parts: number[][][][] = [];
    for (const [lo, hi] of [[0, 2], [2, 5], [5, 6]] as const) {
      split.reseed(17); // each part is its own forward after a reseed, as in a worker
      parts.push(await withBatchShard({ offset: lo }, () => split.forward(ones(hi - lo))).array() as number[][][]);
      split.reset();
    }
    expect(parts.reduce((acc, p) => acc.map((row, t) => [...row, ...p[t]!]), Array.from({ length: T }, () => [] as number[][]))).toEqual(w);
    // One mask per sequence (every t the same), kept units scaled by 1/(1 − p), masks differ between samples.
    for (let t = 1; t < T; t++) expect(w[t]).toEqual(w[0]);
    expect(new Set(w[0]!.flat())).toEqual(new Set([0, Math.fround(1 / 0.6)]));
    expect(w[0]![0]).not.toEqual(w[0]![1]);
  });

  it("another step's seed draws other masks", async () => {
    const d = new Dropout(0.5, 0);
    d.reseed(1);
    const a = await d.forward(ones(2)).array();
    d.reset();
    d.reseed(2);
    expect(await d.forward(ones(2)).array()).not.toEqual(a);
  });
});
