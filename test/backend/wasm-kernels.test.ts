/**
 * The wasm kernels of src/lib/backend/wasm-kernels.ts against the cpu backend (toolchain §7.1–7.3):
 * gradients of the public ops (tf.grads) over a grid of shapes, strides, pads and dilations.
 */
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { registerWasmKernels, WASM_KERNELS_ADDED, WASM_KERNELS_REPLACED } from "../../src/lib/backend/wasm-kernels.js";
import { compareBackends, normal, onBackend, read, relErr } from "./wasm-kernels-helpers.js";

type Pad = "same" | "valid" | number | [[number, number], [number, number], [number, number], [number, number]];
const PADS: Pad[] = ["same", "valid", [[0, 0], [1, 2], [2, 0], [0, 0]], 1];
const padName = (p: Pad) => JSON.stringify(p);
/** A fixed, seeded dy so that the gradient is not just a sum (weights every output differently). */
function weightedSum(y: tf.Tensor, seed: number): tf.Scalar {
  return tf.sum(tf.mul(y, tf.tensor(normal(y.shape, seed), y.shape)));
}

describe("registration", () => {
  it("registers every kernel once, idempotently, without warnings, replacing MaxPoolGrad", () => {
    const warn = console.warn;
    const warnings: unknown[] = [];
    console.warn = (...a: unknown[]) => { warnings.push(a); };
    try {
      registerWasmKernels();
      registerWasmKernels();
    } finally {
      console.warn = warn;
    }
    expect(warnings).toEqual([]);
    expect([...WASM_KERNELS_ADDED].sort()).toEqual(["Conv2DBackpropFilter", "DepthwiseConv2dNativeBackpropFilter",
      "DepthwiseConv2dNativeBackpropInput", "UnsortedSegmentSum"]);
    expect([...WASM_KERNELS_REPLACED].sort()).toEqual(["MaxPool3DGrad", "MaxPoolGrad"]);
    for (const name of [...WASM_KERNELS_ADDED, ...WASM_KERNELS_REPLACED]) {
      const k = tf.getKernel(name, "wasm") as unknown as Record<symbol, unknown> | undefined;
      expect(k, name).toBeDefined();
      expect(k![Symbol.for("spikelab.kernel")], name).toBe(true);
    }
  });

  it("frees every intermediate (no wasm tensors leak per gradient)", async () => {
    await onBackend("wasm", () => {
      const x = tf.tensor4d(normal([2, 7, 9, 3], 1), [2, 7, 9, 3]);
      const w = tf.tensor4d(normal([3, 3, 3, 6], 2), [3, 3, 3, 6]);
      const wd = tf.tensor4d(normal([3, 3, 3, 2], 3), [3, 3, 3, 2]);
      const step = () => {
        const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
          tf.sum(tf.maxPool(tf.add(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, "same"), tf.depthwiseConv2d(a as tf.Tensor4D, c as tf.Tensor4D, 2, "same")) as tf.Tensor4D, 2, 1, "same")))([x, w, wd]);
        g.forEach((t) => t.dispose());
      };
      step();
      const backend = tf.backend() as unknown as { numDataIds(): number };
      const ids = backend.numDataIds();
      const tensors = tf.memory().numTensors;
      step();
      step();
      expect(tf.memory().numTensors).toBe(tensors);
      expect(backend.numDataIds()).toBe(ids);
      tf.dispose([x, w, wd]);
    });
  });
});

