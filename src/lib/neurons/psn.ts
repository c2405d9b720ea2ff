/**
 * The parallel spiking neuron family (Fang et al., NeurIPS 2023; papers.md §1.2, events-and-parity §1.4).
 * No reset: all T steps are computed at once from the input sequence X ∈ R^{T×N} (time-first; every
 * non-time dimension is flattened into N), with the threshold folded into a bias initialised to −1:
 *
 * - PSN:          H = W·X + b,                W ∈ R^{T×T} (Kaiming-uniform, a = √5 ⇒ U(±1/√T)), b ∈ R^T
 * - MaskedPSN(k): H = (W ⊙ M_k(λ))·X + b,     M_k[i][j] = 1 iff j ≤ i ≤ j + k − 1,
 *                 M_k(λ) = λ·M_k + (1 − λ)·J (J all ones); λ ≥ 1 uses W ⊙ M_k exactly
 * - SlidingPSN(k): H[t] = Σ_{i=0}^{k−1} W_i·X[t − k + 1 + i] + b (X[j] = 0 for j < 0), W ∈ R^k shared
 *                 over time and channels, b scalar; exp-init W = (…, 1/4, 1/2, 1)
 * and S = Θ(H) through the surrogate (default ATan(2), Θ(0) = 1 as SpikingJelly).
 * MaskedPSN (once λ ≥ 1) and SlidingPSN also run step by step, keeping a queue of the last k inputs;
 * single-step equals multi-step for inputs of any rank (the SpikingJelly@pre MaskedPSN bug, §1.4).
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "../layers/module.js";
import { atan, type Surrogate } from "../surrogate.js";
import { checkStepMode, withDefaults, type ParallelNodeOptions, type StepMode } from "./base.js";
import { psnFused, psnFusedAvailable } from "./kernels/psn-op.js";

let uid = 0;
const varName = (s: string) => `${s}_${uid++}`;

function flattenSeq(xSeq: tf.Tensor, who: string, T?: number): tf.Tensor2D {
  if (xSeq.rank < 2) throw new Error(`${who}: input must be time-first [T, ...] with rank >= 2, got shape [${xSeq.shape}]`);
  if (T !== undefined && xSeq.shape[0] !== T) throw new Error(`${who}: input has T = ${xSeq.shape[0]} steps, the neuron was built for T = ${T}`);
  return tf.reshape(xSeq, [xSeq.shape[0], -1]) as tf.Tensor2D;
}

/**
 * PSN charge + fire: S = Θ(W·X + b) on xSeq [T, ...]; weight [T, T], bias [T, 1].
 * On wasm with a surrogate that has a SIMD form this is one fused kernel each way (`psnFused`,
 * kernels/psn-simd.ts); otherwise, or with `fused: false`, the op path {@link psnForwardOps}.
 */
export function psnForward(xSeq: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor2D, surrogate: Surrogate = atan(2), opts: { fused?: boolean } = {}): tf.Tensor {
  const fused = (opts.fused ?? true) && psnFusedAvailable(surrogate) && xSeq.dtype === "float32" &&
    weight.dtype === "float32" && bias.dtype === "float32" && bias.rank === 2 && bias.shape[0] === weight.shape[0] && bias.shape[1] === 1;
  if (!fused) return psnForwardOps(xSeq, weight, bias, surrogate);
  return tf.tidy(() => {
    const x = flattenSeq(xSeq, "psnForward", weight.shape[0]);
    return tf.reshape(psnFused(x, weight, bias, surrogate), xSeq.shape);
  });
}

/** The op path of {@link psnForward}: H = matMul(W, X) + b, S = surrogate.spike(H) (autodiff through TF.js ops). */
export function psnForwardOps(xSeq: tf.Tensor, weight: tf.Tensor2D, bias: tf.Tensor2D, surrogate: Surrogate = atan(2)): tf.Tensor {
  return tf.tidy(() => {
    const x = flattenSeq(xSeq, "psnForward", weight.shape[0]);
    const h = tf.add(tf.matMul(weight, x), bias);
    return tf.reshape(surrogate.spike(h), xSeq.shape);
  });
}

