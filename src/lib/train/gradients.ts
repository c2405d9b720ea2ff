/**
 * Gradient hygiene applied between backward and the optimiser step.
 *
 * - Non-finite guard: the MPE-PSN loop zeroes NaN/±inf gradient entries before each step
 *   (papers.md §2.1); `"skip"` drops the whole step instead.
 * - Global-norm clipping: g ← g·min(1, c/‖g‖₂) over all parameters together (PyTorch clip_grad_norm_).
 */
import { tf } from "../backend/tf.js";

export type NonFiniteRule = "zero" | "skip" | "off";

/** Reads a scalar tensor asynchronously (webgpu in Node cannot read synchronously) and disposes it. */
async function readScalar(t: tf.Tensor): Promise<number> {
  try {
    return (await t.data())[0]!;
  } finally {
    t.dispose();
  }
}

/**
 * Returns the cleaned gradients and how many entries were non-finite; `null` means skip the step.
 * One readback for all gradients: the per-tensor counts are stacked and read together.
 */
export async function guardNonFinite(grads: Record<string, tf.Tensor>, rule: NonFiniteRule): Promise<{ grads: Record<string, tf.Tensor> | null; nonFinite: number }> {
  if (rule === "off") return { grads, nonFinite: 0 };
  const entries = Object.entries(grads);
  if (!entries.length) return { grads, nonFinite: 0 };
  const counts = tf.tidy(() => tf.stack(entries.map(([, g]) => tf.sum(tf.cast(tf.logicalNot(tf.isFinite(g)), "int32")))));
  const bad = await counts.data();
  counts.dispose();
  let nonFinite = 0;
  const out: Record<string, tf.Tensor> = {};
  entries.forEach(([k, g], i) => {
    nonFinite += bad[i]!;
    out[k] = bad[i] && rule === "zero" ? tf.tidy(() => tf.where(tf.isFinite(g), g, tf.zerosLike(g))) : g;
  });
  if (nonFinite && rule === "skip") return { grads: null, nonFinite };
  return { grads: out, nonFinite };
}

/** ‖g‖₂ over every gradient together. */
export async function globalNorm(grads: Record<string, tf.Tensor>): Promise<number> {
  const list = Object.values(grads);
  if (!list.length) return 0;
  return readScalar(tf.tidy(() => tf.sqrt(tf.addN(list.map((g) => tf.sum(tf.square(g)))))));
}

/** Scale all gradients by min(1, maxNorm/‖g‖₂); returns the norm before clipping. */
export async function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): Promise<{ grads: Record<string, tf.Tensor>; norm: number }> {
  if (!(maxNorm > 0)) throw new Error(`clipByGlobalNorm: maxNorm must be > 0, got ${maxNorm}`);
  const norm = await globalNorm(grads);
  if (norm <= maxNorm || !Number.isFinite(norm)) return { grads, norm };
  const scale = maxNorm / (norm + 1e-6);
  return { grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)])), norm };
}