describe("Conv2D gradients (Conv2DBackpropFilter added, Conv2DBackpropInput composed for NHWC) equal cpu", () => {
  it("over batch 1-3, odd sizes, channels 1/several, kernel 1/3/5, stride 1/2, same/valid/explicit/number pads", async () => {
    const sizes = [[7, 9], [8, 8], [5, 6], [11, 7]];
    const cases: Array<{ B: number; H: number; W: number; ci: number; co: number; k: number; s: number; pad: Pad }> = [];
    let n = 0;
    for (const k of [1, 3, 5]) for (const s of [1, 2]) for (const pad of PADS) {
      const [H, W] = sizes[n % sizes.length]!;
      cases.push({ B: 1 + (n % 3), H: H!, W: W!, ci: [1, 3, 2][n % 3]!, co: [4, 1, 6, 2][n % 4]!, k, s, pad });
      n++;
    }
    const { failures, worst } = await compareBackends(cases, (c) => {
      const x = tf.tensor4d(normal([c.B, c.H, c.W, c.ci], 1), [c.B, c.H, c.W, c.ci]);
      const w = tf.tensor4d(normal([c.k, c.k, c.ci, c.co], 2), [c.k, c.k, c.ci, c.co]);
      const rounding = typeof c.pad === "number" ? "ceil" : undefined;
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        weightedSum(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad, "NHWC", 1, rounding), 3))([x, w]);
      tf.dispose([x, w]);
      return g;
    }, (c) => `conv B${c.B} ${c.H}x${c.W} ${c.ci}->${c.co} k${c.k} s${c.s} pad ${padName(c.pad)}`);
    expect(failures).toEqual([]);
    expect(worst).toBeLessThan(1e-4);
    expect(cases.length).toBe(24);
  });

  it("also for NCHW input through the kernel directly (filter gradient)", async () => {
    const f = (nchw: boolean) => {
      const xv = tf.tensor4d(normal([2, 7, 9, 3], 4), [2, 7, 9, 3]);
      const dyv = tf.tensor4d(normal([2, 4, 5, 5], 5), [2, 4, 5, 5]);
      const x = nchw ? tf.transpose(xv, [0, 3, 1, 2]) : xv;
      const dy = nchw ? tf.transpose(dyv, [0, 3, 1, 2]) : dyv;
      return tf.engine().runKernel("Conv2DBackpropFilter", { x, dy }, {
        strides: [2, 2], pad: "same", dataFormat: nchw ? "NCHW" : "NHWC", filterShape: [3, 3, 3, 5],
      }) as tf.Tensor;
    };
    const ref = await onBackend("cpu", () => read(f(false)));
    const got = await onBackend("wasm", () => read(f(true)));
    expect(relErr(got[0]!, ref[0]!)).toBeLessThan(1e-4);
  });
});

