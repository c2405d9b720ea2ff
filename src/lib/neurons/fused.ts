/**
 * Fused multi-step kernels: the sequential neurons (IF, LIF, legacy LIF; with or without IMP) and PSN.
 *
 * The reference path (`referenceMultiStep` in `base.ts`) dispatches about 8 small ops per time step
 * forward and as many backward; on wasm each costs ~5 µs of dispatch (toolchain §7.4), so for small
 * N the sequence is dispatch-bound. Here the whole `[T, N]` sequence is **one** TF.js kernel
 * (`SpikelabSeqNeuron`: x [T, N], v0 [N] → S, V, H [T, N]) and its gradient is **one** kernel
 * (`SpikelabSeqNeuronGrad`: the closed-form BPTT of events-and-parity §1.2, incl. ∂L/∂V0, which is
 * the IMP gradient), registered with `tf.registerKernel` for the `cpu` and `wasm` backends.
 *
 * Where the time goes, and what each backend runs (T = 16, N = 2^16, forward + backward):
 * - wasm: generated WebAssembly SIMD loops (`kernels/seq-neuron-simd.ts`) run in place on the
 *   backend's heap, by byte offset — no copies, ~1 ms each way. The typed-array JS cores
 *   (`kernels/seq-neuron.ts`) took ~15–25 ms each way: float64 arithmetic with a `Math.fround` per op,
 *   a data-dependent branch per spike and three float32 stores per element. The JS cores remain for
 *   the cpu backend and where the heap cannot be imported (threaded wasm with a shared memory) or
 *   the engine lacks wasm SIMD.
 * - Autodiff goes through three single-output `tf.customGrad` nodes (spikes, V, H; `fusedOutputs`),
 *   so an output that does not reach the loss costs nothing in the backward pass (a three-output
 *   node made TF.js build two [T, N] zero gradients in JS and copy them in, every step).
 * - On wasm, `tf.clone` (run by the engine for every tensor a node saves), same-dtype `Cast` and
 *   `Slice` used to copy whole tensors; `backend/wasm-kernels.ts` makes them copy-free.
 * On other backends, or with a surrogate that has no `spec` (user-defined), callers fall back to
 * the reference path.
 *
 * PSN (`psnFused`, bottom of this file): S = Θ(W·X + b) as one wasm SIMD kernel each way
 * (`kernels/psn-simd.ts`), used by `psn.ts` `psnForward` on wasm; elsewhere the op path.
 */
import { tf } from "../backend/tf.js";
import type { Surrogate } from "../surrogate.js";
import {
  chargeCoefficients, checkConfig, checkSeqInput, initialPotential, referenceMultiStep,
  type NeuronSeqResult, type SeqNeuronConfig,
} from "./base.js";
import { seqNeuronBackward, seqNeuronForward, type SeqKernelAttrs } from "./kernels/seq-neuron.js";
import { seqSimdBackward, seqSimdForward } from "./kernels/seq-neuron-simd.js";
import { PSN_PACK_COLUMNS, psnChunkBytes, psnSimdKernels, psnSimdSupports, type PsnSimdAttrs } from "./kernels/psn-simd.js";

export const SEQ_NEURON_KERNEL = "SpikelabSeqNeuron";
export const SEQ_NEURON_GRAD_KERNEL = "SpikelabSeqNeuronGrad";
/** Backends that have the fused kernels. */
export const FUSED_BACKENDS = ["cpu", "wasm"] as const;

type TensorInfo = { dataId: object; shape: number[]; dtype: string };

