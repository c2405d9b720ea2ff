export * from "./claims.js";
export * from "./verdict.js";
export * from "./item.js";
export * from "./registry.js";
export * from "./provenance.js";
export * from "./runner.js";
export * from "./notebook.js";