describe("depthwiseConv2d gradients (both backprop kernels added) equal cpu", () => {
  it("over batch 1-3, odd sizes, channels 1/several, multiplier 1/2, kernel 1/3/5 and [1,k]/[k,1], stride 1/2, pads", async () => {
    const sizes = [[7, 9], [8, 8], [9, 7], [6, 11]];
    const kernels: Array<[number, number]> = [[1, 1], [3, 3], [5, 5], [1, 3], [5, 1]];
    const cases: Array<{ B: number; H: number; W: number; C: number; M: number; kh: number; kw: number; s: number; pad: Pad }> = [];
    let n = 0;
    for (const [kh, kw] of kernels) for (const s of [1, 2]) for (const pad of PADS.slice(0, 3)) for (const M of [1, 2]) {
      const [H, W] = sizes[n % sizes.length]!;
      cases.push({ B: 1 + (n % 3), H: H!, W: W!, C: [1, 3, 4][n % 3]!, M, kh, kw, s, pad });
      n++;
    }
    const { failures, worst } = await compareBackends(cases, (c) => {
      const x = tf.tensor4d(normal([c.B, c.H, c.W, c.C], 1), [c.B, c.H, c.W, c.C]);
      const w = tf.tensor4d(normal([c.kh, c.kw, c.C, c.M], 2), [c.kh, c.kw, c.C, c.M]);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        weightedSum(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.s, c.pad as "same"), 3))([x, w]);
      tf.dispose([x, w]);
      return g;
    }, (c) => `dw B${c.B} ${c.H}x${c.W} C${c.C} M${c.M} k${c.kh}x${c.kw} s${c.s} pad ${padName(c.pad)}`);
    expect(failures).toEqual([]);
    expect(worst).toBeLessThan(1e-4);
  });

  it("dilation 2 (as the mul-free neuron's temporal conv) equals the gradient of an explicitly dilated filter", async () => {
    // TF.js refuses gradients of dilated depthwise convs and its cpu backprop kernels ignore
    // `dilations`, so the reference is the dilation-1 conv with zeros inserted into the filter:
    // dx is identical, and dW is the dilated filter's gradient at every d-th tap.
    const cases: Array<{ B: number; H: number; W: number; C: number; M: number; kh: number; kw: number; d: number; pad: Pad }> = [];
    let n = 0;
    for (const [kh, kw] of [[1, 3], [3, 1], [3, 3], [1, 5]] as Array<[number, number]>) {
      for (const pad of ["same", "valid", [[0, 0], [1, 0], [2, 1], [0, 0]]] as Pad[]) for (const M of [1, 2]) {
        cases.push({ B: 1 + (n % 3), H: [7, 9, 12][n % 3]!, W: [11, 8, 13][n % 3]!, C: [1, 3, 2][n % 3]!, M, kh, kw, d: 2, pad });
        n++;
      }
    }
    const dyShape = (c: (typeof cases)[number]) => {
      const info = tf.backend_util.computeConv2DInfo([c.B, c.H, c.W, c.C], [c.kh, c.kw, c.C, c.M], 1, c.d,
        c.pad as "same", undefined, true);
      return info.outShape;
    };
    const wv = (c: (typeof cases)[number]) => normal([c.kh, c.kw, c.C, c.M], 2);
    const ref = await onBackend("cpu", () => cases.map((c) => {
      const ekh = (c.kh - 1) * c.d + 1, ekw = (c.kw - 1) * c.d + 1;
      const w = wv(c);
      const wDil = new Float32Array(ekh * ekw * c.C * c.M);
      for (let p = 0; p < c.kh; p++) for (let q = 0; q < c.kw; q++) for (let k = 0; k < c.C * c.M; k++) {
        wDil[((p * c.d) * ekw + q * c.d) * c.C * c.M + k] = w[(p * c.kw + q) * c.C * c.M + k]!;
      }
      const x = tf.tensor4d(normal([c.B, c.H, c.W, c.C], 1), [c.B, c.H, c.W, c.C]);
      const dy = tf.tensor(normal(dyShape(c), 3), dyShape(c));
      const [dx, dwDil] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, c.pad as "same"), dy)))([x, tf.tensor4d(wDil, [ekh, ekw, c.C, c.M])]);
      const dw = tf.stridedSlice(dwDil!, [0, 0, 0, 0], [ekh, ekw, c.C, c.M], [c.d, c.d, 1, 1]);
      return read([dx!, dw]);
    }));
    const got = await onBackend("wasm", () => cases.map((c) => {
      const x = tf.tensor4d(normal([c.B, c.H, c.W, c.C], 1), [c.B, c.H, c.W, c.C]);
      const dy = tf.tensor4d(normal(dyShape(c), 3), dyShape(c) as [number, number, number, number]);
      const w = tf.tensor4d(wv(c), [c.kh, c.kw, c.C, c.M]);
      const attrs = { strides: [1, 1], dilations: [c.d, c.d], pad: c.pad };
      const dx = tf.engine().runKernel("DepthwiseConv2dNativeBackpropInput", { dy, filter: w },
        { ...attrs, inputShape: x.shape }) as tf.Tensor;
      const dw = tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy },
        { ...attrs, filterShape: w.shape }) as tf.Tensor;
      return read([dx, dw]);
    }));
    const failures: string[] = [];
    cases.forEach((c, i) => [0, 1].forEach((j) => {
      const e = relErr(got[i]![j]!, ref[i]![j]!);
      if (!(e <= 1e-4)) failures.push(`k${c.kh}x${c.kw} d${c.d} M${c.M} pad ${padName(c.pad)} out ${j}: ${e}`);
    }));
    expect(failures).toEqual([]);
  });

  it("wasm's forward Conv2D/DepthwiseConv2dNative honour dilation together with stride (the swap relies on it)", async () => {
    // reference: stride 1 with the same dilation, then every s-th output ('valid' and explicit pads)
    const f = (direct: boolean) => {
      const out: tf.Tensor[] = [];
      for (const [s, d] of [[2, 2], [2, 3], [3, 2]]) for (const pad of ["valid", [[0, 0], [1, 2], [2, 1], [0, 0]]]) {
        const x = tf.tensor4d(normal([2, 11, 13, 3], 1), [2, 11, 13, 3]);
        const w = tf.tensor4d(normal([3, 3, 3, 4], 2), [3, 3, 3, 4]);
        const wd = tf.tensor4d(normal([3, 3, 3, 2], 3), [3, 3, 3, 2]);
        const st = direct ? s! : 1;
        for (const [name, filter] of [["Conv2D", w], ["DepthwiseConv2dNative", wd]] as const) {
          let y = tf.engine().runKernel(name, { x, filter }, { strides: [st, st], dilations: [d, d], pad, dataFormat: "NHWC" }) as tf.Tensor4D;
          if (!direct) y = tf.stridedSlice(y, [0, 0, 0, 0], y.shape, [1, s!, s!, 1]) as tf.Tensor4D;
          out.push(y);
        }
      }
      return out;
    };
    const ref = await onBackend("cpu", () => read(f(false)));
    const got = await onBackend("wasm", () => read(f(true)));
    ref.forEach((r, i) => expect(relErr(got[i]!, r), `case ${i}`).toBeLessThan(1e-5));
  });
});

