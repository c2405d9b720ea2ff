/**
 * The fused sequential-neuron op on x [T, N], v0 [N]: one `SpikelabSeqNeuron` kernel forward, one
 * `SpikelabSeqNeuronGrad` kernel backward, on the autodiff tape (`neurons/seq-multistep.ts` wraps it
 * with the checks and shapes of `referenceMultiStep`).
 */
import { tf } from "../../backend/tf.js";
import { registerFusedKernels } from "./seq-neuron-backends.js";
import { seqNeuronOutputGrad, type GradName } from "./seq-neuron-grad.js";
import { SEQ_NEURON_KERNEL } from "./kernel-names.js";
import type { SeqKernelAttrs } from "./seq-neuron.js";

/**
 * S, V, H of one fused run, as three single-output tape nodes over the same inputs (x, v0).
 *
 * Why not one three-output node: TF.js materialises a zero tensor for every output of a node that
 * does not reach the loss (`makeZerosTypedArray` + a copy into the backend, per backward pass), so a
 * loss on the spikes alone would pay two [T, N] zero tensors and a backward that reads them. Here
 * the kernel runs once, untaped, inside the spike node's `customGrad`; V and H are handed out by two
 * pass-through nodes. Each node's gradient is the closed-form BPTT with only its own upstream
 * gradient (g_H[t] = gS·σ′ + …, = (gV + …)·ψ, = gH + …): the recurrence is linear in (gS, gV, gH),
 * so when several outputs carry gradient the engine's sum of the node gradients is the full BPTT.
 * All three nodes save H (a reference, not a copy, on cpu and with spikelab's wasm Identity).
 */
export function seqNeuronFused(x: tf.Tensor, v0: tf.Tensor, attrs: SeqKernelAttrs): [tf.Tensor, tf.Tensor, tf.Tensor] {
  registerFusedKernels();
  let side: tf.Tensor[] = [];
  const spikeOp = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [s, v, h] = tf.engine().runKernel<tf.Tensor[]>(SEQ_NEURON_KERNEL, { x: args[0] as tf.Tensor, v0: args[1] as tf.Tensor }, attrs as never);
    (args[2] as tf.GradSaveFunc)([h!]);
    side = [tf.keep(v!), tf.keep(h!)]; // escape the customGrad forward's scope; disposed below
    return { value: s!, gradFunc: seqNeuronOutputGrad("gS", attrs) };
  });
  try {
    const s = spikeOp(x, v0);
    const [vKept, hKept] = side as [tf.Tensor, tf.Tensor];
    const pass = (t: tf.Tensor, name: GradName) => tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      (args[2] as tf.GradSaveFunc)([hKept]);
      return { value: tf.clone(t), gradFunc: seqNeuronOutputGrad(name, attrs) };
    })(x, v0);
    return [s, pass(vKept, "gV"), pass(hKept, "gH")];
  } finally {
    tf.dispose(side);
  }
}
