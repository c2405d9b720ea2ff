// ImageNet ImageFolder: class order, subsets/limits, missing folders, the decode-once cache (hit = identical
// bytes, atomic), corrupt files, and batches [T, B, S, S, 3].
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ImageNetSource, JpegImages, loadImageNet, parseClassList, scanImageNet } from "../../../src/lib/data/datasets/imagenet.js";
import { CachedImages, decodeImageShard, encodeImageShard } from "../../../src/lib/data/image-cache.js";
import { framesToRgb } from "../../../src/lib/data/formats/jpeg.js";
import { resizeShorter } from "../../../src/lib/data/transforms/image.js";
import { tmp } from "../helpers.js";
import { FIXTURE_WNIDS, writeImageNetFolder } from "../imagenet-fixture.js";

const quiet = { progress: false as const };

describe("ImageNet folder", () => {
  it("class index = sorted wnids (subset sorted too); perClass keeps the first files by name", () => {
    const root = tmp();
    const wnids = ["n02000000", "n01000000", "n01500000"];
    writeImageNetFolder(root, "train", { wnids, perClass: 3 });
    const all = scanImageNet({ root, split: "train" });
    expect(all.classes).toEqual(["n01000000", "n01500000", "n02000000"]);
    expect(all.samples.filter((s) => s.label === 0).map((s) => s.id)).toEqual(["n01000000/n01000000_1.JPEG", "n01000000/n01000000_2.JPEG", "n01000000/n01000000_3.JPEG"]);
    const sub = scanImageNet({ root, split: "train", classes: ["n02000000", "n01000000"], perClass: 2 });
    expect(sub.classes).toEqual(["n01000000", "n02000000"]);
    expect(sub.samples.map((s) => s.label)).toEqual([0, 0, 1, 1]);
    expect(parseClassList("# ImageNet subset\nn02000000 fish\n\nn01000000\n")).toEqual(["n02000000", "n01000000"]);
    expect(() => parseClassList("n1\n", "l.txt")).toThrow(/l\.txt:1: expected a WordNet id/);
  });
  it("a missing folder or class names the path and the fetch command", () => {
    const root = tmp();
    expect(() => scanImageNet({ root, split: "val" })).toThrow(new RegExp(`${join(root, "val")}: ImageNet val folder not found\\. Fetch it with 'npx tsx data/fetch/imagenet\\.ts --from`));
    writeImageNetFolder(root, "val", { perClass: 1 });
    expect(() => scanImageNet({ root, split: "val", classes: ["n09999999"] })).toThrow(/class folder\(s\) n09999999 not found\. Fetch it with/);
  });
  it("the cache stores each image at the shorter side; a hit returns identical bytes without rewriting", async () => {
    const root = tmp();
    writeImageNetFolder(root, "train", { perClass: 2, side: 24 });
    const cacheRoot = join(root, "cache");
    const a = await loadImageNet({ root, split: "train", cache: { root: cacheRoot, shorterSide: 12, ...quiet } });
    expect(a).toBeInstanceOf(CachedImages);
    const c = a as unknown as CachedImages;
    expect([c.raw(0).height, c.raw(0).width]).toEqual([12, 16]); // 24×32 → 12×16
    expect([c.raw(1).height, c.raw(1).width]).toEqual([15, 12]); // 30×24 → 15×12
    const dir = c.dir;
    const files = readdirSync(dir).sort();
    expect(files).toEqual(["0000.sli", "manifest.json"]); // no temp files left behind
    const mtime = statSync(join(dir, "0000.sli")).mtimeMs;
    const b = (await loadImageNet({ root, split: "train", cache: { root: cacheRoot, shorterSide: 12, ...quiet } })) as unknown as CachedImages;
    expect(b.dir).toBe(dir);
    expect(statSync(join(dir, "0000.sli")).mtimeMs).toBe(mtime);
    for (let i = 0; i < a.length; i++) expect(Buffer.from(b.raw(i).data)).toEqual(Buffer.from(c.raw(i).data));
    // Any parameter change selects another folder.
    const d = (await loadImageNet({ root, split: "train", cache: { root: cacheRoot, shorterSide: 10, ...quiet } })) as unknown as CachedImages;
    expect(d.dir).not.toBe(dir);
    // The cached image equals resizing the decoded JPEG directly (within 8-bit rounding).
    const direct = await new JpegImages(scanImageNet({ root, split: "train" })).get(0);
    expect(direct.shape).toEqual([1, 3, 24, 32]);
    expect(Buffer.from(framesToRgb(resizeShorter(direct, 12)).data)).toEqual(Buffer.from(c.raw(0).data));
  });
  it("an unfinished build (shard written, no manifest) is resumed; a truncated shard is reported", async () => {
    const shard = encodeImageShard([{ image: { width: 2, height: 1, data: new Uint8Array([1, 2, 3, 4, 5, 6]) }, label: 7 }]);
    expect(decodeImageShard(shard, "s")[0]).toMatchObject({ label: 7, image: { width: 2, height: 1 } });
    expect(() => decodeImageShard(shard.subarray(0, shard.length - 1), "s.sli")).toThrow(/s\.sli: image 0 \(2×1\) runs past the end/);
    const root = tmp();
    writeImageNetFolder(root, "train", { perClass: 1 });
    const cacheRoot = join(root, "cache");
    const c = (await loadImageNet({ root, split: "train", cache: { root: cacheRoot, shorterSide: 8, ...quiet } })) as unknown as CachedImages;
    const before = readFileSync(join(c.dir, "0000.sli"));
    const { rmSync } = await import("node:fs");
    rmSync(join(c.dir, "manifest.json"));
    const again = (await loadImageNet({ root, split: "train", cache: { root: cacheRoot, shorterSide: 8, ...quiet } })) as unknown as CachedImages;
    expect(existsSync(join(c.dir, "manifest.json"))).toBe(true);
    expect(readFileSync(join(again.dir, "0000.sli"))).toEqual(before);
  });
  it("a truncated manifest.json is a CacheFileError naming it (issue #20)", async () => {
    const root = tmp();
    writeImageNetFolder(root, "train", { perClass: 1 });
    const opts = { root, split: "train" as const, cache: { root: join(root, "cache"), shorterSide: 8, ...quiet } };
    const c = (await loadImageNet(opts)) as unknown as CachedImages;
    const mf = join(c.dir, "manifest.json");
    writeFileSync(mf, readFileSync(mf, "utf8").slice(0, 20));
    await expect(loadImageNet(opts)).rejects.toThrow(`${mf}: at the whole file: expected a complete JSON manifest (it is written atomically, so it was truncated or edited later), found 20 bytes: `);
  });
  it("a corrupt JPEG fails the cache build naming the file; no manifest is written", async () => {
    const root = tmp();
    writeImageNetFolder(root, "train", { perClass: 2 });
    const bad = join(root, "train", FIXTURE_WNIDS[1]!, `${FIXTURE_WNIDS[1]}_2.JPEG`);
    writeFileSync(bad, readFileSync(bad).subarray(0, 200));
    await expect(loadImageNet({ root, split: "train", cache: { root: join(root, "cache"), shorterSide: 8, ...quiet } })).rejects.toThrow(new RegExp(`${bad}: expected a complete baseline/progressive JPEG`));
    const dirs = existsSync(join(root, "cache")) ? readdirSync(join(root, "cache")) : [];
    expect(dirs.every((d) => !existsSync(join(root, "cache", d, "manifest.json")))).toBe(true);
  });
  it("batches are [T, B, S, S, 3], normalised, repeated over T, deterministic per (seed, epoch, index)", async () => {
    const root = tmp();
    writeImageNetFolder(root, "train", { perClass: 4 });
    const store = await loadImageNet({ root, split: "train", cache: { root: join(root, "cache"), shorterSide: 10, ...quiet } });
    const train = new ImageNetSource(store, { size: 8, batchSize: 5, T: 3, shuffleSeed: 1 });
    expect(train.batchesPerEpoch()).toBe(2); // 12 images, partial batch dropped
    const b1 = await train.batch(0, 1), b2 = await train.batch(0, 1), b3 = await train.batch(1, 1);
    expect(b1.x.shape).toEqual([3, 5, 8, 8, 3]);
    const v = await b1.x.data();
    expect(await b2.x.data()).toEqual(v);
    expect(await b3.x.data()).not.toEqual(v);
    const n = 5 * 8 * 8 * 3;
    expect(Array.from(v.subarray(0, n))).toEqual(Array.from(v.subarray(2 * n, 3 * n))); // t = 0 equals t = 2
    expect(Math.max(...v)).toBeLessThan(3); // normalised: (1 − 0.406)/0.225 ≈ 2.64 at most
    const test = new ImageNetSource(store, { size: 8, batchSize: 5, T: 2 });
    expect(test.batchesPerEpoch()).toBe(3);
    const last = await test.batch(0, 2);
    expect(last.x.shape).toEqual([2, 2, 8, 8, 3]);
    expect(Array.from(last.labels)).toEqual([1, 2]); // class-interleaved order 0,1,2,0,1,2,…
    for (const b of [b1, b2, b3, last]) b.x.dispose();
  });
});
