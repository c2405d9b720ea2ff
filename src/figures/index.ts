/**
 * The reproducibility kit bound to this project's registry (`spikelab/figures`): what the notebooks call.
 * `reproduce(id, { scale })` runs an item exactly as `npx tsx reproduce.ts <id>` does; `showReport` shows its
 * report and figures in the notebook.
 */
import { reproduceIn, showReportIn } from "../lib/repro/notebook.js";
import type { ItemReport } from "../lib/repro/runner.js";
import type { Scale } from "../lib/repro/verdict.js";
import { REGISTRY } from "./registry.js";

export { REGISTRY, getClaim, claimsFor } from "./registry.js";
export { verdictCounts } from "../lib/repro/notebook.js";
export type { Scale } from "../lib/repro/verdict.js";

export function reproduce(id: string, opts: { scale?: Scale; seed?: number; outRoot?: string } = {}): Promise<ItemReport[]> {
  return reproduceIn(REGISTRY, id, opts);
}

export function showReport(r: ItemReport): Promise<void> {
  return showReportIn(REGISTRY, r);
}
