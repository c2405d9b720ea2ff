// Worker copies of the IMP paper's training runs: the same network as the trainer's, whichever process builds it.
import { describe, expect, it } from "vitest";
import { buildSewNet, sewWorkerModel } from "../../../src/figures/imp/experiment.js";
import { tf } from "../../../src/lib/backend/tf.js";
import { disposeModule, parametersOf, resetModule } from "../../../src/lib/layers/module.js";

describe("IMP worker setups", () => {
  it("sewWorkerModel builds trainSew's SEW-ResNet with IMP materialised: the same parameter names, shapes and values", () => {
    const inputShape = [2, 3, 16, 16, 3];
    const a = sewWorkerModel({ depth: 18, imp: true, T: 2, numClasses: 4, seed: 5, widthFactor: 1 / 16, loss: "lts", inputShape }).model;
    // trainSew: one training-mode forward of the first test batch before its weights are loaded.
    const b = buildSewNet(18, true, 2, 4, 5, 1 / 16);
    tf.tidy(() => { b.forward(tf.randomUniform(inputShape, 0, 1, "float32", 1)); });
    resetModule(b);
    const pa = parametersOf(a), pb = parametersOf(b);
    expect(pa.some((p) => /imp/i.test(p.name)), "IMP states exist").toBe(true);
    expect(pa.map((p) => [p.name, p.variable.shape])).toEqual(pb.map((p) => [p.name, p.variable.shape]));
    pa.forEach((p, i) => expect(Array.from(p.variable.dataSync()), p.name).toEqual(Array.from(pb[i]!.variable.dataSync())));
    disposeModule(a); disposeModule(b);
  });
});
