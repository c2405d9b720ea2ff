/**
 * `npx tsx data/fetch/official-logs.ts --paper mpe-psn|imp [--commit C] [--from TARBALL|FOLDER] [--root DIR]`
 *
 * The authors' released training logs: GitHub's archive tarball of the paper's repository at a pinned commit,
 * of which only the log files are unpacked (MPE-PSN: `*.log` and `events.out.tfevents.*`; IMP: the ImageNet
 * `in1k/LTS/run.sh` whose comments hold the results) into `<root>/<paper>/<commit>/` (default root
 * `data/raw/official`, git-ignored), with a `manifest.json` listing every file and its sha256.
 *
 * - The tarball's sha256 is recorded beside it after the first download (`<archive>.sha256`) and verified on
 *   every later run; `--from` records the sha256 of the local copy in the manifest (a `git archive` tarball is
 *   not byte-identical to GitHub's, so it is not compared with the recorded one).
 * - `--from FOLDER`: a folder holding the archive under its download name, or a checkout of the repository.
 * - Atomic and resumable: the download resumes its `.part` file; the unpacked folder appears complete or not
 *   at all; a second run verifies the manifest's hashes and stops.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { gunzipSync } from "node:zlib";
import { memoryTar, readMember, tarMembers } from "../../src/lib/data/formats/tar.js";
import { makeDirAtomic, writeFileAtomicSync } from "../../src/lib/util/fs.js";
import { DEFAULT_OFFICIAL_ROOT, officialLogsDir, OFFICIAL_SOURCES, type OfficialPaper, type OfficialSource } from "../../src/figures/official-logs.js";
import { download, hashFile, isMain, parseOptions } from "./common.js";

export { fetchCommand, officialLogsDir, OFFICIAL_SOURCES, type OfficialPaper } from "../../src/figures/official-logs.js";

export interface ManifestFile { path: string; bytes: number; sha256: string }
export interface Manifest {
  paper: string;
  repo: string;
  commit: string;
  archive: { name: string; sha256: string; from: string } | { folder: string };
  files: ManifestFile[];
}

export function archiveName(src: OfficialSource, commit: string): string {
  return `${src.repo.split("/")[1]}-${commit}.tar.gz`;
}

export function archiveUrl(src: OfficialSource, commit: string): string {
  return `https://github.com/${src.repo}/archive/${commit}.tar.gz`;
}

function sha256(b: Uint8Array): string {
  return createHash("sha256").update(b).digest("hex");
}

/** A repository path that stays inside the destination (no absolute paths, no `..`). */
function safePath(p: string, archive: string): string {
  const parts = p.split("/").filter((x) => x !== "" && x !== ".");
  if (p.startsWith("/") || parts.includes("..")) throw new Error(`${archive}: member '${p}' would be written outside the destination folder`);
  return parts.join("/");
}

/** Selected members of a (gzipped) tar, with GitHub's single top folder (`<repo>-<commit>/`) stripped. */
export async function selectFromTarball(bytes: Uint8Array, archive: string, include: (p: string) => boolean): Promise<{ path: string; data: Uint8Array }[]> {
  let tar = bytes;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try { tar = new Uint8Array(gunzipSync(bytes)); } catch (e) { throw new Error(`${archive}: not a valid gzip stream (${(e as Error).message}); delete it and fetch again`); }
  }
  const src = memoryTar(tar);
  const files: { name: string; data: Uint8Array }[] = [];
  const tops = new Set<string>();
  for await (const m of tarMembers(src, archive)) {
    tops.add(m.name.split("/")[0]!);
    if (m.type === "0" || m.type === "7") files.push({ name: safePath(m.name, archive), data: await readMember(src, m, archive) });
  }
  const strip = tops.size === 1 && files.every((f) => f.name.includes("/"));
  return files
    .map((f) => ({ path: strip ? f.name.slice(f.name.indexOf("/") + 1) : f.name, data: f.data }))
    .filter((f) => include(f.path));
}

/** Selected files of a checkout folder (`.git` skipped). */
function selectFromFolder(folder: string, include: (p: string) => boolean): { path: string; data: Uint8Array }[] {
  const out: { path: string; data: Uint8Array }[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name === ".git") continue;
      const full = join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile()) {
        const rel = relative(folder, full).split(sep).join("/");
        if (include(rel)) out.push({ path: rel, data: new Uint8Array(readFileSync(full)) });
      }
    }
  };
  walk(folder);
  return out;
}

/** Verify an unpacked folder against its manifest; returns the manifest or throws naming the first bad file. */
export function verifyUnpacked(dir: string): Manifest {
  const mpath = join(dir, "manifest.json");
  if (!existsSync(mpath)) throw new Error(`${dir}: no manifest.json (not made by official-logs.ts); delete the folder and fetch again`);
  const m = JSON.parse(readFileSync(mpath, "utf8")) as Manifest;
  for (const f of m.files) {
    const p = join(dir, f.path);
    if (!existsSync(p)) throw new Error(`${p}: listed in manifest.json but missing; delete ${dir} and fetch again`);
    const got = sha256(new Uint8Array(readFileSync(p)));
    if (got !== f.sha256) throw new Error(`${p}: sha256 ${got}, manifest says ${f.sha256} (modified or corrupt); delete ${dir} and fetch again`);
  }
  return m;
}

export interface OfficialArgs { paper: OfficialPaper; commit: string; from?: string; root: string; help: boolean }

