/**
 * Kernels TF.js 4.22's webgpu backend gets wrong for the papers' networks, wrapped (same values):
 *
 * | kernel | webgpu 4.22 | here |
 * |--------|-------------|------|
 * | `Cast` bool/int32 → float32 | shares the i32 buffer under a float32 tensor ("no encoding loss"); programs that read it without converting break, e.g. the rank-5 `Transpose` inside `Mean` (`setOutputAtIndex … expected 'f32', got 'i32'`: spikes Θ(·) cast to float, averaged over H, W by a global average pool) | a float32 copy, f32(A[i]), exact for 0/1 and for \|ints\| ≤ 2²⁴ as any int → float read |
 * | `AddN` with more inputs than storage-buffer bindings (device limit − 1, 7 by default) | pipeline creation fails ("number of storage buffers (19) … exceeds … (8)"), the sum reads 0 | the stock kernel over chunks, left to right: ((x₀ + … + x₆) + x₇ + … + x₁₂) + … — the packed program's own order |
 * | `MaxPoolGrad` | where a window's maximum is tied (spike maps are 0/1: most windows), routes the gradient to another of the tied positions than cpu's first maximum in row-major order — a different gradient | the composed kernel of the wasm rung (`kernels/max-pool-grad.ts`: first maximum, strict `>` scan from −∞, ScatterNd), on webgpu's own kernels |
 * | `MaxPool3DGrad` | same tie routing | kept: the composed kernel needs a rank-5 `Select`, which webgpu 4.22 lacks; no network of the papers max-pools in 3-D |
 * | `PadV2` of rank 5 (slice gradients of `[T, B, H, W, C]`, Conv3d inputs) | shader does not compile ("cannot index type 'vec5'") | axes without padding merged into their left neighbour (a reshape, no copy), padded at rank ≤ 4, reshaped back; more than 3 padded axes are padded in two passes |
 *
 * {@link registerWebGpuKernels} is idempotent; the webgpu rung calls it after the backend package
 * loaded (its import registers the stock kernels) and before `tf.setBackend('webgpu')`.
 */
import { tf } from "./tf.js";
import { wrapKernel } from "./kernel-overrides.js";
import { maxPoolGradComposed } from "./kernels/max-pool-grad.js";
import type { TensorInfo } from "./webgpu-program.js";

const BACKEND = "webgpu";

type KernelImpl = (args: { inputs: Record<string, TensorInfo | undefined>; backend: unknown; attrs?: Record<string, unknown> }) => TensorInfo | TensorInfo[];

interface WebGpuBackendLike {
  device: { limits: { maxStorageBuffersPerShaderStage: number } };
  runWebGPUProgram(program: unknown, inputs: TensorInfo[], dtype: string): TensorInfo;
  disposeData(dataId: object): boolean;
}

function stockKernel(name: string): KernelImpl {
  const k = tf.getKernel(name, BACKEND);
  if (!k) throw new Error(`webgpu-kernels: the webgpu backend has no '${name}' kernel`);
  return k.kernelFunc as unknown as KernelImpl;
}

/** A flat program copying A (any numeric buffer) into a float32 output: result[i] = f32(A[i]). */
function toFloat32Program(shape: number[]) {
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    variableNames: ["A"], outputShape: shape, shaderKey: "spikelab_to_f32", size: true,
    dispatchLayout: { x: shape.map((_, i) => i) }, dispatch: [Math.max(1, Math.ceil(size / 64)), 1, 1] as [number, number, number],
    workgroupSize: [64, 1, 1] as [number, number, number],
    getUserCode: () => `fn main(index : i32) { if (index < uniforms.size) { result[index] = f32(A[index]); } }`,
  };
}

function materialisingCast(stock: KernelImpl): KernelImpl {
  return (args) => {
    const x = args.inputs.x!;
    const to = (args.attrs as { dtype?: string } | undefined)?.dtype;
    if (to !== "float32" || (x.dtype !== "bool" && x.dtype !== "int32") || x.shape.reduce((a, b) => a * b, 1) === 0) return stock(args);
    return (args.backend as WebGpuBackendLike).runWebGPUProgram(toFloat32Program(x.shape.slice()), [x], "float32");
  };
}

