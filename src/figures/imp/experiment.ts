/**
 * Training runs of the IMP / LTS / TET-S paper (papers.md §3.3–3.5), shared by its tables.
 *
 * DVS configs (the released IMP-SNN configs):
 * - "48": CIFAR10-DVS / N-Caltech101 at 48², `stateVgg11R48` (TEBN) with the legacy LIF (τ = 0.25 decay,
 *   θ = 1, hard reset, ZIF γ = 1), IMP `(1, C, H, W)` ~ U(−0.2, 0.2) when enabled; SGD 0.1 m 0.9 wd 5e-4
 *   (none on norm/bias/TEBN/IMP), cosine, batch 32 (N-Caltech101 16); Resize 48 + RandomCrop 48 pad 4 +
 *   HFlip (CIFAR10-DVS), Resize 48 + HFlip + SpikFormerDVS (N-Caltech101). T = 10.
 * - "128": `vgg11` with the SpingJelly LIF (τ = 2, soft reset, detach reset, Sigmoid α = 4) and IMP as
 *   V[0] ~ U(0.4, 0.6) (decision §5d-6); AdamW 1e-3 wd 0.06, 30 warm-up epochs then cosine, clip 1.0, batch 16,
 *   HFlip + SpikFormerDVS, mixup α 0.5 / cutmix α 1; CIFAR10-DVS 128² seeded 9:1, N-Caltech101 at 128²
 *   (the released config keeps 180×240; we resize to 128² so both share the network, noted). T = 16.
 * Static images (ImageNet tables): SEW-ResNet-18/34/50 with IF (hard reset 0, ATan α = 2), T = 4; smoke on
 * synthetic 32² images, small on a 10-class ImageNet subset at 64², paper on ImageNet-1k (see {@link sewSetting}).
 * Scales as everywhere: smoke = synthetic files, narrow nets, one epoch; small = real data, ¼ width;
 * paper = the released setting.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tf } from "../../lib/backend/tf.js";
import { resetModule, setTraining } from "../../lib/layers/module.js";
import { loadTorchvisionWeights, loadWeights, saveWeights } from "../../lib/models/weights.js";
import { writeFileAtomic } from "../../lib/util/fs.js";
import { CifarSequenceSource } from "../../lib/data/datasets/cifar.js";
import { ImageNetSource, loadImageNet } from "../../lib/data/datasets/imagenet.js";
import { evalResizeSide } from "../../lib/data/transforms/image.js";
import { Compose, RandomCrop, RandomHorizontalFlip, SpikformerDVSAugment, type FrameTransform } from "../../lib/data/transforms/index.js";
import type { Module } from "../../lib/layers/module.js";
import { LOSSES, type LossName, type SnnLoss } from "../../lib/losses/index.js";
import type { Labels } from "../../lib/losses/cross-entropy.js";
import { meanOutputPredict } from "../../lib/losses/sdt.js";
import { tetSLoss } from "../../lib/losses/tet.js";
import { sewResNet } from "../../lib/models/sew-resnet.js";
import { stateVgg11R48, vgg11 } from "../../lib/models/vgg.js";
import { IFNode } from "../../lib/neurons/if.js";
import { LegacyLIFNode } from "../../lib/neurons/legacy-lif.js";
import { LIFNode } from "../../lib/neurons/lif.js";
import { atan, sigmoid } from "../../lib/surrogate.js";
import { adamW, SGD } from "../../lib/train/optimizers.js";
import { cosineLr, warmupThen } from "../../lib/train/schedules.js";
import { evaluate, train, type BatchSource, type EpochRecord } from "../../lib/train/trainer.js";
import type { WorkerModel } from "../../lib/train/parallel/protocol.js";
import type { RunContext } from "../../lib/repro/item.js";
import type { Scale } from "../../lib/repro/verdict.js";
import { dvsClasses, dvsLoaders, type DvsDataset } from "../common/dvs-data.js";
import { cifarData } from "../common/cifar-data.js";
import { rawDataPath } from "../common/data-root.js";
import type { FrameSetting } from "../common/scale.js";

export type ImpConfig = "48" | "128";
export type ImpLoss = LossName | `tet-s(${number})`;

export interface ImpDvsSetting extends FrameSetting {
  dataset: Exclude<DvsDataset, "dvsgesture">;
  config: ImpConfig;
}

export function impDvsSetting(dataset: ImpDvsSetting["dataset"], config: ImpConfig, scale: Scale, T?: number): ImpDvsSetting {
  const paperT = config === "48" ? 10 : 16;
  const base = { dataset, config, scale, size: config === "48" ? 48 : 128 };
  if (scale === "smoke") return { ...base, T: Math.min(T ?? paperT, 4), size: config === "48" ? 48 : 32, widthFactor: 1 / 16, epochs: 1, batchSize: 8, data: "synthetic" };
  if (scale === "small") return { ...base, T: T ?? paperT, widthFactor: 1 / 4, epochs: 6, batchSize: 16, data: "real" };
  return { ...base, T: T ?? paperT, widthFactor: 1, epochs: 200, batchSize: config === "48" ? (dataset === "ncaltech101" ? 16 : 32) : 16, data: "real" };
}

export function describeImpSetting(s: ImpDvsSetting): string {
  return `${s.dataset} config ${s.config} at scale ${s.scale}: ${s.data === "synthetic" ? "synthetic moving-square DVS files (real formats, not the dataset)" : "real dataset"}, ` +
    `T = ${s.T}, ${s.size}² frames, width ×${s.widthFactor}, ${s.epochs} epoch(s), batch ${s.batchSize}`;
}

/** A loss by name; `tet-s(ε)` is TET with label smoothing ε (the ablation of Table 4). */
export function impLoss(name: ImpLoss): SnnLoss {
  const m = /^tet-s\(([\d.e-]+)\)$/.exec(name);
  if (m) {
    const eps = Number(m[1]);
    return { name, loss: (o: tf.Tensor, y: Labels) => tetSLoss(o, y, eps), predict: meanOutputPredict };
  }
  const l = LOSSES[name as LossName];
  if (!l) throw new Error(`impLoss: unknown loss '${name}'`);
  return l;
}

