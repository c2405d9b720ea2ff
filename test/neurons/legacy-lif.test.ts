// Legacy LIFSpike (decay factor τ = 0.25, strict '>', hard reset not detached) and StateLIFSpike IMP
// (papers.md §1.1, §2.1 calMemDist, §3.1, §5c).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { LEGACY_LIF_DEFAULTS, LegacyLIFNode, legacyLifMultiStep, legacyLifStep } from "../../src/lib/neurons/index.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());
const seq = (xs: number[]) => tf.tensor2d(xs.map((x) => [x]));

describe("legacy LIF, §5c vectors", () => {
  for (const fused of [true, false]) {
    it(`IMP = 0.5, X = [0.875, 0.875]: H₁ = 1.0 → no spike (strict), H₂ = 1.125 → spike (fused=${fused})`, () => {
      const r = legacyLifMultiStep(seq([0.875, 0.875]), tf.tensor1d([0.5]), { fused });
      expect(arr(r.hSeq)).toEqual([1, 1.125]);
      expect(arr(r.spikes)).toEqual([0, 1]);
      expect(arr(r.vSeq)).toEqual([1, 0]);
    });
    it(`IMP = 0: H = [0.875, 1.09375], S = [0, 1] (fused=${fused})`, () => {
      const r = legacyLifMultiStep(seq([0.875, 0.875]), 0, { fused });
      expect(arr(r.hSeq)).toEqual([0.875, 1.09375]);
      expect(arr(r.spikes)).toEqual([0, 1]);
    });
    it(`MPE-PSN §5c sequential vanilla LIF on X = [0.8, 0.6, 1.5]: h = [0.8, 0.8, 1.7], u = [0.8, 0.8, 0] (fused=${fused})`, () => {
      const r = legacyLifMultiStep(seq([0.8, 0.6, 1.5]), 0, { fused });
      const h = arr(r.hSeq), u = arr(r.vSeq);
      [0.8, 0.8, 1.7].forEach((e, i) => expect(h[i]).toBeCloseTo(e, 6));
      expect(arr(r.spikes)).toEqual([0, 0, 1]);
      [0.8, 0.8, 0].forEach((e, i) => expect(u[i]).toBeCloseTo(e, 6));
    });
  }

  it("defaults: decay 0.25, V_th 1, Triangle(1) with strict '>'", () => {
    expect(LEGACY_LIF_DEFAULTS.decay).toBe(0.25);
    expect(LEGACY_LIF_DEFAULTS.vThreshold).toBe(1);
    expect(LEGACY_LIF_DEFAULTS.surrogate.name).toBe("Triangle(gamma=1)");
    expect(LEGACY_LIF_DEFAULTS.surrogate.tie).toBe(">");
  });

  it("reset is not detached: dS/dH flows through mem·(1 − spike) (ψ = 1 − S − H·σ′)", () => {
    // One neuron, T = 2, X = [1.25, 0.5]: H₁ = 1.25 fires (σ′ = 0.75), V₁ = 0; H₂ = 0.5.
    // L = H₂ → dL/dX₁ = decay·ψ₁ = 0.25·(1 − 1 − 1.25·0.75) = −0.234375.
    for (const fused of [true, false]) {
      const g = tf.grad((x: tf.Tensor) => tf.sum(tf.slice(legacyLifMultiStep(x, 0, { fused }).hSeq, [1, 0], [1, 1])))(seq([1.25, 0.5]));
      expect(arr(g)).toEqual([-0.234375, 1]);
    }
  });
});

describe("LegacyLIFNode (StateLIFSpike with IMP)", () => {
  it("H₁ = decay·IMP + X₁ with a lazily created (1, C, H, W) IMP initialised U(−0.2, 0.2)", () => {
    const node = new LegacyLIFNode({ imp: { seed: 3 } });
    const x = tf.randomUniform([2, 3, 4, 5, 5], 0, 1, "float32", 1);
    expect(node.imp!.variable).toBeNull();
    node.forward(x);
    const imp = node.imp!.variable!;
    expect(imp.shape).toEqual([1, 4, 5, 5]);
    const vals = arr(imp);
    expect(Math.min(...vals)).toBeGreaterThanOrEqual(-0.2);
    expect(Math.max(...vals)).toBeLessThan(0.2);
    const h1 = legacyLifMultiStep(x, imp).hSeq;
    const expected = tf.add(tf.mul(imp, 0.25), tf.slice(x, [0], [1]).squeeze([0]));
    expect(arr(tf.slice(h1, [0], [1]).squeeze([0]))).toEqual(arr(expected));
    node.dispose();
  });

  it("single-step == multi-step and pure step == module", () => {
    const x = tf.randomNormal([5, 3, 7], 0.8, 0.6, "float32", 2);
    const m = new LegacyLIFNode(), s = new LegacyLIFNode({ stepMode: "s" });
    const outM = arr(m.forward(x));
    expect(arr(tf.stack(tf.unstack(x).map((xt) => s.forward(xt))))).toEqual(outM);
    expect(arr(legacyLifMultiStep(x, 0).spikes)).toEqual(outM);
    let v = tf.zeros([3, 7]);
    for (const xt of tf.unstack(x)) v = legacyLifStep(xt, v).v;
    expect(arr(v)).toEqual(arr(m.v!));
  });

  it("rejects a decay outside [0, 1] (it is a factor, not a time constant)", () => {
    expect(() => new LegacyLIFNode({ decay: 2 })).toThrow(/LegacyLIFNode: decay must be a finite number in \[0, 1\], got 2/);
  });
});
