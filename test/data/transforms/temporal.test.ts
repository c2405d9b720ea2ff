// polarity/time transforms.
import { describe, expect, it } from "vitest";
import { makeEvents } from "../../../src/lib/data/events.js";
import type { Frames } from "../../../src/lib/data/frames.js";
import { flipFrameChannels, flipPolarity, reverseFrames, timeReverse } from "../../../src/lib/data/transforms/temporal.js";

function ramp(T: number, C: number, H: number, W: number): Frames {
  return { data: Float32Array.from({ length: T * C * H * W }, (_, i) => i), shape: [T, C, H, W] };
}

describe("temporal", () => {
  it("polarity and time transforms", () => {
    const ev = makeEvents({ t: [10, 20, 40], x: [1, 2, 3], y: [0, 0, 0], p: [1, 0, 1] });
    expect([...flipPolarity(ev).p]).toEqual([0, 1, 0]);
    const r = timeReverse(ev);
    expect([...r.t]).toEqual([10, 30, 40]);
    expect([...r.x]).toEqual([3, 2, 1]);
    expect([...r.p]).toEqual([0, 1, 0]);
    const f = ramp(3, 2, 1, 1);
    expect([...reverseFrames(f).data]).toEqual([4, 5, 2, 3, 0, 1]);
    expect([...flipFrameChannels(f).data]).toEqual([1, 0, 3, 2, 5, 4]);
  });
});