function transformFor(s: ImpDvsSetting): FrameTransform {
  if (s.config === "48" && s.dataset === "cifar10dvs") return new Compose([new RandomCrop(s.size, s.size, 4), new RandomHorizontalFlip()]);
  return new Compose([new RandomHorizontalFlip(), new SpikformerDVSAugment(s.dataset === "ncaltech101" ? { translate: [-0.5, 5] } : {})]);
}

export function buildImpNet(s: ImpDvsSetting, imp: boolean, seed: number): Module {
  const numClasses = dvsClasses(s.dataset, s.data);
  if (s.config === "48") return stateVgg11R48({ neuron: () => new LegacyLIFNode(imp ? { imp: true } : {}), T: s.T, numClasses, seed, widthFactor: s.widthFactor });
  return vgg11({ neuron: () => new LIFNode({ tau: 2, vReset: null, detachReset: true, surrogate: sigmoid(4), ...(imp ? { imp: true } : {}) }), T: s.T, numClasses, seed, widthFactor: s.widthFactor });
}

export interface ImpRun {
  history: EpochRecord[];
  bestTestAcc: number;
  finalTestAcc: number;
  model: Module;
  test: BatchSource;
}

export interface ImpDvsWorkerArgs { setting: ImpDvsSetting; loss: ImpLoss; imp: boolean; seed: number }

/** `WorkerSetup` export: a gradient worker's copy of {@link trainImpDvs}'s network and loss. */
export function impDvsWorkerModel(a: ImpDvsWorkerArgs): WorkerModel {
  return { model: buildImpNet(a.setting, a.imp, a.seed), loss: impLoss(a.loss) };
}

