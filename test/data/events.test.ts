// Columnar events (events-and-parity §1.6 unified t, x, y, p) and the EventFileError type.
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../src/lib/data/errors.js";
import { concatEvents, EventBuilder, filterEvents, makeEvents, sliceEvents, timeWindow } from "../../src/lib/data/events.js";

describe("events", () => {
  const ev = makeEvents({ t: [5, 1, 9, 3], x: [1, 2, 3, 4], y: [0, 0, 0, 0], p: [1, 0, 1, 0] });
  it("makeEvents validates column lengths by name", () => {
    expect(() => makeEvents({ t: [1, 2], x: [1], y: [1, 2], p: [0, 0] })).toThrow(/column 'x' has length 1, expected 2/);
  });
  it("timeWindow is start ≤ t < end and works on unsorted t (mask, like SJ)", () => {
    expect([...timeWindow(ev, 3, 9).x]).toEqual([1, 4]);
  });
  it("concat, slice (views), filter", () => {
    const c = concatEvents([ev, sliceEvents(ev, 1, 3)]);
    expect([...c.t]).toEqual([5, 1, 9, 3, 1, 9]);
    const s = sliceEvents(ev, 1, 3);
    expect(s.t.buffer).toBe(ev.t.buffer);
    expect([...filterEvents(ev, (i) => ev.p[i] === 1).t]).toEqual([5, 9]);
    expect(concatEvents([]).t.length).toBe(0);
  });
  it("t is float64: 64-bit µs timestamps stay exact below 2^53", () => {
    const big = makeEvents({ t: [2 ** 52 + 1], x: [0], y: [0], p: [0] });
    expect(big.t[0]! - 2 ** 52).toBe(1);
  });
  it("EventBuilder grows and hands over its buffers", () => {
    const b = new EventBuilder(16);
    b.reserve(100);
    for (let i = 0; i < 100; i++) { b.t[b.n] = i; b.x[b.n] = i; b.n++; }
    const a = b.take();
    expect(a.t.length).toBe(100);
    expect(a.x[99]).toBe(99);
    expect(b.n).toBe(0);
    b.reserve(1); b.t[0] = 7; b.n = 1;
    expect(a.t[0]).toBe(0); // the taken events are not overwritten
  });
  it("EventFileError carries file, offset, expected, found", () => {
    const e = new EventFileError("f.bin", 12, "a 5-byte record", "3 trailing bytes");
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe("EventFileError");
    expect([e.file, e.offset, e.expected, e.found]).toEqual(["f.bin", 12, "a 5-byte record", "3 trailing bytes"]);
    expect(e.message).toBe("f.bin: at byte 12: expected a 5-byte record, found 3 trailing bytes");
  });
});
