import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import type { NamedParameter } from "../../src/lib/layers/module.js";
import { Adam, adamW, SGD } from "../../src/lib/train/optimizers.js";

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
});