/** One DVS training run; gradients from `ctx.workers` worker threads (default auto). */
export async function trainImpDvs(s: ImpDvsSetting, o: { loss: ImpLoss; imp: boolean }, ctx: Pick<RunContext, "sharedDir" | "seed"> & Partial<Pick<RunContext, "workers">>): Promise<ImpRun> {
  const split = s.config === "48" ? { cifar10dvs: "tebn" as const, ncaltech101: "seeded" as const } : { cifar10dvs: "seeded" as const, ncaltech101: "seeded" as const };
  const data = await dvsLoaders(s.dataset, s.data, ctx, { T: s.T, size: s.size, batchSize: s.batchSize, split, transform: transformFor(s) });
  const model = buildImpNet(s, o.imp, ctx.seed);
  const loss = impLoss(o.loss);
  const is48 = s.config === "48";
  const { history } = await train({
    model, loss,
    optimizer: is48 ? new SGD({ momentum: 0.9, weightDecay: 5e-4 }) : adamW({ weightDecay: 0.06 }),
    schedule: is48 ? cosineLr({ base: 0.1, tMax: s.epochs })
      : warmupThen({ epochs: Math.round((30 * s.epochs) / 200), startFactor: 5e-6, base: 1e-3, then: cosineLr({ base: 1e-3, tMax: s.epochs - Math.round((30 * s.epochs) / 200), etaMin: 1e-6 }) }),
    ...(is48 ? {} : { clipNorm: 1, scheduleBy: "iteration" as const, ...(s.scale === "paper" ? { mix: { mixupAlpha: 0.5, cutmixAlpha: 1, prob: 1, switchProb: 0.5, spatialAxes: [3, 4] as [number, number] } } : {}) }),
    epochs: s.epochs, train: data.train, test: data.test, seed: ctx.seed, nonFinite: "zero", progress: false,
    workers: ctx.workers ?? "auto",
    workerSetup: { module: fileURLToPath(import.meta.url), export: "impDvsWorkerModel", args: { setting: s, loss: o.loss, imp: o.imp, seed: ctx.seed } satisfies ImpDvsWorkerArgs },
  });
  const accs = history.map((h) => 100 * (h.testAcc ?? NaN));
  const final = await evaluate(model, loss, data.test);
  return { history, bestTestAcc: Math.max(...accs), finalTestAcc: 100 * final.acc, model, test: data.test };
}

/** SEW-ResNet on static images with the paper's ImageNet neuron (IF, hard reset, ATan 2), optional IMP. */
export function buildSewNet(depth: 18 | 34 | 50, imp: boolean, T: number, numClasses: number, seed: number, widthFactor = 1): Module {
  return sewResNet({ depth, T, numClasses, seed, widthFactor, neuron: () => new IFNode({ vReset: 0, surrogate: atan(2), ...(imp ? { imp: true } : {}) }) });
}

export interface SewWorkerArgs { depth: 18 | 34 | 50; imp: boolean; T: number; numClasses: number; seed: number; widthFactor: number; loss: ImpLoss; inputShape: number[] }

/**
 * `WorkerSetup` export: a gradient worker's copy of {@link trainSew}'s network and loss. One eval-mode forward of
 * a zero sample of `inputShape` ([T, B, ...], B = 1 used) materialises the lazily shaped IMP states, as the trainer's
 * model does before its weights are loaded.
 */
export function sewWorkerModel(a: SewWorkerArgs): WorkerModel {
  const model = buildSewNet(a.depth, a.imp, a.T, a.numClasses, a.seed, a.widthFactor);
  setTraining(model, false);
  tf.tidy(() => { model.forward(tf.zeros([a.inputShape[0]!, 1, ...a.inputShape.slice(2)])); });
  resetModule(model);
  setTraining(model, true);
  return { model, loss: impLoss(a.loss) };
}

/**
 * Imagenette's 10 easily separable ImageNet classes (fast.ai): tench, English springer, cassette player, chain
 * saw, church, French horn, garbage truck, gas pump, golf ball, parachute — the `small` subset.
 */
