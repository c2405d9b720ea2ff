import { describe, expect, it } from "vitest";
import { maxEnergyCoefficients, opsTable } from "../../../src/figures/mulfree/table1.js";

describe("mul-free Table 1 / Table 9", () => {
  it("PSN formulas equal the counted ops; mul-free counted taps are k/2 below the paper's formula", () => {
    for (const r of opsTable()) {
      const gap = r.neuron === "PSN" ? 0 : (r.k as number) / 2;
      expect((r["ADD (paper)"] as number) - (r["ADD (counted)"] as number), `${r.neuron} T=${r.T} k=${r.k}`).toBeCloseTo(gap, 10);
      expect((r["MUL/SHIFT (paper)"] as number) - (r["MUL/SHIFT (counted)"] as number)).toBeCloseTo(gap, 10);
    }
  });
  it("the k = T energy formula is 0.515T² + 1.93T (the paper states + 1.415T)", () => {
    const { a, b } = maxEnergyCoefficients();
    expect(a).toBeCloseTo(0.515, 10);
    expect(b).toBeCloseTo(1.93, 10);
  });
});
