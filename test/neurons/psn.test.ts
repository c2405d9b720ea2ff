import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { currentBackend, useBackend } from "../../src/lib/backend/index.js";
import { bandMask, MaskedPSN, PSN, psnForward, slidingCharge, SlidingPSN, slidingToeplitz } from "../../src/lib/neurons/psn.js";
import { atan } from "../../src/lib/surrogate.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

describe("PSN", () => {
  it("computes S = Θ(W·X + b) (hand loop) with SpikingJelly's initialisation", () => {
    const T = 4;
    const psn = new PSN(T, { seed: 3 });
    const w = psn.weight.arraySync() as number[][];
    expect(Math.max(...w.flat().map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(T));
    expect(arr(psn.bias)).toEqual([-1, -1, -1, -1]);
    const x = randn([T, 2, 3], 1);
    const xs = x.reshape([T, 6]).arraySync() as number[][];
    const s = arr(psn.forward(x));
    for (let t = 0; t < T; t++) for (let n = 0; n < 6; n++) {
      const h = -1 + w[t]!.reduce((acc, wj, j) => acc + wj * xs[j]![n]!, 0);
      expect(s[t * 6 + n]).toBe(h >= 0 ? 1 : 0);
    }
    expect(() => psn.forward(randn([3, 2], 0))).toThrow(/T = 3 steps, the neuron was built for T = 4/);
  });
  it("backward equals the closed form dL/dW = (gS ⊙ σ'(H))·Xᵀ, dL/db = Σ_n gS ⊙ σ'(H)", () => {
    const T = 5, N = 7, sg = atan(2);
    const W = randn([T, T], 2) as tf.Tensor2D, b = tf.fill([T, 1], -1) as tf.Tensor2D, X = randn([T, N], 4), G = randn([T, N], 5);
    const [gW, gb, gX] = tf.grads((w: tf.Tensor, bb: tf.Tensor, x: tf.Tensor) => tf.sum(tf.mul(psnForward(x, w as tf.Tensor2D, bb as tf.Tensor2D, sg), G)))([W, b, X]);
    const gH = tf.mul(G, sg.grad(tf.add(tf.matMul(W, X), b)));
    const close = (a: tf.Tensor, e: tf.Tensor) => expect(tf.max(tf.abs(tf.sub(a, e))).dataSync()[0]).toBeLessThan(1e-5);
    close(gW!, tf.matMul(gH, X, false, true));
    close(gb!, tf.sum(gH, 1, true));
    close(gX!, tf.matMul(W, gH, true, false));
  });
});

describe("MaskedPSN", () => {
  it("mask M_k[i][j] = 1 iff j ≤ i ≤ j + k − 1, and λ mixes toward all-ones", () => {
    expect(bandMask(4, 2).arraySync()).toEqual([[1, 0, 0, 0], [1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]]);
    const m = new MaskedPSN(2, 3, { lambdaInit: 0.25, seed: 1 });
    const w = m.weight.arraySync() as number[][];
    const mw = m.maskedWeight().arraySync() as number[][];
    expect(mw[0]![2]).toBeCloseTo(0.75 * w[0]![2]!, 6);
    expect(mw[1]![1]).toBeCloseTo(w[1]![1]!, 6);
    m.lambda = 1;
    expect(Math.abs((m.maskedWeight().arraySync() as number[][])[2]![0]!)).toBe(0);
  });
  it("single-step equals multi-step once λ ≥ 1, for 3-D inputs (the SpikingJelly@pre bug)", () => {
    const T = 5, m = new MaskedPSN(3, T, { lambdaInit: 1, seed: 2 });
    const x = tf.mul(randn([T, 2, 3, 4], 7), 2);
    const multi = arr(m.forward(x));
    m.stepMode = "s";
    const single = tf.unstack(x).flatMap((xt) => arr(m.forward(xt)));
    expect(single).toEqual(multi);
    expect(() => m.forward(x.slice([0], [1]).reshape([2, 3, 4]))).toThrow(/exceed T = 5/);
    m.reset();
    m.lambda = 0.5;
    expect(() => m.forward(x.slice([0], [1]).reshape([2, 3, 4]))).toThrow(/lambda >= 1/);
  });
});

describe("SlidingPSN", () => {
  it("exp-init (…, 1/4, 1/2, 1), bias −1, and H[t] = Σ W_i X[t−k+1+i] + b by hand", () => {
    const s = new SlidingPSN(3);
    expect(arr(s.weight)).toEqual([0.25, 0.5, 1]);
    expect(arr(s.bias)).toEqual([-1]);
    const x = tf.tensor2d([[1], [2], [3], [4]]);
    const h = arr(slidingCharge(x as tf.Tensor2D, s.weight as tf.Tensor1D, "gemm"));
    expect(h).toEqual([1, 2 + 0.5, 3 + 1 + 0.25, 4 + 1.5 + 0.5]);
    expect(arr(s.forward(x))).toEqual([1, 1, 1, 1]);
    expect(slidingToeplitz(tf.tensor1d([0.25, 0.5, 1]), 4).arraySync()).toEqual([[1, 0, 0, 0], [0.5, 1, 0, 0], [0.25, 0.5, 1, 0], [0, 0.25, 0.5, 1]]);
  });
  it("Toeplitz (gemm) and conv forms agree in value and gradient, on wasm and cpu", async () => {
    const before = currentBackend()!.rung;
    for (const rung of ["wasm", "cpu"] as const) {
      await useBackend(rung, { log: false });
      const x = randn([9, 12], 3) as tf.Tensor2D, w = randn([4], 4) as tf.Tensor1D, g = randn([9, 12], 5);
      const f = (backend: "gemm" | "conv") => tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.mul(slidingCharge(xx as tf.Tensor2D, ww as tf.Tensor1D, backend), g)))([x, w]);
      const a = f("gemm"), c = f("conv");
      expect(tf.max(tf.abs(tf.sub(slidingCharge(x, w, "gemm"), slidingCharge(x, w, "conv")))).dataSync()[0]).toBeLessThan(1e-5);
      for (let i = 0; i < 2; i++) expect(tf.max(tf.abs(tf.sub(a[i]!, c[i]!))).dataSync()[0]).toBeLessThan(1e-4);
    }
    await useBackend(before, { log: false });
  });
  it("single-step equals multi-step for 3-D inputs and the module equals the pure function", () => {
    const s = new SlidingPSN(3, { expInit: false, seed: 9 });
    const x = tf.mul(randn([6, 2, 2, 3], 11), 2);
    const multi = arr(s.forward(x));
    s.backend = "conv";
    expect(arr(s.forward(x))).toEqual(multi);
    s.stepMode = "s";
    expect(tf.unstack(x).flatMap((xt) => arr(s.forward(xt)))).toEqual(multi);
    s.reset();
  });
});

