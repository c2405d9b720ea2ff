import { mkdtempSync, rmSync } from "node:fs";
import { runContext } from "../../../src/lib/repro/item.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/tf.js";
import { FIG4_SETTINGS, fig4Model, fig4Schedule, perStepAccuracy, run } from "../../../src/figures/imp/fig4.js";
import { CifarSequenceSource } from "../../../src/lib/data/datasets/cifar.js";
import { gratingImage } from "../../../src/lib/data/synthetic-cifar.js";
import type { Module } from "../../../src/lib/layers/module.js";
import { countParameters } from "../../../src/lib/models/common.js";
import { getClaim } from "../../../src/figures/registry.js";
import { compareClaim } from "../../../src/lib/repro/verdict.js";
import type { BatchSource } from "../../../src/lib/train/trainer.js";
import { Rng } from "../../../src/lib/util/random.js";

const tmp = mkdtempSync(join(tmpdir(), "imp-fig4-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("IMP Fig. 4 per-step accuracy (CIFAR10 SEW-ResNet-18)", () => {
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

  it("settings: the paper scale is the IMP repo's cifar10 sew-r18 recipe; smaller scales only shrink it", () => {
    const p = FIG4_SETTINGS.paper;
    expect(p).toMatchObject({ data: "real", widthFactor: 1, T: 4, trainLimit: null, testLimit: null, epochs: 300, batchSize: 256, lr: 5e-3, weightDecay: 1e-4, minLr: 1e-6, resizedCrop: [0.875, 1] });
    expect(FIG4_SETTINGS.small.data).toBe("real");
    expect(FIG4_SETTINGS.smoke.data).toBe("synthetic");
    for (const s of Object.values(FIG4_SETTINGS)) expect(s.T).toBe(4);
    // Warm-up 5 of 300 epochs from 1e-3·lr, then cosine to 1e-6.
    const lr = fig4Schedule(p);
    expect(lr(0)).toBeCloseTo(5e-6, 12);
    expect(lr(5)).toBeCloseTo(5e-3, 12);
    expect(lr(2.5)).toBeCloseTo(5e-6 + (5e-3 - 5e-6) / 2, 12);
    expect(lr(300)).toBeCloseTo(1e-6, 12);
    expect(lr(5 + 295 / 2)).toBeCloseTo((5e-3 + 1e-6) / 2, 9);
    const m = fig4Model(p, 0);
    expect(countParameters(m)).toBe(11_173_962);
    for (const q of m.parameters?.() ?? []) q.variable.dispose();
  });

  it("RandomResizedCrop(1–1) is the identity; (0.875–0.875) crops and resizes back to 32²", () => {
    const rng = new Rng(1);
    const n = 4;
    const images = new Uint8Array(n * 3072);
    for (let i = 0; i < n; i++) images.set(gratingImage(i, rng), i * 3072);
    const set = { variant: "cifar10" as const, images, labels: Int32Array.from([0, 1, 2, 3]) };
    const opts = { layout: "image", repeat: 2, batchSize: n, shuffleSeed: 3 } as const;
    const plain = new CifarSequenceSource(set, opts).batch(0, 0).x;
    const same = new CifarSequenceSource(set, { ...opts, resizedCrop: [1, 1] }).batch(0, 0).x;
    const crop = new CifarSequenceSource(set, { ...opts, resizedCrop: [0.875, 0.875] }).batch(0, 0).x;
    expect(crop.shape).toEqual([2, n, 32, 32, 3]);
    expect(tf.max(tf.abs(tf.sub(plain, same))).dataSync()[0]).toBeLessThan(1e-5);
    expect(tf.max(tf.abs(tf.sub(plain, crop))).dataSync()[0]).toBeGreaterThan(0.1);
    // Direct encoding: the (cropped) image is the same at every step.
    expect(tf.max(tf.abs(tf.sub(crop.slice([0], [1]), crop.slice([1], [1])))).dataSync()[0]).toBe(0);
    tf.dispose([plain, same, crop]);
    expect(() => new CifarSequenceSource(set, { ...opts, resizedCrop: [0.9, 0.8] })).toThrow(/resizedCrop/);
  });

  it("smoke: the whole pipeline (synthetic CIFAR10 files → SEW-ResNet → Lamb) yields T = 4 per-step values before and after", async () => {
    const r = await run(runContext({ outRoot: join(tmp, "results"), paper: "imp", item: "fig4", scale: "smoke", seed: 0, quietProgress: true }));
    const d = r.data as { after: { stepAlone: number[]; runningMean: number[]; count: number }; before: { stepAlone: number[] }; trainLoss: number[]; trainImages: number };
    expect(d.after.stepAlone).toHaveLength(4);
    expect(d.after.runningMean).toHaveLength(4);
    expect(d.before.stepAlone).toHaveLength(4);
    expect(d.after.count).toBe(FIG4_SETTINGS.smoke.testLimit);
    expect(d.trainImages).toBe(FIG4_SETTINGS.smoke.trainLimit);
    for (const v of [...d.after.stepAlone, ...d.before.stepAlone]) expect(v).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(d.trainLoss[0])).toBe(true);
    expect(r.reproduced.map((x) => x.claimId)).toEqual(["imp:fig4/step1-acc", "imp:fig4/last-step-acc"]);
    expect(r.reproduced[0]!.value).toBe(d.after.stepAlone[0]);
    expect(r.reproduced[1]!.value).toBe(d.after.stepAlone[3]);
    expect(r.notes.join(" ")).toMatch(/pipeline check/);
    expect(r.notes.join(" ")).toMatch(/RandAugment/);
    // Reduced scales are shown, never judged; only the paper scale gets a verdict.
    const c = getClaim("imp:fig4/step1-acc");
    expect(compareClaim(c, r.reproduced[0]!.value, "smoke").status).toBe("PARTIAL");
    expect(compareClaim(c, 10.9, "paper").status).toBe("REPRODUCED");
    expect(compareClaim(getClaim("imp:fig4/last-step-acc"), 60, "paper").status).toBe("MISMATCH");
    expect(compareClaim(getClaim("imp:fig4/last-step-acc"), 93, "paper").status).toMatch(/^REPRODUCED/);
  }, 120_000);

  it("paper and small scales without CIFAR10 fail naming the folder and the fetch command", async () => {
    const before = process.env.SPIKELAB_DATA;
    process.env.SPIKELAB_DATA = join(tmp, "no-data");
    try {
      for (const scale of ["paper", "small"] as const) {
        const err = await run(runContext({ outRoot: join(tmp, "results"), paper: "imp", item: "fig4", scale, seed: 0, quietProgress: true })).then(() => null, (e: Error) => e);
        expect(err?.message).toMatch(/no-data\/cifar10\/extract\/cifar-10-batches-bin/);
        expect(err?.message).toMatch(/npx tsx data\/fetch\/cifar\.ts --variant 10/);
      }
    } finally {
      if (before === undefined) delete process.env.SPIKELAB_DATA;
      else process.env.SPIKELAB_DATA = before;
    }
  });
});
