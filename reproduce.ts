/**
 * Reproduce the papers' figures and tables: `npx tsx reproduce.ts list`, `npx tsx reproduce.ts imp:fig3`.
 * A thin shell over the generic CLI (`src/lib/repro/cli.ts`) and this project's registry
 * (`src/figures/registry.ts`); every item's logic lives in `src/figures/<paper>/<item>.ts`.
 */
import { fileURLToPath } from "node:url";
import { REGISTRY } from "./src/figures/registry.js";
import { main } from "./src/lib/repro/cli.js";

try {
  // `estimate` measures each network in a fresh process running this same file.
  process.exitCode = await main(process.argv.slice(2), REGISTRY, { childArgv: [process.execPath, ...process.execArgv, fileURLToPath(import.meta.url)] });
} catch (e) {
  console.error(`reproduce: ${(e as Error).message}`);
  process.exitCode = 1;
}
