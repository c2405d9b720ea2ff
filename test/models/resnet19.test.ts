// ResNet-19 (tdBN / TET CIFAR network): shapes, hand-counted parameters, residual joins before the last neuron.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { countParameters } from "../../src/lib/models/common.js";
import { resnet19 } from "../../src/lib/models/resnet19.js";
import type { Module } from "../../src/lib/layers/module.js";

const passThrough = (): Module => ({ forward: (x: tf.Tensor) => tf.clone(x) });

describe("resnet19", () => {
  it("has the hand-counted 12.6 M parameters of ResNet-19 with 3-3-2 blocks of 128/256/512 and FC 256", () => {
    const conv = (i: number, o: number, k: number) => i * o * k * k, bn = (c: number) => 2 * c;
    const block = (i: number, o: number) => conv(i, o, 3) + bn(o) + conv(o, o, 3) + bn(o) + (i !== o ? conv(i, o, 1) + bn(o) : 0);
    const expected = conv(3, 128, 3) + bn(128) + 3 * block(128, 128) + block(128, 256) + 2 * block(256, 256) + block(256, 512) + block(512, 512)
      + (512 * 256 + 256) + (256 * 10 + 10);
    const net = resnet19({ neuron: passThrough, T: 1 });
    expect(countParameters(net)).toBe(expected);
    net.parameters().forEach((p) => p.variable.dispose());
  });
  it("maps [T, B, 32, 32, 3] to per-step logits; the stride-2 stages halve 32 → 16 → 8", () => {
    const seen: number[][] = [];
    const probe = (): Module => ({ forward: (x: tf.Tensor) => { seen.push(x.shape); return tf.clone(x); } });
    const net = resnet19({ neuron: probe, T: 2, widthFactor: 1 / 16, numClasses: 7 });
    expect(tf.tidy(() => net.forward(tf.randomNormal([2, 3, 32, 32, 3], 0, 1, "float32", 1)).shape)).toEqual([2, 3, 7]);
    expect(seen[0]).toEqual([2, 3, 32, 32, 8]);
    expect(seen.at(-2)).toEqual([2, 3, 8, 8, 32]);
    expect(seen.at(-1)).toEqual([2, 3, 16]);
    expect(seen.length).toBe(1 + 2 * 8 + 1);
  });
});
