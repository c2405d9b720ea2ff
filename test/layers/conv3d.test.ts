// Conv3d against a direct sum over (dt, di, dj, c) on a small input, padding and stride in every axis.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { Conv3d } from "../../src/lib/layers/conv3d.js";

describe("Conv3d", () => {
  it.each([[[1, 2, 2], [1, 1, 1]], [[2, 1, 3], [2, 0, 1]]] as [[number, number, number], [number, number, number]][])("equals the PyTorch Conv3d sum (stride %j, padding %j)", (stride, padding) => {
    const [T, B, H, W, C, O] = [5, 2, 6, 7, 2, 3];
    const [st, sh, sw] = stride, [pt, ph, pw] = padding;
    const conv = new Conv3d(C, O, [3, 3, 2], { stride, padding, seed: 4 });
    const x = tf.randomUniform([T, B, H, W, C], -1, 1, "float32", 9);
    const y = conv.forward(x);
    const xs = x.arraySync() as number[][][][][];
    const w = conv.weight.arraySync() as number[][][][][];
    const bias = conv.bias!.arraySync() as number[];
    const [kt, kh, kw] = conv.kernel;
    const To = Math.floor((T + 2 * pt - kt) / st) + 1, Ho = Math.floor((H + 2 * ph - kh) / sh) + 1, Wo = Math.floor((W + 2 * pw - kw) / sw) + 1;
    expect(y.shape).toEqual([To, B, Ho, Wo, O]);
    const ys = y.arraySync() as number[][][][][];
    let maxErr = 0;
    for (let t = 0; t < To; t++) for (let b = 0; b < B; b++) for (let i = 0; i < Ho; i++) for (let j = 0; j < Wo; j++) for (let o = 0; o < O; o++) {
      let s = bias[o]!;
      for (let dt = 0; dt < kt; dt++) for (let di = 0; di < kh; di++) for (let dj = 0; dj < kw; dj++) for (let c = 0; c < C; c++) {
        const tt = st * t + dt - pt, ii = sh * i + di - ph, jj = sw * j + dj - pw;
        if (tt < 0 || tt >= T || ii < 0 || ii >= H || jj < 0 || jj >= W) continue;
        s += w[dt]![di]![dj]![c]![o]! * xs[tt]![b]![ii]![jj]![c]!;
      }
      maxErr = Math.max(maxErr, Math.abs(s - ys[t]![b]![i]![j]![o]!));
    }
    expect(maxErr).toBeLessThan(1e-5);
    expect(() => conv.forward(tf.zeros([2, 1, 4, 4, 3]))).toThrow(/Conv3d\(2→3\): expected time-first \[T, B, H, W, 2\]/);
  });
});
