/**
 * `AvgPoolGrad` on wasm through the generated SIMD scatter of pool-grad-simd.ts,
 *
 *     dx[b, i·sh + p − top, j·sw + q − left, c] += dy[b,i,j,c] / (KH·KW)      (taps inside x)
 *
 * TF.js 4.22's stock wasm kernel gives the cpu backend's values but took ≈ 13× the forward pool's time
 * (`bench/conv-kernels.ts`); it still runs where the generated kernel cannot (no wasm SIMD, not float32).
 */
import { tf } from "../tf.js";
import { expectRank, expectShape, type KernelArgs, type TensorInfo } from "./compose.js";
import { poolGradOnHeap } from "./pool-grad-simd.js";

const NAME = "AvgPoolGrad";

export function avgPoolGradSimd(stock: (args: KernelArgs) => TensorInfo | TensorInfo[]) {
  return function avgPoolGrad(args: KernelArgs): TensorInfo | TensorInfo[] {
    const dy = expectRank(NAME, "dy", args.inputs.dy, 4);
    const x = expectRank(NAME, "input", args.inputs.input, 4);
    const { filterSize, strides, pad, dimRoundingMode } = (args.attrs ?? {}) as unknown as tf.AvgPoolGradAttrs & { dimRoundingMode?: "floor" | "round" | "ceil" };
    const info = tf.backend_util.computePool2DInfo(
      x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    expectShape(NAME, "dy", dy, [info.batchSize, info.outHeight, info.outWidth, info.outChannels]);
    return poolGradOnHeap(args.backend, "avg", x, dy, info) ?? stock(args);
  };
}
