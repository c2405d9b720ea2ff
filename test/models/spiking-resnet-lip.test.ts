// DVS-Lip Spiking ResNet-18: parameter count by hand, shapes, gradients reach the 3-D stem, the neuron factory.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { countParameters, type Named } from "../../src/lib/models/common.js";
import { neuronFactory } from "../../src/lib/models/neuron-factories.js";
import { lipSpikingResNet18 } from "../../src/lib/models/spiking-resnet-lip.js";
import { mulFreeLayerOf } from "../../src/lib/models/neuron-factories.js";
import { leafModules } from "../../src/lib/layers/module.js";
import { inverseQuadratic } from "../../src/lib/surrogate.js";

const dispose = (net: Named) => {
  net.parameters().forEach((p) => p.variable.dispose());
  net.buffers().forEach((b) => b.variable.dispose());
};

/** Hand count: stem conv3d 5·7·7·2·c₀ + BN; per stage two basic blocks (two 3×3 convs + BN), stages 2–4 a 1×1 downsample + BN; FC. Mul-free neurons: k + 1 per channel (W, V_th). */
function expectedParams(widths: number[], K: number, k: number): number {
  const conv = (cin: number, cout: number, kk: number) => kk * kk * cin * cout;
  const bn = (c: number) => 2 * c;
  const sn = (c: number) => (k + 1) * c;
  let n = 5 * 7 * 7 * 2 * widths[0]! + bn(widths[0]!) + sn(widths[0]!);
  let cin = widths[0]!;
  widths.forEach((c, i) => {
    n += conv(cin, c, 3) + bn(c) + sn(c) + conv(c, c, 3) + bn(c) + sn(c) + (i > 0 ? conv(cin, c, 1) + bn(c) : 0);
    n += 2 * (conv(c, c, 3) + bn(c) + sn(c));
    cin = c;
  });
  return n + cin * K + K;
}

describe("lipSpikingResNet18", () => {
  it("has the hand-counted parameters at full width (mul-free PSN k = 2)", () => {
    const net = lipSpikingResNet18({ neuron: neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: inverseQuadratic(10) }), T: 8 });
    expect(countParameters(net)).toBe(expectedParams([64, 128, 256, 512], 100, 2));
    const layers = leafModules(net, (m) => mulFreeLayerOf(m) !== null).map(([, m]) => mulFreeLayerOf(m)).filter((m) => m !== null);
    expect(layers.length).toBe(17); // stem + 2 per block × 8 blocks
    expect(layers.every((l) => l!.k === 2)).toBe(true);
    dispose(net);
  });

  it("maps [T, B, 2, 88, 88] frames to [T, B, K] and trains end to end (gradient reaches the 3-D stem)", () => {
    const T = 4;
    const net = lipSpikingResNet18({ neuron: neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: inverseQuadratic(10) }), T, widthFactor: 1 / 16, numClasses: 5, seed: 1 });
    const x = tf.randomUniform([T, 2, 2, 88, 88], 0, 3, "float32", 3);
    const y = net.forward(x);
    expect(y.shape).toEqual([T, 2, 5]);
    const vars = net.parameters().map((p) => p.variable);
    const { grads } = tf.variableGrads(() => tf.tidy(() => tf.sum(tf.square(tf.mean(net.forward(x), 0)))) as tf.Scalar, vars);
    const stem = net.parameters().find((p) => p.name === "conv1.weight")!;
    expect(stem.variable.shape).toEqual([5, 7, 7, 2, 4]);
    expect(tf.sum(tf.abs(grads[stem.variable.name]!)).dataSync()[0]).toBeGreaterThan(0);
    Object.values(grads).forEach((g) => g.dispose());
    y.dispose(); x.dispose();
    dispose(net);
  });
});
