/**
 * One training step (forward + backward + SGD-momentum update) of four of the papers' networks on spikelab's
 * backend, and — when `SJ_PATH` points at a SpikingJelly checkout and `/usr/bin/python3` has torch — of the same
 * networks in SpikingJelly on torch with the same thread count (bench/compare/sj_train_step.py), interleaved
 * round by round: each round times one step of every net on every side, so a load change on the shared machine
 * hits both sides of a round alike. Reports per-side medians and the median per-round step-time ratio
 * spikelab / torch (< 1: spikelab faster).
 *
 *   npm run bench -- --only train [--workers 1,2] [--rounds 3] [--nets vggmpe,sew18cifar]
 *   SJ_PATH=/path/to/spikingjelly npx tsx bench/train-step.ts --workers 1
 *
 * Workers: each entry of `--workers` is a worker count; spikelab runs `trainStepTime(net, { workers })`, torch
 * `torch.set_num_threads(workers)`. workers = 1 runs in this process (one core); n > 1 runs n data-parallel gradient
 * workers (`parallelGradients`, see {@link parallelSession}). The sizes are the benchmark's, not the papers' full runs: T and
 * batch in {@link NETS}; the nets keep the published widths and resolutions.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import { currentBackend, initBackend, tf } from "../src/lib/backend/index.js";
import { disposeModule } from "../src/lib/layers/index.js";
import { parametersOf, reseedModule, type Module } from "../src/lib/layers/module.js";
import { LOSSES } from "../src/lib/losses/index.js";
import { SGD } from "../src/lib/train/optimizers.js";
import { parallelGradients } from "../src/lib/train/parallel/engine.js";
import type { WorkerModel } from "../src/lib/train/parallel/protocol.js";
import { dvsGestureNet, neuronFactory, seqCifarNet, sewResNetCifar, vggMpe } from "../src/lib/models/index.js";
import { writeFileAtomic } from "../src/lib/util/fs.js";
import { median } from "../src/lib/util/timing.js";

export interface TrainNet {
  name: string;
  T: number;
  batch: number;
  /** one step's input, time-first (frames [T, B, C, H, W] or NHWC [T, B, H, W, C], as the net expects) */
  inputShape: number[];
  classes: number;
  /** The net at its published widths (`width` 1) or with every conv width × `width` (bench/backends.ts). */
  build: (width?: number) => Module;
  describe: string;
}

/** The benchmarked networks; sj_train_step.py builds the same ones (keep the two in step). */
export const NETS: TrainNet[] = [
  {
    name: "vggmpe", T: 4, batch: 8, inputShape: [4, 8, 2, 48, 48], classes: 10, describe: "VGGMPE 48², LIF",
    build: (width = 1) => vggMpe({ neuron: neuronFactory("lif"), T: 4, numClasses: 10, widthFactor: width }),
  },
  {
    name: "dvsgesture", T: 4, batch: 2, inputShape: [4, 2, 2, 128, 128], classes: 11, describe: "DVSGestureNet 128², 128 ch, LIF",
    build: (width = 1) => dvsGestureNet({ neuron: neuronFactory("lif"), T: 4, channels: Math.max(1, Math.round(128 * width)), inputSize: 128 }),
  },
  {
    name: "sew18cifar", T: 4, batch: 8, inputShape: [4, 8, 32, 32, 3], classes: 10, describe: "SEW-ResNet-18 CIFAR 32², LIF",
    build: (width = 1) => sewResNetCifar({ neuron: neuronFactory("lif"), T: 4, widthFactor: width }),
  },
  {
    name: "seqcifar", T: 32, batch: 8, inputShape: [32, 8, 32, 1, 3], classes: 10, describe: "mul-free seq-CIFAR, mul-free PSN k 4",
    build: (width = 1) => seqCifarNet({ neuron: neuronFactory("mulfree-psn"), T: 32, numClasses: 10, channels: Math.max(1, Math.round(128 * width)) }),
  },
];

/** A built net with its data and optimiser; `step()` runs one timed training step. */
export interface StepSession {
  /** ms of one step, read back asynchronously (webgpu in Node cannot read synchronously) */
  step(): Promise<number>;
  dispose(): void;
}

/**
 * One training step in this process on the active backend: loss = cross-entropy of the time-mean output, SGD
 * momentum 0.9; the net, its data and optimiser live on that backend (bench/backends.ts keeps one per backend).
 */
