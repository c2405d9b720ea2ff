/**
 * Names of spikelab's fused TF.js kernels (as tfjs-core's `kernel_names.ts`): what
 * `tf.registerKernel` / `tf.engine().runKernel` use, shared by the per-backend implementations
 * (`*-backends.ts`), the gradients (`*-grad.ts`) and the ops (`*-op.ts`).
 *
 * | kernel                   | inputs → outputs                                   | backends  |
 * |--------------------------|----------------------------------------------------|-----------|
 * | `SpikelabSeqNeuron`      | x [T, N], v0 [N] → S, V, H [T, N]                  | cpu, wasm, webgpu |
 * | `SpikelabSeqNeuronGrad`  | h, any of gS, gV, gH [T, N] (s optional) → gX, gV0 | cpu, wasm, webgpu |
 * | `SpikelabPSN`            | x [T, N], w [T, T], b [T, 1] → S, H [T, N]         | wasm, webgpu      |
 * | `SpikelabPSNGrad`        | gS, h, x [T, N], w [T, T] → gX, gW, gB             | wasm, webgpu      |
 *
 * webgpu: WGSL compute programs (`*-webgpu.ts`), registered with the others; they run only once the
 * webgpu rung is up (backend/webgpu.ts).
 */
export const SEQ_NEURON_KERNEL = "SpikelabSeqNeuron";
export const SEQ_NEURON_GRAD_KERNEL = "SpikelabSeqNeuronGrad";
/** Backends that have the fused sequential-neuron kernels. */
export const FUSED_BACKENDS = ["cpu", "wasm", "webgpu"] as const;

export const PSN_KERNEL = "SpikelabPSN";
export const PSN_GRAD_KERNEL = "SpikelabPSNGrad";
