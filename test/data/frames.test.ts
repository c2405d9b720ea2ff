// Frame integration — events-and-parity §1.6, §3.5 (SJ's expected sums and boundaries), §7 item 6.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventDataError } from "../../src/lib/data/errors.js";
import { makeEvents, sortEvents } from "../../src/lib/data/events.js";
import { readAedat2File, writeAedat2 } from "../../src/lib/data/formats/aedat2.js";
import {
  DEFAULT_MAX_FRAME_BYTES, firstOutOfOrder, frameBoundaries, frameSums, integrateFixedDuration, integrateFixedFrames,
} from "../../src/lib/data/frames.js";
import { movingSquareEvents } from "../../src/lib/data/synthetic.js";
import { Rng } from "../../src/lib/util/random.js";
import { tmp } from "./helpers.js";

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

  describe("corrupt or unsorted timestamps (issue #20)", () => {
    /** An AEDAT 2.0 recording written by the project's writer, with the timestamp of event `k` (-1: the last) set to `t` in the file. */
    async function corrupted(k: number, t: number): Promise<{ path: string; n: number }> {
      const ev = movingSquareEvents(1, 4, new Rng(3), { height: 128, width: 128, durationUs: 50_000 });
      if (k < 0) k += ev.t.length;
      const b = writeAedat2(ev, { orientation: "raw" });
      const data = b.length - 8 * ev.t.length;
      new DataView(b.buffer).setUint32(data + 8 * k + 4, t, false);
      const path = join(tmp(), "corrupt.aedat");
      writeFileSync(path, b);
      return { path, n: ev.t.length };
    }
    const err = (f: () => unknown) => { try { f(); } catch (e) { return e as EventDataError; } throw new Error("expected a throw"); };
    it("a last timestamp of 0xFFFFFFF0 → an EventDataError naming the event and the file, not a RangeError", async () => {
      const c = await corrupted(-1, 0xfffffff0);
      const n = c.n;
      const ev = await readAedat2File(c.path, { orientation: "raw" });
      const e = err(() => integrateFixedDuration(ev, { duration: 10_000, height: 128, width: 128, source: c.path }));
      expect(e).toBeInstanceOf(EventDataError);
      expect(e.file).toBe(c.path);
      expect(e.index).toBe(n - 1);
      expect(e.message).toMatch(/at event \d+: expected t ≤ \d+ µs .*maxFrames 8192 × duration 10000 µs.*found t=4294967280 µs/);
      expect(Math.floor(DEFAULT_MAX_FRAME_BYTES / (4 * 2 * 128 * 128))).toBe(8192);
      // the bound is the caller's to raise, and exactly maxFrames·duration of span is allowed
      const short = makeEvents({ t: [0, 30], x: [0, 0], y: [0, 0], p: [1, 1] });
      expect(integrateFixedDuration(short, { duration: 10, height: 1, width: 1, maxFrames: 3 }).shape[0]).toBe(3);
      expect(() => integrateFixedDuration(short, { duration: 10, height: 1, width: 1, maxFrames: 2 })).toThrow(/<events>: at event 1: expected t ≤ 20 µs/);
    });
    it("a corrupt timestamp in the middle → EventDataError naming the event that goes back in time", async () => {
      const c = await corrupted(5, 0xfffffff0);
      const ev = await readAedat2File(c.path, { orientation: "raw" });
      expect(firstOutOfOrder(ev.t)).toBe(6);
      for (const version of ["head", "0.14"] as const) {
        const e = err(() => integrateFixedDuration(ev, { duration: 10_000, height: 128, width: 128, source: c.path, version }));
        expect(e).toBeInstanceOf(EventDataError);
        expect(e.message).toMatch(new RegExp(`^${c.path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: at event 6: expected timestamps in non-decreasing order`));
        expect(e.found).toMatch(/after t=4294967280 µs at event 5/);
      }
    });
    it("split by time on unsorted events is an error (it used to drop events); sortEvents makes it well defined", () => {
      const ev = makeEvents({ t: [0, 30, 10, 20, 40], x: [0, 0, 0, 0, 0], y: [0, 0, 0, 0, 0], p: [1, 1, 1, 1, 1] });
      const e = err(() => integrateFixedFrames(ev, { frames: 2, splitBy: "time", height: 1, width: 1, source: "s.aedat [0, 50)" }));
      expect(e).toBeInstanceOf(EventDataError);
      expect(e.message).toMatch(/^s\.aedat \[0, 50\): at event 2: expected timestamps in non-decreasing order for splitBy 'time'/);
      const sorted = sortEvents(ev);
      expect([...sorted.t]).toEqual([0, 10, 20, 30, 40]);
      expect(frameSums(integrateFixedFrames(sorted, { frames: 2, splitBy: "time", height: 1, width: 1 }))).toEqual([2, 3]);
      // split by number is defined on positions: any order is accepted, no event is lost
      expect(frameSums(integrateFixedFrames(ev, { frames: 2, splitBy: "number", height: 1, width: 1 }))).toEqual([2, 3]);
    });
    it("sortEvents keeps ties in their original order and moves every column", () => {
      const ev = makeEvents({ t: [5, 1, 5, 1], x: [0, 1, 2, 3], y: [4, 5, 6, 7], p: [1, 0, 0, 1] });
      const s = sortEvents(ev);
      expect([...s.t]).toEqual([1, 1, 5, 5]);
      expect([...s.x]).toEqual([1, 3, 0, 2]);
      expect([...s.y]).toEqual([5, 7, 4, 6]);
      expect([...s.p]).toEqual([0, 1, 1, 0]);
    });
  });
});