/** M_k[i][j] = 1 iff j ≤ i ≤ j + k − 1 (lower band of width k). */
export function bandMask(T: number, k: number): tf.Tensor2D {
  if (!(Number.isInteger(k) && k >= 1 && k <= T)) throw new Error(`bandMask: order k must be an integer in [1, T=${T}], got ${k}`);
  const m = new Float32Array(T * T);
  for (let i = 0; i < T; i++) for (let j = Math.max(0, i - k + 1); j <= i; j++) m[i * T + j] = 1;
  return tf.tensor2d(m, [T, T]);
}

/** The masked weight W ⊙ M_k(λ) with M_k(λ) = λ·M_k + (1 − λ)·J, or W ⊙ M_k for λ ≥ 1. */
export function maskedWeight(weight: tf.Tensor2D, k: number, lambda: number): tf.Tensor2D {
  return tf.tidy(() => {
    const m = bandMask(weight.shape[0], k);
    const mix = lambda >= 1 ? m : tf.add(tf.mul(m, lambda), 1 - lambda);
    return tf.mul(weight, mix) as tf.Tensor2D;
  });
}

/** Sliding-PSN weights as the T×T banded Toeplitz matrix (row t holds W on columns t−k+1 … t). */
export function slidingToeplitz(weight: tf.Tensor1D, T: number): tf.Tensor2D {
  const k = weight.shape[0];
  return tf.tidy(() => {
    // E[i][t][j] = 1 iff j = t − (k − 1 − i): M = Σ_i W_i·E_i, differentiable in W.
    const e = new Float32Array(k * T * T);
    for (let i = 0; i < k; i++) for (let t = 0; t < T; t++) {
      const j = t - (k - 1 - i);
      if (j >= 0) e[(i * T + t) * T + j] = 1;
    }
    const E = tf.tensor3d(e, [k, T, T]);
    return tf.reshape(tf.matMul(tf.reshape(weight, [1, k]), tf.reshape(E, [k, T * T])), [T, T]) as tf.Tensor2D;
  });
}

export type SlidingBackend = "gemm" | "conv";

/** Sliding-PSN charge H (before the bias) on X [T, N], by the Toeplitz matrix or a causal 1-D conv. */
export function slidingCharge(x: tf.Tensor2D, weight: tf.Tensor1D, backend: SlidingBackend): tf.Tensor2D {
  const [T, N] = x.shape;
  const k = weight.shape[0];
  return tf.tidy(() => {
    if (backend === "gemm") return tf.matMul(slidingToeplitz(weight, T), x);
    // [N, T, 1], left-pad k − 1 zeros, conv1d with the k-tap kernel (newest input last).
    const seq = tf.reshape(tf.transpose(x), [N, T, 1]) as tf.Tensor3D;
    const padded = tf.pad(seq, [[0, 0], [k - 1, 0], [0, 0]]);
    const h = tf.conv1d(padded, tf.reshape(weight, [k, 1, 1]) as tf.Tensor3D, 1, "valid");
    return tf.transpose(tf.reshape(h, [N, T])) as tf.Tensor2D;
  });
}

/** Sliding PSN, pure: S = Θ(Σ_i W_i·X[t−k+1+i] + b) on xSeq [T, ...]. */
export function slidingPsnForward(xSeq: tf.Tensor, weight: tf.Tensor1D, bias: tf.Scalar, surrogate: Surrogate = atan(2), backend: SlidingBackend = "gemm"): tf.Tensor {
  return tf.tidy(() => {
    const h = tf.add(slidingCharge(flattenSeq(xSeq, "slidingPsnForward"), weight, backend), bias);
    return tf.reshape(surrogate.spike(h), xSeq.shape);
  });
}

function kaimingUniform(shape: number[], fanIn: number, seed: number): tf.Tensor {
  const bound = 1 / Math.sqrt(fanIn);
  return tf.randomUniform(shape, -bound, bound, "float32", seed);
}

/** Parameters of the PSN family (PSN, MaskedPSN, SlidingPSN). */
export interface PSNParams {
  /** Default ATan(α = 2), Θ(0) = 1 (SpikingJelly's PSN default). */
  surrogate: Surrogate;
}

export const PSN_DEFAULTS: PSNParams = Object.freeze({ surrogate: atan(2) });

