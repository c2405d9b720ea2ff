/**
 * `npx tsx reproduce.ts list | estimate [ids|all] | <id>... [--scale smoke|small|paper] [--out DIR] [--seed N] [--workers N|auto]` over a registry.
 * Exit codes: 0 all good, 1 a claim MISMATCH (or an item failed), 2 bad arguments / unknown or unbuilt item.
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { initBackend } from "../backend/index.js";
import { cachedEstimates, estimateItems, estimateLine, itemsWithWorkload } from "./estimate.js";
import type { ReproItem } from "./item.js";
import { describeEnvironment, measureStepTime, stepTimeEnvironment } from "./step-time.js";
import { stepTimeCacheDir, writeStepTime } from "./step-time-cache.js";
import { workloadNetworks } from "./workload.js";
import type { WorkersOption } from "../train/parallel/workers.js";
import type { Registry } from "./registry.js";
import { listItems, runItem, SCALES } from "./runner.js";
import type { Scale } from "./verdict.js";

export interface CliArgs {
  command: "list" | "run" | "estimate" | "help";
  ids: string[];
  scale?: Scale;
  out?: string;
  seed?: number;
  /** estimate: samples per measured step. */
  batch?: number;
  /** estimate: measure again even when cached. */
  force?: boolean;
  /** estimate --child: measure one network of one item in this process at `batch`, `measureT` (the parent's fallback attempt). */
  child?: { network: string; measureT: number };
  /** Gradient worker threads for the items that train (default auto; changes the speed, not the results). */
  workers?: WorkersOption;
}

export const USAGE = `usage: npx tsx reproduce.ts list [--out DIR]
       npx tsx reproduce.ts estimate [<id>...|all] [--batch N] [--force] [--out DIR]
       npx tsx reproduce.ts <id>... [--scale smoke|small|paper] [--out DIR] [--seed N] [--workers N|auto]
  <id> is <paper>:<item>, or a bare item such as table2 for every paper that has it.
  estimate measures the training items' step times on the running backend (cached in DIR/_step-times,
  default results/) and prints their paper-scale wall time; list shows the cached estimates.
  --workers: training worker threads (default auto = SPIKELAB_WORKERS or the physical cores, at most 8).`;

/** Parse the command line; throws an Error naming the argument and what was expected. */
export function parseCliArgs(argv: string[]): CliArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: { scale: { type: "string" }, out: { type: "string" }, seed: { type: "string" }, workers: { type: "string" }, batch: { type: "string" }, force: { type: "boolean" }, child: { type: "boolean" }, network: { type: "string" }, "measure-t": { type: "string" }, help: { type: "boolean", short: "h" } },
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
  if (values.workers !== undefined) {
    const n = Number(values.workers);
    if (values.workers !== "auto" && !(/^\d+$/.test(values.workers) && n >= 1)) throw new Error(`--workers must be a positive integer or 'auto', got '${values.workers}'`);
    args.workers = values.workers === "auto" ? "auto" : n;
  }
  if (values.help) return { ...args, command: "help" };
  const estimateOnly = values.batch !== undefined || values.force !== undefined;
  if (positionals[0] === "list") {
    if (positionals.length > 1) throw new Error(`'list' takes no arguments, got '${positionals.slice(1).join(" ")}'`);
    if (values.scale !== undefined || values.seed !== undefined || values.workers !== undefined || estimateOnly) throw new Error("'list' takes no options but --out");
    return { ...args, command: "list" };
  }
  if (positionals[0] === "estimate") {
    if (values.scale !== undefined || values.seed !== undefined) throw new Error("'estimate' always estimates the paper scale; it takes --batch, --force and --out only");
    if (values.batch !== undefined) {
      const b = Number(values.batch);
      if (!/^\d+$/.test(values.batch) || !(b >= 1 && b <= 4096)) throw new Error(`--batch must be an integer from 1 to 4096 (samples per measured step), got '${values.batch}'`);
      args.batch = b;
    }
    if (values.force) args.force = true;
    const ids = positionals.slice(1);
    if (values.child) {
      const T = Number(values["measure-t"]);
      if (ids.length !== 1 || !values.network || !(Number.isInteger(T) && T >= 1)) throw new Error("'estimate --child' needs one item id, --network KEY and --measure-t T");
      return { ...args, command: "estimate", ids, child: { network: values.network, measureT: T } };
    }
    return { ...args, command: "estimate", ids: ids.length === 0 || (ids.length === 1 && ids[0] === "all") ? [] : ids };
  }
  if (estimateOnly) throw new Error("--batch and --force apply to 'estimate' only");
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

