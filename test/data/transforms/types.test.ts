// Compose.
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import { centerCrop, cropWithPadding, RandomCrop } from "../../../src/lib/data/transforms/crop.js";
import { hflip, RandomHorizontalFlip } from "../../../src/lib/data/transforms/flip.js";
import { Compose } from "../../../src/lib/data/transforms/types.js";
import { Rng } from "../../../src/lib/util/random.js";

function ramp(T: number, C: number, H: number, W: number): Frames {
  return { data: Float32Array.from({ length: T * C * H * W }, (_, i) => i), shape: [T, C, H, W] };
}

describe("types", () => {
  it("Compose applies in order", () => {
    const f = ramp(1, 1, 2, 2);
    const c = new Compose([{ apply: hflip }, { apply: (g: Frames) => cropWithPadding(g, 0, 0, 1, 2, 0) }]);
    expect([...c.apply(f, new Rng(0)).data]).toEqual([1, 0]);
  });
});