export interface MaskedPSNParams extends PSNParams {
  /** Initial λ of the progressive mask (default 0: no masking yet). */
  lambdaInit: number;
}

export const MASKED_PSN_DEFAULTS: MaskedPSNParams = Object.freeze({ ...PSN_DEFAULTS, lambdaInit: 0 });

export interface SlidingPSNParams extends PSNParams {
  /** Weight init (…, 1/4, 1/2, 1) (default true) or seeded Kaiming-uniform U(±1/√k). */
  expInit: boolean;
  /** How the charge is computed: "gemm" (Toeplitz matrix, default) or "conv" (causal 1-D conv). */
  backend: SlidingBackend;
}

export const SLIDING_PSN_DEFAULTS: SlidingPSNParams = Object.freeze({ ...PSN_DEFAULTS, expInit: true, backend: "gemm" as SlidingBackend });

function disposeAll(vars: tf.Variable[]): void {
  for (const v of vars) v.dispose();
}

/** PSN(T): stateless, multi-step only. */
export class PSN implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly params: PSNParams;
  readonly stepMode: "m";

  constructor(readonly T: number, opts: Partial<PSNParams> & ParallelNodeOptions = {}) {
    if (!(Number.isInteger(T) && T >= 1)) throw new Error(`PSN: T must be a positive integer, got ${T}`);
    const { stepMode, seed, ...rest } = opts;
    this.stepMode = checkStepMode("PSN", stepMode ?? "m", ["m"]) as "m";
    this.params = withDefaults(PSN_DEFAULTS, rest);
    this.weight = tf.variable(kaimingUniform([T, T], T, seed ?? 0), true, varName("psn.weight"));
    this.bias = tf.variable(tf.fill([T, 1], -1), true, varName("psn.bias"));
  }

  get surrogate(): Surrogate {
    return this.params.surrogate;
  }

  forward(xSeq: tf.Tensor): tf.Tensor {
    return psnForward(xSeq, this.weight as tf.Tensor2D, this.bias as tf.Tensor2D, this.surrogate);
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, { name: "bias", variable: this.bias, group: "bias" }];
  }

  /** Release the variables. */
  dispose(): void {
    disposeAll([this.weight, this.bias]);
  }
}

export interface StepQueueState {
  queue: tf.Tensor[];
  step: number;
}

/** MaskedPSN(k, T): progressive masking with λ; single-step once λ ≥ 1. */
export class MaskedPSN implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly params: MaskedPSNParams;
  stepMode: StepMode;
  private lambdaValue: number;
  private state: StepQueueState = { queue: [], step: 0 };

  constructor(readonly k: number, readonly T: number, opts: Partial<MaskedPSNParams> & ParallelNodeOptions = {}) {
    if (!(Number.isInteger(T) && T >= 1)) throw new Error(`MaskedPSN: T must be a positive integer, got ${T}`);
    if (!(Number.isInteger(k) && k >= 1 && k <= T)) throw new Error(`MaskedPSN: order k must be an integer in [1, T=${T}], got ${k}`);
    const { stepMode, seed, ...rest } = opts;
    this.stepMode = checkStepMode("MaskedPSN", stepMode ?? "m");
    this.params = withDefaults(MASKED_PSN_DEFAULTS, rest);
    this.weight = tf.variable(kaimingUniform([T, T], T, seed ?? 0), true, varName("maskedpsn.weight"));
    this.bias = tf.variable(tf.fill([T, 1], -1), true, varName("maskedpsn.bias"));
    this.lambdaValue = this.params.lambdaInit;
  }

  get surrogate(): Surrogate {
    return this.params.surrogate;
  }

  /** λ of the progressive mask; the trainer raises it, e.g. λ = (epoch + 1)/epochs. */
  get lambda(): number {
    return this.lambdaValue;
  }
  set lambda(v: number) {
    if (!(v >= 0)) throw new Error(`MaskedPSN: lambda must be >= 0, got ${v}`);
    this.lambdaValue = v;
  }

  maskedWeight(): tf.Tensor2D {
    return maskedWeight(this.weight as tf.Tensor2D, this.k, this.lambdaValue);
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (this.stepMode === "m") {
      return tf.tidy(() => psnForward(x, this.maskedWeight(), this.bias as tf.Tensor2D, this.surrogate));
    }
    if (this.lambdaValue < 1) throw new Error(`MaskedPSN: single-step mode needs lambda >= 1 (the mask must be final), lambda = ${this.lambdaValue}`);
    const t = this.state.step;
    if (t >= this.T) throw new Error(`MaskedPSN: ${t + 1} single steps exceed T = ${this.T}; call reset() between sequences`);
    this.state.queue.push(tf.keep(tf.clone(x)));
    if (this.state.queue.length > this.k) this.state.queue.shift()!.dispose();
    this.state.step++;
    return tf.tidy(() => {
      // H_t = b_t + Σ_{j=t−k+1}^{t} W[t][j]·X_j over the queued inputs.
      const first = t - this.state.queue.length + 1;
      const w = tf.slice(this.weight, [t, first], [1, this.state.queue.length]).reshape([this.state.queue.length]);
      const ws = tf.unstack(w);
      let h: tf.Tensor = tf.reshape(tf.slice(this.bias, [t, 0], [1, 1]), []);
      this.state.queue.forEach((xj, i) => { h = tf.add(h, tf.mul(ws[i]!, xj)); });
      return this.surrogate.spike(h);
    });
  }

  reset(): void {
    this.state.queue.forEach((q) => q.dispose());
    this.state = { queue: [], step: 0 };
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, { name: "bias", variable: this.bias, group: "bias" }];
  }

  /** Release the step-mode queue and the variables. */
  dispose(): void {
    this.reset();
    disposeAll([this.weight, this.bias]);
  }
}

