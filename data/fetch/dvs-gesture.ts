/**
 * `npx tsx data/fetch/dvs-gesture.ts --from /path/to/DvsGesture.tar.gz [--frames 16]`
 *
 * DVS128 Gesture is a manual download (IBM asks users to accept its licence): fetch `DvsGesture.tar.gz`
 * from the IBM Box folder below, then pass it with `--from`. Steps: verify md5 → extract to
 * `<root>/extract/DvsGesture/` → convert both splits to frames in the cache (T = 16, split by number,
 * the MPE-PSN setting; papers §2.4). Each step is skipped when already done.
 */
import { join } from "node:path";
import { DvsGesture } from "../../src/lib/data/datasets/dvs-gesture.js";
import { datasetFrames } from "../../src/lib/data/datasets/common.js";
import { COMMON_HELP, extractArchive, isMain, obtain, parseFetchArgs, parseOrExit, type FetchArgs } from "./common.js";

export const DVS_GESTURE_ARCHIVE = "DvsGesture.tar.gz";
/** md5 of the official archive as listed by SpikingJelly `DVS128Gesture.resource_url_md5()`. */
export const DVS_GESTURE_MD5 = "8a5c71fb11e24e5ca5b11866ca6c00a1";
export const DVS_GESTURE_URL = "https://ibm.ent.box.com/s/3hiq58ww1pbbjrinh367ykfdf60xsfm8/folder/50167556794";

export const DVS_GESTURE_MANUAL = `DVS128 Gesture must be downloaded by hand:
  1. open ${DVS_GESTURE_URL}
  2. download ${DVS_GESTURE_ARCHIVE} (md5 ${DVS_GESTURE_MD5})
  3. run: npx tsx data/fetch/dvs-gesture.ts --from /path/to/${DVS_GESTURE_ARCHIVE}`;

export async function fetchDvsGesture(args: FetchArgs): Promise<{ root: string; caches: string[] }> {
  const archive = await obtain(DVS_GESTURE_ARCHIVE, join(args.root, "download"), args,
    { md5: DVS_GESTURE_MD5, manual: DVS_GESTURE_MANUAL });
  const extract = join(args.root, "extract");
  extractArchive(archive, extract);
  const caches: string[] = [];
  if (args.convert) {
    for (const T of args.frames) {
      for (const train of [true, false]) {
        const ds = await DvsGesture.open({ root: extract, train });
        const c = await datasetFrames(ds, extract, { cacheRoot: args.cache, frames: T, splitBy: args.splitBy });
        caches.push(c.dir);
      }
    }
  }
  return { root: extract, caches };
}

if (isMain(import.meta.url)) {
  const args = parseOrExit(() => parseFetchArgs(process.argv.slice(2), "dvs-gesture", [16]));
  if (args.help) {
    process.stdout.write(`${DVS_GESTURE_MANUAL}\n\nOptions:${COMMON_HELP}\n`);
  } else {
    fetchDvsGesture(args).then((r) => process.stdout.write(`DVS128 Gesture ready in ${r.root}\n${r.caches.join("\n")}\n`))
      .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
  }
}