export async function inProcessSession(net: TrainNet): Promise<StepSession> {
  const model = net.build();
  model.train?.(true);
  const vars = (model.parameters?.() ?? []).map((p) => p.variable);
  const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform(net.inputShape, 0, 1, "float32", 7), 0.2), "float32"));
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: net.batch }, (_, i) => i % net.classes), "int32"), net.classes);
  const opt = tf.train.momentum(0.01, 0.9);
  const step = async () => {
    const t0 = performance.now();
    model.reset?.();
    const loss = opt.minimize(() => tf.tidy(() => {
      const out = model.forward(x); // [T, B, K]
      return tf.losses.softmaxCrossEntropy(y, tf.mean(out, 0)) as tf.Scalar;
    }), true, vars)!;
    await loss.data();
    loss.dispose();
    return performance.now() - t0;
  };
  await step(); // warm-up: kernels generated (shaders compiled on webgpu), operators created
  return {
    step,
    dispose: () => {
      tf.dispose([x, y]);
      opt.dispose();
      disposeModule(model);
    },
  };
}

const sessions = new Map<string, StepSession>();

/** The session that runs `net` with `workers` workers (1: this process; n > 1: gradient worker threads). */
function stepSession(net: TrainNet, workers: number): Promise<StepSession> {
  return workers === 1 ? inProcessSession(net) : parallelSession(net, workers);
}

/** `WorkerSetup` export: a gradient worker's copy of a benchmarked net (by name) and its loss (SDT, as `inProcessSession`). */
export function benchNetSetup(a: { name: string }): WorkerModel {
  const net = NETS.find((n) => n.name === a.name);
  if (!net) throw new Error(`benchNetSetup: no benchmarked net '${a.name}' (have ${NETS.map((n) => n.name).join(", ")})`);
  return { model: net.build(), loss: LOSSES.sdt };
}

/**
 * One step with `workers` gradient workers (`parallelGradients`, issue #16): the same net, data, loss (CE of the
 * time-mean output) and SGD momentum 0.9 as {@link inProcessSession}, the batch split over the workers with
 * synchronised BatchNorm; the optimiser update runs here. Workers start (and warm up) before the first timed step.
 */
async function parallelSession(net: TrainNet, workers: number): Promise<StepSession> {
  const built = benchNetSetup({ name: net.name });
  const params = parametersOf(built.model);
  const engine = parallelGradients({ ...built, workers, setup: { module: fileURLToPath(import.meta.url), export: "benchNetSetup", args: { name: net.name } } });
  const opt = new SGD({ momentum: 0.9 });
  const x = tf.tidy(() => tf.cast(tf.less(tf.randomUniform(net.inputShape, 0, 1, "float32", 7), 0.2), "float32"));
  const labels = Int32Array.from({ length: net.batch }, (_, i) => i % net.classes);
  let n = 0;
  const step = async () => {
    const t0 = performance.now();
    const seed = 1000 + n;
    reseedModule(built.model, seed);
    const r = await engine.gradients({ x, labels, mix: null, ctx: { epoch: 0, step: n++, model: built.model }, moduleSeed: seed });
    opt.apply(params, r.grads, 0.01);
    tf.dispose(Object.values(r.grads));
    await params[0]!.variable.data(); // the update has run
    return performance.now() - t0;
  };
  await step(); // warm-up: workers built, kernels generated
  return {
    step,
    dispose: () => {
      void engine.dispose();
      tf.dispose(x);
      disposeModule(built.model);
    },
  };
}

/** Wall time (ms) of one training step of `net` with `workers` workers; the net is built (and warmed up) once. */
export async function trainStepTime(net: TrainNet, opts: { workers: number }): Promise<number> {
  const key = `${net.name}/${opts.workers}`;
  let s = sessions.get(key);
  if (!s) sessions.set(key, (s = await stepSession(net, opts.workers)));
  return s.step();
}

export function disposeTrainSessions(): void {
  for (const s of sessions.values()) s.dispose();
  sessions.clear();
}

/** The persistent SpikingJelly worker (sj_train_step.py) for one thread count. */
class TorchSide {
  private readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly pending: Array<(line: string) => void> = [];

  constructor(sjPath: string, threads: number) {
    const script = fileURLToPath(new URL("./compare/sj_train_step.py", import.meta.url));
    this.proc = spawn("/usr/bin/python3", [script, sjPath, String(threads)], { stdio: ["pipe", "pipe", "pipe"] });
    this.proc.stderr.on("data", (d) => process.stderr.write(`[sj] ${d}`));
    this.lines = createInterface({ input: this.proc.stdout });
    this.lines.on("line", (l) => this.pending.shift()?.(l));
  }