/** Minimal views of the two backends' internals that the kernels need. */
interface WasmLike {
  makeOutput(shape: number[], dtype: string): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  /** Byte offset of a tensor's data in the wasm heap (a public method of `BackendWasm`). */
  getMemoryOffset(dataId: object): number;
  /** The Emscripten module; `asm.memory` (newer Emscripten: `wasmExports.memory`) is the heap's `WebAssembly.Memory`. */
  wasm?: { asm?: { memory?: unknown }; wasmExports?: { memory?: unknown }; wasmMemory?: unknown };
}
interface CpuLike {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/**
 * The wasm backend's heap as a `WebAssembly.Memory` the generated SIMD kernels can import, or
 * null (not exposed, or a shared memory of the threaded build, which would need a shared import).
 */
export function wasmHeapMemory(backend: unknown): WebAssembly.Memory | null {
  const b = backend as WasmLike;
  const m = b.wasm?.asm?.memory ?? b.wasm?.wasmExports?.memory ?? b.wasm?.wasmMemory;
  if (typeof WebAssembly !== "object" || !(m instanceof WebAssembly.Memory)) return null;
  if (typeof SharedArrayBuffer !== "undefined" && m.buffer instanceof SharedArrayBuffer) return null;
  if (typeof b.getMemoryOffset !== "function") return null;
  return m;
}

/**
 * Run `body` with float32 views of `inputs` (null for an absent optional input) and freshly
 * allocated outputs of the given sizes. wasm: outputs are allocated on the heap first (allocation
 * may grow and detach earlier views), then every view is taken; cpu: inputs are the backend's own
 * arrays, outputs are new arrays.
 */
function withArrays(
  backendName: "cpu" | "wasm", backend: unknown, inputs: Array<TensorInfo | undefined>, outShapes: number[][],
  body: (ins: Array<Float32Array | null>, outs: Float32Array[]) => void,
): TensorInfo[] {
  checkFloat32(inputs);
  if (backendName === "wasm") {
    const b = backend as WasmLike;
    const outs = outShapes.map((s) => b.makeOutput(s, "float32"));
    body(inputs.map((t) => (t ? b.typedArrayFromHeap(t) : null)), outs.map((t) => b.typedArrayFromHeap(t)));
    return outs;
  }
  const b = backend as CpuLike;
  const arrs = outShapes.map((s) => new Float32Array(s.reduce((a, d) => a * d, 1)));
  body(inputs.map((t) => (t ? b.readSync(t.dataId) : null)), arrs);
  return arrs.map((a, i) => b.makeTensorInfo(outShapes[i]!, "float32", a));
}

function checkFloat32(inputs: Array<TensorInfo | undefined>): void {
  for (const t of inputs) {
    if (t && t.dtype !== "float32") throw new Error(`${SEQ_NEURON_KERNEL}: inputs must be float32, got ${t.dtype}`);
  }
}

function attrsOf(a: Record<string, unknown>): SeqKernelAttrs {
  return a as unknown as SeqKernelAttrs;
}

type GradName = "gS" | "gV" | "gH";
const GRAD_NAMES: readonly GradName[] = ["gS", "gV", "gH"];

/** Forward kernel: x [T, N], v0 [N] → S, V, H [T, N]. */
function forwardKernel(backendName: "cpu" | "wasm", backend: unknown, x: TensorInfo, v0: TensorInfo, a: SeqKernelAttrs): TensorInfo[] {
  const shape = [a.T, a.N];
  const mem = backendName === "wasm" ? wasmHeapMemory(backend) : null;
  const simd = mem ? seqSimdForward(mem, a) : null;
  if (simd) {
    // In place on the heap: the generated kernel reads x, v0 and writes S, V, H by byte offset.
    checkFloat32([x, v0]);
    const b = backend as WasmLike;
    const [s, v, h] = [0, 1, 2].map(() => b.makeOutput(shape, "float32")) as [TensorInfo, TensorInfo, TensorInfo];
    const off = (t: TensorInfo) => b.getMemoryOffset(t.dataId);
    simd(off(x), off(v0), off(s), off(v), off(h), a.T, a.N);
    return [s, v, h];
  }
  return withArrays(backendName, backend, [x, v0], [shape, shape, shape], ([xa, va], [s, v, h]) =>
    seqNeuronForward(a, xa!, va!, s!, v!, h!));
}

/**
 * Backward kernel: h [T, N] and any of the upstream gradients gS, gV, gH [T, N] (an absent one is
 * zero; an optional `s` is used by the JS core when given, else recomputed from h) → gX [T, N], gV0 [N].
 */
function backwardKernel(backendName: "cpu" | "wasm", backend: unknown, inputs: Record<string, TensorInfo | undefined>, a: SeqKernelAttrs): TensorInfo[] {
  const h = inputs.h;
  if (!h) throw new Error(`${SEQ_NEURON_GRAD_KERNEL}: input h (H before reset) is required`);
  const has = { gS: inputs.gS !== undefined, gV: inputs.gV !== undefined, gH: inputs.gH !== undefined };
  const mem = backendName === "wasm" ? wasmHeapMemory(backend) : null;
  const simd = mem ? seqSimdBackward(mem, a, has) : null;
  if (simd) {
    checkFloat32([h, inputs.gS, inputs.gV, inputs.gH]);
    const b = backend as WasmLike;
    const gX = b.makeOutput([a.T, a.N], "float32"), gV0 = b.makeOutput([a.N], "float32");
    b.typedArrayFromHeap(gV0).fill(0); // the carry g_H[T] = 0
    const off = (t: TensorInfo | undefined) => (t ? b.getMemoryOffset(t.dataId) : 0);
    simd(off(h), off(inputs.gS), off(inputs.gV), off(inputs.gH), off(gX), off(gV0), a.T, a.N);
    return [gX, gV0];
  }
  const ins = [...GRAD_NAMES.map((k) => inputs[k]), h, inputs.s];
  return withArrays(backendName, backend, ins, [[a.T, a.N], [a.N]], ([gS, gV, gH, hh, s], [gX, gV0]) =>
    seqNeuronBackward(a, gS ?? null, gV ?? null, gH ?? null, hh!, s ?? null, gX!, gV0!));
}

let registered = false;

/** Register the fused kernels and the raw kernel's gradient (idempotent; called by the first fused run). */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of FUSED_BACKENDS) {
    if (!tf.getKernel(SEQ_NEURON_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SEQ_NEURON_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => forwardKernel(backendName, backend,
          inputs.x as unknown as TensorInfo, inputs.v0 as unknown as TensorInfo, attrsOf(attrs as Record<string, unknown>)) as never,
      });
    }
    if (!tf.getKernel(SEQ_NEURON_GRAD_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SEQ_NEURON_GRAD_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => backwardKernel(backendName, backend,
          inputs as unknown as Record<string, TensorInfo | undefined>, attrsOf(attrs as Record<string, unknown>)) as never,
      });
    }
  }
  // For callers that run SEQ_NEURON_KERNEL directly on a tape (fusedMultiStep does not, see fusedOutputs).
  tf.registerGradient({
    kernelName: SEQ_NEURON_KERNEL,
    outputsToSave: [false, false, true], // H (S is recomputed from it)
    gradFunc: (dys, saved, attrs) => {
      const [gS, gV, gH] = dys as tf.Tensor[];
      const [gX, gV0] = tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_GRAD_KERNEL, { gS: gS!, gV: gV!, gH: gH!, h: saved[0]! }, attrs);
      return { x: () => gX!, v0: () => gV0! };
    },
  });
}

