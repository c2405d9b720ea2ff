/**
 * Kernels TF.js 4.22's wasm backend lacks or gets wrong, so conv nets train on wasm (toolchain §7).
 *
 * | kernel                                 | wasm 4.22        | here                                              |
 * |----------------------------------------|------------------|---------------------------------------------------|
 * | `Conv2DBackpropFilter`                 | missing (§7.1)   | generated SIMD outer-product kernel (NHWC); else a forward Conv2D of transposed x and dy (§7.2) |
 * | `DepthwiseConv2dNativeBackpropFilter`  | missing          | a forward depthwise conv, batch moved into channels |
 * | `DepthwiseConv2dNativeBackpropInput`   | missing          | zero-upsampled dy ⊛ flipped filter (depthwise)    |
 * | `MaxPoolGrad`                          | wrong if a window is ≤ 0 (§7.3) | generated SIMD first-max scatter; else first-max scan + ScatterNd |
 * | `MaxPool3DGrad`                        | same bug (checked: all-negative windows) | same program, NDHWC  |
 * | `UnsortedSegmentSum`                   | missing          | cpu-copy fallback (rare op, documented)           |
 * | `BatchMatMul`, `_FusedMatMul`          | 10–20× slow with transpose flags | explicit Transpose, then the stock kernel |
 * | `Conv2DBackpropInput` (NHWC)           | ≈ 12× slower than Conv2D | per stride phase a stride-1 Conv2D of dy with a flipped sub-filter, placed into dx (generated wasm); else zero-upsampled dy ⊛ flipped filter |
 * | `AvgPoolGrad`                          | right, ≈ 13× the forward pool's time | generated SIMD scatter; else stock |
 * | `Identity`, `Cast` to the same dtype   | copy the data    | share it (reference count), as cpu and webgl do   |
 * | `Slice`                                | copies its whole input out of the heap first | copies only the slice |
 *
 * The composed kernels call wasm's own kernels (`tf.getKernel(name, 'wasm').kernelFunc`), never the
 * cpu backend (the filter gradient's SIMD kernel is generated wasm on the backend's own heap); equations and the reason each composition is right are in `kernels/*.ts`.
 * wasm's `AvgPoolGrad` and `AvgPool3DGrad` were checked against the cpu backend (odd sizes,
 * strides 1/2, 'same'/'valid'; see the tests) and are right; `AvgPoolGrad` is wrapped only for speed.
 *
 * {@link registerWasmKernels} is idempotent. It first loads `@tensorflow/tfjs-backend-wasm` (whose
 * import registers the stock kernels), so a later import cannot put the faulty `MaxPoolGrad` back.
 */
import { createRequire } from "node:module";
import { tf } from "./tf.js";
import { isOwnKernel, registerOwnKernel, wrapKernel } from "./kernel-overrides.js";
import type { KernelArgs, TensorInfo } from "./kernels/compose.js";
import { avgPoolGradSimd } from "./kernels/avg-pool-grad.js";
import { conv2dBackpropFilterComposed } from "./kernels/conv2d-backprop-filter.js";
import { conv2dBackpropInputComposed } from "./kernels/conv2d-backprop-input.js";
import { cpuCopyFallback } from "./kernels/cpu-fallback.js";
import { depthwiseBackpropFilterComposed } from "./kernels/depthwise-backprop-filter.js";
import { depthwiseBackpropInputComposed } from "./kernels/depthwise-backprop-input.js";
import { untransposedMatMul } from "./kernels/matmul-transposed.js";
import { maxPool3DGradComposed, maxPoolGradComposed } from "./kernels/max-pool-grad.js";
import type { WasmHeap } from "./wasm-heap.js";

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
  Conv2DBackpropInput: (stock) => conv2dBackpropInputComposed(stock, BACKEND),
  AvgPoolGrad: (stock) => avgPoolGradSimd(stock),
};

/**
 * `Identity` (what `tf.clone` runs) shares its input's data instead of copying it. TF.js tensors are
 * immutable — no kernel writes into an input, and `Variable.assign` swaps the data id rather than
 * writing in place — so a clone may alias its source, exactly as the cpu and webgl backends'
 * `Identity` (and wasm's own `Reshape`) do: bump the backend reference count and return the same
 * data id. On wasm the stock kernel allocates and copies; the engine runs it for every tensor an op
 * saves for its gradient (`saveTensorsForBackwardMode` keeps a clone), i.e. a full copy of every
 * saved activation on every taped op. Strings keep the stock path.
 */
