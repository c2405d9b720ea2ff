/**
 * Gradient hygiene applied between backward and the optimiser step.
 *
 * - Non-finite guard: the MPE-PSN loop zeroes NaN/±inf gradient entries before each step
 *   (papers.md §2.1); `"skip"` drops the whole step instead.
 * - Global-norm clipping: g ← g·min(1, c/‖g‖₂) over all parameters together (PyTorch clip_grad_norm_).
 */
import { tf } from "../backend/tf.js";

export type NonFiniteRule = "zero" | "skip" | "off";

/** Returns the cleaned gradients and how many entries were non-finite; `null` means skip the step. */
export function guardNonFinite(grads: Record<string, tf.Tensor>, rule: NonFiniteRule): { grads: Record<string, tf.Tensor> | null; nonFinite: number } {
  if (rule === "off") return { grads, nonFinite: 0 };
  let nonFinite = 0;
  const out: Record<string, tf.Tensor> = {};
  for (const [k, g] of Object.entries(grads)) {
    const bad = tf.tidy(() => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(g)), "int32"))).dataSync()[0]!;
    nonFinite += bad;
    out[k] = bad && rule === "zero" ? tf.tidy(() => tf.where(tf.isFinite(g), g, tf.zerosLike(g))) : g;
  }
  if (nonFinite && rule === "skip") return { grads: null, nonFinite };
  return { grads: out, nonFinite };
}

/** ‖g‖₂ over every gradient together. */
export function globalNorm(grads: Record<string, tf.Tensor>): number {
  const list = Object.values(grads);
  if (!list.length) return 0;
  return tf.tidy(() => tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))))).dataSync()[0]!;
}

/** Scale all gradients by min(1, maxNorm/‖g‖₂); returns the norm before clipping. */
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): { grads: Record<string, tf.Tensor>; norm: number } {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = globalNorm(grads);
  if (norm <= maxNorm || !Number.isFinite(norm)) return { grads, norm };
  const scale = maxNorm / (norm + 1e-6);
  return { grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])), norm };
}
