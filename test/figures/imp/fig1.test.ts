import { describe, expect, it } from "vitest";
import { adjustImp, adjustInput } from "../../../src/figures/imp/fig1.js";

describe("IMP Fig. 1 firing patterns (float32)", () => {
  it("adjusting the input: 2,2,3,3,3,4,5 spikes in 32 steps", () => {
    expect(adjustInput().counts).toEqual([2, 2, 3, 3, 3, 4, 5]);
  });
  it("adjusting the IMP: 2,2,2,2,2,3,3 spikes, first at step 12 − k, V starts at the IMP", () => {
    const a = adjustImp();
    expect(a.counts).toEqual([2, 2, 2, 2, 2, 3, 3]);
    expect(a.firstSpike).toEqual([12, 11, 10, 9, 8, 7, 6]);
    // After the first driven step, neuron k holds k/12 + 1/12 (float32).
    a.v.forEach((row, k) => expect(row[0]).toBeCloseTo((k + 1) / 12, 6));
  });
});