export const IMAGENETTE_WNIDS = ["n01440764", "n02102040", "n02979186", "n03000684", "n03028079", "n03394916", "n03417042", "n03425413", "n03445777", "n03888605"] as const;

/** run.sh batch per GPU × 4 GPUs (DDP): the effective batch of one SGD step, run as 4 accumulated micro-batches. */
const RUN_SH_GPUS = 4;
const RUN_SH_BATCH: Record<18 | 34 | 50, number> = { 18: RUN_SH_GPUS * 192, 34: RUN_SH_GPUS * 128, 50: RUN_SH_GPUS * 48 };

export interface SewSetting extends Omit<FrameSetting, "data"> {
  /** Crop side: train RandomResizedCrop(size) + HFlip, test Resize(round(size·256/224)) + CenterCrop(size). */
  size: number;
  lr: number;
  data: "synthetic" | "imagenet";
  /** ImageNet folder (train/, val/); default `$SPIKELAB_DATA/imagenet` or `data/raw/imagenet`. */
  root?: string;
  /** wnid subset; undefined = every class folder (ImageNet-1k). */
  classes?: readonly string[];
  trainPerClass?: number;
  valPerClass?: number;
  /** Shorter side of the decode-once cache; undefined = decode the JPEGs at every access (full resolution). */
  cacheSide?: number;
  /** torchvision ResNet state dict (safetensors) to start from, as run.sh's `--load`; undefined = random init. */
  init?: string;
  /** Gradient accumulation: each step's batch split into this many micro-batches (paper: run.sh's 4 GPUs). */
  microBatches?: number;
}

/**
 * The ImageNet study per scale (papers.md §3.4 `in1k/LTS/run.sh`; decision "ImageNet data (issue #7)"):
 * - smoke: synthetic 32² grating images, full width, one SGD step of 20 images (pipeline check, CI time);
 * - small: Imagenette's 10 classes, first 260 train files per class, all 50 val images per class, 64² crops from
 *   a cache at shorter side 73, width ×1/4 (as the other small items), batch 32, 5 epochs. Measured on 2-core
 *   wasm (synthetic input): SEW-ResNet-18 ×1/4 at 64², B 32, T 4: 1.4 s per SGD step (×1/8: 0.64 s; up to 2×
 *   slower with another process on the cores; batches from the cache add ≈ 0.03 s) → 81 steps × 5 epochs ≈ 9 min
 *   per run, so Table 3's four runs plus the one-off decode cache (~ 3 100 JPEGs) take about 40 min; SEW-ResNet-50
 *   ×1/4 (Table 5) measured 4.7 s per step → its two runs ≈ 65 min (one recipe for every depth, so the tables'
 *   SOPs stay comparable);
 * - paper: ImageNet-1k, 224², T = 4, SGD m 0.9 lr 0.05 wd 0, cosine over 320 epochs, effective batch 4 × run.sh's
 *   per-GPU batch as 4 accumulated micro-batches (BN statistics per micro-batch, as DDP without SyncBN),
 *   RRC 224 + HFlip, test Resize 256 + CenterCrop 224, JPEGs decoded at full resolution. run.sh
 *   starts from torchvision's ANN ResNet weights: with `SPIKELAB_IMAGENET_INIT=<folder>` holding
 *   `resnet{18,34,50}.safetensors` (converted `.pth`, see `loadTorchvisionWeights`) they are loaded the same
 *   non-strict way; without it the nets start from random init, a deviation every report states.
 */
