import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs } from "../../src/lib/repro/cli.js";
import { getItem, ITEMS } from "../../src/lib/repro/items.js";
import { closestIds, defaultScale, listItems, resolveIds, runItem } from "../../src/lib/repro/runner.js";

describe("reproduce.ts arguments and ids", () => {
  it("parses ids, scale, out and seed, and rejects bad values naming them", () => {
    expect(parseArgs(["imp:fig3", "--scale", "small", "--out", "o", "--seed", "3"])).toEqual({ command: "run", ids: ["imp:fig3"], scale: "small", out: "o", seed: 3 });
    expect(parseArgs(["list"]).command).toBe("list");
    expect(() => parseArgs(["x", "--scale", "huge"])).toThrow(/--scale must be one of smoke, small, paper, got 'huge'/);
    expect(() => parseArgs(["x", "--seed", "1.5"])).toThrow(/--seed must be an integer/);
    expect(() => parseArgs(["x", "--bogus"])).toThrow(/unknown option '--bogus'/);
  });
  it("expands a bare item to every paper that has it and suggests close ids for typos", () => {
    expect(resolveIds("table2").map((i) => i.id).sort()).toEqual(["imp:table2", "mpe-psn:table2", "mulfree:table2"]);
    expect(resolveIds("imp:fig3").map((i) => i.id)).toEqual(["imp:fig3"]);
    expect(closestIds("imp:fgi3")[0]).toBe("imp:fig3");
    expect(() => resolveIds("imp:fig33")).toThrow(/unknown item 'imp:fig33'. Closest: imp:fig3/);
  });
  it("lists every item of the three reproduction issues, built or not", () => {
    const ids = ITEMS.map((i) => i.id);
    for (const id of ["mpe-psn:fig1", "mpe-psn:fig4", "imp:fig6", "imp:table7", "mulfree:table11", "mulfree:fig6"]) expect(ids).toContain(id);
    for (const i of ITEMS) if (i.status === "not-built") expect(i.reason, i.id).toBeTruthy();
    expect(listItems()).toContain("| imp:fig3 | ready |");
  });
});

describe("running an item end to end", () => {
  it("imp:fig3 writes result.json, report.md (scale first) and the figure; all claims reproduced", async () => {
    const out = mkdtempSync(join(tmpdir(), "sl-repro-"));
    const item = getItem("imp:fig3")!;
    expect(defaultScale(item)).toBe("paper");
    const r = await runItem(item, { outRoot: out, log: false });
    expect(r.comparisons.map((c) => c.status)).toEqual(Array(6).fill("REPRODUCED"));
    const dir = join(out, "imp", "fig3", "paper");
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report.split("\n")[0]).toMatch(/^Scale: \*\*paper\*\*/);
    const json = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    expect(json.environment).toMatchObject({ seed: 0, scale: "paper" });
    for (const k of ["backend", "tfjs", "node", "cpu", "cores", "git", "packageLockSha256", "wallS", "command", "date"]) expect(json.environment).toHaveProperty(k);
    expect(json.comparisons[0]).toHaveProperty("tolerance");
    expect(existsSync(join(dir, "fig3.svg")) && existsSync(join(dir, "fig3.png"))).toBe(true);
  });
  it("refuses an unbuilt item with its reason and an unsupported scale", async () => {
    await expect(runItem(getItem("mulfree:table2")!)).rejects.toThrow(/mulfree:table2 is not built yet: needs an SHD loader/);
    await expect(runItem(getItem("imp:fig3")!, { scale: "tiny" as never })).rejects.toThrow(/does not support --scale tiny/);
  });
});
