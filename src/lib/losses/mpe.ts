/**
 * The MPE-PSN training objective (papers.md §2.1, `cifar10dvs/train_vgg.py`):
 *
 *   L = (1 − λ_mem)·L_TET + λ_mem·Σ_layers L_mem(layer)   while epoch < cutoff (150),
 *   L = L_TET                                              from the cut-off epoch on,
 *
 * with L_TET the original TET (λ = 1e-3, φ = 1). λ_mem = 0.01 for CIFAR10-DVS and 0.001 for
 * DVSGesture / N-Caltech101.
 */
import { tf } from "../backend/tf.js";
import { type Labels } from "./cross-entropy.js";
import { TET_ORIGINAL, tetLoss } from "./tet.js";

export interface MpeLossOptions {
  lambdaMem: number;
  epoch: number;
  /** First epoch without the membrane term (150 in the official code). */
  cutoffEpoch?: number;
  tet?: { lambda?: number; phi?: number };
}

export function mpeTotalLoss(outputs: tf.Tensor, labels: Labels, memLosses: tf.Scalar[], opts: MpeLossOptions): tf.Scalar {
  const { lambdaMem, epoch } = opts;
  const cutoff = opts.cutoffEpoch ?? 150;
  if (!(lambdaMem >= 0 && lambdaMem <= 1)) throw new Error(`mpeTotalLoss: lambdaMem must be in [0, 1], got ${lambdaMem}`);
  return tf.tidy(() => {
    const tet = tetLoss(outputs, labels, { lambda: opts.tet?.lambda ?? TET_ORIGINAL.lambda, phi: opts.tet?.phi ?? TET_ORIGINAL.phi });
    if (epoch >= cutoff || lambdaMem === 0 || memLosses.length === 0) return tet;
    const mem = tf.addN(memLosses);
    return tf.add(tf.mul(tet, 1 - lambdaMem), tf.mul(mem, lambdaMem)) as tf.Scalar;
  });
}
