import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { LOSSES, mpeTotalLoss } from "../../src/lib/losses/index.js";
import { collectMemLosses, MPEPSN, mpeEstimate, mpePsnForward, sequentialLifDistance } from "../../src/lib/neurons/mpe-psn.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe("MPE-PSN", () => {
  it("reproduces the papers.md §5c worked vector (variant A, forced draws b = [0, 1, 0])", async () => {
    const x = tf.tensor2d([[0.8], [0.6], [1.5]]);
    const e = mpeEstimate(x, tf.tensor2d([[0], [1], [0]]));
    expect(arr(e).map((v) => Math.fround(v))).toEqual([0.8, 0, 1.5].map(Math.fround));
    const r = mpePsnForward(x, e, tf.scalar(1), tf.fill([3], 1 / 3));
    arr(r.hSeq).forEach((v, i) => expect(v).toBeCloseTo([0.8, 0.8, 1.5][i]!, 6));
    expect(arr(r.spikes)).toEqual([0, 0, 1]);
    arr(r.vSeq).forEach((v, i) => expect(v).toBeCloseTo([0.8, 0.8, 0][i]!, 6));
    expect(r.memLoss.dataSync()[0]).toBeCloseTo(0.32111, 5);
    // The sequential LIF on the same X has u = [0.8, 0.8, 0]: distance 0 here.
    expect(await sequentialLifDistance(x, r.vSeq, 1)).toBeCloseTo(0, 6);
  });
  it("variant B uses the same step's estimate and compares û_t with U_{t−1}", () => {
    const x = tf.tensor2d([[0.8], [0.6], [1.5]]);
    const e = mpeEstimate(x, tf.tensor2d([[0], [0], [1]])); // e = [0.8, 0.6, 0]
    const r = mpePsnForward(x, e, tf.scalar(1), tf.fill([2], 0.5), { variant: "B" });
    // H = [X0, X1·(1 + τ), X2 + τ·0] = [0.8, 0.75, 1.5]; U = [0.8, 0.75, 0]
    arr(r.hSeq).forEach((v, i) => expect(v).toBeCloseTo([0.8, 0.75, 1.5][i]!, 6));
    // L = mean_t κ_t (û_t − U_{t−1})² over t = 1, 2: ((0.6 − 0.8)² + (0 − 0.75)²)·0.5 / 2
    expect(r.memLoss.dataSync()[0]).toBeCloseTo(((0.6 - 0.8) ** 2 + 0.75 ** 2) * 0.5 / 2, 6);
    expect(() => mpePsnForward(x, e, tf.scalar(1), tf.fill([3], 0.5), { variant: "B" })).toThrow(/κ of length 2/);
  });
  it("strict tie: H exactly at θ does not fire", () => {
    const x = tf.tensor2d([[1.0]]);
    expect(arr(mpePsnForward(x, x, tf.scalar(1), tf.fill([1], 1)).spikes)).toEqual([0]);
  });
  it("module: seeded draws repeat after reseed, κ init 1/T, learnable or frozen, gradients reach θ and κ", () => {
    const m = new MPEPSN({ T: 4, seed: 1 });
    expect(arr(m.kappa)).toEqual(Array(4).fill(0.25));
    const x = tf.randomNormal([4, 3, 5], 0.5, 1, "float32", 2);
    m.reseed(7);
    const a = arr(m.forward(x));
    const la = m.lastMemLoss!.dataSync()[0];
    m.reseed(7);
    expect(arr(m.forward(x))).toEqual(a);
    expect(m.lastMemLoss!.dataSync()[0]).toBe(la);
    const g = tf.variableGrads(() => {
      const s = m.forward(x);
      return tf.add(tf.sum(s), m.lastMemLoss!) as tf.Scalar;
    }, [m.vThreshold, m.kappa]);
    expect(Math.abs(g.grads[m.vThreshold.name]!.dataSync()[0]!)).toBeGreaterThan(0);
    expect(arr(g.grads[m.kappa.name]!).every((v) => v >= 0)).toBe(true); // ∂L_mem/∂κ_t is a mean square ≥ 0
    expect(m.parameters().map((p) => p.group)).toEqual(["threshold", "kappa"]);
    expect(new MPEPSN({ T: 4, freezeKappa: true }).parameters().map((p) => p.name)).toEqual(["vThreshold"]);
  });
  it("eval expectation mode is deterministic; trackDistance measures the gap to the sequential LIF", async () => {
    const m = new MPEPSN({ T: 5, evalMode: "expectation", trackDistance: true });
    m.train(false);
    const x = tf.randomNormal([5, 4], 0.8, 1, "float32", 3);
    expect(arr(m.forward(x))).toEqual(arr(m.forward(x)));
    expect((await m.lastDistance!.data())[0]).toBeGreaterThan(0);
    m.dispose();
    expect(m.lastDistance).toBeNull();
  });
  it("plugs into the MPE total loss through collectMemLosses", () => {
    const m = new MPEPSN({ T: 2, seed: 0 });
    const out = tf.tensor3d([[[1, 0]], [[0.5, 0.2]]]);
    m.forward(tf.ones([2, 1, 2]));
    const l = mpeTotalLoss(out, [0], collectMemLosses([m]), { lambdaMem: 0.01, epoch: 0 });
    const tet = LOSSES["tet-original"].loss(out, [0]).dataSync()[0]!;
    expect(l.dataSync()[0]).toBeCloseTo(0.99 * tet + 0.01 * m.lastMemLoss!.dataSync()[0]!, 5);
  });
});

