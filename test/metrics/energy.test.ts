import { describe, expect, it } from "vitest";
import { ENERGY_PRESETS, neuronOpEnergy, pjToUj, synapticEnergy } from "../../src/lib/metrics/energy.js";

// Mul-free paper Table 6 (papers.md §4.5): energy of one CIFAR100 image.
describe("energy of given counts reproduces the mul-free Table 6 cells", () => {
  it("PSN neuron layer: 1.91e7 MUL + 1.97e7 ADD = 88.40 µJ (paper prints 88.56: does not re-derive)", () => {
    const uj = pjToUj(neuronOpEnergy({ mul: 1.91e7, add: 1.97e7 }));
    expect(uj).toBeCloseTo(88.4, 2);
    expect(Math.abs(uj - 88.56)).toBeGreaterThan(0.1);
  });
  it("PSN synaptic: 0.041e6 FLOPs + 3.194e6 SOPs = 3.06 µJ; total 91.62 with the printed 88.56", () => {
    const e = synapticEnergy({ firstLayerFlops: 0.041e6, sops: 3.194e6 });
    expect(pjToUj(e.totalPj)).toBeCloseTo(3.06, 2);
    expect(88.56 + Number(pjToUj(e.totalPj).toFixed(2))).toBeCloseTo(91.62, 6);
  });
  it("mul-free neuron layer 7.32e6 SHIFT + 7.92e6 ADD = 8.08 µJ; synaptic 2.58 µJ; total 10.66 µJ", () => {
    const neuron = pjToUj(neuronOpEnergy({ shift: 7.32e6, add: 7.92e6 }));
    const syn = pjToUj(synapticEnergy({ firstLayerFlops: 0.041e6, sops: 2.66e6 }).totalPj);
    expect(neuron).toBeCloseTo(8.08, 2);
    expect(syn).toBeCloseTo(2.58, 2);
    expect(neuron + syn).toBeCloseTo(10.66, 1);
  });
  it("presets carry the documented constants and bad counts are refused", () => {
    expect(ENERGY_PRESETS.fp16).toMatchObject({ macPj: 1.5, acPj: 0.4 });
    expect(synapticEnergy({ firstLayerFlops: 10, sops: 100 }, ENERGY_PRESETS.int8).totalPj).toBeCloseTo(0.23 * 10 + 0.03 * 100, 10);
    expect(() => synapticEnergy({ firstLayerFlops: -1, sops: 0 })).toThrow(/firstLayerFlops/);
  });
});
