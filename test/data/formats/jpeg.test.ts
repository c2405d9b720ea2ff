// JPEG decoding (jpeg-js): pixels of a known encoded image, planar conversion, and errors that name the file.
import { describe, expect, it } from "vitest";
import { decodeJpeg, encodeJpeg, framesToRgb, ImageFileError, rgbToFrames } from "../../../src/lib/data/formats/jpeg.js";
import { fixtureImage } from "../imagenet-fixture.js";

describe("jpeg", () => {
  const img = fixtureImage(2, 3, 40, 30);
  const bytes = encodeJpeg(img, 95);
  it("decodes an encoded image to its pixels within JPEG error", () => {
    const d = decodeJpeg(bytes, "a.JPEG");
    expect([d.width, d.height, d.data.length]).toEqual([40, 30, 3600]);
    let maxErr = 0;
    for (let i = 0; i < d.data.length; i++) maxErr = Math.max(maxErr, Math.abs(d.data[i]! - img.data[i]!));
    expect(maxErr).toBeLessThan(12);
    // A flat channel stays at its value: R = 40·2 + 20 = 100 everywhere.
    expect(Math.abs(d.data[3 * (15 * 40 + 20)]! - 100)).toBeLessThanOrEqual(3);
  });
  it("planar frames round-trip", () => {
    const f = rgbToFrames(img);
    expect(f.shape).toEqual([1, 3, 30, 40]);
    expect(f.data[1 * 1200 + 39]).toBe(255); // G at x = 39
    expect(framesToRgb(f)).toEqual(img);
  });
  it("non-JPEG and truncated files fail naming the file and what was expected", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(() => decodeJpeg(png, "n1/x.JPEG")).toThrow(ImageFileError);
    expect(() => decodeJpeg(png, "n1/x.JPEG")).toThrow(/n1\/x\.JPEG: expected a JPEG file \(starting with the SOI marker ff d8\), found bytes 89 50 4e 47 \(a PNG file\)/);
    expect(() => decodeJpeg(new Uint8Array(0), "e.JPEG")).toThrow(/e\.JPEG: .*found an empty file/);
    expect(() => decodeJpeg(bytes.subarray(0, bytes.length >> 1), "t.JPEG")).toThrow(/t\.JPEG: expected a complete baseline\/progressive JPEG, found a corrupt or truncated stream/);
  });
});
