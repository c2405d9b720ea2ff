/**
 * Shared pieces of the `data/fetch/*` commands: argument parsing (`node:util` `parseArgs` with errors naming
 * the option and what it expects), resumable download (HTTP Range on a
 * `.part` file), md5 verification, archive extraction with the system `tar` / `unzip` (no npm
 * dependency; a clear error names the missing tool), and stamp files that make every step resumable.
 *
 * Folder layout under `--root <dir>` (default `data/raw/<name>`, git-ignored), mirroring SpikingJelly's
 * `download/` → `extract/` (events-and-parity §1.6); frames go to `--cache <dir>` (default `data/cache/<name>`).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync, readFileSync, copyFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { basename, join, resolve } from "node:path";
import { parseArgs } from "node:util";

/** One option of a fetch command: `node:util` `parseArgs`'s config plus what its value is, for error messages. */
export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  /** What the value must be, e.g. "a folder" (string options). */
  expects?: string;
}

type OptionValues<O extends Record<string, OptionSpec>> = { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean };

/**
 * `node:util` `parseArgs` (strict, no positionals) with errors that name the command, the bad option and
 * what was expected: an unknown option lists the accepted ones, a missing value says what the value is.
 */
export function parseOptions<O extends Record<string, OptionSpec>>(name: string, argv: readonly string[], options: O): OptionValues<O> {
  const config = Object.fromEntries(Object.entries(options).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
  try {
    return parseArgs({ args: [...argv], options: config, strict: true, allowPositionals: false }).values as OptionValues<O>;
  } catch (e) {
    const err = e as Error & { code?: string };
    const quoted = /'([^']+)'/.exec(err.message)?.[1] ?? "";
    const flag = quoted.replace(/ <value>$/, "");
    const spec = options[flag.replace(/^--/, "")];
    const accepted = Object.entries(options).map(([k, o]) => `--${k}${o.type === "string" ? " <value>" : ""}`).join(", ");
    if (err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") throw new Error(`${name}: Unknown option '${flag}'; expected one of ${accepted} (try --help)`);
    if (err.code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") throw new Error(`${name}: Unexpected argument '${flag}'; every argument is an option, one of ${accepted} (try --help)`);
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE" && spec?.type === "boolean") throw new Error(`${name}: ${flag} takes no value`);
    if (err.code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
      const dashed = /ambiguous/.test(err.message) ? ` (the next argument starts with '-'; write ${flag}=<value> if that is the value)` : "";
      throw new Error(`${name}: ${flag} needs a value${spec?.expects ? `: ${spec.expects}` : ""}${dashed}`);
    }
    throw new Error(`${name}: ${err.message} (try --help)`);
  }
}

export interface FetchArgs {
  root: string;
  from?: string;
  cache: string;
  frames: number[];
  splitBy: "number" | "time";
  convert: boolean;
  skipMd5: boolean;
  help: boolean;
}

/** The options every frame-producing fetch command takes (`parseFetchArgs`; extend it for a command's own). */
export const FETCH_OPTIONS = {
  root: { type: "string", expects: "the raw dataset folder" },
  from: { type: "string", expects: "an archive, or a folder holding the archives" },
  cache: { type: "string", expects: "the frame cache folder" },
  frames: { type: "string", expects: "positive frame counts like 10,16" },
  "split-by": { type: "string", expects: "'number' or 'time'" },
  "no-convert": { type: "boolean" },
  "skip-md5": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies Record<string, OptionSpec>;

/** `FetchArgs` from parsed `FETCH_OPTIONS` values; `root` defaults to `data/raw/<rootName>`. */
export function fetchArgsFrom(v: OptionValues<typeof FETCH_OPTIONS>, name: string, defaultFrames: number[], rootName = name): FetchArgs {
  const a: FetchArgs = {
    root: resolve(v.root ?? join("data", "raw", rootName)), cache: resolve(v.cache ?? join("data", "cache", name)), frames: defaultFrames,
    splitBy: "number", convert: !v["no-convert"], skipMd5: v["skip-md5"] ?? false, help: v.help ?? false,
    ...(v.from !== undefined ? { from: resolve(v.from) } : {}),
  };
  if (v.frames !== undefined) {
    a.frames = v.frames.split(",").map(Number);
    if (a.frames.some((t) => !Number.isInteger(t) || t <= 0)) throw new Error(`${name}: --frames expects positive integers like 10,16, got '${v.frames}'`);
  }
  if (v["split-by"] !== undefined) {
    if (v["split-by"] !== "number" && v["split-by"] !== "time") throw new Error(`${name}: --split-by must be 'number' or 'time', got '${v["split-by"]}'`);
    a.splitBy = v["split-by"];
  }
  return a;
}

/** A command's argument parsing at its entry point: a bad argument prints its message (no stack) and exits 2. */
export function parseOrExit<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(2);
  }
}

