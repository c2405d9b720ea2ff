// Every built item has its notebook, generated from the current registry (tools/item-notebooks.ts).
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { itemCellsFor } from "../../tools/item-notebooks-cells.js";
import { ITEMS } from "../../src/figures/items.js";

describe("item notebooks", () => {
  it("are present and up to date for every ready item (else: npx tsx tools/item-notebooks.ts)", () => {
    const r = spawnSync("npx", ["tsx", "tools/item-notebooks.ts", "--check"], { encoding: "utf8" });
    expect(r.stderr.split("\n").filter((l) => l.includes("stale") || l.includes("orphan"))).toEqual([]);
    expect(r.status).toBe(0);
  }, 60_000);
  it("are thin shells: they call reproduce(id) and showReport, at the item's default scale", () => {
    for (const item of ITEMS.filter((i) => i.status === "ready")) {
      const cells = itemCellsFor(item.id);
      expect(cells).toContain(`kit.reproduce("${item.id}"`);
      expect(cells).toContain("kit.showReport(report!)");
      expect(cells.split("%% ts").length - 1).toBe(3);
    }
  });
});
