/**
 * How many gradient workers a run uses.
 *
 * `workers` in the trainer's config: a number (exactly that many; 1 = the single-process path), or
 * `"auto"`/absent = `SPIKELAB_WORKERS` when set, else the physical cores this process may use, at most
 * {@link MAX_AUTO_WORKERS}; without a `workerSetup`, or on a backend other than wasm/cpu, always 1 (workers cannot build a model without one), and an
 * explicit count > 1 without one is an error.
 * The count changes only the speed, never the result (`engine.ts`); per step the engine further uses at most
 * one worker per sample of the smallest micro-batch.
 */
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { currentBackend } from "../../backend/index.js";

/**
 * Backends a gradient worker can run: SyncBN reads its partial sums synchronously inside autodiff, which webgpu in
 * Node cannot; the native and GPU rungs already use every core or the GPU from one process.
 */
export const WORKER_BACKENDS: readonly string[] = ["wasm", "cpu"];

/** More workers than this rarely pays on one socket: each step's per-worker overhead grows, memory too. */
export const MAX_AUTO_WORKERS = 8;

export type WorkersOption = number | "auto";

/**
 * Physical cores available to this process: distinct (physical id, core id) pairs in /proc/cpuinfo (SMT
 * siblings share a core's arithmetic units, so a second worker per core gains little), never more than
 * `os.availableParallelism()` (CPU affinity); `availableParallelism()` where /proc/cpuinfo says nothing.
 */
export function physicalCores(): number {
  const logical = availableParallelism();
  let cpuinfo = "";
  try {
    cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  } catch {
    return logical;
  }
  const cores = new Set<string>();
  for (const block of cpuinfo.split(/\n\s*\n/)) {
    const phys = /^physical id\s*:\s*(\d+)/m.exec(block)?.[1], core = /^core id\s*:\s*(\d+)/m.exec(block)?.[1];
    if (phys !== undefined && core !== undefined) cores.add(`${phys}:${core}`);
  }
  return cores.size ? Math.min(cores.size, logical) : logical;
}

function parseCount(value: unknown, what: string): number {
  const n = typeof value === "string" ? Number(value.trim()) : value;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1) {
    throw new Error(`${what} must be a positive integer or "auto", got ${JSON.stringify(value)}`);
  }
  return n;
}

/**
 * The worker count for a run (see the module doc); `env` is `process.env` and `backend` the running rung unless given.
 * On a backend outside {@link WORKER_BACKENDS} "auto" is 1 and an explicit count > 1 an error.
 */
export function resolveWorkers(option: WorkersOption | undefined, hasSetup: boolean, env: NodeJS.ProcessEnv = process.env,
  backend: string | null = currentBackend()?.rung ?? null): number {
  const workerBackend = backend === null || WORKER_BACKENDS.includes(backend);
  if (option !== undefined && option !== "auto") {
    const n = parseCount(option, "workers");
    if (n > 1 && !hasSetup) throw new Error(`workers: ${n} workers need a workerSetup (how each worker builds the model); got none`);
    if (n > 1 && !workerBackend) throw new Error(`workers: gradient workers run on ${WORKER_BACKENDS.join(" or ")}, this process runs '${backend}'; use workers: 1 (or "auto")`);
    return n;
  }
  if (!hasSetup || !workerBackend) return 1;
  const fromEnv = env.SPIKELAB_WORKERS?.trim();
  if (fromEnv && fromEnv !== "auto") return parseCount(fromEnv, "SPIKELAB_WORKERS");
  return Math.max(1, Math.min(physicalCores(), MAX_AUTO_WORKERS));
}
