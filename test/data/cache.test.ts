// Frame cache: keyed by every parameter + format version, atomic, resumable, no partial output.
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  buildFrameCache, cacheDirFor, cacheKey, CACHE_FORMAT_VERSION, decodeFrameSample, encodeFrameSample, openFrameCache,
} from "../../src/lib/data/cache.js";
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
    expect(CACHE_FORMAT_VERSION).toBe(1);
  });
  it("sample encoding round-trips and rejects corrupt bytes with the file name", () => {
    const b = encodeFrameSample(fr(2.5), 7);
    const d = decodeFrameSample(b, "s.slf");
    expect(d.label).toBe(7);
    expect(d.frames.shape).toEqual([2, 2, 3, 3]);
    expect(d.frames.data.every((v) => v === 2.5)).toBe(true);
    expect(() => decodeFrameSample(b.subarray(0, b.length - 4), "s.slf")).toThrow(/s\.slf: cache sample has \d+ bytes, expected/);
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
});
