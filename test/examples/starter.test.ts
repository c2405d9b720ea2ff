import { describe, expect, it } from "vitest";
import { trainStarterSnn } from "../../src/lib/examples/starter.js";

describe("starter SNN on MNIST digits", () => {
  it("learns: test accuracy rises far above chance and the training loss falls", async () => {
    const r = await trainStarterSnn({ epochs: 2, trainSamples: 1000, testSamples: 200, seed: 1 });
    expect(r.initialTestAcc).toBeLessThan(0.3);
    expect(r.finalTestAcc).toBeGreaterThan(0.7);
    expect(r.history[1]!.trainLoss).toBeLessThan(r.history[0]!.trainLoss);
    expect(r.hiddenSpikeRate).toBeGreaterThan(0);
    expect(r.hiddenSpikeRate).toBeLessThan(1);
  });
});
