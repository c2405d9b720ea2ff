// The generic runner, CLI and registry on a toy registry: a paper the library has never heard of.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { lineChart } from "../../src/lib/plot/charts.js";
import { claimList, TOLERANCES } from "../../src/lib/repro/claims.js";
import { checkOutputRoot, parseCliArgs } from "../../src/lib/repro/cli.js";
import type { ReproItem } from "../../src/lib/repro/item.js";
import { Registry } from "../../src/lib/repro/registry.js";
import { defaultScale, listItems, runItem } from "../../src/lib/repro/runner.js";

function toyRegistry(): Registry {
  const { add, claims } = claimList("toy");
  add({ item: "sum", key: "two-plus-two", setting: "integers", quantity: "sum", value: 4, unit: "", source: "arithmetic", tolerance: TOLERANCES.exact, kind: "exact" });
  add({ item: "sum", key: "acc", setting: "a trained net", quantity: "accuracy", value: 90, unit: "%", source: "a log", tolerance: TOLERANCES.trained, kind: "trained" });
  const items: ReproItem[] = [
    {
      id: "toy:sum", paper: "toy", item: "sum", title: "Two plus two", needs: { cpuMinutes: { smoke: 0.1 } }, scales: ["smoke", "paper"], status: "ready",
      load: async () => async (ctx) => ({
        title: "Two plus two", data: { seed: ctx.seed }, notes: ["computed"],
        reproduced: [{ claimId: "toy:sum/two-plus-two", value: 2 + 2 }, { claimId: "toy:sum/acc", value: 88 }],
        figures: [{ name: "bars", spec: { $schema: "https://vega.github.io/schema/vega-lite/v5.json", title: "sums", data: { values: [{ x: "a", y: 1 }, { x: "b", y: 2 }] }, mark: "bar", encoding: { x: { field: "x", type: "nominal", title: "term" }, y: { field: "y", type: "quantitative", title: "value" } } } }],
      }),
    },
    { id: "toy:later", paper: "toy", item: "later", title: "Not yet", needs: { cpuMinutes: {} }, scales: ["smoke"], status: "not-built", reason: "needs a loader" },
  ];
  return new Registry({ papers: [{ id: "toy", title: "A toy paper" }], claims, items });
}

describe("reproduce.ts arguments", () => {
  it("parses ids, scale, out and seed, and rejects bad values naming them", () => {
    expect(parseCliArgs(["imp:fig3", "--scale", "small", "--out", "o", "--seed", "3"])).toEqual({ command: "run", ids: ["imp:fig3"], scale: "small", out: "o", seed: 3 });
    expect(parseCliArgs(["imp:fig3", "--seed=-2"]).seed).toBe(-2);
    expect(parseCliArgs(["list"]).command).toBe("list");
    expect(parseCliArgs([]).command).toBe("help");
    expect(() => parseCliArgs(["x", "--scale", "huge"])).toThrow(/--scale must be one of smoke, small, paper, got 'huge'/);
    expect(() => parseCliArgs(["x", "--seed", "1.5"])).toThrow(/--seed must be an integer/);
    expect(() => parseCliArgs(["x", "--bogus"])).toThrow(/--bogus/);
    expect(() => parseCliArgs(["x", "--scale"])).toThrow(/--scale/);
  });
  it("parses --workers as a positive count or auto (training worker threads)", () => {
    expect(parseCliArgs(["x", "--workers", "3"]).workers).toBe(3);
    expect(parseCliArgs(["x", "--workers", "auto"]).workers).toBe("auto");
    expect(parseCliArgs(["x"]).workers).toBeUndefined();
    expect(() => parseCliArgs(["x", "--workers", "0"])).toThrow(/--workers must be a positive integer or 'auto', got '0'/);
    expect(() => parseCliArgs(["x", "--workers", "two"])).toThrow(/--workers must be a positive integer or 'auto', got 'two'/);
    expect(() => parseCliArgs(["list", "--workers", "2"])).toThrow(/'list' takes no options/);
  });
  it("rejects what it would otherwise ignore or misread: list arguments, unsafe seeds", () => {
    expect(() => parseCliArgs(["list", "extra"])).toThrow(/'list' takes no arguments, got 'extra'/);
    expect(() => parseCliArgs(["list", "--scale", "small"])).toThrow(/'list' takes no options/);
    expect(() => parseCliArgs(["x", "--seed", "99999999999999999999999"])).toThrow(/--seed must be an integer between .* got '99999999999999999999999'/);
    expect(parseCliArgs(["x", "--seed", String(Number.MAX_SAFE_INTEGER)]).seed).toBe(Number.MAX_SAFE_INTEGER);
  });
  it("checks the output folder before any work: unwritable or not a folder is an error naming it", () => {
    const dir = mkdtempSync(join(tmpdir(), "sl-out-"));
    checkOutputRoot(join(dir, "new", "deeper"));
    expect(existsSync(join(dir, "new", "deeper"))).toBe(true);
    writeFileSync(join(dir, "file"), "x");
    expect(() => checkOutputRoot(join(dir, "file"))).toThrow(/--out .*file: cannot write results there .*expected a writable folder/);
    expect(() => checkOutputRoot("/proc/x")).toThrow(/--out \/proc\/x: cannot write results there/);
  });
});

