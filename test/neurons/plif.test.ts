// ParametricLIF: 1/τ = sigmoid(w), w₀ = −ln(τ₀ − 1) (events-and-parity §1.2, §7 item 3).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { ParametricLIFNode, lifMultiStep, plifInitW, plifMultiStep, plifStep } from "../../src/lib/neurons/index.js";
import { atan } from "../../src/lib/surrogate.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe("ParametricLIF", () => {
  it("w₀ = −ln(τ₀ − 1) so that sigmoid(w₀) = 1/τ₀", async () => {
    expect(plifInitW(2)).toBe(-0);
    expect(1 / (1 + Math.exp(-plifInitW(3)))).toBeCloseTo(1 / 3, 12);
    const node = new ParametricLIFNode({ initTau: 4 });
    expect(await node.tau()).toBeCloseTo(4, 5);
    expect(() => new ParametricLIFNode({ initTau: 1 })).toThrow(/initTau must be a finite number > 1, got 1/);
  });

  it("with τ = τ₀ it equals LIF for all four charge variants (forward and dL/dx)", () => {
    const x = tf.randomNormal([6, 4, 5], 0.9, 0.9, "float32", 3);
    for (const decayInput of [true, false]) {
      for (const vReset of [0, null, -0.25]) {
        const w = tf.scalar(plifInitW(2));
        const p = { decayInput, vReset, surrogate: atan() };
        const a = plifMultiStep(x, vReset ?? 0, w, p), b = lifMultiStep(x, vReset ?? 0, { ...p, tau: 2 });
        expect(arr(a.spikes)).toEqual(arr(b.spikes));
        arr(a.vSeq).forEach((v, i) => expect(v).toBeCloseTo(arr(b.vSeq)[i]!, 6));
        const ga = arr(tf.grad((xx: tf.Tensor) => tf.sum(plifMultiStep(xx, 0, w, p).spikes))(x));
        const gb = arr(tf.grad((xx: tf.Tensor) => tf.sum(lifMultiStep(xx, 0, { ...p, tau: 2 }).spikes))(x));
        ga.forEach((v, i) => expect(v).toBeCloseTo(gb[i]!, 5));
      }
    }
  });

  it("dL/dw matches central finite differences of a float64 model (detached reset, loss on V)", () => {
    // H = V + (X − V)·k, k = sigmoid(w); hard reset to 0 detached; inputs chosen so no spike flips under ±eps.
    const X = [[0.4, 1.6], [0.3, 0.2], [1.9, 0.5], [0.6, 0.7]], c = [[1, -0.5], [0.3, 0.8], [-1, 0.4], [0.6, -0.7]];
    const L64 = (w: number) => {
      const k = 1 / (1 + Math.exp(-w));
      let v = [0, 0], L = 0;
      X.forEach((row, t) => {
        v = row.map((x, n) => { const h = v[n]! + (x - v[n]!) * k; return h - 1 >= 0 ? 0 : h; });
        v.forEach((vn, n) => { L += c[t]![n]! * vn; });
      });
      return L;
    };
    const w0 = 0.3, eps = 1e-5;
    const fd = (L64(w0 + eps) - L64(w0 - eps)) / (2 * eps);
    const ct = tf.tensor2d(c);
    const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(plifMultiStep(tf.tensor2d(X), 0, w, { detachReset: true }).vSeq, ct)))(tf.scalar(w0));
    expect(Math.abs(fd)).toBeGreaterThan(0.01);
    expect(g.dataSync()[0]).toBeCloseTo(fd, 4);
  });

  it("module: parameters w (group 'neuron') + IMP; gradients reach w; single == multi step", () => {
    const x = tf.randomNormal([5, 2, 3], 0.8, 0.7, "float32", 8);
    const node = new ParametricLIFNode({ surrogate: atan(), imp: true });
    const out = node.forward(x);
    expect(node.parameters().map((p) => [p.name, p.group])).toEqual([["w", "neuron"], ["imp", "imp"]]);
    node.reset();
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(node.forward(x), tf.linspace(-1, 1, 30).reshape([5, 2, 3]))) as tf.Scalar);
    expect(Math.abs(grads[node.w.name]!.dataSync()[0]!)).toBeGreaterThan(0);
    const s = new ParametricLIFNode({ surrogate: atan(), imp: node.imp!, stepMode: "s" });
    expect(arr(tf.stack(tf.unstack(x).map((xt) => s.forward(xt))))).toEqual(arr(out));
    let v: tf.Tensor = tf.broadcastTo(node.imp!.variable!, [2, 3]);
    for (const xt of tf.unstack(x)) v = plifStep(xt, v, node.w, { surrogate: atan() }).v;
    expect(arr(v)).toEqual(arr(s.v!));
  });

  it("rejects a non-scalar w", () => {
    expect(() => plifMultiStep(tf.zeros([2, 3]), 0, tf.zeros([2]))).toThrow(/plifMultiStep: w must be a float32 scalar tensor/);
  });
});
