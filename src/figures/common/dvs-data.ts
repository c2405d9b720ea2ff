/**
 * DVS data for the training items of every paper: the three datasets from the fetched raw files (`small`,
 * `paper`) or from synthetic files written in the same formats (`smoke`, `data/synthetic.ts`), cached as
 * frames once per (dataset, split, T, size) under `results/_frames`, and served by `FrameLoader`s.
 */
import { Cifar10Dvs, type Cifar10DvsSplit } from "../../lib/data/datasets/cifar10-dvs.js";
import { datasetFrames, type EventDataset } from "../../lib/data/datasets/common.js";
import { DvsGesture } from "../../lib/data/datasets/dvs-gesture.js";
import { NCaltech101, type NCaltech101Split } from "../../lib/data/datasets/ncaltech101.js";
import { FrameLoader } from "../../lib/data/loader.js";
import { generateCifar10Dvs, generateDvsGesture, generateNCaltech101 } from "../../lib/data/synthetic.js";
import type { FrameTransform } from "../../lib/data/transforms/index.js";
import type { RunContext } from "../../lib/repro/item.js";
import { makeDirAtomic } from "../../lib/util/fs.js";
import { rawDataPath, requireFetched } from "./data-root.js";
import type { DataSource } from "./scale.js";

export type DvsDataset = "dvsgesture" | "cifar10dvs" | "ncaltech101";

/** Synthetic N-Caltech101 classes (a subset; the background class is excluded as in the papers). */
export const SYNTH_NCALTECH = ["Faces_easy", "accordion", "airplanes", "anchor", "ant"];

export interface DvsSplitOptions {
  cifar10dvs?: Cifar10DvsSplit;
  ncaltech101?: NCaltech101Split;
}

const FETCH: Record<DvsDataset, string> = { dvsgesture: "dvs-gesture", cifar10dvs: "cifar10-dvs", ncaltech101: "ncaltech101" };

/** Root of the fetched raw files (`data/fetch/<dataset>.ts` writes it), overridable with SPIKELAB_DATA. */
export function dvsDataRoot(dataset: DvsDataset): string {
  return rawDataPath(FETCH[dataset], "extract");
}

/** Number of classes of the data a run sees. */
export function dvsClasses(dataset: DvsDataset, data: DataSource): number {
  return dataset === "dvsgesture" ? 11 : dataset === "cifar10dvs" ? 10 : data === "synthetic" ? SYNTH_NCALTECH.length : 101;
}

/** Open train and test splits. Synthetic files live in the shared `results/_synthetic-<dataset>`, created atomically. */
export async function openDvsSplits(dataset: DvsDataset, data: DataSource, ctx: Pick<RunContext, "sharedDir">, split: DvsSplitOptions = {}): Promise<{ train: EventDataset; test: EventDataset; root: string }> {
  let root = dvsDataRoot(dataset);
  if (data === "synthetic") {
    root = ctx.sharedDir(`synthetic-${dataset}`);
    await makeDirAtomic(root, async (tmp) => {
      if (dataset === "dvsgesture") await generateDvsGesture(tmp, { trainUsers: [1, 2, 3], testUsers: [24], gestureUs: 40_000 });
      else if (dataset === "cifar10dvs") await generateCifar10Dvs(tmp, { perClass: 8, durationUs: 40_000 });
      else await generateNCaltech101(tmp, { classes: SYNTH_NCALTECH, perClass: 10, durationUs: 60_000 });
    });
  } else {
    requireFetched(root, `npx tsx data/fetch/${FETCH[dataset]}.ts`);
  }
  if (dataset === "dvsgesture") return { train: await DvsGesture.open({ root, train: true }), test: await DvsGesture.open({ root, train: false }), root };
  if (dataset === "cifar10dvs") {
    // The synthetic set has 8 files per class, so the TEBN rule (files 0–99 test) would leave no training data: 1:1 by seed.
    const o = data === "synthetic" ? { split: "seeded" as const, seed: 0, trainRatio: 0.5 } : split.cifar10dvs === "seeded" ? { split: "seeded" as const, seed: 0, trainRatio: 0.9 } : { split: split.cifar10dvs ?? "tebn" };
    return { train: await Cifar10Dvs.open({ root, train: true, ...o }), test: await Cifar10Dvs.open({ root, train: false, ...o }), root };
  }
  const o = split.ncaltech101 === "seeded" ? { split: "seeded" as const, seed: 0, trainRatio: 0.9 } : { split: split.ncaltech101 ?? "mpe" };
  return { train: await NCaltech101.open({ root, train: true, ...o }), test: await NCaltech101.open({ root, train: false, ...o }), root };
}

export interface DvsLoaderOptions {
  T: number;
  /** Frame size after resize, square; null keeps the sensor size. */
  size: number | null;
  batchSize: number;
  transform?: FrameTransform;
  split?: DvsSplitOptions;
}

/** Frame loaders for training (shuffled, `transform`) and testing (fixed order, every sample). */
export async function dvsLoaders(dataset: DvsDataset, data: DataSource, ctx: Pick<RunContext, "sharedDir" | "seed">, o: DvsLoaderOptions): Promise<{ train: FrameLoader; test: FrameLoader }> {
  const ds = await openDvsSplits(dataset, data, ctx, o.split);
  const cacheRoot = ctx.sharedDir("frames");
  const fo = { cacheRoot, frames: o.T, splitBy: "number" as const, ...(o.size ? { resize: [o.size, o.size] as [number, number] } : {}), antialias: false, progress: false as const };
  const train = await datasetFrames(ds.train, ds.root, fo);
  const test = await datasetFrames(ds.test, ds.root, fo);
  return {
    train: new FrameLoader(train, { batchSize: o.batchSize, shuffle: true, seed: ctx.seed, ...(o.transform ? { transform: o.transform } : {}) }),
    test: new FrameLoader(test, { batchSize: o.batchSize }),
  };
}
