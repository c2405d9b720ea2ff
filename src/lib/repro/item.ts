/**
 * The figure-module contract. Each `src/figures/<paper>/<item>.ts` exports
 *
 *   export async function run(ctx: RunContext): Promise<ItemResult>
 *
 * returning its data, the values it reproduced (keyed by claim id from `claims.ts`), vega-lite (or
 * vega) figures and notes. `reproduce.ts` and the notebooks both call `run()`; the runner turns the
 * reproduced values into comparisons and writes the report.
 */
import { join } from "node:path";
import type { WorkersOption } from "../train/parallel/workers.js";
import { ProgressBar } from "../util/progress.js";
import type { LogLookup, Scale } from "./verdict.js";
import type { PaperWorkload } from "./workload.js";

export interface RunContext {
  scale: Scale;
  seed: number;
  /** Folder of this run's outputs (`<root>/<paper>/<item>/<scale>/`). */
  outDir: string;
  /**
   * A folder shared by every item run under the same results root, `<root>/_<name>`: synthetic data sets,
   * frame and image caches, trained runs that several tables reuse. Writers create what they put there
   * atomically (several notebooks may run side by side).
   */
  sharedDir(name: string): string;
  progress(label: string, total: number): ProgressBar;
  /**
   * Gradient worker threads for training (`TrainConfig.workers`: a count or "auto"); items that can build their
   * model in a worker pass it with a `workerSetup`. Changes the speed, never the results.
   */
  workers: WorkersOption;
}

/** The context the runner hands an item: outputs in `<outRoot>/<paper>/<item>/<scale>/`. */
export function runContext(o: { outRoot: string; paper: string; item: string; scale: Scale; seed: number; quietProgress?: boolean; workers?: WorkersOption }): RunContext {
  return {
    scale: o.scale,
    seed: o.seed,
    workers: o.workers ?? "auto",
    outDir: join(o.outRoot, o.paper, o.item, o.scale),
    sharedDir: (name) => join(o.outRoot, `_${name}`),
    progress: (label, total) => new ProgressBar(label, total, o.quietProgress ? { quiet: true } : {}),
  };
}

export interface Reproduced {
  claimId: string;
  value: number | null;
  note?: string;
  /** Set by audit items: the claim is judged against the authors' log (IN-LOG / MISMATCH), not as a re-run. */
  log?: LogLookup;
}

export interface ItemResult {
  title: string;
  data: unknown;
  reproduced: Reproduced[];
  figures: { name: string; spec: Record<string, unknown> }[];
  notes: string[];
}

export type FigureRun = (ctx: RunContext) => Promise<ItemResult>;

export interface ItemNeeds {
  /** Estimated CPU minutes per scale on a 2-core machine with wasm. */
  cpuMinutes: Partial<Record<Scale, number>>;
  dataset?: string;
  gpu?: boolean;
}

export interface ReproItem {
  id: `${string}:${string}`;
  paper: string;
  item: string;
  title: string;
  needs: ItemNeeds;
  scales: Scale[];
  status: "ready" | "not-built";
  /** Scale used when none is given (default: the smallest supported). */
  defaultScale?: Scale;
  /** Why it is not built yet (status "not-built"). */
  reason?: string;
  load?: () => Promise<FigureRun>;
  /** Training items: what the item trains at `paper` scale (networks, steps, runs), for wall-time estimates. */
  workload?: () => Promise<PaperWorkload>;
}
