/**
 * spikelab — spiking neurons, SNN losses, DVS dataset loaders and a reproducibility kit on TensorFlow.js.
 *
 * The package root re-exports the public API of every concept folder under `src/lib/`.
 */
export * from "./lib/backend/index.js";
export * from "./lib/util/fs.js";
export * from "./lib/util/random.js";
export * from "./lib/util/progress.js";
export * from "./lib/losses/index.js";
export * from "./lib/metrics/index.js";
export * from "./lib/train/index.js";
export * from "./lib/util/safetensors.js";
export * from "./lib/neurons/index.js";
export * from "./lib/surrogate.js";
export * from "./lib/data/index.js";
export * from "./lib/plot/index.js";
export * from "./lib/examples/starter.js";
export * from "./lib/repro/index.js";
export * from "./lib/layers/index.js";
export * from "./lib/models/index.js";
export * from "./lib/examples/mnist-losses.js";
