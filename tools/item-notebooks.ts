/**
 * Writes one notebook per built reproduction item: `notebooks/<paper>-<item>.ipynb`, generated from
 * `notebooks/src/items/<paper>-<item>.cells.txt` (written here) by tools/make_notebook.py. Each is a thin
 * shell: it calls `reproduce(id)` — the same runner as `npx tsx reproduce.ts <id>` — and shows the report.
 *
 *   npx tsx tools/item-notebooks.ts          (re)write every item notebook
 *   npx tsx tools/item-notebooks.ts --check  exit 1 if a notebook is missing or stale
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ITEMS } from "../src/figures/items.js";
import { itemCellsFor } from "./item-notebooks-cells.js";

const SRC = join("notebooks", "src", "items");

function main(check: boolean): number {
  mkdirSync(SRC, { recursive: true });
  let stale = 0;
  for (const item of ITEMS.filter((i) => i.status === "ready")) {
    const name = `${item.paper}-${item.item}`;
    const cells = itemCellsFor(item.id);
    const src = join(SRC, `${name}.cells.txt`), nb = join("notebooks", `${name}.ipynb`);
    const fresh = existsSync(src) && readFileSync(src, "utf8") === cells && existsSync(nb);
    if (check) {
      if (!fresh) { console.error(`stale or missing: ${nb} (run npx tsx tools/item-notebooks.ts)`); stale++; }
      continue;
    }
    writeFileSync(src, cells);
    execFileSync("/usr/bin/python3", ["tools/make_notebook.py", src, nb], { stdio: "inherit" });
  }
  for (const f of readdirSync(SRC)) {
    const name = f.replace(/\.cells\.txt$/, "");
    if (!ITEMS.some((i) => `${i.paper}-${i.item}` === name && i.status === "ready")) { console.error(`orphan notebook source: ${join(SRC, f)}`); stale++; }
  }
  return stale ? 1 : 0;
}

process.exitCode = main(process.argv.includes("--check"));
