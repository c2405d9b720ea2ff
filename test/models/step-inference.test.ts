// Step-by-step inference equals the multi-step forward; neuron factories, channel adapter, pixel-CIFAR net.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { setTraining } from "../../src/lib/layers/module.js";
import { countParameters } from "../../src/lib/models/common.js";
import { ChannelsOnAxis2, mulFreeLayerOf, NEURON_FACTORY_DEFAULTS, NEURON_KINDS, neuronFactory } from "../../src/lib/models/neuron-factories.js";
import type { NeuronOpsKind } from "../../src/lib/metrics/neuron-ops.js";
import { LIFNode } from "../../src/lib/neurons/lif.js";
import { pixelCifarNet, TimeAvgPool } from "../../src/lib/models/pixel-cifar.js";
import { seqCifarNet } from "../../src/lib/models/seq-cifar.js";
import { stepByStepForward } from "../../src/lib/models/step-inference.js";
import { MulFreePSN } from "../../src/lib/neurons/mulfree-psn.js";

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe("stepByStepForward", () => {
  for (const kind of ["mulfree-psn", "sliding-psn"] as const) {
    it(`${kind}: step-by-step == multi-step on seqCifarNet (eval), and the model is restored`, () => {
      const net = seqCifarNet({ neuron: neuronFactory(kind, { k: 3, dilation: "sawtooth" }), T: 8, numClasses: 5, channels: 4, seed: 2 });
      setTraining(net, false);
      const x = tf.randomNormal([8, 3, 32, 1, 3], 0, 1, "float32", 9);
      const multi = tf.tidy(() => net.forward(x));
      const step = stepByStepForward(net, x);
      expect(step.outputs.shape).toEqual([8, 3, 5]);
      expect(maxAbs(step.outputs, multi)).toBeLessThan(1e-5);
      expect(step.stateBytes).toBeGreaterThan(0);
      expect(step.peakTensorBytes).toBeGreaterThan(0);
      expect(maxAbs(tf.tidy(() => net.forward(x)), multi)).toBe(0);
    });
  }
  it("refuses a network whose neurons have no step mode here", () => {
    const net = seqCifarNet({ neuron: neuronFactory("lif"), T: 2, channels: 2 });
    expect(() => stepByStepForward(net, tf.zeros([2, 1, 32, 1, 3]))).toThrow(/neuron 'sn\.0' \(LIFNode\) has no step mode here/);
  });
});

describe("neuron factories and the pixel-CIFAR network", () => {
  it("gives the l-th mul-free layer the sawtooth dilation l + 1, capped so a tap still sees the sequence", () => {
    const f = neuronFactory("mulfree-psn", { k: 3, dilation: "sawtooth" });
    const ds = [0, 1, 2, 3, 4].map((l) => mulFreeLayerOf(f({ name: `sn${l}`, channels: 2, T: 8 }))!.dilation);
    expect(ds).toEqual([1, 2, 3, 3, 3]); // (k − 1)·d < T = 8 → d ≤ 3
    const flat = neuronFactory("mulfree-psn", { k: 3 });
    expect(mulFreeLayerOf(flat({ name: "a", channels: 2, T: 8 }))!.dilation).toBe(1);
    expect(() => neuronFactory("glif" as never)).toThrow(/kind must be one of/);
  });
  it("one kind string per family (= the op-count kinds), the ATan(2) factory default stated, dispose on every kind", () => {
    const opsKinds: NeuronOpsKind[] = ["psn", "masked-psn", "sliding-psn", "mulfree-psn"];
    for (const k of opsKinds) expect(NEURON_KINDS).toContain(k);
    const lif = neuronFactory("lif")({ name: "sn", channels: 2, T: 4 }) as LIFNode;
    expect(lif.params.surrogate.name).toBe(NEURON_FACTORY_DEFAULTS.surrogate.name);
    expect(lif.params.surrogate.name).not.toBe(new LIFNode().params.surrogate.name); // deliberate, documented
    for (const kind of NEURON_KINDS) {
      const m = neuronFactory(kind)({ name: "sn", channels: 2, T: 4 }) as { dispose?: () => void; parameters(): { variable: tf.Variable }[] };
      expect(typeof m.dispose).toBe("function");
      const vars = m.parameters().map((p) => p.variable);
      m.dispose!();
      for (const v of vars) expect(v.isDisposed).toBe(true);
    }
  });
  it("ChannelsOnAxis2 equals applying the layer with channels moved to axis 2 by hand", () => {
    const inner = new MulFreePSN(3, 2, { init: "kaiming", seed: 1 });
    const x = tf.randomNormal([5, 2, 4, 3], 0, 1, "float32", 3);
    const viaAdapter = new ChannelsOnAxis2(inner).forward(x);
    const byHand = tf.tidy(() => tf.transpose(inner.forward(tf.transpose(x, [0, 1, 3, 2])), [0, 1, 3, 2]));
    expect(maxAbs(viaAdapter, byHand)).toBe(0);
  });
  it("pixelCifarNet: [T, B, 3] → [T/4, B, 10] with the hand-counted parameters; time pooling averages windows of 4", () => {
    const net = pixelCifarNet({ neuron: neuronFactory("mulfree-psn", { k: 2 }), T: 16, widths: [8, 16] });
    expect(tf.tidy(() => net.forward(tf.randomNormal([16, 2, 3], 0, 1, "float32", 1)).shape)).toEqual([4, 2, 10]);
    const fc = (i: number, o: number) => i * o + o, bn = (c: number) => 2 * c, sn = (c: number) => 2 * c + c; // mul-free: W [C, 2] + V_th [C]
    const rb = (c: number) => fc(c, c) + bn(c) + sn(c);
    expect(countParameters(net)).toBe(fc(3, 8) + bn(8) + sn(8) + 2 * rb(8) + fc(8, 16) + bn(16) + sn(16) + 2 * rb(16) + fc(16, 10));
    const pooled = new TimeAvgPool(4).forward(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [8, 1, 1]));
    expect(Array.from(pooled.dataSync())).toEqual([2.5, 6.5]);
    expect(() => new TimeAvgPool(4).forward(tf.zeros([6, 1, 1]))).toThrow(/T = 6 is not divisible by 4/);
  });
});
