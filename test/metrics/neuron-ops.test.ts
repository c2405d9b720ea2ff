import { describe, expect, it } from "vitest";
import {
  countNeuronOps, exactTapCount, mulFreeEnergyFormulaPj, mulFreeMaxEnergyAsStatedPj, mulFreePsnOpsFormula, opEnergyPj, paperTapCount,
  paperNeuronOps, psnEnergyFormulaPj, psnOpsFormula, slidingPsnOpsFormula,
} from "../../src/lib/metrics/neuron-ops.js";

/** Count causal taps by walking t and i directly (independent of the closed forms). */
function walkTaps(T: number, k: number): number {
  let n = 0;
  for (let t = 0; t < T; t++) for (let i = 0; i < k; i++) if (t - (k - 1 - i) >= 0) n++;
  return n;
}

describe("mul-free paper Table 1 / Table 9 formulas", () => {
  it("PSN energy formula equals the op counts priced at 3.7/0.9 pJ", () => {
    for (const T of [2, 4, 8, 16, 32]) expect(opEnergyPj(psnOpsFormula(T))).toBeCloseTo(psnEnergyFormulaPj(T), 8);
  });
  it("mul-free energy formula equals its op counts priced at 0.13 + 0.9 pJ", () => {
    for (const [T, k] of [[4, 2], [8, 4], [32, 16]] as const) {
      expect(opEnergyPj(mulFreePsnOpsFormula(T, k))).toBeCloseTo(mulFreeEnergyFormulaPj(T, k), 8);
      expect(slidingPsnOpsFormula(T, k).mul).toBe(mulFreePsnOpsFormula(T, k).shift);
    }
  });
  it("flags: exact causal taps k(T−(k−1)/2) ≠ paper's (T+1−k/2)k; k=T maximum is 0.515T²+1.93T, not +1.415T", () => {
    for (const [T, k] of [[4, 2], [8, 3], [16, 16]] as const) {
      expect(exactTapCount(T, k)).toBe(walkTaps(T, k));
      expect(paperTapCount(T, k) - exactTapCount(T, k)).toBeCloseTo(k / 2, 10);
    }
    const T = 32;
    expect(mulFreeEnergyFormulaPj(T, T)).toBeCloseTo(0.515 * T * T + 1.93 * T, 8);
    expect(mulFreeMaxEnergyAsStatedPj(T)).not.toBeCloseTo(mulFreeEnergyFormulaPj(T, T), 2);
    expect(() => paperTapCount(4, 5)).toThrow(/order k/);
  });
});

describe("countNeuronOps walks the tap structure (Table 1)", () => {
  it("PSN: T² taps → (T² + T) ADD, T² MUL, exactly the paper's formula", () => {
    for (const T of [1, 4, 16]) {
      const c = countNeuronOps("psn", T);
      expect(c).toEqual({ taps: T * T, add: T * T + T, mul: T * T, shift: 0 });
      expect(paperNeuronOps("psn", T)).toEqual({ add: c.add, mul: c.mul, shift: 0 });
    }
  });
  it("sliding and mul-free (d = 1): k·(T − (k − 1)/2) taps, k/2 fewer than the paper's (T + 1 − k/2)·k (§4.2 flag)", () => {
    for (const [T, k] of [[8, 2], [32, 4], [16, 16]] as const) {
      const s = countNeuronOps("sliding-psn", T, k), m = countNeuronOps("mulfree-psn", T, k, 1);
      expect(s.taps).toBe(k * (T - (k - 1) / 2));
      expect(m).toEqual({ taps: s.taps, add: s.add, mul: 0, shift: s.mul });
      expect(countNeuronOps("masked-psn", T, k).taps).toBe(s.taps);
      const p = paperNeuronOps("mulfree-psn", T, k);
      expect(p.shift - m.shift).toBe(k / 2);
      expect(p.add - m.add).toBe(k / 2);
    }
  });
  it("dilation drops the taps that fall before t = 0: T = 10, k = 2, d = 3 → 10 + 7 taps", () => {
    expect(countNeuronOps("mulfree-psn", 10, 2, 3)).toEqual({ taps: 17, add: 27, mul: 0, shift: 17 });
    expect(() => countNeuronOps("sliding-psn", 10, 2, 3)).toThrow(/no dilation/);
    expect(() => countNeuronOps("lif" as "psn", 10)).toThrow(/kind must be/);
  });
});
