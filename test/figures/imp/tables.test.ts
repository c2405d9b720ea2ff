// IMP tables: settings of the released configs, the ε-parametrised TET-S, exact SEW-ResNet sizes, cached smoke runs, a missing ImageNet folder.
import { runContext } from "../../../src/lib/repro/item.js";
import { disposeModule } from "../../../src/lib/layers/module.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/tf.js";
import { impDvsSetting, impLoss, trainSew } from "../../../src/figures/imp/experiment.js";
import { sewParams } from "../../../src/figures/imp/tables.js";
import { tetSLoss } from "../../../src/lib/losses/tet.js";

describe("IMP table machinery", () => {
  it("follows the released configs at the paper scale", () => {
    expect(impDvsSetting("cifar10dvs", "48", "paper")).toMatchObject({ T: 10, size: 48, batchSize: 32, epochs: 200, widthFactor: 1 });
    expect(impDvsSetting("ncaltech101", "48", "paper")).toMatchObject({ batchSize: 16 });
    expect(impDvsSetting("cifar10dvs", "128", "paper")).toMatchObject({ T: 16, size: 128, batchSize: 16 });
    expect(impDvsSetting("cifar10dvs", "48", "smoke", 10)).toMatchObject({ T: 4, data: "synthetic" });
  });
  it("tet-s(ε) is TET with label smoothing ε; unknown names are refused", () => {
    const out = tf.randomNormal([3, 4, 5], 0, 1, "float32", 2);
    const y = Int32Array.from([0, 1, 2, 3]);
    expect(impLoss("tet-s(0.1)").loss(out, y).dataSync()[0]).toBeCloseTo(tetSLoss(out, y, 0.1).dataSync()[0]!, 6);
    expect(impLoss("tet-s(0.1)").loss(out, y).dataSync()[0]).not.toBeCloseTo(tetSLoss(out, y, 0.01).dataSync()[0]!, 4);
    expect(() => impLoss("hinge" as never)).toThrow(/unknown loss 'hinge'/);
  });
  it("SEW-ResNet-18/34/50 have torchvision's ResNet parameter counts at 1000 classes", () => {
    expect(sewParams()).toEqual({ "SEW-R18": 11_689_512, "SEW-R34": 21_797_672, "SEW-R50": 25_557_032 });
  });
  it("a smoke SEW run is cached and reloaded with identical weights; small without ImageNet names the folder and the fetch command", async () => {
    const ctx = runContext({ outRoot: mkdtempSync(join(tmpdir(), "spikelab-imp-")), paper: "imp", item: "table3", scale: "smoke", seed: 0 });
    const a = await trainSew(18, { loss: "lts", imp: true }, ctx);
    const b = await trainSew(18, { loss: "lts", imp: true }, ctx);
    const outA = tf.tidy(() => a.model.forward(a.sample)), outB = tf.tidy(() => b.model.forward(b.sample));
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(outA, outB)))).dataSync()[0]).toBe(0);
    expect(b.history).toEqual(a.history);
    [a, b].forEach((r) => { disposeModule(r.model); r.sample.dispose(); });
    const saved = process.env.SPIKELAB_DATA;
    process.env.SPIKELAB_DATA = join(tmpdir(), "spikelab-no-such-data");
    try {
      await expect(trainSew(18, { loss: "lts", imp: false }, { ...ctx, scale: "small" })).rejects.toThrow(/spikelab-no-such-data\/imagenet\/train: ImageNet train folder not found\. Fetch it with 'npx tsx data\/fetch\/imagenet\.ts --from/);
    } finally {
      if (saved === undefined) delete process.env.SPIKELAB_DATA; else process.env.SPIKELAB_DATA = saved;
    }
  }, 120_000);
});
