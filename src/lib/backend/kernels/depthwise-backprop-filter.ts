/**
 * `DepthwiseConv2dNativeBackpropFilter` for backends that lack it (wasm in TF.js 4.22, toolchain §7.1).
 *
 * Forward depthwise conv, channel multiplier M, stride s, dilation d, NHWC, x̃ = padded input:
 * `y[b,i,j,c·M+m] = Σ_{p,q} x̃[b, i·sh + p·dh, j·sw + q·dw, c] · w[p,q,c,m]`. So
 *
 *     dW[p,q,c,m] = Σ_b Σ_{i,j} x̃[b, p·dh + i·sh, q·dw + j·sw, c] · dy[b,i,j,c·M+m]
 *
 * For a fixed `(b,c)` the inner sum is a *forward depthwise* conv of image x̃[b,:,:,c] with the
 * "filter" dy[b,:,:,c·M:(c+1)·M] (Ho × Wo taps, M outputs), output pixel (p,q), stride d and
 * dilation s: the original stride and dilation swap roles. Moving the batch into the channels
 * (`[B,H,W,C] → [1,H,W,B·C]`, channel b·C+c; dy `→ [Ho,Wo,B·C,M]`) makes all `(b,c)` one depthwise
 * conv, giving `[1, H', W', B·C·M]`; slice the first KH × KW pixels, reshape to `[KH,KW,B,C·M]` and
 * sum over B. Padding as in `conv2d-backprop-filter.ts`: TF.js's `top/left`, plus zeros at the
 * bottom/right up to `(KH−1)·dh + (Ho−1)·sh + 1` rows.
 *
 * Dilation > 1 is honoured here (the kernel reads `dilations`), unlike TF.js 4.22's cpu kernel,
 * which ignores it, and TF.js's gradient for `depthwiseConv2d`, which refuses it; tests check the
 * dilated case against an explicitly zero-dilated filter instead. wasm's DepthwiseConv2dNative
 * honours dilation together with stride (checked in the tests), which the swap needs when both
 * the original stride and dilation exceed 1.
 */
import { tf } from "../tf.js";
import { compose, expectRank, type KernelArgs, type TensorInfo } from "./compose.js";

const NAME = "DepthwiseConv2dNativeBackpropFilter";

export function depthwiseBackpropFilterComposed(backendName: string) {
  return function depthwiseBackpropFilter({ inputs, backend, attrs = {} }: KernelArgs): TensorInfo {
    const x = expectRank(NAME, "x", inputs.x, 4);
    const dy = expectRank(NAME, "dy", inputs.dy, 4);
    const { strides, dilations, pad, dimRoundingMode, filterShape } =
      attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
    if (filterShape[2] !== x.shape[3]) {
      throw new Error(`${NAME}: filterShape [${filterShape}] has ${filterShape[2]} input channels; ` +
        `expected ${x.shape[3]} (the channels of x [${x.shape}])`);
    }
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, dilations ?? 1, pad, dimRoundingMode, true);
    const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = info;
    const { filterHeight: KH, filterWidth: KW, strideHeight: sh, strideWidth: sw } = info;
    const { dilationHeight: dh, dilationWidth: dw } = info;
    const M = filterShape[3];
    const expectedDy = [B, Ho, Wo, C * M];
    if (dy.shape.some((v, i) => v !== expectedDy[i])) {
      throw new Error(`${NAME}: input 'dy' has shape [${dy.shape}]; expected [${expectedDy}] for x [${x.shape}], ` +
        `filterShape [${filterShape}], strides ${JSON.stringify(strides)}, dilations ${JSON.stringify(dilations)}, ` +
        `pad ${JSON.stringify(pad)}`);
    }
    const { top, left } = info.padInfo;
    return compose(backend, backendName, (c) => {
      const xb = c.reshape(c.transpose(x, [1, 2, 0, 3]), [1, H, W, B * C]); // channel b·C + c
      const padH = Math.max(0, (KH - 1) * dh + (Ho - 1) * sh + 1 - H - top);
      const padW = Math.max(0, (KW - 1) * dw + (Wo - 1) * sw + 1 - W - left);
      const xP = c.padOrCrop(xb, [[0, 0], [top, padH], [left, padW], [0, 0]]);
      const f = c.reshape(c.transpose(dy, [1, 2, 0, 3]), [Ho, Wo, B * C, M]); // [Ho, Wo, B·C, M]
      const g = c.run("DepthwiseConv2dNative", { x: xP, filter: f }, {
        strides: [dh, dw], dilations: [sh, sw], pad: "valid",
      }); // [1, H', W', B·C·M]
      const gs = c.slice(g, [0, 0, 0, 0], [1, KH, KW, B * C * M]);
      const summed = c.sum(c.reshape(gs, [KH, KW, B, C * M]), [2]);
      return c.reshape(summed, [KH, KW, C, M]);
    });
  };
}
