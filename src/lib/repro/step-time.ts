/**
 * Measured step time of a workload network on the running backend: one SGD step (forward, softmax
 * cross-entropy of the time-averaged output, backward, SGD m 0.9 update) and one forward-only step
 * (evaluation mode), on random input of the paper's shape at a reduced batch (default 2 samples: a
 * paper-size step at the paper's batch can take minutes on a CPU). Times scale linearly with the batch
 * (and with T when the network declares `measureT`), which ignores the per-step overhead a larger batch
 * amortises, so a CPU estimate errs on the long side; every printout says at which batch it measured.
 *
 * Reads back only through async `data()` (a synchronous read throws on some backends, e.g. webgpu in Node).
 */
import { cpus } from "node:os";
import { createRequire } from "node:module";
import { currentBackend, type BackendChoice } from "../backend/index.js";
import { tf } from "../backend/tf.js";
import { disposeModule, resetModule, setTraining, type Module } from "../layers/module.js";
import { crossEntropy } from "../losses/cross-entropy.js";
import { namedGrads } from "../train/named-grads.js";
import { SGD } from "../train/optimizers.js";
import { median } from "../util/timing.js";
import type { MeasuredStep, WorkloadNetwork } from "./workload.js";

/** Where a measurement was made: the backend rung, the device it computes on, and its worker threads. */
export interface StepTimeEnvironment {
  /** Ladder rung (`wasm`, `cpu`, `webgpu`, …). */
  backend: string;
  /** The compute device: the GPU adapter when the backend names one, else the CPU model × cores. */
  device: string;
  /** Worker threads of the backend where it has a notion of them (wasm), else null. */
  workers: number | null;
}

export interface StepTimeMeasurement extends MeasuredStep {
  /** Input shape of the measured steps `[T, batch, ...]`. */
  shape: number[];
  trainSamplesS: number[];
  forwardSamplesS: number[];
}

/** Worker threads of the wasm backend (its public `getThreadsCount`), null on backends without the notion. */
function wasmWorkers(): number | null {
  try {
    const wasm = createRequire(import.meta.url)("@tensorflow/tfjs-backend-wasm") as { getThreadsCount?: () => number };
    return wasm.getThreadsCount?.() ?? null;
  } catch {
    return null;
  }
}

/**
 * The environment of the running backend. A backend choice that describes what runs it (`detail`, e.g. the
 * webgpu adapter) is used as is; otherwise the CPU model and core count.
 */
export function stepTimeEnvironment(choice: BackendChoice | null = currentBackend()): StepTimeEnvironment {
  if (!choice) throw new Error("stepTimeEnvironment: no backend is initialised; call initBackend() first");
  // The rung's own description of what runs it (webgpu: the adapter), else the CPU.
  const device = choice.detail || `${cpus()[0]?.model?.trim() ?? "unknown CPU"} × ${cpus().length}`;
  const workers = choice.rung === "wasm" ? wasmWorkers() : null;
  return { backend: choice.rung, device, workers };
}

/** "wasm (1 worker)", "webgpu", …: how estimates name the backend they were measured on. */
export function describeEnvironment(env: Pick<StepTimeEnvironment, "backend" | "workers">): string {
  return env.workers === null ? env.backend : `${env.backend} (${env.workers} worker${env.workers === 1 ? "" : "s"})`;
}

/** Mean over time of `[T, B, K]` outputs (a `[B, K]` output is used as is): the logits of the step's loss. */
function logitsOf(out: tf.Tensor): tf.Tensor2D {
  if (out.rank === 3) return tf.mean(out, 0) as tf.Tensor2D;
  if (out.rank === 2) return out as tf.Tensor2D;
  throw new Error(`step-time: the network returned shape [${out.shape}], expected [T, B, K] or [B, K]`);
}

/**
 * After a backward pass that threw (e.g. out of memory), TF.js keeps the forward's saved tensors on its
 * gradient tape (they are `kept`, so no scope frees them) until the process ends. With no gradient being
 * recorded any more (depth 0), free them and drop the tape, as a completed backward pass does.
 */
