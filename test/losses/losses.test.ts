import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import {
  getLoss, lastStepPredict, ltsLoss, meanOutputPredict, mpeTotalLoss, sdtLoss, targetDistribution, tetLoss, tetSLoss,
} from "../../src/lib/losses/index.js";
import { ce, mean, smooth } from "./reference.js";

// Fixed outputs O [T=3, B=2, K=4] and labels.
const O = [
  [[1.0, -0.5, 0.2, 0.0], [0.3, 0.1, -1.2, 2.0]],
  [[0.4, 0.9, -0.3, 0.5], [-0.7, 0.0, 0.6, 1.1]],
  [[2.2, -1.0, 0.0, 0.3], [0.5, 0.5, -0.2, 0.1]],
];
const y = [0, 3];
const T = 3, K = 4;
const onehot = (c: number) => smooth(c, K, 0);
const out = () => tf.tensor3d(O);

describe("losses on fixed tensors vs hand-computed float64 values", () => {
  it("SDT = CE of the time-mean output", async () => {
    const expected = mean(y.map((c, b) => ce(Array.from({ length: K }, (_, k) => mean(O.map((o) => o[b]![k]!))), onehot(c))));
    expect((await sdtLoss(out(), y).data())[0]).toBeCloseTo(expected, 5);
  });
  it("TET (λ=0) = mean over t and b of CE(O_t, y)", async () => {
    const expected = mean(O.flatMap((o) => y.map((c, b) => ce(o[b]!, onehot(c)))));
    expect((await tetLoss(out(), y).data())[0]).toBeCloseTo(expected, 5);
  });
  it("TET with the MSE regulariser (λ=1e-3, φ=1)", async () => {
    const ceTerm = mean(O.flatMap((o) => y.map((c, b) => ce(o[b]!, onehot(c)))));
    const mse = mean(O.flat(2).map((v) => (v - 1) ** 2));
    const expected = (1 - 1e-3) * ceTerm + 1e-3 * mse;
    expect((await tetLoss(out(), y, { lambda: 1e-3, phi: 1 }).data())[0]).toBeCloseTo(expected, 5);
    expect((await getLoss("tet-original").loss(out(), y).data())[0]).toBeCloseTo(expected, 5);
  });
  it("TET-S smooths targets: K=10, ε=0.01 gives 0.991 / 0.001 (papers.md §5c)", async () => {
    const t = await targetDistribution([2], 10, 0.01).data();
    expect(t[2]).toBeCloseTo(0.991, 6);
    expect(t[0]).toBeCloseTo(0.001, 6);
    const expected = mean(O.flatMap((o) => y.map((c, b) => ce(o[b]!, smooth(c, K, 0.01)))));
    expect((await tetSLoss(out(), y).data())[0]).toBeCloseTo(expected, 5);
    expect((await tetSLoss(out(), y).data())[0]).not.toBeCloseTo((await tetLoss(out(), y).data())[0]!, 4);
  });
  it("LTS uses the last step only, for loss and prediction (T=3)", async () => {
    const expected = mean(y.map((c, b) => ce(O[T - 1]![b]!, onehot(c))));
    expect((await ltsLoss(out(), y).data())[0]).toBeCloseTo(expected, 5);
    // Last step: row 0 argmax = 0, row 1 argmax = 0 (0.5 vs 0.5 tie → first); mean over t: row 1 argmax = 3.
    expect(Array.from(await lastStepPredict(out()).data())).toEqual([0, 0]);
    expect(Array.from(await meanOutputPredict(out()).data())).toEqual([0, 3]);
  });
  it("MPE total: (1−λ_mem)·TET + λ_mem·ΣL_mem before the cut-off epoch, TET after", async () => {
    const tet = (await tetLoss(out(), y, { lambda: 1e-3, phi: 1 }).data())[0]!;
    const mem = [tf.scalar(0.5), tf.scalar(0.25)];
    const before = (await mpeTotalLoss(out(), y, mem, { lambdaMem: 0.01, epoch: 149 }).data())[0]!;
    const after = (await mpeTotalLoss(out(), y, mem, { lambdaMem: 0.01, epoch: 150 }).data())[0]!;
    expect(before).toBeCloseTo(0.99 * tet + 0.01 * 0.75, 5);
    expect(after).toBeCloseTo(tet, 6);
  });
  it("gradients flow (finite differences on one logit)", () => {
    const x = out();
    const g = tf.grad((o: tf.Tensor) => tetSLoss(o, y))(x);
    const eps = 1e-2;
    const bump = (d: number) => {
      const arr = O.map((o) => o.map((r) => [...r]));
      arr[1]![0]![2]! += d;
      return tetSLoss(tf.tensor3d(arr), y).dataSync()[0]!;
    };
    const fd = (bump(eps) - bump(-eps)) / (2 * eps);
    expect((g.arraySync() as number[][][])[1]![0]![2]!).toBeCloseTo(fd, 3);
  });
  it("bad shapes and unknown names give clear errors", () => {
    expect(() => sdtLoss(tf.zeros([2, 4]), [0, 1])).toThrow(/\[T, B, K\]/);
    expect(() => tetLoss(out(), [0])).toThrow(/1 labels for a batch of 2/);
    expect(() => getLoss("mse")).toThrow(/unknown loss 'mse'/);
    expect(() => targetDistribution([0], 3, 1.5)).toThrow(/epsilon/);
  });
});