describe("MPE-PSN inside a network", () => {
  it("backpropagates to the input and to upstream weights through the sampled estimate", () => {
    const m = new MPEPSN({ T: 3, seed: 2 });
    const w = tf.variable(tf.randomNormal([4, 5], 0, 1, "float32", 1), true, "mpe-upstream-w");
    const x = tf.randomNormal([3, 2, 4], 0.5, 1, "float32", 3);
    const { grads } = tf.variableGrads(() => {
      const h = tf.reshape(tf.matMul(tf.reshape(x, [6, 4]), w), [3, 2, 5]);
      return tf.add(tf.sum(m.forward(h)), m.lastMemLoss!) as tf.Scalar;
    }, [w]);
    expect(tf.sum(tf.abs(grads[w.name]!)).dataSync()[0]).toBeGreaterThan(0);
  });
});

describe("MPE-PSN module details", () => {
  it("module with injected draws reproduces §5c (L_mem = 0.32111) and ∂L_mem/∂κ_t = mean_n (e_t − U_t)² / T", () => {
    const m = new MPEPSN({ T: 3 });
    const x = tf.tensor2d([[0.8], [0.6], [1.5]]);
    m.forcedDraws = tf.tensor2d([[0], [1], [0]]);
    expect(arr(m.forward(x))).toEqual([0, 0, 1]);
    expect(m.lastMemLoss!.dataSync()[0]).toBeCloseTo(0.32111, 5);
    m.forcedDraws = tf.tensor2d([[0], [1], [0]]);
    const { grads } = tf.variableGrads(() => { m.forward(x); return m.lastMemLoss!; }, [m.kappa]);
    arr(grads[m.kappa.name]!).forEach((g, t) => expect(g).toBeCloseTo([0, 0.64, 2.25][t]! / 3, 5));
  });
  it("∂/∂θ by autodiff equals the triangle-surrogate closed form −Σ G·max(1 − |H − θ|, 0)", () => {
    const m = new MPEPSN({ T: 4, seed: 3 });
    const x = tf.randomNormal([4, 6], 0.8, 0.6, "float32", 9), g = tf.randomNormal([4, 6], 0, 1, "float32", 10);
    const draws = tf.tensor(arr(tf.randomUniform([4, 6], 0, 1, "float32", 4)).map((u) => (u < 0.5 ? 1 : 0)), [4, 6]);
    m.forcedDraws = draws;
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.forward(x), g)) as tf.Scalar, [m.vThreshold]);
    const r = mpePsnForward(x, mpeEstimate(x, draws), tf.scalar(1), tf.fill([4], 0.25));
    const closed = -tf.sum(tf.mul(g, tf.relu(tf.sub(1, tf.abs(tf.sub(r.hSeq, 1)))))).dataSync()[0]!;
    expect(grads[m.vThreshold.name]!.dataSync()[0]).toBeCloseTo(closed, 4);
  });
  it("eval 'sample' (default, parity with the official code) still draws: stochastic inference", () => {
    const m = new MPEPSN({ T: 4, seed: 5 });
    m.train(false);
    const x = tf.randomNormal([4, 64], 1, 1, "float32", 6);
    const a = arr(m.forward(x)), b = arr(m.forward(x));
    expect(a).not.toEqual(b);
  });
  it("names bad arguments", () => {
    const x = tf.zeros([3, 2]);
    expect(() => mpePsnForward(x, tf.zeros([3, 1]), tf.scalar(1), tf.fill([3], 1))).toThrow(/estimate must have xSeq's shape/);
    expect(() => mpePsnForward(x, x, tf.ones([2]), tf.fill([3], 1))).toThrow(/vThreshold must be a scalar/);
    expect(() => mpePsnForward(x, x, tf.scalar(1), tf.fill([3], 1), { variant: "C" as "A" })).toThrow(/variant must be "A" or "B"/);
    expect(() => new MPEPSN({ T: 1, variant: "B" })).toThrow(/variant B needs T >= 2/);
    expect(() => new MPEPSN({ T: 3 }).forward(tf.zeros([4, 2]))).toThrow(/built for T = 3/);
  });
});

describe("MPE-PSN module grammar (issue #15)", () => {
  it("dispose releases θ and κ; stepMode \"s\" is refused (all T steps at once)", () => {
    const m = new MPEPSN({ T: 3 });
    m.dispose();
    expect(m.vThreshold.isDisposed).toBe(true);
    expect(m.kappa.isDisposed).toBe(true);
    expect(() => new MPEPSN({ T: 3, stepMode: "s" })).toThrow(/MPEPSN: stepMode must be "m"/);
  });
});
