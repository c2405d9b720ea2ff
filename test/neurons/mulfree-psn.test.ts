// Multiplication-free channel-wise PSN (papers.md §4.1 Eqs. 10-18, §4.2 Table 1, decision §5d-7).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { currentBackend, useBackend } from "../../src/lib/backend/index.js";
import { sawtoothDilations, receptiveField } from "../../src/lib/neurons/dilation.js";
import {
  MULFREE_STRATEGIES, MulFreePSN, mulFreeCharge, mulFreePsnForward,
  pow2ScaleBits, shiftForwardFloat, shiftForwardInt, shiftSpikesInt,
} from "../../src/lib/neurons/mulfree-psn.js";
import { pow2Exponents, quantizePow2 } from "../../src/lib/neurons/quantize.js";
import { atan, inverseQuadratic } from "../../src/lib/surrogate.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

/** Hand loop of Eq. 10 on flat [T, B, C, S] data (float64). */
function chargeByHand(x: number[], shape: number[], w: number[][], d: number): number[] {
  const [T, B, C] = shape as [number, number, number];
  const S = shape.slice(3).reduce((a, b) => a * b, 1);
  const k = w[0]!.length;
  const inner = B * C * S;
  const out = new Array<number>(x.length).fill(0);
  for (let t = 0; t < T; t++) for (let j = 0; j < inner; j++) {
    const c = Math.floor(j / S) % C;
    for (let i = 0; i < k; i++) {
      const src = t - (k - 1 - i) * d;
      if (src >= 0) out[t * inner + j] += w[c]![i]! * x[src * inner + j]!;
    }
  }
  return out;
}

async function onBackends(fn: (rung: "wasm" | "cpu") => void | Promise<void>): Promise<void> {
  const before = currentBackend()!.rung;
  try {
    for (const rung of ["wasm", "cpu"] as const) {
      await useBackend(rung, { log: false });
      await fn(rung);
    }
  } finally {
    await useBackend(before, { log: false });
  }
}

describe("charge H (Eq. 10), three strategies", () => {
  it("hand vector: k = 2, d = 2 reads X[t − 2] and X[t]; per-channel weights", () => {
    // One batch, C = 2, T = 5. Channel 0: W = (0.5, 1); channel 1: W = (−0.25, 2).
    const x = tf.tensor3d([[[1, 10]], [[2, 20]], [[3, 30]], [[4, 40]], [[5, 50]]]); // [5, 1, 2]
    const w = tf.tensor2d([[0.5, 1], [-0.25, 2]]);
    const expected = [1, 20, 2, 40, 3 + 0.5, 60 - 2.5, 4 + 1, 80 - 5, 5 + 1.5, 100 - 7.5];
    for (const s of MULFREE_STRATEGIES) expect(arr(mulFreeCharge(x, w, 2, s))).toEqual(expected);
  });

  it("all strategies equal the hand loop on [T, B, C, H, W] inputs, on wasm and cpu", async () => {
    const shape = [7, 2, 3, 2, 2];
    await onBackends(() => {
      const x = tf.randomNormal(shape, 0, 1, "float32", 1);
      const w = tf.randomNormal([3, 3], 0, 1, "float32", 2);
      for (const d of [1, 2, 3]) {
        const hand = tf.tensor(chargeByHand(arr(x), shape, w.arraySync() as number[][], d), shape);
        for (const s of MULFREE_STRATEGIES) expect(maxAbs(mulFreeCharge(x, w, d, s), hand)).toBeLessThan(1e-5);
      }
    });
  });

  it("gradients (to X, W and V_th) agree across strategies: toeplitz/shift on wasm and cpu, depthwise on cpu (and wasm where its backprop kernels exist)", async () => {
    const shape = [6, 2, 4, 3];
    await onBackends((rung) => {
      const x = tf.randomNormal(shape, 0, 1, "float32", 3);
      const w = tf.randomUniform([4, 3], -1, 1, "float32", 4);
      const th = tf.randomUniform([4], 0.5, 1.5, "float32", 5);
      const g = tf.randomNormal(shape, 0, 1, "float32", 6);
      const grads = (strategy: "toeplitz" | "shift" | "depthwise") => tf.grads((xx: tf.Tensor, ww: tf.Tensor, tt: tf.Tensor) =>
        tf.sum(tf.mul(mulFreePsnForward(xx, ww, tt, { dilation: 2, strategy }).spikes, g)))([x, w, th]);
      const ref = grads("shift");
      const strategies = rung === "cpu" || tf.getKernel("DepthwiseConv2dNativeBackpropFilter", "wasm")
        ? (["toeplitz", "depthwise"] as const) : (["toeplitz"] as const);
      for (const s of strategies) {
        const other = grads(s);
        for (let i = 0; i < 3; i++) expect(maxAbs(other[i]!, ref[i]!)).toBeLessThan(1e-4);
      }
      expect(tf.sum(tf.abs(ref[1]!)).dataSync()[0]).toBeGreaterThan(0);
    });
  });
});

