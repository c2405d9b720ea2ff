// The project's registry: every item of the three papers, resolvable, each with its claims.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REGISTRY } from "../../src/figures/registry.js";
import { defaultScale, listItems, runItem } from "../../src/lib/repro/runner.js";

describe("the papers' registry", () => {
  it("expands a bare item to every paper that has it and suggests close ids for typos", () => {
    expect(REGISTRY.resolveIds("table2").map((i) => i.id).sort()).toEqual(["imp:table2", "mpe-psn:table2", "mulfree:table2"]);
    expect(REGISTRY.resolveIds("imp:fig3").map((i) => i.id)).toEqual(["imp:fig3"]);
    expect(REGISTRY.closestIds("imp:fgi3")[0]).toBe("imp:fig3");
    expect(() => REGISTRY.resolveIds("imp:fig33")).toThrow(/unknown item 'imp:fig33'. Closest: imp:fig3/);
  });
  it("lists every item of the three papers, built or not; every ready item's claims are registered", () => {
    const ids = REGISTRY.items.map((i) => i.id);
    for (const id of ["mpe-psn:fig1", "mpe-psn:fig4", "imp:fig6", "imp:table7", "mulfree:table11", "mulfree:fig6"]) expect(ids).toContain(id);
    for (const i of REGISTRY.items) if (i.status === "not-built") expect(i.reason, i.id).toBeTruthy();
    expect(listItems(REGISTRY)).toContain("| imp:fig3 | ready |");
    expect(REGISTRY.papers.map((p) => p.id)).toEqual(["mpe-psn", "imp", "mulfree"]);
  });
  it("imp:fig3 runs end to end through the generic runner, all claims reproduced", async () => {
    const item = REGISTRY.getItem("imp:fig3")!;
    expect(defaultScale(item)).toBe("paper");
    const r = await runItem(REGISTRY, item, { outRoot: mkdtempSync(join(tmpdir(), "sl-repro-")), log: false });
    expect(r.comparisons.map((c) => c.status)).toEqual(Array(6).fill("REPRODUCED"));
  });
});
