/**
 * Decode-once cache of static images (ImageNet): JPEG decoding in JS costs tens of ms per full-size photo, so
 * each image is decoded once, resized so its shorter side is `shorterSide` (antialiased bilinear, torchvision
 * `Resize(int)` semantics) and stored as 8-bit RGB. Training crops are then taken from the stored image
 * (e.g. shorter side 73 for 64² crops: 73 = round(64·256/224), the eval resize, so eval is a plain centre crop).
 *
 * Layout: `<root>/<dataset>-<split>-<key>/` (key and folder name from `cache.ts`: SHA-256 of every parameter,
 * here the split, class list, per-class limit, shorter side, file list with sizes and
 * {@link IMAGE_CACHE_VERSION}), holding shards `NNNN.sli` of up to {@link SHARD_IMAGES} images and a
 * `manifest.json` written last. Every file is written atomically (temp + rename); a folder without a manifest
 * is an unfinished build and is resumed shard by shard.
 *
 * Shard (little-endian): magic `SLI1`, u32 version, u32 count, u32 reserved; count × (u32 height, u32 width,
 * i32 label, u32 byte offset into the pixel area); then the images' interleaved RGB bytes.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/fs.js";
import { ProgressBar, type ProgressOptions } from "../util/progress.js";
import { cacheDirFor, cacheKey, readManifestJson, type CacheParams } from "./cache.js";
import { framesToRgb, rgbToFrames, type RgbImage } from "./formats/jpeg.js";
import type { Frames } from "./frames.js";
import { resizeShorter } from "./transforms/image.js";

/** Bump when the shard layout or the stored preprocessing changes. */
export const IMAGE_CACHE_VERSION = 1;
export const SHARD_IMAGES = 4096;
const MAGIC = 0x31494c53; // "SLI1"
const HEADER = 16, ENTRY = 16;

export interface StoredImage { image: RgbImage; label: number }

export function encodeImageShard(items: readonly StoredImage[]): Uint8Array {
  const table = HEADER + ENTRY * items.length;
  const total = items.reduce((s, it) => s + it.image.data.length, table);
  const out = new Uint8Array(total);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true); dv.setUint32(4, IMAGE_CACHE_VERSION, true); dv.setUint32(8, items.length, true);
  let at = 0;
  items.forEach((it, i) => {
    const { width, height, data } = it.image;
    if (data.length !== width * height * 3) throw new Error(`encodeImageShard: image ${i} is ${width}×${height} but has ${data.length} bytes`);
    const e = HEADER + ENTRY * i;
    dv.setUint32(e, height, true); dv.setUint32(e + 4, width, true); dv.setInt32(e + 8, it.label, true); dv.setUint32(e + 12, at, true);
    out.set(data, table + at);
    at += data.length;
  });
  return out;
}

/** Decode a shard (views into `bytes`, no copy); `file` names it in errors. */
export function decodeImageShard(bytes: Uint8Array, file: string): StoredImage[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < HEADER || dv.getUint32(0, true) !== MAGIC) throw new Error(`${file}: not an image cache shard (expected magic 'SLI1')`);
  const ver = dv.getUint32(4, true);
  if (ver !== IMAGE_CACHE_VERSION) throw new Error(`${file}: image cache version ${ver}, expected ${IMAGE_CACHE_VERSION}`);
  const n = dv.getUint32(8, true);
  const table = HEADER + ENTRY * n;
  const out: StoredImage[] = [];
  for (let i = 0; i < n; i++) {
    const e = HEADER + ENTRY * i;
    const height = dv.getUint32(e, true), width = dv.getUint32(e + 4, true), off = table + dv.getUint32(e + 12, true);
    const len = width * height * 3;
    if (off + len > bytes.length) throw new Error(`${file}: image ${i} (${width}×${height}) runs past the end of the shard (truncated file)`);
    out.push({ image: { width, height, data: bytes.subarray(off, off + len) }, label: dv.getInt32(e + 8, true) });
  }
  return out;
}

interface Manifest { formatVersion: number; key: string; params: CacheParams; shards: string[]; count: number }

/** A finished cache, fully in memory (8-bit RGB: ~ 21 kB per image at shorter side 73). */
export class CachedImages {
  constructor(readonly dir: string, private readonly items: StoredImage[]) {}
  get length(): number { return this.items.length; }
  label(i: number): number { return this.item(i).label; }
  labels(): Int32Array { return Int32Array.from(this.items, (s) => s.label); }
  /** Stored bytes of image i (views; for checks and tests). */
  raw(i: number): RgbImage { return this.item(i).image; }
  get(i: number): Frames { return rgbToFrames(this.item(i).image); }
  private item(i: number): StoredImage {
    const s = this.items[i];
    if (!s) throw new Error(`CachedImages(${this.dir}): index ${i} out of range [0, ${this.length})`);
    return s;
  }
}

async function openShards(dir: string, m: Manifest): Promise<CachedImages> {
  const items: StoredImage[] = [];
  for (const s of m.shards) items.push(...decodeImageShard(new Uint8Array(await readFile(join(dir, s))), join(dir, s)));
  if (items.length !== m.count) throw new Error(`${dir}: manifest lists ${m.count} images, shards hold ${items.length}; delete the folder to rebuild`);
  return new CachedImages(dir, items);
}

export interface ImageCacheItem { label: number; load(): Promise<Frames> | Frames }

export interface ImageCacheOptions { progress?: ProgressOptions | false; label?: string }

/** Return the cache for `params` (which must include every input that changes the bytes), building it if needed. */
export async function buildImageCache(
  root: string, params: CacheParams & { shorterSide: number }, items: readonly ImageCacheItem[], opts: ImageCacheOptions = {},
): Promise<CachedImages> {
  const full = { ...params, imageCacheVersion: IMAGE_CACHE_VERSION };
  const dir = cacheDirFor(root, full);
  const key = cacheKey(full);
  const mf = join(dir, "manifest.json");
  if (existsSync(mf)) {
    const m = await readManifestJson(mf) as Manifest;
    if (m.formatVersion === IMAGE_CACHE_VERSION && m.key === key) return openShards(dir, m);
  }
  const bar = opts.progress === false || items.length === 0 ? null : new ProgressBar(opts.label ?? `decode ${params.dataset}/${params.split}`, items.length, opts.progress ?? {});
  const shards: string[] = [];
  for (let s = 0; s * SHARD_IMAGES < items.length; s++) {
    const name = `${String(s).padStart(4, "0")}.sli`;
    shards.push(name);
    const lo = s * SHARD_IMAGES, hi = Math.min(items.length, lo + SHARD_IMAGES);
    if (existsSync(join(dir, name))) { bar?.tick(hi - lo); continue; } // finished by an interrupted build
    const part: StoredImage[] = [];
    for (let i = lo; i < hi; i++) {
      part.push({ image: framesToRgb(resizeShorter(await items[i]!.load(), params.shorterSide)), label: items[i]!.label });
      bar?.tick();
    }
    await writeFileAtomic(join(dir, name), encodeImageShard(part));
  }
  bar?.finish();
  const manifest: Manifest = { formatVersion: IMAGE_CACHE_VERSION, key, params: full, shards, count: items.length };
  await writeFileAtomic(mf, JSON.stringify(manifest));
  return openShards(dir, manifest);
}
