/**
 * `npx tsx data/fetch/shd.ts [--from <file or folder>] [--root data/raw/shd] [--mirror compneuro]`
 *
 * Spiking Heidelberg Digits (mul-free Table 2, issue #19): `shd_train.h5.gz` and `shd_test.h5.gz` from the
 * publisher (zenkelab.org, mirror compneuro.net) → md5 check → gunzip to `<root>/extract/shd_{train,test}.h5`.
 * Every step is skipped when done: the download resumes a `.part` file (HTTP Range), the gunzip writes a temp file
 * renamed into place only when complete and checked against the HDF5 superblock's end-of-file address, so an
 * interrupted run never leaves a half-written `.h5`. `--from` takes the `.gz` archives (a file or a folder holding
 * them) instead of downloading. The md5s are tonic's; when the publisher's `md5sums.txt` is reachable they are
 * compared with it and a disagreement stops the fetch.
 */
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { hdf5StoredEof } from "../../src/lib/data/formats/hdf5.js";
import { isMain, obtain, parseOptions, type FetchArgs } from "./common.js";

export const SHD_MIRRORS = { zenkelab: "https://zenkelab.org/datasets/", compneuro: "https://compneuro.net/datasets/" } as const;
/** md5 of the published archives (tonic `tonic.datasets.SHD`). */
export const SHD_ARCHIVES = [
  { name: "shd_train.h5.gz", md5: "f3252aeb598ac776c1b526422d90eecb" },
  { name: "shd_test.h5.gz", md5: "1503a5064faa34311c398fb0a1ed0a6f" },
] as const;

export const SHD_HELP = `Fetch the Spiking Heidelberg Digits (SHD) into <root>/extract/shd_{train,test}.h5.

  npx tsx data/fetch/shd.ts                       download from zenkelab.org (≈ 0.2 GB) and gunzip
  npx tsx data/fetch/shd.ts --from ~/Downloads    use shd_train.h5.gz / shd_test.h5.gz from a folder (or one file)

Options:
  --root DIR        dataset folder (default data/raw/shd); holds download/ and extract/
  --from PATH       an archive, or a folder holding the archives, instead of downloading
  --mirror NAME     zenkelab (default) or compneuro
  --skip-md5        do not verify checksums (prints a warning; for local test archives only)
  --help            this text`;

export interface ShdFetchArgs {
  root: string;
  from?: string;
  mirror: keyof typeof SHD_MIRRORS;
  skipMd5: boolean;
  help: boolean;
}

export function parseShdArgs(argv: string[]): ShdFetchArgs {
  const values = parseOptions("shd", argv, {
    root: { type: "string", expects: "the dataset folder" }, from: { type: "string", expects: "an archive, or a folder holding the archives" },
    mirror: { type: "string", expects: Object.keys(SHD_MIRRORS).join(" or ") }, "skip-md5": { type: "boolean" }, help: { type: "boolean", short: "h" },
  });
  const mirror = values.mirror ?? "zenkelab";
  if (!(mirror in SHD_MIRRORS)) throw new Error(`shd: --mirror must be one of ${Object.keys(SHD_MIRRORS).join(", ")}, got '${mirror}'`);
  return { root: resolve(values.root ?? join("data", "raw", "shd")), ...(values.from ? { from: resolve(values.from) } : {}), mirror: mirror as ShdFetchArgs["mirror"], skipMd5: values["skip-md5"] ?? false, help: values.help ?? false };
}

/** Parse an `md5sums.txt` ("<md5>  <name>" per line) into name → md5. */
export function parseMd5Sums(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const r = /^([0-9a-f]{32})\s+\*?(\S+)\s*$/i.exec(line.trim());
    if (r) m.set(basename(r[2]!), r[1]!.toLowerCase());
  }
  return m;
}

/** Throw when the publisher's list disagrees with ours; returns what was checked. */
export function crossCheckMd5s(published: Map<string, string>): string[] {
  const checked: string[] = [];
  for (const a of SHD_ARCHIVES) {
    const p = published.get(a.name);
    if (!p) continue;
    if (p !== a.md5) throw new Error(`${a.name}: the publisher's md5sums.txt lists ${p}, spikelab expects ${a.md5} (tonic). The archive was re-released or the list is wrong; check before training and update SHD_ARCHIVES.`);
    checked.push(a.name);
  }
  return checked;
}

