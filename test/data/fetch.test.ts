// data/fetch/*: --from on synthetic archives built here with the system tar/zip, md5 mismatch, resume.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { download, md5File, parseFetchArgs } from "../../data/fetch/common.js";
import { fetchCifar10Dvs } from "../../data/fetch/cifar10-dvs.js";
import { fetchDvsGesture } from "../../data/fetch/dvs-gesture.js";
import { fetchNCaltech101 } from "../../data/fetch/ncaltech101.js";
import { openFrameCache } from "../../src/lib/data/cache.js";
import { CIFAR10_DVS_CLASSES } from "../../src/lib/data/datasets/cifar10-dvs.js";
import { generateCifar10Dvs, generateDvsGesture, generateNCaltech101 } from "../../src/lib/data/synthetic.js";
import { tmp } from "./helpers.js";

function sh(cwd: string, cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
}
const args = (root: string, from: string, extra: string[] = []) =>
  parseFetchArgs(["--root", root, "--cache", join(root, "cache"), "--from", from, "--frames", "2", ...extra], "t", [10]);

describe("data/fetch", () => {
  it("N-Caltech101: md5 mismatch is reported; with --skip-md5 the zip is extracted and cached; a rerun hits", async () => {
    const work = tmp();
    await generateNCaltech101(work, { classes: ["Faces_easy", "accordion"], perClass: 10, durationUs: 10_000 });
    sh(work, "zip", ["-qr", "Caltech101.zip", "Caltech101"]);
    const zip = join(work, "Caltech101.zip");
    const root = join(work, "ds");
    await expect(fetchNCaltech101(args(root, zip))).rejects.toThrow(/Caltech101\.zip: md5 [0-9a-f]{32}, expected 66201824eabb0239c7ab992480b50ba3/);
    expect(existsSync(join(root, "extract"))).toBe(false);
    const r = await fetchNCaltech101(args(root, zip, ["--skip-md5"]));
    expect(r.caches.length).toBe(2);
    const train = await openFrameCache(r.caches[0]!);
    const test = await openFrameCache(r.caches[1]!);
    expect([train!.length, test!.length]).toEqual([18, 2]);
    expect((await train!.get(0)).frames.shape).toEqual([2, 2, 180, 240]);
    const again = await fetchNCaltech101(args(root, zip, ["--skip-md5"]));
    expect(again.caches).toEqual(r.caches);
  });
  it("DVS Gesture from a .tar.gz", async () => {
    const work = tmp();
    await generateDvsGesture(work, { trainUsers: [1], testUsers: [24], classes: [1, 5, 11] });
    sh(work, "tar", ["-czf", "DvsGesture.tar.gz", "DvsGesture"]);
    const r = await fetchDvsGesture(args(join(work, "ds"), join(work, "DvsGesture.tar.gz"), ["--skip-md5"]));
    const tr = await openFrameCache(r.caches[0]!);
    const te = await openFrameCache(r.caches[1]!);
    expect([tr!.length, te!.length]).toEqual([3, 3]);
    expect([...tr!.labels()]).toEqual([0, 4, 10]);
  });
  it("CIFAR10-DVS from a folder of 10 class zips (nested class folder flattened), TEBN split", async () => {
    const work = tmp();
    const gen = join(work, "gen");
    await generateCifar10Dvs(gen, { perClass: 2, durationUs: 5_000 });
    const zips = join(work, "zips");
    mkdirSync(zips);
    for (const c of CIFAR10_DVS_CLASSES) sh(gen, "zip", ["-qr", join(zips, `${c}.zip`), c]);
    await expect(fetchCifar10Dvs(args(join(work, "ds"), zips, ["--no-convert"]))).rejects.toThrow(/airplane\.zip: md5 .* expected 0afd5c4bf9ae06af762a77b180354fdd/);
    const r = await fetchCifar10Dvs(args(join(work, "ds"), zips, ["--skip-md5"]));
    expect(existsSync(join(r.root, "truck", "cifar10_truck_1.aedat"))).toBe(true);
    const te = await openFrameCache(r.caches[1]!);
    expect(te!.length).toBe(20); // files 0 and 1 < 100 → all test under TEBN
  });
  it("download resumes a .part file with a Range request and verifies md5", async () => {
    const dir = tmp();
    const body = new Uint8Array(1000).map((_, i) => i % 251);
    const md5 = createHash("md5").update(body).digest("hex");
    const dest = join(dir, "a.zip");
    writeFileSync(`${dest}.part`, body.subarray(0, 400));
    let range = "";
    const fake = (async (_url: string, init?: RequestInit) => {
      range = (init?.headers as Record<string, string>).Range ?? "";
      const from = Number(/bytes=(\d+)-/.exec(range)?.[1] ?? 0);
      return new Response(body.subarray(from), { status: from > 0 ? 206 : 200, headers: { "content-length": String(1000 - from) } });
    }) as typeof fetch;
    await download("http://x/a.zip", dest, { md5, fetchImpl: fake, log: () => {} });
    expect(range).toBe("bytes=400-");
    expect(new Uint8Array(readFileSync(dest))).toEqual(body);
    expect(await md5File(dest)).toBe(md5);
    const dest2 = join(dir, "b.zip");
    await expect(download("http://x/b.zip", dest2, { md5: "0".repeat(32), fetchImpl: fake, log: () => {} })).rejects.toThrow(/b\.zip\.part: md5 .* expected 0{32}/);
    expect(existsSync(dest2)).toBe(false);
  });
  it("argument errors are explicit", () => {
    expect(() => parseFetchArgs(["--frames", "0"], "x", [10])).toThrow(/--frames expects positive integers/);
    expect(() => parseFetchArgs(["--bogus"], "x", [10])).toThrow(/x: Unknown option '--bogus'; expected one of --root <value>, --from <value>, .*--skip-md5, --help \(try --help\)/);
    expect(() => parseFetchArgs(["--from"], "x", [10])).toThrow(/--from needs a value/);
  });
  it("names the option and what its value must be: missing value, option-like value, value on a flag, stray argument", () => {
    expect(() => parseFetchArgs(["--root"], "x", [10])).toThrow("x: --root needs a value: the raw dataset folder");
    expect(() => parseFetchArgs(["--root", "--skip-md5"], "x", [10])).toThrow(/x: --root needs a value: the raw dataset folder \(the next argument starts with '-'; write --root=<value>/);
    expect(() => parseFetchArgs(["--frames"], "x", [10])).toThrow("x: --frames needs a value: positive frame counts like 10,16");
    expect(() => parseFetchArgs(["--frames", "4,x"], "x", [10])).toThrow("x: --frames expects positive integers like 10,16, got '4,x'");
    expect(() => parseFetchArgs(["--split-by", "count"], "x", [10])).toThrow("x: --split-by must be 'number' or 'time', got 'count'");
    expect(() => parseFetchArgs(["--skip-md5=yes"], "x", [10])).toThrow("x: --skip-md5 takes no value");
    expect(() => parseFetchArgs(["data/raw"], "x", [10])).toThrow(/x: Unexpected argument 'data\/raw'; every argument is an option/);
    expect(() => parseFetchArgs(["-q"], "x", [10])).toThrow(/x: Unknown option '-q'/);
  });
  it("accepts the same options as before, with the same defaults", () => {
    expect(parseFetchArgs([], "ds", [10])).toEqual({ root: resolve("data/raw/ds"), cache: resolve("data/cache/ds"), frames: [10], splitBy: "number", convert: true, skipMd5: false, help: false });
    expect(parseFetchArgs(["--root", "r", "--from", "f.zip", "--cache", "c", "--frames", "10,16", "--split-by", "time", "--no-convert", "--skip-md5", "-h"], "ds", [10]))
      .toEqual({ root: resolve("r"), from: resolve("f.zip"), cache: resolve("c"), frames: [10, 16], splitBy: "time", convert: false, skipMd5: true, help: true });
    expect(parseFetchArgs(["--root", "a", "--root", "b"], "ds", []).root).toBe(resolve("b")); // the last one wins, as before
  });
});
