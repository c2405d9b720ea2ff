import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { modelFlops } from "../../src/lib/metrics/model-flops.js";
import { sewResNet, vggMpe } from "../../src/lib/models/index.js";
import { IFNode } from "../../src/lib/neurons/if.js";

const neuron = () => new IFNode({ vReset: null });

describe("FLOPs of known networks", () => {
  it("VGGMPE at 48²: per-layer FLOPs equal the hand count k²·C_in·C_out·H·W", () => {
    const rows = modelFlops(vggMpe({ neuron, T: 1 }), tf.zeros([1, 1, 2, 48, 48]));
    const widths = [64, 128, 256, 256, 512, 512, 512, 512], sizes = [48, 48, 24, 24, 12, 12, 6, 6];
    let cin = 2;
    const expected = widths.map((w, i) => { const f = 9 * cin * w * sizes[i]! ** 2; cin = w; return f; });
    expect(rows.map((r) => r.flops)).toEqual([...expected, 4608 * 10]);
    expect(rows[0]).toMatchObject({ type: "Conv2d", outShape: [48, 48, 64] });
  });
  it("SEW-ResNet-18 at 224² has ResNet-18's 1.814 G multiply-accumulates", () => {
    const net = sewResNet({ depth: 18, neuron, T: 1 });
    const total = modelFlops(net, tf.zeros([1, 1, 224, 224, 3])).reduce((s, r) => s + r.flops, 0);
    expect(total / 1e9).toBeCloseTo(1.814, 2);
    net.parameters().forEach((p) => p.variable.dispose());
  });
  it("refuses a batch or sequence larger than one", () => {
    expect(() => modelFlops(vggMpe({ neuron, T: 2 }), tf.zeros([2, 1, 2, 48, 48]))).toThrow(/one step of batch 1/);
  });
});
