/**
 * SNN losses on time-first outputs `[T, B, K]`, each with its matching prediction rule.
 */
import type { tf } from "../backend/tf.js";
import type { Labels } from "./cross-entropy.js";
import { ltsLoss, lastStepPredict } from "./lts.js";
import { meanOutputPredict, sdtLoss } from "./sdt.js";
import { TET_ORIGINAL, tetLoss, tetSLoss } from "./tet.js";

export * from "./cross-entropy.js";
export * from "./sdt.js";
export * from "./tet.js";
export * from "./lts.js";
export * from "./mpe.js";
export * from "./summed-softmax.js";

export type LossName = "sdt" | "tet" | "tet-original" | "tet-s" | "lts";

/**
 * A loss together with the prediction rule it implies — the one loss type of the library: the trainer,
 * `evaluate` and every figure's own losses (e.g. summed-softmax CE) use it.
 */
export interface SnnLoss<N extends string = string> {
  name: N;
  loss(outputs: tf.Tensor, labels: Labels): tf.Scalar;
  predict(outputs: tf.Tensor): tf.Tensor1D;
}

export const LOSSES: { readonly [K in LossName]: SnnLoss<K> } = {
  sdt: { name: "sdt", loss: sdtLoss, predict: meanOutputPredict },
  tet: { name: "tet", loss: (o, y) => tetLoss(o, y), predict: meanOutputPredict },
  "tet-original": { name: "tet-original", loss: (o, y) => tetLoss(o, y, TET_ORIGINAL), predict: meanOutputPredict },
  "tet-s": { name: "tet-s", loss: (o, y) => tetSLoss(o, y), predict: meanOutputPredict },
  lts: { name: "lts", loss: (o, y) => ltsLoss(o, y), predict: lastStepPredict },
};

export function getLoss(name: string): SnnLoss<LossName> {
  const l = (LOSSES as Record<string, SnnLoss<LossName>>)[name];
  if (!l) throw new Error(`unknown loss '${name}'; expected one of ${Object.keys(LOSSES).join(", ")}`);
  return l;
}
