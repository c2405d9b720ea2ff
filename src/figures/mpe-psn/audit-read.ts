/**
 * Reading one released MPE-PSN run (./official-runs.ts) into the generic audit shapes of `lib/logs`: its text
 * log and its event files become `Source`s (the log first: its printed digits win where both have an epoch),
 * and everything that could not be read becomes a `LogProblem` — a missing file names the fetch command.
 */
import { basename } from "node:path";
import { readEventFile, scalarSeries } from "../../lib/logs/tfevents.js";
import { readTextLog } from "../../lib/logs/text-log.js";
import type { LogProblem } from "../../lib/logs/problem.js";
import { mergeSources, summariseRun, type EpochRow, type Metric, type RunSummary, type Source } from "../../lib/logs/run-audit.js";
import { readOfficialFile } from "../official-logs.js";
import { EVENT_TAGS, LOG_KEYS, type OfficialRun } from "./official-runs.js";

/** Relative float32 rounding of a value read from an event file (24-bit mantissa). */
const FLOAT32_REL = 2 ** -24;

export interface RunRead {
  run: OfficialRun;
  sources: Source[];
  /** Epoch rows of all sources merged (the log's digits first). */
  rows: EpochRow[];
  /** The last running best the log printed (what the authors' script reported at the end). */
  finalRunningBest: number | null;
  /** Scalars per event file and how they were stored. */
  eventFiles: { file: string; scalars: number; storedAs: string[]; steps: [number, number] | null }[];
  problems: LogProblem[];
  summary: RunSummary;
}

function logSource(text: string, file: string, problems: LogProblem[]): { source: Source; finalBest: number | null } {
  const r = readTextLog(text, file, { requireKeys: [LOG_KEYS.testAcc] });
  problems.push(...r.problems);
  const rows = new Map<number, EpochRow>();
  let firstBest: number | undefined, finalBest: number | null = null;
  for (const rec of r.records) {
    const best = rec.values[LOG_KEYS.runningBest];
    if (best !== undefined) {
      // the running best follows each epoch's test line; the first one tells whether a best was carried in
      firstBest ??= best;
      finalBest = best;
    }
    if (rec.epoch === undefined) continue;
    const row = rows.get(rec.epoch) ?? { epoch: rec.epoch };
    const put = (m: Metric, key: string) => {
      if (rec.values[key] !== undefined) row[m] = { value: rec.values[key]!, halfUnit: rec.halfUnits[key]!, source: file };
    };
    if (LOG_KEYS.testAcc in rec.values) put("testAcc", LOG_KEYS.testAcc);
    else { put("trainLoss", LOG_KEYS.trainLoss); put("trainAcc", LOG_KEYS.trainAcc); }
    rows.set(rec.epoch, row);
  }
  return { source: { label: basename(file), rows: [...rows.values()], ...(firstBest !== undefined ? { firstRunningBest: firstBest } : {}) }, finalBest };
}

function eventSource(bytes: Uint8Array, file: string, problems: LogProblem[]): { source: Source; info: RunRead["eventFiles"][number] } {
  const r = readEventFile(bytes, file);
  problems.push(...r.problems);
  const rows = new Map<number, EpochRow>();
  for (const m of Object.keys(EVENT_TAGS) as Metric[]) {
    for (const [step, value] of scalarSeries(r.scalars, EVENT_TAGS[m])) {
      const row = rows.get(step) ?? { epoch: step };
      row[m] = { value, halfUnit: Math.abs(value) * FLOAT32_REL + 1e-12, source: file };
      rows.set(step, row);
    }
  }
  const steps = [...rows.keys()];
  return {
    source: { label: basename(file), rows: [...rows.values()] },
    info: { file, scalars: r.scalars.length, storedAs: [...new Set(r.scalars.map((s) => s.storedAs))], steps: steps.length ? [Math.min(...steps), Math.max(...steps)] : null },
  };
}

/** Read and summarise one run from an unpacked archive folder. */
export function readRun(dir: string, run: OfficialRun): RunRead {
  const problems: LogProblem[] = [];
  const sources: Source[] = [];
  let finalRunningBest: number | null = null;
  const log = readOfficialFile(dir, run.log, "mpe-psn");
  if ("missing" in log) problems.push({ file: run.log, kind: "missing", message: log.missing });
  else {
    const { source, finalBest } = logSource(Buffer.from(log.bytes).toString("utf8"), run.log, problems);
    sources.push(source);
    finalRunningBest = finalBest;
  }
  const eventFiles: RunRead["eventFiles"] = [];
  for (const f of run.events) {
    const ev = readOfficialFile(dir, f, "mpe-psn");
    if ("missing" in ev) { problems.push({ file: f, kind: "missing", message: ev.missing }); continue; }
    const { source, info } = eventSource(ev.bytes, f, problems);
    sources.push(source);
    eventFiles.push(info);
  }
  return { run, sources, rows: mergeSources(sources).rows, finalRunningBest, eventFiles, problems, summary: summariseRun(sources, { planned: run.planned, firstEpoch: 0 }) };
}
