/**
 * Mixup / CutMix on time-first batches (timm-style, as the papers' configs use them).
 *
 * Mixup: x̃ = λ·x + (1 − λ)·x_flip, λ ~ Beta(α, α); CutMix: paste a box of area ≈ (1 − λ) from
 * x_flip and correct λ to the exact pasted area. `x_flip` is the batch in reverse order (timm's
 * `x.flip(0)`), so no extra permutation state is needed. The loss is then
 * λ·L(O, y) + (1 − λ)·L(O, y_flip), equal to CE against mixed targets for every CE-based loss.
 * Draws come from an {@link Rng} the trainer seeds per step, so resumed runs mix identically.
 */
import { tf } from "../backend/tf.js";
import type { Rng } from "../util/random.js";

export interface MixOptions {
  mixupAlpha?: number;
  cutmixAlpha?: number;
  /** Probability that a batch is mixed at all. */
  prob?: number;
  /** With both enabled: probability of choosing CutMix over Mixup. */
  switchProb?: number;
  /** Axes of height and width in x (default for [T, B, H, W, C]: 2 and 3). */
  spatialAxes?: [number, number];
  /** Batch axis (default 1 for time-first). */
  batchAxis?: number;
}

export interface MixedBatch {
  x: tf.Tensor;
  labelsB: Int32Array;
  lambda: number;
  kind: "none" | "mixup" | "cutmix";
}

/** Gamma(k, 1) by Marsaglia–Tsang, for Beta(α, α) = G₁/(G₁ + G₂). */
function gamma(rng: Rng, k: number): number {
  if (k < 1) return gamma(rng, k + 1) * Math.pow(rng.next() || 1e-12, 1 / k);
  const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = rng.normal(); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(rng: Rng, alpha: number): number {
  if (!(alpha > 0)) throw new Error(`Beta(α, α) needs α > 0, got ${alpha}`);
  const a = gamma(rng, alpha), b = gamma(rng, alpha);
  return a / (a + b);
}

export function mixBatch(x: tf.Tensor, labels: Int32Array, rng: Rng, opts: MixOptions): MixedBatch {
  const batchAxis = opts.batchAxis ?? 1;
  const labelsB = labels.slice().reverse();
  const useMixup = (opts.mixupAlpha ?? 0) > 0, useCutmix = (opts.cutmixAlpha ?? 0) > 0;
  if ((!useMixup && !useCutmix) || rng.next() >= (opts.prob ?? 1)) return { x, labelsB, lambda: 1, kind: "none" };
  const cut = useCutmix && (!useMixup || rng.next() < (opts.switchProb ?? 0.5));
  if (!cut) {
    const lambda = sampleBeta(rng, opts.mixupAlpha!);
    const mixed = tf.tidy(() => tf.add(tf.mul(x, lambda), tf.mul(tf.reverse(x, batchAxis), 1 - lambda)));
    return { x: mixed, labelsB, lambda, kind: "mixup" };
  }
  const [ha, wa] = opts.spatialAxes ?? [2, 3];
  const H = x.shape[ha]!, W = x.shape[wa]!;
  const lam0 = sampleBeta(rng, opts.cutmixAlpha!);
  const ratio = Math.sqrt(1 - lam0);
  const ch = Math.floor(H * ratio), cw = Math.floor(W * ratio);
  const cy = rng.int(H), cx = rng.int(W);
  const y0 = Math.max(0, cy - (ch >> 1)), y1 = Math.min(H, cy + (ch >> 1));
  const x0 = Math.max(0, cx - (cw >> 1)), x1 = Math.min(W, cx + (cw >> 1));
  const lambda = 1 - ((y1 - y0) * (x1 - x0)) / (H * W);
  const mixed = tf.tidy(() => {
    // Box mask broadcast over every other axis.
    const rows = tf.logicalAnd(tf.greaterEqual(tf.range(0, H), y0), tf.less(tf.range(0, H), y1));
    const cols = tf.logicalAnd(tf.greaterEqual(tf.range(0, W), x0), tf.less(tf.range(0, W), x1));
    const box2d = tf.logicalAnd(tf.expandDims(rows, 1), tf.expandDims(cols, 0));
    const shape = x.shape.map((_, i) => (i === ha ? H : i === wa ? W : 1));
    const box = tf.reshape(box2d, shape);
    return tf.where(tf.broadcastTo(box, x.shape), tf.reverse(x, batchAxis), x);
  });
  return { x: mixed, labelsB, lambda, kind: "cutmix" };
}
