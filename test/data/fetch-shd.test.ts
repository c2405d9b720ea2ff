import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { crossCheckMd5s, fetchShd, gunzipHdf5, parseMd5Sums, parseShdArgs, SHD_ARCHIVES } from "../../data/fetch/shd.js";
import { readShdFile } from "../../src/lib/data/datasets/shd.js";

const FIX = join("test", "data", "fixtures", "shd");
const tmp = mkdtempSync(join(tmpdir(), "shd-fetch-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const quiet = () => undefined;
const noNet = (() => Promise.reject(new Error("no network in tests"))) as unknown as typeof fetch;

describe("data/fetch/shd.ts", () => {
  it("parses its options with node:util parseArgs and rejects unknown ones", () => {
    expect(parseShdArgs(["--from", "x", "--skip-md5"])).toMatchObject({ skipMd5: true, mirror: "zenkelab" });
    expect(() => parseShdArgs(["--frames", "3"])).toThrow(/Unknown option '--frames'/);
    expect(() => parseShdArgs(["--mirror", "nowhere"])).toThrow(/--mirror must be one of zenkelab, compneuro/);
    expect(() => parseShdArgs(["--mirror"])).toThrow("shd: --mirror needs a value: zenkelab or compneuro");
  });

  it("cross-checks the built-in md5s against a publisher md5sums.txt", () => {
    const ok = parseMd5Sums(SHD_ARCHIVES.map((a) => `${a.md5}  ${a.name}`).join("\n") + "\nffff  other\n");
    expect(crossCheckMd5s(ok)).toEqual(["shd_train.h5.gz", "shd_test.h5.gz"]);
    const bad = parseMd5Sums(`${"0".repeat(32)}  shd_test.h5.gz`);
    expect(() => crossCheckMd5s(bad)).toThrow(/shd_test\.h5\.gz: the publisher's md5sums\.txt lists 0{32}, spikelab expects 1503a5064faa34311c398fb0a1ed0a6f/);
  });

  it("--from a folder of archives: verifies md5 (refusing local fakes unless --skip-md5), gunzips, skips on rerun", async () => {
    const src = join(tmp, "src");
    const data = readFileSync(join(FIX, "shd-f16.h5"));
    mkdirSync(src, { recursive: true });
    for (const a of SHD_ARCHIVES) writeFileSync(join(src, a.name), gzipSync(data));
    const root = join(tmp, "root");
    await expect(fetchShd({ root, from: src, mirror: "zenkelab", skipMd5: false, help: false }, quiet, noNet)).rejects.toThrow(/shd_train\.h5\.gz: md5 [0-9a-f]{32}, expected f3252aeb598ac776c1b526422d90eecb/);
    const r = await fetchShd({ root, from: src, mirror: "zenkelab", skipMd5: true, help: false }, quiet, noNet);
    expect(r.files.map((f) => f.slice(root.length))).toEqual(["/extract/shd_train.h5", "/extract/shd_test.h5"]);
    expect((await readShdFile(r.files[0]!)).samples).toHaveLength(3);
    const logs: string[] = [];
    await fetchShd({ root, from: src, mirror: "zenkelab", skipMd5: true, help: false }, (s) => logs.push(s), noNet);
    expect(logs).toEqual(["shd_train.h5: already extracted", "shd_test.h5: already extracted"]);
  });

  it("a damaged archive or a truncated payload leaves no .h5 behind and names the archive", async () => {
    const data = readFileSync(join(FIX, "shd-f16.h5"));
    const cut = join(tmp, "cut.h5.gz");
    writeFileSync(cut, gzipSync(data).subarray(0, 200));
    await expect(gunzipHdf5(cut, join(tmp, "cut.h5"))).rejects.toThrow(/cut\.h5\.gz: gunzip failed .*damaged/);
    const short = join(tmp, "short.h5.gz");
    copyFileSync(join(FIX, "shd-f16-trunc.h5"), join(tmp, "t.h5"));
    writeFileSync(short, gzipSync(readFileSync(join(tmp, "t.h5"))));
    await expect(gunzipHdf5(short, join(tmp, "short.h5"))).rejects.toThrow(/short\.h5\.gz: decompressed file is truncated: 7608 bytes, the superblock says 12680/);
    expect(existsSync(join(tmp, "cut.h5")) || existsSync(join(tmp, "short.h5")) || existsSync(join(tmp, "short.h5.part"))).toBe(false);
  });
});
