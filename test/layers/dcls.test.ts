import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { Dcls1d, dcls1d, dclsKernel, dclsSigmaSchedule } from "../../src/lib/layers/dcls.js";

/** The kernel written out element by element in float64 (the explicit dense-kernel construction). */
function denseKernelRef(w: number[][], p: number[][], sigma: number, D: number): number[][][] {
  const cin = w.length, cout = w[0]!.length;
  const K = Array.from({ length: D }, () => Array.from({ length: cin }, () => new Array<number>(cout).fill(0)));
  for (let i = 0; i < cin; i++) {
    for (let o = 0; o < cout; o++) {
      const c = p[i]![o]! + Math.floor(D / 2);
      const g = Array.from({ length: D }, (_, t) => Math.exp(-0.5 * ((t - c) / sigma) ** 2));
      const s = g.reduce((a, b) => a + b, 0) + 1e-7;
      for (let t = 0; t < D; t++) K[t]![i]![o] = (w[i]![o]! * g[t]!) / s;
    }
  }
  return K;
}

/** Y[t][b][o] = Σ_i Σ_τ K[τ][i][o]·X[t + τ − left][b][i] with explicit loops. */
function convRef(x: number[][][], K: number[][][], left: number, right: number): number[][][] {
  const T = x.length, B = x[0]!.length, D = K.length, cout = K[0]![0]!.length;
  const Tout = T + left + right - D + 1;
  return Array.from({ length: Tout }, (_, t) => Array.from({ length: B }, (_, b) => Array.from({ length: cout }, (_, o) => {
    let s = 0;
    for (let tau = 0; tau < D; tau++) {
      const j = t + tau - left;
      if (j < 0 || j >= T) continue;
      for (let i = 0; i < x[0]![0]!.length; i++) s += K[tau]![i]![o]! * x[j]![b]![i]!;
    }
    return s;
  })));
}

const rand = (shape: number[], seed: number) => tf.randomUniform(shape, -1, 1, "float32", seed);

