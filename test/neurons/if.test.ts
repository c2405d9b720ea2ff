// IF neuron (events-and-parity §1.2, §7 items 1-3; papers.md §1.1, §3.1, §5c).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { IFNode, IF_DEFAULTS, ifMultiStep, ifStep } from "../../src/lib/neurons/index.js";
import { atan, sigmoid } from "../../src/lib/surrogate.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe("IF forward, hand-computed", () => {
  for (const fused of [true, false]) {
    it(`§5c: SpikingJelly IF (Θ is >=), IMP = 0.25, X = [0.75]: H = 1 → spike, soft reset V = 0 (fused=${fused})`, () => {
      const r = ifMultiStep(tf.tensor2d([[0.75]]), tf.tensor1d([0.25]), { vReset: null, fused });
      expect(arr(r.hSeq)).toEqual([1]);
      expect(arr(r.spikes)).toEqual([1]);
      expect(arr(r.vSeq)).toEqual([0]);
      expect(arr(r.v)).toEqual([0]);
    });

    it(`hard reset to V_reset, strict tie changes the result at H = V_th (fused=${fused})`, () => {
      // x = [0.5, 0.5, 0.25, 1.0] from V0 = 0: H = 0.5, 1.0 (tie) → fire, V = -0.5; H = -0.25; H = 0.75
      const x = tf.tensor2d([[0.5], [0.5], [0.25], [1.0]]);
      const ge = ifMultiStep(x, 0, { vReset: -0.5, fused });
      expect(arr(ge.hSeq)).toEqual([0.5, 1, -0.25, 0.75]);
      expect(arr(ge.spikes)).toEqual([0, 1, 0, 0]);
      expect(arr(ge.vSeq)).toEqual([0.5, -0.5, -0.25, 0.75]);
      const gt = ifMultiStep(x, 0, { vReset: -0.5, surrogate: sigmoid(4, ">"), fused });
      // '>': H = 0.5, 1.0 (no spike, V = 1), 1.25 → fire, V = -0.5; H = 0.5
      expect(arr(gt.spikes)).toEqual([0, 0, 1, 0]);
      expect(arr(gt.vSeq)).toEqual([0.5, 1, -0.5, 0.5]);
    });

    it(`soft reset keeps the overshoot (fused=${fused})`, () => {
      const r = ifMultiStep(tf.tensor2d([[1.5], [0.25], [0.5]]), 0, { vReset: null, fused });
      expect(arr(r.spikes)).toEqual([1, 0, 1]);
      expect(arr(r.vSeq)).toEqual([0.5, 0.75, 0.25]);
    });
  }

  it("defaults are SpikingJelly's: V_th 1, V_reset 0, no detach, Sigmoid(4)", () => {
    expect(IF_DEFAULTS.vThreshold).toBe(1);
    expect(IF_DEFAULTS.vReset).toBe(0);
    expect(IF_DEFAULTS.detachReset).toBe(false);
    expect(IF_DEFAULTS.surrogate.name).toBe("Sigmoid(alpha=4)");
  });
});

describe("IF single-step == multi-step == pure function == module", () => {
  it("for [T, B, C, H, W] input, both reset modes, with and without detach", () => {
    const x = tf.randomNormal([5, 2, 3, 2, 2], 0.4, 0.8, "float32", 7);
    for (const vReset of [0, null, -0.3]) {
      for (const detachReset of [false, true]) {
        const p = { vReset, detachReset, surrogate: atan() };
        const pure = ifMultiStep(x, vReset ?? 0, p);
        const multi = new IFNode({ ...p, stepMode: "m" });
        const single = new IFNode({ ...p, stepMode: "s" });
        const outM = multi.forward(x);
        const outS = tf.stack(tf.unstack(x).map((xt) => single.forward(xt)));
        expect(arr(outM)).toEqual(arr(pure.spikes));
        expect(arr(outS)).toEqual(arr(pure.spikes));
        expect(arr(multi.v!)).toEqual(arr(pure.v));
        expect(arr(single.v!)).toEqual(arr(pure.v));
        // step-by-step pure function
        let v = tf.fill([2, 3, 2, 2], vReset ?? 0);
        for (const xt of tf.unstack(x)) v = ifStep(xt, v, p).v;
        expect(arr(v)).toEqual(arr(pure.v));
        multi.dispose(); single.dispose();
      }
    }
  });

  it("state persists across forward calls until reset()", () => {
    const x = tf.tensor3d([[[0.6]], [[0.3]]]); // [T=2, B=1, 1]
    const node = new IFNode();
    node.forward(x); // V = 0.6, 0.9
    expect(arr(node.v!)[0]).toBeCloseTo(0.9, 6);
    const out = node.forward(x); // H = 1.5 → fire → 0; H = 0.3
    expect(arr(out)).toEqual([1, 0]);
    node.reset();
    expect(node.v).toBeNull();
    expect(arr(node.forward(x))).toEqual([0, 0]);
    node.dispose();
  });

  it("reset() releases the state tensors (no leak over many sequences)", () => {
    const node = new IFNode();
    const x = tf.randomUniform([4, 3, 5], 0, 1, "float32", 1);
    node.forward(x).dispose(); node.reset();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) { node.forward(x).dispose(); node.reset(); }
    expect(tf.memory().numTensors).toBe(before);
    node.dispose(); x.dispose();
  });
});

describe("IF bad input", () => {
  it("names the argument and the expected shape", () => {
    const x = tf.zeros([3, 2, 4]);
    expect(() => ifMultiStep(x, tf.zeros([3, 4]))).toThrow(/ifMultiStep: v0 of shape \[3,4\] is not broadcastable to the state shape \[2,4\]/);
    expect(() => ifMultiStep(x, 0, { vThreshold: Number.NaN })).toThrow(/vThreshold must be a finite number/);
    expect(() => ifMultiStep(x, 0, { fused: false, vReset: Number.POSITIVE_INFINITY })).toThrow(/vReset must be a finite number or null/);
    expect(() => ifMultiStep(tf.zeros([0, 2]), 0)).toThrow(/xSeq must have shape \[T, \.\.\.\] with T >= 1/);
    expect(() => new IFNode({ stepMode: "x" as never })).toThrow(/IFNode: stepMode must be "s" or "m"/);
    expect(() => new IFNode().forward(tf.zeros([4]))).toThrow(/IFNode.forward: stepMode "m" expects x \[T, B, \.\.\.\]/);
    const node = new IFNode();
    node.forward(x);
    expect(() => node.forward(tf.zeros([3, 5, 4]))).toThrow(/call reset\(\) between sequences/);
  });
});
