import { describe, expect, it } from "vitest";
import { currentBackend, tf } from "../../src/lib/backend/index.js";
import { adapterOf, describeAdapter, webgpuAdapter } from "../../src/lib/backend/webgpu.js";
import { wgslF32 } from "../../src/lib/backend/webgpu-program.js";

describe("webgpu rung (pure parts; the rung itself runs in the webgpu test group)", () => {
  it("reads the adapter and treats software drivers as fallback adapters", () => {
    const lvp = adapterOf({ info: { description: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)", vendor: "mesa", architecture: "software", device: "llvmpipe" } });
    expect(lvp.isFallback).toBe(true);
    expect(describeAdapter(lvp)).toBe("adapter 'llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)', a fallback (software) adapter");
    expect(adapterOf({ info: { description: "", vendor: "google", architecture: "", device: "SwiftShader Device (Subzero)" } }).isFallback).toBe(true);
    const gpu = adapterOf({ info: { description: "NVIDIA H100 80GB HBM3", vendor: "nvidia", architecture: "hopper", device: "" } });
    expect(gpu.isFallback).toBe(false);
    expect(describeAdapter(gpu)).toBe("adapter 'NVIDIA H100 80GB HBM3'");
    expect(adapterOf({ info: { vendor: "x" }, isFallbackAdapter: true }).isFallback).toBe(true);
  });
  it("writes float32 constants as WGSL literals that parse to the same float32", () => {
    expect(wgslF32(0.25)).toBe("f32(0.25)");
    expect(wgslF32(0.1)).toBe(`f32(${Math.fround(0.1)})`);
    expect(wgslF32(-0)).toBe("f32(-0.0)");
    expect(wgslF32(1e-30)).toBe(`f32(${Math.fround(1e-30)})`);
    expect(() => wgslF32(Number.NaN)).toThrow(/finite/);
  });
  it("in auto mode a fallback adapter is skipped with that reason (forcing it is the webgpu group's job)", () => {
    const choice = currentBackend()!;
    const skip = choice.skipped.find((s) => s.rung === "webgpu");
    if (choice.reason !== "auto" || choice.rung === "webgpu") return; // a real adapter, or a forced rung: nothing skipped
    expect(skip).toBeDefined();
    const adapter = webgpuAdapter();
    if (adapter?.isFallback) expect(skip!.why).toMatch(/fallback \(software\) adapter .* slower than wasm; SPIKELAB_BACKEND=webgpu uses it/);
    else expect(skip!.why).toMatch(/not installed|no WebGPU adapter|failed/);
    expect(tf.getBackend()).toBe(choice.tfBackend);
  });
});
