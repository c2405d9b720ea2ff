/**
 * The fused PSN kernels on the `webgpu` backend as WGSL compute programs (papers.md §1.2):
 * X, H, S ∈ R^{T×N} time-major, W ∈ R^{T×T}, b ∈ R^{T×1}:
 *
 *   forward:  H[t, n] = (Σ_u W[t, u]·X[u, n]) + b[t]   (u ascending),  S = Θ(H)
 *   backward: gH = gS ⊙ σ′(H),  ∂L/∂X[t, n] = Σ_u W[u, t]·gH[u, n],
 *             ∂L/∂W[t, u] = Σ_n gH[t, n]·X[u, n],  ∂L/∂b[t] = Σ_n gH[t, n]
 *
 * One output per program: the forward runs once for S and once for H (one thread per element, the
 * T-term dot product recomputed — T ≤ 64, cheaper than a second pass over memory); ∂L/∂X is one
 * thread per element with gH recomputed on the fly; ∂L/∂W and ∂L/∂b are one [T, T + 1] program
 * (column T is ∂L/∂b: the same reduction against a row of ones) with one workgroup per output
 * element reducing over N in workgroup memory, then sliced apart. Sums run in a different order
 * than the op path's matmuls, so results agree to float32 rounding.
 */
import { tf } from "../../backend/tf.js";
import { flatProgram, runProgram, WGSL_MAIN, type TensorInfo } from "../../backend/webgpu-program.js";
import type { PsnKernelAttrs } from "./psn-backends.js";
import { wgslFires, wgslSurrogate, wgslSurrogateSupports } from "./surrogate-wgsl.js";

/** Threads per workgroup of the ∂L/∂W reduction (a power of two). */
const REDUCE_WG = 64;

/** Whether the WGSL PSN kernels cover this surrogate. */
export function psnWebGpuSupports(sgKind: string): boolean {
  return wgslSurrogateSupports(sgKind);
}

function forwardProgram(a: PsnKernelAttrs, out: "S" | "H") {
  const body = `
    ${WGSL_MAIN} {
      let T = uniforms.xShape.x;
      let N = uniforms.xShape.y;
      if (index >= T * N) { return; }
      let t = index / N;
      let n = index - t * N;
      var acc = 0.0;
      for (var u = 0; u < T; u++) {
        acc = acc + W[t * T + u] * X[u * N + n];
      }
      let h = acc + B[t];
      result[index] = ${out === "S" ? `select(0.0, 1.0, ${wgslFires(a.tie, "h")})` : "h"};
    }`;
  return flatProgram(`psnfwd_${out}_${a.tie}`, ["X", "W", "B"], [a.T, a.N], a.T * a.N, body);
}

/** x [T, N], w [T, T], b [T, 1] → S, H [T, N]. */
export function psnWebGpuForward(backend: unknown, x: TensorInfo, w: TensorInfo, b: TensorInfo, a: PsnKernelAttrs): TensorInfo[] {
  return (["S", "H"] as const).map((o) => runProgram(backend, forwardProgram(a, o), [x, w, b]));
}

function gradXProgram(a: PsnKernelAttrs) {
  const body = `
    ${wgslSurrogate(a.sgKind, a.sgParam)}
    ${WGSL_MAIN} {
      let T = uniforms.gSShape.x;
      let N = uniforms.gSShape.y;
      if (index >= T * N) { return; }
      let t = index / N;
      let n = index - t * N;
      var acc = 0.0;
      for (var u = 0; u < T; u++) {
        let j = u * N + n;
        acc = acc + W[u * T + t] * (GS[j] * sg(H[j]));
      }
      result[index] = acc;
    }`;
  return flatProgram(`psndx_${a.sgKind}_${a.sgParam}`, ["GS", "H", "W"], [a.T, a.N], a.T * a.N, body);
}

function gradWBProgram(a: PsnKernelAttrs) {
  const body = `
    ${wgslSurrogate(a.sgKind, a.sgParam)}
    var<workgroup> partial : array<f32, ${REDUCE_WG}>;
    ${WGSL_MAIN} {
      let T = uniforms.gSShape.x;
      let N = uniforms.gSShape.y;
      let lane = i32(localIndex);
      let k = index / ${REDUCE_WG};          // the output element of this workgroup
      let t = k / (T + 1);
      let u = k - t * (T + 1);              // u = T: the bias column
      var acc = 0.0;
      if (t < T) {
        for (var n = lane; n < N; n += ${REDUCE_WG}) {
          let gh = GS[t * N + n] * sg(H[t * N + n]);
          if (u < T) { acc = acc + gh * X[u * N + n]; } else { acc = acc + gh; }
        }
      }
      partial[lane] = acc;
      workgroupBarrier();
      for (var stride = ${REDUCE_WG / 2}; stride > 0; stride = stride / 2) {
        if (lane < stride) { partial[lane] = partial[lane] + partial[lane + stride]; }
        workgroupBarrier();
      }
      if (lane == 0 && t < T) { result[k] = partial[0]; }
    }`;
  return flatProgram(`psndwb_${a.sgKind}_${a.sgParam}`, ["GS", "H", "X"], [a.T, a.T + 1], a.T * (a.T + 1) * REDUCE_WG, body, REDUCE_WG);
}

function slice(backend: unknown, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const k = tf.getKernel("Slice", "webgpu");
  if (!k) throw new Error("psn-webgpu: the webgpu backend has no Slice kernel");
  return k.kernelFunc({ inputs: { x }, backend: backend as tf.KernelBackend, attrs: { begin, size } }) as TensorInfo;
}

/** gS, h, x [T, N], w [T, T] → ∂L/∂x [T, N], ∂L/∂w [T, T], ∂L/∂b [T, 1]. */
export function psnWebGpuBackward(backend: unknown, gS: TensorInfo, h: TensorInfo, x: TensorInfo, w: TensorInfo, a: PsnKernelAttrs): TensorInfo[] {
  const gX = runProgram(backend, gradXProgram(a), [gS, h, w]);
  const gWB = runProgram(backend, gradWBProgram(a), [gS, h, x]);
  try {
    return [gX, slice(backend, gWB, [0, 0], [a.T, a.T]), slice(backend, gWB, [0, a.T], [a.T, 1])];
  } finally {
    (backend as tf.KernelBackend).disposeData(gWB.dataId);
  }
}
