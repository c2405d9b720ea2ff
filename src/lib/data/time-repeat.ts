/**
 * Direct encoding of static images: the same input at every time step, `[B, ...] → [T, B, ...]`.
 *
 * Built with `tf.stack` of T references rather than `tf.tile(expandDims(x, 0), [T, 1, …])`: the two give the
 * same values, but TF.js 4.22's wasm Tile kernel walks rank-5 outputs element by element — measured 197 ms for a
 * `[4, 32, 64, 64, 3]` batch against 0.5 ms for the concatenation, a sixth of a SEW-ResNet-18 ×1/4 training step.
 */
import { tf } from "../backend/tf.js";

/** `[T, ...x.shape]` holding `x` at every step (a new tensor; `x` is not disposed). */
export function repeatOverTime(x: tf.Tensor, T: number): tf.Tensor {
  if (!(Number.isInteger(T) && T >= 1)) throw new Error(`repeatOverTime: T must be a positive integer, got ${T}`);
  return tf.stack(Array.from({ length: T }, () => x));
}
