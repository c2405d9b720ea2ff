// Frame cache: keyed by every parameter + format version, atomic, resumable, no partial output.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { describe, expect, it } from "vitest";
import {
  buildFrameCache, cacheDirFor, cacheKey, CACHE_FORMAT_VERSION, decodeFrameSample, encodeFrameSample, openFrameCache,
} from "../../src/lib/data/cache.js";
import { CacheFileError } from "../../src/lib/data/errors.js";
import { Cifar10Dvs } from "../../src/lib/data/datasets/cifar10-dvs.js";
import { datasetFrames } from "../../src/lib/data/datasets/common.js";
import type { Frames } from "../../src/lib/data/frames.js";
import { generateCifar10Dvs } from "../../src/lib/data/synthetic.js";
import { tmp } from "./helpers.js";

const fr = (v: number): Frames => ({ data: new Float32Array(2 * 2 * 3 * 3).fill(v), shape: [2, 2, 3, 3] });

describe("frame cache", () => {
  it("key changes with every parameter, not with key order", () => {
    const base = { dataset: "d", split: "train", frames: 10, size: [48, 48] };
    expect(cacheKey(base)).toBe(cacheKey({ size: [48, 48], frames: 10, split: "train", dataset: "d" }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, frames: 8 }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, size: [48, 49] }));
    expect(cacheKey(base)).not.toBe(cacheKey({ ...base, split: "test" }));
    expect(CACHE_FORMAT_VERSION).toBe(2);
  });
  it("sample encoding round-trips and rejects corrupt bytes with the file name", () => {
    const b = encodeFrameSample(fr(2.5), 7);
    const d = decodeFrameSample(b, "s.slf");
    expect(d.label).toBe(7);
    expect(d.frames.shape).toEqual([2, 2, 3, 3]);
    expect(d.frames.data.every((v) => v === 2.5)).toBe(true);
    expect(() => decodeFrameSample(b.subarray(0, b.length - 4), "s.slf")).toThrow(/^s\.slf: at byte 8: expected a shape \[T, C, H, W\] matching the file's 172 bytes, found \[2,2,3,3\], which needs 176 bytes/);
  });
  it("builds once, then hits; a failing build leaves no manifest and no partial/temp file; resume keeps done samples", async () => {
    const root = tmp();
    const params = { dataset: "toy", split: "train", frames: 2 };
    let calls = 0;
    const bad = [0, 1, 2].map((i) => ({
      id: `s${i}`, label: i,
      build: () => { calls++; if (i === 2) throw new Error("corrupt s2"); return fr(i); },
    }));
    await expect(buildFrameCache(root, params, bad, { progress: false })).rejects.toThrow(/corrupt s2/);
    const dir = cacheDirFor(root, params);
    expect(existsSync(join(dir, "manifest.json"))).toBe(false);
    expect(readdirSync(join(dir, "samples")).sort()).toEqual(["000000.slf", "000001.slf"]);
    expect(await openFrameCache(dir, params)).toBeNull();
    calls = 0;
    const good = [0, 1, 2].map((i) => ({ id: `s${i}`, label: i, build: () => { calls++; return fr(i); } }));
    const c = await buildFrameCache(root, params, good, { progress: false });
    expect(calls).toBe(1); // resumed: only s2 built
    expect(c.length).toBe(3);
    expect((await c.get(2)).frames.data[0]).toBe(2);
    calls = 0;
    const hit = await buildFrameCache(root, params, good, { progress: false });
    expect(calls).toBe(0);
    expect([...hit.labels()]).toEqual([0, 1, 2]);
  });
  it("dataset → cache: a corrupt raw file aborts with its name and leaves no cache", async () => {
    const root = tmp();
    await generateCifar10Dvs(root, { perClass: 1, durationUs: 10_000 });
    writeFileSync(join(root, "cat", "cifar10_cat_0.aedat"), new Uint8Array([0, 0, 0, 1, 0, 0])); // 6 bytes: truncated
    const ds = await Cifar10Dvs.open({ root, split: "all" });
    const cacheRoot = tmp();
    await expect(datasetFrames(ds, root, { cacheRoot, frames: 4, progress: false })).rejects.toThrow(/cifar10_cat_0\.aedat: at byte 0: expected a complete 8-byte event/);
    const dirs = readdirSync(cacheRoot);
    expect(dirs.length).toBe(1);
    expect(existsSync(join(cacheRoot, dirs[0]!, "manifest.json"))).toBe(false);
    const files = readdirSync(join(cacheRoot, dirs[0]!, "samples"));
    expect(files.some((f) => f.includes(".tmp"))).toBe(false);
    expect(files.length).toBe(3); // airplane, automobile, bird done; cat failed
  });

  describe("verified reads and clean resumes (issue #20)", () => {
    const params = { dataset: "toy", split: "verify", frames: 2 };
    const items = [0, 1, 2].map((i) => ({ id: `s${i}`, label: i, build: () => fr(i + 0.5) }));
    async function built() {
      const root = tmp();
      const c = await buildFrameCache(root, params, items, { progress: false });
      const mf = join(c.dir, "manifest.json");
      const sample = join(c.dir, "samples", "000001.slf");
      /** Rewrite the manifest's CRC32 of sample 1 to match the file, so the later checks are reached. */
      const resync = () => {
        const m = JSON.parse(readFileSync(mf, "utf8"));
        m.samples[1].crc32 = crc32(readFileSync(sample));
        writeFileSync(mf, JSON.stringify(m));
      };
      return { root, c, mf, sample, resync };
    }
    const caught = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as CacheFileError);
    it("the manifest records shape and CRC32 of every sample, and the unmodified cache reads back", async () => {
      const { c, mf, sample } = await built();
      const m = JSON.parse(readFileSync(mf, "utf8"));
      expect(m.samples[1]).toEqual({ id: "s1", label: 1, file: join("samples", "000001.slf"), shape: [2, 2, 3, 3], crc32: crc32(readFileSync(sample)) });
      expect((await c.get(1)).frames.data[0]).toBe(1.5);
    });
    it("a flipped data byte fails the CRC32 check, naming the file", async () => {
      const { root, sample } = await built();
      const b = readFileSync(sample);
      b[b.length - 2] ^= 0x01;
      writeFileSync(sample, b);
      const c = (await openFrameCache(cacheDirFor(root, params), params))!;
      const e = await caught(c.get(1));
      expect(e).toBeInstanceOf(CacheFileError);
      expect(e!.message).toMatch(new RegExp(`^${sample.replace(/[.]/g, "\\.")}: at the whole file: expected CRC32 0x[0-9a-f]{8} recorded in manifest.json, found CRC32 0x[0-9a-f]{8}.*delete the cache folder`));
      expect((await c.get(0)).label).toBe(0); // the other samples still read
    });
    it("a header shape edited to the same element count, or another label, is caught against the manifest", async () => {
      const { root, sample, resync } = await built();
      const b = readFileSync(sample);
      new DataView(b.buffer, b.byteOffset).setUint32(16, 9, true); // H 3 → 9
      new DataView(b.buffer, b.byteOffset).setUint32(20, 1, true); // W 3 → 1: still 36 values
      writeFileSync(sample, b);
      resync();
      expect(decodeFrameSample(new Uint8Array(b), "x").frames.shape).toEqual([2, 2, 9, 1]); // the file alone looks valid
      const c = (await openFrameCache(cacheDirFor(root, params), params))!;
      expect((await caught(c.get(1)))!.message).toBe(`${sample}: at byte 8: expected shape [2,2,3,3] as in manifest.json, found [2,2,9,1] (delete the cache folder to rebuild it)`);
      writeFileSync(sample, encodeFrameSample(fr(1.5), 7));
      resync();
      const c2 = (await openFrameCache(cacheDirFor(root, params), params))!;
      expect((await caught(c2.get(1)))!.message).toBe(`${sample}: at byte 24: expected label 1 as in manifest.json, found 7 (delete the cache folder to rebuild it)`);
    });
    it("a truncated manifest.json is an error naming it (not a bare SyntaxError), also from buildFrameCache", async () => {
      const { root, mf } = await built();
      const text = readFileSync(mf, "utf8");
      writeFileSync(mf, text.slice(0, text.length >> 1));
      const dir = cacheDirFor(root, params);
      for (const p of [openFrameCache(dir, params), buildFrameCache(root, params, items, { progress: false })]) {
        const e = await caught(p);
        expect(e).toBeInstanceOf(CacheFileError);
        expect(e!.file).toBe(mf);
        expect(e!.message).toMatch(/manifest\.json: at the whole file: expected a complete JSON manifest .*found \d+ bytes: /);
      }
      const m = JSON.parse(text);
      delete m.samples[2].crc32;
      writeFileSync(mf, JSON.stringify(m));
      expect((await caught(openFrameCache(dir, params)))!.message).toMatch(/manifest\.json: at samples\[2\]: expected \{id, label, file, shape: \[T, C, H, W\], crc32\}/);
    });
    it("resume removes the temp files of dead writers, keeps live ones, rebuilds a kept file it cannot vouch for, and says so", async () => {
      const root = tmp();
      const bad = [0, 1, 2].map((i) => ({ id: `s${i}`, label: i, build: () => { if (i === 2) throw new Error("corrupt s2"); return fr(i); } }));
      await expect(buildFrameCache(root, params, bad, { progress: false })).rejects.toThrow(/corrupt s2/);
      const samples = join(cacheDirFor(root, params), "samples");
      const dead = spawnSync(process.execPath, ["-e", ""]).pid!; // exited: its pid names no process now
      writeFileSync(join(samples, `.000002.slf.${dead}.0123abcd.tmp`), "half");
      writeFileSync(join(samples, `.000002.slf.${process.pid}.89abcdef.tmp`), "in flight");
      writeFileSync(join(samples, "000001.slf"), encodeFrameSample(fr(1), 9)); // kept, but another label: rebuilt
      const lines: string[] = [];
      let built = 0;
      const good = [0, 1, 2].map((i) => ({ id: `s${i}`, label: i, build: () => { built++; return fr(i); } }));
      const c = await buildFrameCache(root, params, good, { progress: { quiet: false, stream: { write: (l: string) => lines.push(l) } } });
      expect(built).toBe(2); // s1 (wrong label) and s2
      expect((await c.get(1)).label).toBe(1);
      expect(readdirSync(samples).sort()).toEqual([`.000002.slf.${process.pid}.89abcdef.tmp`, "000000.slf", "000001.slf", "000002.slf"]);
      expect(lines[0]).toBe(`cache toy/verify: resuming the unfinished build in ${cacheDirFor(root, params)}: 2 of 3 samples kept, 1 stale temp files removed\n`);
    });
    it("a failing item is reported with how many samples are kept for the resume", async () => {
      const lines: string[] = [];
      const bad = [0, 1].map((i) => ({ id: `s${i}`, label: i, build: () => { if (i === 1) throw new Error("corrupt s1"); return fr(i); } }));
      const root = tmp();
      await expect(buildFrameCache(root, params, bad, { progress: { quiet: false, stream: { write: (l: string) => lines.push(l) } } })).rejects.toThrow(/corrupt s1/);
      expect(lines.at(-1)).toBe(`cache toy/verify: sample 1 ('s1') failed; 1 sample files are kept in ${cacheDirFor(root, params)} (no manifest), and the next build resumes from them\n`);
    });
  });
});
