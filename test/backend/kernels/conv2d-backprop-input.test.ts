/**
 * Conv2DBackpropInput on wasm — the per-phase decomposition (stride-1 Conv2Ds of dy with flipped sub-filters, placed
 * into dx by the generated helpers) and the zero-upsampling composition it falls back to (conv2d-backprop-input.ts)
 * — against the cpu backend's kernel: relative error ≤ 1e-5 over kernels 1×1 … 5×5 and [3,1], strides 1/2/3/[2,1],
 * batch 1, non-square and odd inputs at stride 2 (dx sizes not divisible by the stride, so phases differ in size),
 * phases that no tap reaches (1×1 and 2×2 kernels at stride 2/3), pads that crop (a number pad larger than the
 * kernel's reach), kernels larger than the input, channels off the f32x4 width and every padding form.
 */
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/index.js";
import type { KernelArgs, TensorInfo } from "../../../src/lib/backend/kernels/compose.js";
import { conv2dBackpropInputComposed } from "../../../src/lib/backend/kernels/conv2d-backprop-input.js";
import { normal, onBackend, read, relErr, BASE_CONV_CASES, type ConvCase as Case, type Out } from "../wasm-kernels-helpers.js";


const CASES: Case[] = [
  ...BASE_CONV_CASES,
  { B: 1, H: 6, W: 7, ci: 2, co: 3, kh: 1, kw: 1, s: [1, 1], pad: 1 }, // padding beyond a 1×1 kernel: a crop
  { B: 2, H: 11, W: 6, ci: 1, co: 7, kh: 3, kw: 3, s: [1, 1], pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { B: 1, H: 3, W: 10, ci: 6, co: 1, kh: 3, kw: 5, s: [1, 2], pad: "same" },
  { B: 3, H: 12, W: 1, ci: 8, co: 9, kh: 3, kw: 1, s: [1, 1], pad: "same" },
  { B: 2, H: 9, W: 9, ci: 3, co: 4, kh: 1, kw: 1, s: [2, 2], pad: "same" },
  { B: 2, H: 16, W: 12, ci: 32, co: 24, kh: 3, kw: 3, s: [2, 2], pad: "same" },
  { B: 2, H: 9, W: 7, ci: 6, co: 5, kh: 3, kw: 3, s: [2, 2], pad: "same" }, // odd sizes at stride 2
  { B: 1, H: 11, W: 8, ci: 7, co: 9, kh: 3, kw: 3, s: [2, 2], pad: "valid" }, // a last row no window reads
  { B: 3, H: 10, W: 7, ci: 5, co: 6, kh: 1, kw: 1, s: [2, 2], pad: "valid" }, // 3 of 4 phases zero
  { B: 2, H: 8, W: 9, ci: 4, co: 3, kh: 2, kw: 2, s: [2, 2], pad: "same" }, // even kernel: one tap per phase
  { B: 1, H: 10, W: 11, ci: 3, co: 4, kh: 2, kw: 3, s: [3, 3], pad: "same" }, // stride > kernel rows: a zero phase
  { B: 2, H: 7, W: 8, ci: 5, co: 4, kh: 5, kw: 5, s: [2, 2], pad: 3 }, // padding beyond the kernel's reach at stride 2
  { B: 1, H: 3, W: 2, ci: 4, co: 8, kh: 5, kw: 5, s: [2, 2], pad: "same" }, // kernel larger than the input
  { B: 1, H: 1, W: 5, ci: 8, co: 8, kh: 3, kw: 3, s: [2, 2], pad: "same" }, // one row: fewer row phases than the stride
  { B: 2, H: 12, W: 5, ci: 8, co: 4, kh: 3, kw: 1, s: [2, 1], pad: [[0, 0], [2, 1], [0, 0], [0, 0]] }, // column, strided
  { B: 2, H: 12, W: 12, ci: 64, co: 32, kh: 3, kw: 3, s: [2, 2], pad: [[0, 0], [0, 1], [1, 0], [0, 0]] },
];
const name = (c: Case) => `B${c.B} ${c.H}x${c.W} ${c.ci}->${c.co} k${c.kh}x${c.kw} s${c.s} pad ${JSON.stringify(c.pad)}`;

function problem(c: Case) {
  const rounding = typeof c.pad === "number" ? "ceil" : undefined;
  const w = tf.tensor4d(normal([c.kh, c.kw, c.ci, c.co], 1), [c.kh, c.kw, c.ci, c.co]);
  const yShape = tf.tidy(() => tf.conv2d(tf.zeros([c.B, c.H, c.W, c.ci]) as tf.Tensor4D, w, c.s, c.pad, "NHWC", 1, rounding).shape);
  const dy = tf.tensor4d(normal(yShape, 2), yShape);
  const attrs = { strides: c.s, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: rounding, inputShape: [c.B, c.H, c.W, c.ci] };
  return { w, dy, attrs };
}

/** dx through the registered kernel of the active backend. */
function dx(c: Case): Out {
  const { w, dy, attrs } = problem(c);
  const out = read(tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor)[0]!;
  tf.dispose([w, dy]);
  return out;
}

/** dx through one formulation called directly on wasm (the stock kernel is never reached for NHWC). */
function formulation(c: Case, phases: boolean): Out {
  const { w, dy, attrs } = problem(c);
  const stock = () => { throw new Error("stock kernel called"); };
  const info = conv2dBackpropInputComposed(stock, "wasm", { phases })({
    inputs: { dy, filter: w } as unknown as KernelArgs["inputs"], backend: tf.backend(), attrs,
  }) as TensorInfo;
  const out = read(tf.engine().makeTensorFromTensorInfo(info))[0]!;
  tf.dispose([w, dy]);
  return out;
}

describe("Conv2DBackpropInput on wasm equals cpu", () => {
  it("over strides, kernels, pads (incl. crops) and shapes", async () => {
    const ref = await onBackend("cpu", () => CASES.map(dx));
    const got = await onBackend("wasm", () => CASES.map(dx));
    const failures = CASES.flatMap((c, i) => {
      const e = relErr(got[i]!, ref[i]!);
      return e <= 1e-5 ? [] : [`${name(c)}: rel err ${e}`];
    });
    expect(failures).toEqual([]);
  });

  it("both formulations (per-phase convs and zero-upsampling) over the same cases", async () => {
    const ref = await onBackend("cpu", () => CASES.map(dx));
    for (const phases of [true, false]) {
      const got = await onBackend("wasm", () => CASES.map((c) => formulation(c, phases)));
      const failures = CASES.flatMap((c, i) => {
        const e = relErr(got[i]!, ref[i]!);
        return e <= 1e-5 ? [] : [`${name(c)}: rel err ${e}`];
      });
      expect(failures, phases ? "per-phase" : "zero-upsampling").toEqual([]);
    }
  });

  it("frees every intermediate (no tensor or heap buffer left behind)", async () => {
    await onBackend("wasm", () => {
      for (const c of CASES.slice(0, 3)) dx(c); // compile and cache the generated helpers first
      const before = tf.memory().numTensors, bytes = tf.memory().numBytes;
      const backendBefore = (tf.backend() as unknown as { numDataIds(): number }).numDataIds();
      for (const c of CASES) dx(c);
      expect([tf.memory().numTensors, tf.memory().numBytes]).toEqual([before, bytes]);
      expect((tf.backend() as unknown as { numDataIds(): number }).numDataIds()).toBe(backendBefore);
    });
  });
});
