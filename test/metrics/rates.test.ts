import { describe, expect, it, vi } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { Linear } from "../../src/lib/layers/linear.js";
import { Sequential } from "../../src/lib/layers/seq.js";
import { FiringRateRecorder, firingRate, isSpikeTensor, networkFiringRates } from "../../src/lib/metrics/rates.js";
import { IFNode } from "../../src/lib/neurons/if.js";

describe("firing rates", () => {
  it("recorder pools spikes over batches (Σ spikes / Σ entries)", () => {
    const r = new FiringRateRecorder();
    r.record("a", tf.tensor1d([1, 0, 0, 0]));
    r.record("a", tf.tensor1d([1, 1]));
    expect(r.rates().get("a")).toBeCloseTo(3 / 6, 10);
    expect(firingRate(tf.tensor2d([[1, 0], [1, 1]]))).toBeCloseTo(0.75, 10);
  });
  it("network rates: only spiking leaves are recorded, with their exact rates", async () => {
    const l1 = new Linear(3, 4, { seed: 1 });
    const net = new Sequential(l1, new IFNode({ vReset: null, vThreshold: 0.5 }), new Linear(4, 2, { seed: 2 }));
    const x = tf.randomUniform([4, 2, 3], 0, 1, "float32", 3);
    const rates = await networkFiringRates(net, [x]);
    expect([...rates.keys()]).toEqual(["1"]);
    const expected = tf.mean(new IFNode({ vReset: null, vThreshold: 0.5 }).forward(l1.forward(x))).dataSync()[0]!;
    expect(rates.get("1")).toBeCloseTo(expected, 6);
    expect(isSpikeTensor(tf.tensor1d([0, 1, 0.5]))).toBe(false);
  });
  it("network rates read nothing back synchronously (webgpu has no dataSync) and leave no tensor behind", async () => {
    const net = new Sequential(new Linear(3, 4, { seed: 1 }), new IFNode({ vReset: null, vThreshold: 0.5 }));
    const xs = [tf.randomUniform([4, 2, 3], 0, 1, "float32", 3), tf.randomUniform([4, 2, 3], 0, 1, "float32", 4)];
    const expected = await networkFiringRates(net, xs);
    const before = tf.memory().numTensors;
    const sync = vi.spyOn(tf.Tensor.prototype, "dataSync").mockImplementation(() => { throw new Error("dataSync called"); });
    try {
      expect(await networkFiringRates(net, xs)).toEqual(expected);
    } finally {
      sync.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
