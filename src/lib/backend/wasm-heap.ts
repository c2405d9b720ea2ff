/**
 * Access to the backends' tensor storage for spikelab's own kernels: the one place that knows the
 * internals of TF.js 4.22's `BackendWasm` (its Emscripten heap) and `MathBackendCPU`.
 *
 * - {@link WasmHeap}: the methods of `BackendWasm` the kernels call (allocate an output on the heap,
 *   view a tensor's bytes, its byte offset, reference counting).
 * - {@link wasmHeapMemory}: the heap as a `WebAssembly.Memory` that generated wasm kernels can import.
 * - {@link withFloat32Arrays}: run a typed-array core on float32 views of a kernel's inputs and new
 *   outputs, on either backend.
 */
import type { tf } from "./tf.js";

export type TensorInfo = tf.TensorInfo;

/** The parts of `BackendWasm` spikelab's kernels use (all public methods of the class). */
export interface WasmHeap {
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: string): TensorInfo;
  /** A view of the tensor's data on the heap (detached by a later allocation that grows the heap). */
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array;
  /** Byte offset of a tensor's data in the wasm heap. */
  getMemoryOffset(dataId: object): number;
  disposeData(dataId: object): boolean;
  /** The Emscripten module; `asm.memory` (newer Emscripten: `wasmExports.memory`) is the heap's `WebAssembly.Memory`. */
  wasm?: { asm?: { memory?: unknown }; wasmExports?: { memory?: unknown }; wasmMemory?: unknown };
}

/** The parts of `MathBackendCPU` spikelab's kernels use. */
export interface CpuStore {
  readSync(dataId: object): Float32Array;
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/** Backends with a float32 view of their storage (what {@link withFloat32Arrays} supports). */
export type ArrayBackendName = "cpu" | "wasm";

/**
 * The wasm backend's heap as a `WebAssembly.Memory` the generated SIMD kernels can import, or
 * null (not exposed, or a shared memory of the threaded build, which would need a shared import).
 */
export function wasmHeapMemory(backend: unknown): WebAssembly.Memory | null {
  const b = backend as WasmHeap;
  const m = b.wasm?.asm?.memory ?? b.wasm?.wasmExports?.memory ?? b.wasm?.wasmMemory;
  if (typeof WebAssembly !== "object" || !(m instanceof WebAssembly.Memory)) return null;
  if (typeof SharedArrayBuffer !== "undefined" && m.buffer instanceof SharedArrayBuffer) return null;
  if (typeof b.getMemoryOffset !== "function") return null;
  return m;
}

/** Throw unless every given input is float32 (`kernel` names the kernel in the message). */
export function checkFloat32(kernel: string, inputs: Array<TensorInfo | undefined>): void {
  for (const t of inputs) {
    if (t && t.dtype !== "float32") throw new Error(`${kernel}: inputs must be float32, got ${t.dtype}`);
  }
}

/**
 * Run `body` with float32 views of `inputs` (null for an absent optional input) and freshly
 * allocated outputs of the given sizes. wasm: outputs are allocated on the heap first (allocation
 * may grow and detach earlier views), then every view is taken; cpu: inputs are the backend's own
 * arrays, outputs are new arrays.
 */
export function withFloat32Arrays(
  kernel: string, backendName: ArrayBackendName, backend: unknown, inputs: Array<TensorInfo | undefined>, outShapes: number[][],
  body: (ins: Array<Float32Array | null>, outs: Float32Array[]) => void,
): TensorInfo[] {
  checkFloat32(kernel, inputs);
  if (backendName === "wasm") {
    const b = backend as WasmHeap;
    const outs = outShapes.map((s) => b.makeOutput(s, "float32"));
    const view = (t: TensorInfo) => b.typedArrayFromHeap(t) as Float32Array;
    body(inputs.map((t) => (t ? view(t) : null)), outs.map(view));
    return outs;
  }
  const b = backend as CpuStore;
  const arrs = outShapes.map((s) => new Float32Array(s.reduce((a, d) => a * d, 1)));
  body(inputs.map((t) => (t ? b.readSync(t.dataId) : null)), arrs);
  return arrs.map((a, i) => b.makeTensorInfo(outShapes[i]!, "float32", a));
}
