/**
 * Legacy `LIFSpike` (TET / TEBN / MPE-PSN / IMP-48 lineage; papers.md §1.1, §3.1).
 * Here τ is a **decay factor** (0.25), not a time constant, so the parameter is named `decay`:
 *
 *   mem = decay·mem + x_t
 *   spike = Θ_>(mem − V_th)                 strict `>` (ZIF / triangle surrogate, γ = 1)
 *   mem = mem·(1 − spike)                   hard reset to 0, **not** detached
 *
 * mem₀ = 0, or the learnable IMP of `StateLIFSpike` (papers.md §3.1, init U(−0.2, 0.2)), giving
 * H_1 = decay·IMP + X_1. This is the generic sequential neuron with charge `legacy`, V_reset = 0 and
 * detachReset = false, so it shares the fused kernel: ∂H/∂V = decay, ∂H/∂X = 1,
 * ψ_t = 1 − S[t] − H[t]·σ′_t.
 */
import type { tf } from "../backend/tf.js";
import { triangle, type Surrogate } from "../surrogate.js";
import { SeqNodeBase, checkConfig, seqStep, type NeuronSeqResult, type NeuronStepResult, type NodeOptions, type SeqNeuronConfig } from "./base.js";
import { runSeqNeuron } from "./seq-multistep.js";
import type { FusedOption } from "./if.js";
import { IMP_INIT } from "./imp.js";

export interface LegacyLIFParams {
  /** Decay factor in [0, 1] (the legacy code's `tau`), default 0.25. */
  decay: number;
  vThreshold: number;
  surrogate: Surrogate;
}

export const LEGACY_LIF_DEFAULTS: LegacyLIFParams = Object.freeze({
  decay: 0.25,
  vThreshold: 1,
  surrogate: triangle(1, ">"),
});

export function legacyLifConfig(params: Partial<LegacyLIFParams> = {}): SeqNeuronConfig {
  const p = { ...LEGACY_LIF_DEFAULTS, ...params };
  return { charge: "legacy", tau: p.decay, vThreshold: p.vThreshold, vReset: 0, detachReset: false, surrogate: p.surrogate };
}

/** mem = decay·mem + x_t; spike = Θ_>(mem − vThreshold); mem = mem·(1 − spike). */
export function legacyLifMultiStep(xSeq: tf.Tensor, v0: tf.Tensor | number, params: Partial<LegacyLIFParams> & FusedOption = {}): NeuronSeqResult {
  return runSeqNeuron("legacyLifMultiStep", xSeq, v0, legacyLifConfig(params), params.fused ?? true);
}

/** One legacy LIF step. */
export function legacyLifStep(x: tf.Tensor, v: tf.Tensor, params: Partial<LegacyLIFParams> = {}): NeuronStepResult {
  return seqStep(x, v, legacyLifConfig(params));
}

export class LegacyLIFNode extends SeqNodeBase {
  readonly params: LegacyLIFParams;

  constructor(opts: Partial<LegacyLIFParams> & NodeOptions = {}) {
    super("LegacyLIFNode", opts, IMP_INIT.legacy);
    const { stepMode: _s, imp: _i, fused: _f, ...rest } = opts;
    this.params = { ...LEGACY_LIF_DEFAULTS, ...rest };
    checkConfig("LegacyLIFNode", legacyLifConfig(this.params));
    if (!(Number.isFinite(this.params.decay) && this.params.decay >= 0 && this.params.decay <= 1)) {
      throw new Error(`LegacyLIFNode: decay must be a finite number in [0, 1], got ${this.params.decay}`);
    }
  }

  protected restPotential(): number {
    return 0;
  }

  protected runMulti(xSeq: tf.Tensor, v0: tf.Tensor): NeuronSeqResult {
    return runSeqNeuron("LegacyLIFNode.forward", xSeq, v0, legacyLifConfig(this.params), this.fused);
  }

  protected runSingle(x: tf.Tensor, v: tf.Tensor): NeuronStepResult {
    return seqStep(x, v, legacyLifConfig(this.params));
  }
}
