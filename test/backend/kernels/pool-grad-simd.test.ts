/**
 * The generated SIMD pool gradients (pool-grad-simd.ts) behind wasm's `AvgPoolGrad` (avg-pool-grad.ts) and
 * `MaxPoolGrad` (max-pool-grad.ts), and the first-maximum composition MaxPoolGrad falls back to, against the cpu
 * backend's kernels: relative error ≤ 1e-6 over windows 1×1 … 3×3 and non-square, strides 1/2/3/[2,1], overlapping
 * and non-overlapping windows, 'same'/'valid'/number/explicit pads, odd sizes at stride 2 (rows no window reads),
 * batch 1, channel counts on and off the f32x4 width; for max also ties (the first maximum wins), windows whose
 * values are all ≤ 0, and windows of −∞ (nothing routed) with NaNs (never a maximum).
 */
import { describe, expect, it } from "vitest";
import { tf } from "../../../src/lib/backend/index.js";
import type { KernelArgs, TensorInfo } from "../../../src/lib/backend/kernels/compose.js";
import { maxPoolGradComposed } from "../../../src/lib/backend/kernels/max-pool-grad.js";
import { normal, onBackend, read, relErr, type Out } from "../wasm-kernels-helpers.js";

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
type Values = "normal" | "negative" | "ties" | "infinite";
interface Case { B: number; H: number; W: number; C: number; k: [number, number]; s: [number, number]; pad: Pad; values: Values }

const CASES: Case[] = [];
{
  const shapes: Array<[number, number, number, number]> = [[2, 8, 8, 8], [1, 9, 7, 5], [3, 6, 11, 3], [2, 7, 7, 12], [1, 5, 4, 1]];
  const windows: Array<{ k: [number, number]; s: [number, number] }> = [
    { k: [2, 2], s: [2, 2] }, { k: [3, 3], s: [2, 2] }, { k: [3, 3], s: [1, 1] }, { k: [1, 1], s: [2, 2] },
    { k: [2, 1], s: [2, 1] }, { k: [3, 2], s: [1, 2] }, { k: [2, 2], s: [3, 3] }, { k: [2, 3], s: [1, 1] },
  ];
  const pads: Pad[] = ["valid", "same", 1, [[0, 0], [1, 0], [0, 2], [0, 0]]];
  const values: Values[] = ["normal", "negative", "ties", "infinite"];
  let n = 0;
  for (const w of windows) {
    for (const pad of pads) {
      if (typeof pad === "number" && pad >= Math.min(...w.k)) continue;
      if (Array.isArray(pad) && (pad[1][0] >= w.k[0] || pad[2][1] >= w.k[1])) continue;
      const [B, H, W, C] = shapes[n % shapes.length]!;
      CASES.push({ B, H, W, C, ...w, pad, values: values[n % values.length]! });
      n++;
    }
  }
  CASES.push({ B: 2, H: 48, W: 48, C: 64, k: [2, 2], s: [2, 2], pad: "valid", values: "ties" }); // a paper layer's pool
  CASES.push({ B: 4, H: 32, W: 1, C: 16, k: [2, 1], s: [2, 1], pad: "valid", values: "normal" }); // seq-CIFAR's column pool
}
const name = (c: Case) => `B${c.B} ${c.H}x${c.W} C${c.C} k${c.k} s${c.s} pad ${JSON.stringify(c.pad)} ${c.values}`;

function xValues(c: Case): Float32Array {
  const v = normal([c.B, c.H, c.W, c.C], 5);
  switch (c.values) {
    case "normal": return v;
    case "negative": return v.map((a) => -Math.abs(a) - 0.1); // every window ≤ 0 (toolchain §7.3)
    case "ties": return v.map((a) => Math.round(a / 2)); // mostly −1, 0, 1: many equal maxima
    // every third pixel −∞ and every seventh NaN: windows of −∞/NaN only, which route nothing
    case "infinite": return v.map((a, i) => (i % 7 === 3 ? NaN : (i % 3 === 0 || a < 0.3 ? -Infinity : a)));
  }
}

