import { describe, expect, it } from "vitest";
import { tf } from "../../src/lib/backend/tf.js";
import { LOSSES } from "../../src/lib/losses/index.js";
import { evaluate } from "../../src/lib/train/evaluate.js";
import { BlobSource, TinySnn } from "./fixtures/tiny.js";

describe("evaluate", () => {
  it("equals the sample-weighted loss and accuracy computed batch by batch by hand, in eval mode", async () => {
    const model = new TinySnn(6, 8, 3, 4, 0.5);
    const data = new BlobSource(20, 6, 3, 4, 7, 1, false);   // 2 batches of 7 (floor 20 / 7)
    const got = await evaluate(model, LOSSES.sdt, data);
    model.train(false);
    let lossSum = 0, correct = 0, count = 0;
    for (let i = 0; i < data.batchesPerEpoch(); i++) {
      const b = data.batch(0, i);
      const out = model.forward(b.x);
      lossSum += (await LOSSES.sdt.loss(out, b.labels).data())[0]! * b.labels.length;
      const pred = await LOSSES.sdt.predict(out).data();
      b.labels.forEach((y, j) => { if (pred[j] === y) correct++; });
      count += b.labels.length;
      tf.dispose([out, b.x]);
    }
    expect(got.count).toBe(14);
    expect(got.acc).toBe(correct / count);
    expect(got.loss).toBeCloseTo(lossSum / count, 6);
  });
});
