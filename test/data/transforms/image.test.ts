// ImageNet transforms: RandomResizedCrop geometry (bounds, area/aspect ranges, seed determinism, fallback),
// Resize(shorter side) + CenterCrop on a hand-made image, normalisation.
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import {
  centerCropRounded, centralFallbackBox, evalResizeSide, normalizeImage, RandomResizedCrop, randomResizedCropBox, ResizeCenterCrop,
  resizeShorter, roundHalfEven, shorterSideSize,
} from "../../../src/lib/data/transforms/image.js";
import { Rng } from "../../../src/lib/util/random.js";

/** `[1, 3, H, W]` with value = 1000·c + 10·y + x (so a crop's position is readable from its pixels). */
function coords(H: number, W: number): Frames {
  const data = new Float32Array(3 * H * W);
  for (let c = 0; c < 3; c++) for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) data[(c * H + y) * W + x] = 1000 * c + 10 * y + x;
  return { data, shape: [1, 3, H, W] };
}

describe("RandomResizedCrop", () => {
  it("boxes lie inside the image, within the scale and ratio ranges (up to rounding)", () => {
    const rng = new Rng(5);
    for (let i = 0; i < 500; i++) {
      const H = 20 + rng.int(200), W = 20 + rng.int(200);
      const b = randomResizedCropBox(H, W, rng);
      expect(b.top >= 0 && b.left >= 0 && b.top + b.height <= H && b.left + b.width <= W).toBe(true);
      const full = b.height === H || b.width === W;
      if (!full) { // a sampled box (not the fallback): area ≈ s·H·W with s ∈ [0.08, 1], aspect ∈ [3/4, 4/3]
        expect(b.width * b.height).toBeGreaterThanOrEqual(0.08 * H * W * 0.8);
        expect(b.width / b.height).toBeGreaterThan(0.75 * 0.85);
        expect(b.width / b.height).toBeLessThan((4 / 3) * 1.15);
      }
    }
  });
  it("is deterministic for a seed and differs across seeds; output is size × size", () => {
    const img = coords(40, 60);
    const t = new RandomResizedCrop(16);
    const a = t.apply(img, new Rng(1)), b = t.apply(img, new Rng(1)), c = t.apply(img, new Rng(2));
    expect(a.shape).toEqual([1, 3, 16, 16]);
    expect(a.data).toEqual(b.data);
    expect(a.data).not.toEqual(c.data);
  });
  it("falls back to the central crop clamped to the ratio range when 10 attempts fail", () => {
    // scale (1, 1) on a 10 × 100 image: every attempt wants h = √(1000/r) > 10, so all fail.
    const b = randomResizedCropBox(10, 100, new Rng(3), { scale: [1, 1] });
    expect(b).toEqual(centralFallbackBox(10, 100, 3 / 4, 4 / 3));
    expect(b).toEqual({ top: 0, left: 43, height: 10, width: 13 }); // w = round(10·4/3) = 13, left = ⌊87/2⌋
    expect(centralFallbackBox(100, 10, 3 / 4, 4 / 3)).toEqual({ top: 43, left: 0, height: 13, width: 10 });
    expect(centralFallbackBox(30, 32, 3 / 4, 4 / 3)).toEqual({ top: 0, left: 0, height: 30, width: 32 });
  });
  it("rounds half to even like Python", () => {
    expect([0.5, 1.5, 2.5, 3.5, 2.4, 2.6].map(roundHalfEven)).toEqual([0, 2, 2, 4, 2, 3]);
  });
});

describe("eval resize + centre crop", () => {
  it("Resize(shorter side) truncates the longer side; 224 → 256 generalises as round(S·256/224)", () => {
    expect(shorterSideSize(375, 500, 256)).toEqual([256, 341]);
    expect(shorterSideSize(500, 333, 73)).toEqual([109, 73]);
    expect([evalResizeSide(224), evalResizeSide(64), evalResizeSide(32)]).toEqual([256, 73, 37]);
  });
  it("a 2× downscale of a linear ramp averages pixel pairs; the centre crop takes round((H−c)/2)", () => {
    const img = coords(8, 12);
    const r = resizeShorter(img, 4); // 8×12 → 4×6
    expect(r.shape).toEqual([1, 3, 4, 6]);
    // Antialiased 2× shrink of v = 10y + x: output (i, j) = mean of rows 2i, 2i+1 (weights ¼ ½ ¼ over 2i−½…2i+1½ →
    // for an interior linear ramp the centre 2i + ½) → 10·(2i + 0.5) + (2j + 0.5).
    expect(r.data[1 * 6 + 2]).toBeCloseTo(10 * 2.5 + 4.5, 4);
    const c = centerCropRounded(r, 3);
    // rows round(0.5) = 0, cols round(1.5) = 2
    expect(c.data[0]).toBeCloseTo(r.data[2]!, 6);
    expect(new ResizeCenterCrop(3, 4).apply(img).data).toEqual(c.data);
  });
  it("normalises with the ImageNet mean/std", () => {
    const f: Frames = { data: new Float32Array([255, 0, 127.5]), shape: [1, 3, 1, 1] };
    const n = normalizeImage(f);
    expect(n.data[0]).toBeCloseTo((1 - 0.485) / 0.229, 5);
    expect(n.data[1]).toBeCloseTo(-0.456 / 0.224, 5);
    expect(n.data[2]).toBeCloseTo((0.5 - 0.406) / 0.225, 5);
  });
});
