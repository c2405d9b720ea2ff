/**
 * `Conv2DBackpropInput` on wasm as a forward `Conv2D` (XNNPACK). TF.js 4.22's wasm kernel is a direct
 * loop, ≈ 12× slower than the forward conv it differentiates (measured in SEW-ResNet-18-CIFAR training:
 * 1.35 s vs 0.11 s per step), so it dominated conv-SNN training once batch norm was fast.
 *
 * Forward (NHWC, stride s, dilation 1 — the only one TF.js differentiates — pads top/left):
 * `y[b,i,j,o] = Σ_{p,q,c} x[b, i·sh + p − top, j·sw + q − left, c] · w[p,q,c,o]`. So
 *
 *     dx[b,u,v,c] = Σ_{o,p,q} ŷ[b, u + top − p, v + left − q, o] · w[p,q,c,o]
 *
 * with ŷ = dy with s−1 zeros inserted after every row/column (ŷ[i·sh] = dy[i]). With the filter flipped
 * in space and its channel axes swapped, w'[p,q,o,c] = w[KH−1−p, KW−1−q, c, o], and P = ŷ shifted by
 * KH−1−top rows (KW−1−left columns),
 *
 *     dx[u, v] = Σ_{p,q} P[u + p, v + q] · w'[p, q]        (a 'valid', stride-1 Conv2D, Co → Ci channels)
 *
 * P is ŷ padded (or cropped, when the padding exceeds the kernel) to H + KH − 1 rows and W + KW − 1
 * columns, exactly as the depthwise case (depthwise-backprop-input.ts) with dilation 1. The zeros are the
 * Conv2D's explicit padding rather than a padded copy of dy; only a crop is a separate Slice. This composition
 * is what runs where the generated wasm helpers cannot (no wasm SIMD, other backends); NCHW goes to the stock kernel.
 *
 * On wasm (NHWC float32) the stride is instead taken apart by output phase (sub-pixel decomposition), because
 * the composition above spends s_h·s_w times the forward conv's FLOPs, nearly all on the inserted zeros
 * (0.35–0.44× forward throughput at stride 2). Write dx's rows as u = sh·m + a (phase a ∈ [0, sh)). Only taps
 * p ≡ ρ_a = (a + top) mod sh reach phase a: with p = sh·k + ρ_a (k < K_a = ⌈(KH − ρ_a)/sh⌉) and
 * δ_a = ⌊(a + top)/sh⌋, the equation above becomes i = m + δ_a − k, and with the phase's taps flipped and the
 * channel axes swapped, w_a[k', ·, o, c] = w[sh·(K_a − 1 − k') + ρ_a, ·, c, o],
 *
 *     dx[sh·m + a] = Σ_{k'} dy[m + δ_a − K_a + 1 + k'] · w_a[k']      (stride 1, dy padded by K_a − 1 − δ_a in front)
 *
 * — the same for columns with phase b. So dx is sh·sw stride-1 forward Conv2Ds of the *undilated* dy, FLOPs summing
 * to the forward conv's, each phase's result written to every (sh, sw)-th pixel of dx (`place`); a phase that no
 * tap reaches (K_a = 0, e.g. a 1×1 kernel at stride 2) is zero. The flipped, transposed sub-filters come from one
 * pass over the filter (`tapT` per tap, conv2d-backprop-input-simd.ts) instead of wasm's `Reverse` + `Transpose`
 * (those two kernels alone took as long as the forward conv of a 4×4 or 6×6 layer). At stride 1 this is one phase and the
 * conv's output is dx itself.
 */
import { tf } from "../tf.js";
import { wasmHeapMemory, type WasmHeap } from "../wasm-heap.js";
import { compose, expectRank, type Composer, type KernelArgs, type TensorInfo } from "./compose.js";
import { phasePlacer, tapTransposer } from "./conv2d-backprop-input-simd.js";

const NAME = "Conv2DBackpropInput";

export interface BackpropInputOptions {
  /**
   * On wasm (NHWC, float32), the per-phase decomposition with the generated helpers (default true); false forces
   * the zero-upsampling composition (the benchmark's "before" arm, and what other backends run).
   */
  phases?: boolean;
}

