/**
 * Benchmark: forward + backward time of the sequential neurons, fused kernel vs op-by-op reference.
 *
 * Grid: T ∈ {2, 4, 8, 16, 32, 64} × N ∈ {2^8, 2^10, …, 2^20} (x `[T, N]`), neurons IF, LIF, legacy LIF,
 * IF + IMP (gradient also to the initial potential, papers.md §3.7 Fig. 6 setting), ParametricLIF
 * (reference path only), PSN (gradients to x, W and b; "fused" is the wasm SIMD kernel where the
 * backend has it, "reference" the matMul/add/spike op path `psnForwardOps`), and, reference path only:
 * MaskedPSN (k = 4, λ = 0.5), SlidingPSN (k = 4, gemm), MPE-PSN (variant A, seeded Bernoulli draws
 * inside the timed step, gradients to x, θ and κ through the spikes and L_mem) and the mul-free PSN
 * (k = 4, quantised weights with STE, shift strategy, input `[T, N/64, 64]`). Each cell: `warmup` untimed runs, then the median of `repeats` timed runs of
 * `grad(sum(w·S))` (one forward, one backward), on the current backend. Cells with T·N above
 * `maxElements` are skipped (memory: a fused run holds ~8 [T, N] float32 tensors).
 *
 * Output: a table on stdout, the rows (returned and written to `<outDir>/neurons.json`), and a
 * vega-lite chart (`<outDir>/neurons.vl.json`, rendered through `src/lib/plot/render.ts`
 * `saveFigure` when that module exists).
 *
 *   npx tsx bench/neurons.ts [--quick] [--out DIR] [--max-elements N]
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { currentBackend, initBackend } from "../src/lib/backend/index.js";
import { tf } from "../src/lib/backend/tf.js";
import { ifMultiStep, legacyLifMultiStep, lifMultiStep, plifInitW, plifMultiStep } from "../src/lib/neurons/index.js";
import { mpeDraws, mpeEstimate, mpePsnForward } from "../src/lib/neurons/mpe-psn.js";
import { mulFreePsnForward } from "../src/lib/neurons/mulfree-psn.js";
import { maskedWeight, psnForward, psnForwardOps, slidingPsnForward } from "../src/lib/neurons/psn.js";
import { atan } from "../src/lib/surrogate.js";
import { writeFileAtomic } from "../src/lib/util/fs.js";
import { median } from "../src/lib/util/timing.js";

export type BenchNeuron = "IF" | "LIF" | "LegacyLIF" | "IF+IMP" | "PLIF" | "PSN" | "MaskedPSN" | "SlidingPSN" | "MPE-PSN" | "MulFreePSN";

/** Every neuron family of the library, in table order. */
export const ALL_BENCH_NEURONS: BenchNeuron[] = ["IF", "LIF", "LegacyLIF", "IF+IMP", "PLIF", "PSN", "MaskedPSN", "SlidingPSN", "MPE-PSN", "MulFreePSN"];

/** Families without a fused kernel: only their op-by-op path is timed. */
const REFERENCE_ONLY = new Set<BenchNeuron>(["PLIF", "MaskedPSN", "SlidingPSN", "MPE-PSN", "MulFreePSN"]);

/** Order of the sliding / mul-free neurons in the grid: k = 4 (or T when T < 4), the papers' small-k setting. */
const benchOrder = (T: number) => Math.min(T, 4);
/** Channels of the mul-free neuron's `[T, N/C, C]` input (per-channel weights `[C, k]`). */
const MULFREE_CHANNELS = 64;
export type BenchMode = "fused" | "reference";

export interface BenchNeuronsOptions {
  Ts?: number[];
  Ns?: number[];
  neurons?: BenchNeuron[];
  modes?: BenchMode[];
  warmup?: number;
  repeats?: number;
  /** Skip cells with T·N above this (default 2^24). */
  maxElements?: number;
  /** Where to write `neurons.json` and the chart (default `reports/bench`, git-ignored); null = write nothing. */
  outDir?: string | null;
  /** Print the table (default true). */
  log?: boolean;
  /** Seed of the inputs (default 0). */
  seed?: number;
}