describe("a registry", () => {
  it("resolves ids, bare items and typos, and rejects duplicates and unknown papers", () => {
    const reg = toyRegistry();
    expect(reg.resolveIds("sum").map((i) => i.id)).toEqual(["toy:sum"]);
    expect(reg.closestIds("toy:sun")[0]).toBe("toy:sum");
    expect(() => reg.resolveIds("toy:summ")).toThrow(/unknown item 'toy:summ'. Closest: toy:sum/);
    expect(() => reg.getClaim("toy:sum/x")).toThrow(/unknown claim id 'toy:sum\/x'/);
    expect(() => new Registry({ papers: [{ id: "a", title: "A" }], claims: [], items: [...reg.items] })).toThrow(/names paper 'toy', which is not registered/);
    expect(() => new Registry({ papers: [{ id: "toy", title: "A" }], claims: [...reg.claims, ...reg.claims], items: [] })).toThrow(/duplicate claim ids/);
    expect(listItems(reg)).toContain("| toy:later | not-built |");
  });
});

describe("running an item end to end", () => {
  it("writes result.json, report.md (scale first) and the figure; verdicts per kind and scale", async () => {
    const reg = toyRegistry();
    const out = mkdtempSync(join(tmpdir(), "sl-repro-"));
    const item = reg.getItem("toy:sum")!;
    expect(defaultScale(item)).toBe("smoke");
    const smoke = await runItem(reg, item, { outRoot: out, log: false });
    expect(smoke.comparisons.map((c) => c.status)).toEqual(["REPRODUCED", "PARTIAL"]);
    const paper = await runItem(reg, item, { outRoot: out, log: false, scale: "paper", seed: 7 });
    expect(paper.comparisons.map((c) => c.status)).toEqual(["REPRODUCED", "MISMATCH"]);
    const dir = join(out, "toy", "sum", "paper");
    const report = readFileSync(join(dir, "report.md"), "utf8");
    expect(report.split("\n")[0]).toMatch(/^Scale: \*\*paper\*\*/);
    expect(report).toContain("Paper: A toy paper");
    const json = JSON.parse(readFileSync(join(dir, "result.json"), "utf8"));
    expect(json.environment).toMatchObject({ seed: 7, scale: "paper" });
    expect(json.data).toEqual({ seed: 7 });
    for (const k of ["backend", "tfjs", "node", "cpu", "cores", "git", "packageLockSha256", "wallS", "command", "date"]) expect(json.environment).toHaveProperty(k);
    expect(existsSync(join(dir, "bars.svg")) && existsSync(join(dir, "bars.png"))).toBe(true);
  });
  it("refuses an unbuilt item with its reason, an unsupported scale, and a value for an unregistered claim", async () => {
    const reg = toyRegistry();
    await expect(runItem(reg, reg.getItem("toy:later")!)).rejects.toThrow(/toy:later is not built yet: needs a loader/);
    await expect(runItem(reg, reg.getItem("toy:sum")!, { scale: "small" })).rejects.toThrow(/does not support --scale small/);
    const rogue: ReproItem = { ...reg.getItem("toy:sum")!, load: async () => async () => ({ title: "", data: null, notes: [], figures: [], reproduced: [{ claimId: "toy:sum/nope", value: 1 }] }) };
    await expect(runItem(reg, rogue, { outRoot: mkdtempSync(join(tmpdir(), "sl-repro-")) })).rejects.toThrow(/unknown claim id 'toy:sum\/nope'/);
  });
});

