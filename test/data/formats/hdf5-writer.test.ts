import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Hdf5Reader, hdf5StoredEof } from "../../../src/lib/data/formats/hdf5.js";
import { encodeHdf5, lookup3, writeHdf5 } from "../../../src/lib/data/formats/hdf5-writer.js";

const tmp = mkdtempSync(join(tmpdir(), "h5w-test-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("lookup3", () => {
  it("matches Bob Jenkins' reference vectors (lookup3.c driver5)", () => {
    expect(lookup3(new Uint8Array(0))).toBe(0xdeadbeef);
    const s = new TextEncoder().encode("Four score and seven years ago");
    expect(lookup3(s, 0)).toBe(0x17770551);
    expect(lookup3(s, 1)).toBe(0xcd628161);
  });
});

describe("HDF5 writer → h5wasm reader", () => {
  it("round-trips groups, plain arrays, strings and vlen sequences (several heap collections)", async () => {
    const rows = Array.from({ length: 300 }, (_, i) => Float32Array.from({ length: (i * 37) % 4000 }, (_, k) => k / 8));
    const file = join(tmp, "a.h5");
    await writeHdf5(file, { kind: "group", children: {
      g: { kind: "group", children: { v: { kind: "vlen", element: "float32", rows }, u: { kind: "vlen", element: "uint16", rows: [[1, 2], [], [65535]] } } },
      a: { kind: "array", element: "uint32", data: [0, 7, 4294967295] },
      s: { kind: "strings", data: ["x", "hello"] },
    } });
    const r = await Hdf5Reader.open(file);
    try {
      expect(r.readVlenSequences("g/v").map((x) => Array.from(x))).toEqual(rows.map((x) => Array.from(x)));
      expect(r.readVlenSequences("g/u", 0).map((x) => Array.from(x))).toEqual([[1, 2], [], [65535]]);
      expect(r.readVlenSequences("g/v", 299, 1)[0]!.length).toBe((299 * 37) % 4000);
      expect(r.values("s")).toEqual(["x", "hello"]);
      expect(() => r.readVlenSequences("a")).toThrow(/'a' must be a 1-D variable-length sequence dataset/);
      expect(() => r.dataset("nope")).toThrow(/expected a dataset at 'nope'/);
    } finally {
      r.close();
    }
  });

  it("stores its own length as the superblock end-of-file address", () => {
    const bytes = encodeHdf5({ kind: "group", children: { a: { kind: "array", element: "uint8", data: [1, 2, 3] } } });
    expect(hdf5StoredEof(bytes, "mem")).toEqual({ superblockAt: 0, version: 2, eof: bytes.length });
  });

  it("rejects values its element type cannot hold", () => {
    expect(() => encodeHdf5({ kind: "group", children: { a: { kind: "array", element: "uint16", data: [70000] } } })).toThrow(/\/a: element 0 = 70000 is not a uint16/);
  });
});
