// Leaky-integrator readout: closed-form kernel == the step recursion V[t] = (1 − 1/τ)V[t−1] + X[t]/τ.
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { LeakyIntegratorReadout, leakyIntegratorMultiStep } from "../../src/lib/layers/readout.js";

describe("leaky integrator readout", () => {
  it("matches the recursion for τ = 2 and τ = 3.5, and τ = 1 is the identity", () => {
    const x = tf.randomUniform([6, 2, 3], -1, 1, "float32", 1);
    const xs = x.arraySync() as number[][][];
    for (const tau of [2, 3.5]) {
      const v = leakyIntegratorMultiStep(x, tau).arraySync() as number[][][];
      const state = [[0, 0, 0], [0, 0, 0]];
      for (let t = 0; t < 6; t++) for (let b = 0; b < 2; b++) for (let k = 0; k < 3; k++) {
        state[b]![k] = (1 - 1 / tau) * state[b]![k]! + xs[t]![b]![k]! / tau;
        expect(v[t]![b]![k]!).toBeCloseTo(state[b]![k]!, 5);
      }
    }
    expect(Array.from(new LeakyIntegratorReadout(1).forward(x).dataSync())).toEqual(Array.from(x.dataSync()));
    expect(() => new LeakyIntegratorReadout(0.5)).toThrow(/tau must be ≥ 1/);
  });
});
