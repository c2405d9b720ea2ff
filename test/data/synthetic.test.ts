// End to end on synthetic files: generate (publisher layout) → parse → frames → cache → batches,
// and the classes are learnable (a nearest-centroid classifier on the frames beats chance by far).
import { describe, expect, it } from "vitest";
import { Cifar10Dvs } from "../../src/lib/data/datasets/cifar10-dvs.js";
import { datasetFrames } from "../../src/lib/data/datasets/common.js";
import { FrameLoader } from "../../src/lib/data/loader.js";
import { movingSquareEvents, generateCifar10Dvs } from "../../src/lib/data/synthetic.js";
import { Rng } from "../../src/lib/util/random.js";
import { tmp } from "./helpers.js";

describe("synthetic pipeline", () => {
  it("moving squares: sorted integer timestamps, inside the canvas, both polarities", () => {
    const ev = movingSquareEvents(3, 10, new Rng(1), { height: 128, width: 128 });
    expect(ev.t.length).toBeGreaterThan(100);
    for (let i = 1; i < ev.t.length; i++) expect(ev.t[i]! >= ev.t[i - 1]!).toBe(true);
    expect(Math.max(...ev.x)).toBeLessThan(128);
    expect(new Set(ev.p)).toEqual(new Set([0, 1]));
  });
  it("CIFAR10-DVS layout → seeded split → frames cache → [T, B, 2, H, W] batches; classes separable", async () => {
    const root = tmp();
    await generateCifar10Dvs(root, { perClass: 6, durationUs: 50_000 });
    const cacheRoot = tmp();
    const opts = { cacheRoot, frames: 4, resize: [32, 32] as [number, number], antialias: true, progress: false as const };
    const train = await datasetFrames(await Cifar10Dvs.open({ root, split: "seeded", seed: 0, train: true, trainRatio: 0.5 }), root, opts);
    const test = await datasetFrames(await Cifar10Dvs.open({ root, split: "seeded", seed: 0, train: false, trainRatio: 0.5 }), root, opts);
    expect(train.length).toBe(30);
    expect(test.length).toBe(30);
    const loader = new FrameLoader(train, { batchSize: 8, shuffle: true, seed: 1 });
    let seen = 0;
    for await (const b of loader.epoch(0)) {
      expect(b.x.shape.slice(0, 1).concat(b.x.shape.slice(2))).toEqual([4, 2, 32, 32]);
      seen += b.x.shape[1]!;
      b.x.dispose(); b.y.dispose();
    }
    expect(seen).toBe(30);
    // nearest centroid over the flattened frames
    const dim = 4 * 2 * 32 * 32;
    const cent = Array.from({ length: 10 }, () => new Float64Array(dim));
    const cnt = new Array(10).fill(0);
    for (let i = 0; i < train.length; i++) {
      const { frames, label } = await train.get(i);
      const v = frames.data;
      let nrm = 0; for (const a of v) nrm += a * a; nrm = Math.sqrt(nrm) || 1;
      for (let k = 0; k < dim; k++) cent[label]![k]! += v[k]! / nrm;
      cnt[label]++;
    }
    let correct = 0;
    for (let i = 0; i < test.length; i++) {
      const { frames, label } = await test.get(i);
      let best = -1, bestS = -Infinity;
      for (let c = 0; c < 10; c++) {
        let s = 0; for (let k = 0; k < dim; k++) s += cent[c]![k]! * frames.data[k]!;
        if (s > bestS) { bestS = s; best = c; }
      }
      if (best === label) correct++;
    }
    expect(correct / test.length).toBeGreaterThan(0.6); // chance = 0.1
  });
});
