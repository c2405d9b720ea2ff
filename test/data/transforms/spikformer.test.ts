// papers §3.4 SpikFormerDVS.
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import { applySpikformerOp, SpikformerDVSAugment } from "../../../src/lib/data/transforms/spikformer.js";
import { Rng } from "../../../src/lib/util/random.js";

function ramp(T: number, C: number, H: number, W: number): Frames {
  return { data: Float32Array.from({ length: T * C * H * W }, (_, i) => i), shape: [T, C, H, W] };
}

describe("spikformer", () => {
  it("spikformer ops: identity, translate moves content, cutout zeros a square; draws are seeded", () => {
    const f: Frames = { data: new Float32Array(1 * 1 * 5 * 5), shape: [1, 1, 5, 5] };
    f.data[2 * 5 + 2] = 1;
    expect(applySpikformerOp(f, "identity", 0)).toBe(f);
    expect(applySpikformerOp(f, "translateX", 2).data[2 * 5 + 4]).toBe(1);
    expect(applySpikformerOp(f, "translateY", -1).data[1 * 5 + 2]).toBe(1);
    expect(applySpikformerOp(f, "rotate", 90).data[2 * 5 + 2]).toBe(1); // centre is a fixed point
    const ones: Frames = { data: new Float32Array(25).fill(1), shape: [1, 1, 5, 5] };
    const cut = applySpikformerOp(ones, "cutout", 2);
    expect(cut.data.reduce((a, b) => a + b, 0)).toBe(21);
    const aug = new SpikformerDVSAugment();
    const a = [0, 1, 2, 3, 4].map(() => aug.sample(new Rng(42)));
    expect(new Set(a.map((s) => JSON.stringify(s))).size).toBe(1);
    const ops = new Set(Array.from({ length: 200 }, (_, i) => aug.sample(new Rng(i)).op));
    expect(ops.size).toBe(7);
    const g = aug.apply(ramp(2, 2, 8, 8), new Rng(5));
    expect(g.shape).toEqual([2, 2, 8, 8]);
  });
});