export interface BenchNeuronRow {
  neuron: BenchNeuron;
  mode: BenchMode;
  T: number;
  N: number;
  /** Median forward+backward time, ms. */
  ms: number;
  minMs: number;
  repeats: number;
  backend: string;
}

export const FULL_GRID = {
  Ts: [2, 4, 8, 16, 32, 64],
  Ns: [2 ** 8, 2 ** 10, 2 ** 12, 2 ** 14, 2 ** 16, 2 ** 18, 2 ** 20],
};
export const QUICK_GRID = { Ts: [2, 8, 32], Ns: [2 ** 8, 2 ** 12, 2 ** 16] };

/** One forward + backward; returns a tensor to sync on. */
function step(neuron: BenchNeuron, fused: boolean, x: tf.Tensor, w: tf.Tensor, v0: tf.Tensor, pw: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const surrogate = atan();
    const loss = (s: tf.Tensor) => tf.sum(tf.mul(s, w));
    switch (neuron) {
      case "IF":
        return tf.grad((xx: tf.Tensor) => loss(ifMultiStep(xx, 0, { fused, surrogate }).spikes))(x);
      case "LIF":
        return tf.grad((xx: tf.Tensor) => loss(lifMultiStep(xx, 0, { fused, surrogate }).spikes))(x);
      case "LegacyLIF":
        return tf.grad((xx: tf.Tensor) => loss(legacyLifMultiStep(xx, 0, { fused }).spikes))(x);
      case "IF+IMP": {
        const [gx, gv] = tf.grads((xx: tf.Tensor, vv: tf.Tensor) => loss(ifMultiStep(xx, vv, { fused, surrogate }).spikes))([x, v0]);
        return tf.add(tf.sum(gx!), tf.sum(gv!));
      }
      case "PLIF": {
        const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => loss(plifMultiStep(xx, 0, ww, { surrogate }).spikes))([x, pw]);
        return tf.add(tf.sum(gx!), gw!);
      }
      case "PSN": {
        const T = x.shape[0]!;
        const wT = tf.randomUniform([T, T], -1 / Math.sqrt(T), 1 / Math.sqrt(T), "float32", 7) as tf.Tensor2D;
        const b = tf.fill([T, 1], -1) as tf.Tensor2D;
        const f = fused ? psnForward : psnForwardOps;
        const [gx, gw, gb] = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => loss(f(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, surrogate)))([x, wT, b]);
        return tf.addN([tf.sum(gx!), tf.sum(gw!), tf.sum(gb!)]);
      }
      case "MaskedPSN": {
        const T = x.shape[0]!;
        const wT = tf.randomUniform([T, T], -1 / Math.sqrt(T), 1 / Math.sqrt(T), "float32", 7) as tf.Tensor2D;
        const b = tf.fill([T, 1], -1) as tf.Tensor2D;
        const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => loss(psnForwardOps(xx, maskedWeight(ww as tf.Tensor2D, benchOrder(T), 0.5), b, surrogate)))([x, wT]);
        return tf.add(tf.sum(gx!), tf.sum(gw!));
      }
      case "SlidingPSN": {
        const k = benchOrder(x.shape[0]!);
        const wk = tf.randomUniform([k], -1 / Math.sqrt(k), 1 / Math.sqrt(k), "float32", 7) as tf.Tensor1D;
        const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => loss(slidingPsnForward(xx, ww as tf.Tensor1D, tf.scalar(-1), surrogate, "gemm")))([x, wk]);
        return tf.add(tf.sum(gx!), tf.sum(gw!));
      }
      case "MPE-PSN": {
        const T = x.shape[0]!;
        const draws = mpeDraws(x, 11);
        const theta = tf.scalar(1), kappa = tf.fill([T], 0.5);
        const [gx, gt, gk] = tf.grads((xx: tf.Tensor, th: tf.Tensor, ka: tf.Tensor) => {
          const r = mpePsnForward(xx, mpeEstimate(xx, draws), th, ka, { surrogate });
          return tf.add(loss(r.spikes), r.memLoss);
        })([x, theta, kappa]);
        return tf.addN([tf.sum(gx!), gt!, tf.sum(gk!)]);
      }
      case "MulFreePSN": {
        const [T, N] = x.shape as [number, number];
        const C = Math.min(MULFREE_CHANNELS, N);
        const x3 = tf.reshape(x, [T, N / C, C]);
        const wc = tf.randomUniform([C, benchOrder(T)], -0.5, 0.5, "float32", 7);
        const th = tf.ones([C]);
        const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
          loss(tf.reshape(mulFreePsnForward(xx, ww, th, { surrogate, strategy: "shift" }).spikes, [T, N])))([x3, wc]);
        return tf.add(tf.sum(gx!), tf.sum(gw!));
      }
    }
  });
}

