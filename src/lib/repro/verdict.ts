/**
 * Claimed vs reproduced (toolchain §9):
 * - REPRODUCED: |reproduced − claimed| within tolerance (abs and/or rel, either suffices);
 * - REPRODUCED+: an accuracy better than the paper by more than the tolerance (flagged);
 * - MISMATCH: outside the tolerance;
 * - PARTIAL: a trained claim measured at a reduced scale — shown, never judged;
 * - NOT-RUN: no reproduced value, with the reason.
 */
import type { Claim } from "./claims.js";

export type Scale = "smoke" | "small" | "paper";
export type Status = "REPRODUCED" | "REPRODUCED+" | "MISMATCH" | "PARTIAL" | "NOT-RUN";

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
