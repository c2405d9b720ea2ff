/**
 * Power-of-two weight quantiser of the multiplication-free channel-wise PSN (papers.md §4.1, Eqs. 12-16).
 *
 *   Eq. 13   W_q = Q(W) = sign(W) · 2^{round(log2 |W|)}            (round to nearest; Q(0) = 0)
 *   Eq. 16   Q′(W) := 1                                            straight-through over the whole quantiser ("ste", default, the paper's choice)
 *   Eq. 15   Q′(W) = 2^{round(log2 |W|)} / |W|                     STE on the rounding only ("eq15"): oscillates around 1,
 *                                                                  jumps at |W| = 2^{n+1/2} (Fig. 3b) and is undefined at W = 0
 *
 * Why: with W_q = ±2^n, every product x·W_q is a sign flip plus a shift (Eq. 12): `x << n` for integers
 * (n < 0: `x >> |n|`), or an integer add of n to the exponent field for IEEE floats. So the exponents
 * n = log2|W_q| are precomputed once ({@link pow2Exponents}) and inference needs no multiplication.
 *
 * Rounding: TF.js `round` is half-to-even, the paper says "round to nearest"; the two differ only when
 * log2|W| is exactly n + 1/2, i.e. |W| = 2^{n+1/2}, which is irrational and never a float32 value.
 * Eq. 15 at W = 0 is 0/0: it is returned as written (NaN), as the paper reports NaN gradients with Eq. 15
 * (DVS-Lip collapse, Fig. 7); use "ste" for training.
 */
import { tf } from "../backend/tf.js";

export type QuantGrad = "ste" | "eq15";

/** Q(W) = sign(W)·2^{round(log2|W|)} on a tensor (no custom gradient; see {@link quantizePow2}). */
export function pow2Round(w: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    // log2|W| = ln|W| / ln 2; |W| = 0 gives −∞ → 2^−∞ = 0, and sign(0) = 0, so Q(0) = 0.
    const n = tf.round(tf.div(tf.log(tf.abs(w)), Math.LN2));
    return tf.mul(tf.sign(w), tf.pow(tf.scalar(2), n));
  });
}

function makeQuantizer(grad: QuantGrad) {
  return tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const w = args[0] as tf.Tensor;
    (args[1] as tf.GradSaveFunc)([w]);
    return {
      value: pow2Round(w),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        if (grad === "ste") return tf.clone(dy);
        const x = saved[0]!;
        return tf.mul(dy, tf.div(tf.abs(pow2Round(x)), tf.abs(x)));
      },
    };
  });
}

const QUANTIZERS: Record<QuantGrad, (w: tf.Tensor) => tf.Tensor> = {
  ste: makeQuantizer("ste"),
  eq15: makeQuantizer("eq15"),
};

/** Q(W) with the chosen backward: "ste" (Eq. 16, Q′ = 1, default) or "eq15" (Q′ = 2^{round(log2|W|)}/|W|). */
export function quantizePow2(w: tf.Tensor, grad: QuantGrad = "ste"): tf.Tensor {
  if (!(w instanceof tf.Tensor)) throw new Error(`quantizePow2: w must be a tf.Tensor, got ${String(w)}`);
  if (w.dtype !== "float32") throw new Error(`quantizePow2: w must be float32, got ${w.dtype}`);
  const q = QUANTIZERS[grad];
  if (!q) throw new Error(`quantizePow2: grad must be "ste" (Eq. 16) or "eq15" (Eq. 15), got ${JSON.stringify(grad)}`);
  return q(w);
}

/** Scalar Q(w) in float64 (tests, tables): sign(w)·2^{round(log2|w|)}, ties at n + 1/2 rounded up. */
export function quantizePow2Scalar(w: number): number {
  if (!Number.isFinite(w)) throw new Error(`quantizePow2Scalar: w must be finite, got ${w}`);
  if (w === 0) return 0;
  return Math.sign(w) * 2 ** Math.round(Math.log2(Math.abs(w)));
}

/** Scalar Eq. 15 derivative 2^{round(log2|w|)}/|w| (NaN at 0, as written); Eq. 16 is 1 everywhere. */
export function quantizeGradScalar(w: number, grad: QuantGrad = "ste"): number {
  if (grad === "ste") return 1;
  if (grad !== "eq15") throw new Error(`quantizeGradScalar: grad must be "ste" or "eq15", got ${JSON.stringify(grad)}`);
  return Math.abs(quantizePow2Scalar(w)) / Math.abs(w);
}

/** Signs and exponents of power-of-two weights: w = sign·2^exponent (sign 0 for w = 0). */
export interface Pow2Codes {
  /** −1, 0 or +1 per weight. */
  signs: Int8Array;
  /** n = log2|w| (an integer; 0 where the sign is 0). */
  exponents: Int32Array;
}

/**
 * Exponents n = log2|W_q| and signs of already-quantised weights (Eqs. 17-18: log2 W_q is precomputed,
 * so inference needs neither a multiplication nor a log). Throws if a value is not ±2^n or 0.
 */
export function pow2Exponents(wq: ArrayLike<number>): Pow2Codes {
  const signs = new Int8Array(wq.length);
  const exponents = new Int32Array(wq.length);
  for (let i = 0; i < wq.length; i++) {
    const v = wq[i]!;
    if (v === 0) continue;
    const n = Math.log2(Math.abs(v));
    if (!Number.isInteger(n)) {
      throw new Error(`pow2Exponents: weight ${i} = ${v} is not a power of two (quantise with quantizePow2 first)`);
    }
    signs[i] = v > 0 ? 1 : -1;
    exponents[i] = n;
  }
  return { signs, exponents };
}
