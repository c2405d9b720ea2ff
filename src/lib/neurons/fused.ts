/**
 * Fused multi-step kernel for the sequential neurons (IF, LIF, legacy LIF; with or without IMP).
 *
 * The reference path (`referenceMultiStep` in `base.ts`) dispatches about 8 small ops per time step
 * forward and as many backward; on wasm each costs ~5 µs of dispatch (toolchain §7.4), so for small
 * N the sequence is dispatch-bound. Here the whole `[T, N]` sequence is **one** TF.js kernel
 * (`SpikelabSeqNeuron`: x [T, N], v0 [N] → S, V, H [T, N]) and its gradient is **one** kernel
 * (`SpikelabSeqNeuronGrad`: the closed-form BPTT of events-and-parity §1.2, incl. ∂L/∂V0, which is
 * the IMP gradient). Both loop over typed arrays (`kernels/seq-neuron.ts`) and are registered with
 * `tf.registerKernel` for the `cpu` and `wasm` backends; the gradient is registered with
 * `tf.registerGradient`, so autodiff (`tf.grad`, `variableGrads`) picks it up like any built-in op.
 * On other backends, or with a surrogate that has no `spec` (user-defined), callers fall back to
 * the reference path.
 */
import { tf } from "../backend/tf.js";
import type { Surrogate } from "../surrogate.js";
import {
  chargeCoefficients, checkConfig, checkSeqInput, initialPotential, referenceMultiStep,
  type NeuronSeqResult, type SeqNeuronConfig,
} from "./base.js";
import { seqNeuronBackward, seqNeuronForward, type SeqKernelAttrs } from "./kernels/seq-neuron.js";

export const SEQ_NEURON_KERNEL = "SpikelabSeqNeuron";
export const SEQ_NEURON_GRAD_KERNEL = "SpikelabSeqNeuronGrad";
/** Backends that have the fused kernels. */
export const FUSED_BACKENDS = ["cpu", "wasm"] as const;

type TensorInfo = { dataId: object; shape: number[]; dtype: string };

/** Minimal views of the two backends' internals that the kernels need. */
interface WasmLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}
interface CpuLike {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/**
 * Run `body` with float32 views of `inputs` and freshly allocated outputs of the given sizes.
 * wasm: outputs are allocated on the heap first (allocation may grow and detach earlier views),
 * then every view is taken; cpu: inputs are the backend's own arrays, outputs are new arrays.
 */
function withArrays(
  backendName: "cpu" | "wasm", backend: unknown, inputs: TensorInfo[], outShapes: number[][],
  body: (ins: Float32Array[], outs: Float32Array[]) => void,
): TensorInfo[] {
  for (const t of inputs) {
    if (t.dtype !== "float32") throw new Error(`${SEQ_NEURON_KERNEL}: inputs must be float32, got ${t.dtype}`);
  }
  if (backendName === "wasm") {
    const b = backend as WasmLike;
    const outs = outShapes.map((s) => b.makeOutput(s, "float32"));
    body(inputs.map((t) => b.typedArrayFromHeap(t)), outs.map((t) => b.typedArrayFromHeap(t)));
    return outs;
  }
  const b = backend as CpuLike;
  const arrs = outShapes.map((s) => new Float32Array(s.reduce((a, d) => a * d, 1)));
  body(inputs.map((t) => b.readSync(t.dataId)), arrs);
  return arrs.map((a, i) => b.makeTensorInfo(outShapes[i]!, "float32", a));
}

function attrsOf(a: Record<string, unknown>): SeqKernelAttrs {
  return a as unknown as SeqKernelAttrs;
}

let registered = false;

/** Register the fused kernels and their gradient (idempotent; called by the first fused run). */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of FUSED_BACKENDS) {
    if (!tf.getKernel(SEQ_NEURON_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SEQ_NEURON_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const a = attrsOf(attrs as Record<string, unknown>);
          const x = inputs.x as unknown as TensorInfo;
          const v0 = inputs.v0 as unknown as TensorInfo;
          const shape = [a.T, a.N];
          return withArrays(backendName, backend, [x, v0], [shape, shape, shape], ([xa, va], [s, v, h]) =>
            seqNeuronForward(a, xa!, va!, s!, v!, h!)) as never;
        },
      });
    }
    if (!tf.getKernel(SEQ_NEURON_GRAD_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SEQ_NEURON_GRAD_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => {
          const a = attrsOf(attrs as Record<string, unknown>);
          const ins = ["gS", "gV", "gH", "h", "s"].map((k) => inputs[k] as unknown as TensorInfo);
          return withArrays(backendName, backend, ins, [[a.T, a.N], [a.N]], ([gS, gV, gH, h, s], [gX, gV0]) =>
            seqNeuronBackward(a, gS!, gV!, gH!, h!, s!, gX!, gV0!)) as never;
        },
      });
    }
  }
  tf.registerGradient({
    kernelName: SEQ_NEURON_KERNEL,
    outputsToSave: [true, false, true], // S, H
    gradFunc: (dys, saved, attrs) => {
      const [gS, gV, gH] = dys as tf.Tensor[];
      const [s, h] = saved;
      const [gX, gV0] = tf.engine().runKernel<tf.Tensor[]>(
        SEQ_NEURON_GRAD_KERNEL, { gS: gS!, gV: gV!, gH: gH!, h: h!, s: s! }, attrs);
      return { x: () => gX!, v0: () => gV0! };
    },
  });
}

/** Whether the fused path can run this config on the current backend. */
export function fusedAvailable(surrogate: Surrogate): boolean {
  const b = tf.getBackend();
  return surrogate.spec !== undefined && (FUSED_BACKENDS as readonly string[]).includes(b);
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
      `${cfg.surrogate.name}${cfg.surrogate.spec ? "" : " without spec"}); expected backend cpu or wasm`);
  }
  registerFusedKernels();
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
    const [s, v, h] = tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_KERNEL, { x: x2, v0: v0t }, attrs as never);
    const full = xSeq.shape;
    return {
      spikes: tf.reshape(s!, full),
      vSeq: tf.reshape(v!, full),
      hSeq: tf.reshape(h!, full),
      v: tf.reshape(tf.slice(v!, [T - 1, 0], [1, N]), stateShape),
    };
  });
}

/** Fused where available and wanted, else the reference path. */
export function runSeqNeuron(where: string, xSeq: tf.Tensor, v0: tf.Tensor | number, cfg: SeqNeuronConfig, fused = true): NeuronSeqResult {
  if (fused && fusedAvailable(cfg.surrogate)) return fusedMultiStep(where, xSeq, v0, cfg);
  return referenceMultiStep(where, xSeq, v0, cfg);
}
