// papers §1.4 Resize (bilinear, antialias).
import { describe, expect, it } from "vitest";
import type { Frames } from "../../../src/lib/data/frames.js";
import { resizeBilinear } from "../../../src/lib/data/transforms/resize.js";

describe("resize", () => {
  it("resize of a constant image stays constant (bilinear and antialias, up and down)", () => {
    const f: Frames = { data: new Float32Array(2 * 2 * 30 * 40).fill(3.5), shape: [2, 2, 30, 40] };
    for (const [h, w] of [[12, 17], [64, 50], [30, 40]] as const) {
      for (const antialias of [false, true]) {
        const g = resizeBilinear(f, h, w, { antialias });
        expect(g.shape).toEqual([2, 2, h, w]);
        for (const v of g.data) expect(v).toBeCloseTo(3.5, 5);
      }
    }
  });
  it("bilinear (align_corners = false) matches hand values; antialias averages what bilinear skips", () => {
    const f: Frames = { data: Float32Array.from([0, 10, 20, 30]), shape: [1, 1, 1, 4] };
    expect([...resizeBilinear(f, 1, 2).data]).toEqual([5, 25]); // s = 0.5, 2.5
    const up = resizeBilinear(f, 1, 8).data; // s = max(0, (i+0.5)/2 − 0.5)
    expect(up[0]).toBe(0); expect(up[1]).toBeCloseTo(2.5); expect(up[7]).toBe(30);
    // a single hot pixel at column 0 vanishes in a plain 4× bilinear downscale but not with antialias
    const hot: Frames = { data: Float32Array.from([8, 0, 0, 0, 0, 0, 0, 0]), shape: [1, 1, 1, 8] };
    expect(resizeBilinear(hot, 1, 2).data[0]).toBe(0);
    const aa = resizeBilinear(hot, 1, 2, { antialias: true }).data;
    expect(aa[0]).toBeGreaterThan(0);
    expect(aa[1]).toBe(0);
  });
});
