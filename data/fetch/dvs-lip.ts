/**
 * `npx tsx data/fetch/dvs-lip.ts --from /path/to/DVS-Lip.zip [--root data/raw/dvs-lip]`
 *
 * DVS-Lip is a manual download (the publisher shares one `DVS-Lip.zip` on Google Drive). Steps: verify the
 * md5 (tonic's `2dcb959255122d4cdeb6094ca282494b`) → unpack `DVS-Lip/{train,test}/<word>/<speaker>.npy`
 * into `<root>/extract/` (other entries, e.g. `__MACOSX/`, are skipped). Each file is written to a temp
 * file and renamed after its size and CRC-32 check, and a marker file stays in `extract/` until every
 * entry is done, so an interrupted run leaves no half-written `.npy` and resumes where it stopped; the
 * dataset refuses a folder whose marker is still there. The zip is read where it is (not copied).
 * Frames are built (and cached) by the item that trains, not here.
 */
import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { DVS_LIP_INCOMPLETE } from "../../src/lib/data/datasets/dvs-lip.js";
import { extractZip } from "../../src/lib/data/formats/zip.js";
import { writeFileAtomicSync } from "../../src/lib/util/fs.js";
import { isMain, parseOptions, verifyMd5 } from "./common.js";

export const DVS_LIP_ARCHIVE = "DVS-Lip.zip";
/** md5 of the published archive (tonic `DVSLip.file_md5`, SpikingJelly `DVSLip.resource_url_md5`). */
export const DVS_LIP_MD5 = "2dcb959255122d4cdeb6094ca282494b";
export const DVS_LIP_URL = "https://sites.google.com/view/event-based-lipreading";
/** Stamp written when the extraction finished (holds the archive md5 and file count). */
export const DVS_LIP_STAMP = ".extracted-DVS-Lip.zip";

export const DVS_LIP_MANUAL = `DVS-Lip must be downloaded by hand:
  1. open ${DVS_LIP_URL} (the page links the Google Drive file)
  2. download ${DVS_LIP_ARCHIVE} (md5 ${DVS_LIP_MD5})
  3. run: npx tsx data/fetch/dvs-lip.ts --from /path/to/${DVS_LIP_ARCHIVE}`;

const HELP = `${DVS_LIP_MANUAL}

Options:
  --from PATH    the downloaded DVS-Lip.zip, or a folder holding it
  --root DIR     dataset folder (default data/raw/dvs-lip); files go to DIR/extract/DVS-Lip/
  --skip-md5     do not verify the archive md5 (prints a warning; for local test archives only)
  --help`;

export interface DvsLipFetchArgs {
  root: string;
  from?: string;
  skipMd5: boolean;
  help: boolean;
}

export function parseDvsLipArgs(argv: string[]): DvsLipFetchArgs {
  const v = parseOptions("dvs-lip", argv, {
    from: { type: "string", expects: "DVS-Lip.zip, or a folder holding it" }, root: { type: "string", expects: "the dataset folder" },
    "skip-md5": { type: "boolean" }, help: { type: "boolean", short: "h" },
  });
  return {
    root: resolve(v.root ?? join("data", "raw", "dvs-lip")),
    ...(v.from ? { from: resolve(v.from) } : {}),
    skipMd5: v["skip-md5"] ?? false,
    help: v.help ?? false,
  };
}

/** `DVS-Lip/<split>/<word>/<file>.npy` → the same relative path; anything else → null. */
export function dvsLipEntryPath(name: string): string | null {
  const m = /^DVS-Lip\/(train|test)\/([^/]+)\/([^/]+\.npy)$/.exec(name);
  if (!m || m[2]!.startsWith(".") || m[3]!.startsWith(".") || m[2] === ".." || m[3] === "..") return null;
  return `DVS-Lip/${m[1]}/${m[2]}/${m[3]}`;
}

export interface DvsLipFetchResult {
  /** The `extract/` folder (pass it as the dataset root). */
  root: string;
  written: number;
  skipped: number;
  words: { train: number; test: number };
}

/** Verify and unpack; `md5` is injectable for tests. Throws the manual step when the zip is missing. */
export async function fetchDvsLip(args: DvsLipFetchArgs, opts: { md5?: string; log?: (s: string) => void } = {}): Promise<DvsLipFetchResult> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const extract = join(args.root, "extract");
  const stamp = join(extract, DVS_LIP_STAMP);
  const count = (split: string) => { const d = join(extract, "DVS-Lip", split); return existsSync(d) ? readdirSync(d).filter((w) => statSync(join(d, w)).isDirectory()).length : 0; };
  if (!args.from) {
    if (existsSync(stamp)) return { root: extract, written: 0, skipped: 0, words: { train: count("train"), test: count("test") } };
    throw new Error(`${DVS_LIP_ARCHIVE} was not given (--from) and ${extract} holds no finished extraction.\n${DVS_LIP_MANUAL}`);
  }
  const isDir = existsSync(args.from) && statSync(args.from).isDirectory();
  const zip = isDir ? join(args.from, DVS_LIP_ARCHIVE) : args.from;
  if (!existsSync(zip)) throw new Error(`--from ${args.from}: ${isDir ? `${DVS_LIP_ARCHIVE} is not in this folder` : "no such file"}.\n${DVS_LIP_MANUAL}`);
  const md5 = opts.md5 ?? DVS_LIP_MD5;
  if (args.skipMd5) log(`WARNING: md5 check of ${zip} skipped (--skip-md5)`);
  else {
    log(`${zip}: verifying md5…`);
    await verifyMd5(zip, md5);
  }
  const marker = join(extract, DVS_LIP_INCOMPLETE);
  writeFileAtomicSync(marker, `extraction of ${zip} started ${new Date().toISOString()}\n`);
  rmSync(stamp, { force: true });
  let done = 0, ignored = 0;
  const r = await extractZip(zip, {
    target: (e) => {
      const rel = dvsLipEntryPath(e.name);
      if (rel === null) { ignored++; return null; }
      return join(extract, rel);
    },
    onEntry: () => { if (++done % 2000 === 0) log(`${done} files unpacked`); },
  });
  if (r.written + r.skipped === 0) throw new Error(`${zip}: no DVS-Lip/{train,test}/<word>/<speaker>.npy entries; is this the DVS-Lip archive?`);
  writeFileAtomicSync(stamp, JSON.stringify({ archive: zip, md5: args.skipMd5 ? null : md5, files: r.written + r.skipped, ignoredEntries: ignored, finished: new Date().toISOString() }, null, 1));
  rmSync(marker, { force: true });
  const words = { train: count("train"), test: count("test") };
  log(`DVS-Lip: ${r.written} files written, ${r.skipped} already there, ${ignored} other entries ignored; ${words.train} train / ${words.test} test words`);
  return { root: extract, written: r.written, skipped: r.skipped, words };
}

if (isMain(import.meta.url)) {
  try {
    const args = parseDvsLipArgs(process.argv.slice(2));
    if (args.help) process.stdout.write(`${HELP}\n`);
    else {
      fetchDvsLip(args).then((r) => process.stdout.write(`DVS-Lip ready in ${r.root}\n`))
        .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 1;
  }
}

