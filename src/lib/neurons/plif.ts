/**
 * Parametric LIF (SpikingJelly `ParametricLIFNode`; events-and-parity §1.2, §7 item 3; PLIF of Fang et al.).
 *
 * One learnable scalar `w` per layer with 1/τ = sigmoid(w), initialised to w₀ = −ln(τ₀ − 1) so that
 * sigmoid(w₀) = 1/τ₀ (τ₀ = `initTau`, default 2). Charge as LIF with 1/τ replaced by k = sigmoid(w):
 *
 *   decayInput, V_reset ∈ {null, 0}:  H = V + (X − V)·k
 *   decayInput, V_reset ≠ 0:          H = V + (X − (V − V_reset))·k
 *   no decayInput, V_reset ∈ {null,0}: H = V − V·k + X
 *   no decayInput, V_reset ≠ 0:       H = V − (V − V_reset)·k + X
 *
 * Fire/reset as IF. Because ∂L/∂w needs Σ_t g_H[t]·∂H[t]/∂k on top of the §1.2 recurrence, PLIF runs
 * the op-by-op reference path (autodiff) only; it has no fused kernel.
 */
import { tf } from "../backend/tf.js";
import type { NamedParameter } from "../layers/module.js";
import {
  SeqNodeBase, checkConfig, checkSeqInput, fireAndReset, initialPotential,
  type NeuronSeqResult, type NeuronStepResult, type NodeOptions, type SeqNeuronConfig,
} from "./base.js";
import { IMP_INIT } from "./imp.js";
import { LIF_DEFAULTS, type LIFParams } from "./lif.js";

export interface PLIFParams extends Omit<LIFParams, "tau"> {
  /** τ₀: the initial time constant (> 1); w₀ = −ln(τ₀ − 1). */
  initTau: number;
}

export const PLIF_DEFAULTS: PLIFParams = Object.freeze({
  vThreshold: LIF_DEFAULTS.vThreshold,
  vReset: LIF_DEFAULTS.vReset,
  detachReset: LIF_DEFAULTS.detachReset,
  surrogate: LIF_DEFAULTS.surrogate,
  decayInput: true,
  initTau: 2,
});

/** w₀ = −ln(τ₀ − 1), so that sigmoid(w₀) = 1/τ₀. */
export function plifInitW(initTau: number): number {
  if (!(Number.isFinite(initTau) && initTau > 1)) throw new Error(`plifInitW: initTau must be a finite number > 1, got ${initTau}`);
  return -Math.log(initTau - 1);
}

function cfgOf(p: Omit<PLIFParams, "initTau">): SeqNeuronConfig {
  // charge/tau unused by fireAndReset; kept so checkConfig validates the shared fields.
  return { charge: "if", tau: 1, vThreshold: p.vThreshold, vReset: p.vReset, detachReset: p.detachReset, surrogate: p.surrogate };
}

/** PLIF charge with k = sigmoid(w) (a scalar tensor). */
export function plifCharge(v: tf.Tensor, x: tf.Tensor, k: tf.Tensor, decayInput: boolean, vReset: number | null): tf.Tensor {
  const vr = vReset !== null && vReset !== 0;
  if (decayInput) return tf.add(v, tf.mul(tf.sub(x, vr ? tf.sub(v, vReset) : v), k));
  return tf.add(tf.sub(v, tf.mul(vr ? tf.sub(v, vReset) : v, k)), x);
}

function checkW(where: string, w: tf.Tensor): void {
  if (!(w instanceof tf.Tensor) || w.size !== 1 || w.dtype !== "float32") {
    throw new Error(`${where}: w must be a float32 scalar tensor (1/tau = sigmoid(w)), got ${w instanceof tf.Tensor ? `shape [${w.shape}] ${w.dtype}` : String(w)}`);
  }
}

/** One PLIF step. */
export function plifStep(x: tf.Tensor, v: tf.Tensor, w: tf.Tensor, params: Partial<Omit<PLIFParams, "initTau">> = {}): NeuronStepResult {
  const p = { ...PLIF_DEFAULTS, ...params };
  checkW("plifStep", w);
  return tf.tidy(() => {
    const h = plifCharge(v, x, tf.sigmoid(tf.reshape(w, [])), p.decayInput, p.vReset);
    const r = fireAndReset(h, cfgOf(p));
    return { spike: r.spike, v: r.v, h };
  });
}

/** Multi-step PLIF over `xSeq [T, ...]` (reference path; gradients to x, v0 and w by autodiff). */
export function plifMultiStep(xSeq: tf.Tensor, v0: tf.Tensor | number, w: tf.Tensor, params: Partial<Omit<PLIFParams, "initTau">> = {}): NeuronSeqResult {
  const p = { ...PLIF_DEFAULTS, ...params };
  checkSeqInput("plifMultiStep", xSeq);
  checkConfig("plifMultiStep", cfgOf(p));
  checkW("plifMultiStep", w);
  return tf.tidy(() => {
    const k = tf.sigmoid(tf.reshape(w, []));
    let v = initialPotential("plifMultiStep", v0, xSeq.shape.slice(1));
    const spikes: tf.Tensor[] = [], vs: tf.Tensor[] = [], hs: tf.Tensor[] = [];
    for (const x of tf.unstack(xSeq, 0)) {
      const h = plifCharge(v, x, k, p.decayInput, p.vReset);
      const r = fireAndReset(h, cfgOf(p));
      spikes.push(r.spike); vs.push(r.v); hs.push(h);
      v = r.v;
    }
    return { spikes: tf.stack(spikes), vSeq: tf.stack(vs), hSeq: tf.stack(hs), v };
  });
}

export class ParametricLIFNode extends SeqNodeBase {
  readonly params: PLIFParams;
  /** The learnable scalar, 1/τ = sigmoid(w). */
  readonly w: tf.Variable;

  constructor(opts: Partial<PLIFParams> & NodeOptions = {}) {
    super("ParametricLIFNode", opts, IMP_INIT.spikingJelly);
    const { stepMode: _s, imp: _i, fused: _f, ...rest } = opts;
    this.params = { ...PLIF_DEFAULTS, ...rest };
    checkConfig("ParametricLIFNode", cfgOf(this.params));
    this.w = tf.variable(tf.scalar(plifInitW(this.params.initTau)), true);
    this.fused = false;
  }

  /** Current τ = 1/sigmoid(w) (reads the variable back, asynchronously: webgpu has no synchronous read). */
  async tau(): Promise<number> {
    const k = tf.sigmoid(this.w);
    try {
      return 1 / (await k.data())[0]!;
    } finally {
      k.dispose();
    }
  }

  protected restPotential(): number {
    return this.params.vReset ?? 0;
  }

  protected runMulti(xSeq: tf.Tensor, v0: tf.Tensor): NeuronSeqResult {
    return plifMultiStep(xSeq, v0, this.w, this.params);
  }

  protected runSingle(x: tf.Tensor, v: tf.Tensor): NeuronStepResult {
    return plifStep(x, v, this.w, this.params);
  }

  override parameters(): NamedParameter[] {
    return [{ name: "w", variable: this.w, group: "neuron" }, ...super.parameters()];
  }

  override dispose(): void {
    super.dispose();
    this.w.dispose();
  }
}
