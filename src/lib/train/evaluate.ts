/** Mean loss and accuracy of a model over a batch source, in eval mode, with the loss's own prediction rule. */
import { tf } from "../backend/tf.js";
import type { SnnLoss } from "../losses/index.js";
import { resetModule, setTraining, type Module } from "../layers/module.js";
import type { BatchSource } from "./batch-source.js";

export interface Evaluation {
  /** Sample-weighted mean loss. */
  loss: number;
  /** Fraction of samples whose prediction equals the label. */
  acc: number;
  count: number;
}

/** Evaluates batch by batch; the model is left in training mode with its state reset. */
export async function evaluate(model: Module, loss: SnnLoss, data: BatchSource, epoch = 0): Promise<Evaluation> {
  setTraining(model, false);
  let lossSum = 0, correct = 0, count = 0;
  try {
    const n = data.batchesPerEpoch(epoch);
    for (let i = 0; i < n; i++) {
      const b = await data.batch(epoch, i);
      resetModule(model);
      const [lossT, predT] = tf.tidy(() => {
        const out = model.forward(b.x);
        return [loss.loss(out, b.labels), loss.predict(out)];
      });
      const [l, p] = await Promise.all([lossT.data(), predT.data()]);
      b.x.dispose();
      lossT.dispose();
      predT.dispose();
      for (let j = 0; j < b.labels.length; j++) if (p[j] === b.labels[j]) correct++;
      lossSum += l[0]! * b.labels.length;
      count += b.labels.length;
    }
  } finally {
    resetModule(model);
    setTraining(model, true);
  }
  return { loss: count ? lossSum / count : NaN, acc: count ? correct / count : NaN, count };
}
