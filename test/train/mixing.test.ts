import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { mixBatch, sampleBeta } from "../../src/lib/train/mixing.js";
import { Rng } from "../../src/lib/util/random.js";

describe("mixup / cutmix", () => {
  it("Beta(α, α) samples have mean 1/2 and the right variance", () => {
    const r = new Rng(3);
    const xs = Array.from({ length: 4000 }, () => sampleBeta(r, 0.5));
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    const v = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
    expect(m).toBeCloseTo(0.5, 1);
    expect(v).toBeCloseTo(1 / (4 * 2), 1); // α²/((2α)²(2α+1)) = 1/8 for α = 0.5
  });
  it("mixup blends each sample with the reversed batch by λ", () => {
    const x = tf.tensor3d([[[1, 1], [3, 3]]]); // [T=1, B=2, 2]
    const m = mixBatch(x, Int32Array.from([0, 1]), new Rng(1), { mixupAlpha: 0.5 });
    expect(m.kind).toBe("mixup");
    const l = m.lambda;
    const expected = [1 * l + 3 * (1 - l), 1 * l + 3 * (1 - l), 3 * l + 1 * (1 - l), 3 * l + 1 * (1 - l)];
    Array.from(m.x.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
    expect(Array.from(m.labelsB)).toEqual([1, 0]);
  });
  it("cutmix pastes a box and λ equals the kept area exactly; same seed, same box", () => {
    const x = tf.concat([tf.zeros([1, 1, 8, 8, 1]), tf.ones([1, 1, 8, 8, 1])], 1); // [T,B=2,H,W,C]
    const a = mixBatch(x, Int32Array.from([0, 1]), new Rng(9), { cutmixAlpha: 1 });
    const b = mixBatch(x, Int32Array.from([0, 1]), new Rng(9), { cutmixAlpha: 1 });
    expect(a.kind).toBe("cutmix");
    const pasted = tf.sum(tf.slice(a.x, [0, 0], [1, 1])).dataSync()[0]!; // sample 0 got ones inside the box
    expect(1 - pasted / 64).toBeCloseTo(a.lambda, 10);
    expect(Array.from(b.x.dataSync())).toEqual(Array.from(a.x.dataSync()));
  });
  it("prob 0 leaves the batch untouched", () => {
    const x = tf.ones([1, 2, 3]);
    expect(mixBatch(x, Int32Array.from([0, 1]), new Rng(1), { mixupAlpha: 1, prob: 0 }).kind).toBe("none");
  });
});
