import { describe, expect, it } from "vitest";
import { median, medianPairedRatio, timeInterleaved } from "../../src/lib/util/timing.js";

describe("median", () => {
  it("middle value for odd counts, mean of the two middle values for even counts, input untouched", () => {
    const xs = [5, 1, 3];
    expect(median(xs)).toBe(3);
    expect(xs).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/empty/);
  });
  it("paired ratio is the median of per-round ratios, not the ratio of medians", () => {
    // Round 1 slow phase for both arms, rounds 2–3 fast: per-round ratios 2, 2, 2.
    const a = [20, 2, 2], b = [10, 1, 1];
    expect(medianPairedRatio(a, b)).toBe(2);
    // A phase change between arms' blocks would skew the ratio of medians: 20/1 here.
    expect(median([20, 20, 2]) / median([1, 1, 10])).toBe(20);
    expect(() => medianPairedRatio([1], [1, 2])).toThrow(/1 vs 2/);
  });
});

describe("timeInterleaved", () => {
  it("calls every arm once per round, rotates the starting arm, and records only the timed rounds", () => {
    const calls: string[] = [];
    const rounds: number[] = [];
    const samples = timeInterleaved({ a: () => void calls.push("a"), b: () => void calls.push("b"), c: () => void calls.push("c") }, { repeats: 3, warmup: 1, onRound: (r) => rounds.push(r) });
    expect(rounds).toEqual([-1, 0, 1, 2]);
    // Warm-up round −1 starts at arm (−1 mod 3) = c; rounds 0, 1, 2 start at a, b, c.
    expect(calls.join("")).toBe("cab" + "abc" + "bca" + "cab");
    expect(Object.keys(samples)).toEqual(["a", "b", "c"]);
    for (const k of ["a", "b", "c"] as const) {
      expect(samples[k]).toHaveLength(3);
      for (const ms of samples[k]) expect(ms).toBeGreaterThanOrEqual(0);
    }
    expect(() => timeInterleaved({ a: () => {} }, { repeats: 0 })).toThrow(/positive integer/);
  });
  it("each sample is the clock time spent inside that arm's call", () => {
    let t = 0;
    const clock = () => t;
    const s = timeInterleaved({ slow: () => { t += 6; }, fast: () => { t += 1; } }, { repeats: 3, warmup: 2, clock });
    expect(s).toEqual({ slow: [6, 6, 6], fast: [1, 1, 1] });
    expect(medianPairedRatio(s.slow, s.fast)).toBe(6);
  });
});
