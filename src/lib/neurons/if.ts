/**
 * Integrate-and-fire neuron (SpikingJelly `IFNode`; events-and-parity §1.2, papers.md §1.1).
 *
 *   H[t] = V[t−1] + X[t]
 *   S[t] = Θ(H[t] − V_th)                         (surrogate gradient; SpikingJelly ties fire: x ≥ 0)
 *   V[t] = (1 − S′)·H[t] + S′·V_reset             hard reset (vReset a number)
 *   V[t] = H[t] − S′·V_th                         soft reset (vReset = null)
 *   S′ = stopgrad(S) if detachReset else S
 *
 * Defaults follow SpikingJelly's `BaseNode`: V_th = 1, V_reset = 0, detachReset = false and the
 * **Sigmoid(α = 4)** surrogate (events-and-parity §7 item 2 — papers usually pass ATan explicitly).
 * V[0] is `vReset ?? 0` unless a learnable IMP is given (papers.md §3.1: `StateIFNode`, `IFIMP`).
 *
 * Closed-form backward (events-and-parity §1.2): g_H[t] = gS[t]·σ′_t + (gV[t] + g_H[t+1])·ψ_t,
 * gX[t] = g_H[t], ∂L/∂V0 = g_H[0]; evaluated by the fused kernel (`seq-multistep.ts`) in one reverse pass.
 */
import type { tf } from "../backend/tf.js";
import { sigmoid, type Surrogate } from "../surrogate.js";
import { SeqNodeBase, checkConfig, seqStep, type NeuronSeqResult, type NeuronStepResult, type NodeOptions, type SeqNeuronConfig } from "./base.js";
import { runSeqNeuron } from "./seq-multistep.js";
import { IMP_INIT } from "./imp.js";

export interface IFParams {
  vThreshold: number;
  /** `null` = soft reset (subtract V_th). */
  vReset: number | null;
  detachReset: boolean;
  surrogate: Surrogate;
}

export const IF_DEFAULTS: IFParams = Object.freeze({
  vThreshold: 1,
  vReset: 0,
  detachReset: false,
  surrogate: sigmoid(4),
});

/** Extra option of the pure functions: use the fused kernel where available (default true). */
export interface FusedOption {
  fused?: boolean;
}

export function ifConfig(params: Partial<IFParams> = {}): SeqNeuronConfig {
  const p = { ...IF_DEFAULTS, ...params };
  return { charge: "if", tau: 1, vThreshold: p.vThreshold, vReset: p.vReset, detachReset: p.detachReset, surrogate: p.surrogate };
}

/** Multi-step IF over `xSeq [T, ...]` from `v0` (number or tensor broadcastable to `xSeq.shape.slice(1)`). */
export function ifMultiStep(xSeq: tf.Tensor, v0: tf.Tensor | number, params: Partial<IFParams> & FusedOption = {}): NeuronSeqResult {
  return runSeqNeuron("ifMultiStep", xSeq, v0, ifConfig(params), params.fused ?? true);
}

/** One IF step: x `[B, ...]`, v the state (same shape). */
export function ifStep(x: tf.Tensor, v: tf.Tensor, params: Partial<IFParams> = {}): NeuronStepResult {
  return seqStep(x, v, ifConfig(params));
}

export class IFNode extends SeqNodeBase {
  readonly params: IFParams;

  constructor(opts: Partial<IFParams> & NodeOptions = {}) {
    super("IFNode", opts, IMP_INIT.spikingJelly);
    const { stepMode: _s, imp: _i, fused: _f, ...rest } = opts;
    this.params = { ...IF_DEFAULTS, ...rest };
    checkConfig("IFNode", ifConfig(this.params));
  }

  protected restPotential(): number {
    return this.params.vReset ?? 0;
  }

  protected runMulti(xSeq: tf.Tensor, v0: tf.Tensor): NeuronSeqResult {
    return runSeqNeuron("IFNode.forward", xSeq, v0, ifConfig(this.params), this.fused);
  }

  protected runSingle(x: tf.Tensor, v: tf.Tensor): NeuronStepResult {
    return seqStep(x, v, ifConfig(this.params));
  }
}
