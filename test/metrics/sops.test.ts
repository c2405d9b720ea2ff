// SOPs and energy from the firing rates of each synaptic layer's input (Spikformer recipe).
import { describe, expect, it, vi } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { Linear } from "../../src/lib/layers/linear.js";
import { Named } from "../../src/lib/models/common.js";
import { IFNode } from "../../src/lib/neurons/if.js";
import { networkEnergy, synapseInputRates } from "../../src/lib/metrics/sops.js";

describe("synapse input rates and network energy", () => {
  it("counts the first layer as MACs every step and later layers as rate · T · FLOPs, checked by hand", async () => {
    const fc1 = new Linear(4, 3, { seed: 1 }), fc2 = new Linear(3, 2, { seed: 2 });
    const net = new Named([["fc1", fc1], ["sn", new IFNode({ vThreshold: 0.5 })], ["fc2", fc2]]);
    const T = 3;
    const x = tf.randomUniform([T, 5, 4], 0, 1, "float32", 7);
    const rates = await synapseInputRates(net, [x]);
    expect(rates.get("fc1")).toBeUndefined(); // real-valued input
    // The IF spikes entering fc2, recomputed directly.
    const spikes = tf.tidy(() => new IFNode({ vThreshold: 0.5 }).forward(fc1.forward(x)));
    const rate = spikes.mean().dataSync()[0]!;
    expect(rates.get("fc2")).toBeCloseTo(rate, 6);
    const e = await networkEnergy(net, tf.slice(x, [0, 0], [1, 1]), [x], T);
    expect(e.firstLayerFlops).toBe(4 * 3 * T);
    expect(e.sops).toBeCloseTo(rate * T * 3 * 2, 6);
    expect(e.energy.totalPj).toBeCloseTo(4.6 * 4 * 3 * T + 0.9 * rate * T * 6, 6);
    expect(e.params).toBe(4 * 3 + 3 + 3 * 2 + 2);
  });
  it("reads nothing back synchronously (webgpu has no dataSync) and leaves no tensor behind", async () => {
    const net = new Named([["fc1", new Linear(4, 3, { seed: 1 })], ["sn", new IFNode({ vThreshold: 0.5 })], ["fc2", new Linear(3, 2, { seed: 2 })]]);
    const x = tf.randomUniform([3, 5, 4], 0, 1, "float32", 7);
    const expected = await synapseInputRates(net, [x]);
    const before = tf.memory().numTensors;
    const sync = vi.spyOn(tf.Tensor.prototype, "dataSync").mockImplementation(() => { throw new Error("dataSync called"); });
    try {
      expect(await synapseInputRates(net, [x])).toEqual(expected);
    } finally {
      sync.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
