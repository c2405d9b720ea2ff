/**
 * Claimed vs reproduced (toolchain §9):
 * - REPRODUCED: |reproduced − claimed| within tolerance (abs and/or rel, either suffices);
 * - REPRODUCED+: an accuracy better than the paper by more than the tolerance (flagged);
 * - MISMATCH: outside the tolerance;
 * - PARTIAL: a trained claim measured at a reduced scale — shown, never judged;
 * - NOT-RUN: no reproduced value, with the reason;
 * - IN-LOG: the number is what the authors' own released run logged (a training log, an event file, a comment
 *   in their run script) under the selection rule the claim declares — found, not re-run here;
 * - MISMATCH (for a logged claim): the declared selection gives another value; the nearest logged ones are shown.
 */
import { halfUnitOfWritten } from "../logs/run-audit.js";
import type { Claim } from "./claims.js";

export type Scale = "smoke" | "small" | "paper";
export type Status = "REPRODUCED" | "REPRODUCED+" | "MISMATCH" | "PARTIAL" | "NOT-RUN" | "IN-LOG";

export interface Comparison {
  claimId: string;
  setting: string;
  quantity: string;
  unit: string;
  /** Where the paper's value comes from (paper section, log file, digitised figure). */
  source: string;
  paper: number;
  reproduced: number | null;
  delta: number | null;
  tolerance: string;
  status: Status;
  note?: string;
}

export function formatTolerance(c: Claim): string {
  const parts: string[] = [];
  if (c.tolerance.abs !== undefined) parts.push(`±${c.tolerance.abs}${c.unit === "%" ? " pp" : c.unit ? ` ${c.unit}` : ""}`);
  if (c.tolerance.rel !== undefined) parts.push(`±${+(c.tolerance.rel * 100).toPrecision(3)} %rel`);
  return parts.join(" or ") || "—";
}

export function withinTolerance(c: Claim, value: number): boolean {
  const d = Math.abs(value - c.value);
  const abs = c.tolerance.abs !== undefined && d <= c.tolerance.abs + 1e-12;
  const rel = c.tolerance.rel !== undefined && d <= c.tolerance.rel * Math.abs(c.value) + 1e-12;
  return abs || rel;
}

export function compareClaim(c: Claim, reproduced: number | null, scale: Scale, note?: string): Comparison {
  const base = { claimId: c.id, setting: c.setting, quantity: c.quantity, unit: c.unit, source: c.source, paper: c.value, tolerance: formatTolerance(c) };
  if (reproduced === null || !Number.isFinite(reproduced)) {
    return { ...base, reproduced: null, delta: null, status: "NOT-RUN", note: note ?? "no reproduced value" };
  }
  const delta = reproduced - c.value;
  if ((c.kind === "trained" || c.kind === "digitised" || c.kind === "reference") && scale !== "paper") {
    return { ...base, reproduced, delta, status: "PARTIAL", note: note ?? `reduced-scale run (${scale}): shown, not judged` };
  }
  let status: Status = withinTolerance(c, reproduced) ? "REPRODUCED" : "MISMATCH";
  if (status === "MISMATCH" && c.unit === "%" && c.kind === "trained" && delta > 0) status = "REPRODUCED+";
  return { ...base, reproduced, delta, status, ...(note ? { note } : {}) };
}

/** A claim's number looked up in the authors' released logs (built by an audit item, judged here). */
export interface LogLookup {
  /** The value the claim's declared selection rule picks, and where (file, epoch); null when unreadable. */
  selected: { value: number; where: string } | null;
  /** Every logged value of the same quantity, for the nearest ones on a mismatch. */
  candidates: { value: number; where: string }[];
  /** The log is a generated stand-in (smoke scale): shown, never judged. */
  generated?: boolean;
  note?: string;
}

/**
 * How close a logged value must be to count as the claimed number: half a unit of the claim's last written
 * digit (97.92 matches 97.917), or the claim's own tolerance for a value read off a figure.
 */
export function logMatchTolerance(c: Claim): number {
  return c.log?.match === "claim-tolerance" ? (c.tolerance.abs ?? c.tolerance.rel! * Math.abs(c.value)) : halfUnitOfWritten(c.value);
}

/** Judge a claim against the authors' log: IN-LOG, MISMATCH (nearest values shown), NOT-RUN, or PARTIAL when generated. */
export function compareWithLog(c: Claim, log: LogLookup): Comparison {
  const tol = logMatchTolerance(c);
  const rule = c.log ? `${c.log.selection} of ${c.log.file}` : "no log declared";
  const base = { claimId: c.id, setting: c.setting, quantity: c.quantity, unit: c.unit, source: c.source, paper: c.value, tolerance: `±${+tol.toPrecision(3)} (as written)` };
  const extra = log.note ? ` ${log.note}` : "";
  if (!log.selected) return { ...base, reproduced: null, delta: null, status: "NOT-RUN", note: `log not readable (${rule}).${extra}` };
  const { value, where } = log.selected;
  const delta = value - c.value;
  const inLog = Math.abs(delta) <= tol + 1e-9;
  if (log.generated) {
    return { ...base, reproduced: value, delta, status: "PARTIAL", note: `generated stand-in log, not the authors': would be ${inLog ? "IN-LOG" : "MISMATCH"} (${where}).${extra}` };
  }
  if (inLog) return { ...base, reproduced: value, delta, status: "IN-LOG", note: `${c.log?.selection ?? "value"} = ${value} at ${where}.${extra}` };
  const nearest = [...log.candidates].sort((a, b) => Math.abs(a.value - c.value) - Math.abs(b.value - c.value)).slice(0, 3);
  const elsewhere = nearest.filter((n) => Math.abs(n.value - c.value) <= tol + 1e-9);
  return {
    ...base, reproduced: value, delta, status: "MISMATCH",
    note: `${c.log?.selection ?? "value"} = ${value} at ${where}; nearest logged: ${nearest.map((n) => `${n.value} (${n.where})`).join(", ") || "none"}` +
      `${elsewhere.length ? ` — the claim matches ${elsewhere.map((n) => n.where).join(", ")}, not its declared selection` : ""}.${extra}`,
  };
}
