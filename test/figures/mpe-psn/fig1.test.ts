import { describe, expect, it } from "vitest";
import { GRID, measure, PAPER_NS, PAPER_TS } from "../../../src/figures/mpe-psn/fig1.js";
import { claimsFor } from "../../../src/lib/repro/claims.js";

describe("MPE-PSN Fig. 1 timing module", () => {
  it("measures forward, forward+backward and the fused baseline for one cell (no timing asserted)", () => {
    const rows = measure(8, 4, 1);
    expect(rows.map((r) => r.mode)).toEqual(["forward", "forward+backward", "forward vs fused LIF"]);
    for (const r of rows) {
      expect(r.lifMs).toBeGreaterThan(0);
      expect(r.mpeMs).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.lifMs / r.mpeMs, 10);
    }
  });
  it("the paper scale covers every digitised claim cell", () => {
    expect(GRID.paper.logNs).toEqual(PAPER_NS);
    expect(GRID.paper.Ts).toEqual(PAPER_TS);
    expect(claimsFor("mpe-psn", "fig1")).toHaveLength(PAPER_NS.length * PAPER_TS.length);
  });
});
