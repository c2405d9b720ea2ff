import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { isOwnKernel, registerOwnKernel, wrapKernel } from "../../src/lib/backend/kernel-overrides.js";

describe("kernel overrides", () => {
  it("a wrapper gets the stock function once; a second pass leaves spikelab's kernel alone", () => {
    const stock = () => "stock";
    tf.registerKernel({ kernelName: "SpikelabTestOp", backendName: "cpu", kernelFunc: stock as never });
    expect(isOwnKernel("SpikelabTestOp", "cpu")).toBe(false);
    const got = wrapKernel<() => string>("SpikelabTestOp", "cpu", (s) => () => `wrapped ${s()}`);
    expect(got).toBe(stock);
    expect(isOwnKernel("SpikelabTestOp", "cpu")).toBe(true);
    expect((tf.getKernel("SpikelabTestOp", "cpu")!.kernelFunc as unknown as () => string)()).toBe("wrapped stock");
    expect(wrapKernel("SpikelabTestOp", "cpu", () => () => "twice")).toBeNull();
    expect((tf.getKernel("SpikelabTestOp", "cpu")!.kernelFunc as unknown as () => string)()).toBe("wrapped stock");
  });
  it("wraps nothing the backend lacks; registerOwnKernel marks a new kernel", () => {
    expect(wrapKernel("SpikelabNoSuchOp", "cpu", () => () => 0)).toBeNull();
    registerOwnKernel("SpikelabNewOp", "cpu", () => 1);
    expect(isOwnKernel("SpikelabNewOp", "cpu")).toBe(true);
  });
});
