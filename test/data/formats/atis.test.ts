// ATIS .bin (N-Caltech101) — events-and-parity §3.3 fixture recipe, §7 item 9, §8.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { atisRecord, parseAtis, readAtisFile, writeAtis } from "../../../src/lib/data/formats/atis.js";
import { tmp } from "../helpers.js";

const rec = (x: number, y: number, p: number, t: number) => [x, y, (p << 7) | ((t >> 16) & 0x7f), (t >> 8) & 0xff, t & 0xff];

describe("ATIS .bin (§3.3)", () => {
  it("SJ minimal fixture: one 5-byte event", () => {
    const ev = parseAtis(new Uint8Array(rec(12, 34, 1, 5678)));
    expect([ev.x[0], ev.y[0], ev.p[0], ev.t[0]]).toEqual([12, 34, 1, 5678]);
  });
  it("recipe: p = 1 with t ≥ 2^16 exercises the 7-bit high part; marker y = 240", () => {
    const b = new Uint8Array([...rec(1, 2, 1, 70000), ...rec(0, 240, 0, 0), ...rec(3, 4, 0, 100)]);
    const none = parseAtis(b, { sensor: null });
    expect([...none.t]).toEqual([70000, 0, 100]);
    expect([...none.y]).toEqual([2, 240, 4]);
    expect([...none.p]).toEqual([1, 0, 0]);
    const tonic = parseAtis(b, { overflow: "tonic" });
    expect([...tonic.t]).toEqual([70000, 100 + 8192]);
    expect([...tonic.y]).toEqual([2, 4]);
  });
  it("default overflow 'none' keeps the marker and rejects it as outside the 240×180 canvas", () => {
    const b = new Uint8Array([...rec(1, 2, 1, 7), ...rec(0, 240, 0, 0)]);
    expect(() => parseAtis(b, { file: "img.bin" })).toThrow(/img\.bin: at byte 5: expected an event inside the 240×180/);
  });
  it("atisRecord matches the recipe", () => {
    expect(atisRecord(5, 6, 1, 0x12345)).toEqual(rec(5, 6, 1, 0x12345));
  });
  it("round-trips with both overflow rules", () => {
    const ev = makeEvents({ t: [0, 8191, 8192, 30000, 300000], x: [0, 239, 5, 6, 7], y: [0, 179, 1, 2, 3], p: [0, 1, 1, 0, 1] });
    expect(parseAtis(writeAtis(ev))).toEqual(ev);
    const tb = writeAtis(ev, { overflow: "tonic" });
    expect(tb.length).toBe(5 * (5 + Math.floor(300000 / 8192)));
    expect(parseAtis(tb, { overflow: "tonic" })).toEqual(ev);
  });
  it("streams across chunk boundaries that split records (marker offset carried)", async () => {
    const ev = makeEvents({
      t: Array.from({ length: 200 }, (_, i) => i * 1000),
      x: Array.from({ length: 200 }, (_, i) => i % 240),
      y: Array.from({ length: 200 }, (_, i) => i % 180),
      p: Array.from({ length: 200 }, (_, i) => i & 1),
    });
    const f = join(tmp(), "image_0001.bin");
    writeFileSync(f, writeAtis(ev, { overflow: "tonic" }));
    expect(await readAtisFile(f, { overflow: "tonic" }, 67)).toEqual(ev);
  });
  it("truncated record → EventFileError with offset", () => {
    const b = new Uint8Array([...rec(1, 2, 1, 7), ...rec(1, 2, 1, 7).slice(0, 2)]);
    try { parseAtis(b, { file: "t.bin" }); throw new Error("no throw"); } catch (e) {
      expect(e).toBeInstanceOf(EventFileError);
      expect((e as EventFileError).offset).toBe(5);
      expect((e as EventFileError).found).toBe("2 trailing bytes");
    }
  });
  it("writer: t ≥ 2^23 needs the tonic rule", () => {
    expect(() => writeAtis(makeEvents({ t: [2 ** 23], x: [0], y: [0], p: [0] }))).toThrow(/2\^23/);
  });
});
