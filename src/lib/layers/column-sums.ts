/**
 * Column sums 1ᵀ·x of a matrix x ∈ R^{n×C} (the sums over N = T·B·H·W that batch normalisation needs), as [1, C].
 *
 * Computed in two stages, Σ_blocks Σ_{i<b} x[block·b + i, :] with blocks of b = 16 rows (the largest of 16, 8, 4,
 * 2 dividing n): on wasm a reduction of the leading axis is slow (it transposes first), and the product with a
 * ones row that replaced it is fast only while XNNPACK can reuse its packing of x — for a fresh x every step it
 * re-packs the whole matrix. Measured on wasm, fresh x each call (ms, ones-row product vs two stages):
 * [131072, 8] 7.0 vs 2.5, [73728, 128] 128 vs 13, [18432, 256] 23 vs 7.6, [2048, 512] 10.5 vs 2.0.
 */
import { tf } from "../backend/tf.js";

/** Rows per block of the first stage: the largest of 16, 8, 4, 2 that divides n, else 1. */
export function columnSumBlock(n: number): number {
  for (const b of [16, 8, 4, 2]) if (n % b === 0) return b;
  return 1;
}

/** 1ᵀ·x as [1, C]; differentiable (its gradient is the broadcast of dy). */
export function columnSums(x: tf.Tensor2D): tf.Tensor2D {
  const [n, C] = x.shape;
  const b = columnSumBlock(n);
  return tf.tidy(() => {
    if (b === 1) return tf.sum(x, 0, true) as tf.Tensor2D;
    return tf.sum(tf.sum(tf.reshape(x, [n / b, b, C]), 1), 0, true) as tf.Tensor2D;
  });
}