describe("pooling gradients equal cpu", () => {
  it("maxPool on all-negative windows (toolchain §7.3) routes to the true maxima", async () => {
    const g = await onBackend("wasm", () => {
      const x = tf.tensor4d([-4, -3, -2, -1, -1, -2, -3, -4], [1, 2, 4, 1]);
      return read(tf.grad((a: tf.Tensor) => tf.sum(tf.maxPool(a as tf.Tensor4D, 2, 2, "valid")))(x))[0]!;
    });
    expect(Array.from(g.values)).toEqual([0, 0, 0, 1, 1, 0, 0, 0]);
  });

  it("maxPool/avgPool over sizes, windows 1-3, stride 1/2, pads, all-negative and tied inputs", async () => {
    const cases: Array<{ B: number; H: number; W: number; C: number; k: number; s: number; pad: Pad; kind: string }> = [];
    let n = 0;
    for (const k of [1, 2, 3]) for (const s of [1, 2]) for (const pad of ["same", "valid", 1] as Pad[]) {
      for (const kind of ["normal", "negative", "ties"]) {
        if (typeof pad === "number" && pad >= k) continue;
        cases.push({ B: 1 + (n % 3), H: [7, 8, 9][n % 3]!, W: [9, 5, 7][n % 3]!, C: [1, 3, 2][n % 3]!, k, s, pad, kind });
        n++;
      }
    }
    const { failures } = await compareBackends(cases, (c) => {
      let v = normal([c.B, c.H, c.W, c.C], 7);
      if (c.kind === "negative") v = v.map((a) => -Math.abs(a) - 0.1);
      if (c.kind === "ties") v = v.map((a) => Math.round(a)); // many equal maxima: first one wins
      const x = tf.tensor4d(v, [c.B, c.H, c.W, c.C]);
      const rounding = typeof c.pad === "number" ? "floor" : undefined;
      const g = tf.grads((a4: tf.Tensor) => { const a = a4 as tf.Tensor4D; return tf.add(weightedSum(tf.maxPool(a, c.k, c.s, c.pad, rounding), 8),
        weightedSum(tf.avgPool(a, c.k, c.s, c.pad, rounding), 9)); })([x]);
      const gMaxOnly = tf.grad((a: tf.Tensor) => weightedSum(tf.maxPool(a as tf.Tensor4D, c.k, c.s, c.pad, rounding), 8))(x);
      x.dispose();
      return [...g, gMaxOnly];
    }, (c) => `pool B${c.B} ${c.H}x${c.W} C${c.C} k${c.k} s${c.s} pad ${padName(c.pad)} ${c.kind}`);
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(40);
  });

  it("maxPool3d/avgPool3d (NDHWC) including all-negative windows", async () => {
    const cases = [] as Array<{ k: number; s: number; pad: "same" | "valid"; neg: boolean }>;
    for (const k of [2, 3]) for (const s of [1, 2]) for (const pad of ["same", "valid"] as const) for (const neg of [false, true]) {
      cases.push({ k, s, pad, neg });
    }
    const { failures } = await compareBackends(cases, (c) => {
      let v = normal([2, 5, 7, 6, 3], 11);
      if (c.neg) v = v.map((a) => -Math.abs(a) - 0.1);
      const x = tf.tensor5d(v, [2, 5, 7, 6, 3]);
      const g = [
        tf.grad((a: tf.Tensor) => weightedSum(tf.maxPool3d(a as tf.Tensor5D, c.k, c.s, c.pad), 12))(x),
        tf.grad((a: tf.Tensor) => weightedSum(tf.avgPool3d(a as tf.Tensor5D, c.k, c.s, c.pad), 13))(x),
      ];
      x.dispose();
      return g;
    }, (c) => `pool3d k${c.k} s${c.s} ${c.pad} neg=${c.neg}`);
    expect(failures).toEqual([]);
  });
});

