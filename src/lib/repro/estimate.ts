/**
 * Paper-scale wall-time estimates of training items on the running backend: each item's declared
 * {@link PaperWorkload} (step counts) × its networks' measured step times (`step-time.ts`, cached by
 * `step-time-cache.ts`). `reproduce.ts list` shows the cached estimates; `reproduce.ts estimate [ids|all]`
 * and `npm run bench -- --only estimates` measure what is missing and print the breakdown.
 */
import { spawn } from "node:child_process";
import { markdownTable } from "../plot/display.js";
import type { ReproItem } from "./item.js";
import type { Registry } from "./registry.js";
import { describeEnvironment, measureStepTime, stepTimeEnvironment, type StepTimeEnvironment, type StepTimeMeasurement } from "./step-time.js";
import { readStepTime, stepTimeCacheDir, writeStepTime, type CacheLookup, type StepTimeRecord } from "./step-time-cache.js";
import { runSeconds, runSteps, scaledStepSeconds, validateWorkload, workloadNetworks, type PaperWorkload, type WorkloadNetwork } from "./workload.js";

/** Significant digits a duration is shown with: 2, whole numbers from 100 up. */
function short(v: number): string {
  return v >= 100 ? String(Math.round(v)) : String(+v.toPrecision(2));
}

/** A duration legibly: ms below 1 s, then s, min, h, d (and years beyond 1000 days). */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) throw new Error(`formatDuration: expected a finite duration >= 0 s, got ${seconds}`);
  if (seconds < 1) return `${short(seconds * 1000)} ms`;
  if (seconds < 60) return `${short(seconds)} s`;
  if (seconds < 3600) return `${short(seconds / 60)} min`;
  if (seconds < 86400) return `${short(seconds / 3600)} h`;
  if (seconds < 1000 * 86400) return `${short(seconds / 86400)} d`;
  return `${short(seconds / (365.25 * 86400))} y`;
}

export function estimateCommand(id: string): string {
  return `npx tsx reproduce.ts estimate ${id}`;
}

export interface RunEstimate {
  label: string;
  network: string;
  repeats: number;
  trainSteps: number;
  evalSteps: number;
  batch: number;
  /** The paper's T (the measurement may have used fewer steps). */
  T: number;
  /** Seconds per training step at the paper batch (scaled from the measurement); null when not measured. */
  trainStepS: number | null;
  seconds: number | null;
  record: StepTimeRecord | null;
}

export interface ItemEstimate {
  id: string;
  env: StepTimeEnvironment;
  runs: RunEstimate[];
  /** Sum over measured runs. */
  seconds: number;
  /** Networks without a usable measurement, with why (missing, stale, corrupt). */
  unmeasured: { network: string; why: string }[];
  notes: string[];
}

/** Combine a workload with the cached (or given) measurements of its networks. */
export function estimateWorkload(id: string, w: PaperWorkload, env: StepTimeEnvironment, lookup: (net: WorkloadNetwork) => CacheLookup): ItemEstimate {
  validateWorkload(w, id);
  const looked = new Map(workloadNetworks(w).map((n) => [n.key, lookup(n)]));
  const unmeasured = [...looked].filter(([, l]) => l.kind !== "hit").map(([network, l]) => ({ network, why: l.kind === "hit" ? "" : l.kind === "missing" ? "not measured" : `${l.kind}: ${l.reason}` }));
  const runs: RunEstimate[] = w.runs.map((r) => {
    const st = runSteps(r);
    const l = looked.get(r.network.key)!;
    const record = l.kind === "hit" ? l.record : null;
    return {
      label: r.label, network: r.network.key, repeats: st.repeats, trainSteps: st.trainSteps, evalSteps: st.evalSteps, batch: st.batch, T: r.network.inputShape[0]!,
      trainStepS: record ? scaledStepSeconds(record, r.network, st.batch, "train") : null,
      seconds: record ? runSeconds(r, record) : null, record,
    };
  });
  return { id, env, runs, seconds: runs.reduce((a, r) => a + (r.seconds ?? 0), 0), unmeasured, notes: w.notes ?? [] };
}

/** How a step was measured: "measured at batch 2 (scaled to 32)", with T when it was scaled too. */
function measuredHow(r: RunEstimate): string {
  const m = r.record!;
  const scaled = m.batch !== r.batch || m.T !== r.T;
  return `measured ${m.measuredAt.slice(0, 10)} at batch ${m.batch}${m.T !== r.T ? `, T ${m.T}` : ""}${scaled ? ", scaled" : ""}`;
}

