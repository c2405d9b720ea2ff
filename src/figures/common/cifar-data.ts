/**
 * CIFAR10 / CIFAR100 for every item that trains on them: the fetched binary batches (`data/fetch/cifar.ts`)
 * or, at `smoke`, synthetic grating images written once as real binary batch files into the shared
 * `results/_synthetic-<variant>`. Loaded sets are kept per process (several items of one run share them).
 */
import { loadCifar, type CifarSet, type CifarVariant } from "../../lib/data/datasets/cifar.js";
import { generateSyntheticCifar } from "../../lib/data/synthetic-cifar.js";
import type { RunContext } from "../../lib/repro/item.js";
import { makeDirAtomic } from "../../lib/util/fs.js";
import { rawDataPath } from "./data-root.js";
import type { DataSource } from "./scale.js";

/** Root holding the extracted `cifar-*-b*` folders for real data (override with SPIKELAB_DATA). */
export function cifarDataRoot(variant: CifarVariant): string {
  return rawDataPath(variant, "extract");
}

const loaded = new Map<string, { train: CifarSet; test: CifarSet }>();

/** Train and test sets of a CIFAR variant, real or synthetic. */
export async function cifarData(variant: CifarVariant, data: DataSource, ctx: Pick<RunContext, "sharedDir">): Promise<{ train: CifarSet; test: CifarSet; root: string }> {
  let root: string;
  if (data === "synthetic") {
    // Shared by several items (and notebooks running side by side): created whole or not at all.
    root = ctx.sharedDir(`synthetic-${variant}`);
    await makeDirAtomic(root, (tmp) => generateSyntheticCifar(tmp, variant, variant === "cifar10" ? { trainPerClass: 20, testPerClass: 5 } : { trainPerClass: 2, testPerClass: 1 }).then(() => undefined));
  } else {
    root = cifarDataRoot(variant);
  }
  const key = `${root}|${variant}`;
  if (!loaded.has(key)) loaded.set(key, { train: loadCifar(root, variant, true), test: loadCifar(root, variant, false) });
  return { ...loaded.get(key)!, root };
}