export function conv2dBackpropInputComposed(stock: (args: KernelArgs) => TensorInfo | TensorInfo[], backendName: string,
  opts: BackpropInputOptions = {}) {
  const usePhases = opts.phases ?? true;
  return function conv2dBackpropInput(args: KernelArgs): TensorInfo | TensorInfo[] {
    const { inputs, backend, attrs = {} } = args;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    if ((dataFormat ?? "NHWC") !== "NHWC") return stock(args);
    const dy = expectRank(NAME, "dy", inputs.dy, 4);
    const filter = expectRank(NAME, "filter", inputs.filter, 4);
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, "channelsLast");
    const { batchSize: B, inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, outChannels: Co } = info;
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    const expectedDy = [B, Ho, Wo, Co];
    if (dy.shape.some((v, i) => v !== expectedDy[i])) {
      throw new Error(`${NAME}: input 'dy' has shape [${dy.shape}]; expected [${expectedDy}] for inputShape ` +
        `[${inputShape}], filter [${filter.shape}], strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}`);
    }
    const { top, left } = info.padInfo;
    if (usePhases && backendName === "wasm" && dy.dtype === "float32" && filter.dtype === "float32") {
      const out = phaseBackpropInput(backend, backendName, dy, filter, { B, H, W, Ho, Wo, Ci: info.inChannels, Co, KH, KW, sh, sw, top, left });
      if (out) return out;
    }
    return compose(backend, backendName, (c) => {
      const up = c.zeroUpsample(dy, sh, sw); // [B, Ho·sh, Wo·sw, Co]
      const frontH = KH - 1 - top, frontW = KW - 1 - left;
      const amounts: Array<[number, number]> = [[frontH, H + KH - 1 - frontH - Ho * sh], [frontW, W + KW - 1 - frontW - Wo * sw]];
      // crop what the padding would remove (a Slice); the zeros to add become the conv's own explicit
      // padding, so XNNPACK reads dy in place instead of a padded copy
      const cropped = c.padOrCrop(up, [[0, 0], ...amounts.map(([a, b]): [number, number] => [Math.min(0, a), Math.min(0, b)]), [0, 0]]);
      const pad = [[0, 0], ...amounts.map(([a, b]) => [Math.max(0, a), Math.max(0, b)]), [0, 0]];
      const wFlip = c.transpose(c.run("Reverse", { x: filter }, { dims: [0, 1] }), [0, 1, 3, 2]); // [KH, KW, Co, Ci]
      return c.run("Conv2D", { x: cropped, filter: wFlip }, { strides: [1, 1], pad, dataFormat: "NHWC", dilations: [1, 1] });
    });
  };
}

interface Geometry {
  B: number; H: number; W: number; Ho: number; Wo: number; Ci: number; Co: number;
  KH: number; KW: number; sh: number; sw: number; top: number; left: number;
}

/** One axis of one phase: its taps, the dy padding (negative: crop) and how many dx rows it has. */
interface AxisPhase {
  /** ρ: the first filter tap of the phase; taps ρ, ρ + s, … (K of them) */
  first: number;
  taps: number;
  /** dy padding before / after (the conv's explicit padding; negative amounts are cropped) */
  front: number;
  back: number;
  /** dx rows (columns) of this phase: ⌈(size − a)/s⌉ */
  size: number;
}

function axisPhase(a: number, s: number, K: number, pad: number, inSize: number, outSize: number): AxisPhase {
  const first = (a + pad) % s, delta = Math.floor((a + pad) / s);
  const taps = first < K ? Math.ceil((K - first) / s) : 0;
  const size = Math.ceil((inSize - a) / s);
  return { first, taps, front: taps - 1 - delta, back: size + delta - outSize, size };
}

/**
 * dx by output phases (file comment) on the wasm heap; null where the generated helpers cannot run (no SIMD,
 * heap not reachable, channels beyond the placer's unrolling).
 */
