/**
 * Shared machinery of the sequential (stateful) neurons: IF, LIF, legacy LIF, ParametricLIF.
 *
 * Every family is one step of charge → fire → reset (events-and-parity §1.2, papers.md §1.1):
 *
 *   H[t] = f(V[t−1], X[t])                          charge (family-specific, see {@link ChargeKind})
 *   S[t] = Θ(H[t] − V_th)                           fire (surrogate gradient, tie rule per surrogate)
 *   V[t] = (1 − S′)·H[t] + S′·V_reset               hard reset (vReset a number)
 *   V[t] = H[t] − S′·V_th                           soft reset (vReset = null)
 *   S′ = stopgrad(S) if detachReset else S          (only inside the reset term)
 *
 * The legacy `LIFSpike` reset `mem·(1 − spike)` is the hard reset with V_reset = 0, not detached.
 *
 * This file holds the op-by-op reference path (`referenceMultiStep`, T × a few small ops, autodiff
 * through `tf.customGrad` spikes); the fused path (one kernel per direction) is in `seq-multistep.ts`, and
 * the small module base class that owns state (`v`), the optional learnable IMP and the step mode.
 * Layout is time-first: multi-step `x [T, B, ...]`, single-step `x [B, ...]` (events-and-parity §1.1).
 */
import { tf } from "../backend/tf.js";
import type { Module, NamedParameter } from "../layers/module.js";
import { assertSurrogate, type Surrogate } from "../surrogate.js";
import { LearnableIMP, makeImp, type ImpOption } from "./imp.js";

/** Result of a multi-step run. */
export interface NeuronSeqResult {
  /** S, `[T, ...]`, float32 0/1. */
  spikes: tf.Tensor;
  /** V after reset, `[T, ...]`. */
  vSeq: tf.Tensor;
  /** H before reset, `[T, ...]`. */
  hSeq: tf.Tensor;
  /** V[T−1], `xSeq.shape.slice(1)`. */
  v: tf.Tensor;
}

/** Result of a single step. */
export interface NeuronStepResult {
  spike: tf.Tensor;
  /** V after reset. */
  v: tf.Tensor;
  /** H before reset. */
  h: tf.Tensor;
}

/**
 * The charge equations (events-and-parity §1.2; papers.md §1.1), written in the exact float32 op order
 * the reference path uses (the fused kernel mirrors it with `Math.fround` after every op):
 *
 * | kind             | H[t]                              | α = ∂H/∂V   | β = ∂H/∂X |
 * |------------------|-----------------------------------|-------------|-----------|
 * | `if`             | V + X                             | 1           | 1         |
 * | `lif-decay`      | V + (X − V)/τ                     | 1 − 1/τ     | 1/τ       |
 * | `lif-decay-vr`   | V + (X − (V − V_reset))/τ         | 1 − 1/τ     | 1/τ       |
 * | `lif-nodecay`    | V·(1 − 1/τ) + X                   | 1 − 1/τ     | 1         |
 * | `lif-nodecay-vr` | V − (V − V_reset)/τ + X           | 1 − 1/τ     | 1         |
 * | `legacy`         | V·decay + X   (`tau` = decay)     | decay       | 1         |
 *
 * SpikingJelly uses V_reset = 0 in the leak term for soft reset (`vReset = null`), hence the `-vr`
 * kinds only for a non-zero hard reset.
 */
export type ChargeKind = "if" | "lif-decay" | "lif-decay-vr" | "lif-nodecay" | "lif-nodecay-vr" | "legacy";

/** Everything a sequential neuron run needs (the fused kernel gets the same, as attributes). */
export interface SeqNeuronConfig {
  charge: ChargeKind;
  /** LIF: time constant τ (> 1); legacy: decay factor; IF: unused. */
  tau: number;
  vThreshold: number;
  vReset: number | null;
  detachReset: boolean;
  surrogate: Surrogate;
}

/** LIF charge kind for the SpikingJelly options. */
export function lifChargeKind(decayInput: boolean, vReset: number | null): ChargeKind {
  const vr = vReset !== null && vReset !== 0;
  return decayInput ? (vr ? "lif-decay-vr" : "lif-decay") : (vr ? "lif-nodecay-vr" : "lif-nodecay");
}

