/**
 * Conv2DBackpropFilter on wasm — the generated SIMD outer-product kernel (conv2d-backprop-filter-simd.ts) and the
 * forward-conv composition it falls back to — against the cpu backend's kernel, relative error ≤ 1e-5 (of the
 * reference's largest magnitude), over every tile variant (input channels mod 4, output channels mod 8 / mod 4),
 * kernels 1×1 … 5×5 and [3,1], strides 1/2/[2,1], batch 1, non-square inputs and every padding form.
 */
import { describe, expect, it } from "vitest";
import { tf, wasmHeapMemory } from "../../../src/lib/backend/index.js";
import { conv2dBackpropFilterComposed } from "../../../src/lib/backend/kernels/conv2d-backprop-filter.js";
import { backpropFilterSimd, rowsPerBlock } from "../../../src/lib/backend/kernels/conv2d-backprop-filter-simd.js";
import type { KernelArgs, TensorInfo } from "../../../src/lib/backend/kernels/compose.js";
import { normal, onBackend, read, relErr, BASE_CONV_CASES, type ConvCase as Case, type Out } from "../wasm-kernels-helpers.js";


const CASES: Case[] = [
  ...BASE_CONV_CASES,
  { B: 2, H: 4, W: 4, ci: 16, co: 16, kh: 3, kw: 3, s: [2, 2], pad: "valid" },
  { B: 2, H: 11, W: 6, ci: 1, co: 7, kh: 3, kw: 3, s: [1, 1], pad: [[0, 0], [1, 2], [2, 0], [0, 0]] },
  { B: 1, H: 3, W: 10, ci: 6, co: 1, kh: 3, kw: 5, s: [1, 2], pad: "same" },
  { B: 3, H: 12, W: 1, ci: 8, co: 9, kh: 3, kw: 1, s: [1, 1], pad: "same" }, // the seq-CIFAR column conv (run as a row)
  { B: 2, H: 9, W: 1, ci: 5, co: 4, kh: 5, kw: 1, s: [2, 1], pad: [[0, 0], [1, 3], [0, 0], [0, 0]] }, // column, strided, uneven pad
  { B: 1, H: 2, W: 3, ci: 4, co: 8, kh: 5, kw: 5, s: [1, 1], pad: "same" }, // kernel larger than the input
  { B: 2, H: 9, W: 9, ci: 3, co: 4, kh: 1, kw: 1, s: [2, 2], pad: "same" }, // 1×1 stride 2 (downsampling)
  { B: 2, H: 40, W: 16, ci: 64, co: 64, kh: 3, kw: 3, s: [1, 1], pad: "same" }, // several row blocks per call
];
const name = (c: Case) => `B${c.B} ${c.H}x${c.W} ${c.ci}->${c.co} k${c.kh}x${c.kw} s${c.s} pad ${JSON.stringify(c.pad)}`;

function inputs(c: Case): { x: tf.Tensor4D; dy: tf.Tensor4D; attrs: Record<string, unknown> } {
  const x = tf.tensor4d(normal([c.B, c.H, c.W, c.ci], 1), [c.B, c.H, c.W, c.ci]);
  const rounding = typeof c.pad === "number" ? "ceil" : undefined;
  const yShape = tf.tidy(() => tf.conv2d(x, tf.zeros([c.kh, c.kw, c.ci, c.co]) as tf.Tensor4D, c.s, c.pad, "NHWC", 1, rounding).shape);
  const dy = tf.tensor4d(normal(yShape, 2), yShape);
  return { x, dy, attrs: { strides: c.s, pad: c.pad, dataFormat: "NHWC", dimRoundingMode: rounding, filterShape: [c.kh, c.kw, c.ci, c.co] } };
}

/** dW through the registered kernel of the active backend. */
function registered(c: Case): Out {
  const { x, dy, attrs } = inputs(c);
  const out = read(tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, attrs as tf.NamedAttrMap) as tf.Tensor)[0]!;
  tf.dispose([x, dy]);
  return out;
}

/** dW through one formulation called directly on wasm. */
function formulation(c: Case, simd: boolean): Out {
  const { x, dy, attrs } = inputs(c);
  const backend = tf.backend();
  const info = conv2dBackpropFilterComposed("wasm", { simd })({ inputs: { x, dy } as unknown as KernelArgs["inputs"], backend, attrs }) as TensorInfo;
  const out = read(tf.engine().makeTensorFromTensorInfo(info))[0]!;
  tf.dispose([x, dy]);
  return out;
}

describe("Conv2DBackpropFilter on wasm equals cpu", () => {
  it("the generated SIMD kernel instantiates on this engine (else the fallback would be all that is tested)", async () => {
    await onBackend("wasm", () => {
      const memory = wasmHeapMemory(tf.backend());
      expect(memory).not.toBeNull();
      const g = { H: 8, W: 8, Ci: 5, Ho: 8, Wo: 8, Co: 13, KH: 3, KW: 3, sh: 1, sw: 1, top: 1, left: 1 };
      expect(backpropFilterSimd(memory!, g)).not.toBeNull();
      expect(rowsPerBlock({ ...g, Ci: 64, Co: 64, Wo: 16 })).toBe(32); // the last case spans 3 blocks (2·40 rows)
    });
  });

  it("SIMD kernel, composition and the registered kernel, over tile variants, strides, kernels and pads", async () => {
    const ref = await onBackend("cpu", () => CASES.map(registered));
    const got = await onBackend("wasm", () => CASES.map((c) => ({ simd: formulation(c, true), conv: formulation(c, false), reg: registered(c) })));
    const failures: string[] = [];
    CASES.forEach((c, i) => {
      for (const [arm, out] of Object.entries(got[i]!)) {
        const e = relErr(out, ref[i]!);
        if (!(e <= 1e-5)) failures.push(`${arm} ${name(c)}: rel err ${e}`);
      }
    });
    expect(failures).toEqual([]);
  });

  it("frees everything it allocates", async () => {
    await onBackend("wasm", () => {
      const c = CASES[3]!;
      registered(c);
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids = backend.numDataIds();
      registered(c);
      registered(c);
      expect(backend.numDataIds()).toBe(ids);
    });
  });
});
