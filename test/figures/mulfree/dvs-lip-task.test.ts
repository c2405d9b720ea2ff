// DVS-Lip task: the scales' settings, Table 8 transforms at reduced sizes, the lr schedule, the smoke data
// pipeline (synthetic .npy → frames → batches) and the epoch-time arithmetic.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lipLoaders, lipSchedule, lipSetting, lipTrainTransform, timeLipEpoch, type LipSetting } from "../../../src/figures/mulfree/dvs-lip-task.js";
import { DVS_LIP_CLASSES } from "../../../src/lib/data/datasets/dvs-lip.js";
import { Rng } from "../../../src/lib/util/random.js";

const work = mkdtempSync(join(tmpdir(), "spikelab-lip-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("DVS-Lip task", () => {
  it("paper scale is the paper's recipe; small uses 10 spread words", () => {
    const p = lipSetting("paper");
    expect([p.words.length, p.T, p.frameSize, p.crop, p.widthFactor, p.epochs, p.batchSize, p.trainPerWord]).toEqual([100, 90, 96, 88, 1, 200, 32, null]);
    const s = lipSetting("small");
    expect(s.words).toEqual(DVS_LIP_CLASSES.filter((_, i) => i % 10 === 0));
    expect(s.words[1]).toBe("become");
  });

  it("lr: 3e-4 for the first half, then cosine 1e-4 → 5e-6", () => {
    const s = lipSchedule(200);
    expect([s(0), s(99)]).toEqual([3e-4, 3e-4]);
    expect(s(100)).toBeCloseTo(1e-4, 12);
    expect(s(200)).toBeCloseTo(5e-6, 12);
  });

  it("training transforms keep T and crop to the setting's size, reproducibly", () => {
    const s = { ...lipSetting("paper"), T: 18 }; // temporal masks ≤ 4 frames
    const f = { data: new Float32Array(18 * 2 * 96 * 96).fill(1), shape: [18, 2, 96, 96] as [number, number, number, number] };
    const a = lipTrainTransform(s).apply(f, new Rng(3));
    expect(a.shape).toEqual([18, 2, 88, 88]);
    expect(Array.from(a.data)).toEqual(Array.from(lipTrainTransform(s).apply(f, new Rng(3)).data));
    expect(a.data.some((v) => v === 0)).toBe(true); // the masks removed something
  });

  it("smoke data: synthetic DVS-Lip files → [T, B, 2, 44, 44] batches with word labels", async () => {
    const s = lipSetting("smoke");
    const ctx = { sharedDir: (name: string) => join(work, `_${name}`), seed: 0 };
    const { train, test } = await lipLoaders(s, ctx);
    expect([train.source.length, test.source.length]).toEqual([30, 10]);
    const b = await train.batch(0, 0);
    expect(b.x.shape).toEqual([8, 10, 2, 44, 44]);
    expect(Math.max(...b.labels)).toBeLessThan(5);
    const t = await test.batch(0, 0);
    expect(t.x.shape).toEqual([8, 10, 2, 44, 44]);
    expect(Array.from(t.labels)).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 4, 4]);
    expect(t.x.sum().dataSync()[0]).toBeGreaterThan(0);
    b.x.dispose(); t.x.dispose();
  });

  it("epoch time = median step × (batch size / measured batch) × steps", () => {
    const tiny: LipSetting = { ...lipSetting("smoke"), T: 2, crop: 24, widthFactor: 1 / 32, batchSize: 8 };
    let now = 0;
    const ticks = [0, 10, 13, 20, 27]; // warm-up start (its time is not kept), then steps of 3 s and 7 s: median 5 s
    let i = 0;
    const r = timeLipEpoch(tiny, { batch: 2, repeats: 2, trainSamples: 100, clock: () => (now = ticks[i++] ?? now) });
    expect(r.stepSeconds).toEqual([3, 7]);
    expect(r.steps).toBe(13);
    expect(r.epochSeconds).toBeCloseTo(5 * 4 * 13, 9);
  });
});