describe("autodiff vs closed form and finite differences", () => {
  const shape = [5, 3, 2];
  const x = () => tf.randomNormal(shape, 0, 1, "float32", 11);
  const G = () => tf.randomNormal(shape, 0, 1, "float32", 12);

  it("dL/dW[c][i] = Σ G·X[t − s_i] (linear charge, unquantised) and matches a central finite difference", () => {
    const X = x(), g = G();
    const w = tf.tensor2d([[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]]);
    const loss = (ww: tf.Tensor) => tf.sum(tf.mul(mulFreeCharge(X, ww, 2, "toeplitz"), g));
    const gW = tf.grad(loss)(w).arraySync() as number[][];
    const xs = arr(X), gs = arr(g);
    for (let c = 0; c < 2; c++) for (let i = 0; i < 3; i++) {
      const s = (3 - 1 - i) * 2;
      let closed = 0;
      for (let t = s; t < 5; t++) for (let b = 0; b < 3; b++) closed += gs[(t * 3 + b) * 2 + c]! * xs[((t - s) * 3 + b) * 2 + c]!;
      expect(gW[c]![i]).toBeCloseTo(closed, 4);
      const eps = 1e-2;
      const e = tf.buffer([2, 3]);
      e.set(eps, c, i);
      const fd = (loss(tf.add(w, e.toTensor())).dataSync()[0]! - loss(tf.sub(w, e.toTensor())).dataSync()[0]!) / (2 * eps);
      expect(gW[c]![i]).toBeCloseTo(fd, 2);
    }
  });

  it("spike gradients: dL/dV_th[c] = −Σ G·g′(H − V_th[c]); STE (Eq. 16) passes dL/dW_q to W, Eq. 15 scales it by Q(W)/W", () => {
    const X = x(), g = G(), sg = atan(2);
    const w = tf.tensor2d([[0.3, -0.7, 1.1], [0.9, 0.2, -0.4]]);
    const th = tf.tensor1d([0.25, -0.5]);
    const wq = quantizePow2(w);
    const hq = mulFreeCharge(X, wq, 1);
    const gH = tf.mul(g, sg.grad(tf.sub(hq, tf.reshape(th, [1, 1, 2]))));
    const [, gTh] = tf.grads((ww: tf.Tensor, tt: tf.Tensor) => tf.sum(tf.mul(mulFreePsnForward(X, ww, tt, { surrogate: sg }).spikes, g)))([w, th]);
    expect(maxAbs(gTh!, tf.neg(tf.sum(gH, [0, 1])))).toBeLessThan(1e-5);
    // dL/dW_q by autodiff through the float charge at W_q:
    const gWq = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(mulFreeCharge(X, ww, 1), gH)))(wq);
    const gSte = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(mulFreePsnForward(X, ww, th, { surrogate: sg }).spikes, g)))(w);
    expect(maxAbs(gSte, gWq)).toBeLessThan(1e-5);
    const g15 = tf.grad((ww: tf.Tensor) => tf.sum(tf.mul(mulFreePsnForward(X, ww, th, { surrogate: sg, quantGrad: "eq15" }).spikes, g)))(w);
    expect(maxAbs(g15, tf.mul(gWq, tf.div(wq, w)))).toBeLessThan(1e-5);
  });
});