export function sewSetting(scale: Scale, depth: 18 | 34 | 50 = 18): SewSetting {
  const base = { scale, T: 4, lr: 0.05 };
  if (scale === "smoke") return { ...base, size: 32, widthFactor: 1, epochs: 1, batchSize: 20, data: "synthetic" };
  if (scale === "small") return { ...base, size: 64, widthFactor: 1 / 4, epochs: 5, batchSize: 32, data: "imagenet", classes: IMAGENETTE_WNIDS, trainPerClass: 260, valPerClass: 50, cacheSide: evalResizeSide(64) };
  const initDir = process.env.SPIKELAB_IMAGENET_INIT;
  return { ...base, size: 224, widthFactor: 1, epochs: 320, batchSize: RUN_SH_BATCH[depth], microBatches: RUN_SH_GPUS, data: "imagenet", ...(initDir ? { init: join(initDir, `resnet${depth}.safetensors`) } : {}) };
}

export function describeSewSetting(s: SewSetting): string {
  if (s.data === "synthetic") return `synthetic ${s.size}² grating images, T = ${s.T}, one SGD step (lr ${s.lr}) of ${s.batchSize} images`;
  return `ImageNet ${s.classes ? `${s.classes.length}-class subset (${s.classes === IMAGENETTE_WNIDS ? "Imagenette wnids, " : ""}${s.trainPerClass ?? "all"} train / ${s.valPerClass ?? "all"} val images per class)` : "1k"}, ` +
    `${s.size}² crops (RRC + HFlip; test Resize ${evalResizeSide(s.size)} + CenterCrop ${s.size}), T = ${s.T}, width ×${s.widthFactor}, ` +
    `SGD m 0.9 lr ${s.lr} wd 0, cosine over ${s.epochs} epoch(s), batch ${s.batchSize}${s.microBatches ? ` (${s.microBatches} accumulated micro-batches of ${s.batchSize / s.microBatches}, BN per micro-batch as run.sh's per-GPU DDP)` : ""}, ${s.init ? `initialised from torchvision weights ${s.init}` : "random init"}`;
}

export function imageNetRoot(): string {
  return rawDataPath("imagenet");
}

/** Train/test sources and class count of a setting (ImageNet folder, or the smoke synthetic images). */
export async function sewData(s: SewSetting, ctx: Pick<RunContext, "sharedDir" | "seed" | "scale">): Promise<{ train: BatchSource; test: BatchSource; numClasses: number }> {
  if (s.data === "synthetic") {
    const data = await cifarData("cifar10", "synthetic", ctx);
    const src = (tr: boolean) => new CifarSequenceSource(tr ? data.train : data.test, { layout: "image", repeat: s.T, batchSize: s.batchSize, limit: s.batchSize, ...(tr ? { shuffleSeed: ctx.seed + 1, hflip: true } : {}) });
    return { train: src(true), test: src(false), numClasses: 10 };
  }
  const root = s.root ?? imageNetRoot();
  const cacheRoot = ctx.sharedDir("images");
  const load = (split: "train" | "val", perClass?: number) => loadImageNet({
    root, split, ...(s.classes ? { classes: s.classes } : {}), ...(perClass ? { perClass } : {}),
    ...(s.cacheSide ? { cache: { root: cacheRoot, shorterSide: s.cacheSide } } : {}),
  });
  const train = await load("train", s.trainPerClass);
  const val = await load("val", s.valPerClass);
  if (train.classes.join() !== val.classes.join()) throw new Error(`${root}: train and val hold different class folders (${train.classes.length} vs ${val.classes.length})`);
  return {
    train: new ImageNetSource(train, { size: s.size, batchSize: s.batchSize, T: s.T, shuffleSeed: ctx.seed + 1 }),
    // Evaluation needs no gradient accumulation, but one micro-batch at a time keeps the memory of a training step.
    test: new ImageNetSource(val, { size: s.size, batchSize: s.batchSize / (s.microBatches ?? 1), T: s.T }),
    numClasses: train.classes.length,
  };
}

/**
 * Train (or reload) one SEW-ResNet of the ImageNet study at `s` (default: `sewSetting(ctx.scale, depth)`).
 * Tables 3, 5 and 6 train the same networks: the run is kept under results/_runs, keyed by everything that
 * defines it (the setting and recipe version included), and reloaded instead of retrained. `sample` is the
 * first test batch (the input of the firing-rate / SOP measurement). Gradients and per-epoch test evaluations
 * from `ctx.workers` worker threads (default auto); the run's key does not include the count (it changes only the
 * float32 summation order).
 */
export async function trainSew(depth: 18 | 34 | 50, o: { loss: ImpLoss; imp: boolean }, ctx: Pick<RunContext, "sharedDir" | "seed" | "scale"> & Partial<Pick<RunContext, "workers">>, s: SewSetting = sewSetting(ctx.scale, depth)): Promise<ImpRun & { sample: tf.Tensor; setting: SewSetting }> {
  const data = await sewData(s, ctx);
  const model = buildSewNet(depth, o.imp, s.T, data.numClasses, ctx.seed, s.widthFactor);
  const loss = impLoss(o.loss);
  const sample = (await data.test.batch(0, 0)).x;
  const recipe = s.data === "synthetic" ? `sew-smoke-v1: T4 sgd0.05m0.9 cos1 ep1 train20 test20 b20 hflip` : `sew-imagenet-v1: ${JSON.stringify({ ...s, root: undefined })}`;
  const tag = s.data === "synthetic" ? "" : `-${s.scale}-${createHash("sha256").update(recipe).digest("hex").slice(0, 8)}`;
  const dir = join(ctx.sharedDir("runs"), `imp-sew-r${depth}-${o.loss}-${o.imp ? "imp" : "noimp"}-seed${ctx.seed}${tag}`);
  tf.tidy(() => { model.forward(sample); }); // materialises the lazily shaped IMP before weights are loaded
  resetModule(model);
  let history: EpochRecord[];
  const meta = join(dir, "run.json");
  const cached = existsSync(meta) ? (JSON.parse(readFileSync(meta, "utf8")) as { recipe: string; history: EpochRecord[] }) : null;
  if (cached && cached.recipe === recipe && existsSync(join(dir, "weights.safetensors"))) {
    loadWeights(model, join(dir, "weights.safetensors"));
    history = cached.history;
  } else {
    if (s.init) {
      if (!existsSync(s.init)) throw new Error(`${s.init}: torchvision ResNet-${depth} weights not found (SPIKELAB_IMAGENET_INIT names a folder holding resnet${depth}.safetensors; convert the .pth as loadTorchvisionWeights documents)`);
      const l = loadTorchvisionWeights(model, s.init);
      process.stderr.write(`[imp] SEW-R${depth} initialised from ${s.init}: ${l.loaded.length} tensors loaded, ${l.missing.length} missing (${l.missing.slice(0, 3).join(", ")}${l.missing.length > 3 ? ", …" : ""}), ${l.unexpected.length} unused\n`);
    }
    ({ history } = await train({
      model, loss, optimizer: new SGD({ momentum: 0.9 }), schedule: cosineLr({ base: s.lr, tMax: s.epochs }), epochs: s.epochs,
      train: data.train, test: data.test, seed: ctx.seed, nonFinite: "zero", progress: s.data !== "synthetic",
      ...(s.microBatches ? { microBatches: s.microBatches } : {}),
      workers: ctx.workers ?? "auto",
      workerSetup: {
        module: fileURLToPath(import.meta.url), export: "sewWorkerModel",
        args: { depth, imp: o.imp, T: s.T, numClasses: data.numClasses, seed: ctx.seed, widthFactor: s.widthFactor, loss: o.loss, inputShape: sample.shape.slice() } satisfies SewWorkerArgs,
      },
    }));
    await saveWeights(model, join(dir, "weights.safetensors"), { recipe });
    await writeFileAtomic(meta, JSON.stringify({ recipe, history }));
  }
  const final = await evaluate(model, loss, data.test);
  const accs = history.map((h) => 100 * (h.testAcc ?? NaN));
  return { history, bestTestAcc: Math.max(...accs), finalTestAcc: 100 * final.acc, model, test: data.test, sample, setting: s };
}