function sync(t: tf.Tensor): void {
  // wasm and cpu run eagerly; reading one number also fences async backends.
  const s = tf.sum(t);
  s.dataSync();
  s.dispose();
}

/** The vega-lite spec of the results: time vs N, one line per (T, mode), one panel per neuron. */
export function benchNeuronsSpec(rows: BenchNeuronRow[]): Record<string, unknown> {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title: `Sequential neurons, forward + backward (median ms, backend ${rows[0]?.backend ?? "?"})`,
    data: { values: rows },
    facet: { column: { field: "neuron", type: "nominal", title: null } },
    spec: {
      width: 220,
      height: 200,
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "N", type: "quantitative", scale: { type: "log", base: 2 }, title: "N (neurons)" },
        y: { field: "ms", type: "quantitative", scale: { type: "log" }, title: "ms (fwd + bwd)" },
        color: { field: "T", type: "ordinal", scale: { scheme: "viridis" } },
        strokeDash: { field: "mode", type: "nominal" },
        tooltip: [{ field: "neuron" }, { field: "mode" }, { field: "T" }, { field: "N" }, { field: "ms", format: ".3f" }],
      },
    },
  };
}

/** Run the grid; prints a table, returns the rows, writes JSON + chart unless `outDir` is null. */
export async function benchNeurons(opts: BenchNeuronsOptions = {}): Promise<BenchNeuronRow[]> {
  await initBackend({ log: opts.log ?? true });
  const Ts = opts.Ts ?? FULL_GRID.Ts;
  const Ns = opts.Ns ?? FULL_GRID.Ns;
  const neurons = opts.neurons ?? ALL_BENCH_NEURONS;
  const modes = opts.modes ?? ["fused", "reference"];
  const warmup = opts.warmup ?? 1;
  const repeats = opts.repeats ?? 5;
  const maxElements = opts.maxElements ?? 2 ** 24;
  const log = opts.log ?? true;
  const seed = opts.seed ?? 0;
  for (const [name, v] of [["warmup", warmup], ["repeats", repeats]] as const) {
    if (!Number.isInteger(v) || v < (name === "repeats" ? 1 : 0)) throw new Error(`benchNeurons: ${name} must be an integer >= ${name === "repeats" ? 1 : 0}, got ${v}`);
  }
  for (const T of Ts) if (!Number.isInteger(T) || T < 1) throw new Error(`benchNeurons: every T must be an integer >= 1, got ${T}`);
  for (const N of Ns) if (!Number.isInteger(N) || N < 1) throw new Error(`benchNeurons: every N must be an integer >= 1, got ${N}`);
  const backend = currentBackend()?.tfBackend ?? tf.getBackend();
  const rows: BenchNeuronRow[] = [];
  for (const T of Ts) {
    for (const N of Ns) {
      if (T * N > maxElements) continue;
      const x = tf.randomNormal([T, N], 0.6, 0.8, "float32", seed);
      const w = tf.randomUniform([T, N], -1, 1, "float32", seed + 1);
      const v0 = tf.randomUniform([N], -0.2, 0.2, "float32", seed + 2);
      const pw = tf.scalar(plifInitW(2));
      for (const neuron of neurons) {
        for (const mode of modes) {
          if (REFERENCE_ONLY.has(neuron) && mode === "fused") continue; // no fused kernel for these
          const fused = mode === "fused";
          for (let i = 0; i < warmup; i++) { const g = step(neuron, fused, x, w, v0, pw); sync(g); g.dispose(); }
          const times: number[] = [];
          for (let i = 0; i < repeats; i++) {
            const t0 = performance.now();
            const g = step(neuron, fused, x, w, v0, pw);
            sync(g);
            times.push(performance.now() - t0);
            g.dispose();
          }
          rows.push({ neuron, mode, T, N, ms: median(times), minMs: Math.min(...times), repeats, backend });
        }
      }
      tf.dispose([x, w, v0, pw]);
    }
  }
  if (log) console.log(formatTable(rows));
  if (opts.outDir !== null) {
    const dir = opts.outDir ?? join("reports", "bench");
    const spec = benchNeuronsSpec(rows);
    await writeFileAtomic(join(dir, "neurons.json"), JSON.stringify(rows, null, 2));
    await writeFileAtomic(join(dir, "neurons.vl.json"), JSON.stringify(spec, null, 2));
    await renderIfAvailable(spec, dir, log);
  }
  return rows;
}