describe("UnsortedSegmentSum (cpu-copy fallback)", () => {
  it("makes the gradient of gather work on wasm, equal to cpu", async () => {
    const { failures } = await compareBackends([0], () => {
      const table = tf.tensor2d(normal([6, 4], 1), [6, 4]);
      const idx = tf.tensor1d([0, 3, 3, 5, 1, 0], "int32");
      const g = tf.grad((t: tf.Tensor) => weightedSum(tf.gather(t, idx), 2))(table);
      tf.dispose([table, idx]);
      return g;
    }, () => "gather");
    expect(failures).toEqual([]);
  });
});

describe("bad input", () => {
  it("names the kernel, the argument and the expected shape", async () => {
    await onBackend("wasm", () => {
      const x = tf.zeros([2, 7, 9, 3]);
      const dy = tf.zeros([2, 7, 9, 5]);
      expect(() => tf.engine().runKernel("Conv2DBackpropFilter", { x, dy },
        { strides: [2, 2], pad: "same", dataFormat: "NHWC", filterShape: [3, 3, 3, 5] }))
        .toThrow(/Conv2DBackpropFilter: input 'dy' has shape \[2,7,9,5\]; expected \[2,4,5,5\]/);
      expect(() => tf.engine().runKernel("DepthwiseConv2dNativeBackpropFilter", { x, dy },
        { strides: [1, 1], dilations: [1, 1], pad: "same", filterShape: [3, 3, 2, 1] }))
        .toThrow(/DepthwiseConv2dNativeBackpropFilter: filterShape \[3,3,2,1\] has 2 input channels; expected 3/);
      expect(() => tf.engine().runKernel("MaxPoolGrad", { dy, input: x, output: dy },
        { filterSize: [2, 2], strides: [2, 2], pad: "same" }))
        .toThrow(/MaxPoolGrad: input 'dy' has shape \[2,7,9,5\]; expected \[2,4,5,3\]/);
      tf.dispose([x, dy]);
    });
  });
});
