/**
 * Learnable initial membrane potential (IMP) — papers.md §3.1 (Shen et al., NeurIPS 2024).
 *
 * IMP replaces V[0] = 0 (or V_reset) at the start of **every** sequence by a learnable tensor that is
 * shared across the batch and across samples:
 *
 *   V[0] = IMP                                 (broadcast over the batch)
 *   SpikingJelly LIF (LazyStateLIFNode):  H_1 = IMP + (X_1 − IMP)/τ        init U(0.4, 0.6)
 *   SpikingJelly IF  (StateIFNode/IFIMP): H_1 = IMP + X_1
 *   legacy LIF      (StateLIFSpike):      H_1 = τ·IMP + X_1  (τ = 0.25 decay)  init U(−0.2, 0.2)
 *
 * The parameter's shape depends on the input resolution, so (as in the official code) it is created
 * lazily from the first input: for x `[T, B, C, H, W]` the feature shape is `[C, H, W]` and
 *
 * | mode       | shape          | official class                                   | default init   |
 * |------------|----------------|--------------------------------------------------|----------------|
 * | `neuron`   | `(1, C, H, W)` | `StateLIFSpike`, `LazyStateLIFNode`              | node-dependent |
 * | `channel`  | `(1, C, 1, 1)` | `LazyStateChannelLIFNode`                        | U(−0.2, 0.2)   |
 * | `position` | `(1, 1, H, W)` | `LazyStateHWLIFNode`                             | U(−0.2, 0.2)   |
 *
 * The optional `sigmoid` re-parameterisation (effective IMP = sigmoid(param)) exists in the official
 * code and is off by default there and here. IMP parameters belong to the optimiser group `"imp"`
 * (excluded from weight decay by most configs).
 */
import { tf } from "../backend/tf.js";
import type { NamedParameter } from "../layers/module.js";

export type ImpMode = "neuron" | "channel" | "position";

/** The official init ranges (papers.md §3.1). */
export const IMP_INIT = {
  /** `LazyStateLIFNode`, `StateIFNode`/`StateLIFNode`: U(0.4, 0.6). */
  spikingJelly: [0.4, 0.6] as const,
  /** `StateLIFSpike` (legacy 48×48 configs), `IFIMP`, channel/position variants: U(−0.2, 0.2). */
  legacy: [-0.2, 0.2] as const,
};

export interface ImpOptions {
  /** Per neuron (default), per channel or per spatial position. */
  mode?: ImpMode;
  /** Uniform init range [lo, hi); default depends on the node (see {@link IMP_INIT}). */
  init?: readonly [number, number];
  /** Seed of the uniform init (default 0). */
  seed?: number;
  /** Effective IMP = sigmoid(param) (official `sigmoid_init`, off by default). */
  sigmoid?: boolean;
}

/** The IMP shape for a feature shape (everything after `[T, B]`, or after `[B]` in single-step mode). */
export function impShape(mode: ImpMode, featureShape: readonly number[]): number[] {
  const f = [...featureShape];
  switch (mode) {
    case "neuron":
      return [1, ...f];
    case "channel":
      if (f.length < 1) {
        throw new Error(`impShape: mode 'channel' needs at least one feature dim after [T, B], got feature shape [${f}]`);
      }
      return [1, f[0]!, ...f.slice(1).map(() => 1)];
    case "position":
      if (f.length < 2) {
        throw new Error(`impShape: mode 'position' needs feature shape [C, ...spatial] (rank >= 2), got [${f}]`);
      }
      return [1, 1, ...f.slice(1)];
    default:
      throw new Error(`impShape: mode must be 'neuron', 'channel' or 'position', got ${JSON.stringify(mode)}`);
  }
}

/** A learnable initial potential, materialised on first use. */
export class LearnableIMP {
  readonly mode: ImpMode;
  readonly init: readonly [number, number];
  readonly seed: number;
  readonly sigmoid: boolean;
  /** The raw parameter (null until the first input fixes its shape). */
  variable: tf.Variable | null = null;
  private featureShape: number[] | null = null;

  constructor(opts: ImpOptions = {}, defaultInit: readonly [number, number] = IMP_INIT.legacy) {
    this.mode = opts.mode ?? "neuron";
    if (!["neuron", "channel", "position"].includes(this.mode)) {
      throw new Error(`LearnableIMP: mode must be 'neuron', 'channel' or 'position', got ${JSON.stringify(this.mode)}`);
    }
    const init = opts.init ?? defaultInit;
    if (!Array.isArray(init) || init.length !== 2 || !init.every(Number.isFinite) || !(init[0] <= init[1])) {
      throw new Error(`LearnableIMP: init must be [lo, hi] with finite lo <= hi, got ${JSON.stringify(init)}`);
    }
    this.init = [init[0], init[1]];
    this.seed = opts.seed ?? 0;
    if (!Number.isFinite(this.seed)) throw new Error(`LearnableIMP: seed must be a finite number, got ${this.seed}`);
    this.sigmoid = opts.sigmoid ?? false;
  }

  /** The parameter shape once materialised, else null. */
  get shape(): number[] | null {
    return this.variable ? [...this.variable.shape] : null;
  }

  /** Create the variable for this feature shape (first call), or check the shape matches (later calls). */
  materialize(featureShape: readonly number[]): tf.Variable {
    if (this.variable) {
      const prev = this.featureShape!;
      if (prev.length !== featureShape.length || prev.some((d, i) => d !== featureShape[i])) {
        throw new Error(`LearnableIMP: input feature shape [${featureShape}] differs from the shape [${prev}] ` +
          `the IMP was created for (IMP is per neuron and depends on the input resolution)`);
      }
      return this.variable;
    }
    const shape = impShape(this.mode, featureShape);
    const [lo, hi] = this.init;
    const init = lo === hi ? tf.fill(shape, lo) : tf.randomUniform(shape, lo, hi, "float32", this.seed);
    this.variable = tf.variable(init, true);
    init.dispose();
    this.featureShape = [...featureShape];
    return this.variable;
  }

  /** The effective initial potential (raw parameter, or sigmoid of it), shape {@link impShape}. */
  value(featureShape: readonly number[]): tf.Tensor {
    const v = this.materialize(featureShape);
    return this.sigmoid ? tf.sigmoid(v) : v;
  }

  parameters(prefix = "imp"): NamedParameter[] {
    return this.variable ? [{ name: prefix, variable: this.variable, group: "imp" }] : [];
  }

  dispose(): void {
    this.variable?.dispose();
    this.variable = null;
    this.featureShape = null;
  }
}

/** What a node's `imp` option accepts: `true` (defaults), options, or a shared instance. */
export type ImpOption = boolean | ImpOptions | LearnableIMP | undefined;

/** Normalise a node's `imp` option. */
export function makeImp(opt: ImpOption, defaultInit: readonly [number, number]): LearnableIMP | null {
  if (opt === undefined || opt === false) return null;
  if (opt === true) return new LearnableIMP({}, defaultInit);
  if (opt instanceof LearnableIMP) return opt;
  if (typeof opt === "object") return new LearnableIMP(opt, defaultInit);
  throw new Error(`imp option must be a boolean, ImpOptions or LearnableIMP, got ${String(opt)}`);
}
