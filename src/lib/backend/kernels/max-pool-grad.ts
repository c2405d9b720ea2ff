/**
 * A correct `MaxPoolGrad` and `MaxPool3DGrad` for wasm (toolchain §7.3).
 *
 * TF.js 4.22's wasm `MaxPoolGrad`, `MaxPool3DGrad` (and `MaxPoolWithArgmax`) start the running maximum at
 * `numeric_limits<float>::min()`, the smallest *positive* float, so every window whose values are
 * all ≤ 0 sends its gradient to the window's first element. This replacement is composed of wasm
 * kernels that are right (StridedSlice, Greater, Select, ScatterNd, ...).
 *
 * Gradient: each output window sends its incoming gradient to the position of its maximum,
 * the *first* maximum in row-major scan order (as the cpu backend, which scans with a strict `>`
 * from −∞); positions collect the sum over all windows that chose them:
 *
 *     dx[b,u,v,c] = Σ_{i,j : argmax_{window(i,j)} x[b,·,·,c] = (u,v)} dy[b,i,j,c]
 *
 * Program: pad x with −∞ (padding can never win), then scan the KH·KW taps in row-major order;
 * for tap (p,q) take the values `x̃[b, i·sh + p, j·sw + q, c]` (a plain slice after a one-off
 * phase split, see below) and, where they are strictly greater than the best so far, take them and
 * remember the tap's flat offset `p·W·C + q·C`. The flat index of the winner is
 * `b·H·W·C + ((i·sh − top)·W + (j·sw − left))·C + c + offset`, and `ScatterNd` (which sums
 * duplicate indices) lays dy onto those indices. Windows with no value above −∞ (all −∞/NaN, as
 * the cpu backend) route nothing. The 3-D kernel is the same program with
 * one more spatial axis (depth), NDHWC. Offsets are carried in float32, which
 * is exact below 2^24, so one image (H·W·C) must have fewer than 2^24 elements.
 *
 * On wasm the 2-D gradient instead runs the generated SIMD scatter of pool-grad-simd.ts (same first-maximum rule,
 * ≈ 40× faster than this composition, which took ≈ 35× the forward pool's time); the composition remains for 3-D,
 * other backends and engines without wasm SIMD (`simd: false` forces it: tests, the benchmark's "before" arm).
 */
import { tf } from "../tf.js";
import { compose, expectRank, expectShape, type KernelArgs, type TensorInfo } from "./compose.js";
import { poolGradOnHeap } from "./pool-grad-simd.js";

interface PoolGeometry {
  batch: number;
  channels: number;
  /** spatial sizes of the input, output, window, stride and leading pad, outermost first */
  inSize: number[];
  outSize: number[];
  window: number[];
  stride: number[];
  before: number[];
}