function sharedIdentity(stock: KernelImpl): KernelImpl {
  return (args: KernelArgs) => {
    const x = args.inputs.x!;
    if (x.dtype === "string") return stock(args);
    (args.backend as unknown as WasmHeap).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/** `Cast` to the dtype it already has is an identity (the cpu backend shares here too); others stock. */
function sharedSameDtypeCast(stock: KernelImpl): KernelImpl {
  return (args: KernelArgs) => {
    const x = args.inputs.x!;
    if ((args.attrs as { dtype?: string } | undefined)?.dtype !== x.dtype || x.dtype === "string") return stock(args);
    (args.backend as unknown as WasmHeap).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}

/**
 * `Slice` reading the input through a heap view. The stock kernel starts with `backend.readSync(x)`,
 * which copies the *whole* input out of the wasm heap into a fresh JS buffer before taking the slice
 * (4 MB to read one row of a [16, 65536] tensor, 64 MB at 2^24 elements). Here rows of the last axis
 * are copied from the view straight into the output; numeric dtypes only (strings keep the stock path).
 */
function viewSlice(stock: KernelImpl): KernelImpl {
  return (args: KernelArgs) => {
    const x = args.inputs.x!;
    if (x.dtype !== "float32" && x.dtype !== "int32" && x.dtype !== "bool") return stock(args);
    const { begin, size } = args.attrs as { begin: number | number[]; size: number | number[] };
    const [b, sz] = tf.slice_util.parseSliceParams(x as tf.TensorInfo as tf.Tensor, begin, size);
    const backend = args.backend as unknown as WasmHeap;
    const out = backend.makeOutput(sz, x.dtype);
    const n = tf.util.sizeFromShape(sz);
    if (n === 0) return out;
    // Views only after makeOutput: growing the heap detaches earlier views.
    const xv = backend.typedArrayFromHeap(x), ov = backend.typedArrayFromHeap(out);
    const strides = tf.util.computeStrides(x.shape);
    if (tf.slice_util.isSliceContinous(x.shape, b, sz)) {
      const off = tf.slice_util.computeFlatOffset(b, strides);
      ov.set(xv.subarray(off, off + n));
      return out;
    }
    // Row by row along the last axis: idx walks the outer output coordinates like an odometer.
    const r = sz.length, last = sz[r - 1]!, idx = new Array<number>(r - 1).fill(0);
    for (let row = 0; row * last < n; row++) {
      let off = b[r - 1]!;
      for (let d = 0; d < r - 1; d++) off += (b[d]! + idx[d]!) * strides[d]!;
      ov.set(xv.subarray(off, off + last), row * last);
      for (let d = r - 2; d >= 0; d--) {
        if (++idx[d]! < sz[d]!) break;
        idx[d] = 0;
      }
    }
    return out;
  };
}

/** Stock kernels replaced by versions without their needless whole-tensor copies (same values). */
const COPY_FREE: Record<string, (stock: KernelImpl) => KernelImpl> = {
  Identity: sharedIdentity,
  Cast: sharedSameDtypeCast,
  Slice: viewSlice,
};

/** The kernel names this module registers for wasm. */
export const WASM_KERNELS_ADDED: readonly string[] = Object.keys(ADDED);
export const WASM_KERNELS_REPLACED: readonly string[] = Object.keys(REPLACED);
export const WASM_KERNELS_WRAPPED: readonly string[] = Object.keys(WRAPPED);
export const WASM_KERNELS_COPY_FREE: readonly string[] = Object.keys(COPY_FREE);

/** The stock kernel functions that {@link registerWasmKernels} wrapped, by name (the benchmarks' "before" arms). */
const STOCK = new Map<string, KernelImpl>();

/** TF.js's own wasm kernel function `name` that a wrapper replaced, or undefined (not wrapped, not registered yet). */
export function wasmStockKernel(name: string): KernelImpl | undefined {
  return STOCK.get(name);
}

/**
 * Register the missing/fixed wasm kernels. Safe to call any number of times; the backend ladder
 * calls it before `tf.setBackend('wasm')`.
 */
export function registerWasmKernels(): void {
  // The wasm package registers its stock kernels when first loaded; make sure that has happened.
  createRequire(import.meta.url)("@tensorflow/tfjs-backend-wasm");
  for (const [name, impl] of Object.entries(ADDED)) {
    if (isOwnKernel(name, BACKEND)) continue;
    if (tf.getKernel(name, BACKEND) != null) continue; // a later TF.js ships it: keep the native one
    registerOwnKernel(name, BACKEND, impl);
  }
  for (const [name, impl] of Object.entries(REPLACED)) {
    if (isOwnKernel(name, BACKEND)) continue;
    if (tf.getKernel(name, BACKEND) != null) tf.unregisterKernel(name, BACKEND);
    registerOwnKernel(name, BACKEND, impl);
  }
  for (const [name, wrap] of [...Object.entries(WRAPPED), ...Object.entries(COPY_FREE)]) {
    const stock = wrapKernel<KernelImpl>(name, BACKEND, wrap);
    if (stock) STOCK.set(name, stock);
  }
}
