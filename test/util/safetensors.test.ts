import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "../../src/lib/util/safetensors.js";

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
    expect(() => decodeSafetensors(bytes.subarray(0, bytes.length - 3), "w.safetensors")).toThrow(/w.safetensors: tensor 'w' .*truncated/);
    expect(() => decodeSafetensors(bytes.subarray(0, 5), "x")).toThrow(/at least the 8-byte header/);
    expect(() => encodeSafetensors({ w: { dtype: "F32", shape: [3], data: new Float32Array(4) } })).toThrow(/shape \[3\]/);
  });
});
