import { describe, expect, it } from "vitest";
import { GRID, measure, PAPER_NS, PAPER_TS } from "../../../src/figures/mpe-psn/fig1.js";
import { claimsFor } from "../../../src/figures/registry.js";
import { medianPairedRatio } from "../../../src/lib/util/timing.js";

describe("MPE-PSN Fig. 1 timing module", () => {
  it("measures forward, forward+backward and the fused baseline for one cell (no timing asserted)", () => {
    const rows = measure(8, 4, 3);
    expect(rows.map((r) => r.mode)).toEqual(["forward", "forward+backward", "forward vs fused LIF"]);
    for (const r of rows) {
      expect(r.lifMs).toBeGreaterThan(0);
      expect(r.mpeMs).toBeGreaterThan(0);
      expect(r.samples.lif).toHaveLength(3);
      expect(r.samples.mpe).toHaveLength(3);
      expect(r.ratio).toBeCloseTo(medianPairedRatio(r.samples.lif, r.samples.mpe), 10);
    }
  });
  it("the paper scale covers every digitised claim cell", () => {
    expect(GRID.paper.logNs).toEqual(PAPER_NS);
    expect(GRID.paper.Ts).toEqual(PAPER_TS);
    expect(claimsFor("mpe-psn", "fig1")).toHaveLength(PAPER_NS.length * PAPER_TS.length);
  });
});