/**
 * S, V, H of one fused run, as three single-output tape nodes over the same inputs (x, v0).
 *
 * Why not one three-output node: TF.js materialises a zero tensor for every output of a node that
 * does not reach the loss (`makeZerosTypedArray` + a copy into the backend, per backward pass), so a
 * loss on the spikes alone would pay two [T, N] zero tensors and a backward that reads them. Here
 * the kernel runs once, untaped, inside the spike node's `customGrad`; V and H are handed out by two
 * pass-through nodes. Each node's gradient is the closed-form BPTT with only its own upstream
 * gradient (g_H[t] = gS·σ′ + …, = (gV + …)·ψ, = gH + …): the recurrence is linear in (gS, gV, gH),
 * so when several outputs carry gradient the engine's sum of the node gradients is the full BPTT.
 * All three nodes save H (a reference, not a copy, on cpu and with spikelab's wasm Identity).
 */
function fusedOutputs(x: tf.Tensor, v0: tf.Tensor, attrs: SeqKernelAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  const gradOf = (name: GradName) => (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] =>
    tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_GRAD_KERNEL, { [name]: dy, h: saved[0]! }, attrs as never);
  let side: tf.Tensor[] = [];
  const spikeOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [s, v, h] = tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_KERNEL, { x: args[0] as tf.Tensor, v0: args[1] as tf.Tensor }, attrs as never);
    (args[2] as tf.GradSaveFunc)([h!]);
    side = [tf.keep(v!), tf.keep(h!)]; // escape the customGrad forward's scope; disposed below
    return { value: s!, gradFunc: gradOf("gS") };
  });
  try {
    const s = spikeOp(x, v0);
    const [vKept, hKept] = side as [tf.Tensor, tf.Tensor];
    const pass = (t: tf.Tensor, name: GradName) => tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      (args[2] as tf.GradSaveFunc)([hKept]);
      return { value: tf.clone(t), gradFunc: gradOf(name) };
    })(x, v0);
    return [s, pass(vKept, "gV"), pass(hKept, "gH")];
  } finally {
    tf.dispose(side);
  }
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
    const [s, v, h] = fusedOutputs(x2, v0t, attrs);
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