function chunkedAddN(stock: KernelImpl): KernelImpl {
  return (args) => {
    const backend = args.backend as WebGpuBackendLike;
    // AddN's inputs are the array of tensors itself (tfjs-core's addN passes `inputs: tensors`).
    const list = Object.values(args.inputs as Record<string, TensorInfo>);
    const max = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    if (list.length <= max) return stock(args);
    const run = (part: TensorInfo[]) => stock({ ...args, inputs: part as unknown as Record<string, TensorInfo> }) as TensorInfo;
    let acc = run(list.slice(0, max));
    for (let i = max; i < list.length; i += max - 1) {
      const next = run([acc, ...list.slice(i, i + max - 1)]);
      backend.disposeData(acc.dataId);
      acc = next;
    }
    return acc;
  };
}

/** Groups of consecutive axes, each a padded axis (or axis 0) followed by unpadded ones. */
export function padGroups(shape: number[], paddings: Array<[number, number]>): Array<{ size: number; pad: [number, number] }> {
  const groups: Array<{ size: number; pad: [number, number]; first: number }> = [];
  shape.forEach((d, i) => {
    const [b, a] = paddings[i]!;
    if (i === 0 || b !== 0 || a !== 0) groups.push({ size: d, pad: [b, a], first: d });
    else groups[groups.length - 1]!.size *= d;
  });
  // Padding the group's first axis by p moves p·(size of the rest) elements of the merged axis.
  return groups.map((g) => ({ size: g.size, pad: [g.pad[0] * (g.size / g.first), g.pad[1] * (g.size / g.first)] }));
}

function rankReducedPad(stock: KernelImpl, reshape: KernelImpl): KernelImpl {
  const pad = (args: Parameters<KernelImpl>[0], x: TensorInfo, paddings: Array<[number, number]>): TensorInfo => {
    const backend = args.backend as WebGpuBackendLike;
    const padded = paddings.map((p, i) => (p[0] !== 0 || p[1] !== 0 ? i : -1)).filter((i) => i > 0);
    if (padded.length > 3) {
      // Two passes: the first three padded axes (besides axis 0), then the rest on the result.
      const firstAxes = new Set(padded.slice(0, 3));
      const p1 = paddings.map((p, i) => (i === 0 || firstAxes.has(i) ? p : [0, 0]) as [number, number]);
      const p2 = paddings.map((p, i) => (i !== 0 && !firstAxes.has(i) ? p : [0, 0]) as [number, number]);
      const mid = pad(args, x, p1);
      try {
        return pad(args, mid, p2);
      } finally {
        backend.disposeData(mid.dataId);
      }
    }
    const groups = padGroups(x.shape.slice(), paddings);
    const flat = reshape({ inputs: { x }, backend: args.backend, attrs: { shape: groups.map((g) => g.size) } }) as TensorInfo;
    const out = stock({ ...args, inputs: { x: flat }, attrs: { ...args.attrs, paddings: groups.map((g) => g.pad) } }) as TensorInfo;
    backend.disposeData(flat.dataId);
    const outShape = x.shape.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    const result = reshape({ inputs: { x: out }, backend: args.backend, attrs: { shape: outShape } }) as TensorInfo;
    backend.disposeData(out.dataId);
    return result;
  };
  return (args) => {
    const x = args.inputs.x!;
    if (x.shape.length <= 4) return stock(args);
    return pad(args, x, (args.attrs as { paddings: Array<[number, number]> }).paddings);
  };
}

function wrap(name: string, make: (stock: KernelImpl) => KernelImpl): void {
  wrapKernel<KernelImpl>(name, BACKEND, make);
}

/** The kernel names this module wraps on webgpu. */
export const WEBGPU_KERNELS_WRAPPED: readonly string[] = ["Cast", "AddN", "PadV2"];
/** The kernel names this module replaces on webgpu. */
export const WEBGPU_KERNELS_REPLACED: readonly string[] = ["MaxPoolGrad"];

/** Wrap the faulty webgpu kernels (idempotent). */
export function registerWebGpuKernels(): void {
  wrap("Cast", materialisingCast);
  wrap("AddN", chunkedAddN);
  const reshape = stockKernel("Reshape");
  wrap("PadV2", (stock) => rankReducedPad(stock, reshape));
  wrap("MaxPoolGrad", () => maxPoolGradComposed(BACKEND) as unknown as KernelImpl);
}
