/**
 * MPE-PSN: a time-independent spiking neuron via membrane-potential estimation (papers.md §2.1; the
 * official code is batch-first `[N, T, …]`, spikelab is time-first `[T, B, …]`).
 *
 * Estimator ("Init_t"): p_t = sigmoid(X_t), b_t ~ Bernoulli(p_t) (no gradient through the draw),
 * e_t = (1 − b_t) ⊙ X_t. All steps then run in parallel with decay τ = 0.25, a learnable scalar
 * threshold θ (init 1) and the strict ZIF surrogate (fires iff H − θ > 0):
 *
 * Variant A (CIFAR10-DVS `MPE_PSN`):  û = [0, e_0, …, e_{T−1}],  H_t = τ·û_{t−1} + X_t,
 *   S_t = Θ_>(H_t − θ),  U_t = (1 − S_t) ⊙ H_t,  L_mem = mean[κ_t·(e_t − U_t)²],  κ ∈ R^T, κ_t = 1/T.
 * Variant B (DVSGesture / N-Caltech101):  û_0 = 0, û_t = e_t (t ≥ 1),  H_t = τ·û_t + X_t,
 *   L_mem = mean over t = 1..T−1 of κ_t·(û_t − U_{t−1})²,  κ ∈ R^{T−1}, κ_t = 1/(T−1).
 *
 * κ is learnable and weight-decayed as in the official code (decision 5d-4); `freezeKappa` keeps it
 * fixed. The official code also samples at test time; `evalMode: "expectation"` uses E[e_t] =
 * (1 − p_t)·X_t instead. The layer's L_mem of the last forward pass is `lastMemLoss`; with
 * `trackDistance` it also measures Σ_t ‖u_t − U_t‖₂ to the sequential vanilla LIF potential u
 * (`LIFSpike`, τ = 0.25, θ, hard reset) used by Fig. 3a.
 */
import { detach } from "../backend/detach.js";
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "../layers/module.js";
import { sampleUniform } from "../layers/sample-noise.js";
import { triangle, type Surrogate } from "../surrogate.js";
import { checkStepMode, stopGradient, type ParallelNeuronResult, type ParallelNodeOptions } from "./base.js";
import { legacyLifMultiStep } from "./legacy-lif.js";

export type MPEPSNVariant = "A" | "B";

export interface MPEPSNParams {
  variant: MPEPSNVariant;
  /** Decay factor τ (0.25). */
  tau: number;
  surrogate: Surrogate;
}

export const MPEPSN_DEFAULTS: MPEPSNParams = Object.freeze({ variant: "A" as MPEPSNVariant, tau: 0.25, surrogate: triangle(1, ">") });

export interface MPEPSNResult extends ParallelNeuronResult {
  /** Post-reset potentials U [T, ...] (`hSeq` holds the pre-reset H). */
  vSeq: tf.Tensor;
  /** Estimates e [T, ...]. */
  estimate: tf.Tensor;
  memLoss: tf.Scalar;
}

/** e_t = (1 − b_t) ⊙ X_t with b the given 0/1 draws (constant for autodiff). */
export function mpeEstimate(x: tf.Tensor, draws: tf.Tensor): tf.Tensor {
  return tf.mul(tf.sub(1, stopGradient(draws)), x);
}

/**
 * Bernoulli(sigmoid(X)) draws from an explicit seed, per sample of x [T, B, ...] (`sampleUniform` on axis 1:
 * a sample draws the same wherever the batch is split; `stream` = which draw under this seed). The probabilities are computed from X detached
 * from the gradient tape (`detach`: same values, no copy, no read-back): the draw carries no
 * gradient, and TF.js has no gradient for the comparison it needs.
 */
export function mpeDraws(x: tf.Tensor, seed: number, stream = 0): tf.Tensor {
  const u = sampleUniform(x.shape, 1, seed, stream);
  const draws = tf.tidy(() => tf.cast(tf.less(u, tf.sigmoid(detach(tf.cast(x, "float32")))), "float32"));
  u.dispose();
  return draws;
}

/**
 * Pure MPE-PSN forward on xSeq [T, ...] given the estimate e (from {@link mpeEstimate}), threshold θ
 * (`vThreshold`, scalar) and κ (length T for variant A, T − 1 for B).
 */
