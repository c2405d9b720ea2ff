import { describe, expect, it } from "vitest";
import { float16ToFloat32, float32ToFloat16Bits } from "../../../src/lib/data/formats/float16.js";

describe("float16", () => {
  it("decodes reference bit patterns (numpy float16)", () => {
    expect(float16ToFloat32(0x3c00)).toBe(1);
    expect(float16ToFloat32(0xc000)).toBe(-2);
    expect(float16ToFloat32(0x7bff)).toBe(65504);
    expect(float16ToFloat32(0x0001)).toBe(2 ** -24);
    expect(float16ToFloat32(0x0400)).toBe(2 ** -14);
    expect(float16ToFloat32(0x2e66)).toBeCloseTo(0.0999755859375, 15);
    expect(float16ToFloat32(0x7c00)).toBe(Infinity);
    expect(float16ToFloat32(0x7e00)).toBeNaN();
    expect(Object.is(float16ToFloat32(0x8000), -0)).toBe(true);
  });

  it("encoding inverts decoding for every non-NaN bit pattern", () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const v = float16ToFloat32(bits);
      if (Number.isNaN(v)) continue;
      expect(float32ToFloat16Bits(v)).toBe(bits);
    }
  });

  it("rounds to nearest, ties to even, and overflows to infinity", () => {
    expect(float32ToFloat16Bits(0.1)).toBe(0x2e66);
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie → even mantissa 0
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie → even mantissa 2
    expect(float32ToFloat16Bits(65520)).toBe(0x7c00);
    expect(float32ToFloat16Bits(2 ** -25)).toBe(0); // half the smallest subnormal → even (0)
  });
});
