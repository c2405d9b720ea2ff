// Frame integration — events-and-parity §1.6, §3.5 (SJ's expected sums and boundaries), §7 item 6.
import { describe, expect, it } from "vitest";
import { makeEvents } from "../../src/lib/data/events.js";
import { frameBoundaries, frameSums, integrateFixedDuration, integrateFixedFrames } from "../../src/lib/data/frames.js";

// SJ's 4-event fixture
const ev4 = makeEvents({ t: [0, 1, 2, 3], x: [0, 1, 2, 3], y: [0, 0, 1, 1], p: [0, 1, 0, 1] });

describe("frame integration (§1.6, §3.5)", () => {
  it("fixed frame number, split by number: sums [1, 1, 2] — the remainder goes to the last frame", () => {
    const f = integrateFixedFrames(ev4, { frames: 3, splitBy: "number", height: 2, width: 4 });
    expect(f.shape).toEqual([3, 2, 2, 4]);
    expect(frameSums(f)).toEqual([1, 1, 2]);
  });
  it("fixed frame number, split by time: j_l = [0, 1], j_r = [1, 4] for t = [0..3], M = 2", () => {
    const { jl, jr } = frameBoundaries(ev4.t, "time", 2);
    expect([...jl]).toEqual([0, 1]);
    expect([...jr]).toEqual([1, 4]);
  });
  it("channel = p ≠ 0 (channel 0 = OFF) and pixel placement y·W + x", () => {
    const f = integrateFixedFrames(ev4, { frames: 1, splitBy: "number", height: 2, width: 4 });
    const HW = 8;
    expect(f.data[0 * HW + 0 * 4 + 0]).toBe(1); // (x0,y0,p0) → OFF
    expect(f.data[1 * HW + 0 * 4 + 1]).toBe(1); // (x1,y0,p1) → ON
    expect(f.data[0 * HW + 1 * 4 + 2]).toBe(1);
    expect(f.data[1 * HW + 1 * 4 + 3]).toBe(1);
    expect(frameSums(f)).toEqual([4]);
  });
  it("counts are not binarised", () => {
    const ev = makeEvents({ t: [0, 1, 2], x: [1, 1, 1], y: [0, 0, 0], p: [1, 1, 1] });
    const f = integrateFixedFrames(ev, { frames: 1, splitBy: "number", height: 1, width: 2 });
    expect([...f.data]).toEqual([0, 0, 0, 3]);
  });
  it("split by time raises on an empty window (like SJ) unless emptyWindows: 'empty'", () => {
    const ev = makeEvents({ t: [0, 1, 100], x: [0, 0, 0], y: [0, 0, 0], p: [0, 0, 0] });
    expect(() => frameBoundaries(ev.t, "time", 4)).toThrow(/window 1 of 4/);
    const { jl, jr } = frameBoundaries(ev.t, "time", 4, { emptyWindows: "empty" });
    expect([...jl]).toEqual([0, 2, 2, 2]);
    expect([...jr]).toEqual([2, 2, 2, 3]);
  });
  it("split by number with fewer events than frames puts all in the last frame", () => {
    const f = integrateFixedFrames(ev4, { frames: 6, splitBy: "number", height: 2, width: 4 });
    expect(frameSums(f)).toEqual([0, 0, 0, 0, 0, 4]);
  });
  it("fixed duration (HEAD grid): T = ⌈span/d⌉, tail folded into the last frame", () => {
    const ev = makeEvents({ t: [10, 12, 15, 19, 20], x: [0, 0, 0, 0, 0], y: [0, 0, 0, 0, 0], p: [1, 1, 1, 1, 1] });
    const f = integrateFixedDuration(ev, { duration: 5, height: 1, width: 1 });
    expect(frameSums(f)).toEqual([2, 3]); // [10,15): 2; [15,20) + t=20 folded: 3
  });
  it("fixed duration (0.14 greedy): windows start at their first event, extend while t − t_l ≤ d", () => {
    const ev = makeEvents({ t: [10, 12, 15, 19, 20], x: [0, 0, 0, 0, 0], y: [0, 0, 0, 0, 0], p: [1, 1, 1, 1, 1] });
    const f = integrateFixedDuration(ev, { duration: 5, height: 1, width: 1, version: "0.14" });
    expect(frameSums(f)).toEqual([3, 2]);
  });
  it("rejects out-of-canvas events and bad sizes with clear messages", () => {
    expect(() => integrateFixedFrames(ev4, { frames: 1, splitBy: "number", height: 2, width: 3 })).toThrow(/x=3.*3×2/);
    expect(() => integrateFixedFrames(ev4, { frames: 0, splitBy: "number", height: 2, width: 4 })).toThrow(/frames must be a positive integer/);
  });
});
