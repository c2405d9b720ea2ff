// mpe-psn:audit on a generated stand-in archive (written at test time by the project's writers): the audit
// recovers the generator's known curves (best, last, resume, N), lists the planted defects and still reads
// everything else, judges claims as PARTIAL with the would-be verdict; a missing file names the fetch command;
// the item runs through the runner at smoke.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { auditArchive, coverageText, loggedClaims } from "../../../src/figures/mpe-psn/audit.js";
import { writeOfficialFixture } from "../../../src/figures/mpe-psn/official-fixture.js";
import { OFFICIAL_RUNS } from "../../../src/figures/mpe-psn/official-runs.js";
import { REGISTRY } from "../../../src/figures/registry.js";
import { runItem } from "../../../src/lib/repro/runner.js";

const work = mkdtempSync(join(tmpdir(), "mpe-audit-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("mpe-psn:audit", () => {
  it("recovers every run's known contents from the generated archive", async () => {
    const dir = join(work, "archive");
    const { runs, truth } = await writeOfficialFixture(dir, { seed: 3 });
    const audit = auditArchive(dir, runs, true);
    expect(audit.reads).toHaveLength(OFFICIAL_RUNS.length);
    for (const r of audit.reads) {
      const t = truth.get(r.run.id)!;
      const s = r.summary;
      expect(s.epochs).toMatchObject({ first: 0, last: 11, count: 12, missing: [] });
      expect(s.best!.epoch).toBe(t.best.epoch);
      expect(s.best!.value).toBeCloseTo(t.best.value, 3);
      expect(s.last!.value).toBeCloseTo(t.last.value, 3);
      expect(s.trainTestGapAtBest!).toBeCloseTo(t.trainAccAtBest - t.best.value, 2);
      expect(s.resumed).toBe(t.resumeAt > 0);
      if (t.resumeAt > 0) expect(s.resumedEvidence.join(" ")).toMatch(new RegExp(`starts at epoch ${t.resumeAt}`));
      expect(s.disagreements).toEqual([]);
      // N is only identifiable when the values are distinct enough; the generator's curves are
      if (s.distinctTestValues >= 8) expect(s.testDenominator).toBe(t.scored);
      expect(r.rows.find((x) => x.epoch === 0)!.trainLoss!.value).toBeCloseTo(t.firstTrainLoss, 3);
    }
    const c10 = audit.reads.find((r) => r.run.id === "cifar10dvs/T4")!;
    if (c10.summary.testDenominator === 992) expect(coverageText(c10.run, c10.summary)).toMatch(/992 test samples scored of 1000 \(= 31 full batches of 32: .*drop_last=True\)/);
    expect(audit.reads.find((r) => r.run.id === "cifar10/resnet19-T4")!.eventFiles[0]!.storedAs).toEqual(["tensor"]);
  });
  it("lists the planted defects (traceback lines, truncated record) by file and line/byte, and reads the rest", async () => {
    const dir = join(work, "archive2");
    const { runs } = await writeOfficialFixture(dir);
    const audit = auditArchive(dir, runs, true);
    const probs = audit.reads.flatMap((r) => r.problems);
    expect(probs.map((p) => [p.file.split("/")[0], p.kind])).toEqual([["DVSGusture", "tfrecord-truncated"], ["cifar", "unparseable"], ["cifar", "unparseable"]]);
    expect(probs.find((p) => p.kind === "unparseable")!.line).toBeGreaterThan(1);
    expect(probs.find((p) => p.kind === "tfrecord-truncated")!.byte).toBeGreaterThan(0);
  });
  it("claims: every MPE-PSN accuracy claim names a log; on the generated archive they are PARTIAL; a missing log names the fetch command", async () => {
    const claims = loggedClaims();
    expect(claims.length).toBeGreaterThanOrEqual(13);
    const dir = join(work, "archive3");
    const { runs } = await writeOfficialFixture(dir);
    rmSync(join(dir, runs[0]!.log));
    const audit = auditArchive(dir, runs, true);
    expect(audit.reproduced.map((r) => r.claimId).sort()).toEqual(claims.map((c) => c.id).sort());
    const problems = audit.reads[0]!.problems;
    expect(problems[0]).toMatchObject({ kind: "missing" });
    expect(problems[0]!.message).toMatch(/npx tsx data\/fetch\/official-logs\.ts --paper mpe-psn/);
    expect(audit.reads[0]!.summary.best).not.toBeNull(); // the event files still give the curve
  });
  it("runs at smoke through the runner: per-run table, PARTIAL verdicts with their would-be status, the curves figure", async () => {
    const report = await runItem(REGISTRY, REGISTRY.getItem("mpe-psn:audit")!, { scale: "smoke", outRoot: join(work, "results"), log: false });
    expect(report.comparisons.length).toBe(loggedClaims().length);
    expect(report.comparisons.every((c) => c.status === "PARTIAL" && /would be (IN-LOG|MISMATCH)/.test(c.note ?? ""))).toBe(true);
    expect(report.result.notes.join("\n")).toMatch(/Could not be read \(3\)/);
    const spec = report.result.figures[0]!.spec as { data: { values: { kind: string; run: string }[] } };
    expect(new Set(spec.data.values.filter((v) => v.kind === "logged").map((v) => v.run)).size).toBe(OFFICIAL_RUNS.length);
    expect(spec.data.values.some((v) => v.kind === "claim")).toBe(true);
  });
});
