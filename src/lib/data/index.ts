/** DVS data: raw formats, events, frames, transforms, datasets, cache, loader, synthetic data. */
export * from "./errors.js";
export * from "./events.js";
export * from "./frames.js";
export * from "./formats/stream.js";
export * from "./formats/aedat3.js";
export * from "./formats/aedat2.js";
export * from "./formats/atis.js";
export * from "./transforms/index.js";
export * from "./datasets/index.js";
export * from "./cache.js";
export * from "./loader.js";
export * from "./synthetic.js";
export * from "./mnist.js";
export * from "./synthetic-cifar.js";
export * from "./order.js";
