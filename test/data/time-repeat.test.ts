// Direct encoding: [B, ...] → [T, B, ...] holds the input at every step, equal to the tile it replaces.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { repeatOverTime } from "../../src/lib/data/time-repeat.js";

describe("repeatOverTime", () => {
  it("gives [T, ...shape] with the input at every step (same values as tf.tile), leaving the input alive", () => {
    const x = tf.tensor4d(Float32Array.from({ length: 2 * 3 * 3 * 3 }, (_, i) => i * 0.5 - 3), [2, 3, 3, 3]);
    const r = repeatOverTime(x, 3);
    expect(r.shape).toEqual([3, 2, 3, 3, 3]);
    const tiled = tf.tile(tf.expandDims(x, 0), [3, 1, 1, 1, 1]);
    expect(Array.from(r.dataSync())).toEqual(Array.from(tiled.dataSync()));
    expect(x.isDisposed).toBe(false);
    [x, r, tiled].forEach((t) => t.dispose());
  });
  it("refuses a non-positive or fractional T", () => {
    const x = tf.zeros([1, 2]);
    expect(() => repeatOverTime(x, 0)).toThrow(/T must be a positive integer, got 0/);
    expect(() => repeatOverTime(x, 1.5)).toThrow(/got 1\.5/);
    x.dispose();
  });
});
