/**
 * IMP paper, Fig. 5 — convergence of SDT, TET and LTS on the toy network with static input
 * (papers.md §3.7). The machinery, scales and protocol are in `convergence.ts`; there is no numeric claim,
 * so the report states the measured comparison with SDT in its notes.
 */
import type { ItemResult, RunContext } from "../../lib/repro/item.js";
import { runConvergence } from "./convergence.js";

export async function run(ctx: RunContext): Promise<ItemResult> {
  return runConvergence(ctx, "static");
}
