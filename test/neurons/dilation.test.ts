// Sawtooth dilation rule (papers.md §4.1 Eq. 11, decision §5d-7).
import { describe, expect, it } from "vitest";
import { receptiveField, sawtoothDilations } from "../../src/lib/neurons/dilation.js";

describe("sawtoothDilations", () => {
  it("increments by one: d = 1, 2, 3, … (no reset by default)", () => {
    expect(sawtoothDilations(5, 2)).toEqual([1, 2, 3, 4, 5]);
    expect(sawtoothDilations(0, 2)).toEqual([]);
  });
  it("Fig. 2 constraint: k = 2, 3 layers → sliding PSN sees 4 steps, channel-wise PSN 7 (doubling would give 8)", () => {
    expect(receptiveField([1, 1, 1], 2)).toBe(4);
    expect(receptiveField(sawtoothDilations(3, 2), 2)).toBe(7);
    expect(receptiveField([1, 2, 4], 2)).toBe(8);
  });
  it("pluggable reset period and custom rule", () => {
    expect(sawtoothDilations(7, 3, { period: 3 })).toEqual([1, 2, 3, 1, 2, 3, 1]);
    expect(sawtoothDilations(4, 2, { rule: (l) => 2 ** l })).toEqual([1, 2, 4, 8]);
    expect(receptiveField(sawtoothDilations(7, 3, { period: 3 }), 3)).toBe(1 + 2 * (1 + 2 + 3 + 1 + 2 + 3 + 1));
  });
  it("rejects bad arguments by name", () => {
    expect(() => sawtoothDilations(-1, 2)).toThrow(/numLayers/);
    expect(() => sawtoothDilations(3, 0)).toThrow(/order k/);
    expect(() => sawtoothDilations(3, 2, { period: 0 })).toThrow(/period/);
    expect(() => sawtoothDilations(3, 2, { rule: () => 0.5 })).toThrow(/dilation 0.5 for layer 0/);
    expect(() => receptiveField([1, 0], 2)).toThrow(/layer 1/);
  });
});
