// MAT-file level 5: the reader on scipy-written fixtures (uncompressed and zlib-compressed, a devkit-like
// `synsets` struct array), and the writer byte-exact against the uncompressed scipy file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readMat5, writeMat5, type MatValue } from "../../../src/lib/data/formats/mat5.js";

const FIX = join(import.meta.dirname, "..", "fixtures");
const load = (f: string) => new Uint8Array(readFileSync(join(FIX, f)));

function field(v: MatValue | undefined, f: string, i: number): MatValue {
  if (v?.kind !== "struct") throw new Error("not a struct");
  return v.elements[i]![f]!;
}

describe("readMat5", () => {
  for (const f of ["meta-uncompressed.mat", "meta-compressed.mat"]) {
    it(`reads the synsets struct array of ${f}`, () => {
      const m = readMat5(load(f), f);
      const s = m.synsets!;
      expect(s.kind).toBe("struct");
      if (s.kind !== "struct") return;
      expect(s.dims).toEqual([3, 1]);
      expect(s.fields).toEqual(["ILSVRC2012_ID", "WNID", "words", "num_children", "children"]);
      expect(field(s, "ILSVRC2012_ID", 2)).toEqual({ kind: "numeric", dims: [1, 1], data: [1001] });
      expect(field(s, "WNID", 0)).toEqual({ kind: "char", dims: [1, 9], rows: ["n02119789"] });
      expect(field(s, "words", 1)).toMatchObject({ kind: "char", rows: ["English setter"] });
      expect(field(s, "children", 0)).toMatchObject({ kind: "numeric", dims: [1, 0], data: [] });
      expect(field(s, "children", 2)).toMatchObject({ kind: "numeric", dims: [1, 2], data: [1, 2] });
    });
  }
  it("the writer reproduces scipy's uncompressed file byte for byte, and its compressed output reads back equal", () => {
    const bytes = load("meta-uncompressed.mat");
    const vars = readMat5(bytes);
    const header = Buffer.from(bytes.subarray(0, 116)).toString("latin1").replace(/\0+$/, "");
    // scipy pads the header text with NULs (MATLAB with spaces, the writer's default).
    expect(Buffer.from(writeMat5(vars, { header, headerPad: "nul" }))).toEqual(Buffer.from(bytes));
    expect(Buffer.from(writeMat5(vars, { header }).subarray(116))).toEqual(Buffer.from(bytes.subarray(116)));
    expect(readMat5(writeMat5(vars, { compress: true }))).toEqual(vars);
  });
  it("column-major 2-D char arrays give their rows", () => {
    const v: MatValue = { kind: "char", dims: [2, 3], rows: ["abc", "xyz"] };
    expect(readMat5(writeMat5({ c: v })).c).toEqual(v);
  });
  it("errors: not a MAT-file, big-endian, truncated, corrupt zlib", () => {
    expect(() => readMat5(new Uint8Array(20), "x.mat")).toThrow(/x\.mat: .*128-byte level-5 header/);
    const b = load("meta-uncompressed.mat");
    const be = b.slice(); be[126] = 0x4d; be[127] = 0x49;
    expect(() => readMat5(be, "be.mat")).toThrow(/big-endian/);
    expect(() => readMat5(b.subarray(0, 600), "t.mat")).toThrow(/t\.mat: MAT-file at byte 128: element of \d+ bytes runs past the end .*truncated/);
    const c = load("meta-compressed.mat").slice(); c.fill(0x55, 150, 170);
    expect(() => readMat5(c, "c.mat")).toThrow(/c\.mat: .*corrupt miCOMPRESSED zlib/);
  });
});
