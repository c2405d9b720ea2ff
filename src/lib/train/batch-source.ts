/** What the trainer and `evaluate` read batches from. */
import type { tf } from "../backend/tf.js";

export interface TrainBatch {
  /** Inputs, time-first `[T, B, ...]`. */
  x: tf.Tensor;
  labels: Int32Array;
}

/** Random-access batches: batch `index` of `epoch` must be the same every time it is asked for. */
export interface BatchSource {
  batchesPerEpoch(epoch: number): number;
  batch(epoch: number, index: number): TrainBatch | Promise<TrainBatch>;
}