/** Parse `--root`, `--from`, `--cache`, `--frames 10,16`, `--split-by`, `--no-convert`, `--skip-md5`, `--help`. */
export function parseFetchArgs(argv: readonly string[], name: string, defaultFrames: number[]): FetchArgs {
  return fetchArgsFrom(parseOptions(name, argv, FETCH_OPTIONS), name, defaultFrames);
}

export const COMMON_HELP = `
  --root DIR        raw dataset folder (default data/raw/<name>); holds download/ and extract/
  --from PATH       use an already downloaded archive (or a folder holding the archives) instead of downloading
  --cache DIR       frame cache folder (default data/cache/<name>)
  --frames T[,T2]   frame counts to precompute (split by number unless --split-by time)
  --split-by MODE   number (default) or time
  --no-convert      stop after extraction
  --skip-md5        do not verify checksums (prints a warning; for local test archives only)`;

/** Streaming hex digest of a file. */
export async function hashFile(path: string, algorithm: "md5" | "sha256"): Promise<string> {
  const h = createHash(algorithm);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** Streaming md5 of a file. */
export async function md5File(path: string): Promise<string> {
  return hashFile(path, "md5");
}

/** Throw unless the md5 of `path` is `expected`. */
export async function verifyMd5(path: string, expected: string): Promise<void> {
  const got = await md5File(path);
  if (got !== expected.toLowerCase()) {
    throw new Error(`${path}: md5 ${got}, expected ${expected}. The file is corrupt or not the published archive; ` +
      `delete it and download again (or pass --skip-md5 for a local test archive).`);
  }
}

/**
 * Download `url` to `dest`, resuming a previous `.part` with an HTTP Range request; verify md5 if given.
 * `fetchImpl` is injectable for tests.
 */
export async function download(
  url: string, dest: string, opts: { md5?: string; fetchImpl?: typeof fetch; log?: (s: string) => void } = {},
): Promise<void> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  if (existsSync(dest)) {
    if (opts.md5) await verifyMd5(dest, opts.md5);
    log(`${basename(dest)}: already downloaded`);
    return;
  }
  mkdirSync(resolve(dest, ".."), { recursive: true });
  const part = `${dest}.part`;
  const have = existsSync(part) ? statSync(part).size : 0;
  const f = opts.fetchImpl ?? fetch;
  const res = await f(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {}, redirect: "follow" });
  if (!res.ok && res.status !== 206) throw new Error(`download ${url}: HTTP ${res.status} ${res.statusText}`);
  const append = have > 0 && res.status === 206;
  if (have > 0 && !append) log(`${basename(dest)}: server ignored the Range request; restarting`);
  const total = Number(res.headers.get("content-length") ?? 0) + (append ? have : 0);
  const fh = await open(part, append ? "a" : "w");
  let got = append ? have : 0;
  let lastPct = -10;
  try {
    if (!res.body) throw new Error(`download ${url}: empty response body`);
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      await fh.write(chunk);
      got += chunk.length;
      const pct = total > 0 ? Math.floor((100 * got) / total) : 0;
      if (pct >= lastPct + 10) { log(`${basename(dest)}: ${pct}% (${(got / 1e6).toFixed(1)} MB)`); lastPct = pct; }
    }
  } finally {
    await fh.close();
  }
  if (opts.md5) await verifyMd5(part, opts.md5);
  renameSync(part, dest);
}

