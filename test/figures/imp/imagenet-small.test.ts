// The small-scale ImageNet path end to end on a tiny fixture ImageFolder: cache build, RRC/HFlip batches,
// one SGD step of a narrow SEW-ResNet-18, evaluation, the run cache, and the SOP measurement input.
import { runContext } from "../../../src/lib/repro/item.js";
import { disposeModule } from "../../../src/lib/layers/module.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sewSetting, trainSew, type SewSetting } from "../../../src/figures/imp/experiment.js";
import { tf } from "../../../src/lib/backend/tf.js";
import { networkEnergy } from "../../../src/lib/metrics/sops.js";
import { FIXTURE_WNIDS, writeImageNetFolder } from "../../data/imagenet-fixture.js";

describe("IMP ImageNet tables, small-scale code path", () => {
  it("documents the small and paper settings", () => {
    expect(sewSetting("small")).toMatchObject({ T: 4, size: 64, cacheSide: 73, classes: expect.arrayContaining(["n01440764"]), trainPerClass: 260, valPerClass: 50, lr: 0.05 });
    expect(sewSetting("small").classes).toHaveLength(10);
    expect(sewSetting("paper", 18)).toMatchObject({ size: 224, epochs: 320, batchSize: 768, lr: 0.05, widthFactor: 1 });
    expect(sewSetting("paper", 50)).toMatchObject({ batchSize: 192, microBatches: 4 }); // run.sh: 4 GPUs × 48
    expect(sewSetting("paper").cacheSide).toBeUndefined();
    expect(sewSetting("paper").init).toBeUndefined(); // random init unless converted torchvision weights are supplied
    const saved = process.env.SPIKELAB_IMAGENET_INIT;
    process.env.SPIKELAB_IMAGENET_INIT = "/w";
    try {
      expect(sewSetting("paper", 34).init).toBe(join("/w", "resnet34.safetensors"));
      expect(sewSetting("small").init).toBeUndefined(); // only the paper setting follows run.sh's --load
    } finally {
      if (saved === undefined) delete process.env.SPIKELAB_IMAGENET_INIT; else process.env.SPIKELAB_IMAGENET_INIT = saved;
    }
  });
  it("trains one step of a SEW-ResNet-18 on a fixture ImageNet folder and reloads the run", async () => {
    const root = mkdtempSync(join(tmpdir(), "spikelab-imnet-"));
    writeImageNetFolder(root, "train", { perClass: 3, side: 20 });
    writeImageNetFolder(root, "val", { perClass: 1, side: 20 });
    const s: SewSetting = { ...sewSetting("small"), root, classes: FIXTURE_WNIDS.slice(0, 2), trainPerClass: 2, valPerClass: 1, size: 16, cacheSide: 18, widthFactor: 1 / 16, epochs: 1, batchSize: 4, microBatches: 2, T: 2 };
    const ctx = runContext({ outRoot: join(root, "results"), paper: "imp", item: "table3", scale: "small", seed: 0 });
    const a = await trainSew(18, { loss: "lts", imp: false }, ctx, s);
    expect(a.history).toHaveLength(1);
    expect(a.sample.shape).toEqual([2, 2, 16, 16, 3]); // [T, B (2 val images = one micro-batch), S, S, 3]
    expect(a.finalTestAcc).toBeGreaterThanOrEqual(0);
    const step = tf.slice(a.sample, [0, 0], [1, 1]);
    const e = await networkEnergy(a.model, step, [a.sample], 2);
    expect(e.sops).toBeGreaterThanOrEqual(0);
    step.dispose();
    const b = await trainSew(18, { loss: "lts", imp: false }, ctx, s); // reloaded, not retrained
    expect(b.history).toEqual(a.history);
    const oa = tf.tidy(() => a.model.forward(a.sample)), ob = tf.tidy(() => b.model.forward(b.sample));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(oa, ob)))).dataSync()[0]).toBe(0);
    [a, b].forEach((r) => { disposeModule(r.model); r.sample.dispose(); });
  }, 60_000);

  it("1 and 2 workers train the same step (SEW-ResNet-18 with IMP, 2 micro-batches): equal test accuracy, losses within 1e-4", async () => {
    const root = mkdtempSync(join(tmpdir(), "spikelab-imnet-"));
    writeImageNetFolder(root, "train", { perClass: 3, side: 20 });
    writeImageNetFolder(root, "val", { perClass: 2, side: 20 });
    const s: SewSetting = { ...sewSetting("small"), root, classes: FIXTURE_WNIDS.slice(0, 2), trainPerClass: 3, valPerClass: 2, size: 16, cacheSide: 18, widthFactor: 1 / 16, epochs: 1, batchSize: 6, microBatches: 2, T: 2 };
    const run = (workers: number) => trainSew(18, { loss: "lts", imp: true }, { ...runContext({ outRoot: join(root, `results-${workers}`), paper: "imp", item: "table3", scale: "small", seed: 0 }), workers }, s);
    const one = await run(1), two = await run(2);
    expect(two.history.map((h) => h.testAcc)).toEqual(one.history.map((h) => h.testAcc));
    two.history.forEach((h, e) => {
      expect(Math.abs(h.trainLoss - one.history[e]!.trainLoss)).toBeLessThan(1e-4);
      expect(Math.abs(h.testLoss! - one.history[e]!.testLoss!)).toBeLessThan(1e-4);
    });
    expect(two.finalTestAcc).toBe(one.finalTestAcc);
    [one, two].forEach((r) => { disposeModule(r.model); r.sample.dispose(); });
  }, 120_000);
});
