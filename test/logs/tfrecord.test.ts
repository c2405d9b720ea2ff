// TFRecord framing on records this file writes: round trip, the masked CRC of a known length field, and every
// framing defect (truncated header, bad length CRC, length past the end, bad data CRC, truncated data CRC).
import { describe, expect, it } from "vitest";
import { encodeTfRecord, maskedCrc32c, readTfRecords } from "../../src/lib/logs/tfrecord.js";

const rec = (...bytes: number[]) => encodeTfRecord(new Uint8Array(bytes));
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

describe("TFRecord framing", () => {
  it("masked CRC-32C of a length field matches the value a TensorBoard writer stored (length 72 → 0x9d4892fe)", () => {
    // bytes 8..11 of an event file whose first record is 72 bytes long: fe 92 48 9d (little-endian)
    expect(maskedCrc32c(new Uint8Array([72, 0, 0, 0, 0, 0, 0, 0]))).toBe(0x9d4892fe);
  });
  it("round trip of several records, offsets of each", () => {
    const a = rec(1, 2, 3), b = rec(), c = rec(...Array.from({ length: 300 }, (_, i) => i & 255));
    const r = readTfRecords(cat(a, b, c), "f");
    expect(r.problems).toEqual([]);
    expect(r.records.map((x) => x.offset)).toEqual([0, a.length, a.length + b.length]);
    expect(Array.from(r.records[0]!.data)).toEqual([1, 2, 3]);
    expect(r.records[1]!.data.length).toBe(0);
    expect(r.records[2]!.data[299]).toBe(299 & 255);
  });
  it("a header cut short is 'truncated' at its offset; the records before it are kept", () => {
    const a = rec(9, 9);
    const r = readTfRecords(cat(a, rec(1).subarray(0, 5)), "ev");
    expect(r.records).toHaveLength(1);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ problem: "truncated", offset: a.length, file: "ev" });
    expect(r.problems[0]!.message).toMatch(new RegExp(`^ev: TFRecord at byte ${a.length}: expected a 12-byte header`));
  });
  it("a corrupt length field fails its CRC and stops the reading", () => {
    const b = rec(1, 2, 3);
    b[0] = 200; // length 200 with the CRC of length 3
    const r = readTfRecords(cat(rec(5), b, rec(6)), "ev");
    expect(r.records).toHaveLength(1);
    expect(r.problems.map((p) => p.problem)).toEqual(["length-crc"]);
  });
  it("a length larger than the file is 'length-past-end'; a missing data CRC is 'truncated'", () => {
    const full = rec(...Array(40).fill(7));
    expect(readTfRecords(full.subarray(0, 30), "ev").problems[0]).toMatchObject({ problem: "length-past-end", offset: 0 });
    expect(readTfRecords(full.subarray(0, full.length - 2), "ev").problems[0]).toMatchObject({ problem: "truncated", offset: 0 });
  });
  it("a flipped data byte fails the data CRC: that record is skipped, the next one is still read", () => {
    const a = rec(1, 2, 3, 4), b = rec(5);
    a[13] ^= 0xff;
    const r = readTfRecords(cat(a, b), "ev");
    expect(r.records.map((x) => Array.from(x.data))).toEqual([[5]]);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ problem: "data-crc", offset: 0 });
  });
});
