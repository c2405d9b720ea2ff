import { describe, expect, it } from "vitest";
import { currentBackend, tf, useBackend } from "../../src/lib/backend/index.js";
import { WASM_KERNELS_WRAPPED } from "../../src/lib/backend/wasm-kernels.js";

async function onBoth<T>(f: () => T): Promise<{ wasm: T; cpu: T }> {
  const before = currentBackend()!.rung;
  await useBackend("wasm", { log: false });
  const wasm = f();
  await useBackend("cpu", { log: false });
  const cpu = f();
  await useBackend(before, { log: false });
  return { wasm, cpu };
}

const rel = (a: number[], b: number[]) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!))) / Math.max(1e-6, ...b.map(Math.abs));

describe("wasm matmul with transpose flags (materialised transposes)", () => {
  it("is registered for BatchMatMul and _FusedMatMul", () => {
    expect([...WASM_KERNELS_WRAPPED].sort()).toEqual(["AvgPoolGrad", "BatchMatMul", "Conv2DBackpropInput", "_FusedMatMul"]);
  });
  it("equals the cpu backend for every flag combination, 2-D and batched 3-D", async () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      for (const batch of [0, 3]) {
        const sa = ta ? [7, 5] : [5, 7], sb = tb ? [4, 7] : [7, 4];
        const r = await onBoth(() => {
          const a = tf.randomNormal(batch ? [batch, ...sa] : sa, 0, 1, "float32", 1);
          const b = tf.randomNormal(batch ? [batch, ...sb] : sb, 0, 1, "float32", 2);
          return Array.from(tf.matMul(a, b, ta, tb).dataSync());
        });
        expect(rel(r.wasm, r.cpu), `transposeA=${ta} transposeB=${tb} batch=${batch}`).toBeLessThan(1e-5);
      }
    }
  });
  it("fused matmul with bias and relu, and dense-layer gradients, equal cpu", async () => {
    const r = await onBoth(() => {
      const x = tf.randomNormal([6, 5], 0, 1, "float32", 3), w = tf.randomNormal([4, 5], 0, 1, "float32", 4), bias = tf.randomNormal([4], 0, 1, "float32", 5);
      const y = tf.fused.matMul({ a: x, b: w, transposeB: true, bias, activation: "relu" });
      const [gx, gw] = tf.grads((xx: tf.Tensor, ww: tf.Tensor) => tf.sum(tf.square(tf.matMul(xx, ww, false, true))))([x, w]);
      return [...y.dataSync(), ...gx!.dataSync(), ...gw!.dataSync()];
    });
    expect(rel(r.wasm, r.cpu)).toBeLessThan(1e-5);
  });
});
