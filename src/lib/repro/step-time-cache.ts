/**
 * Step-time measurements kept on disk, one JSON file per (backend, device, network key, measured shape) in
 * `<results root>/_step-times/` (the results root's shared folders, as `RunContext.sharedDir`), written
 * atomically. Each record carries its date and the spikelab and TF.js versions; a record from another
 * version is stale (kernels change), and a file that does not parse or lacks a field is corrupt — both are
 * reported with the reason and measured again by `estimate`, never used.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tf } from "../backend/tf.js";
import { writeFileAtomic } from "../util/fs.js";
import type { StepTimeEnvironment, StepTimeMeasurement } from "./step-time.js";
import type { WorkloadNetwork } from "./workload.js";

export const STEP_TIME_CACHE_FORMAT = 1;

export interface StepTimeRecord extends StepTimeMeasurement, StepTimeEnvironment {
  format: number;
  network: string;
  /** ISO date of the measurement. */
  measuredAt: string;
  spikelab: string;
  tfjs: string;
}

/** The versions a record must match to be used. */
export interface CacheVersions {
  spikelab: string;
  tfjs: string;
}

let ownVersion: string | null = null;
/** spikelab's version, from its package.json (`src/lib/repro` and `dist/lib/repro` are both three levels down). */
export function spikelabVersion(): string {
  if (ownVersion === null) {
    const pkg = JSON.parse(readFileSync(new URL("../../../package.json", import.meta.url), "utf8")) as { version?: string };
    ownVersion = pkg.version ?? "unknown";
  }
  return ownVersion;
}

export function currentVersions(): CacheVersions {
  return { spikelab: spikelabVersion(), tfjs: tf.version.tfjs };
}

export function stepTimeCacheDir(resultsRoot: string): string {
  return join(resultsRoot, "_step-times");
}

/**
 * File of one measurement: readable prefix (backend, network) + a hash of the key (backend, device, workers,
 * network key, paper input shape, measured T). The measured batch is not part of the key: the newest
 * measurement of a network, at whatever batch, is the one used (the record says which batch).
 */
export function stepTimeCachePath(dir: string, env: StepTimeEnvironment, net: WorkloadNetwork): string {
  const key = JSON.stringify([env.backend, env.device, env.workers, net.key, net.inputShape, net.measureT ?? null]);
  const hash = createHash("sha256").update(key).digest("hex").slice(0, 16);
  const readable = `${env.backend}-${net.key}`.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
  return join(dir, `${readable}-${hash}.json`);
}

export type CacheLookup =
  | { kind: "hit"; record: StepTimeRecord }
  | { kind: "missing" }
  | { kind: "stale"; reason: string }
  | { kind: "corrupt"; reason: string };

const NUMBER_FIELDS = ["batch", "T", "trainStepS", "forwardStepS"] as const;
const STRING_FIELDS = ["backend", "device", "network", "measuredAt", "spikelab", "tfjs"] as const;

/** Parse and check a record; throws an Error saying what is wrong. */
export function parseStepTimeRecord(text: string): StepTimeRecord {
  let r: Record<string, unknown>;
  try {
    r = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`not JSON (${(e as Error).message})`);
  }
  if (typeof r !== "object" || r === null || Array.isArray(r)) throw new Error("not a JSON object");
  if (r.format !== STEP_TIME_CACHE_FORMAT) throw new Error(`format ${JSON.stringify(r.format)}, expected ${STEP_TIME_CACHE_FORMAT}`);
  for (const f of NUMBER_FIELDS) {
    if (typeof r[f] !== "number" || !Number.isFinite(r[f]) || (r[f] as number) <= 0) throw new Error(`field '${f}' is ${JSON.stringify(r[f])}, expected a positive number`);
  }
  for (const f of STRING_FIELDS) if (typeof r[f] !== "string") throw new Error(`field '${f}' is ${JSON.stringify(r[f])}, expected a string`);
  if (!(r.workers === null || typeof r.workers === "number")) throw new Error(`field 'workers' is ${JSON.stringify(r.workers)}, expected a number or null`);
  if (!Array.isArray(r.shape)) throw new Error("field 'shape' is missing");
  return r as unknown as StepTimeRecord;
}

/** Look a measurement up; a record is used only when it parses and its versions are the running ones. */
export function readStepTime(dir: string, env: StepTimeEnvironment, net: WorkloadNetwork, versions: CacheVersions = currentVersions()): CacheLookup {
  const path = stepTimeCachePath(dir, env, net);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return { kind: "missing" };
    return { kind: "corrupt", reason: `${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  let record: StepTimeRecord;
  try {
    record = parseStepTimeRecord(text);
  } catch (e) {
    return { kind: "corrupt", reason: `${path}: corrupt step-time record: ${(e as Error).message}` };
  }
  if (record.network !== net.key) return { kind: "corrupt", reason: `${path}: holds network '${record.network}', expected '${net.key}'` };
  const mismatch = (["spikelab", "tfjs"] as const).filter((k) => record[k] !== versions[k]);
  if (mismatch.length) {
    return { kind: "stale", reason: `${path}: measured with ${mismatch.map((k) => `${k} ${record[k]}`).join(", ")}; running ${mismatch.map((k) => `${k} ${versions[k]}`).join(", ")}` };
  }
  return { kind: "hit", record };
}

/** Save a measurement (atomically: temp file + rename) and return the record written. */
export async function writeStepTime(dir: string, env: StepTimeEnvironment, net: WorkloadNetwork, m: StepTimeMeasurement, o: { versions?: CacheVersions; now?: Date } = {}): Promise<StepTimeRecord> {
  const v = o.versions ?? currentVersions();
  const record: StepTimeRecord = { format: STEP_TIME_CACHE_FORMAT, network: net.key, ...env, ...m, measuredAt: (o.now ?? new Date()).toISOString(), spikelab: v.spikelab, tfjs: v.tfjs };
  await writeFileAtomic(stepTimeCachePath(dir, env, net), JSON.stringify(record, null, 1) + "\n");
  return record;
}