/** α = ∂H/∂V[t−1] and β = ∂H/∂X[t] of a charge kind (used by the closed-form backward, §1.2). */
export function chargeCoefficients(kind: ChargeKind, tau: number): { alpha: number; beta: number } {
  switch (kind) {
    case "if": return { alpha: 1, beta: 1 };
    case "lif-decay": case "lif-decay-vr": return { alpha: 1 - 1 / tau, beta: 1 / tau };
    case "lif-nodecay": case "lif-nodecay-vr": return { alpha: 1 - 1 / tau, beta: 1 };
    case "legacy": return { alpha: tau, beta: 1 };
  }
}

/** H = f(V, X) on tensors (op order documented on {@link ChargeKind}). */
export function chargeTensor(kind: ChargeKind, v: tf.Tensor, x: tf.Tensor, tau: number, vReset: number | null): tf.Tensor {
  const vr = vReset ?? 0;
  switch (kind) {
    case "if": return tf.add(v, x);
    case "lif-decay": return tf.add(v, tf.div(tf.sub(x, v), tau));
    case "lif-decay-vr": return tf.add(v, tf.div(tf.sub(x, tf.sub(v, vr)), tau));
    case "lif-nodecay": return tf.add(tf.mul(v, 1 - 1 / tau), x);
    case "lif-nodecay-vr": return tf.add(tf.sub(v, tf.div(tf.sub(v, vr), tau)), x);
    case "legacy": return tf.add(tf.mul(v, tau), x);
  }
}

