// The authors' curve beside an item's own run: drawn from a (generated) archive at the same epochs,
// a note naming the fetch command when no archive is there, an unknown run refused.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { authorsBeside } from "../../../src/figures/mpe-psn/authors-beside.js";
import { writeOfficialFixture } from "../../../src/figures/mpe-psn/official-fixture.js";
import { OFFICIAL_SOURCES } from "../../../src/figures/official-logs.js";

const saved = process.env.SPIKELAB_OFFICIAL;
let work = "";
afterEach(() => {
  if (saved === undefined) delete process.env.SPIKELAB_OFFICIAL; else process.env.SPIKELAB_OFFICIAL = saved;
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("authorsBeside", () => {
  it("draws own and authors' test accuracy at the same epochs", async () => {
    work = mkdtempSync(join(tmpdir(), "beside-"));
    process.env.SPIKELAB_OFFICIAL = work;
    const { truth } = await writeOfficialFixture(join(work, "mpe-psn", OFFICIAL_SOURCES["mpe-psn"].commit));
    const b = authorsBeside("x", [{ run: "cifar10dvs/T4", testAcc: [10, 20, 30] }], "small");
    expect(b.figures).toHaveLength(1);
    const rows = (b.figures[0]!.spec as { data: { values: { epoch: number; accuracy: number; source: string }[] } }).data.values;
    const theirs = rows.filter((r) => r.source === "authors' log");
    expect(theirs.map((r) => r.epoch)).toEqual([0, 1, 2]);
    expect(rows.filter((r) => r.source === "spikelab (small)").map((r) => r.accuracy)).toEqual([10, 20, 30]);
    expect(truth.get("cifar10dvs/T4")).toBeDefined();
    expect(() => authorsBeside("x", [{ run: "nope", testAcc: [1] }], "small")).toThrow(/unknown official run 'nope'/);
  });
  it("without the archive: no figure, a note with the fetch command", () => {
    process.env.SPIKELAB_OFFICIAL = join(tmpdir(), "no-such-official-root");
    const b = authorsBeside("x", [{ run: "cifar10dvs/T4", testAcc: [1] }], "smoke");
    expect(b.figures).toEqual([]);
    expect(b.notes[0]).toMatch(/npx tsx data\/fetch\/official-logs\.ts --paper mpe-psn/);
  });
});