/** Gunzip `gz` to `out` atomically (temp file + rename) and check the result's size against its superblock. */
export async function gunzipHdf5(gz: string, out: string): Promise<void> {
  const tmp = `${out}.part`;
  rmSync(tmp, { force: true });
  try {
    await pipeline(createReadStream(gz), createGunzip(), createWriteStream(tmp));
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`${gz}: gunzip failed (${(e as Error).message}); the archive is damaged — delete it and fetch again`);
  }
  const problem = hdf5Incomplete(tmp);
  if (problem) { rmSync(tmp, { force: true }); throw new Error(`${gz}: decompressed file ${problem}`); }
  renameSync(tmp, out);
}

/** Why `file` is not a complete HDF5 file, or null when its size equals the superblock's end-of-file address. */
export function hdf5Incomplete(file: string): string | null {
  const size = statSync(file).size;
  const head = new Uint8Array(Math.min(size, 4096));
  const fd = openSync(file, "r");
  try { readSync(fd, head, 0, head.length, 0); } finally { closeSync(fd); }
  try {
    const sb = hdf5StoredEof(head, file);
    return sb.superblockAt + sb.eof > size ? `is truncated: ${size} bytes, the superblock says ${sb.superblockAt + sb.eof}` : null;
  } catch (e) {
    return `is not HDF5: ${(e as Error).message}`;
  }
}

export async function fetchShd(a: ShdFetchArgs, log: (s: string) => void = (s) => process.stderr.write(`${s}\n`), fetchImpl: typeof fetch = fetch): Promise<{ files: string[] }> {
  const base = SHD_MIRRORS[a.mirror];
  if (!a.from && !a.skipMd5) {
    try {
      const res = await fetchImpl(`${base}md5sums.txt`);
      if (res.ok) log(`md5sums.txt: cross-checked ${crossCheckMd5s(parseMd5Sums(await res.text())).join(", ") || "nothing (no matching names)"}`);
      else log(`md5sums.txt: HTTP ${res.status}; using the built-in md5s`);
    } catch (e) {
      if ((e as Error).message.includes("md5sums.txt lists")) throw e;
      log(`md5sums.txt not reachable (${(e as Error).message}); using the built-in md5s`);
    }
  }
  const common: FetchArgs = { root: a.root, ...(a.from ? { from: a.from } : {}), cache: "", frames: [], splitBy: "number", convert: false, skipMd5: a.skipMd5, help: false };
  const files: string[] = [];
  for (const arc of SHD_ARCHIVES) {
    const out = join(a.root, "extract", arc.name.replace(/\.gz$/, ""));
    if (existsSync(out) && !hdf5Incomplete(out)) { log(`${basename(out)}: already extracted`); files.push(out); continue; }
    // --from with a single archive names only one of the two files: take the other from beside it.
    const from = a.from && existsSync(a.from) && !statSync(a.from).isDirectory() && basename(a.from) !== arc.name ? join(a.from, "..") : a.from;
    const gz = await obtain(arc.name, join(a.root, "download"), { ...common, ...(from ? { from } : {}) }, { url: `${base}${arc.name}`, md5: arc.md5 });
    log(`${arc.name}: gunzip → ${out}`);
    mkdirSync(join(a.root, "extract"), { recursive: true });
    await gunzipHdf5(gz, out);
    files.push(out);
  }
  return { files };
}

if (isMain(import.meta.url)) {
  let args: ShdFetchArgs;
  try { args = parseShdArgs(process.argv.slice(2)); } catch (e) { process.stderr.write(`${(e as Error).message}\n\n${SHD_HELP}\n`); process.exit(2); }
  if (args.help) process.stdout.write(`${SHD_HELP}\n`);
  else {
    fetchShd(args).then((r) => process.stdout.write(`SHD ready:\n${r.files.join("\n")}\n`))
      .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
  }
}
