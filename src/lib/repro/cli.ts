/**
 * `npx tsx reproduce.ts list | <id>... [--scale smoke|small|paper] [--out DIR] [--seed N]`
 * Exit codes: 0 all good, 1 a claim MISMATCH, 2 bad arguments / unknown or unbuilt item.
 */
import { initBackend } from "../backend/index.js";
import { listItems, resolveIds, runItem, SCALES } from "./runner.js";
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
  <id> is <paper>:<item> (papers mpe-psn, imp, mulfree), or a bare item such as table2 for every paper that has it.`;

export function parseArgs(argv: string[]): CliArgs {
  const ids: string[] = [];
  const args: CliArgs = { command: "run", ids };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined || v.startsWith("--")) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === "--scale") {
      const v = value();
      if (!(SCALES as string[]).includes(v)) throw new Error(`--scale must be one of ${SCALES.join(", ")}, got '${v}'`);
      args.scale = v as Scale;
    } else if (a === "--out") args.out = value();
    else if (a === "--seed") {
      const v = value();
      if (!/^-?\d+$/.test(v)) throw new Error(`--seed must be an integer, got '${v}'`);
      args.seed = Number(v);
    } else if (a === "--help" || a === "-h") args.command = "help";
    else if (a.startsWith("--")) throw new Error(`unknown option '${a}'`);
    else if (a === "list" && ids.length === 0) args.command = "list";
    else ids.push(a);
  }
  if (args.command === "run" && ids.length === 0) args.command = "help";
  return args;
}

export async function main(argv: string[]): Promise<number> {
  let args: CliArgs;
  try {
    args = parseArgs(argv);
  } catch (e) {
    console.error(`reproduce: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.command === "help") {
    console.log(USAGE);
    return argv.length ? 0 : 2;
  }
  if (args.command === "list") {
    console.log(listItems());
    return 0;
  }
  let items;
  try {
    items = args.ids.flatMap((id) => resolveIds(id));
  } catch (e) {
    console.error(`reproduce: ${(e as Error).message}`);
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
      const r = await runItem(item, { scale: args.scale, outRoot: args.out, seed: args.seed });
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
