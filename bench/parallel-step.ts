/**
 * Step time of data-parallel training (`workers`, `src/lib/train/parallel/`) against one process: one optimiser
 * step (gradients + SGD update) of a network built from a `WorkerSetup`, for each worker count of a list,
 * interleaved round by round (arm order rotates each round), reporting the median per arm and the median
 * over rounds of its ratio to workers = 1. Workers are started once per arm before the rounds (start-up is not part of a step).
 *
 *   npm run bench -- --only parallel [--workers 1,2] [--rounds 4] [--batch 8] [--T 4] [--width 1]
 *
 * `timeParallelSteps` is the reusable part (the train-step table plugs its networks in).
 */
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { tf } from "../src/lib/backend/tf.js";
import { parametersOf, reseedModule } from "../src/lib/layers/module.js";
import { localGradients, type GradientEngine } from "../src/lib/train/batch-gradients.js";
import { SGD } from "../src/lib/train/optimizers.js";
import { parallelGradients } from "../src/lib/train/parallel/engine.js";
import type { WorkerSetup } from "../src/lib/train/parallel/protocol.js";
import { loadWorkerSetup } from "../src/lib/train/parallel/setup.js";
import { median } from "../src/lib/util/timing.js";

export interface ParallelStepOptions {
  setup: WorkerSetup;
  /** Input shape `[T, B, ...]` and number of classes of the random batch. */
  inputShape: number[];
  classes: number;
  workers: number[];
  rounds: number;
}

export interface ParallelStepResult {
  workers: number;
  medianMs: number;
  timesMs: number[];
  /** Median over rounds of this arm's step time / workers = 1's in the same round. */
  ratio: number;
  /** Process CPU time (all threads) / wall time over the arm's steps: ≈ workers when the threads really ran side by side. */
  cpuPerWall: number;
}

export async function timeParallelSteps(o: ParallelStepOptions): Promise<ParallelStepResult[]> {
  const B = o.inputShape[1]!;
  const x = tf.randomUniform(o.inputShape, 0, 1, "float32", 1);
  const labels = Int32Array.from({ length: B }, (_, i) => i % o.classes);
  const arms: { workers: number; engine: GradientEngine; step: () => Promise<void>; times: number[]; cpuMs: number }[] = [];
  for (const workers of o.workers) {
    const built = await loadWorkerSetup(o.setup);
    const params = parametersOf(built.model);
    const engine = workers === 1 ? localGradients(built) : parallelGradients({ ...built, workers, setup: o.setup });
    const opt = new SGD({ momentum: 0.9 });
    let step = 0;
    const run = async () => {
      const seed = 1000 + step;
      reseedModule(built.model, seed);
      const r = await engine.gradients({ x, labels, mix: null, ctx: { epoch: 0, step, model: built.model }, moduleSeed: seed });
      opt.apply(params, r.grads, 1e-3);
      tf.dispose(Object.values(r.grads));
      await params[0]!.variable.data(); // the update has run
      step++;
    };
    await run(); // warm-up: starts the workers, compiles kernels
    arms.push({ workers, engine, step: run, times: [], cpuMs: 0 });
  }
  try {
    for (let r = 0; r < o.rounds; r++) {
      for (let k = 0; k < arms.length; k++) {
        const arm = arms[(k + r) % arms.length]!;
        const t0 = performance.now(), c0 = process.cpuUsage();
        await arm.step();
        arm.times.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        arm.cpuMs += (c.user + c.system) / 1000;
      }
    }
  } finally {
    for (const a of arms) await a.engine.dispose();
    x.dispose();
  }
  // Ratio: the median over rounds of the per-round ratio (a noisy neighbour slows a whole round, not one arm).
  const base = (arms.find((a) => a.workers === 1) ?? arms[0]!).times;
  return arms.map((a) => ({ workers: a.workers, medianMs: median(a.times), timesMs: a.times, ratio: median(a.times.map((t, r) => t / base[r]!)),
    cpuPerWall: a.cpuMs / a.times.reduce((x, y) => x + y, 0) }));
}

export async function benchParallelStep(o: { workers?: number[]; rounds?: number; batch?: number; T?: number; width?: number } = {}): Promise<ParallelStepResult[]> {
  const T = o.T ?? 4, B = o.batch ?? 8;
  const args = { T, seed: 1, widthFactor: o.width ?? 1 };
  const res = await timeParallelSteps({
    setup: { module: join(import.meta.dirname, "setups.ts"), export: "vggMpeSetup", args },
    inputShape: [T, B, 2, 48, 48], classes: 10, workers: o.workers ?? [1, 2], rounds: o.rounds ?? 4,
  });
  console.log(`VGGMPE step (48², T ${T}, batch ${B}, LIF, width ×${args.widthFactor}), ${o.rounds ?? 4} interleaved rounds:`);
  for (const r of res) {
    console.log(`  workers ${r.workers}: median ${(r.medianMs / 1000).toFixed(3)} s  (${r.timesMs.map((t) => (t / 1000).toFixed(3)).join(", ")})  ` +
      `ratio ${r.ratio.toFixed(3)}  CPU/wall ${r.cpuPerWall.toFixed(2)}  CPU ${(r.cpuPerWall * r.medianMs / 1000).toFixed(2)} s/step`);
  }
  console.log(`  (load average ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} CPUs: other processes share them)`);
  return res;
}