describe("every figure is captioned and checked for legibility (issue #15 item 7)", () => {
  const probe = (points: number, cpuMinutes: number) => {
    const item: ReproItem = {
      id: "toy:probe", paper: "toy", item: "probe", title: "probe", needs: { cpuMinutes: { smoke: cpuMinutes, paper: cpuMinutes } }, scales: ["smoke", "paper"], status: "ready",
      load: async () => async () => ({
        title: "probe", data: null, reproduced: [], notes: [],
        figures: [{ name: "curve", spec: lineChart({ data: Array.from({ length: points }, (_, e) => ({ epoch: e + 1, acc: e })), x: "epoch", y: "acc", title: "probe curve", xTitle: "epoch", yTitle: "accuracy (%)" }) }],
      }),
    };
    return { reg: new Registry({ papers: [{ id: "toy", title: "A toy paper" }], claims: [], items: [item] }), item };
  };
  it("a legible figure gets the scale caption, in the saved spec and in the report", async () => {
    const out = mkdtempSync(join(tmpdir(), "sl-legible-"));
    const { reg, item } = probe(3, 0.1);
    const r = await runItem(reg, item, { outRoot: out, log: false, scale: "smoke" });
    expect(r.figureProblems).toEqual([]);
    const saved = JSON.parse(readFileSync(join(out, "toy", "probe", "smoke", "curve.vl.json"), "utf8"));
    expect(saved.title).toEqual({ text: "probe curve", subtitle: ["Scale: smoke"] });
    expect(r.result.figures[0]!.spec.title).toEqual(saved.title); // what the notebook shows
  });
  it("an illegible figure throws on a cheap run after writing the report that lists it, and is flagged on an expensive one", async () => {
    const out = mkdtempSync(join(tmpdir(), "sl-legible-"));
    const cheap = probe(1, 0.1);
    await expect(runItem(cheap.reg, cheap.item, { outRoot: out, log: false, scale: "smoke" })).rejects.toThrow(/toy:probe at scale smoke: illegible figure\(s\).*\n  curve: 'probe curve'.*a lone point/);
    const report = readFileSync(join(out, "toy", "probe", "smoke", "report.md"), "utf8");
    expect(report).toMatch(/## Figure problems\n\n- curve: 'probe curve'.layer\[0\] \(line mark\): series \(all rows\) has 1 distinct 'epoch' value/);
    await expect(runItem(cheap.reg, cheap.item, { outRoot: out, log: false, scale: "paper" })).rejects.toThrow(/illegible/); // ≤ 1 CPU minute: cheap, throws
    const costly = probe(1, 60);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const r = await runItem(costly.reg, costly.item, { outRoot: out, log: false, scale: "paper" });
    expect(r.figureProblems).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^warning: toy:probe at scale paper: illegible/));
    warn.mockRestore();
    expect(JSON.parse(readFileSync(join(out, "toy", "probe", "paper", "result.json"), "utf8")).figureProblems).toEqual(r.figureProblems);
  });
});
