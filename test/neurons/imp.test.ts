// Learnable initial membrane potential (papers.md §3.1, §5 last bullet, §5c; events-and-parity §1.2 gV_init).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import {
  IFNode, IMP_INIT, LearnableIMP, LIFNode, LegacyLIFNode, ParametricLIFNode, ifMultiStep, impShape, lifMultiStep,
} from "../../src/lib/neurons/index.js";
import { atan } from "../../src/lib/surrogate.js";

const arr = (t: tf.Tensor) => Array.from(t.dataSync());

describe("IMP shapes, created lazily from the first input", () => {
  const x5 = () => tf.randomUniform([3, 2, 4, 5, 6], 0, 1, "float32", 1); // [T, B, C, H, W]

  it("per neuron (1, C, H, W), per channel (1, C, 1, 1), per position (1, 1, H, W)", () => {
    for (const [mode, shape] of [["neuron", [1, 4, 5, 6]], ["channel", [1, 4, 1, 1]], ["position", [1, 1, 5, 6]]] as const) {
      const node = new IFNode({ imp: { mode } });
      expect(node.imp!.variable).toBeNull();
      expect(node.parameters()).toEqual([]);
      node.forward(x5());
      expect(node.imp!.shape).toEqual(shape);
      expect(node.parameters().map((p) => [p.name, p.group])).toEqual([["imp", "imp"]]);
      node.dispose();
    }
  });

  it("single-step mode derives the shape from x [B, C, H, W]", () => {
    const node = new LIFNode({ imp: true, stepMode: "s" });
    node.forward(tf.zeros([2, 4, 5, 6]));
    expect(node.imp!.shape).toEqual([1, 4, 5, 6]);
  });

  it("fully-connected input [T, B, F] gives (1, F); per-position needs spatial dims", () => {
    expect(impShape("neuron", [10])).toEqual([1, 10]);
    expect(impShape("channel", [10])).toEqual([1, 10]);
    expect(() => impShape("position", [10])).toThrow(/mode 'position' needs feature shape \[C, \.\.\.spatial\]/);
  });

  it("refuses a different input resolution once created", () => {
    const node = new IFNode({ imp: true });
    node.forward(x5());
    node.reset();
    expect(() => node.forward(tf.zeros([3, 2, 4, 6, 6]))).toThrow(/LearnableIMP: input feature shape \[4,6,6\] differs from the shape \[4,5,6\]/);
  });
});

describe("IMP init ranges (papers.md §3.1)", () => {
  const stats = (v: number[]) => [Math.min(...v), Math.max(...v), v.reduce((a, b) => a + b, 0) / v.length];

  it("SpikingJelly nodes (LazyStateLIFNode / StateIFNode): U(0.4, 0.6); legacy StateLIFSpike and channel/position: U(−0.2, 0.2)", () => {
    expect(IMP_INIT.spikingJelly).toEqual([0.4, 0.6]);
    expect(IMP_INIT.legacy).toEqual([-0.2, 0.2]);
    const x = tf.zeros([1, 1, 8, 16, 16]);
    const cases: Array<[{ imp: unknown; forward(x: tf.Tensor): tf.Tensor }, number, number]> = [
      [new IFNode({ imp: true }), 0.4, 0.6],
      [new LIFNode({ imp: true }), 0.4, 0.6],
      [new ParametricLIFNode({ imp: true }), 0.4, 0.6],
      [new LegacyLIFNode({ imp: true }), -0.2, 0.2],
      [new LIFNode({ imp: { init: [-0.2, 0.2] } }), -0.2, 0.2],
    ];
    for (const [node, lo, hi] of cases) {
      node.forward(x);
      const [mn, mx, mean] = stats(arr((node.imp as LearnableIMP).variable!));
      expect(mn).toBeGreaterThanOrEqual(lo);
      expect(mx).toBeLessThan(hi);
      // 2048 uniform draws fill the range (fails for a constant or a wrong range)
      expect(mn).toBeLessThan(lo + 0.02 * (hi - lo));
      expect(mx).toBeGreaterThan(hi - 0.02 * (hi - lo));
      expect(mean).toBeCloseTo((lo + hi) / 2, 1);
    }
  });

  it("is reproducible from its seed and differs across seeds", () => {
    const make = (seed: number) => { const m = new LearnableIMP({ seed }); return arr(m.materialize([3, 4])); };
    expect(make(5)).toEqual(make(5));
    expect(make(5)).not.toEqual(make(6));
  });

  it("sigmoid re-parameterisation: effective IMP = sigmoid(param)", () => {
    const m = new LearnableIMP({ init: [0, 0], sigmoid: true });
    expect(arr(m.value([2]))).toEqual([0.5, 0.5]);
  });

  it("rejects bad options with a clear message", () => {
    expect(() => new LearnableIMP({ mode: "pixel" as never })).toThrow(/LearnableIMP: mode must be 'neuron', 'channel' or 'position'/);
    expect(() => new LearnableIMP({ init: [1, 0] })).toThrow(/LearnableIMP: init must be \[lo, hi\] with finite lo <= hi/);
  });
});