/** SlidingPSN(k): any T; single- or multi-step; "gemm" (Toeplitz) or "conv" backend. */
export class SlidingPSN implements Module {
  readonly weight: tf.Variable;
  readonly bias: tf.Variable;
  readonly surrogate: Surrogate;
  stepMode: StepMode;
  backend: SlidingBackend;
  private queue: tf.Tensor[] = [];

  constructor(readonly k: number, opts: Partial<SlidingPSNParams> & ParallelNodeOptions = {}) {
    if (!(Number.isInteger(k) && k >= 1)) throw new Error(`SlidingPSN: order k must be a positive integer, got ${k}`);
    const { stepMode, seed, ...rest } = opts;
    this.stepMode = checkStepMode("SlidingPSN", stepMode ?? "m");
    const p = withDefaults(SLIDING_PSN_DEFAULTS, rest);
    this.surrogate = p.surrogate;
    const init = p.expInit
      ? tf.tensor1d(Array.from({ length: k }, (_, i) => 2 ** -(k - 1 - i)))
      : kaimingUniform([k], k, seed ?? 0);
    this.weight = tf.variable(init, true, varName("slidingpsn.weight"));
    this.bias = tf.variable(tf.scalar(-1), true, varName("slidingpsn.bias"));
    this.backend = p.backend;
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (this.stepMode === "m") return slidingPsnForward(x, this.weight as tf.Tensor1D, this.bias as tf.Scalar, this.surrogate, this.backend);
    this.queue.push(tf.keep(tf.clone(x)));
    if (this.queue.length > this.k) this.queue.shift()!.dispose();
    return tf.tidy(() => {
      const ws = tf.unstack(this.weight);
      const off = this.k - this.queue.length; // the newest input always meets W_{k−1}
      let h: tf.Tensor = this.bias;
      this.queue.forEach((xj, i) => { h = tf.add(h, tf.mul(ws[off + i]!, xj)); });
      return this.surrogate.spike(h);
    });
  }

  reset(): void {
    this.queue.forEach((q) => q.dispose());
    this.queue = [];
  }

  /** Bytes of state step-by-step inference keeps now (the last k inputs). */
  stateBytes(): number {
    return this.queue.reduce((s, t) => s + t.size * 4, 0);
  }

  parameters(): NamedParameter[] {
    return [{ name: "weight", variable: this.weight, group: "weight" }, { name: "bias", variable: this.bias, group: "bias" }];
  }

  /** Release the step-mode queue and the variables. */
  dispose(): void {
    this.reset();
    disposeAll([this.weight, this.bias]);
  }
}