export function mpePsnForward(xSeq: tf.Tensor, estimate: tf.Tensor, vThreshold: tf.Tensor, kappa: tf.Tensor, params: Partial<MPEPSNParams> = {}): MPEPSNResult {
  const p = { ...MPEPSN_DEFAULTS, ...params };
  const T = xSeq.shape[0]!;
  if (xSeq.rank < 2) throw new Error(`mpePsnForward: input must be time-first [T, ...], got shape [${xSeq.shape}]`);
  if (p.variant !== "A" && p.variant !== "B") throw new Error(`mpePsnForward: variant must be "A" or "B", got ${JSON.stringify(p.variant)}`);
  if (!(Number.isFinite(p.tau) && p.tau >= 0 && p.tau <= 1)) throw new Error(`mpePsnForward: tau is a decay factor and must be in [0, 1], got ${p.tau}`);
  if (!estimate.shape.every((d, i) => d === xSeq.shape[i]) || estimate.rank !== xSeq.rank) {
    throw new Error(`mpePsnForward: estimate must have xSeq's shape [${xSeq.shape}], got [${estimate.shape}]`);
  }
  if (vThreshold.size !== 1) throw new Error(`mpePsnForward: vThreshold must be a scalar (one θ per layer), got shape [${vThreshold.shape}]`);
  const kLen = p.variant === "A" ? T : T - 1;
  if (kappa.size !== kLen) throw new Error(`mpePsnForward: variant ${p.variant} needs κ of length ${kLen} for T = ${T}, got ${kappa.size}`);
  if (p.variant === "B" && T < 2) throw new Error("mpePsnForward: variant B needs T >= 2");
  return tf.tidy(() => {
    const rest = xSeq.shape.slice(1);
    const zero = tf.zeros([1, ...rest]);
    // Variant A uses the previous step's estimate, variant B the same step's (with û_0 = 0).
    const uHat = p.variant === "A"
      ? tf.concat([zero, tf.slice(estimate, 0, T - 1)], 0)
      : tf.concat([zero, tf.slice(estimate, 1, T - 1)], 0);
    const h = tf.add(tf.mul(uHat, p.tau), xSeq);
    const spikes = p.surrogate.spike(tf.sub(h, vThreshold));
    const u = tf.mul(tf.sub(1, spikes), h);
    const kShape = [kLen, ...rest.map(() => 1)];
    const diff = p.variant === "A"
      ? tf.sub(estimate, u)
      : tf.sub(tf.slice(estimate, 1, T - 1), tf.slice(u, 0, T - 1));
    const memLoss = tf.mean(tf.mul(tf.reshape(kappa, kShape), tf.square(diff))) as tf.Scalar;
    return { spikes, hSeq: h, vSeq: u, estimate, memLoss };
  });
}

/** Σ_t ‖u_t − U_t‖₂ between the sequential vanilla-LIF potential and the parallel one (Fig. 3a), as a scalar tensor. */
export function sequentialLifDistanceTensor(xSeq: tf.Tensor, u: tf.Tensor, vThreshold: number, tau = 0.25): tf.Scalar {
  return tf.tidy(() => {
    const seq = legacyLifMultiStep(xSeq, 0, { decay: tau, vThreshold }).vSeq;
    const T = xSeq.shape[0]!;
    const d = tf.reshape(tf.sub(seq, u), [T, -1]);
    return tf.sum(tf.sqrt(tf.sum(tf.square(d), 1))) as tf.Scalar;
  });
}

/** {@link sequentialLifDistanceTensor} read back as a number (awaits the device). */
export async function sequentialLifDistance(xSeq: tf.Tensor, u: tf.Tensor, vThreshold: number, tau = 0.25): Promise<number> {
  const d = sequentialLifDistanceTensor(xSeq, u, vThreshold, tau);
  try {
    return (await d.data())[0]!;
  } finally {
    d.dispose();
  }
}

/** Module options of {@link MPEPSN} besides its {@link MPEPSNParams}. */
export interface MPEPSNNodeOptions extends ParallelNodeOptions {
  T: number;
  /** Keep κ fixed at its initial value (default false: learnable, as the official code). */
  freezeKappa?: boolean;
  /** Evaluation: "sample" draws Bernoulli as the official code (default); "expectation" uses E[e]. */
  evalMode?: "sample" | "expectation";
  /** Measure the distance to the sequential LIF potential on every forward (Fig. 3a; costs a pass). */
  trackDistance?: boolean;
}

let uid = 0;

