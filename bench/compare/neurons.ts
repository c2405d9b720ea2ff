/**
 * Forward + backward time of spikelab's fused LIF and PSN vs SpikingJelly's multi-step LIFNode (torch
 * backend) and PSN, on the same CPU, same shapes and loss (see sj_neurons.py for the protocol).
 *
 *   SJ_PATH=/path/to/spikingjelly npx tsx bench/compare/neurons.ts [--cells "16,65536 4,4096"]
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

export const DEFAULT_CELLS = "4,4096 16,4096 64,4096 4,65536 16,65536 64,65536 16,1048576";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed(f: () => tf.Tensor[], repeats = 10, warmup = 3): number {
  const once = () => {
    const t0 = performance.now();
    const out = f();
    out.forEach((t) => { t.dataSync(); t.dispose(); });
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

export async function compareNeurons(sjPath: string, cells = DEFAULT_CELLS): Promise<NeuronComparison[]> {
  const sg = atan(2);
  const ours = cells.split(/\s+/).filter(Boolean).map((c) => {
    const [T, N] = c.split(",").map(Number) as [number, number];
    const x = tf.add(tf.randomNormal([T, N], 0, 1, "float32", 1), 0.5);
    const g = tf.randomNormal([T, N], 0, 1, "float32", 2);
    const w = tf.randomUniform([T, T], -1 / Math.sqrt(T), 1 / Math.sqrt(T), "float32", 3) as tf.Tensor2D;
    const b = tf.fill([T, 1], -1) as tf.Tensor2D;
    const lif = timed(() => [tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lifMultiStep(xx, 0, { tau: 2, vReset: 0, surrogate: sg }).spikes, g)))(x)]);
    const psn = timed(() => tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.mul(psnForward(xx, ww as tf.Tensor2D, bb as tf.Tensor2D, sg), g)))([x, w, b]));
    tf.dispose([x, g, w, b]);
    return { T, N, lif, psn };
  });
  const sj = JSON.parse(execFileSync("/usr/bin/python3", [fileURLToPath(new URL("./sj_neurons.py", import.meta.url)), sjPath, cells], { encoding: "utf8" })) as { T: number; N: number; lifMs: number; psnMs: number }[];
  return ours.map((o, i) => ({
    T: o.T, N: o.N, oursLifMs: o.lif, sjLifMs: sj[i]!.lifMs, lifRatio: sj[i]!.lifMs / o.lif,
    oursPsnMs: o.psn, sjPsnMs: sj[i]!.psnMs, psnRatio: sj[i]!.psnMs / o.psn,
  }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sjPath = process.env.SJ_PATH;
  if (!sjPath) {
    console.error("set SJ_PATH to a SpikingJelly source checkout (see bench/compare/README.md)");
    process.exit(2);
  }
  await initBackend();
  const i = process.argv.indexOf("--cells");
  const rows = await compareNeurons(sjPath, i >= 0 ? process.argv[i + 1] : DEFAULT_CELLS);
  console.log(`backend ${currentBackend()?.rung}; ratio = SpikingJelly time / spikelab time (> 1: spikelab faster)`);
  console.table(rows.map((r) => ({
    T: r.T, N: `2^${Math.log2(r.N)}`, "LIF ours ms": +r.oursLifMs.toFixed(2), "LIF SJ ms": +r.sjLifMs.toFixed(2), "LIF ratio": +r.lifRatio.toFixed(2),
    "PSN ours ms": +r.oursPsnMs.toFixed(2), "PSN SJ ms": +r.sjPsnMs.toFixed(2), "PSN ratio": +r.psnRatio.toFixed(2),
  })));
  await writeFileAtomic("reports/compare/neurons.json", JSON.stringify(rows, null, 1));
}
