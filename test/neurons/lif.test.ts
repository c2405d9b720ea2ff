// SpikingJelly LIF: the four charge variants, hard/soft reset, detach (events-and-parity §1.2, §7 item 3; papers.md §1.1, §3.1).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { LIFNode, LIF_DEFAULTS, lifMultiStep, lifStep } from "../../src/lib/neurons/index.js";
import { atan } from "../../src/lib/surrogate.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const seq = (xs: number[]) => tf.tensor2d(xs.map((x) => [x]));

describe("LIF charge variants, hand-computed (τ = 2, dyadic values)", () => {
  for (const fused of [true, false]) {
    it(`decayInput, V_reset 0: H = V + (X − V)/τ (fused=${fused})`, () => {
      const r = lifMultiStep(seq([1.5, 1.5, 1.5]), 0, { fused });
      expect(arr(r.hSeq)).toEqual([0.75, 1.125, 0.75]);
      expect(arr(r.spikes)).toEqual([0, 1, 0]);
      expect(arr(r.vSeq)).toEqual([0.75, 0, 0.75]);
    });
    it(`decayInput, V_reset −0.5: H = V + (X − (V − V_reset))/τ, tie H = V_th fires (fused=${fused})`, () => {
      const r = lifMultiStep(seq([2, 2]), -0.5, { vReset: -0.5, fused });
      expect(arr(r.hSeq)).toEqual([0.5, 1]);
      expect(arr(r.spikes)).toEqual([0, 1]);
      expect(arr(r.vSeq)).toEqual([0.5, -0.5]);
    });
    it(`no decayInput, V_reset 0: H = V·(1 − 1/τ) + X (fused=${fused})`, () => {
      const r = lifMultiStep(seq([0.75, 0.75]), 0, { decayInput: false, fused });
      expect(arr(r.hSeq)).toEqual([0.75, 1.125]);
      expect(arr(r.spikes)).toEqual([0, 1]);
      expect(arr(r.vSeq)).toEqual([0.75, 0]);
    });
    it(`no decayInput, V_reset −0.5: H = V − (V − V_reset)/τ + X (fused=${fused})`, () => {
      const r = lifMultiStep(seq([0.75, 0.75, 1]), -0.5, { decayInput: false, vReset: -0.5, fused });
      expect(arr(r.hSeq)).toEqual([0.25, 0.625, 1.0625]);
      expect(arr(r.spikes)).toEqual([0, 0, 1]);
      expect(arr(r.vSeq)).toEqual([0.25, 0.625, -0.5]);
    });
    it(`soft reset (V_reset = null uses 0 in the leak): V = H − V_th (fused=${fused})`, () => {
      const r = lifMultiStep(seq([3, 0]), 0, { vReset: null, fused });
      expect(arr(r.hSeq)).toEqual([1.5, 0.25]);
      expect(arr(r.spikes)).toEqual([1, 0]);
      expect(arr(r.vSeq)).toEqual([0.5, 0.25]);
    });
    it(`LazyStateLIFNode IMP (papers.md §3.1): H_1 = IMP + (X_1 − IMP)/τ (fused=${fused})`, () => {
      const r = lifMultiStep(seq([1.25]), tf.tensor1d([0.5]), { fused });
      expect(arr(r.hSeq)).toEqual([0.875]);
    });
  }

  it("defaults: τ = 2 (time constant), decayInput, V_th 1, V_reset 0, Sigmoid(4)", () => {
    expect([LIF_DEFAULTS.tau, LIF_DEFAULTS.decayInput, LIF_DEFAULTS.vThreshold, LIF_DEFAULTS.vReset])
      .toEqual([2, true, 1, 0]);
    expect(LIF_DEFAULTS.surrogate.name).toBe("Sigmoid(alpha=4)");
  });
});

describe("LIF single-step == multi-step == pure == module; gradients", () => {
  it("for all four charge variants and both resets", () => {
    const x = tf.randomNormal([6, 2, 3, 4], 0.8, 0.9, "float32", 5);
    for (const decayInput of [true, false]) {
      for (const vReset of [0, null, 0.25]) {
        const p = { decayInput, vReset, tau: 3, surrogate: atan() };
        const pure = lifMultiStep(x, vReset ?? 0, p);
        const m = new LIFNode({ ...p, stepMode: "m" });
        const s = new LIFNode({ ...p, stepMode: "s" });
        expect(arr(m.forward(x))).toEqual(arr(pure.spikes));
        expect(arr(tf.stack(tf.unstack(x).map((xt) => s.forward(xt))))).toEqual(arr(pure.spikes));
        expect(arr(s.v!)).toEqual(arr(pure.v));
        let v = tf.fill([2, 3, 4], vReset ?? 0);
        for (const xt of tf.unstack(x)) v = lifStep(xt, v, p).v;
        expect(arr(v)).toEqual(arr(pure.v));
        m.dispose(); s.dispose();
      }
    }
  });

  it("closed form (fused) == autodiff (reference) for a spike-count loss, detach on and off", () => {
    const x = tf.randomNormal([8, 16], 0.9, 0.8, "float32", 9);
    for (const detachReset of [false, true]) {
      const g = (fused: boolean) => tf.grad((xx: tf.Tensor) =>
        tf.sum(tf.mul(lifMultiStep(xx, 0, { fused, detachReset, surrogate: atan() }).spikes, tf.linspace(-1, 1, 128).reshape([8, 16]))))(x);
      const a = arr(g(true)), b = arr(g(false));
      const scale = Math.max(1, ...b.map(Math.abs));
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-6 * scale);
      expect(a.some((v) => v !== 0)).toBe(true);
    }
  });

  it("rejects τ ≤ 1 (SpikingJelly requires tau > 1)", () => {
    expect(() => new LIFNode({ tau: 1 })).toThrow(/LIFNode: tau \(time constant\) must be a finite number > 1, got 1/);
    expect(() => lifMultiStep(tf.zeros([2, 2]), 0, { tau: 0.25 })).toThrow(/lifMultiStep: tau/);
  });
});