describe("module", () => {
  it("equals the pure function; init exp (…, 1/2, 1) per channel, V_th = 1; parameters with groups", () => {
    const m = new MulFreePSN(3, 3, { dilation: 2, surrogate: inverseQuadratic(10) });
    expect(m.weight.arraySync()).toEqual([[0.25, 0.5, 1], [0.25, 0.5, 1], [0.25, 0.5, 1]]);
    expect(arr(m.vThreshold)).toEqual([1, 1, 1]);
    expect(m.parameters().map((p) => [p.name, p.group])).toEqual([["weight", "weight"], ["vThreshold", "threshold"]]);
    const k = new MulFreePSN(3, 3, { init: "kaiming", seed: 4, dilation: 2, strategy: "depthwise" });
    expect(Math.max(...arr(k.weight).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(3));
    const x = tf.mul(tf.randomNormal([6, 2, 3, 4], 0, 1, "float32", 7), 2);
    const s = k.forward(x);
    expect(arr(s)).toEqual(arr(mulFreePsnForward(x, k.weight, k.vThreshold, k.params).spikes));
    // The forward uses W_q, not W: H = conv(X; Q(W)).
    const h = mulFreeCharge(x, k.quantizedWeight(), 2);
    expect(arr(s)).toEqual(arr(h).map((v) => (v - 1 >= 0 ? 1 : 0)));
    expect(new Set(arr(s)).size).toBe(2);
  });

  it("names bad input", () => {
    const m = new MulFreePSN(3, 2);
    expect(() => m.forward(tf.zeros([4, 3]))).toThrow(/\[T, B, C, \.\.\.\] \(rank >= 3/);
    expect(() => m.forward(tf.zeros([4, 1, 5]))).toThrow(/5 channels on axis 2, the layer was built for 3/);
    expect(() => mulFreePsnForward(tf.zeros([4, 1, 3]), m.weight, tf.zeros([2]))).toThrow(/vThreshold must be a \[C = 3\]/);
    expect(() => mulFreeCharge(tf.zeros([4, 1, 3]), tf.zeros([2, 2]))).toThrow(/weight must be \[C = 3, k\]/);
    expect(() => new MulFreePSN(3, 2, { strategy: "fft" as "shift" })).toThrow(/strategy must be one of/);
    expect(() => new MulFreePSN(3, 2, { dilation: 0 })).toThrow(/dilation d must be an integer >= 1/);
  });

  it("stacked layers with sawtooth dilations 1, 2, 3 (k = 2) see exactly the last 7 steps (Fig. 2)", () => {
    const T = 12, dil = sawtoothDilations(3, 2);
    const impulse = tf.tensor3d(Array.from({ length: T }, (_, t) => [[t === 0 ? 1 : 0]])); // [T, 1, 1]
    let h: tf.Tensor = impulse;
    for (const d of dil) h = mulFreeCharge(h, tf.tensor2d([[0.5, 1]]), d);
    const support = arr(h).flatMap((v, t) => (v !== 0 ? [t] : []));
    expect(Math.max(...support) + 1).toBe(receptiveField(dil, 2));
    expect(Math.max(...support) + 1).toBe(7);
  });
});

describe("bit-shift inference (Eqs. 12, 17-18)", () => {
  const shape = [6, 2, 3, 2];
  const w = tf.tensor2d([[0.3, -0.75, 1.5], [-3, 0.1, 0.9], [0.05, 2.2, -0.6]]);
  const wq = quantizePow2(w);
  const codes = pow2Exponents(wq.dataSync());

  it("pow2ScaleBits multiplies by ±2^n through the exponent field", () => {
    expect(pow2ScaleBits(3, 1, 2)).toBe(12);
    expect(pow2ScaleBits(-0.75, -1, -3)).toBe(0.09375);
    expect(pow2ScaleBits(0, 1, 5)).toBe(0);
    expect(pow2ScaleBits(Math.fround(0.1), 1, -1)).toBe(Math.fround(0.05));
    expect(() => pow2ScaleBits(1e38, 1, 10)).toThrow(/normal float32 range/);
  });

  it("the float exponent-add path is bit-identical to the tensor 'shift' strategy on W_q (random, non-dyadic X)", async () => {
    await onBackends(() => {
      const x = tf.randomNormal(shape, 0, 1, "float32", 21);
      for (const d of [1, 2]) {
        const ref = mulFreeCharge(x, wq, d, "shift");
        expect(Array.from(shiftForwardFloat(x.dataSync() as Float32Array, shape, codes, 3, d))).toEqual(arr(ref));
        expect(maxAbs(mulFreeCharge(x, wq, d, "toeplitz"), ref)).toBeLessThan(1e-5);
      }
    });
  });

  it("the integer path (<<, >>) equals the float path in fixed point (Q.8, X with spare low bits for the largest right shift)", () => {
    const F = 8;
    const xInt = new Int32Array(6 * 2 * 3 * 2);
    // X = xInt / 2^8 with xInt a multiple of 2^4 ≥ 2^(largest right shift = 4): no bit is shifted out.
    for (let j = 0; j < xInt.length; j++) xInt[j] = (((j * 7919) % 2001) - 1000) * 16;
    const x = tf.tensor(Array.from(xInt, (v) => v / 2 ** F), shape);
    expect(Math.min(...codes.exponents)).toBe(-4);
    for (const d of [1, 3]) {
      const hInt = shiftForwardInt(xInt, shape, codes, 3, d);
      const hFloat = arr(mulFreeCharge(x, wq, d, "shift"));
      expect(Array.from(hInt, (v) => v / 2 ** F)).toEqual(hFloat);
      // Spikes with per-channel thresholds in the same fixed point.
      const th = [1, -0.5, 2.25];
      const sInt = shiftSpikesInt(hInt, shape, Int32Array.from(th, (v) => v * 2 ** F));
      const sF = arr(mulFreePsnForward(x, w, tf.tensor1d(th), { dilation: d }).spikes);
      expect(Array.from(sInt)).toEqual(sF);
    }
  });

  it("right shifts floor (as a shifter does) when X lacks fractional bits, and overflow is refused", () => {
    const c = { signs: Int8Array.from([1]), exponents: Int32Array.from([-1]) };
    expect(Array.from(shiftForwardInt(Int32Array.from([3, -3]), [2, 1, 1], c, 1))).toEqual([1, -2]);
    const big = { signs: Int8Array.from([1]), exponents: Int32Array.from([4]) };
    expect(() => shiftForwardInt(Int32Array.from([1 << 28]), [1, 1, 1], big, 1)).toThrow(/overflows int32/);
    expect(() => shiftForwardInt(Int32Array.from([1, 2]), [3, 1, 1], big, 1)).toThrow(/shape \[3,1,1\] needs 3/);
  });
});

describe("MulFreePSN step mode (step-by-step inference)", () => {
  it("single-step == multi-step for k = 3, d = 2 (incl. k = 1 gradients), and reset() forgets the queue", () => {
    const T = 7, B = 2, C = 3;
    const x = tf.randomNormal([T, B, C, 2], 0, 1, "float32", 11);
    const multi = new MulFreePSN(C, 3, { dilation: 2, init: "kaiming", seed: 4 });
    const step = new MulFreePSN(C, 3, { dilation: 2, init: "kaiming", seed: 4, stepMode: "s" });
    const ref = multi.forward(x);
    const hs = tf.unstack(x).map((xt) => step.forward(xt));
    expect(maxAbs(tf.stack(hs), ref)).toBe(0);
    // (k − 1)·d + 1 = 5 inputs of [B, C, 2] kept after 7 steps.
    expect(step.stateBytes()).toBe(5 * B * C * 2 * 4);
    step.reset();
    expect(step.stateBytes()).toBe(0);
    expect(maxAbs(step.forward(tf.unstack(x)[0]!), tf.unstack(ref)[0]!)).toBe(0);
    expect(() => step.forward(tf.zeros([2, 4]))).toThrow(/stepMode "s"\): x must be \[B, C = 3, …\], got \[2,4\]/);
    // k = 1 trains (TF.js's unstack gradient broke on a single column).
    const one = new MulFreePSN(C, 1);
    const g = tf.variableGrads(() => tf.sum(mulFreePsnForward(x, one.weight, one.vThreshold, { strategy: "shift" }).hSeq) as tf.Scalar, [one.weight]);
    expect(Number.isFinite(g.grads[one.weight.name]!.dataSync()[0]!)).toBe(true);
  });
});
