/**
 * Conv2DBackpropInput on wasm (a forward Conv2D of zero-upsampled dy with the flipped filter, its zeros passed as
 * the conv's explicit padding, conv2d-backprop-input.ts) against the cpu backend's kernel: relative error ≤ 1e-5
 * over kernels 1×1 … 5×5 and [3,1], strides 1/2/[2,1], batch 1, non-square inputs, pads that crop (a number
 * pad larger than the kernel's reach) and every padding form.
 */
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/index.js";
import { normal, onBackend, read, relErr, type Out } from "../wasm-kernels-helpers.js";

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case { B: number; H: number; W: number; ci: number; co: number; kh: number; kw: number; s: [number, number]; pad: Pad }

const CASES: Case[] = [
  { B: 2, H: 7, W: 9, ci: 3, co: 5, kh: 3, kw: 3, s: [1, 1], pad: "same" },
  { B: 1, H: 8, W: 8, ci: 4, co: 8, kh: 3, kw: 3, s: [2, 2], pad: "same" },
  { B: 3, H: 6, W: 5, ci: 9, co: 12, kh: 1, kw: 1, s: [1, 1], pad: "valid" },
  { B: 2, H: 9, W: 7, ci: 5, co: 13, kh: 5, kw: 3, s: [2, 1], pad: "valid" },
  { B: 1, H: 5, W: 5, ci: 8, co: 4, kh: 3, kw: 3, s: [1, 1], pad: 2 },
  { B: 1, H: 6, W: 7, ci: 2, co: 3, kh: 1, kw: 1, s: [1, 1], pad: 1 }, // padding beyond a 1×1 kernel: a crop
  { B: 2, H: 11, W: 6, ci: 1, co: 7, kh: 3, kw: 3, s: [1, 1], pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { B: 1, H: 3, W: 10, ci: 6, co: 1, kh: 3, kw: 5, s: [1, 2], pad: "same" },
  { B: 3, H: 12, W: 1, ci: 8, co: 9, kh: 3, kw: 1, s: [1, 1], pad: "same" },
  { B: 2, H: 9, W: 9, ci: 3, co: 4, kh: 1, kw: 1, s: [2, 2], pad: "same" },
  { B: 2, H: 16, W: 12, ci: 32, co: 24, kh: 3, kw: 3, s: [2, 2], pad: "same" },
];
const name = (c: Case) => `B${c.B} ${c.H}x${c.W} ${c.ci}->${c.co} k${c.kh}x${c.kw} s${c.s} pad ${JSON.stringify(c.pad)}`;

function dx(c: Case): Out {
  const rounding = typeof c.pad === "number" ? "ceil" : undefined;
  const w = tf.tensor4d(normal([c.kh, c.kw, c.ci, c.co], 1), [c.kh, c.kw, c.ci, c.co]);
  const yShape = tf.tidy(() => tf.conv2d(tf.zeros([c.B, c.H, c.W, c.ci]) as tf.Tensor4D, w, c.s, c.pad, "NHWC", 1, rounding).shape);
  const dy = tf.tensor4d(normal(yShape, 2), yShape);
  const out = read(tf.engine().runKernel("Conv2DBackpropInput", { dy, filter: w }, {
    strides: c.s, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: rounding, inputShape: [c.B, c.H, c.W, c.ci],
  } as unknown as tf.NamedAttrMap) as tf.Tensor)[0]!;
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
});
