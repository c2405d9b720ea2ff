/**
 * `npx tsx data/fetch/cifar10-dvs.ts [--from DIR_WITH_ZIPS] [--frames 10]`
 *
 * CIFAR10-DVS (AEDAT 2.0 release, figshare article 4724671): downloads the ten `<class>.zip` files
 * (resuming partial downloads), verifies their md5s, extracts each into `<root>/extract/<class>/`
 * (flattening a nested `<class>/` folder if the zip has one), then caches frames for the TEBN split
 * (T = 10 by default, split by number; papers §2.4, §5b).
 */
import { existsSync, readdirSync, renameSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { Cifar10Dvs, CIFAR10_DVS_CLASSES } from "../../src/lib/data/datasets/cifar10-dvs.js";
import { datasetFrames } from "../../src/lib/data/datasets/common.js";
import { COMMON_HELP, extractArchive, isMain, obtain, parseFetchArgs, parseOrExit, type FetchArgs } from "./common.js";

/** Publisher files: figshare download id and md5 (the list SpikingJelly's `CIFAR10DVS` also uses). */
export const CIFAR10_DVS_RESOURCES: Record<string, { url: string; md5: string }> = {
  airplane: { url: "https://ndownloader.figshare.com/files/7712788", md5: "0afd5c4bf9ae06af762a77b180354fdd" },
  automobile: { url: "https://ndownloader.figshare.com/files/7712791", md5: "8438dfeba3bc970c94962d995b1b9bdd" },
  bird: { url: "https://ndownloader.figshare.com/files/7712794", md5: "a9c207c91c55b9dc2002dc21c684d785" },
  cat: { url: "https://ndownloader.figshare.com/files/7712812", md5: "52c63c677c2b15fa5146a8daf4d56687" },
  deer: { url: "https://ndownloader.figshare.com/files/7712815", md5: "b6bf21f6c04d21ba4e23fc3e36c8a4a3" },
  dog: { url: "https://ndownloader.figshare.com/files/7712818", md5: "f379ebdf6703d16e0a690782e62639c3" },
  frog: { url: "https://ndownloader.figshare.com/files/7712842", md5: "cad6ed91214b1c7388a5f6ee56d08803" },
  horse: { url: "https://ndownloader.figshare.com/files/7712851", md5: "e7cbbf77bec584ffbf913f00e682782a" },
  ship: { url: "https://ndownloader.figshare.com/files/7712836", md5: "41c7bd7d6b251be82557c6cce9a7d5c9" },
  truck: { url: "https://ndownloader.figshare.com/files/7712839", md5: "89f3922fd147d9aeff89e76a2b0b70a7" },
};

/** Move `<dir>/<cls>/*` up into `<dir>` when the zip carried its own class folder. */
function flatten(dir: string, cls: string): void {
  const nested = join(dir, cls);
  if (!existsSync(nested)) return;
  for (const f of readdirSync(nested)) renameSync(join(nested, f), join(dir, f));
  rmdirSync(nested);
}

export async function fetchCifar10Dvs(args: FetchArgs): Promise<{ root: string; caches: string[] }> {
  const extract = join(args.root, "extract");
  for (const cls of CIFAR10_DVS_CLASSES) {
    const r = CIFAR10_DVS_RESOURCES[cls]!;
    const zip = await obtain(`${cls}.zip`, join(args.root, "download"), args, { url: r.url, md5: r.md5 });
    extractArchive(zip, join(extract, cls));
    flatten(join(extract, cls), cls);
  }
  const caches: string[] = [];
  if (args.convert) {
    for (const T of args.frames) {
      for (const train of [true, false]) {
        const ds = await Cifar10Dvs.open({ root: extract, train, split: "tebn" });
        caches.push((await datasetFrames(ds, extract, { cacheRoot: args.cache, frames: T, splitBy: args.splitBy })).dir);
      }
    }
  }
  return { root: extract, caches };
}

if (isMain(import.meta.url)) {
  const args = parseOrExit(() => parseFetchArgs(process.argv.slice(2), "cifar10-dvs", [10]));
  if (args.help) {
    process.stdout.write(`CIFAR10-DVS: downloads 10 zips from figshare (about 7 GB in all), or --from a folder holding them.\n\nOptions:${COMMON_HELP}\n`);
  } else {
    fetchCifar10Dvs(args).then((r) => process.stdout.write(`CIFAR10-DVS ready in ${r.root}\n${r.caches.join("\n")}\n`))
      .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
  }
}
