import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { tf } from "../../../src/lib/backend/tf.js";
import { buffersOf, parametersOf, reseedModule, type Module } from "../../../src/lib/layers/module.js";
import { localGradients, type GradientEngine } from "../../../src/lib/train/batch-gradients.js";
import type { BatchSource } from "../../../src/lib/train/batch-source.js";
import { evaluate } from "../../../src/lib/train/evaluate.js";
import { mixBatch } from "../../../src/lib/train/mixing.js";
import { SGD } from "../../../src/lib/train/optimizers.js";
import { parallelGradients } from "../../../src/lib/train/parallel/engine.js";
import type { WorkerSetup } from "../../../src/lib/train/parallel/protocol.js";
import { constantLr } from "../../../src/lib/train/schedules.js";
import { train, type EpochRecord } from "../../../src/lib/train/trainer.js";
import { Rng } from "../../../src/lib/util/random.js";
import { bnNetSetup, QuadrantSource, type BnNetArgs } from "./fixtures/bn-net.js";

const ARGS: BnNetArgs = { seed: 3, T: 2 };
const setupOf = (args: BnNetArgs = ARGS, exportName = "bnNetSetup"): WorkerSetup => ({ module: join(__dirname, "fixtures", "bn-net.ts"), export: exportName, args });
const values = (m: Module) => [...parametersOf(m), ...buffersOf(m)].map((p) => Float32Array.from(p.variable.dataSync()));
const flat = (xs: Float32Array[]) => Float32Array.from(xs.flatMap((x) => Array.from(x)));
/** ‖a − b‖ / ‖ref‖. */
const relDiff = (a: Float32Array, b: Float32Array, ref: Float32Array) => {
  let num = 0, den = 0;
  a.forEach((v, i) => { num += (v - b[i]!) ** 2; den += ref[i]! ** 2; });
  return Math.sqrt(num / den);
};

/**
 * 2 epochs × 4 steps of SGD with momentum, mixup; returns the final parameters and buffers and the history.
 * The per-step invariant is the one-step test above (gradients to 1e-5). Over several steps a spike threshold or a
 * Bernoulli comparison whose input sits within rounding of it can flip between worker counts (≈ 1e-3 jump; seen once
 * in 7 seed × micro-batch settings tried, run seed 7 with 2 micro-batches and 2 workers, step 4); run seed 8 has none,
 * and runs are bit-identical per worker count, so this is a fixed case, not a flaky one.
 */
async function trainRun(workers: number, microBatches = 1): Promise<{ w: Float32Array; init: Float32Array; history: EpochRecord[] }> {
  const { model, loss } = bnNetSetup(ARGS);
  const init = flat(values(model));
  const r = await train({
    model, loss, optimizer: new SGD({ momentum: 0.9 }), schedule: constantLr(0.2), epochs: 2, seed: 8,
    train: new QuadrantSource(4, 6, 2, 1), test: new QuadrantSource(2, 5, 2, 2), progress: false, workers, workerSetup: setupOf(), microBatches,
    mix: { mixupAlpha: 0.5 },
  });
  return { w: flat(values(model)), init, history: r.history };
}

