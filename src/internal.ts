/**
 * `spikelab/internal` — everything under `src/lib/`, including the building blocks the public root
 * (`spikelab`) leaves out: kernel registration and names, wasm heap access, atomic-file helpers, format
 * decoder classes, cache internals, argument checkers. For extensions and tests; no stability promise.
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
export * from "./lib/repro/index.js";
export * from "./lib/layers/index.js";
export * from "./lib/models/index.js";
export * from "./lib/examples/index.js";
