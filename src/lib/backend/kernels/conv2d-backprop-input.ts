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
 * Conv2D's explicit padding rather than a padded copy of dy (a PadV2 of dy cost ≈ 10 % of the gradient for
 * 32 images of 48² × 64); only a crop is a separate Slice. NCHW goes to the stock kernel.
 */
import { tf } from "../tf.js";
import { compose, expectRank, type KernelArgs, type TensorInfo } from "./compose.js";

const NAME = "Conv2DBackpropInput";

export function conv2dBackpropInputComposed(stock: (args: KernelArgs) => TensorInfo | TensorInfo[], backendName: string) {
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
