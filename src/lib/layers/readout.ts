/**
 * Non-spiking leaky-integrator readout (a LIF neuron with an unreachable threshold whose membrane is the
 * output — the "LIF(V_th = 1e9, membrane = output)" of the SNN-delays head and our reading of the
 * mul-free paper's "stateful FC", decision in docs/DECISIONS.md, issue #19). SpikingJelly LIF charge with
 * `decay_input`, v₀ = 0, no reset:
 *
 *   V[t] = (1 − 1/τ)·V[t − 1] + X[t]/τ   ⇔   V[t] = Σ_{s ≤ t} (1/τ)(1 − 1/τ)^{t−s} X[s]
 *
 * The closed form is one matrix product with the lower-triangular `[T, T]` kernel over the time axis,
 * so the readout costs no per-step loop. τ = 1 returns the input; τ → ∞ freezes V at 0.
 */
import { tf } from "../backend/tf.js";
import type { Module } from "./module.js";

/** The `[T, T]` kernel K[t][s] = (1/τ)(1 − 1/τ)^{t−s} for s ≤ t, else 0. */
export function leakyIntegratorKernel(T: number, tau: number): Float32Array {
  if (!(tau >= 1)) throw new Error(`leakyIntegratorKernel: tau must be ≥ 1, got ${tau}`);
  const k = new Float32Array(T * T);
  const decay = 1 - 1 / tau;
  for (let t = 0; t < T; t++) for (let s = 0; s <= t; s++) k[t * T + s] = (1 / tau) * decay ** (t - s);
  return k;
}

/** Membrane of the integrator for x `[T, ...]` (same shape). */
export function leakyIntegratorMultiStep(x: tf.Tensor, tau: number): tf.Tensor {
  return tf.tidy(() => {
    const T = x.shape[0]!;
    const k = tf.tensor2d(leakyIntegratorKernel(T, tau), [T, T]);
    return tf.reshape(tf.matMul(k, tf.reshape(x, [T, -1])), x.shape);
  });
}

/** Module form: stateless between sequences (V₀ = 0 each forward). */
export class LeakyIntegratorReadout implements Module {
  constructor(readonly tau = 2) {
    if (!(tau >= 1)) throw new Error(`LeakyIntegratorReadout: tau must be ≥ 1, got ${tau}`);
  }
  forward(x: tf.Tensor): tf.Tensor {
    return leakyIntegratorMultiStep(x, this.tau);
  }
}
