/**
 * Multi-step run of the sequential neurons (IF, LIF, legacy LIF; with or without IMP): the fused
 * kernel where the backend has it, else the op-by-op reference of `base.ts`. Every family file
 * calls {@link runSeqNeuron}; the kernel itself lives in `kernels/` (names, per-backend
 * implementations, gradient, op — see `kernels/kernel-names.ts`).
 *
 * Why fused: the reference path (`referenceMultiStep`) dispatches about 8 small ops per time step
 * forward and as many backward; on wasm each costs ~5 µs of dispatch (toolchain §7.4), so for small
 * N the sequence is dispatch-bound. The fused path runs the whole `[T, N]` sequence as **one** TF.js
 * kernel (`SpikelabSeqNeuron`: x [T, N], v0 [N] → S, V, H [T, N]) and its gradient as **one** kernel
 * (`SpikelabSeqNeuronGrad`: the closed-form BPTT of events-and-parity §1.2, incl. ∂L/∂V0, which is
 * the IMP gradient), on the `cpu`, `wasm` and `webgpu` backends. On other backends, or with a surrogate that
 * has no `spec` (user-defined), {@link runSeqNeuron} takes the reference path.
 */
import { tf } from "../backend/tf.js";
import type { Surrogate } from "../surrogate.js";
import {
  chargeCoefficients, checkConfig, checkSeqInput, initialPotential, referenceMultiStep,
  type NeuronSeqResult, type SeqNeuronConfig,
} from "./base.js";
import { FUSED_BACKENDS } from "./kernels/kernel-names.js";
import { seqNeuronFused } from "./kernels/seq-neuron-op.js";
import { wgslSurrogateSupports } from "./kernels/surrogate-wgsl.js";
import type { SeqKernelAttrs } from "./kernels/seq-neuron.js";

/** Whether the fused path can run this config on the current backend. */
export function fusedAvailable(surrogate: Surrogate): boolean {
  const b = tf.getBackend();
  if (surrogate.spec === undefined || !(FUSED_BACKENDS as readonly string[]).includes(b)) return false;
  return b !== "webgpu" || wgslSurrogateSupports(surrogate.spec.kind);
}

/**
 * The fused multi-step run (same contract as `referenceMultiStep`); throws if unavailable.
 * `v0` may be a number or any tensor broadcastable to `xSeq.shape.slice(1)` (e.g. IMP `[1, C, H, W]`):
 * it is broadcast to the full state first, so the broadcast's gradient sums ∂L/∂V0 over the batch.
 */
export function fusedMultiStep(where: string, xSeq: tf.Tensor, v0: tf.Tensor | number, cfg: SeqNeuronConfig): NeuronSeqResult {
  checkSeqInput(where, xSeq);
  checkConfig(where, cfg);
  if (!fusedAvailable(cfg.surrogate)) {
    throw new Error(`${where}: fused kernel unavailable (backend '${tf.getBackend()}', surrogate ` +
      `${cfg.surrogate.name}${cfg.surrogate.spec ? "" : " without spec"}); expected backend ${FUSED_BACKENDS.join(", ")}`);
  }
  const spec = cfg.surrogate.spec!;
  const T = xSeq.shape[0]!;
  const stateShape = xSeq.shape.slice(1);
  const N = stateShape.reduce((a, d) => a * d, 1);
  const { alpha, beta } = chargeCoefficients(cfg.charge, cfg.tau);
  const attrs = {
    T, N, charge: cfg.charge, tau: cfg.tau, vThreshold: cfg.vThreshold,
    vReset: cfg.vReset ?? Number.NaN, soft: cfg.vReset === null, detachReset: cfg.detachReset,
    tie: cfg.surrogate.tie, sgKind: spec.kind, sgParam: spec.param, alpha, beta,
  } satisfies SeqKernelAttrs;
  return tf.tidy(() => {
    const v0t = tf.reshape(initialPotential(where, v0, stateShape), [N]);
    const x2 = tf.reshape(xSeq, [T, N]);
    const [s, v, h] = seqNeuronFused(x2, v0t, attrs);
    const full = xSeq.shape;
    return {
      spikes: tf.reshape(s, full),
      vSeq: tf.reshape(v, full),
      hSeq: tf.reshape(h, full),
      v: tf.reshape(tf.slice(v, [T - 1, 0], [1, N]), stateShape),
    };
  });
}

/** Fused where available and wanted, else the reference path. */
export function runSeqNeuron(where: string, xSeq: tf.Tensor, v0: tf.Tensor | number, cfg: SeqNeuronConfig, fused = true): NeuronSeqResult {
  if (fused && fusedAvailable(cfg.surrogate)) return fusedMultiStep(where, xSeq, v0, cfg);
  return referenceMultiStep(where, xSeq, v0, cfg);
}
