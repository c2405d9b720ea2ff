// Issue #15 item 7: the project's own figures pass the legibility check. Every item's figures are checked by
// the runner on every run (CI's notebooks run them all); here the analytic items, which take seconds.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../../src/figures/registry.js";
import { runItem } from "../../src/lib/repro/runner.js";

describe("the papers' figures are legible", () => {
  it("imp:fig1, imp:fig3, mulfree:fig2, mulfree:fig3, mulfree:table1 at smoke: captioned, no problem found", async () => {
    const out = mkdtempSync(join(tmpdir(), "sl-legible-"));
    for (const id of ["imp:fig1", "imp:fig3", "mulfree:fig2", "mulfree:fig3", "mulfree:table1"]) {
      const r = await runItem(REGISTRY, REGISTRY.getItem(id)!, { outRoot: out, log: false, scale: "smoke", figureCheck: "flag" });
      expect(r.figureProblems, id).toEqual([]);
      expect(r.result.figures.length, id).toBeGreaterThan(0);
    }
  });
});
