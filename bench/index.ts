/**
 * `npm run bench`: every benchmark of the project, each reported as ratios measured in one run.
 *
 *   npm run bench                       # conv training step (wasm vs cpu), neurons (quick grid), data (20 MB files)
 *   npm run bench -- --only neurons     # one benchmark
 *   npm run bench -- --full             # full grids (minutes to tens of minutes)
 *   npm run bench -- --only shd [--batches 3] [--spikes 3000]   # SHD paper-scale epoch time (opt-in; tens of minutes)
 *   npm run bench -- --only estimates [--force]   # paper-scale wall time of every training item on this backend (opt-in)
 *   npm run bench -- --only train [--workers 1,2] [--rounds 3] [--nets vggmpe,...]   # training step of 4 nets, vs
 *                                       # SpikingJelly/torch when SJ_PATH is set (opt-in; minutes)
 *   npm run bench -- --only backends [--width 0.125] [--nets vggmpe]   # training step webgpu vs wasm (opt-in)
 *   npm run bench -- --only kernels [--rounds 5]   # conv forward vs backprop throughput per layer shape (opt-in)
 *   npm run bench -- --only parallel [--workers 1,2] [--rounds 4] [--batch 8]   # VGGMPE step, 1 vs n workers (opt-in)
 *
 * Results go to `reports/bench/` (git-ignored). Timings are never asserted in tests.
 */
import { initBackend } from "../src/lib/backend/index.js";

const args = process.argv.slice(2);
const full = args.includes("--full");
const onlyIdx = args.indexOf("--only");
const only = onlyIdx >= 0 ? (args[onlyIdx + 1] ?? "").split(",") : null;

/** `optIn` benchmarks run only when named with `--only`. */
type Bench = { name: string; run: () => Promise<unknown>; optIn?: boolean };
const valueOf = (flag: string, dflt: number) => { const i = args.indexOf(flag); return i >= 0 ? Number(args[i + 1]) : dflt; };
const benches: Bench[] = [
  { name: "conv", run: async () => (await import("./conv-train-step.js")).benchConvTrainStep() },
  {
    name: "neurons",
    run: async () => {
      const m = await import("./neurons.js");
      return m.benchNeurons(full ? {} : { ...m.QUICK_GRID });
    },
  },
  { name: "data", run: async () => (await import("./data.js")).benchData({ mb: full ? 100 : 20 }) },
  {
    name: "shd", optIn: true,
    run: async () => (await import("./shd-epoch.js")).benchShdEpoch({ batches: valueOf("--batches", 3), spikes: valueOf("--spikes", 3000), arms: ["ours", "lif-delay"] }),
  },
  { name: "estimates", optIn: true, run: async () => (await import("./estimates.js")).benchEstimates({ ...(args.includes("--force") ? { force: true } : {}) }) },
  {
    name: "train", optIn: true,
    run: async () => {
      const m = await import("./train-step.js");
      const nets = args.indexOf("--nets") >= 0 ? args[args.indexOf("--nets") + 1]!.split(",") : undefined;
      return m.benchTrainStep({ workers: m.parseWorkers(args.indexOf("--workers") >= 0 ? args[args.indexOf("--workers") + 1] : undefined), rounds: valueOf("--rounds", 3), nets });
    },
  },
  {
    name: "backends", optIn: true,
    run: async () => (await import("./backends.js")).benchBackends({
      rounds: valueOf("--rounds", 3), width: valueOf("--width", 1),
      nets: args.indexOf("--nets") >= 0 ? args[args.indexOf("--nets") + 1]!.split(",") : undefined,
    }),
  },
  { name: "kernels", optIn: true, run: async () => (await import("./conv-kernels.js")).benchConvKernels({ rounds: valueOf("--rounds", 5) }) },
  {
    name: "parallel", optIn: true,
    run: async () => {
      const i = args.indexOf("--workers");
      const workers = i >= 0 ? args[i + 1]!.split(",").map(Number) : undefined;
      return (await import("./parallel-step.js")).benchParallelStep({ workers, rounds: valueOf("--rounds", 4), batch: valueOf("--batch", 8), T: valueOf("--T", 4), width: valueOf("--width", 1) });
    },
  },
];

const unknown = only?.filter((n) => !benches.some((b) => b.name === n)) ?? [];
if (unknown.length) {
  console.error(`bench: unknown benchmark(s) ${unknown.join(", ")}; expected one of ${benches.map((b) => b.name).join(", ")}`);
  process.exit(2);
}
await initBackend();
for (const b of benches) {
  if ((only && !only.includes(b.name)) || (b.optIn && !only)) continue;
  console.log(`\n=== bench: ${b.name}${full ? " (full)" : ""} ===`);
  await b.run();
}
