import { describe, expect, it } from "vitest";
import {
  exactTapCount, mulFreeEnergyFormulaPj, mulFreeMaxEnergyAsStatedPj, mulFreePsnOpsFormula, opEnergyPj, paperTapCount,
  psnEnergyFormulaPj, psnOpsFormula, slidingPsnOpsFormula,
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
