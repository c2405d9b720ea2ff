/**
 * spikelab — spiking neurons, SNN losses, DVS dataset loaders and a reproducibility kit on TensorFlow.js.
 *
 * The package root is the curated public API (listed in the README, "Public API"); it is what the
 * notebooks and users import. Internals (kernel registration, wasm heap access, decoder classes, cache
 * and file helpers, argument checkers) are in `spikelab/internal` (`src/internal.ts`).
 */

// Backend ladder
export { tf, initBackend, useBackend, currentBackend, describeBackend, isBackendRung, BACKEND_LADDER } from "./lib/backend/index.js";
export type { BackendChoice, BackendRung, InitOptions, SkippedRung } from "./lib/backend/index.js";

// Neurons: modules, their pure step / multi-step / forward functions, defaults
export {
  IFNode, LIFNode, ParametricLIFNode, LegacyLIFNode, PSN, MaskedPSN, SlidingPSN, MPEPSN, MulFreePSN, LearnableIMP, SeqNodeBase,
  IF_DEFAULTS, LIF_DEFAULTS, PLIF_DEFAULTS, LEGACY_LIF_DEFAULTS, PSN_DEFAULTS, MASKED_PSN_DEFAULTS, SLIDING_PSN_DEFAULTS,
  MPEPSN_DEFAULTS, MULFREE_PSN_DEFAULTS, MULFREE_STRATEGIES, IMP_INIT,
  ifStep, ifMultiStep, lifStep, lifMultiStep, plifStep, plifMultiStep, legacyLifStep, legacyLifMultiStep,
  psnForward, slidingPsnForward, mpePsnForward, mulFreePsnForward, mulFreeCharge, initialPotential, collectMemLosses,
  quantizePow2, sawtoothDilations, receptiveField, mulFreeLayers, autoselectStrategies,
} from "./lib/neurons/index.js";
export type {
  IFParams, LIFParams, PLIFParams, LegacyLIFParams, PSNParams, MaskedPSNParams, SlidingPSNParams, MPEPSNParams, MulFreePSNParams,
  NodeOptions, ParallelNodeOptions, MPEPSNNodeOptions, MulFreePSNNodeOptions, ImpOptions, ImpMode, StepMode, MulFreeStrategy,
  NeuronStepResult, NeuronSeqResult, ParallelNeuronResult, MPEPSNResult, MPEPSNVariant, AutoselectOptions, AutoselectResult, QuantGrad,
} from "./lib/neurons/index.js";

// Surrogate gradients
export { atan, sigmoid, triangle, rectangle, inverseQuadratic, heaviside, surrogateFromSpec } from "./lib/surrogate.js";
export type { Surrogate, SurrogateKind, SurrogateSpec } from "./lib/surrogate.js";

// Losses (each with its prediction rule)
export {
  LOSSES, getLoss, crossEntropy, softCrossEntropy, sdtLoss, tetLoss, tetSLoss, TET_ORIGINAL, ltsLoss, mpeTotalLoss,
  summedSoftmaxLoss, summedSoftmaxPredict, meanOutputPredict, lastStepPredict,
} from "./lib/losses/index.js";
export type { SnnLoss, LossName, Labels, TETOptions, MpeLossOptions } from "./lib/losses/index.js";

// Layers and modules
export {
  Conv2d, Linear, BatchNorm, TEBN, Dropout, AvgPool2d, MaxPool2d, GlobalAvgPool, Flatten, Sequential, VotingLayer, FramesToNHWC,
  Dcls1d, ColumnConv, withForwardHooks, seqToAnn, foldTime, unfoldTime, parametersOf, buffersOf, resetModule, reseedModule, setTraining, leafModules, disposeModule,
  sampleUniform,
} from "./lib/layers/index.js";
export type { Module, NamedParameter, NamedBuffer, ParamGroup, ForwardCall, ForwardHook, Conv2dOptions, LinearOptions, Dcls1dOptions, InitKind } from "./lib/layers/index.js";

// Networks of the papers' architectures, neuron factories, weights
export {
  vggMpe, vgg11, stateVgg11R48, dvsGestureNet, resnet19, sewResNet, sewResNetCifar, seqCifarNet, pixelCifarNet, DelaySnn,
  neuronFactory, NEURON_KINDS, NEURON_FACTORY_DEFAULTS, countParameters, loadWeights, saveWeights, loadTorchvisionWeights, stepByStepForward,
} from "./lib/models/index.js";
export type { NetOptions, NeuronFactory, NeuronFactoryOptions, NeuronKind, ResNet19Options, SewResNetOptions, SewConnect, PixelCifarOptions, DelaySnnOptions, StepInferenceResult } from "./lib/models/index.js";

// Training
export {
  train, evaluate, SGD, Adam, adamW, Lamb, DEFAULT_NO_DECAY, constantLr, cosineLr, oneCycleLr, sequentialLr, warmupThen,
  mixBatch, clipByGlobalNorm, globalNorm, guardNonFinite, namedGrads, localGradients, saveCheckpoint, loadCheckpoint,
  parallelGradients, resolveWorkers, loadWorkerSetup,
} from "./lib/train/index.js";
export type {
  TrainConfig, EpochRecord, Evaluation, BatchSource, TrainBatch, Objective, ObjectiveContext, GradientEngine, StepInput, StepGradients,
  Optimizer, SGDOptions, AdamOptions, LambOptions, Schedule, LearningRate, MixOptions, MixedBatch, NonFiniteRule, NamedGrads,
  WorkerSetup, WorkerModel, WorkersOption, ParallelGradientOptions,
} from "./lib/train/index.js";

