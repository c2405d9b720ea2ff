export * from "./types.js";
export * from "./resize.js";
export * from "./crop.js";
export * from "./flip.js";
export * from "./spikformer.js";
export * from "./temporal.js";
export * from "./image.js";
export * from "./channel-events.js";
