import { describe, expect, it } from "vitest";
import { binChannelEvents } from "../../../src/lib/data/channel-frames.js";
import { ShdSequenceSource } from "../../../src/lib/data/datasets/shd-source.js";
import { syntheticShdSamples } from "../../../src/lib/data/synthetic-shd.js";
import { SHD_TABLE8_AUGMENT } from "../../../src/lib/data/transforms/channel-events.js";

const set = syntheticShdSamples({ samplesPerClass: 3, spikesPerSample: 80, seed: 4 });
const binning = { dtMs: 50, maxTimeMs: 1000, pool: 5, channels: 700 };

describe("ShdSequenceSource", () => {
  it("evaluation: fixed class-interleaved order, [T, B, C] count frames equal to binning each sample", () => {
    const src = new ShdSequenceSource(set, { batchSize: 8, binning });
    expect(src.batchesPerEpoch()).toBe(Math.ceil(60 / 8));
    const b = src.batch(0, 0);
    expect(b.x.shape).toEqual([20, 8, 140]);
    expect(Array.from(b.labels)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const x = b.x.dataSync();
    const one = new Float32Array(20 * 140);
    binChannelEvents(set.samples[1]!, binning, one); // sample index 1 = class 1, first of its class
    for (let t = 0; t < 20; t++) for (let c = 0; c < 140; c++) expect(x[(t * 8 + 1) * 140 + c]).toBe(one[t * 140 + c]);
    const last = src.batch(0, 7);
    expect(last.x.shape[1]).toBe(4); // 60 = 7·8 + 4 kept
  });

  it("training: seeded shuffle and augmentation, identical when asked again, drops the partial batch", () => {
    const src = new ShdSequenceSource(set, { batchSize: 8, binning, shuffleSeed: 3, augment: SHD_TABLE8_AUGMENT });
    expect(src.batchesPerEpoch()).toBe(7);
    const a = src.batch(2, 1), again = src.batch(2, 1), other = src.batch(3, 1);
    expect(Array.from(a.labels)).toEqual(Array.from(again.labels));
    expect(Array.from(a.x.dataSync())).toEqual(Array.from(again.x.dataSync()));
    expect(Array.from(a.x.dataSync())).not.toEqual(Array.from(other.x.dataSync()));
    // the same shuffle without augmentation: same samples, and uniform noise adds 35 spikes per sample before
    // drop-event removes 5 % — so the augmented batch holds more spikes
    const plain = new ShdSequenceSource(set, { batchSize: 8, binning, shuffleSeed: 3 }).batch(2, 1);
    expect(Array.from(plain.labels)).toEqual(Array.from(a.labels));
    const sum = (v: ArrayLike<number>) => Array.from(v).reduce((p, q) => p + q, 0);
    expect(sum(a.x.dataSync())).toBeGreaterThan(sum(plain.x.dataSync()) + 8 * 20);
    expect(() => src.batch(0, 9)).toThrow(/past the end/);
  });
});
