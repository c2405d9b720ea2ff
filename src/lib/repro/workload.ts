/**
 * What a training item costs at `paper` scale, as data: the runs it trains, each with its network at the paper's
 * input shape, epochs, split sizes and batch. Items declare it next to their settings
 * (`src/figures/<paper>/workloads.ts`); the library turns it into step counts here and, with a measured step
 * time (`step-time.ts`), into an estimated wall time (`estimate.ts`). The library knows no paper.
 *
 * Step counts of one run (what spikelab's trainer does; loaders keep the last partial batch):
 *   train steps = epochs · ⌈train samples / batch⌉            (forward + backward + update)
 *   eval steps  = passes · ⌈test samples / eval batch⌉        (forward only; passes = epochs when the test set is
 *                                                             evaluated after every epoch, 1 when only at the end)
 * and its time  = repeats · (train steps · t_train(batch) + eval steps · t_forward(eval batch)).
 */
import type { Module } from "../layers/module.js";

export interface WorkloadNetwork {
  /**
   * The network's identity at the paper's shape, part of the step-time cache key: two runs with the same key
   * share one measurement (e.g. "vggMpe/mpe-psn-A/T4/48²/10 classes"). Change it when the architecture changes.
   */
  key: string;
  /** Time-first input of one training step at the paper scale, `[T, B, ...]`, B = the paper's batch. */
  inputShape: number[];
  numClasses: number;
  /** Build the network for `T` time steps (the paper's T, or {@link measureT}). Seeded, deterministic. */
  build: (T: number) => Module;
  /**
   * Measure at fewer time steps and scale linearly in T (for nets whose paper-T step does not fit the
   * backend's memory even at one sample; every printout says so). Default: the paper's T.
   */
  measureT?: number;
}

export interface WorkloadRun {
  /** What the run is, as its report names it ("CIFAR10-DVS T = 4, mixup"). */
  label: string;
  network: WorkloadNetwork;
  epochs: number;
  trainSamples: number;
  /** Samples of the test set (forward only, each evaluation pass). */
  testSamples: number;
  /** Passes over the test set (default: `epochs`, the test set after every epoch; 1 = once, after training). */
  evalPasses?: number;
  /** Evaluation batch (default: the training batch, `inputShape[1]`). */
  evalBatchSize?: number;
  /** Identical runs of this kind (seeds, or rows of a table that cost the same); default 1. */
  repeats?: number;
}

export interface PaperWorkload {
  runs: WorkloadRun[];
  /** Approximations the declaration makes (a shared proxy network for several orders k, a split size inferred). */
  notes?: string[];
}

export interface RunSteps {
  trainSteps: number;
  evalSteps: number;
  batch: number;
  evalBatch: number;
  repeats: number;
}

function positiveInt(v: number, what: string): void {
  if (!(Number.isInteger(v) && v >= 1)) throw new Error(`${what} must be a positive integer, got ${v}`);
}

/** Check a declaration: shapes and counts must be positive integers; names the run and field at fault. */
export function validateWorkload(w: PaperWorkload, where: string): void {
  if (!w.runs.length) throw new Error(`${where}: a paper workload needs at least one run`);
  for (const r of w.runs) {
    const at = `${where} run '${r.label}'`;
    const s = r.network.inputShape;
    if (s.length < 3) throw new Error(`${at}: inputShape must be [T, B, ...] with at least one feature axis, got [${s}]`);
    s.forEach((d, i) => positiveInt(d, `${at}: inputShape[${i}]`));
    positiveInt(r.epochs, `${at}: epochs`);
    positiveInt(r.trainSamples, `${at}: trainSamples`);
    if (!(Number.isInteger(r.testSamples) && r.testSamples >= 0)) throw new Error(`${at}: testSamples must be an integer >= 0, got ${r.testSamples}`);
    if (r.evalPasses !== undefined && !(Number.isInteger(r.evalPasses) && r.evalPasses >= 0)) throw new Error(`${at}: evalPasses must be an integer >= 0, got ${r.evalPasses}`);
    if (r.evalBatchSize !== undefined) positiveInt(r.evalBatchSize, `${at}: evalBatchSize`);
    if (r.repeats !== undefined) positiveInt(r.repeats, `${at}: repeats`);
    if (r.network.measureT !== undefined) {
      positiveInt(r.network.measureT, `${at}: measureT`);
      if (r.network.measureT > s[0]!) throw new Error(`${at}: measureT ${r.network.measureT} exceeds the paper's T ${s[0]}`);
    }
  }
}

/** Optimiser and evaluation steps of one run (see the module comment). */
export function runSteps(r: WorkloadRun): RunSteps {
  const batch = r.network.inputShape[1]!;
  const evalBatch = r.evalBatchSize ?? batch;
  return {
    trainSteps: r.epochs * Math.ceil(r.trainSamples / batch),
    evalSteps: (r.evalPasses ?? r.epochs) * Math.ceil(r.testSamples / evalBatch),
    batch, evalBatch, repeats: r.repeats ?? 1,
  };
}

/** The distinct networks of a workload (by key), in first-use order. */
export function workloadNetworks(w: PaperWorkload): WorkloadNetwork[] {
  const seen = new Map<string, WorkloadNetwork>();
  for (const r of w.runs) if (!seen.has(r.network.key)) seen.set(r.network.key, r.network);
  return [...seen.values()];
}

/** Seconds of one step at `batch` from a measurement at `measured.batch` and `measured.T` (linear in B and T). */
export interface MeasuredStep {
  batch: number;
  T: number;
  trainStepS: number;
  forwardStepS: number;
}

export function scaledStepSeconds(m: MeasuredStep, net: WorkloadNetwork, batch: number, kind: "train" | "forward"): number {
  const s = kind === "train" ? m.trainStepS : m.forwardStepS;
  return s * (batch / m.batch) * (net.inputShape[0]! / m.T);
}

/** Wall seconds of one run kind (all its repeats) from its network's measurement. */
export function runSeconds(r: WorkloadRun, m: MeasuredStep): number {
  const st = runSteps(r);
  return st.repeats * (st.trainSteps * scaledStepSeconds(m, r.network, st.batch, "train") + st.evalSteps * scaledStepSeconds(m, r.network, st.evalBatch, "forward"));
}