/** Throw a helpful error if a system tool is missing. */
export function requireTool(tool: string, why: string): void {
  const r = spawnSync(tool, tool === "unzip" ? ["-v"] : ["--version"], { stdio: "ignore" });
  if (r.error) {
    throw new Error(`'${tool}' was not found on PATH; it is needed to ${why}. Install it (Debian/Ubuntu: apt-get install ${tool}) ` +
      `or extract the archive yourself into the extract/ folder and run this command again.`);
  }
}

/** Extract a .zip / .tar.gz / .tgz / .tar archive into `dest` (created). Resumable via a stamp file. */
export function extractArchive(archive: string, dest: string): void {
  const stamp = join(dest, `.extracted-${basename(archive)}`);
  if (existsSync(stamp)) return;
  mkdirSync(dest, { recursive: true });
  const lower = archive.toLowerCase();
  let r;
  if (lower.endsWith(".zip")) {
    requireTool("unzip", `extract ${basename(archive)}`);
    r = spawnSync("unzip", ["-q", "-o", archive, "-d", dest], { encoding: "utf8" });
  } else if (lower.endsWith(".tar.gz") || lower.endsWith(".tgz") || lower.endsWith(".tar")) {
    requireTool("tar", `extract ${basename(archive)}`);
    r = spawnSync("tar", [lower.endsWith(".tar") ? "-xf" : "-xzf", archive, "-C", dest], { encoding: "utf8" });
  } else {
    throw new Error(`${archive}: unknown archive type, expected .zip, .tar.gz, .tgz or .tar`);
  }
  if (r.status !== 0) throw new Error(`extracting ${archive} failed (exit ${r.status}): ${(r.stderr || "").trim()}`);
  writeFileSync(stamp, new Date().toISOString());
}

/**
 * Put `name` into `downloadDir`: from `--from` (a file, or a folder holding it) if given, else by
 * downloading `url`; a manual-download dataset (`url` undefined) prints `manual` and throws.
 */
export async function obtain(
  name: string, downloadDir: string, args: FetchArgs, src: { url?: string; md5?: string; manual?: string },
): Promise<string> {
  const dest = join(downloadDir, name);
  const md5 = args.skipMd5 ? undefined : src.md5;
  if (args.skipMd5 && src.md5) process.stderr.write(`WARNING: md5 check of ${name} skipped (--skip-md5)\n`);
  if (args.from) {
    const isDir = existsSync(args.from) && statSync(args.from).isDirectory();
    const cand = isDir ? join(args.from, name) : args.from;
    if (!existsSync(cand)) throw new Error(`--from ${args.from}: ${isDir ? `${name} is not in this folder` : "no such file"}`);
    if (md5) await verifyMd5(cand, md5);
    if (resolve(cand) !== resolve(dest)) {
      mkdirSync(downloadDir, { recursive: true });
      if (!existsSync(dest)) copyFileSync(cand, dest);
    }
    return dest;
  }
  if (existsSync(dest)) {
    if (md5) await verifyMd5(dest, md5);
    return dest;
  }
  if (!src.url) throw new Error(src.manual ?? `${name} must be downloaded manually`);
  await download(src.url, dest, { md5 });
  return dest;
}

/** Remove a folder if it exists (for tests and --clean). */
export function removeDir(path: string): void {
  rmSync(path, { recursive: true, force: true });
}

/** True when the module is run as a script (`npx tsx data/fetch/x.ts`). */
export function isMain(metaUrl: string): boolean {
  const arg = process.argv[1];
  if (!arg) return false;
  try { return resolve(arg) === resolve(new URL(metaUrl).pathname); } catch { return false; }
}

/** Read a small JSON file or return `undefined`. */
export function readJsonMaybe<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as T) : undefined;
}