export function parseOfficialArgs(argv: readonly string[]): OfficialArgs {
  const values = parseOptions("official-logs", argv, {
    paper: { type: "string", expects: Object.keys(OFFICIAL_SOURCES).join(" or ") }, commit: { type: "string", expects: "7 to 40 hex digits of a commit id" },
    from: { type: "string", expects: "a local archive or a folder" }, root: { type: "string", expects: "the folder for the logs" }, help: { type: "boolean", short: "h" },
  });
  if (values.help) return { paper: "mpe-psn", commit: OFFICIAL_SOURCES["mpe-psn"].commit, root: DEFAULT_OFFICIAL_ROOT, help: true };
  const paper = values.paper;
  if (paper === undefined) throw new Error(`official-logs: pass --paper ${Object.keys(OFFICIAL_SOURCES).join("|")}`);
  if (!(paper in OFFICIAL_SOURCES)) throw new Error(`official-logs: --paper must be one of ${Object.keys(OFFICIAL_SOURCES).join(", ")}, got '${paper}'`);
  const commit = values.commit ?? OFFICIAL_SOURCES[paper as OfficialPaper].commit;
  if (!/^[0-9a-f]{7,40}$/.test(commit)) throw new Error(`official-logs: --commit expects 7 to 40 hex digits of a commit id, got '${commit}'`);
  return { paper: paper as OfficialPaper, commit, root: resolve(values.root ?? process.env.SPIKELAB_OFFICIAL ?? DEFAULT_OFFICIAL_ROOT), help: false, ...(values.from ? { from: resolve(values.from) } : {}) };
}

/**
 * Fetch (or take `--from`) and unpack. `fetchImpl` is injectable for tests; `log` receives progress lines.
 * Returns the unpacked folder and its manifest.
 */
export async function fetchOfficialLogs(a: OfficialArgs, opts: { fetchImpl?: typeof fetch; log?: (s: string) => void } = {}): Promise<{ dir: string; manifest: Manifest; reused: boolean }> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const src: OfficialSource = OFFICIAL_SOURCES[a.paper];
  const dir = officialLogsDir(a.paper, a.commit, a.root);
  if (existsSync(dir)) {
    const manifest = verifyUnpacked(dir);
    log(`${dir}: already unpacked, ${manifest.files.length} file(s) verified`);
    return { dir, manifest, reused: true };
  }
  const name = archiveName(src, a.commit);
  let files: { path: string; data: Uint8Array }[];
  let archive: Manifest["archive"];
  const fromDir = a.from && existsSync(a.from) && statSync(a.from).isDirectory();
  if (a.from && !existsSync(a.from)) throw new Error(`--from ${a.from}: no such file or folder`);
  if (fromDir && !existsSync(join(a.from!, name))) {
    files = selectFromFolder(a.from!, src.include);
    archive = { folder: a.from! };
  } else {
    let path: string;
    if (a.from) path = fromDir ? join(a.from, name) : a.from;
    else {
      path = join(a.root, a.paper, "download", name);
      const recorded = `${path}.sha256`;
      await download(archiveUrl(src, a.commit), path, { ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}), log });
      const got = await hashFile(path, "sha256");
      if (existsSync(recorded)) {
        const want = readFileSync(recorded, "utf8").trim();
        if (got !== want) throw new Error(`${path}: sha256 ${got}, recorded ${want} at the first download (${recorded}); the archive changed or is corrupt: delete both and fetch again`);
      } else {
        writeFileAtomicSync(recorded, `${got}\n`);
        log(`${name}: sha256 ${got} recorded in ${recorded}`);
      }
    }
    const bytes = new Uint8Array(readFileSync(path));
    files = await selectFromTarball(bytes, path, src.include);
    archive = { name: basename(path), sha256: sha256(bytes), from: a.from ? path : archiveUrl(src, a.commit) };
  }
  if (!files.length) throw new Error(`${a.from ?? name}: no ${src.what} found (is this ${src.repo}?)`);
  const manifest: Manifest = {
    paper: a.paper, repo: src.repo, commit: a.commit, archive,
    files: files.map((f) => ({ path: f.path, bytes: f.data.length, sha256: sha256(f.data) })).sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0)),
  };
  await mkdir(dirname(dir), { recursive: true });
  await makeDirAtomic(dir, async (tmp) => {
    for (const f of files) {
      const p = join(tmp, f.path);
      await mkdir(dirname(p), { recursive: true });
      await writeFile(p, f.data);
    }
    writeFileSync(join(tmp, "manifest.json"), JSON.stringify(manifest, null, 1));
  });
  log(`${dir}: ${files.length} file(s) unpacked (${src.what})`);
  return { dir, manifest, reused: false };
}

const HELP = `npx tsx data/fetch/official-logs.ts --paper mpe-psn|imp [options]

Unpacks the authors' released logs into <root>/<paper>/<commit>/ (with manifest.json).

Options:
  --paper P        mpe-psn (Chrazqee/MPE-PSN: *.log, events.out.tfevents.*) or imp (StephenTaylor1998/IMP-SNN: in1k/LTS/run.sh)
  --commit C       another commit of the repository (default: the pinned one)
  --from PATH      a local archive (GitHub's tarball, or 'git archive --format=tar.gz' of a clone), a folder
                   holding it under its download name, or a checkout folder; no download
  --root DIR       default data/raw/official (or $SPIKELAB_OFFICIAL)
`;

if (isMain(import.meta.url)) {
  try {
    const a = parseOfficialArgs(process.argv.slice(2));
    if (a.help) process.stdout.write(HELP);
    else {
      fetchOfficialLogs(a).then((r) => process.stdout.write(`${a.paper} logs ready in ${r.dir} (${r.manifest.files.length} files)\n`))
        .catch((e: Error) => { process.stderr.write(`${e.message}\n`); process.exitCode = 1; });
    }
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exitCode = 2;
  }
}
