/**
 * Gradient of the fused PSN (as tfjs-core's `gradients/X_grad.ts`): from the saved H (for σ′), x and
 * W, `SpikelabPSNGrad` returns ∂L/∂x = Wᵀ·(gS ⊙ σ′(H)), ∂L/∂W = (gS ⊙ σ′(H))·xᵀ, ∂L/∂b = Σ_n gS ⊙ σ′(H).
 */
import { tf } from "../../backend/tf.js";
import { PSN_GRAD_KERNEL } from "./kernel-names.js";
import type { PsnKernelAttrs } from "./psn-backends.js";

/** The gradFunc of the PSN node: saved = [H, x, W] → [∂L/∂x, ∂L/∂W, ∂L/∂b]. */
export function psnGrad(attrs: PsnKernelAttrs) {
  return (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] =>
    tf.engine().runKernel<tf.Tensor[]>(PSN_GRAD_KERNEL, { gS: dy, h: saved[0]!, x: saved[1]!, w: saved[2]! }, attrs as never);
}
