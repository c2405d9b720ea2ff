// The mul-free SHD run (Table 2) with gradient workers: per-epoch Dcls σ in every copy of the network.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildShdNet, shdData, shdSetting, shdWorkerModel, trainShd } from "../../../src/figures/mulfree/shd-task.js";
import { disposeModule, parametersOf } from "../../../src/lib/layers/module.js";

const work = mkdtempSync(join(tmpdir(), "spikelab-shd-"));
const ctx = { sharedDir: (name: string) => join(work, `_${name}`) };

describe("mulfree SHD task with workers", () => {
  it("shdWorkerModel builds trainShd's network: the same parameter names, shapes and initial values", () => {
    const s = shdSetting("smoke");
    const a = shdWorkerModel({ setting: s, arm: "ours", seed: 1 }).model, b = buildShdNet(s, "ours", 1);
    const pa = parametersOf(a), pb = parametersOf(b);
    expect(pa.map((p) => [p.name, p.variable.shape])).toEqual(pb.map((p) => [p.name, p.variable.shape]));
    pa.forEach((p, i) => expect(Array.from(p.variable.dataSync()), p.name).toEqual(Array.from(pb[i]!.variable.dataSync())));
    disposeModule(a); disposeModule(b);
  });

  it("smoke run, 2 epochs (σ changes between them) × 3 steps: 2 workers give 1 worker's test accuracies, and losses within 1e-4", async () => {
    const s = shdSetting("smoke");
    const data = await shdData(s, ctx);
    const run = (workers: number) => trainShd(s, "ours", 0, data, { epochs: 2, maxBatches: 3, workers });
    const one = await run(1), two = await run(2);
    // σ(0) = ⌊D/2⌋ + 0.27 and σ(1) = 0.5 (decay over ⌊5/4⌋ = 1 epoch): epoch 1 runs another kernel; had the workers
    // kept σ(0), its losses would be far apart.
    expect(one.history.length).toBe(2);
    expect(two.history.map((h) => h.testAcc)).toEqual(one.history.map((h) => h.testAcc));
    two.history.forEach((h, e) => {
      expect(Math.abs(h.trainLoss - one.history[e]!.trainLoss), `train loss, epoch ${e}`).toBeLessThan(1e-4);
      expect(Math.abs(h.testLoss! - one.history[e]!.testLoss!), `test loss, epoch ${e}`).toBeLessThan(1e-4);
    });
    expect(two.testAcc).toBe(one.testAcc);
    disposeModule(one.model); disposeModule(two.model);
  }, 240_000);
});