function problem(c: Case) {
  const x = tf.tensor4d(xValues(c), [c.B, c.H, c.W, c.C]);
  const rounding = typeof c.pad === "number" ? "floor" : undefined;
  const yShape = tf.tidy(() => tf.avgPool(tf.zeros([c.B, c.H, c.W, c.C]) as tf.Tensor4D, c.k, c.s, c.pad as "same", rounding).shape);
  const dy = tf.tensor4d(normal(yShape, 6), yShape);
  const attrs = { filterSize: c.k, strides: c.s, pad: c.pad, dimRoundingMode: rounding };
  return { x, dy, attrs };
}

function registered(kernel: "AvgPoolGrad" | "MaxPoolGrad", c: Case): Out {
  const { x, dy, attrs } = problem(c);
  const inputs: tf.NamedTensorMap = kernel === "AvgPoolGrad" ? { dy, input: x } : { dy, input: x, output: dy }; // output is not read
  const out = read(tf.engine().runKernel(kernel, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor)[0]!;
  tf.dispose([x, dy]);
  return out;
}

function maxFormulation(c: Case, simd: boolean): Out {
  const { x, dy, attrs } = problem(c);
  const info = maxPoolGradComposed("wasm", { simd })({
    inputs: { dy, input: x, output: dy } as unknown as KernelArgs["inputs"], backend: tf.backend(), attrs,
  }) as TensorInfo;
  const out = read(tf.engine().makeTensorFromTensorInfo(info))[0]!;
  tf.dispose([x, dy]);
  return out;
}

const compare = (got: Out[], ref: Out[], tol: number) => CASES.flatMap((c, i) => {
  const e = relErr(got[i]!, ref[i]!);
  return e <= tol ? [] : [`${name(c)}: rel err ${e}`];
});

describe("pool gradients on wasm (generated SIMD) equal cpu", () => {
  it("AvgPoolGrad over windows, strides, pads and shapes", async () => {
    const avgCases = CASES.filter((c) => c.values !== "infinite");
    const ref = await onBackend("cpu", () => avgCases.map((c) => registered("AvgPoolGrad", c)));
    const got = await onBackend("wasm", () => avgCases.map((c) => registered("AvgPoolGrad", c)));
    expect(avgCases.flatMap((c, i) => relErr(got[i]!, ref[i]!) <= 1e-6 ? [] : [`${name(c)}: rel err ${relErr(got[i]!, ref[i]!)}`])).toEqual([]);
    expect(avgCases.length).toBeGreaterThan(20);
  });

  it("MaxPoolGrad incl. ties, all-≤0 windows and −∞/NaN windows: registered kernel and both formulations", async () => {
    const ref = await onBackend("cpu", () => CASES.map((c) => registered("MaxPoolGrad", c)));
    const got = await onBackend("wasm", () => CASES.map((c) => registered("MaxPoolGrad", c)));
    expect(compare(got, ref, 1e-6), "registered").toEqual([]);
    for (const simd of [true, false]) {
      const f = await onBackend("wasm", () => CASES.map((c) => maxFormulation(c, simd)));
      expect(compare(f, ref, 1e-6), simd ? "SIMD" : "composition").toEqual([]);
    }
    // the −∞/NaN cases really contain windows that route nothing, and ties really tie
    expect(CASES.filter((c) => c.values === "infinite").length).toBeGreaterThan(3);
  });

  it("the first maximum of a tied window takes the whole gradient", async () => {
    const g = await onBackend("wasm", () => {
      // one 2×2 window per channel pair: channel 0 ties at (0,1),(1,0); channel 1 all equal; channel 2 all −∞
      const x = tf.tensor4d([0, 5, -Infinity, 7, 5, -Infinity, 7, 5, -Infinity, 1, 5, -Infinity], [1, 2, 2, 3]);
      const dy = tf.tensor4d([2, 3, 4], [1, 1, 1, 3]);
      return read(tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output: dy }, { filterSize: 2, strides: 2, pad: "valid" }) as tf.Tensor)[0]!;
    });
    expect(Array.from(g.values)).toEqual([0, 3, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0]);
  });
});
