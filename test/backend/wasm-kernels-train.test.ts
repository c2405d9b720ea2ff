/** A small conv net trains on wasm with the added kernels, and its gradients equal cpu's (toolchain §7.1, §7.5). */
import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/index.js";
import { onBackend, read, relErr, type Out } from "./wasm-kernels-helpers.js";
import { tinyConvNet, toyBatch } from "./tiny-conv-net.js";

const B = 8, C = 2, HW = 12, SEED = 3;

function gradsAtStep0(): Out[] {
  const net = tinyConvNet(C, HW, 4, SEED);
  const { x, y } = toyBatch(B, C, HW, SEED);
  const { grads, value } = tf.variableGrads(() => net.loss(x, y), net.vars);
  const out = read([value, ...net.vars.map((v) => grads[v.name]!)]);
  tf.dispose([x, y, ...net.vars]);
  return out;
}

describe("tiny conv → BN → maxPool → depthwise → dense net on wasm", () => {
  it("has step-0 gradients equal to the cpu backend's within 1e-4 relative", async () => {
    const ref = await onBackend("cpu", gradsAtStep0);
    const got = await onBackend("wasm", gradsAtStep0);
    expect(got.length).toBe(7);
    got.forEach((g, i) => expect(relErr(g, ref[i]!), `output ${i}`).toBeLessThan(1e-4));
  });

  it("trains for 20 SGD steps with a fixed seed: the loss falls", async () => {
    const losses = await onBackend("wasm", () => {
      const net = tinyConvNet(C, HW, 4, SEED);
      const { x, y } = toyBatch(B, C, HW, SEED);
      const opt = tf.train.sgd(0.2);
      const out: number[] = [];
      for (let step = 0; step < 20; step++) {
        const l = opt.minimize(() => net.loss(x, y), true, net.vars)!;
        out.push(l.dataSync()[0]!);
        l.dispose();
      }
      tf.dispose([x, y, ...net.vars]);
      opt.dispose();
      return out;
    });
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[19]!).toBeLessThan(0.5 * losses[0]!);
  });
});
