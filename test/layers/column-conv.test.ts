// ColumnConv against the direct 1-D sum along the column axis, odd and even kernels ("same" zero padding).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { ColumnConv } from "../../src/lib/layers/column-conv.js";

describe("ColumnConv", () => {
  it.each([3, 4])("equals Σ_j Σ_c w[j, c, o] · x[h + j − ⌊(k − 1)/2⌋, c] + bias[o] (k = %i)", (k) => {
    const [T, B, H, C, O] = [3, 2, 7, 2, 3];
    const conv = new ColumnConv(C, O, k, 5);
    const x = tf.randomUniform([T, B, H, 1, C], -1, 1, "float32", 11);
    const y = conv.forward(x);
    expect(y.shape).toEqual([T, B, H, 1, O]);
    const xs = x.arraySync() as number[][][][][], ys = y.arraySync() as number[][][][][];
    const w = conv.weight.arraySync() as number[][][][], bias = conv.bias.arraySync() as number[];
    const before = Math.floor((k - 1) / 2);
    let maxErr = 0;
    for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) for (let o = 0; o < O; o++) {
      let s = bias[o]!;
      for (let j = 0; j < k; j++) for (let c = 0; c < C; c++) {
        const hh = h + j - before;
        if (hh >= 0 && hh < H) s += w[j]![0]![c]![o]! * xs[t]![b]![hh]![0]![c]!;
      }
      maxErr = Math.max(maxErr, Math.abs(s - ys[t]![b]![h]![0]![o]!));
    }
    expect(maxErr).toBeLessThan(1e-5);
  });

  it("draws weight and bias from U(±1/√(cin·k)) and names both as parameters", () => {
    const conv = new ColumnConv(16, 32, 3, 1);
    const bound = 1 / Math.sqrt(16 * 3);
    const w = conv.weight.dataSync();
    expect(Math.max(...w)).toBeLessThanOrEqual(bound);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(-bound);
    expect(Math.max(...w)).toBeGreaterThan(0.9 * bound); // uses the whole range, not a narrower one
    expect(conv.parameters().map((p) => [p.name, p.group])).toEqual([["weight", "weight"], ["bias", "bias"]]);
  });
});