/** `list` (the table with the cached paper-scale estimates) or `estimate` (measure, save, print). */
async function listOrEstimate(args: CliArgs, registry: Registry, items: ReproItem[], opts: MainOptions): Promise<number> {
  await initBackend();
  const outRoot = args.out ? { outRoot: args.out } : {};
  if (args.command === "list") {
    const estimates = await cachedEstimates(registry, outRoot);
    const lines = new Map([...estimates].map(([id, e]) => [id, estimateLine(e)]));
    console.log(listItems(registry, { estimates: lines, backend: describeEnvironment(stepTimeEnvironment()) }));
    return 0;
  }
  if (args.child) {
    const item = items[0]!;
    const net = workloadNetworks(await item.workload!()).find((n) => n.key === args.child!.network);
    if (!net) throw new Error(`${item.id} has no workload network '${args.child.network}'`);
    const env = stepTimeEnvironment();
    const m = await measureStepTime({ ...net, measureT: args.child.measureT }, { batch: args.batch ?? 2 });
    await writeStepTime(stepTimeCacheDir(args.out ?? "results"), env, net, m);
    return 0;
  }
  const isolate = opts.childArgv;
  const done = await estimateItems(items, { ...outRoot, ...(args.batch ? { batch: args.batch } : {}), ...(args.force ? { force: true } : {}), ...(isolate ? { isolate } : {}) });
  return done.some((e) => e.unmeasured.length) ? 1 : 0;
}

export interface MainOptions {
  /**
   * The command line that runs this CLI (e.g. `[node, ...execArgv, reproduce.ts]`): `estimate` then measures
   * each network in a fresh process, so one that exhausts the backend's memory cannot spoil the next attempt.
   */
  childArgv?: string[];
}

export async function main(argv: string[], registry: Registry, opts: MainOptions = {}): Promise<number> {
  let args: CliArgs;
  let items: ReproItem[];
  try {
    args = parseCliArgs(argv);
    if (args.command === "help") {
      console.log(USAGE);
      return argv.length ? 0 : 2;
    }
    if (args.command === "list" || args.command === "estimate") {
      checkOutputRoot(args.out ?? "results");
      items = args.command === "estimate" && args.ids.length ? args.ids.flatMap((id) => registry.resolveIds(id)) : itemsWithWorkload(registry);
      const without = items.filter((i) => !i.workload);
      if (without.length) throw new Error(`${without.map((i) => i.id).join(", ")}: no paper-scale workload declared (not a training item); items with one: ${itemsWithWorkload(registry).map((i) => i.id).join(", ")}`);
    } else {
      items = args.ids.flatMap((id) => registry.resolveIds(id));
      checkOutputRoot(args.out ?? "results");
    }
  } catch (e) {
    console.error(`reproduce: ${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (args.command === "list" || args.command === "estimate") {
    try {
      return await listOrEstimate(args, registry, items, opts);
    } catch (e) {
      console.error(`reproduce: ${args.command} failed: ${(e as Error).message}`);
      if (process.env.SPIKELAB_DEBUG) console.error((e as Error).stack);
      return 1;
    }
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
      const r = await runItem(registry, item, { scale: args.scale, outRoot: args.out, seed: args.seed, workers: args.workers });
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
