export * from "./common.js";
export * from "./dvs-gesture.js";
export * from "./cifar10-dvs.js";
export * from "./ncaltech101.js";
export * from "./cifar.js";
export * from "./imagenet.js";
export * from "./shd.js";
export * from "./shd-source.js";
