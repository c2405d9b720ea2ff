/**
 * `npm run bench -- --only estimates`: the paper-scale wall time of every training item on the running backend,
 * from each network's measured step time (cached in results/_step-times; `reproduce.ts estimate` is the same
 * command per item). Each measurement runs in a fresh `reproduce.ts` process (a wasm heap abort spoils a process).
 */
import { fileURLToPath } from "node:url";
import { REGISTRY } from "../src/figures/registry.js";
import { estimateItems, itemsWithWorkload } from "../src/lib/repro/estimate.js";

export async function benchEstimates(o: { batch?: number; force?: boolean } = {}): Promise<void> {
  const reproduce = fileURLToPath(new URL("../reproduce.ts", import.meta.url));
  await estimateItems(itemsWithWorkload(REGISTRY), { ...o, isolate: [process.execPath, ...process.execArgv, reproduce] });
}
