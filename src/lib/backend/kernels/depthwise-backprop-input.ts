/**
 * `DepthwiseConv2dNativeBackpropInput` for backends that lack it (wasm in TF.js 4.22, toolchain §7.1).
 *
 * Forward (NHWC, multiplier M, stride s, dilation d, pads top/left):
 * `y[b,i,j,c·M+m] = Σ_{p,q} x[b, i·sh + p·dh − top, j·sw + q·dw − left, c] · w[p,q,c,m]`. So
 *
 *     dx[b,u,v,c] = Σ_{m,p,q} Σ_{i,j : i·sh + p·dh − top = u, j·sw + q·dw − left = v} dy[b,i,j,c·M+m] · w[p,q,c,m]
 *
 * Let `ŷ` be dy with `s−1` zeros inserted after every row/column (`ŷ[i·sh] = dy[i]`). Then
 * `dx[u] = Σ_p ŷ[u + top − p·dh] · w[p]`, and with the flipped filter `w'[p] = w[KH−1−p]` and
 * `P = ŷ` shifted by `(KH−1)·dh − top` rows,
 *
 *     dx[u] = Σ_p P[u + p·dh] · w'[p]            (a 'valid', stride-1, dilation-d depthwise conv)
 *
 * computed for all `(c, m)` at once with filter `w'` reshaped `[KH, KW, C·M, 1]`, then summed over
 * m. `P` is ŷ padded (or, when the explicit padding exceeds the dilated kernel, cropped) so that
 * it has `H + (KH−1)·dh` rows: the rows outside correspond to windows that only see padding.
 * Dilation > 1 is honoured (TF.js 4.22's cpu kernel ignores it; see depthwise-backprop-filter.ts).
 */
import { tf } from "../tf.js";
import { compose, expectRank, type KernelArgs, type TensorInfo } from "./compose.js";

const NAME = "DepthwiseConv2dNativeBackpropInput";

export function depthwiseBackpropInputComposed(backendName: string) {
  return function depthwiseBackpropInput({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo {
    const dy = expectRank(NAME, "dy", inputs.dy, 4);
    const filter = expectRank(NAME, "filter", inputs.filter, 4);
    const { strides, dilations, pad, dimRoundingMode, inputShape } =
      attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
    if (!Array.isArray(inputShape) || inputShape.length !== 4) {
      throw new Error(`${NAME}: attr 'inputShape' is ${JSON.stringify(inputShape)}; expected [B, H, W, C]`);
    }
    if (filter.shape[2] !== inputShape[3]) {
      throw new Error(`${NAME}: input 'filter' has shape [${filter.shape}]; expected ${inputShape[3]} input ` +
        `channels (inputShape [${inputShape}])`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, dilations ?? 1, pad, dimRoundingMode, true);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    const { dilationHeight: dh, dilationWidth: dw } = info;
    const M = filter.shape[3]!;
    const expectedDy = [B, Ho, Wo, C * M];
    if (dy.shape.some((v, i) => v !== expectedDy[i])) {
      throw new Error(`${NAME}: input 'dy' has shape [${dy.shape}]; expected [${expectedDy}] for inputShape ` +
        `[${inputShape}], filter [${filter.shape}], strides ${JSON.stringify(strides)}, pad ${JSON.stringify(pad)}`);
    }
    const { top, left } = info.padInfo;
    return compose(backend, backendName, (c) => {
      const up = c.zeroUpsample(dy, sh, sw); // [B, Ho·sh, Wo·sw, C·M]
      const frontH = (KH - 1) * dh - top;
      const frontW = (KW - 1) * dw - left;
      const backH = H + (KH - 1) * dh - frontH - Ho * sh;
      const backW = W + (KW - 1) * dw - frontW - Wo * sw;
      const P = c.padOrCrop(up, [[0, 0], [frontH, backH], [frontW, backW], [0, 0]]);
      const wFlip = c.run("Reverse", { x: filter }, { dims: [0, 1] });
      const wCol = c.reshape(wFlip, [KH, KW, C * M, 1]);
      const g = c.run("DepthwiseConv2dNative", { x: P, filter: wCol }, {
        strides: [1, 1], dilations: [dh, dw], pad: "valid",
      }); // [B, H, W, C·M]
      return c.sum(c.reshape(g, [B, H, W, C, M]), [4]);
    });
  };
}
