/**
 * `Conv2DBackpropFilter` for backends that lack it (wasm in TF.js 4.22, toolchain §7.1, tensorflow/tfjs#8474).
 *
 * Forward conv (dilation 1, the only one TF.js differentiates): with `x̃` the input zero-padded by
 * `(top, left)`, `y[b,i,j,o] = Σ_{p,q,c} x̃[b, i·sh + p, j·sw + q, c] · w[p,q,c,o]`. So
 *
 *     dW[p,q,c,o] = Σ_{b,i,j} x̃[b, i·sh + p, j·sw + q, c] · dy[b,i,j,o]
 *
 * Read with `c` as the batch, `(p,q)` as the output pixel, `b` as the input channel and `(i,j)` as
 * the filter tap, this is itself a *forward* conv (toolchain §7.2):
 *
 *     dW^T = conv2d( x̃^T : [Ci, H̃, W̃, B],  dy^T : [Ho, Wo, B, Co],  stride 1, dilation (sh, sw), 'valid' )
 *
 * whose output `[Ci, H', W', Co]` has `H' = H̃ − (Ho−1)·sh ≥ KH`; its first `KH × KW` pixels,
 * transposed to `[KH, KW, Ci, Co]`, are dW. The stride of the original conv becomes the dilation of
 * this one (taps of dy sit `sh` input rows apart). The padding: `top`/`left` from TF.js's conv info
 * (covers 'same', 'valid', explicit `[[0,0],[t,b],[l,r],[0,0]]` and a number with
 * `dimRoundingMode`), and at the bottom/right just enough zeros that the last output row's window
 * fits (`(Ho−1)·sh + KH` rows); rows beyond that would only feed pixels past `KH` that we slice off,
 * and rows of the real padding that no window reaches contribute nothing, as in the reference.
 * NCHW input is handled by choosing the transposition (x `[B,C,H,W]` → `[C,H,W,B]`).
 *
 * On wasm with NHWC float32 tensors the kernel instead runs the generated SIMD outer-product kernel of
 * `conv2d-backprop-filter-simd.ts` (same sum, no transposes; ≈ 1× the forward conv's throughput where the
 * composition above reached ≈ 0.55×, see `bench/conv-kernels.ts`); the composition remains for NCHW, other
 * backends and engines without wasm SIMD.
 */
import { tf } from "../tf.js";
import { wasmHeapMemory, type WasmHeap } from "../wasm-heap.js";
import { compose, expectRank, type KernelArgs, type TensorInfo } from "./compose.js";
import { backpropFilterSimd, rowsPerBlock, type BackpropFilterGeometry } from "./conv2d-backprop-filter-simd.js";

const NAME = "Conv2DBackpropFilter";

export interface BackpropFilterOptions {
  /**
   * On wasm (NHWC, float32), use the generated SIMD outer-product kernel (conv2d-backprop-filter-simd.ts)
   * where the engine runs it (default true); false forces the forward-conv composition below (the
   * benchmark's "before" arm, and what every other backend runs).
   */
  simd?: boolean;
}

export function conv2dBackpropFilterComposed(backendName: string, opts: BackpropFilterOptions = {}) {
  const useSimd = opts.simd ?? true;
  return function conv2dBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo {
    const x = expectRank(NAME, "x", inputs.x, 4);
    const dy = expectRank(NAME, "dy", inputs.dy, 4);
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const fmt = tf.backend_util.convertConv2DDataFormat(dataFormat ?? "NHWC");
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, fmt);
    const nhwc = info.dataFormat === "channelsLast";
    const expectedDy = nhwc
      ? [info.batchSize, info.outHeight, info.outWidth, info.outChannels]
      : [info.batchSize, info.outChannels, info.outHeight, info.outWidth];
    if (dy.shape.some((d, i) => d !== expectedDy[i])) {
      throw new Error(`${NAME}: input 'dy' has shape [${dy.shape}]; expected [${expectedDy}] for x [${x.shape}], ` +
        `filterShape [${filterShape}], strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}`);
    }
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    const { outHeight: Ho, outWidth: Wo, inChannels: Ci, outChannels: Co, inHeight: H, inWidth: W } = info;
    const { top, left } = info.padInfo;
    if (useSimd && nhwc && backendName === "wasm" && x.dtype === "float32" && dy.dtype === "float32") {
      // A column conv (W = Wo = KW = 1, e.g. seq-CIFAR's [3,1] kernels) has one pixel per dy row; the same
      // memory read as a row (H ↔ W: [B,H,1,C] and [B,1,H,C] are one layout, as are dW [KH,1,·,·] and [1,KH,·,·])
      // gives the kernel long rows instead of a per-row overhead for every pixel.
      const column = W === 1 && Wo === 1 && KW === 1;
      const g: BackpropFilterGeometry = column
        ? { H: W, W: H, Ci, Ho: Wo, Wo: Ho, Co, KH: KW, KW: KH, sh: sw, sw: sh, top: left, left: top }
        : { H, W, Ci, Ho, Wo, Co, KH, KW, sh, sw, top, left };
      const out = simdBackpropFilter(backend, x, dy, g, info.batchSize, [KH, KW, Ci, Co]);
      if (out) return out;
    }
    return compose(backend, backendName, (c) => {
      const xT = c.transpose(x, nhwc ? [3, 1, 2, 0] : [1, 2, 3, 0]); // [Ci, H, W, B]
      // rows needed so the last window fits: (Ho−1)·sh + KH
      const padH = Math.max(0, (Ho - 1) * sh + KH - H - top);
      const padW = Math.max(0, (Wo - 1) * sw + KW - W - left);
      const xP = c.padOrCrop(xT, [[0, 0], [top, padH], [left, padW], [0, 0]]);
      const dyT = c.transpose(dy, nhwc ? [1, 2, 0, 3] : [2, 3, 0, 1]); // [Ho, Wo, B, Co]
      const g = c.run("Conv2D", { x: xP, filter: dyT }, {
        strides: [1, 1], pad: "valid", dataFormat: "NHWC", dilations: [sh, sw],
      }); // [Ci, H', W', Co]
      const gs = c.slice(g, [0, 0, 0, 0], [Ci, KH, KW, Co]);
      return c.transpose(gs, [1, 2, 0, 3]);
    });
  };
}

/** The generated SIMD kernel (conv2d-backprop-filter-simd.ts) on the wasm heap; null where it cannot run. */
function simdBackpropFilter(backend: unknown, x: TensorInfo, dy: TensorInfo, g: BackpropFilterGeometry, B: number,
  filterShape: number[]): TensorInfo | null {
  const memory = wasmHeapMemory(backend);
  const k = memory ? backpropFilterSimd(memory, g) : null;
  if (!k) return null;
  const heap = backend as WasmHeap;
  const dw = heap.makeOutput(filterShape, "float32");
  heap.typedArrayFromHeap(dw).fill(0); // the kernel adds into dW block by block
  const off = (t: TensorInfo) => heap.getMemoryOffset(t.dataId);
  const rows = B * g.Ho, step = rowsPerBlock(g);
  for (let r = 0; r < rows; r += step) k.bpf(off(x), off(dy), off(dw), r, Math.min(rows, r + step));
  return dw;
}