function releaseFailedTape(): void {
  const state = tf.engine().state;
  if (state.gradientDepth !== 0 || !state.activeTape) return;
  for (const node of state.activeTape) for (const t of node.saved ?? []) t.dispose();
  state.activeTape = null as unknown as typeof state.activeTape;
}

export interface MeasureOptions {
  /** Samples per measured step (default 2). */
  batch?: number;
  /** Unrecorded steps of each kind first (default 1: kernels compile, memory is allocated). */
  warmup?: number;
  /** Recorded steps of each kind (default 3); the median is kept. */
  repeats?: number;
}

/** Time `net`'s training and forward steps on the running backend (see the module comment). */
export async function measureStepTime(net: WorkloadNetwork, o: MeasureOptions = {}): Promise<StepTimeMeasurement> {
  const batch = o.batch ?? 2, warmup = o.warmup ?? 1, repeats = o.repeats ?? 3;
  if (!(Number.isInteger(batch) && batch >= 1)) throw new Error(`measureStepTime: batch must be a positive integer, got ${batch}`);
  if (!(Number.isInteger(repeats) && repeats >= 1)) throw new Error(`measureStepTime: repeats must be a positive integer, got ${repeats}`);
  if (!(Number.isInteger(warmup) && warmup >= 0)) throw new Error(`measureStepTime: warmup must be an integer >= 0, got ${warmup}`);
  const T = net.measureT ?? net.inputShape[0]!;
  const shape = [T, batch, ...net.inputShape.slice(2)];
  // Everything the measurement allocates is released at the end, also when a step fails half-way (out of
  // memory inside backward would otherwise leave gigabytes behind for the next measurement).
  tf.engine().startScope();
  const model: Module = net.build(T);
  const x = tf.randomUniform(shape, 0, 1, "float32", 1);
  const labels = Int32Array.from({ length: batch }, (_, i) => i % net.numClasses);
  const optimizer = new SGD({ momentum: 0.9 });
  try {
    // One forward first: some parameters are created from the first input (lazy IMP potentials).
    setTraining(model, true);
    resetModule(model);
    tf.tidy(() => { model.forward(x); });
    const params = model.parameters?.() ?? [];
    if (!params.length) throw new Error(`step-time: network '${net.key}' has no trainable parameters`);
    const trainStep = async () => {
      setTraining(model, true);
      const { value, grads } = namedGrads(params, () => {
        resetModule(model);
        return tf.tidy(() => crossEntropy(logitsOf(model.forward(x)), labels));
      });
      optimizer.apply(params, grads, 0.01);
      tf.dispose(Object.values(grads));
      // Waiting for the first updated parameter makes the step's queued work part of its time.
      await Promise.all([value.data(), params[0]!.variable.data()]);
      value.dispose();
      resetModule(model);
    };
    const forwardStep = async () => {
      setTraining(model, false);
      resetModule(model);
      const s = tf.tidy(() => tf.sum(model.forward(x)));
      await s.data();
      s.dispose();
      resetModule(model);
    };
    const trainSamplesS: number[] = [], forwardSamplesS: number[] = [];
    for (let i = -warmup; i < repeats; i++) {
      let t0 = performance.now();
      await trainStep();
      const tTrain = (performance.now() - t0) / 1000;
      t0 = performance.now();
      await forwardStep();
      const tFwd = (performance.now() - t0) / 1000;
      if (i >= 0) { trainSamplesS.push(tTrain); forwardSamplesS.push(tFwd); }
    }
    return { batch, T, shape, trainStepS: median(trainSamplesS), forwardStepS: median(forwardSamplesS), trainSamplesS, forwardSamplesS };
  } catch (e) {
    releaseFailedTape();
    throw e;
  } finally {
    x.dispose();
    optimizer.dispose();
    disposeModule(model);
    tf.engine().endScope();
  }
}
