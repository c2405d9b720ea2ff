import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { LOSSES } from "../../src/lib/losses/index.js";
import { localGradients, microBatchRange, type ObjectiveContext } from "../../src/lib/train/batch-gradients.js";
import type { MixedBatch } from "../../src/lib/train/mixing.js";
import { TinySnn } from "./fixtures/tiny.js";

const T = 3, B = 5, F = 4;
const x = () => tf.randomNormal([T, B, F], 0, 1, "float32", 7);
const labels = Int32Array.from([0, 1, 2, 1, 0]);

async function values(g: Record<string, tf.Tensor>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [k, t] of Object.entries(g)) out[k] = Array.from(await t.data());
  return out;
}

describe("localGradients", () => {
  it("splits a batch into near-equal ranges that tile it", () => {
    const ranges = [0, 1, 2].map((m) => microBatchRange(m, 3, 8));
    expect(ranges).toEqual([[0, 3], [3, 5], [5, 8]]);
  });
  it("k micro-batches give the full batch's gradient and loss for a per-sample loss", async () => {
    const model = new TinySnn(F, 6, 3, 1, 0);
    const ctx: ObjectiveContext = { epoch: 0, step: 0, model };
    const xs = x();
    const full = await localGradients({ model, loss: LOSSES.sdt }).gradients({ x: xs, labels, mix: null, ctx });
    const split = await localGradients({ model, loss: LOSSES.sdt, microBatches: 2 }).gradients({ x: xs, labels, mix: null, ctx });
    expect(split.loss).toBeCloseTo(full.loss, 5);
    expect(split.correct).toBe(full.correct);
    const a = await values(full.grads), b = await values(split.grads);
    expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort());
    for (const k of Object.keys(a)) a[k]!.forEach((v, i) => expect(b[k]![i]).toBeCloseTo(v, 5));
    tf.dispose([xs, ...Object.values(full.grads), ...Object.values(split.grads)]);
  });
  it("a mixed batch's objective is λ·ℓ(O, y) + (1 − λ)·ℓ(O, y_flip)", async () => {
    const model = new TinySnn(F, 6, 3, 2, 0);
    const ctx: ObjectiveContext = { epoch: 0, step: 0, model };
    const xs = x();
    const flip = labels.slice().reverse();
    const mix: MixedBatch = { x: xs, labelsB: flip, lambda: 0.3, kind: "mixup" };
    const engine = localGradients({ model, loss: LOSSES.sdt });
    const mixed = await engine.gradients({ x: xs, labels, mix, ctx });
    const onY = await engine.gradients({ x: xs, labels, mix: null, ctx });
    const onFlip = await engine.gradients({ x: xs, labels: flip, mix: null, ctx });
    expect(mixed.loss).toBeCloseTo(0.3 * onY.loss + 0.7 * onFlip.loss, 5);
    tf.dispose([xs, ...[mixed, onY, onFlip].flatMap((r) => Object.values(r.grads))]);
  });
});
