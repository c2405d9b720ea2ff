// Algorithm 1 (papers.md §4.3): per-layer timing of the charge strategies and the argmin choice.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { autoselectStrategies, mulFreeLayers, timeChargeStrategy } from "../../src/lib/neurons/autoselect.js";
import { MULFREE_STRATEGIES, MulFreePSN } from "../../src/lib/neurons/mulfree-psn.js";
import { neuronFactory } from "../../src/lib/models/neuron-factories.js";
import { seqCifarNet } from "../../src/lib/models/seq-cifar.js";

describe("autoselectStrategies", () => {
  it("records each mul-free layer's real input shape, times every candidate and sets the per-layer argmin", async () => {
    const net = seqCifarNet({ neuron: neuronFactory("mulfree-psn", { k: 2, strategy: "toeplitz" }), T: 6, numClasses: 10, channels: 4 });
    const x = tf.randomNormal([6, 2, 32, 1, 3], 0, 1, "float32", 1);
    const layers = mulFreeLayers(net);
    expect(layers.map(([n]) => n)).toEqual(["sn.0", "sn.1", "sn.2", "sn.3", "sn.4", "sn.5", "fc1.sn"]);
    const r = await autoselectStrategies(net, x, { m: 1 });
    // Conv layers see [T, B·rows, C] through the channel adapter; rows halve after each pooling stage.
    expect(r.layers.map((l) => l.shape)).toEqual([[6, 64, 4], [6, 64, 4], [6, 64, 4], [6, 32, 4], [6, 32, 4], [6, 32, 4], [6, 2, 256]]);
    for (const [i, l] of r.layers.entries()) {
      expect(Object.keys(l.timesMs).sort()).toEqual([...MULFREE_STRATEGIES].sort());
      const best = Math.min(...Object.values(l.timesMs));
      expect(l.timesMs[l.chosen]).toBe(best);
      expect(layers[i]![1].strategy).toBe(l.chosen);
    }
    expect(r.totalMs).toBeCloseTo(r.layers.reduce((s, l) => s + l.timesMs[l.chosen]!, 0), 9);
    expect(r.overheadMs).toBeGreaterThan(0);
    // The patched forwards are restored: a normal forward still runs.
    expect(tf.tidy(() => net.forward(x).shape)).toEqual([6, 2, 10]);
  });

  it("times one strategy as a positive mean, and refuses models without a mul-free layer or unknown candidates", async () => {
    const layer = new MulFreePSN(3, 2);
    expect(await timeChargeStrategy(layer, [4, 2, 3], "depthwise", 1)).toBeGreaterThan(0);
    const lif = seqCifarNet({ neuron: neuronFactory("lif"), T: 2, channels: 2 });
    await expect(autoselectStrategies(lif, tf.zeros([2, 1, 32, 1, 3]))).rejects.toThrow(/no MulFreePSN layer/);
    const net = seqCifarNet({ neuron: neuronFactory("mulfree-psn", { k: 2 }), T: 2, channels: 2 });
    // @ts-expect-error an unknown candidate
    await expect(autoselectStrategies(net, tf.zeros([2, 1, 32, 1, 3]), { candidates: ["fft"] })).rejects.toThrow(/unknown candidate "fft"/);
  });
});