// ---- fused PSN (wasm SIMD) ------------------------------------------------------------------------

export const PSN_KERNEL = "SpikelabPSN";
export const PSN_GRAD_KERNEL = "SpikelabPSNGrad";

interface PsnKernelAttrs extends PsnSimdAttrs {
  N: number;
}

function psnKernels(backend: unknown, a: PsnKernelAttrs) {
  const mem = wasmHeapMemory(backend);
  const k = mem ? psnSimdKernels(mem, a) : null;
  if (!k) throw new Error(`${PSN_KERNEL}: the wasm SIMD kernels are unavailable (check psnFusedAvailable first)`);
  return k;
}

/** x [T, N], w [T, T], b [T, 1] → S, H [T, N] (kernels/psn-simd.ts `fwd`). */
function psnForwardKernel(backend: unknown, x: TensorInfo, w: TensorInfo, b: TensorInfo, a: PsnKernelAttrs): TensorInfo[] {
  checkFloat32([x, w, b]);
  const k = psnKernels(backend, a);
  const wb = backend as WasmLike;
  const s = wb.makeOutput([a.T, a.N], "float32"), h = wb.makeOutput([a.T, a.N], "float32");
  const scratch = wb.makeOutput([a.T, PSN_PACK_COLUMNS], "float32");
  try {
    const off = (t: TensorInfo) => wb.getMemoryOffset(t.dataId);
    k.fwd(off(w), off(b), off(x), off(h), off(s), a.N, off(scratch));
  } finally {
    (wb as WasmLike & { disposeData(dataId: object): boolean }).disposeData(scratch.dataId);
  }
  return [s, h];
}

/** gS, h, x [T, N], w [T, T] → ∂L/∂x [T, N], ∂L/∂w [T, T], ∂L/∂b [T, 1]. */
function psnBackwardKernel(backend: unknown, gS: TensorInfo, h: TensorInfo, x: TensorInfo, w: TensorInfo, a: PsnKernelAttrs): TensorInfo[] {
  checkFloat32([gS, h, x, w]);
  const k = psnKernels(backend, a);
  const wb = backend as WasmLike & { disposeData(dataId: object): boolean };
  const gX = wb.makeOutput([a.T, a.N], "float32"), gW = wb.makeOutput([a.T, a.T], "float32"), gB = wb.makeOutput([a.T, 1], "float32");
  const gH = wb.makeOutput([a.T, a.N], "float32"); // scratch: gS ⊙ σ′(H)
  const scratch = wb.makeOutput([a.T, PSN_PACK_COLUMNS], "float32");
  try {
    wb.typedArrayFromHeap(gW).fill(0);
    const off = (t: TensorInfo) => wb.getMemoryOffset(t.dataId);
    k.gh(off(gS), off(h), off(gH), off(gB), a.N);
    k.dx(off(w), 0, off(gH), off(gX), 0, a.N, off(scratch));
    k.dw(off(gH), off(x), off(gW), a.N, psnChunkBytes(a.T));
  } finally {
    wb.disposeData(gH.dataId);
    wb.disposeData(scratch.dataId);
  }
  return [gX, gW, gB];
}

