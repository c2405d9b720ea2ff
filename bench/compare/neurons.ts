/**
 * Forward + backward time of spikelab's fused LIF and PSN vs SpikingJelly's multi-step LIFNode (torch
 * backend) and PSN, on the same CPU, same shapes and loss (see sj_neurons.py for the protocol).
 *
 *   SJ_PATH=/path/to/spikingjelly npx tsx bench/compare/neurons.ts [--cells "16,65536 4,4096"] [--rounds 3] [--sync one|full]
 *
 * Rounds: each round times every cell on both sides, one cell at a time (spikelab, then SpikingJelly
 * in a fresh python process), so a change in machine load hits both sides of a cell alike; the table
 * shows per-side medians over rounds and the median of the per-round ratios.
 *
 * Sync: wasm (and cpu) kernels run synchronously, so reading anything back fences the computation.
 * `one` (default) reads one element of each gradient, like SpikingJelly whose gradients stay in
 * torch memory; `full` copies every gradient to a JS array (`dataSync`, 4 MB at T·N = 2^20, 64 MB at
 * 2^24), which is what this harness did before and is not part of a training step.
 *
 * Writes reports/compare/neurons.json and prints the ratios (SpikingJelly time / spikelab time).
 */
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { currentBackend, initBackend } from "../../src/lib/backend/index.js";
import { tf } from "../../src/lib/backend/tf.js";
import { lifMultiStep } from "../../src/lib/neurons/lif.js";
import { psnForward } from "../../src/lib/neurons/psn.js";
import { atan } from "../../src/lib/surrogate.js";
import { writeFileAtomic } from "../../src/lib/util/fs.js";
import { median } from "../../src/lib/util/timing.js";

export const DEFAULT_CELLS = "4,4096 16,4096 64,4096 4,65536 16,65536 64,65536 16,1048576";

export type SyncMode = "one" | "full";

function fence(t: tf.Tensor, sync: SyncMode): void {
  if (sync === "full") {
    t.dataSync();
    return;
  }
  // One element straight from the backend (wasm copies only [start, end); cpu returns its array):
  // no tensor is made, and wasm's Slice kernel (which copies its whole input first) is not involved.
  (tf.backend() as unknown as { readSync(dataId: object, start?: number, end?: number): unknown }).readSync(t.dataId, 0, 1);
}

function timed(f: () => tf.Tensor[], sync: SyncMode, repeats = 10, warmup = 3): number {
  const once = () => {
    const t0 = performance.now();
    const out = f();
    out.forEach((t) => { fence(t, sync); t.dispose(); });
    return performance.now() - t0;
  };
  for (let i = 0; i < warmup; i++) once();
  return median(Array.from({ length: repeats }, once));
}

export interface NeuronComparison {
  T: number;
  N: number;
  oursLifMs: number;
  sjLifMs: number;
  lifRatio: number;
  oursPsnMs: number;
  sjPsnMs: number;
  psnRatio: number;
}

/** spikelab's forward + backward medians (ms) on one cell. */
export function timeOurs(T: number, N: number, sync: SyncMode = "one"): { lif: number; psn: number } {
  const sg = atan(2);
  const x = tf.tidy(() => tf.add(tf.randomNormal([T, N], 0, 1, "float32", 1), 0.5));
  const g = tf.randomNormal([T, N], 0, 1, "float32", 2);
  const w = tf.randomUniform([T, T], -1 / Math.sqrt(T), 1 / Math.sqrt(T), "float32", 3) as tf.Tensor2D;
  const b = tf.fill([T, 1], -1) as tf.Tensor2D;
  const lif = timed(() => [tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lifMultiStep(xx, 0, { tau: 2, vReset: 0, surrogate: sg }).spikes, g)))(x)], sync);
  const psn = timed(() => tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(psnForward(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, sg), g)))([x, w, b]), sync);
  tf.dispose([x, g, w, b]);
  return { lif, psn };
}

