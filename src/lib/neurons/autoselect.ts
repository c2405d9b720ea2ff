/**
 * Automatic per-layer choice of the mul-free PSN's charge strategy (the paper's Algorithm 1, papers.md §4.3).
 *
 * For every mul-free layer of a model and every candidate strategy, time one forward + backward of that
 * layer alone on its real input shape, with a random output gradient Z (the backward of Σ H⊙Z), each
 * timing = the mean of the last m of 2m + 1 runs (the first m + 1 warm the caches and the JIT); pick the
 * per-layer argmin. The paper also compares time-first against time-last layouts and keeps the layout with
 * the smaller summed time; TF.js has no vmap, and all three strategies here work time-first, so there is
 * one layout — the layout loop is kept (`layouts` in the result) so a time-last strategy can slot in.
 *
 * The candidates are the TF.js counterparts of the paper's: "toeplitz" = (3) per-channel Toeplitz matmul,
 * "depthwise" = (2)/(4) depthwise convolution over T with left padding, "shift" = k shifted
 * multiply-adds (what a shift-add kernel computes).
 */
import { tf } from "../backend/tf.js";
import { withForwardHooks } from "../layers/hooks.js";
import { leafModules, type Module } from "../layers/module.js";
import { mulFreeCharge, MulFreePSN, MULFREE_STRATEGIES, type MulFreeStrategy } from "./mulfree-psn.js";
import { quantizePow2 } from "./quantize.js";

export interface AutoselectOptions {
  /** Timing = mean of the last m of 2m + 1 runs (default 2). */
  m?: number;
  candidates?: readonly MulFreeStrategy[];
  seed?: number;
}

export interface LayerChoice {
  name: string;
  /** Input shape the layer saw, `[T, B, C, …]`. */
  shape: number[];
  k: number;
  dilation: number;
  /** Mean forward+backward time per candidate, ms. */
  timesMs: Partial<Record<MulFreeStrategy, number>>;
  chosen: MulFreeStrategy;
}

export interface AutoselectResult {
  layout: "time-first";
  layers: LayerChoice[];
  /** Summed time of the chosen strategies, ms (the quantity Algorithm 1 compares across layouts). */
  totalMs: number;
  /** Wall time of the whole selection, ms (the paper reports it as a share of training time). */
  overheadMs: number;
}

/**
 * Forward + backward time of one layer's charge under `strategy`: mean of the last m of 2m + 1 runs, ms.
 * Each run ends when its value and gradient have been read back (`await data()`: webgpu has no `dataSync`).
 */
export async function timeChargeStrategy(layer: MulFreePSN, shape: readonly number[], strategy: MulFreeStrategy, m = 2, seed = 0): Promise<number> {
  const x = tf.randomNormal(shape as number[], 0, 1, "float32", seed);
  const z = tf.randomNormal(shape as number[], 0, 1, "float32", seed + 1);
  const run = async () => {
    const t0 = performance.now();
    const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
      const w = layer.quantize ? quantizePow2(layer.weight, layer.quantGrad) : layer.weight;
      return tf.sum(tf.mul(mulFreeCharge(x, w, layer.dilation, strategy), z)) as tf.Scalar;
    }), [layer.weight]);
    try {
      await value.data();
      for (const g of Object.values(grads)) await g.data();
    } finally {
      Object.values(grads).forEach((g) => g.dispose());
      value.dispose();
    }
    return performance.now() - t0;
  };
  try {
    const times: number[] = [];
    for (let i = 0; i < 2 * m + 1; i++) times.push(await run());
    const kept = times.slice(m + 1);
    return kept.reduce((a, b) => a + b, 0) / kept.length;
  } finally {
    x.dispose();
    z.dispose();
  }
}

/** Every mul-free layer of `model` with its name, looking through channel adapters. */
export function mulFreeLayers(model: Module): [string, MulFreePSN][] {
  const out: [string, MulFreePSN][] = [];
  for (const [name, mod] of leafModules(model)) {
    const inner = (mod as { inner?: Module }).inner ?? mod;
    if (inner instanceof MulFreePSN) out.push([name, inner]);
  }
  return out;
}

/**
 * Algorithm 1: records each mul-free layer's input shape with one forward of `sample`, times every
 * candidate per layer, and sets each layer's `strategy` to its fastest. Returns the timings.
 */
export async function autoselectStrategies(model: Module, sample: tf.Tensor, opts: AutoselectOptions = {}): Promise<AutoselectResult> {
  const t0 = performance.now();
  const m = opts.m ?? 2;
  if (!(Number.isInteger(m) && m >= 1)) throw new Error(`autoselectStrategies: m must be an integer >= 1, got ${m}`);
  const candidates = opts.candidates ?? MULFREE_STRATEGIES;
  for (const c of candidates) if (!MULFREE_STRATEGIES.includes(c)) throw new Error(`autoselectStrategies: unknown candidate ${JSON.stringify(c)}; expected ${MULFREE_STRATEGIES.join(", ")}`);
  const layers = mulFreeLayers(model);
  if (layers.length === 0) throw new Error("autoselectStrategies: the model has no MulFreePSN layer");
  const shapes = new Map<Module, number[]>();
  withForwardHooks(layers, ({ module, input }) => { shapes.set(module, input.shape); }, () => {
    model.reset?.();
    tf.tidy(() => { model.forward(sample); });
    model.reset?.();
  });
  const out: LayerChoice[] = [];
  for (const [i, [name, l]] of layers.entries()) {
    const shape = shapes.get(l);
    if (!shape) throw new Error(`autoselectStrategies: layer ${name} was not reached by the sample forward pass`);
    const timesMs: Partial<Record<MulFreeStrategy, number>> = {};
    for (const c of candidates) timesMs[c] = await timeChargeStrategy(l, shape, c, m, (opts.seed ?? 0) + 2 * i);
    const chosen = candidates.reduce((best, c) => (timesMs[c]! < timesMs[best]! ? c : best), candidates[0]!);
    l.strategy = chosen;
    out.push({ name, shape: [...shape], k: l.k, dilation: l.dilation, timesMs, chosen });
  }
  return { layout: "time-first", layers: out, totalMs: out.reduce((s, c) => s + c.timesMs[c.chosen]!, 0), overheadMs: performance.now() - t0 };
}