let psnRegistered = false;

function registerPsnKernels(): void {
  if (psnRegistered) return;
  psnRegistered = true;
  if (!tf.getKernel(PSN_KERNEL, "wasm")) {
    tf.registerKernel({
      kernelName: PSN_KERNEL,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => psnForwardKernel(backend, inputs.x as unknown as TensorInfo,
        inputs.w as unknown as TensorInfo, inputs.b as unknown as TensorInfo, attrs as unknown as PsnKernelAttrs) as never,
    });
  }
  if (!tf.getKernel(PSN_GRAD_KERNEL, "wasm")) {
    tf.registerKernel({
      kernelName: PSN_GRAD_KERNEL,
      backendName: "wasm",
      kernelFunc: ({ inputs, backend, attrs }) => psnBackwardKernel(backend, inputs.gS as unknown as TensorInfo,
        inputs.h as unknown as TensorInfo, inputs.x as unknown as TensorInfo, inputs.w as unknown as TensorInfo,
        attrs as unknown as PsnKernelAttrs) as never,
    });
  }
}

/**
 * Whether {@link psnFused} can run: the wasm backend with its heap importable, wasm SIMD, and a
 * built-in surrogate (one with a `spec`; user-made ones have no g′ the kernel could evaluate).
 */
export function psnFusedAvailable(surrogate: Surrogate): boolean {
  const spec = surrogate.spec;
  if (spec === undefined || tf.getBackend() !== "wasm" || !psnSimdSupports(spec.kind)) return false;
  return wasmHeapMemory(tf.backend()) !== null;
}

/**
 * Fused PSN on x [T, N]: S = Θ(W·X + b) as one kernel forward and one backward (kernels/psn-simd.ts),
 * autodiff through `tf.customGrad` (gradients to x, weight [T, T] and bias [T, 1]). The node saves H
 * (for σ′), x and W; throws if {@link psnFusedAvailable} is false.
 */
export function psnFused(x: tf.Tensor2D, weight: tf.Tensor2D, bias: tf.Tensor2D, surrogate: Surrogate): tf.Tensor2D {
  if (!psnFusedAvailable(surrogate)) throw new Error(`psnFused: unavailable on backend '${tf.getBackend()}' with ${surrogate.name}`);
  const [T, N] = x.shape;
  if (weight.shape[0] !== T || weight.shape[1] !== T || bias.shape[0] !== T || bias.shape[1] !== 1) {
    throw new Error(`psnFused: expected weight [${T}, ${T}] and bias [${T}, 1] for x [${T}, ${N}], got [${weight.shape}] and [${bias.shape}]`);
  }
  registerPsnKernels();
  const attrs: PsnKernelAttrs = { T, N, tie: surrogate.tie, sgKind: surrogate.spec!.kind, sgParam: surrogate.spec!.param };
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xx, ww, bb] = args as [tf.Tensor, tf.Tensor, tf.Tensor];
    const [s, h] = tf.engine().runKernel<tf.Tensor[]>(PSN_KERNEL, { x: xx, w: ww, b: bb }, attrs as never);
    (args[3] as tf.GradSaveFunc)([h!, xx, ww]);
    return {
      value: s!,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) =>
        tf.engine().runKernel<tf.Tensor[]>(PSN_GRAD_KERNEL, { gS: dy, h: saved[0]!, x: saved[1]!, w: saved[2]! }, attrs as never),
    };
  });
  return op(x, weight, bias) as tf.Tensor2D;
}
