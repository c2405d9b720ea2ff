/**
 * The fused sequential-neuron kernels on the `cpu` and `wasm` backends (kernel names in
 * `kernel-names.ts`, gradient in `seq-neuron-grad.ts`, op in `seq-neuron-op.ts`).
 *
 * - wasm: generated WebAssembly SIMD loops (`seq-neuron-simd.ts`) run in place on the backend's
 *   heap, by byte offset — no copies, ~1 ms each way at T = 16, N = 2^16. The typed-array JS cores
 *   (`seq-neuron.ts`) took ~15–25 ms each way: float64 arithmetic with a `Math.fround` per op, a
 *   data-dependent branch per spike and three float32 stores per element.
 * - cpu, and wasm where the heap cannot be imported (threaded wasm with a shared memory) or the
 *   engine lacks wasm SIMD: the JS cores on float32 views (`withFloat32Arrays`).
 * - webgpu: WGSL compute programs (`seq-neuron-webgpu.ts`), one thread per neuron.
 */
import { tf } from "../../backend/tf.js";
import { checkFloat32, wasmHeapMemory, withFloat32Arrays, type ArrayBackendName, type TensorInfo, type WasmHeap } from "../../backend/wasm-heap.js";
import { FUSED_BACKENDS, SEQ_NEURON_GRAD_KERNEL, SEQ_NEURON_KERNEL } from "./kernel-names.js";
import { registerSeqNeuronGradient, type GradName } from "./seq-neuron-grad.js";
import { seqNeuronBackward, seqNeuronForward, type SeqKernelAttrs } from "./seq-neuron.js";
import { seqSimdBackward, seqSimdForward } from "./seq-neuron-simd.js";
import { seqWebGpuBackward, seqWebGpuForward } from "./seq-neuron-webgpu.js";

const GRAD_NAMES: readonly GradName[] = ["gS", "gV", "gH"];

/** Forward kernel: x [T, N], v0 [N] → S, V, H [T, N]. */
function forwardKernel(backendName: ArrayBackendName, backend: unknown, x: TensorInfo, v0: TensorInfo, a: SeqKernelAttrs): TensorInfo[] {
  const shape = [a.T, a.N];
  const mem = backendName === "wasm" ? wasmHeapMemory(backend) : null;
  const simd = mem ? seqSimdForward(mem, a) : null;
  if (simd) {
    // In place on the heap: the generated kernel reads x, v0 and writes S, V, H by byte offset.
    checkFloat32(SEQ_NEURON_KERNEL, [x, v0]);
    const b = backend as WasmHeap;
    const [s, v, h] = [0, 1, 2].map(() => b.makeOutput(shape, "float32")) as [TensorInfo, TensorInfo, TensorInfo];
    const off = (t: TensorInfo) => b.getMemoryOffset(t.dataId);
    simd(off(x), off(v0), off(s), off(v), off(h), a.T, a.N);
    return [s, v, h];
  }
  return withFloat32Arrays(SEQ_NEURON_KERNEL, backendName, backend, [x, v0], [shape, shape, shape], ([xa, va], [s, v, h]) =>
    seqNeuronForward(a, xa!, va!, s!, v!, h!));
}

/**
 * Backward kernel: h [T, N] and any of the upstream gradients gS, gV, gH [T, N] (an absent one is
 * zero; an optional `s` is used by the JS core when given, else recomputed from h) → gX [T, N], gV0 [N].
 */
function backwardKernel(backendName: ArrayBackendName, backend: unknown, inputs: Record<string, TensorInfo | undefined>, a: SeqKernelAttrs): TensorInfo[] {
  const h = inputs.h;
  if (!h) throw new Error(`${SEQ_NEURON_GRAD_KERNEL}: input h (H before reset) is required`);
  const has = { gS: inputs.gS !== undefined, gV: inputs.gV !== undefined, gH: inputs.gH !== undefined };
  const mem = backendName === "wasm" ? wasmHeapMemory(backend) : null;
  const simd = mem ? seqSimdBackward(mem, a, has) : null;
  if (simd) {
    checkFloat32(SEQ_NEURON_KERNEL, [h, inputs.gS, inputs.gV, inputs.gH]);
    const b = backend as WasmHeap;
    const gX = b.makeOutput([a.T, a.N], "float32"), gV0 = b.makeOutput([a.N], "float32");
    b.typedArrayFromHeap(gV0).fill(0); // the carry g_H[T] = 0
    const off = (t: TensorInfo | undefined) => (t ? b.getMemoryOffset(t.dataId) : 0);
    simd(off(h), off(inputs.gS), off(inputs.gV), off(inputs.gH), off(gX), off(gV0), a.T, a.N);
    return [gX, gV0];
  }
  const ins = [...GRAD_NAMES.map((k) => inputs[k]), h, inputs.s];
  return withFloat32Arrays(SEQ_NEURON_KERNEL, backendName, backend, ins, [[a.T, a.N], [a.N]], ([gS, gV, gH, hh, s], [gX, gV0]) =>
    seqNeuronBackward(a, gS ?? null, gV ?? null, gH ?? null, hh!, s ?? null, gX!, gV0!));
}

function attrsOf(a: unknown): SeqKernelAttrs {
  return a as SeqKernelAttrs;
}

let registered = false;

/** Register the fused kernels and the raw kernel's gradient (idempotent; called by the first fused run). */
export function registerFusedKernels(): void {
  if (registered) return;
  registered = true;
  for (const backendName of FUSED_BACKENDS) {
    if (backendName === "webgpu") continue;
    if (!tf.getKernel(SEQ_NEURON_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SEQ_NEURON_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => forwardKernel(backendName, backend,
          inputs.x as unknown as TensorInfo, inputs.v0 as unknown as TensorInfo, attrsOf(attrs)) as never,
      });
    }
    if (!tf.getKernel(SEQ_NEURON_GRAD_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: SEQ_NEURON_GRAD_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => backwardKernel(backendName, backend,
          inputs as unknown as Record<string, TensorInfo | undefined>, attrsOf(attrs)) as never,
      });
    }
  }
  if (!tf.getKernel(SEQ_NEURON_KERNEL, "webgpu")) {
    tf.registerKernel({
      kernelName: SEQ_NEURON_KERNEL,
      backendName: "webgpu",
      kernelFunc: ({ inputs, backend, attrs }) => seqWebGpuForward(backend,
        inputs.x as unknown as TensorInfo, inputs.v0 as unknown as TensorInfo, attrsOf(attrs)) as never,
    });
  }
  if (!tf.getKernel(SEQ_NEURON_GRAD_KERNEL, "webgpu")) {
    tf.registerKernel({
      kernelName: SEQ_NEURON_GRAD_KERNEL,
      backendName: "webgpu",
      kernelFunc: ({ inputs, backend, attrs }) => {
        if (!inputs.h) throw new Error(`${SEQ_NEURON_GRAD_KERNEL}: input h (H before reset) is required`);
        return seqWebGpuBackward(backend, inputs as unknown as Record<string, TensorInfo | undefined>, attrsOf(attrs)) as never;
      },
    });
  }
  registerSeqNeuronGradient();
}