describe("PSN family: autodiff vs finite differences on the charge", () => {
  it("dL/dW of the sliding charge (gemm and conv) matches a central finite difference", () => {
    const x = randn([6, 5], 21) as tf.Tensor2D, g = randn([6, 5], 22);
    const w = tf.tensor1d([0.3, -0.6, 0.9]);
    for (const backend of ["gemm", "conv"] as const) {
      const loss = (ww: tf.Tensor) => tf.sum(tf.mul(slidingCharge(x, ww as tf.Tensor1D, backend), g));
      const gw = arr(tf.grad(loss)(w));
      for (let i = 0; i < 3; i++) {
        const e = tf.oneHot(tf.tensor1d([i], "int32"), 3).reshape([3]).mul(1e-2);
        const fd = (loss(tf.add(w, e)).dataSync()[0]! - loss(tf.sub(w, e)).dataSync()[0]!) / 2e-2;
        expect(gw[i]).toBeCloseTo(fd, 2);
      }
    }
  });
  it("MaskedPSN gradient is zero outside the band once λ ≥ 1, and non-zero there while λ < 1", () => {
    const m = new MaskedPSN(2, 4, { lambdaInit: 0.25, seed: 3 });
    const x = randn([4, 8], 5), g = randn([4, 8], 6);
    const gw = (lam: number) => {
      m.lambda = lam;
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.forward(x), g)) as tf.Scalar, [m.weight]);
      return grads[m.weight.name]!.arraySync() as number[][];
    };
    const g1 = gw(1), gq = gw(0.25);
    expect(Math.abs(g1[0]![3]!)).toBe(0);
    expect(Math.abs(g1[3]![0]!)).toBe(0);
    expect(Math.abs(g1[1]![0]!)).toBeGreaterThan(0);
    expect(gq[0]![3]).not.toBe(0);
  });
});

describe("PSN family module grammar (issue #15)", () => {
  it("every module disposes its variables and its step queue", () => {
    const mods = [new PSN(3), new MaskedPSN(2, 3, { lambdaInit: 1, stepMode: "s" }), new SlidingPSN(2, { stepMode: "s" })];
    const stepped = tf.tensor2d([[0.5, 2]]);
    mods[1]!.forward(stepped);
    mods[2]!.forward(stepped);
    const before = tf.memory().numTensors;
    const owned = mods.map((m) => m.parameters().length).reduce((a, b) => a + b, 0) + 2; // + one queued input each
    mods.forEach((m) => m.dispose());
    expect(tf.memory().numTensors).toBe(before - owned);
    for (const m of mods) for (const p of m.parameters()) expect(p.variable.isDisposed).toBe(true);
    stepped.dispose();
  });
  it("stepMode is checked by every module; PSN has no step form", () => {
    expect(() => new PSN(3, { stepMode: "s" })).toThrow(/PSN: stepMode must be "m".*no step-by-step form/);
    expect(() => new MaskedPSN(2, 3, { stepMode: "x" as never })).toThrow(/MaskedPSN: stepMode must be "s" or "m"/);
    expect(() => new SlidingPSN(2, { stepMode: "x" as never })).toThrow(/SlidingPSN: stepMode must be "s" or "m"/);
    expect(new PSN(3).stepMode).toBe("m");
  });
});