describe("parallelGradients — one step", () => {
  it("2 and 3 workers give the local engine's gradients, loss, correct count and BN running statistics", async () => {
    const batch = new QuadrantSource(1, 7, 2, 9).batch(0, 0); // 7 samples: parts of 4 + 3 and 3 + 2 + 2
    const mix = mixBatch(batch.x, batch.labels, new Rng(5), { mixupAlpha: 0.5 });
    const step = (m: Module, engine: GradientEngine) => {
      reseedModule(m, 1234);
      return engine.gradients({ x: mix.x, labels: batch.labels, mix, ctx: { epoch: 0, step: 0, model: m }, moduleSeed: 1234 });
    };
    const ref = bnNetSetup(ARGS);
    const local = await step(ref.model, localGradients({ model: ref.model, loss: ref.loss }));
    const names = Object.keys(local.grads);
    expect(names.length).toBeGreaterThan(10);
    for (const workers of [2, 3]) {
      const net = bnNetSetup(ARGS);
      const engine = parallelGradients({ model: net.model, loss: net.loss, workers, setup: setupOf() });
      try {
        const par = await step(net.model, engine);
        expect(Object.keys(par.grads).sort()).toEqual(Object.keys(local.grads).sort());
        // ‖Δg‖ ≤ 1e-5·‖g‖ + 1e-6: conv biases before a BN have a gradient of exactly 0 in exact arithmetic, so theirs
        // is rounding noise (~1e-8) and only the absolute term applies to them.
        for (const name of names) {
          const g = par.grads[name]!.dataSync() as Float32Array, want = local.grads[name]!.dataSync() as Float32Array;
          const norm = Math.sqrt(want.reduce((a, v) => a + v * v, 0));
          expect(relDiff(g, want, want) * norm, `${name} with ${workers} workers`).toBeLessThan(1e-5 * norm + 1e-6);
        }
        expect(Math.abs(par.loss - local.loss)).toBeLessThan(1e-5);
        expect(par.correct).toBe(local.correct);
        buffersOf(net.model).forEach((b, i) => {
          const want = buffersOf(ref.model)[i]!.variable.dataSync() as Float32Array;
          expect(relDiff(b.variable.dataSync() as Float32Array, want, want), b.name).toBeLessThan(1e-6);
        });
        tf.dispose(Object.values(par.grads));
      } finally {
        await engine.dispose();
      }
    }
    tf.dispose([...Object.values(local.grads), batch.x, mix.x]);
  }, 60_000);
});

/** Test batches of the given sizes (the last smaller than the worker count: the parts shrink, never grow back). */
const sizedSource = (sizes: number[]): BatchSource => ({
  batchesPerEpoch: () => sizes.length,
  batch: (epoch, i) => new QuadrantSource(1, sizes[i]!, ARGS.T, 40 + i).batch(epoch, 0),
});

describe("parallelGradients — evaluate", () => {
  it("1, 2 and 3 workers evaluate the trainer's model (its parameters and BN running statistics) to the same accuracy and loss", async () => {
    const net = bnNetSetup(ARGS);
    // Parameters and running statistics unlike the workers' own initialisation (only synced copies can match), and BN
    // shifts that put the MPE-PSN layer near its threshold, so its test-time Bernoulli samples change the outputs.
    const r = new Rng(11);
    for (const p of [...parametersOf(net.model), ...buffersOf(net.model)]) {
      const variance = p.name.endsWith("running_var"), bnBias = /^bn\d\.bias$/.test(p.name);
      const v = Float32Array.from(p.variable.dataSync(), (x) => variance ? x * (0.5 + r.next()) : x + (r.next() - 0.5) * 0.4 + (bnBias ? 0.5 : 0));
      p.variable.assign(tf.tensor(v, p.variable.shape));
    }
    const sizes = [7, 5, 2];
    const seeds = [987, 988];
    const one = [];
    for (const seed of seeds) {
      reseedModule(net.model, seed);
      one.push(await evaluate(net.model, net.loss, sizedSource(sizes), 0));
    }
    expect(one[0]!.count).toBe(14);
    expect(Math.abs(one[0]!.loss - one[1]!.loss), "the draws matter").toBeGreaterThan(1e-4);
    for (const workers of [2, 3]) {
      const engine = parallelGradients({ model: net.model, loss: net.loss, workers, setup: setupOf() });
      try {
        for (const round of [0, 1]) { // each evaluation starts its draw streams afresh
          for (let k = 0; k < seeds.length; k++) {
            const par = await engine.evaluate!(sizedSource(sizes), 0, seeds[k]!);
            const what = `${workers} workers, seed ${seeds[k]}, round ${round}`;
            expect(par.count).toBe(one[k]!.count);
            expect(par.acc, what).toBe(one[k]!.acc);
            expect(Math.abs(par.loss - one[k]!.loss) / Math.abs(one[k]!.loss), what).toBeLessThan(1e-6);
          }
        }
      } finally {
        await engine.dispose();
      }
    }
  }, 60_000);
});

