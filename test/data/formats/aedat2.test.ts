// AEDAT 2.0 (CIFAR10-DVS) — events-and-parity §3.2 fixture recipe, §7 item 7.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EventFileError } from "../../../src/lib/data/errors.js";
import { makeEvents } from "../../../src/lib/data/events.js";
import { parseAedat2, readAedat2File, writeAedat2 } from "../../../src/lib/data/formats/aedat2.js";
import { ascii, tmp, u32be } from "../helpers.js";

const HEADER = ascii("#!AER-DAT2.0\r\n# This is a raw AE data file\r\n");
const addr = (x: number, y: number, p: number) => (y << 8) | (x << 1) | p;
// asymmetric (x, y) and both polarities so transpose, flips and inversion are all observable
const RAW = [
  { x: 10, y: 100, p: 0, t: 5 },
  { x: 3, y: 7, p: 1, t: 9 },
];
const bytes = () => new Uint8Array([...HEADER, ...RAW.flatMap((e) => [...u32be(addr(e.x, e.y, e.p)), ...u32be(e.t)])]);

describe("AEDAT 2.0 (§3.2)", () => {
  it("SJ orientation (default): x = 127 − y_raw, y = 127 − x_raw, p = 1 − p_raw", () => {
    const ev = parseAedat2(bytes());
    expect([...ev.x]).toEqual([27, 120]);
    expect([...ev.y]).toEqual([117, 124]);
    expect([...ev.p]).toEqual([1, 0]);
    expect([...ev.t]).toEqual([5, 9]);
  });
  it("raw orientation", () => {
    const ev = parseAedat2(bytes(), { orientation: "raw" });
    expect([...ev.x]).toEqual([10, 3]);
    expect([...ev.y]).toEqual([100, 7]);
    expect([...ev.p]).toEqual([0, 1]);
  });
  it("events-tfds orientation: x = 127 − x_raw, y = y_raw, p = ¬p_raw", () => {
    const ev = parseAedat2(bytes(), { orientation: "events-tfds" });
    expect([...ev.x]).toEqual([117, 124]);
    expect([...ev.y]).toEqual([100, 7]);
    expect([...ev.p]).toEqual([1, 0]);
  });
  it("rejects an unknown orientation by name", () => {
    expect(() => parseAedat2(bytes(), { orientation: "tonic" as never })).toThrow(/orientation must be one of/);
  });
  it("the external bit (15) is ignored by the masks", () => {
    const b = new Uint8Array([...u32be(addr(1, 2, 1) | 0x8000), ...u32be(3)]);
    const ev = parseAedat2(b, { orientation: "raw" });
    expect([ev.x[0], ev.y[0], ev.p[0]]).toEqual([1, 2, 1]);
  });
  it("no header at all is fine; a header-only file has no events", () => {
    expect(parseAedat2(new Uint8Array([...u32be(addr(1, 2, 0)), ...u32be(3)])).t.length).toBe(1);
    expect(parseAedat2(new Uint8Array(ascii("#!AER-DAT2.0\r\n# only header"))).t.length).toBe(0);
  });
  it("SJ parity: a '#' line with invalid UTF-8 ends the header (it is read as data)", () => {
    const line = [0x23, 0xff, 0xfe, 0x0a]; // "#\xff\xfe\n" — 4 bytes; with 4 more bytes it forms one 8-byte event
    const b = new Uint8Array([...HEADER, ...line, ...u32be(77)]);
    const ev = parseAedat2(b, { orientation: "raw" });
    expect(ev.t.length).toBe(1);
    expect(ev.t[0]).toBe(77);
    expect(ev.x[0]).toBe(0x0a >> 1); // the low address byte is 0x0a, the newline
  });
  it("streams in small chunks identically", async () => {
    const ev = makeEvents({ t: [1, 2, 3, 4, 5, 6, 7], x: [0, 1, 2, 3, 4, 5, 127], y: [9, 8, 7, 6, 5, 4, 3], p: [0, 1, 0, 1, 1, 0, 1] });
    const f = join(tmp(), "c.aedat");
    writeFileSync(f, writeAedat2(ev, { headerLines: ["x".repeat(100)] }));
    const back = await readAedat2File(f, {}, 64);
    expect(back).toEqual(ev);
  });
  it("round-trips in every orientation", () => {
    const ev = makeEvents({ t: [0, 10, 2 ** 32 - 1], x: [0, 64, 127], y: [127, 5, 0], p: [1, 0, 1] });
    for (const o of ["spikingjelly", "raw", "events-tfds"] as const) {
      expect(parseAedat2(writeAedat2(ev, { orientation: o }), { orientation: o })).toEqual(ev);
    }
  });
  it("truncated file → EventFileError at the incomplete record", () => {
    const b = bytes().subarray(0, bytes().length - 3);
    try { parseAedat2(b, { file: "cifar.aedat" }); throw new Error("no throw"); } catch (e) {
      expect(e).toBeInstanceOf(EventFileError);
      const err = e as EventFileError;
      expect(err.file).toBe("cifar.aedat");
      expect(err.offset).toBe(HEADER.length + 8);
      expect(err.message).toMatch(/cifar\.aedat: at byte \d+: expected a complete 8-byte event/);
    }
  });
  it("bad header: an AEDAT 3 file", () => {
    expect(() => parseAedat2(new Uint8Array(ascii("#!AER-DAT3.1\r\n#!END-HEADER\r\n")), { file: "f" }))
      .toThrow(/f: at byte 0: expected an AEDAT 2.x version line/);
  });
  it("writer refuses coordinates outside DVS128", () => {
    expect(() => writeAedat2(makeEvents({ t: [0], x: [128], y: [0], p: [0] }))).toThrow(/x=128/);
  });
});
