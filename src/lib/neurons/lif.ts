/**
 * Leaky integrate-and-fire neuron, SpikingJelly form (`LIFNode`; events-and-parity §1.2, papers.md §1.1).
 * `tau` is a **time constant** (default 2, must be > 1) — not the legacy decay factor (`legacy-lif.ts`).
 *
 * Charge (four variants, events-and-parity §7 item 3):
 *   decayInput, V_reset ∈ {null, 0}:  H = V + (X − V)/τ
 *   decayInput, V_reset ≠ 0:          H = V + (X − (V − V_reset))/τ
 *   no decayInput, V_reset ∈ {null,0}: H = V·(1 − 1/τ) + X
 *   no decayInput, V_reset ≠ 0:       H = V − (V − V_reset)/τ + X
 * Fire and reset as IF (`if.ts`). Defaults: τ = 2, decayInput = true, V_th = 1, V_reset = 0,
 * Sigmoid(4), no detach.
 *
 * Closed-form backward (§1.2): g_H[t] = gS[t]·σ′_t + (gV[t] + g_H[t+1]·(1 − 1/τ))·ψ_t,
 * gX[t] = g_H[t]/τ (decayInput) or g_H[t]; ∂L/∂V0 = g_H[0]·(1 − 1/τ).
 * With a learnable IMP (papers.md §3.1, `LazyStateLIFNode`): V[0] = IMP, so H_1 = IMP + (X_1 − IMP)/τ.
 */
import type { tf } from "../backend/tf.js";
import { SeqNodeBase, checkConfig, lifChargeKind, seqStep, type NeuronSeqResult, type NeuronStepResult, type NodeOptions, type SeqNeuronConfig } from "./base.js";
import { runSeqNeuron } from "./seq-multistep.js";
import { IF_DEFAULTS, type FusedOption, type IFParams } from "./if.js";
import { IMP_INIT } from "./imp.js";

export interface LIFParams extends IFParams {
  /** Membrane time constant τ > 1. */
  tau: number;
  /** Whether the input is divided by τ (SpikingJelly `decay_input`). */
  decayInput: boolean;
}

export const LIF_DEFAULTS: LIFParams = Object.freeze({ ...IF_DEFAULTS, tau: 2, decayInput: true });

export function lifConfig(params: Partial<LIFParams> = {}): SeqNeuronConfig {
  const p = { ...LIF_DEFAULTS, ...params };
  return {
    charge: lifChargeKind(p.decayInput, p.vReset), tau: p.tau, vThreshold: p.vThreshold,
    vReset: p.vReset, detachReset: p.detachReset, surrogate: p.surrogate,
  };
}

/** Multi-step LIF over `xSeq [T, ...]` from `v0` (number or tensor broadcastable to the state). */
export function lifMultiStep(xSeq: tf.Tensor, v0: tf.Tensor | number, params: Partial<LIFParams> & FusedOption = {}): NeuronSeqResult {
  return runSeqNeuron("lifMultiStep", xSeq, v0, lifConfig(params), params.fused ?? true);
}

/** One LIF step. */
export function lifStep(x: tf.Tensor, v: tf.Tensor, params: Partial<LIFParams> = {}): NeuronStepResult {
  return seqStep(x, v, lifConfig(params));
}

export class LIFNode extends SeqNodeBase {
  readonly params: LIFParams;

  constructor(opts: Partial<LIFParams> & NodeOptions = {}) {
    super("LIFNode", opts, IMP_INIT.spikingJelly);
    const { stepMode: _s, imp: _i, fused: _f, ...rest } = opts;
    this.params = { ...LIF_DEFAULTS, ...rest };
    checkConfig("LIFNode", lifConfig(this.params));
    if (!(Number.isFinite(this.params.tau) && this.params.tau > 1)) {
      throw new Error(`LIFNode: tau (time constant) must be a finite number > 1, got ${this.params.tau}`);
    }
  }

  protected restPotential(): number {
    return this.params.vReset ?? 0;
  }

  protected runMulti(xSeq: tf.Tensor, v0: tf.Tensor): NeuronSeqResult {
    return runSeqNeuron("LIFNode.forward", xSeq, v0, lifConfig(this.params), this.fused);
  }

  protected runSingle(x: tf.Tensor, v: tf.Tensor): NeuronStepResult {
    return seqStep(x, v, lifConfig(this.params));
  }
}