  step(net: string): Promise<number> {
    return new Promise((resolveStep, reject) => {
      this.pending.push((line) => {
        const r = JSON.parse(line) as { ms?: number; error?: string };
        if (r.error || r.ms === undefined) reject(new Error(`sj_train_step.py (${net}): ${r.error ?? line}`));
        else resolveStep(r.ms);
      });
      this.proc.stdin.write(`${net}\n`);
    });
  }

  close(): void {
    this.proc.stdin.end();
    this.lines.close();
  }
}

export interface TrainStepRow {
  net: string;
  workers: number;
  oursMs: number;
  torchMs: number | null;
  /** median over rounds of spikelab / torch */
  ratio: number | null;
}

export async function benchTrainStep(opts: { workers?: number[]; rounds?: number; nets?: string[]; sjPath?: string } = {}): Promise<TrainStepRow[]> {
  const workersList = opts.workers ?? [1];
  const rounds = opts.rounds ?? 3;
  const nets = NETS.filter((n) => !opts.nets || opts.nets.includes(n.name));
  if (opts.nets?.some((n) => !NETS.some((m) => m.name === n))) {
    throw new Error(`benchTrainStep: unknown net in ${opts.nets.join(",")}; expected ${NETS.map((n) => n.name).join(", ")}`);
  }
  const sjPath = opts.sjPath ?? process.env.SJ_PATH;
  const rows: TrainStepRow[] = [];
  for (const workers of workersList) {
    const torch = sjPath ? new TorchSide(sjPath, workers) : null;
    const ours = new Map<string, number[]>(), theirs = new Map<string, number[]>();
    try {
      for (let r = 0; r < rounds; r++) {
        for (const net of nets) {
          // alternate which side goes first from round to round
          const sides: Array<() => Promise<void>> = [
            async () => { (ours.get(net.name) ?? ours.set(net.name, []).get(net.name)!).push(await trainStepTime(net, { workers })); },
            async () => { if (torch) (theirs.get(net.name) ?? theirs.set(net.name, []).get(net.name)!).push(await torch.step(net.name)); },
          ];
          if (r % 2) sides.reverse();
          for (const s of sides) await s();
          const o = ours.get(net.name)!.at(-1)!, t = theirs.get(net.name)?.at(-1);
          console.log(`round ${r + 1} ${net.name} workers ${workers}: spikelab ${o.toFixed(0)} ms${t === undefined ? "" : `, torch ${t.toFixed(0)} ms`}`);
        }
      }
    } finally {
      torch?.close();
      disposeTrainSessions();
    }
    for (const net of nets) {
      const o = ours.get(net.name)!, t = theirs.get(net.name);
      rows.push({
        net: net.name, workers, oursMs: median(o), torchMs: t ? median(t) : null,
        ratio: t ? median(o.map((v, i) => v / t[i]!)) : null,
      });
    }
  }
  console.log(`\ntraining step (forward + backward + SGD), backend ${currentBackend()?.rung}; medians over ${rounds} interleaved rounds; ` +
    `ratio = median per-round spikelab / torch${sjPath ? "" : " (no SJ_PATH: torch not run)"}`);
  console.table(rows.map((r) => {
    const net = NETS.find((n) => n.name === r.net)!;
    return {
      net: `${net.describe}, T ${net.T} × B ${net.batch}`, workers: r.workers, "spikelab ms": +r.oursMs.toFixed(0),
      "torch ms": r.torchMs === null ? "—" : +r.torchMs.toFixed(0), "spikelab / torch": r.ratio === null ? "—" : +r.ratio.toFixed(2),
    };
  }));
  await writeFileAtomic("reports/bench/train-step.json", JSON.stringify(rows, null, 1));
  return rows;
}

/** `--workers 1,2` → [1, 2] (positive integers). */
export function parseWorkers(arg: string | undefined): number[] {
  if (arg === undefined) return [1];
  const ws = arg.split(",").map(Number);
  if (!ws.length || ws.some((w) => !Number.isInteger(w) || w < 1)) throw new Error(`--workers: expected a comma-separated list of positive integers, got ${JSON.stringify(arg)}`);
  return ws;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const arg = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
  await initBackend();
  await benchTrainStep({ workers: parseWorkers(arg("--workers")), rounds: Number(arg("--rounds") ?? 3), nets: arg("--nets")?.split(",") });
}
