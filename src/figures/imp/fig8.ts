/**
 * IMP paper, Fig. 8 — convergence of SDT and TET on the toy network with dynamic input (a different
 * uniform draw at every time step; papers.md §3.7). The TET curve is CE of the mean output, as the official
 * script monitors it. Machinery, scales and protocol: `convergence.ts`; no numeric claim exists.
 */
import type { ItemResult, RunContext } from "../../lib/repro/item.js";
import { runConvergence } from "./convergence.js";

export async function run(ctx: RunContext): Promise<ItemResult> {
  return runConvergence(ctx, "dynamic");
}
