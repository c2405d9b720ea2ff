/**
 * `npx tsx data/fetch/ncaltech101.ts --from /path/to/Caltech101.zip [--frames 10]`
 *
 * N-Caltech101 is a manual download (events-and-parity §1.6): get `Caltech101.zip` (md5
 * 66201824eabb0239c7ab992480b50ba3) from the publisher, pass it with `--from`. Steps: verify md5 →
 * extract (`<root>/extract/Caltech101/<class>/image_NNNN.bin`) → cache frames for the seeded 9:1 split
 * (T = 10, split by number; papers §2.4, §5b).
 */
import { join } from "node:path";
import { datasetFrames } from "../../src/lib/data/datasets/common.js";
import { NCaltech101 } from "../../src/lib/data/datasets/ncaltech101.js";
import { COMMON_HELP, extractArchive, isMain, obtain, parseFetchArgs, parseOrExit, type FetchArgs } from "./common.js";

export const NCALTECH101_ARCHIVE = "Caltech101.zip";
/** md5 from events-and-parity §1.6. */
export const NCALTECH101_MD5 = "66201824eabb0239c7ab992480b50ba3";

export const NCALTECH101_MANUAL = `N-Caltech101 must be downloaded by hand:
  1. open the N-Caltech101 page of its authors (Orchard et al. 2015; https://www.garrickorchard.com/datasets/n-caltech101)
  2. download ${NCALTECH101_ARCHIVE} (md5 ${NCALTECH101_MD5})
  3. run: npx tsx data/fetch/ncaltech101.ts --from /path/to/${NCALTECH101_ARCHIVE}`;

export async function fetchNCaltech101(args: FetchArgs): Promise<{ root: string; caches: string[] }> {
  const zip = await obtain(NCALTECH101_ARCHIVE, join(args.root, "download"), args, { md5: NCALTECH101_MD5, manual: NCALTECH101_MANUAL });
  const extract = join(args.root, "extract");
  extractArchive(zip, extract);
  const caches: string[] = [];
  if (args.convert) {
    for (const T of args.frames) {
      for (const train of [true, false]) {
        const ds = await NCaltech101.open({ root: extract, train, split: "seeded", seed: 0 });
        caches.push((await datasetFrames(ds, extract, { cacheRoot: args.cache, frames: T, splitBy: args.splitBy })).dir);
      }
    }
  }
  return { root: extract, caches };
}

if (isMain(import.meta.url)) {
  const args = parseOrExit(() => parseFetchArgs(process.argv.slice(2), "ncaltech101", [10]));
  if (args.help) {
    process.stdout.write(`${NCALTECH101_MANUAL}\n\nOptions:${COMMON_HELP}\n`);
  } else {
    fetchNCaltech101(args).then((r) => process.stdout.write(`N-Caltech101 ready in ${r.root}\n${r.caches.join("\n")}\n`))
      .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
  }
}
