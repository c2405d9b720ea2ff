/**
 * Kernels TF.js 4.22's wasm backend lacks or gets wrong, so conv nets train on wasm (toolchain §7).
 *
 * | kernel                                 | wasm 4.22        | here                                              |
 * |----------------------------------------|------------------|---------------------------------------------------|
 * | `Conv2DBackpropFilter`                 | missing (§7.1)   | a forward Conv2D of transposed x and dy (§7.2)    |
 * | `DepthwiseConv2dNativeBackpropFilter`  | missing          | a forward depthwise conv, batch moved into channels |
 * | `DepthwiseConv2dNativeBackpropInput`   | missing          | zero-upsampled dy ⊛ flipped filter (depthwise)    |
 * | `MaxPoolGrad`                          | wrong if a window is ≤ 0 (§7.3) | first-max scan + ScatterNd         |
 * | `MaxPool3DGrad`                        | same bug (checked: all-negative windows) | same program, NDHWC  |
 * | `UnsortedSegmentSum`                   | missing          | cpu-copy fallback (rare op, documented)           |
 * | `BatchMatMul`, `_FusedMatMul`          | 10–20× slow with transpose flags | explicit Transpose, then the stock kernel |
 *
 * The composed kernels call wasm's own kernels (`tf.getKernel(name, 'wasm').kernelFunc`), never the
 * cpu backend; equations and the reason each composition is right are in `kernels/*.ts`.
 * wasm's `AvgPoolGrad` and `AvgPool3DGrad` were checked against the cpu backend (odd sizes,
 * strides 1/2, 'same'/'valid'; see the tests) and are right, so they are left alone.
 *
 * {@link registerWasmKernels} is idempotent. It first loads `@tensorflow/tfjs-backend-wasm` (whose
 * import registers the stock kernels), so a later import cannot put the faulty `MaxPoolGrad` back.
 */
import { createRequire } from "node:module";
import { tf } from "./tf.js";
import type { KernelArgs, TensorInfo } from "./kernels/compose.js";
import { conv2dBackpropFilterComposed } from "./kernels/conv2d-backprop-filter.js";
import { cpuCopyFallback } from "./kernels/cpu-fallback.js";
import { depthwiseBackpropFilterComposed } from "./kernels/depthwise-backprop-filter.js";
import { depthwiseBackpropInputComposed } from "./kernels/depthwise-backprop-input.js";
import { untransposedMatMul } from "./kernels/matmul-transposed.js";
import { maxPool3DGradComposed, maxPoolGradComposed } from "./kernels/max-pool-grad.js";

const BACKEND = "wasm";

type KernelImpl = (args: KernelArgs) => TensorInfo | TensorInfo[];

/** Kernels added where wasm has none. */
const ADDED: Record<string, KernelImpl> = {
  Conv2DBackpropFilter: conv2dBackpropFilterComposed(BACKEND),
  DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilterComposed(BACKEND),
  DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInputComposed(BACKEND),
  UnsortedSegmentSum: cpuCopyFallback("UnsortedSegmentSum"),
};

/** Kernels wasm has but computes wrongly: unregistered, then replaced (no duplicate warning). */
const REPLACED: Record<string, KernelImpl> = {
  MaxPoolGrad: maxPoolGradComposed(BACKEND),
  MaxPool3DGrad: maxPool3DGradComposed(BACKEND),
};

/** Stock kernels wrapped for speed (same results): the wrapper calls the original kernel function. */
const WRAPPED: Record<string, (stock: KernelImpl) => KernelImpl> = {
  BatchMatMul: (stock) => untransposedMatMul(stock, BACKEND),
  _FusedMatMul: (stock) => untransposedMatMul(stock, BACKEND),
};

/** The kernel names this module registers for wasm. */
export const WASM_KERNELS_ADDED: readonly string[] = Object.keys(ADDED);
export const WASM_KERNELS_REPLACED: readonly string[] = Object.keys(REPLACED);
export const WASM_KERNELS_WRAPPED: readonly string[] = Object.keys(WRAPPED);

const MARK = Symbol.for("spikelab.wasmKernel");

function isOurs(name: string): boolean {
  const k = tf.getKernel(name, BACKEND) as (tf.KernelConfig & { [MARK]?: true }) | undefined;
  return k != null && k[MARK] === true;
}

function register(name: string, impl: KernelImpl, base: Partial<tf.KernelConfig> = {}): void {
  // `base` keeps a stock kernel's other fields (wasm kernels have a `setupFunc` run at backend init).
  const config = { ...base, kernelName: name, backendName: BACKEND, kernelFunc: impl as unknown as tf.KernelFunc, [MARK]: true };
  tf.registerKernel(config);
}

/**
 * Register the missing/fixed wasm kernels. Safe to call any number of times; the backend ladder
 * calls it before `tf.setBackend('wasm')`.
 */
export function registerWasmKernels(): void {
  // The wasm package registers its stock kernels when first loaded; make sure that has happened.
  createRequire(import.meta.url)("@tensorflow/tfjs-backend-wasm");
  for (const [name, impl] of Object.entries(ADDED)) {
    if (isOurs(name)) continue;
    if (tf.getKernel(name, BACKEND) != null) continue; // a later TF.js ships it: keep the native one
    register(name, impl);
  }
  for (const [name, impl] of Object.entries(REPLACED)) {
    if (isOurs(name)) continue;
    if (tf.getKernel(name, BACKEND) != null) tf.unregisterKernel(name, BACKEND);
    register(name, impl);
  }
  for (const [name, wrap] of Object.entries(WRAPPED)) {
    if (isOurs(name)) continue;
    const stock = tf.getKernel(name, BACKEND);
    if (stock == null) continue;
    tf.unregisterKernel(name, BACKEND);
    register(name, wrap(stock.kernelFunc as unknown as KernelImpl), stock);
  }
}
