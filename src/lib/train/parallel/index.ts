export * from "./engine.js";
export * from "./protocol.js";
export * from "./setup.js";
export * from "./workers.js";