describe("DCLS 1-D (learnable delays)", () => {
  it("kernel equals the element-wise Gaussian construction and sums to W over taps", () => {
    const w = tf.tensor2d([[0.5, -1.2], [2, 0.3], [-0.7, 1]]), p = tf.tensor2d([[0, -2.3], [1.6, 3], [-3, 0.49]]);
    const K = dclsKernel(w, p, 1.1, 7);
    const ref = denseKernelRef(w.arraySync(), p.arraySync(), 1.1, 7);
    expect(K.shape).toEqual([7, 3, 2]);
    const got = K.arraySync();
    ref.forEach((r, t) => r.forEach((row, i) => row.forEach((v, o) => expect(got[t]![i]![o]!).toBeCloseTo(v, 5))));
    const sums = tf.sum(K, 0).arraySync() as number[][];
    sums.forEach((row, i) => row.forEach((v, o) => expect(v).toBeCloseTo(w.arraySync()[i]![o]!, 5)));
  });

  it("forward equals the explicit dense-kernel convolution (SNN-delays padding D − 1 / (D − 1)/2)", () => {
    const x = rand([9, 2, 3], 1), w = rand([3, 4], 2), p = tf.mul(rand([3, 4], 3), 3);
    const K = dclsKernel(w as tf.Tensor2D, p as tf.Tensor2D, 0.8, 7);
    const y = dcls1d(x, K, 6, 3);
    expect(y.shape).toEqual([9 + 3, 2, 4]);
    const ref = convRef(x.arraySync() as number[][][], denseKernelRef(w.arraySync() as number[][], p.arraySync() as number[][], 0.8, 7), 6, 3);
    const got = y.arraySync();
    ref.forEach((r, t) => r.forEach((row, b) => row.forEach((v, o) => expect(got[t]![b]![o]!).toBeCloseTo(v, 4))));
  });

  it("an integer position with a narrow bump is a pure delay of ⌊D/2⌋ − P steps", () => {
    const D = 9, T = 12;
    const x = tf.buffer([T, 1, 1]);
    x.set(1, 2, 0, 0); // impulse at t = 2
    const K = dclsKernel(tf.tensor2d([[1.5]]), tf.tensor2d([[-1]]), 0.05, D); // delay 4 − (−1) = 5
    const y = dcls1d(x.toTensor(), K, D - 1, 0).reshape([-1]).arraySync() as number[];
    expect(y.map((v) => +v.toFixed(5))).toEqual(Array.from({ length: T }, (_, t) => (t === 7 ? 1.5 : 0)));
  });

  it("gradients w.r.t. weights, positions and input match central finite differences", () => {
    const D = 5, sigma = 0.9;
    const x0 = rand([6, 2, 3], 11), w0 = rand([3, 2], 12), p0 = tf.mul(rand([3, 2], 13), 1.5);
    const y0 = rand([8, 2, 2], 14); // fixed random projection of the output → scalar loss
    const f = (x: tf.Tensor, w: tf.Tensor, p: tf.Tensor) => tf.sum(tf.mul(dcls1d(x, dclsKernel(w as tf.Tensor2D, p as tf.Tensor2D, sigma, D), D - 1, (D - 1) / 2), y0)) as tf.Scalar;
    const grads = tf.grads((x, w, p) => f(x, w, p))([x0, w0, p0]);
    const args = [x0, w0, p0];
    args.forEach((a, which) => {
      const base = a.dataSync().slice() as Float32Array;
      const g = grads[which]!.dataSync();
      const h = 1e-2;
      for (let k = 0; k < base.length; k += Math.max(1, Math.floor(base.length / 7))) {
        const plus = base.slice(), minus = base.slice();
        plus[k]! += h; minus[k]! -= h;
        const at = (v: Float32Array) => args.map((b, j) => (j === which ? tf.tensor(v, a.shape) : b));
        const fp = f(...(at(plus) as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!;
        const fm = f(...(at(minus) as [tf.Tensor, tf.Tensor, tf.Tensor])).dataSync()[0]!;
        const num = (fp - fm) / (2 * h);
        expect(Math.abs(g[k]! - num)).toBeLessThan(2e-3 + 2e-2 * Math.abs(num));
      }
    });
  });

  it("module: shapes, parameter groups, init ranges, clamping and delays", async () => {
    const m = new Dcls1d(4, 3, { kernelSize: 25, seed: 5 });
    expect(m.sigma).toBeCloseTo(12.27, 10);
    const y = m.forward(tf.zeros([30, 2, 4]));
    expect(y.shape).toEqual([30 + 12, 2, 3]);
    expect(m.parameters().map((p) => [p.name, p.group])).toEqual([["weight", "weight"], ["P", "delay"]]);
    const w = m.weight.dataSync(), p = m.positions.dataSync();
    expect(Math.max(...w.map(Math.abs))).toBeLessThanOrEqual(Math.sqrt(6 / 4));
    expect(Math.min(...p)).toBeGreaterThanOrEqual(-12);
    expect(Math.max(...p)).toBeLessThanOrEqual(12);
    m.positions.assign(tf.fill([4, 3], 40));
    m.clampPositions();
    expect(Array.from(await m.delays())).toEqual(new Array(12).fill(0));
    expect(() => new Dcls1d(4, 3, { kernelSize: 24 })).toThrow(/odd integer/);
    expect(() => m.forward(tf.zeros([30, 2, 5]))).toThrow(/5 channels, the kernel expects 4/);
  });

  it("σ schedule: σ₀ + 0.27 at epoch 0, geometric decay to 0.23 + 0.27 at E, constant after", () => {
    const s = dclsSigmaSchedule({ initial: 12, decayEpochs: 37 });
    expect(s(0)).toBeCloseTo(12.27, 12);
    expect(s(37)).toBeCloseTo(0.5, 12);
    expect(s(100)).toBeCloseTo(0.5, 12);
    expect(s(18.5)).toBeCloseTo(Math.sqrt(12 * 0.23) + 0.27, 10);
  });
});