function phaseBackpropInput(backend: tf.KernelBackend, backendName: string, dy: TensorInfo, filter: TensorInfo,
  g: Geometry): TensorInfo | null {
  const memory = wasmHeapMemory(backend);
  if (!memory) return null;
  const { B, H, W, Ho, Wo, Ci, Co, KH, KW, sh, sw } = g;
  const single = sh === 1 && sw === 1;
  const tapT = tapTransposer(memory, Ci, Co);
  const placer = single ? null : phasePlacer(memory, Ci, W, sh, sw);
  if (!tapT || (!single && !placer)) return null;
  const heap = backend as unknown as WasmHeap;
  const off = (t: TensorInfo) => heap.getMemoryOffset(t.dataId);
  const rowPhases = Array.from({ length: Math.min(sh, H) }, (_, a) => axisPhase(a, sh, KH, g.top, H, Ho));
  const colPhases = Array.from({ length: Math.min(sw, W) }, (_, b) => axisPhase(b, sw, KW, g.left, W, Wo));
  return compose(backend, backendName, (c) => {
    const dx = single ? null : heap.makeOutput([B, H, W, Ci], "float32");
    if (dx) c.track(dx);
    for (const [a, rp] of rowPhases.entries()) {
      for (const [b, cp] of colPhases.entries()) {
        const phase = phaseConv(c, heap, tapT, dy, filter, g, rp, cp);
        if (single) return phase ?? c.fill([B, H, W, Ci], 0);
        for (let n = 0; n < B; n++) {
          const dst = off(dx!) + ((n * H + a) * W + b) * Ci * 4;
          if (phase) placer!.place(off(phase) + n * rp.size * cp.size * Ci * 4, dst, rp.size, cp.size);
          else placer!.zero(dst, rp.size, cp.size);
        }
        if (phase) c.free(phase);
      }
    }
    return dx!;
  });
}

/** The phase's stride-1 conv `[B, rows, cols, Ci]`, or null where the phase is zero (no taps, or dy cropped away). */
function phaseConv(c: Composer, heap: WasmHeap, tapT: { tapT(src: number, dst: number): void }, dy: TensorInfo,
  filter: TensorInfo, g: Geometry, rp: AxisPhase, cp: AxisPhase): TensorInfo | null {
  if (rp.taps === 0 || cp.taps === 0) return null;
  const { B, Ho, Wo, Ci, Co, KW, sh, sw } = g;
  const keptH = Ho + Math.min(0, rp.front) + Math.min(0, rp.back), keptW = Wo + Math.min(0, cp.front) + Math.min(0, cp.back);
  if (keptH <= 0 || keptW <= 0) return null; // only padding is left: the phase is zero
  // w_a[k', l'] = w[sh·(K_a − 1 − k') + ρ_a, sw·(K_b − 1 − l') + ρ_b]ᵀ
  const sub = c.track(heap.makeOutput([rp.taps, cp.taps, Co, Ci], "float32"));
  const src = heap.getMemoryOffset(filter.dataId), dst = heap.getMemoryOffset(sub.dataId), tap = Ci * Co * 4;
  for (let k = 0; k < rp.taps; k++) {
    for (let l = 0; l < cp.taps; l++) {
      const p = sh * (rp.taps - 1 - k) + rp.first, q = sw * (cp.taps - 1 - l) + cp.first;
      tapT.tapT(src + (p * KW + q) * tap, dst + (k * cp.taps + l) * tap);
    }
  }
  const x = c.slice(dy, [0, Math.max(0, -rp.front), Math.max(0, -cp.front), 0], [B, keptH, keptW, Co]);
  const pad = [[0, 0], [Math.max(0, rp.front), Math.max(0, rp.back)], [Math.max(0, cp.front), Math.max(0, cp.back)], [0, 0]];
  const out = c.run("Conv2D", { x, filter: sub }, { strides: [1, 1], pad, dataFormat: "NHWC", dilations: [1, 1] });
  if (x !== dy) c.free(x);
  c.free(sub);
  if (out.shape[1] !== rp.size || out.shape[2] !== cp.size) {
    throw new Error(`Conv2DBackpropInput: phase conv gave [${out.shape}]; expected [${B}, ${rp.size}, ${cp.size}, ${Ci}] (internal)`);
  }
  return out;
}
