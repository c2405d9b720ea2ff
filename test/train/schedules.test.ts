import { describe, expect, it } from "vitest";
import { constantLr, cosineLr, oneCycleLr, sequentialLr, warmupThen } from "../../src/lib/train/schedules.js";

describe("schedules", () => {
  it("cosine: base at 0, midpoint at T/2, eta_min at T_max and after", () => {
    const s = cosineLr({ base: 0.1, tMax: 230 });
    expect(s(0)).toBeCloseTo(0.1, 12);
    expect(s(115)).toBeCloseTo(0.05, 12);
    expect(s(230)).toBeCloseTo(0, 12);
    expect(cosineLr({ base: 1e-3, tMax: 10, etaMin: 1e-6 })(10)).toBeCloseTo(1e-6, 12);
    expect(() => cosineLr({ base: 1, tMax: 0 })).toThrow(/tMax/);
  });
  it("linear warm-up from a start factor, then the main schedule on shifted epochs", () => {
    const s = warmupThen({ epochs: 30, startFactor: 5e-6, base: 1e-3, then: cosineLr({ base: 1e-3, tMax: 170, etaMin: 1e-6 }) });
    expect(s(0)).toBeCloseTo(5e-9, 12);
    expect(s(15)).toBeCloseTo(1e-3 * (5e-6 + (1 - 5e-6) * 0.5), 12);
    expect(s(30)).toBeCloseTo(1e-3, 12);
    expect(s(200)).toBeCloseTo(1e-6, 12);
  });
  it("sequential: a constant phase, then a cosine phase with its own base and floor (DVS-Lip 3e-4 → 1e-4…5e-6)", () => {
    const s = sequentialLr({ milestone: 100, first: constantLr(3e-4), then: cosineLr({ base: 1e-4, tMax: 100, etaMin: 5e-6 }) });
    expect(s(0)).toBe(3e-4);
    expect(s(99.9)).toBe(3e-4);
    expect(s(100)).toBeCloseTo(1e-4, 12);
    expect(s(150)).toBeCloseTo(5e-6 + (1e-4 - 5e-6) / 2, 12);
    expect(s(200)).toBeCloseTo(5e-6, 12);
    expect(() => sequentialLr({ milestone: -1, first: constantLr(1), then: constantLr(1) })).toThrow(/milestone/);
  });
  it("one-cycle (PyTorch OneCycleLR, cos, 2 phases): max/25 → max at step 0.3·N − 1 → max/25/1e4 at N − 1", () => {
    const s = oneCycleLr({ max: 0.05, totalSteps: 150 });
    expect(s(0)).toBeCloseTo(0.002, 12);
    expect(s(22)).toBeCloseTo(0.05 + (0.002 - 0.05) / 2, 12); // half-way up: cos(π/2) = 0
    expect(s(44)).toBeCloseTo(0.05, 12);
    expect(s(44 + 52.5)).toBeCloseTo((0.05 + 2e-7) / 2, 12); // half-way down
    expect(s(149)).toBeCloseTo(2e-7, 15);
    expect(s(500)).toBeCloseTo(2e-7, 15);
    expect(() => oneCycleLr({ max: 0.05, totalSteps: 1 })).toThrow(/totalSteps/);
  });
});