// Metrics: firing rates, SOPs, FLOPs, neuron operations, energy
export {
  firingRate, FiringRateRecorder, networkFiringRates, sops, synapseInputRates, modelFlops, conv2dFlops, linearFlops, countNeuronOps,
  networkCounts, networkEnergy, synapticEnergy, neuronOpEnergy, opEnergyPj, OP_ENERGY_PJ, ENERGY_PRESETS, pjToMj, pjToUj,
  psnOpsFormula, slidingPsnOpsFormula, mulFreePsnOpsFormula, psnEnergyFormulaPj, mulFreeEnergyFormulaPj,
} from "./lib/metrics/index.js";
export type { OpCount, NeuronOpCounts, NeuronOpsKind, LayerCount, LayerFlops, SynapticCounts, SynapticEnergyPreset, EnergyBreakdown, NetworkEnergy } from "./lib/metrics/index.js";

// Data: DVS event files, frames, datasets, transforms, static images, SHD, synthetic data
export {
  readFileEvents, readAedat2File, readAedat3File, readAtisFile, streamAedat2File, streamAedat3File, streamAtisFile,
  parseAedat2, parseAedat3, parseAtis, writeAedat2File, writeAedat3File, writeAtisFile,
  makeEvents, emptyEvents, eventCount, sliceEvents, sortEvents, filterEvents, concatEvents,
  integrateFixedFrames, integrateFixedDuration,
  DvsGesture, Cifar10Dvs, NCaltech101, DVS_GESTURE_CLASSES, DVS_GESTURE_SENSOR, CIFAR10_DVS_CLASSES, CIFAR10_DVS_SENSOR,
  NCALTECH101_SENSOR, datasetFrames, buildFrameCache, openFrameCache, CachedFrames, InMemoryFrames, FrameLoader,
  Compose, CenterCrop, RandomCrop, RandomHorizontalFlip, RandomResizedCrop, Resize, ResizeCenterCrop, NormalizeImage,
  RandomFlipPolarity, RandomSpatialMask, RandomTemporalMask, RandomTimeReversal, RandomZoom, SpikformerDVSAugment,
  centerCrop, cropTime, timeWindow, flipPolarity, hflipEvents, spatialJitter, uniformNoise, dropEvent, mergePolarities, timeReverse,
  loadCifar, loadMnist, loadImageNet, CifarSequenceSource, StaticImageSource, ImageNetSource, JpegImages, CIFAR10_CLASSES,
  readShdFile, ShdSequenceSource, augmentShd, SHD_CLASSES, SHD_CHANNELS,
  generateDvsGesture, generateCifar10Dvs, generateNCaltech101, generateDvsLip, generateSyntheticCifar, generateSyntheticShd, movingSquareEvents,
  batchIndices, batchCount, stackTimeFirst, seededClassSplit,
  EventFileError, EventDataError, TextFileError, CacheFileError, InputError,
} from "./lib/data/index.js";
export type {
  Events, SensorSize, Frames, FrameSource, FrameTransform, EventDataset, SplitBy, FixedFramesOptions, FixedDurationOptions,
  DvsGestureOptions, Cifar10DvsOptions, Cifar10DvsSplit, NCaltech101Options, NCaltech101Split, DatasetFramesOptions, BuildCacheOptions,
  LoaderOptions, Batch, CifarVariant, CifarSet, CifarSequenceOptions, ImageNetOptions, ShdSet, ShdSourceOptions, ShdAugmentOptions,
} from "./lib/data/index.js";

// Plots (vega-lite, plotly) and notebook display
export {
  lineChart, barChart, heatmap, contourSpec, panels, captionFigure, markdownTable, saveFigure, savePlotlyHtml, renderVegaLite,
  showVegaLite, showPlotly, showTable, showMarkdown, inNotebook,
} from "./lib/plot/index.js";
export type { VegaLiteSpec, PlotlyFigure, PlotlyTrace, LineChartOptions, BarChartOptions, HeatmapOptions, ContourOptions } from "./lib/plot/index.js";

// Reproducibility kit (generic: claims, verdicts, runner, reports; the papers' registry is `spikelab/figures`)
export { Registry, runItem, runContext, compareClaim, verdictCounts, reportMarkdown, SCALES, TOLERANCES, listItems, provenance } from "./lib/repro/index.js";
export type { Claim, ClaimKind, Comparison, ItemReport, ItemResult, ReproItem, RunContext, RunOptions, Scale, Status, Tolerance, Paper, Provenance } from "./lib/repro/index.js";

// Utilities
export { Rng } from "./lib/util/random.js";
export { decodeSafetensors, encodeSafetensors, readSafetensorsFile, SafetensorsError } from "./lib/util/safetensors.js";
export type { SafeDtype, SafeTensor } from "./lib/util/safetensors.js";

// Worked examples (the starter notebook and the MNIST loss comparison)
export { StarterSnn, trainStarterSnn, compareLossesOnMnist, mnistSnn } from "./lib/examples/index.js";
export type { StarterOptions, StarterResult, LossComparisonOptions, LossRun } from "./lib/examples/index.js";
