import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { BatchNorm, Conv2d, Dropout, Flatten, FramesToNHWC, GlobalAvgPool, Linear, MaxPool2d, Sequential, TEBN, VotingLayer } from "../../src/lib/layers/index.js";

const close = (a: tf.Tensor, b: tf.Tensor, tol = 1e-5) => expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeLessThan(tol);
const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

describe("multi-step stateless layers", () => {
  it("Conv2d on [T, B, H, W, C] equals a per-step loop (fold == loop), with PyTorch default init bounds", () => {
    const conv = new Conv2d(3, 4, 3, { seed: 1 });
    expect(Math.max(...Array.from(conv.weight.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1 / Math.sqrt(27));
    const x = randn([3, 2, 6, 5, 3], 2);
    const y = conv.forward(x);
    expect(y.shape).toEqual([3, 2, 6, 5, 4]);
    const loop = tf.stack(tf.unstack(x).map((xt) => conv.apply(xt as tf.Tensor4D)));
    close(y, loop);
    expect(() => conv.forward(randn([2, 6, 5, 3], 0))).toThrow(/\[T, B, H, W, C\]/);
  });
  it("kaiming-normal (fan_out, relu) init has the right spread and zero bias", () => {
    const conv = new Conv2d(64, 128, 3, { init: "kaiming-normal", seed: 3 });
    const w = Array.from(conv.weight.dataSync());
    const sd = Math.sqrt(w.reduce((a, v) => a + v * v, 0) / w.length);
    expect(sd).toBeCloseTo(Math.sqrt(2 / (128 * 9)), 3);
    expect(Array.from(conv.bias!.dataSync()).every((v) => v === 0)).toBe(true);
  });
  it("Linear works on [T, B, F] and names its shape mismatch", () => {
    const l = new Linear(5, 3, { seed: 0 });
    const x = randn([2, 4, 5], 1);
    close(l.forward(x), tf.add(tf.matMul(x.reshape([8, 5]), l.weight), l.bias!).reshape([2, 4, 3]));
    expect(() => l.forward(randn([2, 4, 6], 0))).toThrow(/Linear\(5, 3\): input's last dimension is 6/);
  });
  it("BatchNorm: batch statistics over T·B·H·W in training, running stats (momentum 0.1, unbiased) in eval", () => {
    const bn = new BatchNorm(2);
    const x = tf.add(tf.mul(randn([2, 3, 2, 2, 2], 4), 3), 1);
    const y = bn.forward(x);
    const m = tf.moments(y, [0, 1, 2, 3]);
    close(m.mean, tf.zeros([2]), 1e-5);
    close(m.variance, tf.ones([2]), 1e-3);
    const xm = tf.moments(x, [0, 1, 2, 3]);
    close(bn.runningMean, tf.mul(xm.mean, 0.1));
    const n = 24;
    close(bn.runningVar, tf.add(0.9, tf.mul(xm.variance, 0.1 * n / (n - 1))), 1e-4);
    bn.train(false);
    close(bn.forward(x), tf.div(tf.sub(x, bn.runningMean), tf.sqrt(tf.add(bn.runningVar, 1e-5))), 1e-4);
    expect(bn.parameters().map((p) => p.group)).toEqual(["norm", "norm"]);
    expect(bn.buffers().map((b) => b.name)).toEqual(["running_mean", "running_var"]);
  });
  it("BatchNorm's gradients (hand-written, reductions as products with a ones row) equal autodiff of the textbook formula", () => {
    const bn = new BatchNorm(3);
    bn.gamma.assign(tf.tensor1d([0.5, -1.5, 2]));
    bn.beta.assign(tf.tensor1d([0.1, 0.2, -0.3]));
    const x = tf.add(tf.mul(randn([2, 3, 4, 2, 3], 11), 2), 0.7);
    const w = randn([2, 3, 4, 2, 3], 12); // upstream weights: loss = Σ w ⊙ y
    const reference = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(xs, [0, 1, 2, 3]);
      return tf.sum(tf.mul(w, tf.add(tf.mul(tf.div(tf.sub(xs, mean), tf.sqrt(tf.add(variance, 1e-5))), g), b)));
    };
    const xv = tf.variable(x);
    const vars = [xv, bn.gamma, bn.beta];
    const want = tf.variableGrads(() => reference(xv, bn.gamma, bn.beta) as tf.Scalar, vars).grads;
    const got = tf.variableGrads(() => tf.sum(tf.mul(w, bn.forward(xv))), vars).grads;
    for (const v of vars) close(got[v.name]!, want[v.name]!, 1e-4);
    expect(tf.max(tf.abs(want[xv.name]!)).dataSync()[0]).toBeGreaterThan(0.1);
  });
  it("TEBN multiplies step t by te_t", () => {
    const tebn = new TEBN(2, 3);
    tebn.te.assign(tf.tensor1d([1, 2, 3]));
    const x = randn([3, 4, 2], 5);
    const plain = new BatchNorm(2).forward(x);
    close(tebn.forward(x), tf.mul(plain, tf.reshape(tf.tensor1d([1, 2, 3]), [3, 1, 1])));
    expect(tebn.parameters().map((p) => p.group)).toEqual(["norm", "norm", "tebn"]);
  });
  it("pooling, global pooling, PyTorch-order flatten, frame layout, voting", () => {
    const x = randn([2, 1, 4, 4, 3], 6);
    expect(new MaxPool2d(2).forward(x).shape).toEqual([2, 1, 2, 2, 3]);
    close(new GlobalAvgPool().forward(x), tf.mean(x, [2, 3]));
    const f = new Flatten().forward(tf.tensor(Array.from({ length: 12 }, (_, i) => i), [1, 1, 2, 2, 3]));
    expect(Array.from(f.dataSync())).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]); // c-major: all of channel 0 first
    expect(new FramesToNHWC().forward(tf.zeros([2, 3, 2, 5, 7])).shape).toEqual([2, 3, 5, 7, 2]);
    expect(Array.from(new VotingLayer(2).forward(tf.tensor2d([[1, 3, 5, 7]])).dataSync())).toEqual([2, 6]);
    expect(() => new VotingLayer(3).forward(tf.zeros([1, 4]))).toThrow(/not a multiple/);
  });
  it("Dropout: one mask per sequence, constant over T, redrawn after reset, identity in eval", () => {
    const d = new Dropout(0.5, 1);
    const x = tf.ones([4, 2, 50]);
    const y = d.forward(x).arraySync() as number[][][];
    for (let t = 1; t < 4; t++) expect(y[t]).toEqual(y[0]);
    expect(y[0]!.flat().every((v) => v === 0 || v === 2)).toBe(true);
    const again = d.forward(x).arraySync();
    expect(again).toEqual(y);
    d.reset();
    d.reseed(9);
    expect(d.forward(x).arraySync()).not.toEqual(y);
    d.train(false);
    expect(Array.from(d.forward(x).dataSync()).every((v) => v === 1)).toBe(true);
  });
  it("Sequential names parameters by position and forwards reset/train", () => {
    const s = new Sequential(new Linear(3, 4), new BatchNorm(4), new Linear(4, 2, { bias: false }));
    expect(s.parameters().map((p) => p.name)).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight"]);
    expect(s.buffers().map((b) => b.name)).toEqual(["1.running_mean", "1.running_var"]);
    expect(s.forward(randn([2, 5, 3], 1)).shape).toEqual([2, 5, 2]);
  });
});

describe("seeded initialisation", () => {
  it("kaiming-normal with seed 0 is the same every time (TF.js's Gaussian treats seed 0 as unseeded)", () => {
    const w = (seed: number) => Array.from(new Conv2d(3, 4, 3, { init: "kaiming-normal", seed }).parameters()[0]!.variable.dataSync());
    expect(w(0)).toEqual(w(0));
    expect(w(0)).not.toEqual(w(1));
    expect(Array.from(new Linear(5, 3, { init: "kaiming-normal", seed: 0 }).parameters()[0]!.variable.dataSync()))
      .toEqual(Array.from(new Linear(5, 3, { init: "kaiming-normal", seed: 0 }).parameters()[0]!.variable.dataSync()));
  });
});
