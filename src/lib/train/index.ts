export * from "./optimizers.js";
export * from "./schedules.js";
export * from "./gradients.js";
export * from "./mixing.js";
export * from "./checkpoint.js";
export * from "./named-grads.js";
export * from "./batch-gradients.js";
export * from "./trainer.js";
