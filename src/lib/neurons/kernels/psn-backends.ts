/**
 * The fused PSN kernels: S = Θ(W·X + b) forward and its gradient, on `wasm` as generated WebAssembly
 * SIMD (`psn-simd.ts`) run in place on the backend's heap by byte offset, on `webgpu` as WGSL compute
 * programs (`psn-webgpu.ts`). Kernel names in `kernel-names.ts`, op and gradient in `psn-op.ts`.
 */
import { tf } from "../../backend/tf.js";
import { checkFloat32, wasmHeapMemory, type TensorInfo, type WasmHeap } from "../../backend/wasm-heap.js";
import { PSN_GRAD_KERNEL, PSN_KERNEL } from "./kernel-names.js";
import { PSN_PACK_COLUMNS, psnChunkBytes, psnSimdKernels, type PsnSimdAttrs } from "./psn-simd.js";
import { psnWebGpuBackward, psnWebGpuForward } from "./psn-webgpu.js";

export interface PsnKernelAttrs extends PsnSimdAttrs {
  N: number;
}

function psnKernels(backend: unknown, a: PsnKernelAttrs) {
  const mem = wasmHeapMemory(backend);
  const k = mem ? psnSimdKernels(mem, a) : null;
  if (!k) throw new Error(`${PSN_KERNEL}: the wasm SIMD kernels are unavailable (check psnFusedAvailable first)`);
  return k;
}

/** x [T, N], w [T, T], b [T, 1] → S, H [T, N] (psn-simd.ts `fwd`). */
function psnForwardKernel(backend: unknown, x: TensorInfo, w: TensorInfo, b: TensorInfo, a: PsnKernelAttrs): TensorInfo[] {
  checkFloat32(PSN_KERNEL, [x, w, b]);
  const k = psnKernels(backend, a);
  const wb = backend as WasmHeap;
  const s = wb.makeOutput([a.T, a.N], "float32"), h = wb.makeOutput([a.T, a.N], "float32");
  const scratch = wb.makeOutput([a.T, PSN_PACK_COLUMNS], "float32");
  try {
    const off = (t: TensorInfo) => wb.getMemoryOffset(t.dataId);
    k.fwd(off(w), off(b), off(x), off(h), off(s), a.N, off(scratch));
  } finally {
    wb.disposeData(scratch.dataId);
  }
  return [s, h];
}

/** gS, h, x [T, N], w [T, T] → ∂L/∂x [T, N], ∂L/∂w [T, T], ∂L/∂b [T, 1]. */
function psnBackwardKernel(backend: unknown, gS: TensorInfo, h: TensorInfo, x: TensorInfo, w: TensorInfo, a: PsnKernelAttrs): TensorInfo[] {
  checkFloat32(PSN_GRAD_KERNEL, [gS, h, x, w]);
  const k = psnKernels(backend, a);
  const wb = backend as WasmHeap;
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

let registered = false;

/** Each backend's forward and backward implementation of the two PSN kernels. */
const PSN_IMPLEMENTATIONS = {
  wasm: { forward: psnForwardKernel, backward: psnBackwardKernel },
  webgpu: { forward: psnWebGpuForward, backward: psnWebGpuBackward },
} as const;

/** Register the two PSN kernels for wasm and webgpu (idempotent; called by the first fused PSN run). */
export function registerPsnKernels(): void {
  if (registered) return;
  registered = true;
  for (const [backendName, impl] of Object.entries(PSN_IMPLEMENTATIONS)) {
    if (!tf.getKernel(PSN_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: PSN_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => impl.forward(backend as never, inputs.x as unknown as TensorInfo,
          inputs.w as unknown as TensorInfo, inputs.b as unknown as TensorInfo, attrs as unknown as PsnKernelAttrs) as never,
      });
    }
    if (!tf.getKernel(PSN_GRAD_KERNEL, backendName)) {
      tf.registerKernel({
        kernelName: PSN_GRAD_KERNEL,
        backendName,
        kernelFunc: ({ inputs, backend, attrs }) => impl.backward(backend as never, inputs.gS as unknown as TensorInfo,
          inputs.h as unknown as TensorInfo, inputs.x as unknown as TensorInfo, inputs.w as unknown as TensorInfo,
          attrs as unknown as PsnKernelAttrs) as never,
      });
    }
  }
}
