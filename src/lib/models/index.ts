export * from "./common.js";
export * from "./vgg.js";
export * from "./sew-resnet.js";
export * from "./seq-cifar.js";
export * from "./weights.js";
