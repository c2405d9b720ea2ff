// tools/compare-smoke.ts: two tiny fake results folders, one value and one verdict changed, provenance ignored.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareFolders, diffValues, formatComparison, main } from "../../tools/compare-smoke.js";
import { tmp } from "../data/helpers.js";

function writeResult(root: string, id: string, r: Record<string, unknown>): void {
  const [paper, item] = id.split(":") as [string, string];
  mkdirSync(join(root, paper, item, "smoke"), { recursive: true });
  writeFileSync(join(root, paper, item, "smoke", "result.json"), JSON.stringify({ id, ...r }));
}

const result = (acc: number, status: string, o: { wallS?: number; commit?: string; note?: string } = {}) => ({
  comparisons: [{ claimId: "p:a/acc", status, reproduced: acc }],
  data: { rows: [{ acc, seconds: o.wallS ?? 1 }] },
  notes: [o.note ?? "took 1.0 s"],
  environment: { date: "x", wallS: o.wallS ?? 1, git: { commit: o.commit ?? "aaa" } },
});

describe("compare-smoke", () => {
  it("finds the one differing value and verdict, ignores provenance, wall time and durations in notes", () => {
    const before = tmp(), after = tmp();
    writeResult(before, "p:a", result(50, "PARTIAL"));
    writeResult(after, "p:a", result(50 * (1 + 1e-8), "PARTIAL", { wallS: 9, commit: "bbb", note: "took 7.5 s" })); // within 1e-6
    writeResult(before, "p:c", { data: { dir: join(before, "p", "c", "smoke", "gen") } }); // same place in each folder
    writeResult(after, "p:c", { data: { dir: join(after, "p", "c", "smoke", "gen") } });
    writeResult(before, "p:b", result(10, "REPRODUCED"));
    writeResult(after, "p:b", result(12, "MISMATCH"));
    writeResult(before, "p:gone", result(1, "PARTIAL"));
    writeResult(after, "q:new", result(1, "PARTIAL"));
    const items = compareFolders(before, after);
    expect(items.map((i) => [i.id, i.status])).toEqual([["p:a", "equal"], ["p:b", "differing"], ["p:c", "equal"], ["p:gone", "only-before"], ["q:new", "only-after"]]);
    const b = items.find((i) => i.id === "p:b")!;
    expect(b.verdictChanges).toEqual(["p:a/acc: REPRODUCED → MISMATCH"]);
    expect(b.differences).toEqual([
      { path: "comparisons[0].status", before: "REPRODUCED", after: "MISMATCH" },
      { path: "comparisons[0].reproduced", before: 10, after: 12 },
      { path: "data.rows[0].acc", before: 10, after: 12 },
    ]);
    expect(formatComparison(items)).toMatch(/\| p:b \| differing \| 1 \| 3 \|[\s\S]*data\.rows\[0\]\.acc: 10 → 12[\s\S]*2 equal, 1 differing, 0 expected-differing, 1 only before, 1 only after/);
    // An expected difference is reported with its reason and does not fail; a renamed item is matched.
    const expected = compareFolders(before, after, { expected: { "p:b": "smoke settings changed" }, rename: { "p:gone": "q:new" } });
    expect(expected.map((i) => [i.id, i.status, i.reason])).toEqual([["p:a", "equal", undefined], ["p:b", "expected-differing", "smoke settings changed"], ["p:c", "equal", undefined], ["q:new", "equal", undefined]]);
  });

  it("uses the relative tolerance, reports missing keys and length changes, and exits 1 on a difference, 2 on bad arguments", () => {
    expect(diffValues({ x: 1 }, { x: 1.001 }, { rtol: 1e-2 })).toEqual([]);
    expect(diffValues({ x: 1 }, { x: 1.001 })).toEqual([{ path: "x", before: 1, after: 1.001 }]);
    expect(diffValues({ x: [1, 2], y: 1 }, { x: [1], z: 1 })).toEqual([
      { path: "x.length", before: 2, after: 1 }, { path: "y", before: 1, after: undefined }, { path: "z", before: undefined, after: 1 },
    ]);
    const before = tmp(), after = tmp();
    writeResult(before, "p:b", result(10, "PARTIAL"));
    writeResult(after, "p:b", result(11, "PARTIAL"));
    const { log, error } = console;
    console.log = console.error = () => {};
    try {
      expect(main([before, after])).toBe(1);
      expect(main([before, before])).toBe(0);
      expect(main([before])).toBe(2);
      expect(main([before, join(after, "nope")])).toBe(2);
    } finally {
      Object.assign(console, { log, error });
    }
  });
});
