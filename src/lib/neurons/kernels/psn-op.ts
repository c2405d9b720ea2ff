/**
 * The fused PSN op on x [T, N]: S = Θ(W·X + b) as one kernel each way (wasm SIMD or WGSL), used by
 * `psn.ts` `psnForward` on wasm and webgpu; elsewhere `psnForward` runs the op path.
 */
import { tf } from "../../backend/tf.js";
import { wasmHeapMemory } from "../../backend/wasm-heap.js";
import type { Surrogate } from "../../surrogate.js";
import { PSN_KERNEL } from "./kernel-names.js";
import { registerPsnKernels, type PsnKernelAttrs } from "./psn-backends.js";
import { psnGrad } from "./psn-grad.js";
import { psnSimdSupports } from "./psn-simd.js";
import { psnWebGpuSupports } from "./psn-webgpu.js";

/**
 * Whether {@link psnFused} can run: a built-in surrogate (one with a `spec`; user-made ones have no
 * g′ the kernel could evaluate) and either the webgpu backend, or wasm with its heap importable and
 * wasm SIMD.
 */
export function psnFusedAvailable(surrogate: Surrogate): boolean {
  const spec = surrogate.spec;
  if (spec === undefined) return false;
  const backend = tf.getBackend();
  if (backend === "webgpu") return psnWebGpuSupports(spec.kind);
  if (backend !== "wasm" || !psnSimdSupports(spec.kind)) return false;
  return wasmHeapMemory(tf.backend()) !== null;
}

/**
 * Fused PSN on x [T, N]: S = Θ(W·X + b) as one kernel forward and one backward (psn-simd.ts, psn-webgpu.ts),
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
    return { value: s!, gradFunc: psnGrad(attrs) };
  });
  return op(x, weight, bias) as tf.Tensor2D;
}
