export * from "./module.js";
export * from "./seq.js";
export * from "./linear.js";
export * from "./column-conv.js";
export * from "./norm.js";
export * from "./pool.js";
export * from "./dropout.js";
export * from "./dcls.js";
