// data/fetch/official-logs.ts on archives made here (system tar over files the project's writers produce):
// --from a tarball, a folder holding it and a checkout; only logs unpacked; manifest verified on reuse;
// a recorded archive sha256 checked after a (mocked) download; bad arguments; members escaping the folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { archiveName, fetchOfficialLogs, OFFICIAL_SOURCES, parseOfficialArgs, type OfficialArgs } from "../../data/fetch/official-logs.js";
import { encodeEventFile } from "../../src/lib/logs/tfevents.js";

const COMMIT = OFFICIAL_SOURCES["mpe-psn"].commit;
const FILES: Record<string, string | Uint8Array> = {
  "README.md": "# repo\n",
  "cifar10dvs/train.py": "print('x')\n",
  "cifar10dvs/T4_run.log": "[2024-09-02 00:38:26,771][train_vgg.py][line:315][INFO] start training!\n",
  "cifar10dvs/logs/run/logs/events.out.tfevents.1725208706.host.1.0": encodeEventFile([{ step: 0, wallTime: 1, scalars: [{ tag: "test_acc", value: 50 }] }]),
};
const SELECTED = ["cifar10dvs/T4_run.log", "cifar10dvs/logs/run/logs/events.out.tfevents.1725208706.host.1.0"];

let work = "";
afterEach(() => { if (work) rmSync(work, { recursive: true, force: true }); });

function writeTree(root: string): void {
  for (const [p, d] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), d);
  }
}

function sh(cwd: string, ...args: string[]): void {
  const r = spawnSync("tar", args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** A tarball laid out like GitHub's archive: everything under `<repo>-<commit>/`. */
function githubLikeTarball(): string {
  work = mkdtempSync(join(tmpdir(), "official-logs-"));
  const top = `MPE-PSN-${COMMIT}`;
  writeTree(join(work, "src", top));
  const tarball = join(work, archiveName(OFFICIAL_SOURCES["mpe-psn"], COMMIT));
  sh(join(work, "src"), "-czf", tarball, top);
  return tarball;
}

const args = (over: Partial<OfficialArgs>): OfficialArgs => ({ paper: "mpe-psn", commit: COMMIT, root: join(work, "official"), help: false, ...over });
const quiet = { log: () => {} };

describe("official-logs fetch", () => {
  it("--from a GitHub-like tarball unpacks only the logs, with a manifest of sha256s; a second run verifies and reuses", async () => {
    const tarball = githubLikeTarball();
    const r = await fetchOfficialLogs(args({ from: tarball }), quiet);
    expect(r.reused).toBe(false);
    expect(r.dir).toBe(join(work, "official", "mpe-psn", COMMIT));
    expect(r.manifest.files.map((f) => f.path)).toEqual(SELECTED);
    for (const p of SELECTED) expect(readFileSync(join(r.dir, p))).toEqual(Buffer.from(FILES[p]!));
    expect(existsSync(join(r.dir, "README.md"))).toBe(false);
    expect(r.manifest.archive).toMatchObject({ name: archiveName(OFFICIAL_SOURCES["mpe-psn"], COMMIT) });
    const again = await fetchOfficialLogs(args({ from: tarball }), quiet);
    expect(again.reused).toBe(true);
    writeFileSync(join(r.dir, SELECTED[0]!), "tampered");
    await expect(fetchOfficialLogs(args({ from: tarball }), quiet)).rejects.toThrow(/T4_run\.log: sha256 [0-9a-f]{64}, manifest says [0-9a-f]{64} \(modified or corrupt\)/);
  });
  it("--from a folder holding the archive, and --from a checkout folder, give the same files", async () => {
    const tarball = githubLikeTarball();
    const a = await fetchOfficialLogs(args({ from: dirname(tarball), root: join(work, "a") }), quiet);
    const checkout = join(work, "checkout");
    writeTree(checkout);
    mkdirSync(join(checkout, ".git"));
    writeFileSync(join(checkout, ".git", "x.log"), "not a log of the repo");
    const b = await fetchOfficialLogs(args({ from: checkout, root: join(work, "b") }), quiet);
    expect(b.manifest.files).toEqual(a.manifest.files);
    expect(b.manifest.archive).toEqual({ folder: checkout });
  });
  it("a download records the archive's sha256; a later changed archive is refused", async () => {
    const tarball = githubLikeTarball();
    const bytes = readFileSync(tarball);
    const urls: string[] = [];
    const fetchImpl = (async (url: string) => { urls.push(url); return new Response(bytes, { status: 200, headers: { "content-length": String(bytes.length) } }); }) as unknown as typeof fetch;
    const r = await fetchOfficialLogs(args({}), { ...quiet, fetchImpl });
    expect(urls).toEqual([`https://github.com/Chrazqee/MPE-PSN/archive/${COMMIT}.tar.gz`]);
    const archive = join(work, "official", "mpe-psn", "download", archiveName(OFFICIAL_SOURCES["mpe-psn"], COMMIT));
    expect(readFileSync(`${archive}.sha256`, "utf8").trim()).toBe((r.manifest.archive as { sha256: string }).sha256);
    rmSync(r.dir, { recursive: true });
    writeFileSync(archive, Buffer.concat([bytes, Buffer.from([0])]));
    await expect(fetchOfficialLogs(args({}), { ...quiet, fetchImpl })).rejects.toThrow(/sha256 [0-9a-f]{64}, recorded [0-9a-f]{64} at the first download/);
    expect(existsSync(r.dir)).toBe(false); // nothing half-unpacked
  });
  it("an archive without logs, a member escaping the folder and a missing --from are errors naming the path", async () => {
    work = mkdtempSync(join(tmpdir(), "official-logs-"));
    mkdirSync(join(work, "in", "sub"), { recursive: true });
    writeFileSync(join(work, "in", "README.md"), "x");
    sh(join(work, "in"), "-czf", join(work, "none.tar.gz"), "README.md");
    await expect(fetchOfficialLogs(args({ from: join(work, "none.tar.gz") }), quiet)).rejects.toThrow(/none\.tar\.gz: no \*\.log and events\.out\.tfevents\.\* files found/);
    writeFileSync(join(work, "evil.log"), "x");
    sh(join(work, "in", "sub"), "-czPf", join(work, "evil.tar.gz"), "../../evil.log");
    await expect(fetchOfficialLogs(args({ from: join(work, "evil.tar.gz") }), quiet)).rejects.toThrow(/evil\.tar\.gz: member '\.\.\/\.\.\/evil\.log' would be written outside/);
    await expect(fetchOfficialLogs(args({ from: join(work, "nope.tar.gz") }), quiet)).rejects.toThrow(/--from .*nope\.tar\.gz: no such file or folder/);
  });
  it("arguments: --paper required and checked, --commit checked, unknown options refused", () => {
    expect(() => parseOfficialArgs([])).toThrow(/pass --paper mpe-psn\|imp/);
    expect(() => parseOfficialArgs(["--paper", "x"])).toThrow(/--paper must be one of mpe-psn, imp, got 'x'/);
    expect(() => parseOfficialArgs(["--paper", "mpe-psn", "--commit", "main"])).toThrow(/7 to 40 hex digits/);
    expect(() => parseOfficialArgs(["--paper", "mpe-psn", "--bogus"])).toThrow(/official-logs: Unknown option '--bogus'; expected one of --paper <value>, --commit <value>/);
    expect(() => parseOfficialArgs(["--paper"])).toThrow("official-logs: --paper needs a value: mpe-psn or imp");
    expect(parseOfficialArgs(["--paper", "imp", "--commit", "94734ce"])).toMatchObject({ paper: "imp", commit: "94734ce" });
  });
});