/** Identity forward, zero gradient (TF.js has no stop_gradient op). */
const stopGradientOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => ({
  value: tf.clone(args[0] as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));
export function stopGradient(x: tf.Tensor): tf.Tensor {
  return stopGradientOp(x);
}

/** Fire and reset for one step, given H. */
export function fireAndReset(h: tf.Tensor, cfg: SeqNeuronConfig): { spike: tf.Tensor; v: tf.Tensor } {
  const spike = cfg.surrogate.spike(tf.sub(h, cfg.vThreshold));
  const s = cfg.detachReset ? stopGradient(spike) : spike;
  const v = cfg.vReset === null
    ? tf.sub(h, tf.mul(s, cfg.vThreshold))
    : tf.add(tf.mul(tf.sub(1, s), h), tf.mul(s, cfg.vReset));
  return { spike, v };
}

/** One step: charge, fire, reset. */
export function seqStep(x: tf.Tensor, v: tf.Tensor, cfg: SeqNeuronConfig): NeuronStepResult {
  return tf.tidy(() => {
    const h = chargeTensor(cfg.charge, v, x, cfg.tau, cfg.vReset);
    const { spike, v: vNext } = fireAndReset(h, cfg);
    return { spike, v: vNext, h };
  });
}

/** Broadcast V0 (number, or tensor broadcastable to `shape`) to `shape`, with a clear error otherwise. */
export function initialPotential(where: string, v0: tf.Tensor | number, shape: readonly number[]): tf.Tensor {
  if (typeof v0 === "number") {
    if (!Number.isFinite(v0)) throw new Error(`${where}: v0 must be a finite number or a tensor, got ${v0}`);
    return tf.fill([...shape], v0);
  }
  if (!(v0 instanceof tf.Tensor)) throw new Error(`${where}: v0 must be a number or a tf.Tensor, got ${String(v0)}`);
  const ok = v0.rank <= shape.length &&
    v0.shape.every((d, i) => d === 1 || d === shape[shape.length - v0.rank + i]);
  if (!ok) {
    throw new Error(`${where}: v0 of shape [${v0.shape}] is not broadcastable to the state shape [${shape}] ` +
      `(xSeq.shape.slice(1))`);
  }
  if (v0.dtype !== "float32") throw new Error(`${where}: v0 must be float32, got ${v0.dtype}`);
  return v0.rank === shape.length && v0.shape.every((d, i) => d === shape[i])
    ? v0
    : tf.broadcastTo(v0, [...shape]);
}

/** Check a multi-step input: a float32 tensor with time first, T ≥ 1. */
export function checkSeqInput(where: string, xSeq: tf.Tensor): void {
  if (!(xSeq instanceof tf.Tensor)) throw new Error(`${where}: xSeq must be a tf.Tensor [T, ...], got ${String(xSeq)}`);
  if (xSeq.rank < 1 || xSeq.shape[0]! < 1) {
    throw new Error(`${where}: xSeq must have shape [T, ...] with T >= 1, got [${xSeq.shape}]`);
  }
  if (xSeq.dtype !== "float32") throw new Error(`${where}: xSeq must be float32, got ${xSeq.dtype}`);
}

/** Check the shared IF/LIF/legacy parameters. */
export function checkConfig(where: string, cfg: SeqNeuronConfig): void {
  if (!Number.isFinite(cfg.vThreshold)) throw new Error(`${where}: vThreshold must be a finite number, got ${cfg.vThreshold}`);
  if (cfg.vReset !== null && !Number.isFinite(cfg.vReset)) {
    throw new Error(`${where}: vReset must be a finite number or null (soft reset), got ${String(cfg.vReset)}`);
  }
  if (typeof cfg.detachReset !== "boolean") throw new Error(`${where}: detachReset must be a boolean, got ${String(cfg.detachReset)}`);
  assertSurrogate(where, cfg.surrogate);
  if (cfg.charge.startsWith("lif") && !(Number.isFinite(cfg.tau) && cfg.tau > 1)) {
    throw new Error(`${where}: tau (time constant) must be a finite number > 1, got ${cfg.tau}`);
  }
  if (cfg.charge === "legacy" && !(Number.isFinite(cfg.tau) && cfg.tau >= 0 && cfg.tau <= 1)) {
    throw new Error(`${where}: decay must be a finite number in [0, 1], got ${cfg.tau}`);
  }
}

/**
 * The op-by-op reference: a loop over T of {@link seqStep}; gradients by autodiff through the
 * surrogate's `customGrad`. Kept as the ground truth for the fused kernel.
 */
export function referenceMultiStep(where: string, xSeq: tf.Tensor, v0: tf.Tensor | number, cfg: SeqNeuronConfig): NeuronSeqResult {
  checkSeqInput(where, xSeq);
  checkConfig(where, cfg);
  return tf.tidy(() => {
    let v = initialPotential(where, v0, xSeq.shape.slice(1));
    const xs = tf.unstack(xSeq, 0);
    const spikes: tf.Tensor[] = [];
    const vs: tf.Tensor[] = [];
    const hs: tf.Tensor[] = [];
    for (const x of xs) {
      const r = seqStep(x, v, cfg);
      spikes.push(r.spike);
      vs.push(r.v);
      hs.push(r.h);
      v = r.v;
    }
    return { spikes: tf.stack(spikes), vSeq: tf.stack(vs), hSeq: tf.stack(hs), v };
  });
}

/**
 * Result of a parallel family's pure forward (`psn`-like: every step at once, no reset): the field
 * names of {@link NeuronSeqResult}, for the quantities the family has.
 */
export interface ParallelNeuronResult {
  /** S, `[T, ...]`. */
  spikes: tf.Tensor;
  /** H, the charge before the threshold, `[T, ...]`. */
  hSeq: tf.Tensor;
}

/** `defaults` overridden by the entries of `given` that are not `undefined` (an explicit `undefined` keeps the default). */
export function withDefaults<P extends object>(defaults: P, given: Partial<P>): P {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(given)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** "m": x `[T, B, ...]` → spikes `[T, B, ...]` (multi-step); "s": x `[B, ...]` per call, state kept across calls. */
export type StepMode = "s" | "m";

/** Check a module's `stepMode` (`modes` = the modes the family supports), with a clear error otherwise. */
export function checkStepMode(where: string, mode: unknown, modes: readonly StepMode[] = ["s", "m"]): StepMode {
  if (!(modes as readonly unknown[]).includes(mode)) {
    const allowed = modes.map((m) => JSON.stringify(m)).join(" or ");
    const why = modes.length === 1 ? ` (${where} computes all T steps at once and has no step-by-step form)` : "";
    throw new Error(`${where}: stepMode must be ${allowed}, got ${JSON.stringify(mode)}${why}`);
  }
  return mode as StepMode;
}

/** Options every parallel node accepts besides its family parameters. */
export interface ParallelNodeOptions {
  /** Default "m"; families without a step-by-step form accept only "m". */
  stepMode?: StepMode;
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
}

/** Options every sequential node accepts besides its family parameters. */
export interface NodeOptions {
  /** "m" (default): x `[T, B, ...]` → spikes `[T, B, ...]`; "s": x `[B, ...]`, state kept across calls. */
  stepMode?: StepMode;
  /** Learnable initial potential (papers.md §3.1): `true`, options, or a shared {@link LearnableIMP}. */
  imp?: ImpOption;
  /** Use the fused multi-step kernel where the backend has it (default true). */
  fused?: boolean;
}

/**
 * Module shell: owns the membrane state `v`, the optional IMP, and the step mode.
 *
 * State rule (SpikingJelly `MemoryModule`): `v` persists across `forward` calls until `reset()`;
 * after `reset()` the next sequence starts from IMP (if any) or from `vReset ?? 0`. State tensors are
 * `tf.keep`-ed so they survive the caller's `tidy`/`variableGrads` scope, and disposed by `reset()`.
 */
export abstract class SeqNodeBase implements Module {
  v: tf.Tensor | null = null;
  readonly stepMode: StepMode;
  readonly imp: LearnableIMP | null;
  fused: boolean;
  private kept: tf.Tensor[] = [];

  protected constructor(readonly className: string, opts: NodeOptions, impDefaultInit: readonly [number, number]) {
    this.stepMode = checkStepMode(className, opts.stepMode ?? "m");
    this.imp = makeImp(opts.imp, impDefaultInit);
    this.fused = opts.fused ?? true;
  }

  /** Potential a fresh sequence starts from when there is no IMP. */
  protected abstract restPotential(): number;
  /** Multi-step run from V0 (tensor of the state shape). */
  protected abstract runMulti(xSeq: tf.Tensor, v0: tf.Tensor): NeuronSeqResult;
  /** One step from V. */
  protected abstract runSingle(x: tf.Tensor, v: tf.Tensor): NeuronStepResult;

  /** The initial potential for a state of shape `stateShape` (= x.shape without T). */
  protected initialState(stateShape: number[]): tf.Tensor | number {
    if (this.imp) return this.imp.value(stateShape.slice(1));
    return this.restPotential();
  }

  forward(x: tf.Tensor): tf.Tensor {
    if (!(x instanceof tf.Tensor)) throw new Error(`${this.className}.forward: x must be a tf.Tensor, got ${String(x)}`);
    const multi = this.stepMode === "m";
    const minRank = multi ? 2 : 1;
    if (x.rank < minRank) {
      throw new Error(`${this.className}.forward: stepMode "${this.stepMode}" expects x ` +
        `${multi ? "[T, B, ...]" : "[B, ...]"} (rank >= ${minRank}), got shape [${x.shape}]`);
    }
    const stateShape = multi ? x.shape.slice(1) : x.shape;
    if (this.v && !this.v.shape.every((d, i) => d === stateShape[i])) {
      throw new Error(`${this.className}.forward: state v has shape [${this.v.shape}] but the input needs ` +
        `[${stateShape}]; call reset() between sequences/batches`);
    }
    const [out, vNext] = tf.tidy(() => {
      const v0 = this.v ?? initialPotential(`${this.className}.forward`, this.initialState(stateShape), stateShape);
      if (multi) {
        const r = this.runMulti(x, v0);
        return [r.spikes, r.v];
      }
      const r = this.runSingle(x, v0);
      return [r.spike, r.v];
    });
    this.v = tf.keep(vNext!);
    this.kept.push(this.v);
    return out!;
  }

  /** Forget the state (and dispose the state tensors this node kept). */
  reset(): void {
    for (const t of this.kept) t.dispose();
    this.kept = [];
    this.v = null;
  }

  parameters(): NamedParameter[] {
    return this.imp ? this.imp.parameters("imp") : [];
  }

  /** Release state and owned variables. */
  dispose(): void {
    this.reset();
    this.imp?.dispose();
  }
}
