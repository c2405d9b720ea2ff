/**
 * `mpe-psn:audit`: every accuracy claim of MPE-PSN that comes from a released training run, checked against
 * the authors' own logs (`Chrazqee/MPE-PSN` at the pinned commit; `data/fetch/official-logs.ts --paper
 * mpe-psn`). Nothing is trained: the item reads the text logs and TensorBoard event files and reports, per run,
 * the epochs logged (and by which file), whether the run was resumed, the best and last test accuracy, their
 * gap, the train/test gap at the best epoch and the test-set coverage the accuracy granularity implies; then
 * each claim that names a log gets IN-LOG (the number is what that run logged under the claim's selection
 * rule) or MISMATCH (with the nearest logged values).
 *
 * Scales: `small` and `paper` read the real archive (the audit is cheap, both are the same work); `smoke`
 * writes a generated stand-in archive with known contents (./official-fixture.ts) into the run's folder and
 * audits that — its verdicts are PARTIAL: it checks the machinery, not the paper.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { metricValues, type Metric, type RunSummary } from "../../lib/logs/run-audit.js";
import { problemText } from "../../lib/logs/problem.js";
import type { Claim } from "../../lib/repro/claims.js";
import { CLAIMS } from "./claims.js";
import type { ItemResult, Reproduced, RunContext } from "../../lib/repro/item.js";
import type { LogLookup } from "../../lib/repro/verdict.js";
import { fetchCommand, officialLogsDir, OFFICIAL_SOURCES } from "../official-logs.js";
import { readRun, type RunRead } from "./audit-read.js";
import { authorsCurvesSpec } from "./authors-curves.js";
import { writeOfficialFixture } from "./official-fixture.js";
import { OFFICIAL_RUNS, type OfficialRun } from "./official-runs.js";

/** The MPE-PSN claims that name an authors' log. */
export function loggedClaims(): Claim[] {
  return CLAIMS.filter((c) => c.log);
}

function fmt(v: number | null | undefined, digits = 3): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "—" : String(+v.toFixed(digits));
}

function shortName(file: string): string {
  return file.split("/").pop()!;
}

/** What the granularity of a run's test accuracies implies, stated as an inference. */
export function coverageText(run: OfficialRun, s: RunSummary): string {
  const n = s.testDenominator;
  if (n === null) return `no N ≤ 20000 makes every test accuracy k/N (${s.distinctTestValues} distinct values)`;
  const base = `[INFERENCE] every test accuracy is k/${n} (smallest such N, ${s.distinctTestValues} distinct values): ${n} test samples scored`;
  if (run.testSetSize === null) return `${base}${n % run.testBatch === 0 ? ` (= ${n / run.testBatch} full batches of ${run.testBatch})` : ""}`;
  if (n === run.testSetSize) return `${base} = the whole test set (${run.testSetSize})`;
  const dropLast = Math.floor(run.testSetSize / run.testBatch) * run.testBatch;
  return `${base} of ${run.testSetSize}${n === dropLast ? ` (= ${n / run.testBatch} full batches of ${run.testBatch}: the test loader drops the last partial batch, drop_last=True)` : ""}`;
}

/** One row of the per-run table. */
export function runRow(r: RunRead): Record<string, string> {
  const s = r.summary;
  return {
    run: r.run.id,
    setting: r.run.setting,
    "epochs logged": `${fmt(s.epochs.first, 0)}..${fmt(s.epochs.last, 0)} of ${r.run.planned}${s.epochs.missing.length ? ` (${s.epochs.missing.length} missing)` : ""}`,
    "per file": s.spans.map((sp) => `${shortName(sp.label)}: ${sp.first}..${sp.last}`).join("; "),
    resumed: s.resumed ? `yes — ${s.resumedEvidence.join("; ")}` : "no",
    "best test acc (epoch)": s.best ? `${fmt(s.best.value)} (${s.best.epoch})` : "—",
    "last epoch acc": s.last ? `${fmt(s.last.value)} (${s.last.epoch})` : "—",
    "best − last": fmt(s.bestMinusLast),
    "train − test at best": fmt(s.trainTestGapAtBest),
    coverage: coverageText(r.run, s),
  };
}

function where(r: RunRead, epoch: number, source: string): string {
  return `epoch ${epoch} of ${r.run.id} (${shortName(source)})`;
}

