// papers §2.4 RandomCrop(size, padding=4).
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import { centerCrop, cropWithPadding, RandomCrop } from "../../../src/lib/data/transforms/crop.js";
import { Rng } from "../../../src/lib/util/random.js";

function ramp(T: number, C: number, H: number, W: number): Frames {
  return { data: Float32Array.from({ length: T * C * H * W }, (_, i) => i), shape: [T, C, H, W] };
}

describe("crop", () => {
  it("crop with padding: corner (0, 0) shifts the content by the padding, zeros outside", () => {
    const f: Frames = { data: Float32Array.from({ length: 9 }, (_, i) => i + 1), shape: [1, 1, 3, 3] };
    const g = cropWithPadding(f, 0, 0, 3, 3, 1);
    expect([...g.data]).toEqual([0, 0, 0, 0, 1, 2, 0, 4, 5]);
    const h = cropWithPadding(f, 2, 2, 3, 3, 1);
    expect([...h.data]).toEqual([5, 6, 0, 8, 9, 0, 0, 0, 0]);
    expect(centerCrop(f, 1).data[0]).toBe(5);
    expect(() => cropWithPadding(f, 3, 0, 3, 3, 1)).toThrow(/outside the padded input/);
  });
  it("RandomCrop keeps shape and draws all corners over many samples", () => {
    const f = ramp(1, 1, 4, 4);
    const rc = new RandomCrop(4, 4, 1);
    const rng = new Rng(3);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const g = rc.apply(f, rng);
      expect(g.shape).toEqual([1, 1, 4, 4]);
      seen.add(g.data[5]!); // value at (1,1) identifies the offset
    }
    expect(seen.size).toBe(9);
  });
});
