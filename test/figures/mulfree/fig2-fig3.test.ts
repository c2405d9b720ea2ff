import { describe, expect, it } from "vitest";
import { measuredReceptiveField } from "../../../src/figures/mulfree/fig2.js";
import { quantiserCurve } from "../../../src/figures/mulfree/fig3.js";

describe("mul-free Fig. 2 receptive fields, measured by gradient support", () => {
  it("k = 2, three layers: sliding (d = 1) sees the last 4 steps, sawtooth 1, 2, 3 the last 7, doubling 8", () => {
    expect(measuredReceptiveField([1, 1, 1], 2)).toEqual([12, 13, 14, 15]);
    expect(measuredReceptiveField([1, 2, 3], 2)).toEqual([9, 10, 11, 12, 13, 14, 15]);
    expect(measuredReceptiveField([1, 2, 4], 2)).toHaveLength(8);
  });
});

describe("mul-free Fig. 3 quantiser", () => {
  it("Eq. 15 gradient jumps at |W| = 2^{n+1/2} and Eq. 16 is 1 everywhere", () => {
    const below = Math.SQRT2 / 2 - 1e-3, above = Math.SQRT2 / 2 + 1e-3;
    const e15 = quantiserCurve([below, above], "eq15").dq;
    expect(e15[0]).toBeCloseTo(0.5 / below, 4);
    expect(e15[1]).toBeCloseTo(1 / above, 4);
    expect(quantiserCurve([0.1, 0.7, 3], "ste").dq).toEqual([1, 1, 1]);
    expect(quantiserCurve([0.3, -0.75, 1.5], "ste").q).toEqual([0.25, -1, 2]);
  });
});