/** SpikingJelly's medians (ms) on the given cells, in a fresh python process. */
export function timeSpikingJelly(sjPath: string, cells: string): { T: number; N: number; lifMs: number; psnMs: number }[] {
  return JSON.parse(execFileSync("/usr/bin/python3", [fileURLToPath(new URL("./sj_neurons.py", import.meta.url)), sjPath, cells], { encoding: "utf8" }));
}

export interface CompareOptions {
  cells?: string;
  rounds?: number;
  sync?: SyncMode;
  /** Called after each round with that round's rows. */
  onRound?: (round: number, rows: NeuronComparison[]) => void;
}

export async function compareNeurons(sjPath: string, opts: CompareOptions | string = {}): Promise<NeuronComparison[]> {
  const o = typeof opts === "string" ? { cells: opts } : opts;
  const cells = (o.cells ?? DEFAULT_CELLS).split(/\s+/).filter(Boolean);
  const rounds = o.rounds ?? 3, sync = o.sync ?? "one";
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`compareNeurons: rounds must be an integer >= 1, got ${rounds}`);
  const perCell: NeuronComparison[][] = cells.map(() => []);
  for (let r = 0; r < rounds; r++) {
    const rows = cells.map((c, i) => {
      const [T, N] = c.split(",").map(Number) as [number, number];
      const ours = timeOurs(T, N, sync);
      const sj = timeSpikingJelly(sjPath, c)[0]!;
      const row = {
        T, N, oursLifMs: ours.lif, sjLifMs: sj.lifMs, lifRatio: sj.lifMs / ours.lif,
        oursPsnMs: ours.psn, sjPsnMs: sj.psnMs, psnRatio: sj.psnMs / ours.psn,
      };
      perCell[i]!.push(row);
      return row;
    });
    o.onRound?.(r, rows);
  }
  return perCell.map((rs) => ({
    T: rs[0]!.T, N: rs[0]!.N,
    oursLifMs: median(rs.map((q) => q.oursLifMs)), sjLifMs: median(rs.map((q) => q.sjLifMs)), lifRatio: median(rs.map((q) => q.lifRatio)),
    oursPsnMs: median(rs.map((q) => q.oursPsnMs)), sjPsnMs: median(rs.map((q) => q.sjPsnMs)), psnRatio: median(rs.map((q) => q.psnRatio)),
  }));
}

function table(rows: NeuronComparison[]): Record<string, number | string>[] {
  return rows.map((r) => ({
    T: r.T, N: `2^${Math.log2(r.N)}`, "LIF ours ms": +r.oursLifMs.toFixed(2), "LIF SJ ms": +r.sjLifMs.toFixed(2), "LIF ratio": +r.lifRatio.toFixed(2),
    "PSN ours ms": +r.oursPsnMs.toFixed(2), "PSN SJ ms": +r.sjPsnMs.toFixed(2), "PSN ratio": +r.psnRatio.toFixed(2),
  }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sjPath = process.env.SJ_PATH;
  if (!sjPath) {
    console.error("set SJ_PATH to a SpikingJelly source checkout (see bench/compare/README.md)");
    process.exit(2);
  }
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
  const sync = (arg("--sync") ?? "one") as SyncMode;
  if (sync !== "one" && sync !== "full") throw new Error(`bench/compare/neurons.ts: --sync must be one or full, got ${sync}`);
  await initBackend();
  const rows = await compareNeurons(sjPath, {
    cells: arg("--cells") ?? DEFAULT_CELLS, rounds: Number(arg("--rounds") ?? 3), sync,
    onRound: (r, rs) => { console.log(`round ${r + 1}`); console.table(table(rs)); },
  });
  console.log(`backend ${currentBackend()?.rung}, sync ${sync}; medians over rounds; ratio = median of per-round SpikingJelly time / spikelab time (> 1: spikelab faster)`);
  console.table(table(rows));
  await writeFileAtomic("reports/compare/neurons.json", JSON.stringify(rows, null, 1));
}
