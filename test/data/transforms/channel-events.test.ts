import { describe, expect, it } from "vitest";
import { augmentShd, dropChunk, dropEvent, SHD_TABLE8_AUGMENT, spatialJitter, uniformNoise } from "../../../src/lib/data/transforms/channel-events.js";
import { Rng } from "../../../src/lib/util/random.js";

const N = 20000;
const base = () => ({ times: Float32Array.from({ length: N }, (_, i) => i / N), units: Int32Array.from({ length: N }, (_, i) => 100 + (i % 500)) });

describe("SHD augmentations (Table 8)", () => {
  it("spatialJitter moves units by rounded N(0, variance) and drops those leaving the sensor", () => {
    const e = base();
    const out = spatialJitter(e, 0.55, 700, new Rng(1));
    expect(out.times.length).toBe(N); // units 100..599 cannot leave 0..699 with sd 0.74
    const d = Array.from(out.units, (u, i) => u - e.units[i]!);
    const mean = d.reduce((a, b) => a + b, 0) / N;
    const varD = d.reduce((a, b) => a + (b - mean) ** 2, 0) / N;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    // Var(round(N(0, 0.55))) = P(|d| = 1) + 4 P(|d| = 2) + … ≈ 0.58 (rounding adds ≈ 1/12, minus clipping of the tails)
    expect(varD).toBeGreaterThan(0.5);
    expect(varD).toBeLessThan(0.68);
    const edge = spatialJitter({ times: new Float32Array(N), units: new Int32Array(N) }, 0.55, 700, new Rng(2));
    expect(edge.units.every((u) => u >= 0)).toBe(true);
    expect(edge.times.length).toBeLessThan(N * 0.85); // ≈ 18 % of unit-0 spikes move to −1 and −2 and are dropped
  });

  it("uniformNoise adds exactly n spikes inside the sample's time range, sorted by time", () => {
    const e = { times: Float32Array.from([0.2, 0.5, 0.9]), units: Int32Array.from([1, 2, 3]) };
    const out = uniformNoise(e, 35, 700, new Rng(3));
    expect(out.times.length).toBe(38);
    expect(Array.from(out.times).every((t, i, a) => i === 0 || a[i - 1]! <= t)).toBe(true);
    expect(Math.min(...out.times)).toBeGreaterThanOrEqual(0.2 - 1e-7);
    expect(Math.max(...out.times)).toBeLessThanOrEqual(0.9 + 1e-7);
    expect(Array.from(out.units).every((u) => u >= 0 && u < 700)).toBe(true);
  });

  it("dropEvent removes ⌊pN + 0.5⌋ spikes and keeps the order of the rest", () => {
    const e = base();
    const out = dropEvent(e, 0.05, new Rng(4));
    expect(out.times.length).toBe(N - 1000);
    expect(Array.from(out.times).every((t, i, a) => i === 0 || a[i - 1]! < t)).toBe(true);
  });

  it("dropChunk removes one window of at most maxLength of the duration, with probability p", () => {
    let applied = 0;
    const rng = new Rng(5);
    for (let k = 0; k < 400; k++) {
      const out = dropChunk(base(), 0.3, 0.02, rng);
      const removed = N - out.times.length;
      expect(removed).toBeLessThanOrEqual(0.02 * N + 1);
      if (removed > 0) applied++;
    }
    expect(applied / 400).toBeGreaterThan(0.22);
    expect(applied / 400).toBeLessThan(0.38);
  });

  it("augmentShd is a pure function of (events, options, seed)", () => {
    const a = augmentShd(base(), SHD_TABLE8_AUGMENT, new Rng(9));
    const b = augmentShd(base(), SHD_TABLE8_AUGMENT, new Rng(9));
    const c = augmentShd(base(), SHD_TABLE8_AUGMENT, new Rng(10));
    expect(Array.from(a.units)).toEqual(Array.from(b.units));
    expect(Array.from(a.times)).toEqual(Array.from(b.times));
    expect(Array.from(a.units)).not.toEqual(Array.from(c.units));
    expect(() => dropEvent(base(), 1.5, new Rng(0))).toThrow(/p must be in \[0, 1\]/);
  });
});