/** The shared program for 2-D (NHWC) and 3-D (NDHWC) max pooling; see the file comment. */
function maxPoolGradProgram(name: string, backendName: string, args: KernelArgs, geo: PoolGeometry,
  x: TensorInfo, dy: TensorInfo): TensorInfo {
  const { batch: B, channels: C, inSize, outSize, window, stride, before } = geo;
  const nd = inSize.length;
  const expectedDy = [B, ...outSize, C];
  if (dy.shape.some((v, i) => v !== expectedDy[i])) {
    throw new Error(`${name}: input 'dy' has shape [${dy.shape}]; expected [${expectedDy}] for input ` +
      `[${x.shape}], attrs ${JSON.stringify(args.attrs)}`);
  }
  // row-major strides of one image: axis k of the spatial dims, then channels
  const elemStride: number[] = new Array(nd);
  let acc = C;
  for (let k = nd - 1; k >= 0; k--) {
    elemStride[k] = acc;
    acc *= inSize[k]!;
  }
  const image = acc;
  if (image >= 2 ** 24) {
    throw new Error(`${name}: input [${x.shape}] has ${image} elements per image; this kernel supports < 2^24`);
  }
  return compose(args.backend, backendName, (c) => {
    // Pad with −∞ to Q_k·s_k rows per axis, Q_k = O_k − 1 + ceil(K_k/s_k) (crop rows no window
    // reads), then split each axis into (Q_k, s_k) and move the phases to the front:
    // [B, Q_1 s_1, …, C] → [s_n·…·s_1·B, Q_1, …, C]. Tap p_k then reads the contiguous block
    // phase p_k mod s_k, rows ⌊p_k/s_k⌋ … ⌊p_k/s_k⌋ + O_k − 1: a plain Slice, far cheaper than a
    // strided slice on wasm.
    const q = outSize.map((o, k) => o - 1 + Math.ceil(window[k]! / stride[k]!));
    const pads: Array<[number, number]> = [[0, 0]];
    for (let k = 0; k < nd; k++) pads.push([before[k]!, q[k]! * stride[k]! - inSize[k]! - before[k]!]);
    pads.push([0, 0]);
    const xP = c.padOrCrop(x, pads, -Infinity);
    // one rank-4 transpose per strided axis (wasm's rank-4 transpose is fast, its rank-6 one is not):
    // [pre, Q_k·s_k, post] → [s_k, pre, Q_k, post]; phases of later axes end up outermost
    let src = xP;
    let phases = 1;
    for (let k = 0; k < nd; k++) {
      if (stride[k] === 1) continue;
      const pre = phases * B * q.slice(0, k).reduce((a, b) => a * b, 1);
      const post = (src.shape.slice(k + 2).reduce((a, b) => a * b, 1));
      const t = c.transpose(c.reshape(src, [pre, q[k]!, stride[k]!, post]), [2, 0, 1, 3]);
      phases *= stride[k]!;
      src = c.reshape(t, [phases * B, ...q.slice(0, k + 1), ...src.shape.slice(k + 2)]);
    }
    const outShape = [B, ...outSize, C];
    const nOut = outSize.reduce((a, b) => a * b, 1);
    // JS-side constants: base = flat index of each window's corner (with batch), and a starting
    // offset that points inside the image (used only by windows that choose nothing; update 0)
    const base = new Int32Array(B * nOut * C);
    const init = new Float32Array(B * nOut * C);
    const o: number[] = new Array(nd).fill(0);
    for (let n = 0; n < nOut; n++) {
      let corner = 0;
      let safe = 0;
      for (let k = 0; k < nd; k++) {
        const pos = o[k]! * stride[k]! - before[k]!;
        corner += pos * elemStride[k]!;
        safe += (Math.min(Math.max(pos, 0), inSize[k]! - 1) - pos) * elemStride[k]!;
      }
      for (let b = 0; b < B; b++) {
        const at = (b * nOut + n) * C;
        for (let ch = 0; ch < C; ch++) {
          base[at + ch] = b * image + corner + ch;
          init[at + ch] = safe;
        }
      }
      for (let k = nd - 1; k >= 0; k--) { // odometer increment
        if (++o[k]! < outSize[k]!) break;
        o[k] = 0;
      }
    }
    const minusInf = c.fill(outShape, -Infinity);
    let best = minusInf;
    let bestOff = c.constant(outShape, "float32", init);
    const taps = window.reduce((a, b) => a * b, 1);
    for (let t = 0; t < taps; t++) {
      // tap coordinates in row-major order (outermost axis slowest), as the cpu scan
      const tap: number[] = new Array(nd);
      for (let k = nd - 1, r = t; k >= 0; k--) {
        tap[k] = r % window[k]!;
        r = Math.floor(r / window[k]!);
      }
      let phase = 0;
      for (let k = nd - 1; k >= 0; k--) phase = phase * stride[k]! + (tap[k]! % stride[k]!);
      const v = c.slice(src, [phase * B, ...tap.map((p, k) => Math.floor(p / stride[k]!)), 0], outShape);
      const better = c.run("Greater", { a: v, b: best });
      const nextBest = c.run("Select", { condition: better, t: v, e: best });
      const off = c.fill(outShape, tap.reduce((a, p, k) => a + p * elemStride[k]!, 0));
      const nextOff = c.run("Select", { condition: better, t: off, e: bestOff });
      for (const u of [v, better, off, bestOff]) if (u !== src) c.free(u);
      if (best !== minusInf) c.free(best);
      best = nextBest;
      bestOff = nextOff;
    }
    const idx = c.run("Add", { a: c.run("Cast", { x: bestOff }, { dtype: "int32" }), b: c.constant(outShape, "int32", base) });
    const chose = c.run("Greater", { a: best, b: minusInf });
    const upd = c.run("Select", { condition: chose, t: dy, e: c.fill(outShape, 0) });
    const n = B * nOut * C;
    const dx = c.run("ScatterNd", { indices: c.reshape(idx, [n, 1]), updates: c.reshape(upd, [n]) }, {
      shape: [B * image],
    });
    return c.reshape(dx, x.shape);
  });
}

export function maxPoolGradComposed(backendName: string, opts: { simd?: boolean } = {}) {
  const NAME = "MaxPoolGrad";
  const useSimd = opts.simd ?? true;
  return function maxPoolGrad(args: KernelArgs): TensorInfo {
    const dy = expectRank(NAME, "dy", args.inputs.dy, 4);
    const x = expectRank(NAME, "input", args.inputs.input, 4);
    const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as unknown as tf.MaxPoolGradAttrs;
    const i = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    if (useSimd && backendName === "wasm") {
      expectShape(NAME, "dy", dy, [i.batchSize, i.outHeight, i.outWidth, i.outChannels]);
      const dx = poolGradOnHeap(args.backend, "max", x, dy, i);
      if (dx) return dx;
    }
    return maxPoolGradProgram(NAME, backendName, args, {
      batch: i.batchSize, channels: i.inChannels,
      inSize: [i.inHeight, i.inWidth], outSize: [i.outHeight, i.outWidth],
      window: [i.filterHeight, i.filterWidth], stride: [i.strideHeight, i.strideWidth],
      before: [i.padInfo.top, i.padInfo.left],
    }, x, dy);
  };
}

export function maxPool3DGradComposed(backendName: string) {
  const NAME = "MaxPool3DGrad";
  return function maxPool3DGrad(args: KernelArgs): TensorInfo {
    const dy = expectRank(NAME, "dy", args.inputs.dy, 5);
    const x = expectRank(NAME, "input", args.inputs.input, 5);
    const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as unknown as tf.MaxPool3DGradAttrs;
    const i = tf.backend_util.computePool3DInfo(
      x.shape as [number, number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    return maxPoolGradProgram(NAME, backendName, args, {
      batch: i.batchSize, channels: i.inChannels,
      inSize: [i.inDepth, i.inHeight, i.inWidth], outSize: [i.outDepth, i.outHeight, i.outWidth],
      window: [i.filterDepth, i.filterHeight, i.filterWidth], stride: [i.strideDepth, i.strideHeight, i.strideWidth],
      before: [i.padInfo.front, i.padInfo.top, i.padInfo.left],
    }, x, dy);
  };
}
