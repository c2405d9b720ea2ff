export * from "./common.js";
export * from "./vgg.js";
export * from "./sew-resnet.js";
export * from "./seq-cifar.js";
export * from "./weights.js";
export * from "./neuron-factories.js";
export * from "./pixel-cifar.js";
export * from "./step-inference.js";
