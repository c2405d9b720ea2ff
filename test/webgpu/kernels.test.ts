// The kernels spikelab composes or replaces (on wasm: conv and depthwise backprops, max-pool
// gradients, transposed matmuls, gather's gradient; on webgpu: Cast, AddN, rank-5 Pad, max-pool
// gradient) give cpu's values on webgpu, through the ops' gradients.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { padGroups, WEBGPU_KERNELS_REPLACED, WEBGPU_KERNELS_WRAPPED } from "../../src/lib/backend/webgpu-kernels.js";
import { mismatches, normal, runOn } from "./helpers.js";

type Case = [string, () => tf.Tensor[]];
const t = (shape: number[], seed: number, scale = 1, shift = 0) => tf.tensor(normal(shape, seed, scale, shift), shape);

/** Value and gradients of Σ w ⊙ f(inputs) (w fixed) with respect to every input. */
function withGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, ...xs: tf.Tensor[]): tf.Tensor[] {
  const y = f(...xs);
  const w = t(y.shape, 99);
  return [y, ...tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(w, f(...a))))(xs)];
}

const cases: Case[] = [
  ["conv2d 3×3 same, stride 1 (Conv2DBackpropInput/Filter)", () => withGrads((x, k) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, "same"), t([2, 9, 7, 3], 1), t([3, 3, 3, 4], 2))],
  ["conv2d 3×3 valid, stride 2", () => withGrads((x, k) => tf.conv2d(x as tf.Tensor4D, k as tf.Tensor4D, 2, "valid"), t([1, 11, 10, 2], 3), t([3, 3, 2, 5], 4))],
  ["depthwise conv 3×3, multiplier 2 (depthwise backprops)", () => withGrads((x, k) => tf.depthwiseConv2d(x as tf.Tensor4D, k as tf.Tensor4D, 1, "same"), t([2, 8, 8, 3], 5), t([3, 3, 3, 2], 6))],
  ["depthwise [1, 3], stride [1, 2] (the mul-free temporal conv shape)", () => withGrads((x, k) => tf.depthwiseConv2d(x as tf.Tensor4D, k as tf.Tensor4D, [1, 2], "valid"), t([2, 1, 12, 4], 7), t([1, 3, 4, 1], 8))],
  // Spike maps: x ⊙ 0 + Θ(m) is 0/1 with x's gradient, so nearly every window has tied maxima.
  ["maxPool 2×2 on 0/1 spikes (ties everywhere, MaxPoolGrad)", () => {
    const spikes = tf.cast(tf.greater(t([2, 8, 8, 3], 9), 0.3), "float32");
    return withGrads((x) => tf.maxPool(tf.add(tf.mul(x, 0), spikes) as tf.Tensor4D, 2, 2, "valid"), t([2, 8, 8, 3], 22));
  }],
  ["maxPool 3×3 stride 2 same, all-negative windows", () => withGrads((x) => tf.maxPool(x as tf.Tensor4D, 3, 2, "same"), t([1, 9, 9, 2], 10, 1, -5))],
  // Distinct values only: webgpu's own MaxPool3DGrad is kept (the composed one needs a rank-5 Select),
  // and where maxima tie it may route to another position than cpu (no paper network max-pools in 3-D).
  ["maxPool3d 2×2×2 (MaxPool3DGrad, no ties)", () => withGrads((x) => tf.maxPool3d(x as tf.Tensor5D, 2, 2, "valid"), t([1, 4, 6, 6, 2], 11))],
  ["avgPool 3×3 stride 2 (AvgPoolGrad)", () => withGrads((x) => tf.avgPool(x as tf.Tensor4D, 3, 2, "same"), t([2, 9, 9, 2], 12))],
  ["conv3d 3×5×5 (Conv3d of the DVS-Lip stem)", () => withGrads((x, k) => tf.conv3d(x as tf.Tensor5D, k as tf.Tensor5D, [1, 2, 2], "same"), t([1, 4, 10, 10, 2], 13), t([3, 5, 5, 2, 3], 14))],
  ["batchMatMul with transposes", () => withGrads((a, b) => tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D, true, true), t([3, 5, 4], 15), t([3, 6, 5], 16))],
  ["gather (UnsortedSegmentSum gradient)", () => withGrads((x) => tf.gather(x, tf.tensor1d([0, 2, 2, 1, 0], "int32")), t([4, 3], 17))],
  ["Cast bool → float32, then a rank-5 mean over middle axes (Transpose)", () => {
    const spikes = tf.cast(tf.greater(t([2, 2, 5, 6, 3], 23), 0), "float32");
    return [tf.mean(spikes, [2, 3]), ...withGrads((x) => tf.mean(tf.mul(spikes, x), [2, 3]), t([2, 2, 5, 6, 3], 18))];
  }],
  ["AddN of 19 tensors (over the storage-buffer limit)", () => withGrads((...xs) => tf.addN(xs), ...Array.from({ length: 19 }, (_, i) => t([3, 4], 30 + i)))],
  ["rank-5 pad on axes 0, 2, 3 (slice gradient, Conv3d padding)", () => withGrads((x) => tf.pad(x, [[1, 0], [0, 0], [2, 1], [0, 3], [0, 0]]), t([2, 3, 4, 5, 2], 19))],
  ["rank-5 pad on 4 axes (two passes)", () => withGrads((x) => tf.pad(x, [[0, 1], [1, 0], [1, 1], [0, 2], [1, 0]], 0.5), t([2, 2, 3, 2, 2], 20))],
  ["rank-5 slice (its gradient is a rank-5 pad)", () => withGrads((x) => tf.slice(x, [1, 0, 1, 0, 0], [2, 2, 2, 3, 2]), t([3, 2, 4, 3, 2], 21))],
];

describe("custom and repaired kernels on webgpu equal cpu", () => {
  it("the webgpu rung wrapped its kernels", () => {
    for (const name of [...WEBGPU_KERNELS_WRAPPED, ...WEBGPU_KERNELS_REPLACED]) {
      expect((tf.getKernel(name, "webgpu") as unknown as Record<symbol, unknown>)[Symbol.for("spikelab.kernel")], name).toBe(true);
    }
  });
  it("padGroups merges unpadded axes into their left neighbour", () => {
    expect(padGroups([2, 3, 4, 5, 6], [[1, 0], [0, 0], [2, 1], [0, 0], [0, 0]])).toEqual([{ size: 6, pad: [3, 0] }, { size: 120, pad: [60, 30] }]);
    expect(padGroups([2, 3], [[0, 0], [0, 0]])).toEqual([{ size: 6, pad: [0, 0] }]);
  });
  for (const [name, f] of cases) {
    it(name, async () => {
      const gpu = await runOn("webgpu", f);
      const cpu = await runOn("cpu", f);
      expect(mismatches(name, gpu, cpu, 1e-5, 1e-6)).toEqual([]);
    });
  }
});
