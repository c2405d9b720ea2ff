/**
 * Generic cpu-copy fallback (toolchain §7.2), for RARE ops only.
 *
 * The kernel copies its inputs from the wasm heap to the pure-JS cpu backend, runs the cpu
 * kernel there, and copies the outputs back. Results are exactly the cpu backend's; the cost is
 * two copies plus the slow cpu kernel, so it is registered only for ops that are missing on wasm
 * and seldom on a hot path: `UnsortedSegmentSum` (the gradient of `gather`, e.g. embeddings or
 * Adam on gathered variables, tensorflow/tfjs#8082). Everything conv-related is composed from
 * wasm kernels instead (see the sibling files).
 */
import { tf } from "../tf.js";
import type { KernelArgs, TensorInfo } from "./compose.js";

export function cpuCopyFallback(kernelName: string) {
  return function cpuFallback({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo | TensorInfo[] {
    const cpuKernel = tf.getKernel(kernelName, "cpu");
    if (cpuKernel == null) throw new Error(`wasm-kernels: cpu fallback for '${kernelName}' found no cpu kernel`);
    const cpu = tf.findBackend("cpu");
    if (cpu == null) throw new Error(`wasm-kernels: cpu fallback for '${kernelName}' could not start the cpu backend`);
    const copied: TensorInfo[] = [];
    const cpuInputs: Record<string, TensorInfo> = {};
    try {
      for (const [k, t] of Object.entries(inputs)) {
        if (t == null) continue;
        const info: TensorInfo = { dataId: cpu.write(backend.readSync(t.dataId), t.shape, t.dtype), shape: t.shape, dtype: t.dtype };
        copied.push(info);
        cpuInputs[k] = info;
      }
      const out = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: attrs as tf.NamedAttrMap });
      const outs = Array.isArray(out) ? out : [out];
      copied.push(...outs);
      const back = outs.map((o) => ({
        dataId: backend.write(cpu.readSync(o.dataId), o.shape, o.dtype), shape: o.shape, dtype: o.dtype,
      }));
      return Array.isArray(out) ? back : back[0]!;
    } finally {
      for (const t of copied) cpu.disposeData(t.dataId);
    }
  };
}
