/** Spiking neurons (time-first `[T, B, ...]`). Append-only barrel: each neuron family adds its lines. */
export * from "./base.js";
export * from "./imp.js";
export * from "./seq-multistep.js";
export * from "./kernels/kernel-names.js";
export { registerFusedKernels } from "./kernels/seq-neuron-backends.js";
export { psnFused, psnFusedAvailable } from "./kernels/psn-op.js";
export * from "./if.js";
export * from "./lif.js";
export * from "./legacy-lif.js";
export * from "./plif.js";
export * from "./psn.js";
export * from "./mpe-psn.js";
export * from "./quantize.js";
export * from "./dilation.js";
export * from "./mulfree-psn.js";
export * from "./autoselect.js";
