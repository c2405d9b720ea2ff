export * from "./starter.js";
export * from "./mnist-losses.js";
