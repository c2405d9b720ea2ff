// Filter-normalised directions and the loss surface (Li et al. 2018; MPE-PSN Fig. 4).
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { filterNormalizedDirection, lossSurface } from "../../src/lib/metrics/landscape.js";
import type { NamedParameter } from "../../src/lib/layers/module.js";

describe("loss landscape", () => {
  const w = tf.variable(tf.tensor2d([[1, 2, 0], [2, -1, 3]]), true, "land.w"); // 3 filters (last axis)
  const b = tf.variable(tf.tensor1d([0.5, -0.5, 1]), true, "land.b");
  const params: NamedParameter[] = [{ name: "w", variable: w, group: "weight" }, { name: "b", variable: b, group: "bias" }];

  it("rescales each filter (last axis) of the Gaussian direction to the filter norm of θ*, zero for 1-D parameters", () => {
    const d = filterNormalizedDirection(params, 3);
    const dw = d.get("w")!, wv = w.dataSync();
    for (let f = 0; f < 3; f++) {
      const nd = Math.hypot(dw[f]!, dw[3 + f]!), nw = Math.hypot(wv[f]!, wv[3 + f]!);
      expect(nd).toBeCloseTo(nw, 5);
    }
    expect(Array.from(d.get("b")!)).toEqual([0, 0, 0]);
    expect(Array.from(filterNormalizedDirection(params, 3).get("w")!)).toEqual(Array.from(dw)); // seeded
  });

  it("evaluates L(θ* + αδ + βη) on the grid (checked on L = Σw² by hand) and restores θ*", async () => {
    const delta = filterNormalizedDirection(params, 1), eta = filterNormalizedDirection(params, 2);
    const loss = () => tf.tidy(() => tf.sum(tf.square(w))).dataSync()[0]!;
    const alphas = [-1, 0, 1], betas = [-0.5, 0.5];
    const z = await lossSurface(params, delta, eta, { alphas, betas, loss });
    const w0 = [1, 2, 0, 2, -1, 3], dd = delta.get("w")!, ee = eta.get("w")!;
    betas.forEach((bb, i) => alphas.forEach((a, j) => {
      const byHand = w0.reduce((s, v, k) => s + (v + a * dd[k]! + bb * ee[k]!) ** 2, 0);
      expect(z[i]![j]!).toBeCloseTo(byHand, 3);
    }));
    expect(Array.from(w.dataSync())).toEqual(w0);
    await expect(lossSurface(params, delta, eta, { alphas, betas, loss: () => { throw new Error("boom"); } })).rejects.toThrow("boom");
    expect(Array.from(w.dataSync())).toEqual(w0);
  });
});