/** Render through `src/lib/plot/render.ts` `saveFigure(spec, dir, base)` if another helper has written it. */
async function renderIfAvailable(spec: Record<string, unknown>, dir: string, log: boolean): Promise<void> {
  const path = "../src/lib/plot/render.js";
  type RenderModule = { saveFigure?: (spec: unknown, dir: string, base: string) => Promise<unknown> };
  let mod: RenderModule;
  try {
    mod = (await import(path)) as RenderModule;
  } catch {
    if (log) console.log(`[bench] src/lib/plot/render.ts not available; wrote ${join(dir, "neurons.vl.json")} only`);
    return;
  }
  if (typeof mod.saveFigure === "function") {
    await mod.saveFigure(spec, dir, "neurons");
    if (log) console.log(`[bench] chart saved to ${dir}/neurons.*`);
  }
}

/** Table: one line per (neuron, T, N) with fused and reference medians and the speed-up. */
export function formatTable(rows: BenchNeuronRow[]): string {
  const key = (r: BenchNeuronRow) => `${r.neuron}|${r.T}|${r.N}`;
  const cells = new Map<string, { neuron: string; T: number; N: number; fused?: number; reference?: number }>();
  for (const r of rows) {
    const c = cells.get(key(r)) ?? { neuron: r.neuron, T: r.T, N: r.N };
    c[r.mode] = r.ms;
    cells.set(key(r), c);
  }
  const fmt = (v?: number) => (v === undefined ? "—" : v < 10 ? v.toFixed(3) : v.toFixed(1));
  const lines = ["| neuron | T | N | fused ms | reference ms | speed-up |", "|---|---:|---:|---:|---:|---:|"];
  for (const c of cells.values()) {
    const sp = c.fused !== undefined && c.reference !== undefined ? `${(c.reference / c.fused).toFixed(1)}×` : "—";
    lines.push(`| ${c.neuron} | ${c.T} | 2^${Math.log2(c.N).toFixed(0)} | ${fmt(c.fused)} | ${fmt(c.reference)} | ${sp} |`);
  }
  return lines.join("\n");
}

function parseArgs(argv: string[]): BenchNeuronsOptions {
  const o: BenchNeuronsOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--quick") Object.assign(o, QUICK_GRID, { repeats: 3 });
    else if (a === "--out") o.outDir = argv[++i] ?? join("reports", "bench");
    else if (a === "--max-elements") o.maxElements = Number(argv[++i]);
    else throw new Error(`bench/neurons.ts: unknown argument '${a}'; expected --quick, --out DIR, --max-elements N`);
  }
  return o;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await benchNeurons(parseArgs(process.argv.slice(2)));
}
