import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/tf.js";
import { FIG4_SETTINGS, fig4Model, perStepAccuracy, run, trainPerStep } from "../../../src/figures/imp/fig4.js";
import type { Module } from "../../../src/lib/layers/module.js";
import { getClaim } from "../../../src/lib/repro/claims.js";
import { compareClaim } from "../../../src/lib/repro/verdict.js";
import type { BatchSource } from "../../../src/lib/train/trainer.js";
import { ProgressBar } from "../../../src/lib/util/progress.js";

const progress = (l: string, n: number) => new ProgressBar(l, n, { quiet: true });

describe("IMP Fig. 4 per-step accuracy (MNIST stand-in)", () => {
  it("accuracy at t uses O_t alone; the running-mean rule uses O_1..O_t", async () => {
    // Labels 0..3. Step 1 votes class 0 for everyone, step 2 the true class, step 3 weakly class 3.
    const labels = Int32Array.from([0, 1, 2, 3]);
    const data: BatchSource = { batchesPerEpoch: () => 1, batch: () => ({ x: tf.zeros([3, 4, 1]), labels }) };
    const vote = (cls: (j: number) => number, w: number) => [0, 1, 2, 3].map((j) => [0, 1, 2, 3].map((k) => (k === cls(j) ? w : 0)));
    const logits = [vote(() => 0, 1), vote((j) => j, 1.5), vote(() => 3, 0.2)];
    const model: Module = { forward: () => tf.tensor3d(logits) };
    const a = await perStepAccuracy(model, data);
    expect(a.count).toBe(4);
    expect(a.stepAlone).toEqual([25, 100, 25]);
    // Running mean: t = 2 and t = 3 keep the true class ahead (1.5 vs 1 vs 0.2).
    expect(a.runningMean).toEqual([25, 100, 100]);
  });

  it("an untrained SNN is at chance at every step, and SDT training lifts every step far above it", async () => {
    const r = await trainPerStep({ hidden: [256, 256], T: 3, trainSamples: 1000, testSamples: 300, epochs: 2, batchSize: 50, lr: 1e-3 }, { seed: 0, progress });
    expect(r.before.stepAlone).toHaveLength(3);
    for (const v of r.before.stepAlone) expect(v).toBeLessThan(20);
    for (const v of r.after.stepAlone) expect(v).toBeGreaterThan(40);
    expect(r.after.runningMean[2]).toBeGreaterThan(r.before.runningMean[2]! + 30);
    expect(r.after.count).toBe(300);
  });

  it("models: MLPs with an IF layer after every hidden layer map [T, B, 784] digits to [T, B, 10]", () => {
    for (const s of [FIG4_SETTINGS.smoke, FIG4_SETTINGS.small]) {
      const m = fig4Model(s.hidden, 0);
      expect(m.layers).toHaveLength(2 * s.hidden.length + 1);
      const o = m.forward(tf.zeros([2, 3, 784]));
      expect(o.shape).toEqual([2, 3, 10]);
      o.dispose();
      m.parameters().forEach((p) => p.variable.dispose());
    }
    expect(FIG4_SETTINGS.small.T).toBeGreaterThanOrEqual(4);
    expect(FIG4_SETTINGS.small.T).toBeLessThanOrEqual(8);
  });

  it("the paper-scale claim is NOT-RUN with its reason; a reduced-scale value is PARTIAL", async () => {
    const r = await run({ scale: "paper", seed: 0, outDir: "unused", progress });
    expect(r.reproduced).toHaveLength(1);
    expect(r.reproduced[0]).toMatchObject({ claimId: "imp:fig4/step1-acc", value: null });
    expect(r.reproduced[0]!.note).toMatch(/CIFAR10/);
    const c = getClaim("imp:fig4/step1-acc");
    expect(c.kind).toBe("trained");
    expect(compareClaim(c, null, "paper", r.reproduced[0]!.note).status).toBe("NOT-RUN");
    expect(compareClaim(c, 72.8, "smoke").status).toBe("PARTIAL");
  });
});