describe("IMP dynamics and gradients", () => {
  it("§5c: SpikingJelly IF with IMP = 0.25, X = [0.75] fires; soft reset gives V = 0 (module path)", () => {
    const node = new IFNode({ vReset: null, imp: { init: [0.25, 0.25] } });
    expect(arr(node.forward(tf.tensor3d([[[0.75]]])))).toEqual([1]);
    expect(arr(node.v!)).toEqual([0]);
  });

  it("IMP is re-applied at the start of every sequence (after reset)", () => {
    const node = new LIFNode({ imp: { seed: 1 } });
    const x = tf.randomNormal([4, 2, 3, 3], 0.5, 0.5, "float32", 2);
    const a = arr(node.forward(x)), vA = arr(node.v!);
    node.reset();
    expect(arr(node.forward(x))).toEqual(a);
    expect(arr(node.v!)).toEqual(vA);
    // and equals the pure function started from the IMP, not from 0
    expect(arr(lifMultiStep(x, node.imp!.variable!).spikes)).toEqual(a);
  });

  for (const Node of [IFNode, LIFNode, LegacyLIFNode] as const) {
    it(`${Node.name}: gradients reach the IMP, fused == reference, and equal Σ_batch ∂L/∂V0`, () => {
      const x = tf.randomNormal([6, 3, 2, 4, 4], 0.6, 0.8, "float32", 4);
      const w = tf.randomUniform([6, 3, 2, 4, 4], -1, 1, "float32", 5);
      const grads = (fused: boolean) => {
        const node = new Node({ imp: { seed: 9, mode: "neuron" }, fused, surrogate: atan() });
        node.forward(tf.zeros([1, 3, 2, 4, 4])); node.reset(); // materialise
        const imp = node.imp!.variable!;
        const { grads: g } = tf.variableGrads(() => tf.sum(tf.mul(node.forward(x), w)) as tf.Scalar, [imp]);
        const out = arr(g[imp.name]!);
        node.dispose();
        return out;
      };
      const f = grads(true), r = grads(false);
      expect(f.length).toBe(2 * 4 * 4);
      expect(f.some((v) => v !== 0)).toBe(true);
      const scale = Math.max(1, ...r.map(Math.abs));
      f.forEach((v, i) => expect(Math.abs(v - r[i]!)).toBeLessThanOrEqual(1e-6 * scale));
    });
  }

  it("per-channel IMP gradient = per-neuron gradient summed over positions (broadcast rule)", () => {
    const x = tf.randomNormal([5, 2, 3, 4, 4], 0.6, 0.8, "float32", 6);
    const w = tf.randomUniform([5, 2, 3, 4, 4], -1, 1, "float32", 7);
    const v0 = tf.fill([1, 3, 1, 1], 0.1);
    const loss = (v: tf.Tensor) => tf.sum(tf.mul(ifMultiStep(x, v, { surrogate: atan() }).spikes, w));
    const gChannel = arr(tf.grad(loss)(v0));
    const gNeuron = tf.grad(loss)(tf.broadcastTo(v0, [1, 3, 4, 4]));
    const summed = arr(tf.sum(gNeuron, [2, 3], true));
    gChannel.forEach((v, i) => expect(v).toBeCloseTo(summed[i]!, 4));
  });
});
