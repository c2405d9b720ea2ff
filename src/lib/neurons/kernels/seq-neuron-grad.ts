/**
 * Gradients of the fused sequential-neuron kernel (as tfjs-core's `gradients/X_grad.ts`): the
 * closed-form BPTT of events-and-parity §1.2, evaluated by `SpikelabSeqNeuronGrad`.
 */
import { tf } from "../../backend/tf.js";
import { SEQ_NEURON_GRAD_KERNEL, SEQ_NEURON_KERNEL } from "./kernel-names.js";
import type { SeqKernelAttrs } from "./seq-neuron.js";

/** The upstream-gradient inputs of the backward kernel (one per output: S, V, H). */
export type GradName = "gS" | "gV" | "gH";

/**
 * The gradient of one output (`name` = its upstream-gradient input) to (x, v0), from the saved H:
 * the recurrence is linear in (gS, gV, gH), so the engine's sum over several outputs is the full BPTT.
 */
export function seqNeuronOutputGrad(name: GradName, attrs: SeqKernelAttrs) {
  return (dy: tf.Tensor, saved: tf.Tensor[]): tf.Tensor[] =>
    tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_GRAD_KERNEL, { [name]: dy, h: saved[0]! }, attrs as never);
}

/** For callers that run SEQ_NEURON_KERNEL directly on a tape (`fusedMultiStep` does not, see `fusedOutputs`). */
export function registerSeqNeuronGradient(): void {
  tf.registerGradient({
    kernelName: SEQ_NEURON_KERNEL,
    outputsToSave: [false, false, true], // H (S is recomputed from it)
    gradFunc: (dys, saved, attrs) => {
      const [gS, gV, gH] = dys as tf.Tensor[];
      const [gX, gV0] = tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_GRAD_KERNEL, { gS: gS!, gV: gV!, gH: gH!, h: saved[0]! }, attrs);
      return { x: () => gX!, v0: () => gV0! };
    },
  });
}
