/**
 * `.npy` reader/writer against files written by numpy (test/data/fixtures/npy/make_fixtures.py; the
 * values below are the generator's EVENTS).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeNpy, encodeNpy, npyColumn, npyEvents, npyFieldNames, parseNpyHeader, readNpyEventsFile } from "../../../src/lib/data/formats/npy.js";

const DIR = join(__dirname, "..", "fixtures", "npy");
const fx = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const LIP_FIELDS = [{ name: "t", descr: "<i4" }, { name: "x", descr: "|i1" }, { name: "y", descr: "|i1" }, { name: "p", descr: "|i1" }];
const EVENTS = { t: [0, 17, 2_000_000_000], x: [5, 127, 64], y: [120, 0, 33], p: [1, 0, 1] };

describe("npy reader", () => {
  for (const v of [1, 2, 3]) {
    it(`reads the DVS-Lip dtype from a v${v}.0 file written by numpy`, () => {
      const a = decodeNpy(fx(`lip-v${v}.npy`), `lip-v${v}.npy`);
      expect(a.header.version).toEqual([v, 0]);
      expect(a.header.shape).toEqual([3]);
      expect(a.header.itemSize).toBe(7);
      expect(npyFieldNames(a)).toEqual(["t", "x", "y", "p"]);
      expect(a.header.fields.map((f) => [f.type.descr, f.offset])).toEqual([["<i4", 0], ["|i1", 4], ["|i1", 5], ["|i1", 6]]);
      for (const k of ["t", "x", "y", "p"] as const) expect(Array.from(npyColumn(a, k))).toEqual(EVENTS[k]);
    });
  }

  it("converts to Events (x, y, p, t), keeping the file's event order", async () => {
    const ev = await readNpyEventsFile(join(DIR, "lip-v1.npy"));
    expect(Array.from(ev.t)).toEqual(EVENTS.t);
    expect(Array.from(ev.x)).toEqual(EVENTS.x);
    expect(Array.from(ev.y)).toEqual(EVENTS.y);
    expect(Array.from(ev.p)).toEqual(EVENTS.p);
  });

  it("reads big-endian fields (int16, uint16, bool, int64 beyond 2^32) correctly", () => {
    const a = decodeNpy(fx("events-be.npy"), "events-be.npy");
    expect(a.header.fields.map((f) => [f.name, f.type.descr, f.type.littleEndian])).toEqual([["x", ">i2", false], ["y", ">u2", false], ["p", "|b1", true], ["t", ">i8", false]]);
    const ev = npyEvents(a);
    expect(Array.from(ev.x)).toEqual([5, 127, 64]);
    expect(Array.from(ev.y)).toEqual([120, 0, 33]);
    expect(Array.from(ev.p)).toEqual([1, 0, 1]);
    expect(Array.from(ev.t)).toEqual([0, 17, 2 ** 40 + 3]);
  });

  it("reads tonic's field order x, y, p, t with float64 times", () => {
    const ev = npyEvents(decodeNpy(fx("events-xypt-f8.npy"), "f8"));
    expect(Array.from(ev.t)).toEqual([0, 17, 2.5e9]);
    expect(Array.from(ev.x)).toEqual([5, 127, 64]);
  });

  it("skips numpy's '|V' padding field of a field-subset view", () => {
    const a = decodeNpy(fx("lip-padded.npy"), "lip-padded.npy");
    expect(npyFieldNames(a)).toEqual(["t", "y", "p"]);
    expect(a.header.itemSize).toBe(7);
    expect(a.header.fields.find((f) => f.name === "y")!.offset).toBe(5);
    expect(Array.from(npyColumn(a, "y"))).toEqual([4, 5, 6]);
    expect(Array.from(npyColumn(a, "t"))).toEqual([1, 2, 3]);
  });

  it("reads an empty event file", () => {
    const a = decodeNpy(fx("lip-empty.npy"), "lip-empty.npy");
    expect(a.header.shape).toEqual([0]);
    expect(npyEvents(a).t.length).toBe(0);
  });

  it("handles a 1-D Fortran-order header (same layout) and rejects a 2-D Fortran-order array", () => {
    const a = decodeNpy(fx("lip-fortran-1d.npy"), "lip-fortran-1d.npy");
    expect(a.header.fortranOrder).toBe(true);
    expect(Array.from(npyEvents(a).t)).toEqual(EVENTS.t);
    expect(() => parseNpyHeader(fx("lip-2d-fortran.npy"), "lip-2d-fortran.npy")).toThrow(/lip-2d-fortran\.npy: offset 10: header: Fortran-order .* 2 dimensions are not supported/);
  });

  it("reads a 2-D C-order structured array but refuses it as events", () => {
    const a = decodeNpy(fx("lip-2d.npy"), "lip-2d.npy");
    expect(a.header.shape).toEqual([2, 3]);
    expect(Array.from(npyColumn(a, "x"))).toEqual([...EVENTS.x, ...EVENTS.x]);
    expect(() => npyEvents(a)).toThrow(/lip-2d\.npy: expected a 1-D array of events, found shape \(2, 3\)/);
  });

  it("reads a plain array as one unnamed field, but refuses it as events", () => {
    const a = decodeNpy(fx("plain-2d.npy"), "plain-2d.npy");
    expect(a.header.structured).toBe(false);
    expect(Array.from(npyColumn(a, ""))).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(() => npyEvents(a)).toThrow(/plain-2d\.npy: expected a structured array with fields x, y, p, t, found a plain '<i8' array of shape \(3, 4\)/);
  });

  it.each([
    ["subarray.npy", /subarray\.npy: offset 10: header: 'descr': field 'xy' is a sub-array field/],
    ["nested.npy", /nested\.npy: offset 10: header: 'descr': field 'pos' is a nested structured field/],
    ["unicode.npy", /unicode\.npy: offset 10: header: 'descr': field 'name' has the string type '<U3'/],
    ["float16.npy", /float16\.npy: offset 10: header: 'descr': field 't' has the unsupported type '<f2' \(float of 2 bytes, float16\)/],
  ])("rejects %s with the field and what is expected", (name, re) => {
    expect(() => parseNpyHeader(fx(name), name)).toThrow(re);
  });

  it("rejects truncated files (inside the data, inside the header) with offsets and expected sizes", () => {
    expect(() => parseNpyHeader(fx("lip-truncated-data.npy"), "lip-truncated-data.npy")).toThrow(/lip-truncated-data\.npy: offset 208: file is truncated: shape \(3\) × 7 bytes per item needs 21 data bytes from offset 192 \(file size 213\), the file has 208/);
    expect(() => parseNpyHeader(fx("lip-truncated-header.npy"), "lip-truncated-header.npy")).toThrow(/offset 40: file is truncated inside the header: the header claims 182 bytes from offset 10 \(to 192\), the file has 40/);
    expect(() => parseNpyHeader(fx("lip-v1.npy").subarray(0, 5), "five")).toThrow(/five: offset 5: file is 5 bytes, too short/);
  });

  it("rejects trailing bytes, bad magic, unknown versions and malformed headers", () => {
    const good = fx("lip-v1.npy");
    const longer = new Uint8Array(good.length + 3);
    longer.set(good);
    expect(() => parseNpyHeader(longer, "long.npy")).toThrow(/long\.npy: offset 213: 3 unexpected bytes after the array data/);
    const magic = good.slice(); magic[1] = 0x4f;
    expect(() => parseNpyHeader(magic, "m.npy")).toThrow(/m\.npy: offset 1: not a \.npy file/);
    const ver = good.slice(); ver[6] = 4;
    expect(() => parseNpyHeader(ver, "v.npy")).toThrow(/v\.npy: offset 6: unsupported \.npy format version 4\.0/);
    const text = Buffer.from(good).toString("latin1");
    const bad = (from: string, to: string) => new Uint8Array(Buffer.from(text.replace(from, to), "latin1"));
    expect(() => parseNpyHeader(bad("'fortran_order': False", "'fortran_order': 0    "), "f.npy")).toThrow(/f\.npy: offset 10: header: 'fortran_order' must be True or False/);
    expect(() => parseNpyHeader(bad("'<i4'", "'=i4'"), "n.npy")).toThrow(/field 't' has native byte order '=i4'; expected an explicit '<' or '>'/);
    expect(() => parseNpyHeader(bad("'<i4'", "'|i4'"), "o.npy")).toThrow(/field 't' has '\|i4' without a byte order/);
    expect(() => parseNpyHeader(bad("('y', '|i1'), ", "('y'; '|i1'), "), "s.npy")).toThrow(/s\.npy: offset 53: header: expected ',' or '\)' in a tuple, found ';'/);
    expect(() => parseNpyHeader(bad("'shape'", "'shapf'"), "k.npy")).toThrow(/expected exactly the keys 'descr', 'fortran_order', 'shape'/);
  });

  it("reports int64 values beyond 2^53 instead of rounding them", () => {
    const bytes = encodeNpy([{ name: "t", descr: "<i8" }], { t: [0, 1] });
    new DataView(bytes.buffer).setBigInt64(bytes.length - 8, 2n ** 60n + 1n, true);
    expect(() => npyColumn(decodeNpy(bytes, "big.npy"), "t")).toThrow(/big\.npy: offset \d+: field 't' of item 1 is 1152921504606846977, beyond ±2\^53/);
  });

  it("rejects events with negative pixel indices (int8 x from a corrupt file)", () => {
    const bytes = encodeNpy(LIP_FIELDS, { t: [0], x: [-3], y: [1], p: [1] });
    expect(() => npyEvents(decodeNpy(bytes, "neg.npy"))).toThrow(/neg\.npy: offset 196: event 0 has x = -3; expected a pixel index in \[0, 65535\]/);
  });
});

describe("npy writer", () => {
  it("writes the same bytes as numpy's np.save for the DVS-Lip dtype", () => {
    expect(Buffer.from(encodeNpy(LIP_FIELDS, EVENTS)).equals(Buffer.from(fx("lip-v1.npy")))).toBe(true);
    expect(Buffer.from(encodeNpy(LIP_FIELDS, { t: [], x: [], y: [], p: [] })).equals(Buffer.from(fx("lip-empty.npy")))).toBe(true);
  });

  it("writes big-endian and bool fields that numpy's file matches byte for byte", () => {
    const out = encodeNpy([{ name: "x", descr: ">i2" }, { name: "y", descr: ">u2" }, { name: "p", descr: "|b1" }, { name: "t", descr: ">i8" }],
      { x: [5, 127, 64], y: [120, 0, 33], p: [1, 0, 1], t: [0, 17, 2 ** 40 + 3] });
    expect(Buffer.from(out).equals(Buffer.from(fx("events-be.npy")))).toBe(true);
  });

  it("rejects values that do not fit the field type and columns of unequal length", () => {
    expect(() => encodeNpy(LIP_FIELDS, { t: [0], x: [128], y: [0], p: [0] })).toThrow(/column 'x' item 0 is 128, not an integer in \[-128, 127\] \('\|i1'\)/);
    expect(() => encodeNpy(LIP_FIELDS, { t: [0, 1], x: [1], y: [0], p: [0] })).toThrow(/column 'x' has 1 values, expected 2/);
    expect(() => encodeNpy([{ name: "t", descr: "<f2" }], { t: [0] })).toThrow(/float16/);
  });
});
