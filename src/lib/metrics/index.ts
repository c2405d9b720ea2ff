export * from "./energy.js";
export * from "./flops.js";
export * from "./neuron-ops.js";
export * from "./rates.js";
export * from "./model-flops.js";
export * from "./sops.js";
