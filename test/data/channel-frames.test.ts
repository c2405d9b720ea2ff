import { describe, expect, it } from "vitest";
import { binChannelEvents, binningShape } from "../../src/lib/data/channel-frames.js";

const ev = (times: number[], units: number[]) => ({ times: Float32Array.from(times), units: Int32Array.from(units) });

describe("binChannelEvents (SNN-delays protocol)", () => {
  it("counts spikes per (⌊t_ms/dt⌋, ⌊unit/pool⌋) after aligning to the first spike", () => {
    // Dyadic times and widths so every quotient is exact: dt = 2^-7 s, window 4 dt.
    const b = { dtMs: 7.8125, maxTimeMs: 31.25, pool: 5, channels: 10 };
    expect(binningShape(b)).toEqual({ T: 4, C: 2 });
    const out = new Float32Array(8);
    // first spike at 0.125 s → origin; +2^-8 s (frame 0); +2^-6 s = exactly 2 dt (frame 2: a boundary goes up);
    // +2^-5 s = maxTime exactly (last frame); +2^-4 s is after the window and dropped.
    const dropped = binChannelEvents(ev([0.125, 0.125 + 2 ** -8, 0.125 + 2 ** -6, 0.125 + 2 ** -5, 0.125 + 2 ** -4], [0, 4, 9, 5, 1]), b, out);
    expect(dropped).toBe(1);
    expect(Array.from(out)).toEqual([2, 0, 0, 0, 0, 1, 0, 1]);
  });

  it("keeps absolute times without alignment and writes into a [T, B, C] batch at (offset, stride)", () => {
    const b = { dtMs: 10, maxTimeMs: 20, pool: 1, channels: 3, alignToFirst: false };
    const B = 2, C = 3;
    const out = new Float32Array(2 * B * C);
    binChannelEvents(ev([0.015, 0.005, 0.005], [2, 0, 0]), b, out, 1 * C, B * C); // sample b = 1
    expect(Array.from(out)).toEqual([0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it("rejects a pool that does not divide the channels, and bad units", () => {
    expect(() => binningShape({ dtMs: 10, maxTimeMs: 100, pool: 3, channels: 700 })).toThrow(/pool must be a positive integer dividing 700/);
    expect(() => binChannelEvents(ev([0], [700]), { dtMs: 10, maxTimeMs: 10, pool: 1, channels: 700 }, new Float32Array(700))).toThrow(/unit 700 outside 0\.\.699/);
  });
});
