// papers §2.4 RandomHorizontalFlip.
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import { hflip, RandomHorizontalFlip } from "../../../src/lib/data/transforms/flip.js";
import { Rng } from "../../../src/lib/util/random.js";

function ramp(T: number, C: number, H: number, W: number): Frames {
  return { data: Float32Array.from({ length: T * C * H * W }, (_, i) => i), shape: [T, C, H, W] };
}

describe("flip", () => {
  it("hflip reverses W; flipping twice is the identity", () => {
    const f = ramp(2, 2, 3, 4);
    const g = hflip(f);
    expect([...g.data.subarray(0, 4)]).toEqual([3, 2, 1, 0]);
    expect(hflip(g).data).toEqual(f.data);
  });
  it("RandomHorizontalFlip follows its Rng (p = 0 never, p = 1 always)", () => {
    const f = ramp(1, 1, 2, 2);
    expect(new RandomHorizontalFlip(0).apply(f, new Rng(1)).data).toEqual(f.data);
    expect(new RandomHorizontalFlip(1).apply(f, new Rng(1)).data).toEqual(hflip(f).data);
  });
});
