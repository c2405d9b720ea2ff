import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/lib/util/errors.js";
import { decodeSafetensors, encodeSafetensors, readSafetensorsFile, SafetensorsError } from "../../src/lib/util/safetensors.js";
import { headerOf, withHeader } from "./safetensors-helpers.js";

describe("safetensors", () => {
  it("round-trips tensors and metadata, with the documented byte layout", () => {
    const bytes = encodeSafetensors({ w: { dtype: "F32", shape: [2, 2], data: new Float32Array([1, 2, 3, 4.5]) }, n: { dtype: "I32", shape: [1], data: new Int32Array([-7]) } }, { arch: "tiny" });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.__metadata__).toEqual({ arch: "tiny" });
    expect(header.w).toEqual({ dtype: "F32", shape: [2, 2], data_offsets: [4, 20] }); // sorted names: n first
    const { tensors, metadata } = decodeSafetensors(Buffer.from(bytes));
    expect(Array.from(tensors.w!.data)).toEqual([1, 2, 3, 4.5]);
    expect(Array.from(tensors.n!.data)).toEqual([-7]);
    expect(metadata.arch).toBe("tiny");
  });
  it("names the problem in truncated or malformed data", () => {
    const bytes = encodeSafetensors({ w: { dtype: "F32", shape: [4], data: new Float32Array(4) } });
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3), "w.safetensors")).toThrow(/^w.safetensors: at byte \d+: expected a data section of 16 bytes \(the end of tensor 'w'\), found 13 bytes \(truncated file\)$/);
    expect(() => decodeSafetensors(bytes.subarray(0, 5), "x")).toThrow(/^x: at byte 0: expected the 8-byte little-endian header length, found 5 bytes in all$/);
    expect(() => encodeSafetensors({ w: { dtype: "F32", shape: [3], data: new Float32Array(4) } })).toThrow(/shape \[3\]/);
  });

  describe("complete header validation (issue #20)", () => {
    const two = encodeSafetensors({
      a: { dtype: "F32", shape: [2, 3], data: new Float32Array(6).fill(1) },
      b: { dtype: "U8", shape: [4], data: new Uint8Array([1, 2, 3, 4]) },
    }, { arch: "x" });
    const h = headerOf(two) as Record<string, Record<string, unknown>>;
    const a = h.a!;
    const err = (bytes: Uint8Array): SafetensorsError => {
      try { decodeSafetensors(bytes, "m.safetensors"); } catch (e) { return e as SafetensorsError; }
      throw new Error("expected a throw");
    };
    // [case, header, expected message (after 'm.safetensors: at ')]
    const cases: [string, unknown, RegExp][] = [
      ["header null", null, /^byte 8 \(header\): expected a JSON object .*, found null$/],
      ["header an array", [a], /^byte 8 \(header\): expected a JSON object .*, found \[\{/],
      ["header a string", "a", /^byte 8 \(header\): expected a JSON object .*, found "a"$/],
      ["tensor info null", { ...h, a: null }, /^byte 8 \(header\), tensor 'a': expected an object \{dtype, shape, data_offsets\}, found null$/],
      ["missing data_offsets", { ...h, a: { dtype: "F32", shape: [2, 3] } }, /tensor 'a': expected data_offsets: \[begin, end\], non-negative integers, found undefined$/],
      ["reversed data_offsets", { ...h, a: { ...a, data_offsets: [24, 0] } }, /tensor 'a': expected data_offsets begin ≤ end, found \[24,0\]$/],
      ["negative begin", { ...h, a: { ...a, data_offsets: [-4, 20] } }, /tensor 'a': expected data_offsets: .*non-negative integers, found \[-4,20\]$/],
      ["fractional offset", { ...h, a: { ...a, data_offsets: [0, 23.5] } }, /tensor 'a': expected data_offsets: .*found \[0,23.5\]$/],
      ["three offsets", { ...h, a: { ...a, data_offsets: [0, 12, 24] } }, /tensor 'a': expected data_offsets: \[begin, end\]/],
      ["range not a multiple of the dtype size", { ...h, a: { ...a, shape: [6], data_offsets: [0, 22] } },
        /tensor 'a': expected 6 × 4 = 24 bytes for shape \[6\] of F32, found data_offsets \[0, 22\] \(22 bytes\)$/],
      ["shape a string", { ...h, a: { ...a, shape: "3" } }, /tensor 'a': expected shape: an array of non-negative integers, found "3"$/],
      ["shape with a negative dim", { ...h, a: { ...a, shape: [-2, -3] } }, /tensor 'a': expected shape: an array of non-negative integers, found \[-2,-3\]$/],
      ["dtype toString (an inherited key)", { ...h, a: { ...a, dtype: "toString" } }, /tensor 'a': expected dtype F32, I32 or U8, found "toString"$/],
      ["dtype F16 (unsupported)", { ...h, a: { ...a, dtype: "F16" } }, /tensor 'a': expected dtype F32, I32 or U8, found "F16"$/],
      ["__metadata__ a number", { ...h, __metadata__: 5 }, /^byte 8 \(header\), __metadata__: expected an object of string values, found 5$/],
      ["__metadata__ with a number value", { ...h, __metadata__: { arch: 5 } }, /__metadata__: expected an object of string values, found \{"arch":5\}$/],
      ["overlapping tensors", { ...h, b: { ...h.b, data_offsets: [20, 24] } }, /tensor 'b': expected data starting at offset 24 .*found data_offsets \[20, 24\]$/],
      ["a gap before the first tensor", { a: { ...a, data_offsets: [4, 28] } }, /tensor 'a': expected data starting at offset 0/],
      ["bytes after the last tensor", { a }, /^byte \d+: expected a data section of 24 bytes \(the end of tensor 'a'\), found 4 bytes after the last tensor$/],
    ];
    for (const [name, header, msg] of cases) {
      it(`${name} → SafetensorsError naming the file and the place`, () => {
        const e = err(withHeader(two, header));
        expect(e).toBeInstanceOf(SafetensorsError);
        expect(e).toBeInstanceOf(InputError);
        expect(e.file).toBe("m.safetensors");
        expect(e.message.startsWith("m.safetensors: at ")).toBe(true);
        expect(e.message.slice("m.safetensors: at ".length)).toMatch(msg);
      });
    }
    it("a header that is not JSON or not UTF-8, and a header length past the end", () => {
      expect(err(withHeader(two, "{\"a\":", true)).message).toMatch(/^m.safetensors: at byte 8 \(header\): expected \d+ bytes of UTF-8 JSON, found invalid JSON/);
      const bad = withHeader(two, "{}  ", true);
      bad[9] = 0xff;
      expect(err(bad).message).toMatch(/found invalid JSON or UTF-8/);
      const long = two.slice();
      new DataView(long.buffer).setBigUint64(0, 2n ** 63n, true);
      expect(err(long).message).toMatch(/^m.safetensors: at byte 0: expected a header length ≤ \d+ .*found 9223372036854775808$/);
    });
    it("a tensor called __proto__ is an ordinary tensor, not a prototype", () => {
      const b = encodeSafetensors({ x: { dtype: "U8", shape: [1], data: new Uint8Array([9]) } });
      const hx = headerOf(b);
      const t = decodeSafetensors(withHeader(b, JSON.parse(JSON.stringify(hx).replace('"x"', '"__proto__"'))), "p").tensors;
      expect(Object.keys(t)).toEqual(["__proto__"]);
      expect(Array.from(t["__proto__"]!.data)).toEqual([9]);
    });
    it("the unmodified file still decodes (the cases above differ from it in one field each)", () => {
      const { tensors, metadata } = decodeSafetensors(withHeader(two, h), "m.safetensors");
      expect(Object.keys(tensors).sort()).toEqual(["a", "b"]);
      expect(metadata.arch).toBe("x");
    });
    it("readSafetensorsFile names the path of a missing file or a directory", () => {
      const dir = mkdtempSync(join(tmpdir(), "sl-st-"));
      mkdirSync(join(dir, "w.safetensors"));
      expect(() => readSafetensorsFile(join(dir, "w.safetensors"))).toThrow(`${join(dir, "w.safetensors")}: at byte 0: expected a readable safetensors file, found a directory (EISDIR)`);
      expect(() => readSafetensorsFile(join(dir, "none.safetensors"))).toThrow(`${join(dir, "none.safetensors")}: at byte 0: expected a readable safetensors file, found no such file (ENOENT)`);
    });
  });
});
