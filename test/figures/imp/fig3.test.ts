import { describe, expect, it } from "vitest";
import { mappingPanels } from "../../../src/figures/imp/fig3.js";

/** Inputs reaching each output, as listed in papers.md §3.7 for IMP 0.0. */
const IMP0: Record<number, number[]> = {
  0b0000: [...Array(16).keys()], 0b0001: [1, 3, 5, 7, 9, 11, 13, 15], 0b0010: [2, 6, 7, 10, 11, 14, 15], 0b0011: [3, 7, 11],
  0b0100: [4, 12, 13, 14], 0b0101: [5, 13, 15], 0b0110: [6, 14, 15], 0b0111: [7, 15],
  ...Object.fromEntries([8, 9, 10, 11, 12, 13, 14, 15].map((j) => [j, [j]])),
};
/** What IMP 0.25 adds (papers.md §3.7). */
const IMP025_ADDS: Record<number, number[]> = {
  0b0010: [3], 0b0100: [5, 6, 15], 0b0101: [7], 0b0110: [7], 0b1000: [9, 10, 12], 0b1001: [11, 13], 0b1010: [11, 14], 0b1011: [15], 0b1100: [13, 14], 0b1101: [15],
};
const inputsOf = (row: number[]) => row.flatMap((v, i) => (v ? [i] : []));

describe("IMP Fig. 3 pattern mapping", () => {
  const [a, b, c] = mappingPanels();
  it("IMP 0.0 reaches exactly the listed sets (54 mappings)", () => {
    for (let out = 0; out < 16; out++) expect(inputsOf(a!.reach[out]!), `output ${out}`).toEqual(IMP0[out]);
    expect(a!.mappings).toBe(54);
  });
  it("IMP 0.25 adds exactly the listed mappings (71)", () => {
    for (let out = 0; out < 16; out++) {
      const expected = [...IMP0[out]!, ...(IMP025_ADDS[out] ?? [])].sort((x, y) => x - y);
      expect(inputsOf(b!.reach[out]!), `output ${out}`).toEqual(expected);
    }
    expect(b!.mappings).toBe(71);
  });
  it("learnable IMP gives 108 mappings, all outputs reachable in every panel", () => {
    expect(c!.mappings).toBe(108);
    for (const p of [a, b, c]) expect(p!.reachableOutputs).toBe(16);
  });
});
