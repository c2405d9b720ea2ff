// Table 8 DVS-Lip augmentations: spatial/temporal masks and zoom, pure functions and seeded draws.
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import { RandomSpatialMask, RandomTemporalMask, RandomZoom, spatialMask, temporalMask, zoom } from "../../../src/lib/data/transforms/masking.js";
import { Rng } from "../../../src/lib/util/random.js";

const ramp = (T: number, C: number, H: number, W: number): Frames => ({ data: Float32Array.from({ length: T * C * H * W }, (_, i) => i + 1), shape: [T, C, H, W] });
const at = (f: Frames, t: number, c: number, y: number, x: number) => f.data[((t * f.shape[1] + c) * f.shape[2] + y) * f.shape[3] + x]!;

describe("spatialMask / temporalMask", () => {
  it("zeroes exactly the (clipped) squares in every frame and channel", () => {
    const f = ramp(2, 2, 5, 6);
    const m = spatialMask(f, [{ top: 1, left: 2, size: 2 }, { top: 4, left: 5, size: 3 }]);
    let zeros = 0;
    for (let t = 0; t < 2; t++) for (let c = 0; c < 2; c++) for (let y = 0; y < 5; y++) for (let x = 0; x < 6; x++) {
      const inBox = (y >= 1 && y < 3 && x >= 2 && x < 4) || (y === 4 && x === 5);
      expect(at(m, t, c, y, x)).toBe(inBox ? 0 : at(f, t, c, y, x));
      if (inBox) zeros++;
    }
    expect(zeros).toBe(4 * 5);
    expect(f.data[0]).toBe(1); // input untouched
  });
  it("zeroes whole frames of each run, clipped to T", () => {
    const f = ramp(6, 1, 2, 2);
    const m = temporalMask(f, [{ start: 1, length: 2 }, { start: 5, length: 4 }]);
    const frameZero = (t: number) => [0, 1, 2, 3].every((i) => m.data[t * 4 + i] === 0);
    expect([0, 1, 2, 3, 4, 5].map(frameZero)).toEqual([false, true, true, false, false, true]);
  });
});

describe("zoom", () => {
  it("δ = 0 is the identity; zoom in keeps a constant image constant; zoom out pads zeros around the centre", () => {
    const f = ramp(1, 1, 8, 8);
    expect(Array.from(zoom(f, 0).data)).toEqual(Array.from(f.data));
    const ones: Frames = { data: new Float32Array(64).fill(1), shape: [1, 1, 8, 8] };
    expect(Array.from(zoom(ones, 4).data).every((v) => Math.abs(v - 1) < 1e-6)).toBe(true);
    const out = zoom(ones, -4); // a 4×4 image in the middle of an 8×8 frame
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
      const inside = y >= 2 && y < 6 && x >= 2 && x < 6;
      expect(at(out, 0, 0, y, x)).toBeCloseTo(inside ? 1 : 0, 6);
    }
    expect(zoom(ones, -3).shape).toEqual([1, 1, 8, 8]);
    expect(() => zoom(ones, -8)).toThrow(/delta -8 leaves no image/);
  });
});

describe("random masks and zoom", () => {
  it("are reproducible from the seed, keep the shape and respect the maxima", () => {
    const f: Frames = { data: new Float32Array(10 * 2 * 30 * 30).fill(1), shape: [10, 2, 30, 30] };
    for (const tr of [new RandomSpatialMask(4, 20), new RandomTemporalMask(6, 3), new RandomZoom(1, 5)]) {
      const a = tr.apply(f, new Rng(7)), b = tr.apply(f, new Rng(7));
      expect(a.shape).toEqual(f.shape);
      expect(Array.from(a.data)).toEqual(Array.from(b.data));
    }
    const s = new RandomSpatialMask(1, 3).apply(f, new Rng(3));
    const zeros = s.data.reduce((n, v) => n + (v === 0 ? 1 : 0), 0);
    expect(zeros % 20).toBe(0); // one square, the same in all 20 planes
    expect(zeros / 20).toBeGreaterThanOrEqual(1);
    expect(zeros / 20).toBeLessThanOrEqual(9);
    const t = new RandomTemporalMask(1, 3).apply(f, new Rng(5));
    const zf = Array.from({ length: 10 }, (_, i) => t.data[i * 1800] === 0).filter(Boolean).length;
    expect(zf).toBeGreaterThanOrEqual(1);
    expect(zf).toBeLessThanOrEqual(3);
    expect(new RandomZoom(0, 26).apply(f, new Rng(1))).toBe(f);
    expect(() => new RandomSpatialMask(-1, 3)).toThrow(/count must be a non-negative integer/);
  });
});