/**
 * The one-line estimate `list` shows: "≈ 31 d on wasm (1 worker), 2 s/step measured 2026-12-07 at batch 2,
 * scaled" (the step of the run that dominates the total), or what to run when a network is not measured.
 */
export function estimateLine(e: ItemEstimate): string {
  const on = describeEnvironment(e.env);
  if (e.unmeasured.length === e.runs.length || e.runs.every((r) => r.seconds === null)) {
    const why = e.unmeasured.some((u) => u.why !== "not measured") ? "measurement stale or corrupt" : "not measured";
    return `${why} on ${on} — run \`${estimateCommand(e.id)}\``;
  }
  if (e.unmeasured.length) {
    const nets = new Set(e.runs.map((r) => r.network)).size;
    return `≥ ${formatDuration(e.seconds)} on ${on} (${nets - e.unmeasured.length} of ${nets} networks measured) — run \`${estimateCommand(e.id)}\``;
  }
  const main = e.runs.reduce((a, r) => ((r.seconds ?? 0) > (a.seconds ?? 0) ? r : a));
  const runs = e.runs.reduce((a, r) => a + r.repeats, 0);
  return `≈ ${formatDuration(e.seconds)} on ${on}, ${runs} run${runs === 1 ? "" : "s"}, ${formatDuration(main.trainStepS!)}/step ${measuredHow(main)}`;
}

/** The per-run breakdown `estimate` prints. */
export function estimateTable(e: ItemEstimate): string {
  return markdownTable(e.runs.map((r) => ({
    run: r.label, network: r.network, runs: r.repeats, "train steps": r.trainSteps, "eval steps": r.evalSteps,
    "s/step": r.trainStepS === null ? "—" : `${formatDuration(r.trainStepS)} at batch ${r.batch} (${measuredHow(r)})`,
    total: r.seconds === null ? "not measured" : formatDuration(r.seconds),
  })));
}

export interface EstimateOptions {
  /** Results root whose `_step-times/` holds the cache (default `results`). */
  outRoot?: string;
  /** Samples per measured step (default 2). */
  batch?: number;
  /** Measure again even when a usable measurement is cached. */
  force?: boolean;
  /** Progress and tables to stdout (default true). */
  log?: boolean;
  /**
   * Measure every attempt in a fresh process: the command line (argv) that runs this registry's CLI, to which
   * `estimate --child <id> --network <key> --batch B --measure-t T --out DIR` is appended. After the wasm
   * runtime aborts (out of heap), the process cannot allocate reliably any more, so a fallback attempt in the
   * same process would fail too. Without it, attempts run in this process.
   */
  isolate?: string[];
}

/** Run one measurement attempt in a child process (see {@link EstimateOptions.isolate}); it writes the cache. */
function measureInChild(argv: string[], id: string, net: WorkloadNetwork, batch: number, outRoot: string): Promise<void> {
  const args = [...argv.slice(1), "estimate", "--child", id, "--network", net.key, "--batch", String(batch), "--measure-t", String(net.measureT ?? net.inputShape[0]), "--out", outRoot];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0]!, args, { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, SPIKELAB_QUIET: "1" } });
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code === 0) resolvePromise();
      else {
        const lines = err.split("\n").map((l) => l.trim()).filter((l) => l && l !== "Aborted()");
        reject(new Error(lines.at(-1)?.replace(/^reproduce: estimate failed: /, "") ?? `measuring process ended with ${signal ?? `exit code ${code}`}`));
      }
    });
  });
}

/**
 * Measure at `batch`; when that fails (typically out of memory on a CPU backend's heap), at batch 1, then at
 * half the time steps (down to T = 2, three halvings at most) — the estimate scales the result linearly and
 * says at which batch and T it measured. Throws the last failure.
 */
