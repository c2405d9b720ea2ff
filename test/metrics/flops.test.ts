import { describe, expect, it } from "vitest";
import { conv2dFlops, linearFlops, networkCounts, sops } from "../../src/lib/metrics/flops.js";

describe("FLOPs and SOPs", () => {
  it("conv and linear FLOPs of known layers", () => {
    // VGG first conv at 48x48: 3·3·2·64·48·48.
    expect(conv2dFlops({ kernel: [3, 3], inChannels: 2, outChannels: 64, outSize: [48, 48] })).toBe(2654208);
    // Depthwise 3x3 over 32 channels at 8x8: 3·3·1·32·8·8.
    expect(conv2dFlops({ kernel: [3, 3], inChannels: 32, outChannels: 32, outSize: [8, 8], groups: 32 })).toBe(18432);
    expect(linearFlops(4608, 10)).toBe(46080);
    expect(() => conv2dFlops({ kernel: [1, 1], inChannels: 3, outChannels: 4, outSize: [1, 1], groups: 2 })).toThrow(/groups/);
  });
  it("SOPs = fr·T·FLOPs, T counted once; first layer counted as T·FLOPs MACs", () => {
    expect(sops(0.1, 4, 1000)).toBeCloseTo(400, 10);
    const n = networkCounts([{ name: "conv1", flops: 100 }, { name: "conv2", flops: 1000, inputRate: 0.2 }, { name: "fc", flops: 50, inputRate: 0.5 }], 4);
    expect(n.firstLayerFlops).toBe(400);
    expect(n.sops).toBeCloseTo(0.2 * 4 * 1000 + 0.5 * 4 * 50, 10);
    expect(() => networkCounts([{ name: "a", flops: 1 }, { name: "b", flops: 1 }], 4)).toThrow(/'b' needs the firing rate/);
    expect(() => sops(1.5, 4, 1)).toThrow(/firing rate/);
  });
});
