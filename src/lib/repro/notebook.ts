/**
 * The notebooks' side of the reproduction kit: `reproduceIn(registry, id, { scale })` runs an item exactly
 * as `npx tsx reproduce.ts <id>` does (same runner, same results/ folder, same report) and `showReportIn`
 * displays the report's claimed-vs-reproduced table, notes and figures in the notebook. `src/figures/index.ts`
 * binds both to the project's registry (`reproduce`, `showReport`).
 */
import { showMarkdown, showSpec } from "../plot/display.js";
import type { Registry } from "./registry.js";
import { reportMarkdown, runItem, type ItemReport } from "./runner.js";
import type { Scale } from "./verdict.js";

export async function reproduceIn(registry: Registry, id: string, opts: { scale?: Scale; seed?: number; outRoot?: string } = {}): Promise<ItemReport[]> {
  const out: ItemReport[] = [];
  for (const item of registry.resolveIds(id)) out.push(await runItem(registry, item, { ...opts, log: false }));
  return out;
}

/** Show one report of a registry's item: markdown (scale first, then the table and notes) and every figure. */
export async function showReportIn(registry: Registry, r: ItemReport): Promise<void> {
  const item = registry.getItem(r.id)!;
  const md = reportMarkdown(registry, r, item).split("\n").filter((l) => !l.startsWith("![")).join("\n");
  showMarkdown(md);
  for (const f of r.result.figures) await showSpec(f.spec);
}

/** Counts of each verdict in a report (notebooks print it, and fail on a regression they guard). */
export function verdictCounts(r: ItemReport): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const c of r.comparisons) counts[c.status] = (counts[c.status] ?? 0) + 1;
  return counts;
}