export async function measureWithFallback<M = StepTimeMeasurement>(net: WorkloadNetwork, batch: number, say: (s: string) => void = () => {},
  measure: (net: WorkloadNetwork, batch: number) => Promise<M> = (n, b) => measureStepTime(n, { batch: b }) as Promise<M>): Promise<M> {
  const T0 = net.measureT ?? net.inputShape[0]!;
  const attempts: { batch: number; T: number }[] = [{ batch, T: T0 }];
  if (batch > 1) attempts.push({ batch: 1, T: T0 });
  for (let T = Math.ceil(T0 / 2), n = 0; T >= 2 && n < 3; T = Math.ceil(T / 2), n++) attempts.push({ batch: 1, T });
  let last: unknown;
  for (const [i, a] of attempts.entries()) {
    if (i > 0) say(`  failed (${String((last as Error).message).split("\n")[0]!.slice(0, 120)}); retrying at batch ${a.batch}, T ${a.T}`);
    try {
      return await measure({ ...net, measureT: a.T }, a.batch);
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/** Items of `registry` that declare a paper workload. */
export function itemsWithWorkload(registry: Registry): ReproItem[] {
  return registry.items.filter((i) => i.workload);
}

/** The cached estimate of every item with a workload (what `list` shows), keyed by item id. */
export async function cachedEstimates(registry: Registry, o: Pick<EstimateOptions, "outRoot"> = {}): Promise<Map<string, ItemEstimate>> {
  const env = stepTimeEnvironment();
  const dir = stepTimeCacheDir(o.outRoot ?? "results");
  const out = new Map<string, ItemEstimate>();
  for (const item of itemsWithWorkload(registry)) {
    const w = await item.workload!();
    out.set(item.id, estimateWorkload(item.id, w, env, (n) => readStepTime(dir, env, n)));
  }
  return out;
}

/**
 * Measure (where no usable measurement is cached, or always with `force`) every network of `items`'
 * workloads on the running backend, save the measurements, and return each item's estimate. A network
 * that fails to measure (e.g. out of memory) is reported and left unmeasured; the others go on.
 */
export async function estimateItems(items: ReproItem[], o: EstimateOptions = {}): Promise<ItemEstimate[]> {
  const env = stepTimeEnvironment();
  const dir = stepTimeCacheDir(o.outRoot ?? "results");
  const log = o.log ?? true;
  const say = (s: string) => { if (log) console.log(s); };
  const failed = new Map<string, string>();
  const out: ItemEstimate[] = [];
  for (const item of items) {
    if (!item.workload) {
      say(`\n=== ${item.id}: no paper-scale workload declared (not a training item) ===`);
      continue;
    }
    const w = await item.workload();
    validateWorkload(w, item.id);
    for (const net of workloadNetworks(w)) {
      const l = readStepTime(dir, env, net);
      if (l.kind === "hit" && !o.force) continue;
      if (failed.has(net.key)) continue;
      if (l.kind === "stale" || l.kind === "corrupt") say(`${item.id}: re-measuring ${net.key} — ${l.reason}`);
      say(`${item.id}: measuring ${net.key} on ${describeEnvironment(env)} …`);
      try {
        let m: StepTimeMeasurement;
        if (o.isolate) {
          await measureWithFallback(net, o.batch ?? 2, say, (n, b) => measureInChild(o.isolate!, item.id, n, b, o.outRoot ?? "results"));
          const l2 = readStepTime(dir, env, net);
          if (l2.kind !== "hit") throw new Error(`the measuring process wrote no usable record (${l2.kind === "missing" ? "missing" : l2.reason})`);
          m = l2.record;
        } else {
          m = await measureWithFallback(net, o.batch ?? 2, say);
          await writeStepTime(dir, env, net, m);
        }
        say(`  train step ${formatDuration(m.trainStepS)}, forward ${formatDuration(m.forwardStepS)} at batch ${m.batch}, T ${m.T}`);
      } catch (e) {
        const msg = (e as Error).message.split("\n")[0]!.slice(0, 200);
        failed.set(net.key, msg);
        say(`  measurement failed: ${msg}`);
      }
    }
    const e = estimateWorkload(item.id, w, env, (n) => failed.has(n.key) ? { kind: "corrupt", reason: `measurement failed: ${failed.get(n.key)}` } : readStepTime(dir, env, n));
    out.push(e);
    say(`\n=== ${item.id} at paper scale: ${estimateLine(e)} ===\n${estimateTable(e)}${e.notes.length ? "\n" + e.notes.map((n) => `- ${n}`).join("\n") : ""}`);
  }
  if (out.length > 1) {
    say(`\n=== paper-scale estimates on ${describeEnvironment(env)} (${env.device}; steps measured at a small batch and scaled linearly) ===`);
    say(markdownTable(out.map((e) => ({ id: e.id, estimate: estimateLine(e) }))));
  }
  return out;
}
