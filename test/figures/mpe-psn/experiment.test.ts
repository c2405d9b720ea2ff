// MPE-PSN training runs behind Fig. 3a/3b/4, Table 1 and the abstract (papers.md §2.1–2.4).
import { runContext } from "../../../src/lib/repro/item.js";
import { disposeModule } from "../../../src/lib/layers/module.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/tf.js";
import { buildMpeNet, minMax, mpeLayers, mpeSetting, trainMpe } from "../../../src/figures/mpe-psn/experiment.js";
import { neuronLayerRates } from "../../../src/figures/mpe-psn/fig3.js";


const ctx = runContext({ outRoot: mkdtempSync(join(tmpdir(), "spikelab-mpe-")), paper: "mpe-psn", item: "fig", scale: "smoke", seed: 0 });

describe("MPE-PSN settings and networks", () => {
  it("paper scale follows the official scripts; reduced scales scale the L_mem cut-off and say what they run", () => {
    expect(mpeSetting("dvsgesture", "paper")).toMatchObject({ T: 16, size: 64, batchSize: 8, lr: 0.05, lambdaMem: 0.001, epochs: 230, cutoffEpoch: 150, numClasses: 11, widthFactor: 1 });
    expect(mpeSetting("cifar10dvs", "paper", 8)).toMatchObject({ T: 8, size: 48, batchSize: 32, lambdaMem: 0.01 });
    expect(mpeSetting("ncaltech101", "paper")).toMatchObject({ T: 10, size: 128, lr: 0.01, numClasses: 101 });
    expect(mpeSetting("dvsgesture", "small")).toMatchObject({ epochs: 6, cutoffEpoch: 4, data: "real" });
    expect(mpeSetting("dvsgesture", "smoke")).toMatchObject({ T: 4, data: "synthetic" });
  });
  it("Variant A on CIFAR10-DVS, B elsewhere; per-step logits for every class", () => {
    for (const [ds, variant, K] of [["cifar10dvs", "A", 10], ["dvsgesture", "B", 11]] as const) {
      const s = mpeSetting(ds, "smoke");
      const m = buildMpeNet(s, "mpe-psn", 0);
      expect(mpeLayers(m).map((l) => l.params.variant)).toEqual(Array(mpeLayers(m).length).fill(variant));
      expect(tf.tidy(() => m.forward(tf.zeros([s.T, 2, 2, s.size, s.size])).shape)).toEqual([s.T, 2, K]);
      disposeModule(m);
    }
  });
  it("minMax maps to [0, 1] and a constant curve to 0", () => {
    expect(minMax([2, 4, 3])).toEqual([0, 1, 0.5]);
    expect(minMax([5, 5])).toEqual([0, 0]);
  });
});

describe("trainMpe (smoke, synthetic DVS Gesture files)", () => {
  it("tracks the per-epoch distance for MPE-PSN (and none for LIF), sums the epoch's losses, and gives 6 spiking-layer rates", async () => {
    const s = { ...mpeSetting("dvsgesture", "smoke"), epochs: 1 };
    const mpe = await trainMpe(s, "mpe-psn", ctx, { trackDistance: true });
    expect(mpe.distance.length).toBe(1);
    expect(mpe.distance[0]!).toBeGreaterThan(0);
    // Σ of the iterations' losses; the epoch record's trainLoss is the sample-weighted mean (last batch smaller).
    expect(mpe.summedLoss[0]! / mpe.history[0]!.steps).toBeCloseTo(mpe.history[0]!.trainLoss, 1);
    const rates = await neuronLayerRates(mpe.model, mpe.test);
    expect(rates.map(([n]) => n)).toEqual(["conv.0.neuron", "conv.1.neuron", "conv.2.neuron", "conv.3.neuron", "conv.4.neuron", "fc1.neuron"]);
    for (const [, r] of rates) expect(r >= 0 && r <= 100).toBe(true);
    disposeModule(mpe.model);
    const lif = await trainMpe(s, "lif", ctx, { trackDistance: true });
    expect(lif.distance).toEqual([0]);
    expect(Number.isFinite(lif.bestTestAcc)).toBe(true);
    disposeModule(lif.model);
  }, 120_000);

  it("Fig. 3a's tracked run with 2 workers: the 1-worker distances, step by step, and test accuracies", async () => {
    // With learning, runs with 1 and 2 workers drift apart chaotically after the first step (measured: step 0
    // bit-identical, a threshold flip at step 1 moved one layer's distance by 2e-5, ~1 % by step 3 — the float32
    // summation order of the gradients, then spikes and Bernoulli draws sitting within rounding of their
    // thresholds). With the parameters held (lr 0) every step's pass sees the one-process forward's parameters,
    // input, draws and BN batch statistics, so its distances must be the same numbers.
    const s = { ...mpeSetting("dvsgesture", "smoke"), epochs: 2, lr: 0 };
    const one = await trainMpe(s, "mpe-psn", { ...ctx, workers: 1 }, { trackDistance: true });
    const two = await trainMpe(s, "mpe-psn", { ...ctx, workers: 2 }, { trackDistance: true });
    expect(one.distance.length).toBe(2);
    expect(one.distance[0]).toBeGreaterThan(0);
    two.distance.forEach((d, e) => expect(Math.abs(d - one.distance[e]!) / one.distance[e]!, `distance, epoch ${e}`).toBeLessThan(1e-6));
    // The workers' own forwards (SyncBN over 4 + 4 samples, statistics summed in another order) still see spikes
    // flip at rounding distance of the threshold in this narrow net: training losses agree to 1e-3 (measured 2e-4).
    two.summedLoss.forEach((l, e) => expect(Math.abs(l - one.summedLoss[e]!) / one.summedLoss[e]!, `summed loss, epoch ${e}`).toBeLessThan(1e-3));
    expect(two.history.map((h) => h.testAcc)).toEqual(one.history.map((h) => h.testAcc));
    two.history.forEach((h, e) => expect(Math.abs(h.testLoss! - one.history[e]!.testLoss!) / one.history[e]!.testLoss!, `test loss, epoch ${e}`).toBeLessThan(1e-3));
    disposeModule(one.model); disposeModule(two.model);
  }, 240_000);
});
