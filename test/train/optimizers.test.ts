import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import type { NamedParameter } from "../../src/lib/layers/module.js";
import { Adam, adamW, Lamb, SGD } from "../../src/lib/train/optimizers.js";

let n = 0;
const param = (v: number[], group: NamedParameter["group"] = "weight"): NamedParameter =>
  ({ name: `p${n}`, variable: tf.variable(tf.tensor1d(v), true, `opt-test-${n++}`), group });

describe("optimisers follow PyTorch's update rules (hand-computed)", () => {
  it("SGD momentum 0.9 with coupled weight decay, two steps", () => {
    const p = param([1.0]);
    const opt = new SGD({ momentum: 0.9, weightDecay: 0.1 });
    opt.apply([p], { [p.name]: tf.tensor1d([0.5]) }, 0.1);
    // d = 0.5 + 0.1·1 = 0.6; buf = 0.6; w = 1 − 0.06 = 0.94
    expect(p.variable.dataSync()[0]).toBeCloseTo(0.94, 6);
    opt.apply([p], { [p.name]: tf.tensor1d([0.5]) }, 0.1);
    // d = 0.5 + 0.094 = 0.594; buf = 0.54 + 0.594 = 1.134; w = 0.94 − 0.1134
    expect(p.variable.dataSync()[0]).toBeCloseTo(0.8266, 5);
  });
  it("a per-parameter learning rate (per-group schedules) updates each parameter at its own rate; delays get no decay", () => {
    const w = param([1.0]), d = param([1.0], "delay");
    new SGD({ weightDecay: 0.5 }).apply([w, d], { [w.name]: tf.tensor1d([1]), [d.name]: tf.tensor1d([1]) }, (q) => (q.group === "delay" ? 0.05 : 0.1));
    expect(w.variable.dataSync()[0]).toBeCloseTo(1 - 0.1 * 1.5, 6);
    expect(d.variable.dataSync()[0]).toBeCloseTo(1 - 0.05, 6);
    expect(() => new SGD().apply([w], { [w.name]: tf.tensor1d([1]) }, () => -1)).toThrow(/learning rate must be >= 0, got -1 for 'p/);
  });
  it("no-decay groups skip weight decay", () => {
    const w = param([1.0]), b = param([1.0], "bias");
    new SGD({ weightDecay: 0.5 }).apply([w, b], { [w.name]: tf.tensor1d([0]), [b.name]: tf.tensor1d([0]) }, 1);
    expect(w.variable.dataSync()[0]).toBeCloseTo(0.5, 6);
    expect(b.variable.dataSync()[0]).toBeCloseTo(1.0, 6);
  });
  it("Adam's first step moves by lr·g/(|g|+ε) and AdamW decays w first", () => {
    const a = param([2.0]), b = param([2.0]);
    new Adam().apply([a], { [a.name]: tf.tensor1d([3]) }, 0.1);
    expect(a.variable.dataSync()[0]).toBeCloseTo(1.9, 5);
    adamW({ weightDecay: 0.5 }).apply([b], { [b.name]: tf.tensor1d([3]) }, 0.1);
    expect(b.variable.dataSync()[0]).toBeCloseTo(2 - 0.1 * 0.5 * 2 - 0.1, 5);
  });
  it("Adam with coupled decay differs from AdamW; state round-trips", () => {
    const a = param([2.0]);
    const opt = new Adam({ weightDecay: 0.5 });
    opt.apply([a], { [a.name]: tf.tensor1d([3]) }, 0.1);
    opt.apply([a], { [a.name]: tf.tensor1d([1]) }, 0.1);
    const s = opt.state();
    expect(s.step).toBe(2);
    const copy = new Adam({ weightDecay: 0.5 });
    copy.loadState(s);
    const b = param([a.variable.dataSync()[0]!]);
    b.name = a.name;
    opt.apply([a], { [a.name]: tf.tensor1d([2]) }, 0.1);
    copy.apply([b], { [a.name]: tf.tensor1d([2]) }, 0.1);
    expect(b.variable.dataSync()[0]).toBeCloseTo(a.variable.dataSync()[0]!, 6);
    expect(() => opt.apply([a], {}, -1)).toThrow(/learning rate/);
  });

  it("Lamb: two steps match an independent plain-JS computation (trust ratio per tensor, none without decay)", () => {
    const lr = 0.01, wd = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-6;
    const grads = [[[0.3, -0.1, 0.2], [-0.2, 0.4, 0.1]], [[0.05, -0.5], [0.3, 0.3]], [[1, 2], [-1, 0.5]]];
    // Reference: m, v Adam moments with bias correction; r = m̂/(√v̂ + ε) + wd·w; q = ‖w‖/‖r‖ (1 when a
    // norm is 0, or when the tensor has no decay); w ← w − lr·q·r.
    const reference = (w0: number[], gs: number[][], decay: number) => {
      const w = [...w0], m = w.map(() => 0), v = w.map(() => 0);
      gs.forEach((g, s) => {
        const t = s + 1;
        const r = w.map((wi, i) => {
          m[i] = b1 * m[i]! + (1 - b1) * g[i]!;
          v[i] = b2 * v[i]! + (1 - b2) * g[i]! ** 2;
          const mHat = m[i]! / (1 - b1 ** t), vHat = v[i]! / (1 - b2 ** t);
          return mHat / (Math.sqrt(vHat) + eps) + decay * wi;
        });
        const norm = (a: number[]) => Math.hypot(...a);
        const q = decay && norm(w) > 0 && norm(r) > 0 ? norm(w) / norm(r) : 1;
        r.forEach((ri, i) => { w[i] = w[i]! - lr * q * ri; });
      });
      return w;
    };
    const w = param([1, -2, 0.5]), b = param([0.1, -0.3], "bias"), z = param([0, 0]);
    const opt = new Lamb({ weightDecay: wd });
    for (let s = 0; s < 2; s++) {
      opt.apply([w, b, z], { [w.name]: tf.tensor1d(grads[0]![s]!), [b.name]: tf.tensor1d(grads[1]![s]!), [z.name]: tf.tensor1d(grads[2]![s]!) }, lr);
    }
    const cases: [NamedParameter, number[], number[][], number][] = [
      [w, [1, -2, 0.5], grads[0]!, wd], [b, [0.1, -0.3], grads[1]!, 0], [z, [0, 0], grads[2]!, wd],
    ];
    for (const [p, w0, gs, decay] of cases) {
      const want = reference(w0, gs, decay);
      const got = Array.from(p.variable.dataSync());
      want.forEach((x, i) => expect(got[i]).toBeCloseTo(x, 6));
    }
    // The trust ratio matters here: plain Adam with coupled decay would move w by ≈ lr per element.
    const adamLike = reference([1, -2, 0.5], grads[0]!, 0);
    expect(Math.abs(w.variable.dataSync()[0]! - adamLike[0]!)).toBeGreaterThan(1e-3);
  });
});