describe("train with workers", () => {
  it("1, 2 and 3 workers reach the same weights and test losses after 8 steps (‖Δw‖/‖w − w₀‖ < 1e-4), with and without micro-batches", async () => {
    for (const micro of [1, 2]) {
      const one = await trainRun(1, micro);
      const moved = one.w.map((v, i) => v - one.init[i]!);
      for (const workers of [2, 3]) {
        const n = await trainRun(workers, micro);
        expect(relDiff(n.w, one.w, moved), `${workers} workers, ${micro} micro-batches`).toBeLessThan(1e-4);
        n.history.forEach((h, e) => expect(Math.abs(h.trainLoss - one.history[e]!.trainLoss)).toBeLessThan(1e-4));
        // Evaluation (MPE-PSN samples at test time) draws the same whichever engine trained.
        n.history.forEach((h, e) => expect(Math.abs(h.testLoss! - one.history[e]!.testLoss!), `test loss, epoch ${e}`).toBeLessThan(1e-4));
        expect(n.history.map((h) => h.trainAcc)).toEqual(one.history.map((h) => h.trainAcc));
      }
    }
    // Control: BN over half-batches (2 micro-batches) is another experiment, and the comparison above sees it.
    const whole = await trainRun(1, 1), halves = await trainRun(1, 2);
    expect(relDiff(halves.w, whole.w, whole.w.map((v, i) => v - whole.init[i]!))).toBeGreaterThan(1e-2);
  }, 240_000);

  it("the same worker count twice gives bit-identical weights, buffers and losses", async () => {
    const a = await trainRun(2, 2), b = await trainRun(2, 2);
    expect(Buffer.from(a.w.buffer).equals(Buffer.from(b.w.buffer))).toBe(true);
    expect(a.history.map((h) => h.trainLoss)).toEqual(b.history.map((h) => h.trainLoss));
  }, 120_000);

  it("a worker that throws fails the run with its message, naming the worker", async () => {
    const args: BnNetArgs = { ...ARGS, failIn: { rank: 1, call: 2 } };
    const { model, loss } = bnNetSetup(args);
    const t0 = Date.now();
    await expect(train({
      model, loss, optimizer: new SGD(), schedule: constantLr(0.1), epochs: 1, seed: 1, train: new QuadrantSource(4, 6, 2, 1),
      progress: false, workers: 2, workerSetup: setupOf(args),
    })).rejects.toThrow(/gradient worker 1 of 2 failed: injected failure in worker 1/);
    expect(Date.now() - t0).toBeLessThan(30_000); // worker 0 was blocked in a SyncBN all-reduce: aborted, not hung
  }, 60_000);

  it("a setup that builds another architecture, or names no function, is refused before the first step", async () => {
    const { model, loss } = bnNetSetup(ARGS);
    const cfg = { model, loss, optimizer: new SGD(), schedule: constantLr(0.1), epochs: 1, seed: 1, train: new QuadrantSource(1, 4, 2, 1), progress: false, workers: 2 };
    await expect(train({ ...cfg, workerSetup: setupOf({ seed: 3, T: 3 }) })).rejects.toThrow(/differs from the trainer's: parameter #\d+: expected '[\w.]+' \[\d*\], got '[\w.]+' \[\d*\]/);
    await expect(train({ ...cfg, workerSetup: setupOf(ARGS, "nope") })).rejects.toThrow(/bn-net\.ts has no exported function 'nope' \(exports: .*bnNetSetup/);
    await expect(train({ ...cfg, workers: 3 })).rejects.toThrow(/3 workers need a workerSetup/);
  }, 60_000);
});
