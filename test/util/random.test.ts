import { describe, expect, it } from "vitest";
import { Rng } from "../../src/lib/util/random.js";

describe("Rng", () => {
  it("repeats exactly for a seed and differs across seeds", () => {
    const a = new Rng(7), b = new Rng(7), c = new Rng(8);
    const xa = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(xa);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(xa);
  });
  it("stays in [0,1) with mean near 1/2, and shuffles into a permutation", () => {
    const r = new Rng(1);
    const xs = Array.from({ length: 20000 }, () => r.next());
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(Math.abs(xs.reduce((a, b) => a + b, 0) / xs.length - 0.5)).toBeLessThan(0.01);
    const p = r.shuffle([...Array(50).keys()]);
    expect([...p].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(p).not.toEqual([...Array(50).keys()]);
  });
  it("rejects a non-finite seed by name", () => {
    expect(() => new Rng(NaN)).toThrow(/seed/);
  });
});
