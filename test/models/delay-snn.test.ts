import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { DelaySnn, MembraneReadout } from "../../src/lib/models/delay-snn.js";
import { neuronFactory } from "../../src/lib/models/neuron-factories.js";
import { mulFreeLayerOf } from "../../src/lib/models/neuron-factories.js";
import { atan } from "../../src/lib/surrogate.js";

describe("DelaySnn (SNN-delays network)", () => {
  it("grows the sequence by (D − 1)/2 per Dcls layer, gives the mul-free layers the sawtooth dilations 1, 2", () => {
    const net = new DelaySnn({ inputs: 6, hidden: 8, layers: 2, outputs: 3, kernelSize: 5, T: 10, neuron: neuronFactory("mulfree-psn", { k: 2, dilation: "sawtooth", surrogate: atan(5) }), seed: 1 });
    const y = net.forward(tf.randomUniform([10, 4, 6], 0, 2, "float32", 3));
    expect(y.shape).toEqual([10 + 3 * 2, 4, 3]);
    expect(net.outputT).toBe(16);
    const sn = net.children.filter(([n]) => n.startsWith("sn")).map(([, m]) => mulFreeLayerOf(m)!.dilation);
    expect(sn).toEqual([1, 2]);
    const groups = net.parameters().map((p) => `${p.name}:${p.group}`);
    expect(groups).toContain("dcls0.P:delay");
    expect(groups).toContain("dcls2.weight:weight");
    expect(groups.filter((g) => g.endsWith(":delay"))).toHaveLength(3);
  });

  it("the readout is the non-firing LIF membrane H_t = (1 − 1/τ)·H_{t−1} + X_t", () => {
    const x = tf.tensor3d([[[1]], [[2]], [[-1]]]);
    const h = new MembraneReadout(2).forward(x).dataSync();
    expect(Array.from(h)).toEqual([1, 2.5, 0.25]);
  });
});
