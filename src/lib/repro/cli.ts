/**
 * `npx tsx reproduce.ts list | <id>... [--scale smoke|small|paper] [--out DIR] [--seed N]` over a registry.
 * Exit codes: 0 all good, 1 a claim MISMATCH (or an item failed), 2 bad arguments / unknown or unbuilt item.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../backend/index.js";
import type { ReproItem } from "./item.js";
import type { Registry } from "./registry.js";
import { listItems, runItem, SCALES } from "./runner.js";
import type { Scale } from "./verdict.js";

export interface CliArgs {
  command: "list" | "run" | "help";
  ids: string[];
  scale?: Scale;
  out?: string;
  seed?: number;
}

export const USAGE = `usage: npx tsx reproduce.ts list
       npx tsx reproduce.ts <id>... [--scale smoke|small|paper] [--out DIR] [--seed N]
  <id> is <paper>:<item>, or a bare item such as table2 for every paper that has it.`;

/** Parse the command line; throws an Error naming the argument and what was expected. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { scale: { type: "string" }, out: { type: "string" }, seed: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  const args: CliArgs = { command: "run", ids: [] };
  if (values.scale !== undefined) {
    if (!(SCALES as string[]).includes(values.scale)) throw new Error(`--scale must be one of ${SCALES.join(", ")}, got '${values.scale}'`);
    args.scale = values.scale as Scale;
  }
  if (values.out !== undefined) {
    if (values.out === "") throw new Error("--out needs a folder");
    args.out = values.out;
  }
  if (values.seed !== undefined) {
    const seed = Number(values.seed);
    if (!/^-?\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) {
      throw new Error(`--seed must be an integer between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got '${values.seed}'`);
    }
    args.seed = seed;
  }
  if (values.help) return { ...args, command: "help" };
  if (positionals[0] === "list") {
    if (positionals.length > 1) throw new Error(`'list' takes no arguments, got '${positionals.slice(1).join(" ")}'`);
    if (values.scale !== undefined || values.out !== undefined || values.seed !== undefined) throw new Error("'list' takes no options");
    return { ...args, command: "list" };
  }
  args.ids = positionals;
  if (args.ids.length === 0) args.command = "help";
  return args;
}

/**
 * Create the output root if needed and check that it is a writable folder, before any work starts (a run
 * that trains for an hour must not fail at its first write). The folders are made one level at a time:
 * Node's `mkdirSync(…, { recursive: true })` never returns on some paths (`/proc/x` spins on ENOENT).
 */
export function checkOutputRoot(dir: string): void {
  const abs = resolve(dir);
  try {
    const missing: string[] = [];
    let at = abs;
    while (!existsSync(at)) {
      missing.unshift(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
    for (const d of missing) mkdirSync(d);
    if (!statSync(abs).isDirectory()) throw new Error("not a folder");
    accessSync(abs, constants.W_OK);
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new Error(`--out ${dir}: cannot write results there (${why}); expected a writable folder`);
  }
}

export async function main(argv: string[], registry: Registry): Promise<number> {
  let args: CliArgs;
  let items: ReproItem[];
  try {
    args = parseCliArgs(argv);
    if (args.command === "help") {
      console.log(USAGE);
      return argv.length ? 0 : 2;
    }
    if (args.command === "list") {
      console.log(listItems(registry));
      return 0;
    }
    items = args.ids.flatMap((id) => registry.resolveIds(id));
    checkOutputRoot(args.out ?? "results");
  } catch (e) {
    console.error(`reproduce: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const unbuilt = items.filter((i) => i.status !== "ready");
  await initBackend();
  let code = 0;
  for (const item of items) {
    if (item.status !== "ready") {
      console.error(`\n=== ${item.id} — not built yet: ${item.reason} ===`);
      continue;
    }
    try {
      const r = await runItem(registry, item, { scale: args.scale, outRoot: args.out, seed: args.seed });
      if (r.comparisons.some((c) => c.status === "MISMATCH")) code = 1;
    } catch (e) {
      // Print the message, not an uncaught exception (the wasm runtime would dump its whole source).
      console.error(`reproduce: ${item.id} failed: ${(e as Error).message}`);
      if (process.env.SPIKELAB_DEBUG) console.error((e as Error).stack);
      code = 1;
    }
  }
  if (unbuilt.length && code === 0) code = 2;
  return code;
}