/** The value a claim's declared selection picks from its run, and all logged values of that quantity. */
export function lookupClaim(c: Claim, reads: ReadonlyMap<string, RunRead>, generated: boolean): Reproduced {
  const r = reads.get(c.log!.run);
  const metric: Metric = c.log!.metric ?? "testAcc";
  if (!r) return { claimId: c.id, value: null, log: { selected: null, candidates: [], note: `no run '${c.log!.run}' in the audit` } };
  const merged = r.rows;
  const values = metricValues(merged, metric);
  const s = r.summary;
  let selected: LogLookup["selected"] = null;
  let candidates: LogLookup["candidates"] = values.map((v) => ({ value: v.value, where: `epoch ${v.epoch}` }));
  switch (c.log!.selection) {
    case "best-over-epochs":
      if (s.best) selected = { value: s.best.value, where: where(r, s.best.epoch, s.best.source) };
      break;
    case "epoch-of-best":
      if (s.best) selected = { value: s.best.epoch, where: `best ${fmt(s.best.value)} of ${r.run.id}` };
      candidates = [];
      break;
    case "last-epoch":
      if (s.last) selected = { value: s.last.value, where: where(r, s.last.epoch, s.last.source) };
      break;
    case "first-epoch": {
      const first = merged.find((x) => x.epoch === 0)?.[metric];
      if (first) selected = { value: first.value, where: where(r, 0, first.source) };
      break;
    }
    case "comment":
      break;
  }
  const unread = r.problems.filter((p) => p.kind === "missing").length;
  const log: LogLookup = { selected, candidates, generated, ...(unread ? { note: `${unread} file(s) of this run missing: ${fetchCommand("mpe-psn")}` } : {}) };
  return { claimId: c.id, value: selected?.value ?? null, log };
}

export interface ArchiveAudit {
  dir: string;
  generated: boolean;
  reads: RunRead[];
  reproduced: Reproduced[];
}

/** Audit every run of an unpacked archive (real or generated). */
export function auditArchive(dir: string, runs: readonly OfficialRun[], generated: boolean): ArchiveAudit {
  const reads = runs.map((run) => readRun(dir, run));
  const byId = new Map(reads.map((r) => [r.run.id, r]));
  return { dir, generated, reads, reproduced: loggedClaims().map((c) => lookupClaim(c, byId, generated)) };
}

export async function run(ctx: RunContext): Promise<ItemResult> {
  let dir = officialLogsDir("mpe-psn");
  let runs: readonly OfficialRun[] = OFFICIAL_RUNS;
  const generated = ctx.scale === "smoke";
  if (generated) {
    dir = join(ctx.outDir, "generated-archive");
    runs = (await writeOfficialFixture(dir, { seed: ctx.seed })).runs;
  }
  const missingArchive = !generated && !existsSync(dir);
  const audit = auditArchive(dir, runs, generated);
  const problems = audit.reads.flatMap((r) => r.problems);
  const rows = audit.reads.map(runRow);
  const src = OFFICIAL_SOURCES["mpe-psn"];
  return {
    title: "Audit of MPE-PSN's logged accuracy claims against the authors' released training logs",
    data: {
      archive: generated ? { generated: true, dir } : { repo: src.repo, commit: src.commit, dir },
      runs: audit.reads.map((r) => ({
        id: r.run.id, setting: r.run.setting, log: r.run.log, events: r.eventFiles, finalRunningBest: r.finalRunningBest,
        summary: r.summary, coverage: coverageText(r.run, r.summary), problems: r.problems.map(problemText),
      })),
      table: rows,
    },
    reproduced: audit.reproduced,
    // no figure without data: an empty panel grid would only look broken
    figures: audit.reads.some((r) => r.rows.length) ? [{ name: "authors-curves", spec: authorsCurvesSpec(audit.reads, loggedClaims(), generated ? `generated stand-in archive (smoke), ${runs[0]?.planned} epochs` : `${src.repo} @ ${src.commit.slice(0, 7)}`) }] : [],
    notes: [
      generated
        ? `Scale smoke: a generated stand-in archive (the project's own log and event-file writers, seeded curves, ${runs[0]?.planned} epochs, two planted defects) was audited, not the authors' logs; verdicts are PARTIAL. Run at --scale paper after '${fetchCommand("mpe-psn")}' for the real audit.`
        : `Archive: ${src.repo} at ${src.commit} (${dir}).`,
      ...(missingArchive ? [`The authors' logs are not here: run '${fetchCommand("mpe-psn")}' (or --from a local tarball/checkout; README "Authors' logs").`] : []),
      "Epochs are numbered as the authors' scripts log them (0-based: Epoch:[0/230] … [229/230]). Best = the first epoch reaching the maximum test accuracy; " +
        "a claim equal to it is a model selected on the test set (the official scripts have no validation split).",
      ...audit.reads.map((r) => `${r.run.id}: ${rowText(rows[audit.reads.indexOf(r)]!)}${r.summary.disagreements.length ? ` ${r.summary.disagreements.length} epoch value(s) differ between the log and the event files beyond rounding.` : ""}${r.finalRunningBest !== null && r.summary.best && Math.abs(r.finalRunningBest - r.summary.best.value) > 1e-3 ? ` The log's final running best ${r.finalRunningBest} ≠ best over the files ${fmt(r.summary.best.value)}.` : ""}`),
      problems.length ? `Could not be read (${problems.length}): ${problems.map(problemText).join(" | ")}` : "Every file was read without problems.",
    ],
  };
}

function rowText(row: Record<string, string>): string {
  return Object.entries(row).filter(([k]) => k !== "run").map(([k, v]) => `${k}: ${v}`).join("; ") + ".";
}