/** The MPE-PSN layer (multi-step, `[T, B, ...]`). */
export class MPEPSN implements Module {
  readonly params: MPEPSNParams;
  readonly vThreshold: tf.Variable;
  readonly kappa: tf.Variable;
  readonly T: number;
  freezeKappa: boolean;
  evalMode: "sample" | "expectation";
  trackDistance: boolean;
  /** L_mem of the last forward pass (valid inside the scope that ran it). */
  lastMemLoss: tf.Scalar | null = null;
  /**
   * Σ_t ‖u_t − U_t‖₂ of the last forward pass, when `trackDistance`: a kept scalar tensor (the
   * forward never reads back); disposed by the next forward and by `dispose`.
   */
  lastDistance: tf.Scalar | null = null;
  /** Force the Bernoulli draws of the next forward (tests, worked examples). */
  forcedDraws: tf.Tensor | null = null;
  private training = true;
  private seed: number;
  private calls = 0;

  readonly stepMode: "m";

  constructor(opts: Partial<MPEPSNParams> & MPEPSNNodeOptions) {
    const { T, freezeKappa, evalMode, seed, trackDistance, stepMode, ...rest } = opts;
    if (!(Number.isInteger(T) && T >= 1)) throw new Error(`MPEPSN: T must be a positive integer, got ${T}`);
    this.stepMode = checkStepMode("MPEPSN", stepMode ?? "m", ["m"]) as "m";
    this.params = { ...MPEPSN_DEFAULTS, ...rest };
    if (this.params.variant !== "A" && this.params.variant !== "B") throw new Error(`MPEPSN: variant must be "A" or "B", got ${JSON.stringify(this.params.variant)}`);
    if (this.params.variant === "B" && T < 2) throw new Error("MPEPSN: variant B needs T >= 2");
    this.T = T;
    const kLen = this.params.variant === "A" ? T : T - 1;
    this.freezeKappa = freezeKappa ?? false;
    this.evalMode = evalMode ?? "sample";
    this.trackDistance = trackDistance ?? false;
    this.seed = seed ?? 0;
    const id = uid++;
    this.vThreshold = tf.variable(tf.scalar(1), true, `mpe${id}.vThreshold`);
    this.kappa = tf.variable(tf.fill([kLen], 1 / kLen), !this.freezeKappa, `mpe${id}.kappa`);
  }

  forward(xSeq: tf.Tensor): tf.Tensor {
    if (xSeq.shape[0] !== this.T) throw new Error(`MPEPSN: input has T = ${xSeq.shape[0]}, the layer was built for T = ${this.T}`);
    const expectation = !this.training && this.evalMode === "expectation";
    const call = this.calls++;
    const r = tf.tidy(() => {
      const e = this.forcedDraws ? mpeEstimate(xSeq, this.forcedDraws)
        : expectation ? tf.mul(tf.sub(1, tf.sigmoid(stopGradient(xSeq))), xSeq)
        : mpeEstimate(xSeq, mpeDraws(xSeq, this.seed, call));
      const res = mpePsnForward(xSeq, e, this.vThreshold, this.kappa, this.params);
      return { spikes: res.spikes, u: res.vSeq, memLoss: res.memLoss };
    });
    this.forcedDraws = null;
    this.lastMemLoss = r.memLoss;
    // The reference `calMemDist` runs the vanilla LIFSpike with its fixed θ = 1 (papers.md §2.1).
    this.lastDistance?.dispose();
    this.lastDistance = this.trackDistance ? tf.keep(sequentialLifDistanceTensor(xSeq, r.u, 1, this.params.tau)) : null;
    r.u.dispose();
    return r.spikes;
  }

  parameters(): NamedParameter[] {
    const ps: NamedParameter[] = [{ name: "vThreshold", variable: this.vThreshold, group: "threshold" }];
    if (!this.freezeKappa) ps.push({ name: "kappa", variable: this.kappa, group: "kappa" });
    return ps;
  }

  train(mode: boolean): void {
    this.training = mode;
  }

  /** The trainer seeds each step's Bernoulli draws from (run seed, step). */
  reseed(seed: number): void {
    this.seed = seed;
    this.calls = 0;
  }

  /** Release the variables (forced draws belong to the caller). */
  dispose(): void {
    this.forcedDraws = null;
    this.lastDistance?.dispose();
    this.lastDistance = null;
    this.vThreshold.dispose();
    this.kappa.dispose();
  }
}

/** Σ over MPE-PSN layers of their last L_mem (for `mpeTotalLoss`). */
export function collectMemLosses(layers: Iterable<MPEPSN>): tf.Scalar[] {
  return [...layers].flatMap((l) => (l.lastMemLoss ? [l.lastMemLoss] : []));
}
