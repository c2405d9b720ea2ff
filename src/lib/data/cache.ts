/**
 * On-disk cache of preprocessed frames (events → `[T, 2, H, W]` float32 per sample).
 *
 * Layout: `<root>/<dataset>-<split>-<key>/` with one `samples/NNNNNN.slf` file per sample and a
 * `manifest.json` written **last**; a folder without a manifest is an unfinished build and is resumed
 * (finished sample files are kept, every file is written atomically via temp + rename, so an interrupted
 * or failed build never leaves a half-written file behind).
 *
 * The key is the SHA-256 of the canonical JSON of every parameter that changes the bytes (dataset,
 * split, T, split rule, size, orientation, overflow rule, source fingerprint, …) plus
 * {@link CACHE_FORMAT_VERSION}, so changing any of them selects a different folder.
 *
 * Sample file (little-endian): magic `SLF1`, u32 version, u32 T, C, H, W, i32 label, u32 reserved
 * (32 bytes), then T·C·H·W float32 values.
 */
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../util/fs.js";
import { ProgressBar, type ProgressOptions } from "../util/progress.js";
import type { Frames } from "./frames.js";

/** Bump when the sample file layout or the preprocessing semantics change. */
export const CACHE_FORMAT_VERSION = 1;
const MAGIC = 0x31464c53; // "SLF1" little-endian
const HEADER = 32;

function canonical(v: unknown): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
}

export interface CacheParams {
  dataset: string;
  split: string;
  [k: string]: unknown;
}

/** 16-hex-digit key over every parameter and the format version. */
export function cacheKey(params: CacheParams): string {
  return createHash("sha256").update(canonical({ formatVersion: CACHE_FORMAT_VERSION, ...params })).digest("hex").slice(0, 16);
}

/** Folder of the cache for `params` under `root`. */
export function cacheDirFor(root: string, params: CacheParams): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, "_");
  return join(root, `${safe(params.dataset)}-${safe(params.split)}-${cacheKey(params)}`);
}

/** Encode one sample. */
export function encodeFrameSample(f: Frames, label: number): Uint8Array {
  const [T, C, H, W] = f.shape;
  if (f.data.length !== T * C * H * W) throw new Error(`encodeFrameSample: data length ${f.data.length} ≠ ${T}·${C}·${H}·${W}`);
  const out = new Uint8Array(HEADER + f.data.length * 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, CACHE_FORMAT_VERSION, true);
  dv.setUint32(8, T, true); dv.setUint32(12, C, true); dv.setUint32(16, H, true); dv.setUint32(20, W, true);
  dv.setInt32(24, label, true);
  new Float32Array(out.buffer, HEADER, f.data.length).set(f.data);
  return out;
}

/** Decode one sample; `file` names it in errors. */
export function decodeFrameSample(bytes: Uint8Array, file: string): { frames: Frames; label: number } {
  if (bytes.length < HEADER) throw new Error(`${file}: cache sample has ${bytes.length} bytes, expected at least a ${HEADER}-byte header`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new Error(`${file}: bad cache sample magic, expected 'SLF1'`);
  const ver = dv.getUint32(4, true);
  if (ver !== CACHE_FORMAT_VERSION) throw new Error(`${file}: cache format version ${ver}, expected ${CACHE_FORMAT_VERSION}`);
  const shape: [number, number, number, number] = [dv.getUint32(8, true), dv.getUint32(12, true), dv.getUint32(16, true), dv.getUint32(20, true)];
  const n = shape[0] * shape[1] * shape[2] * shape[3];
  if (bytes.length !== HEADER + 4 * n) throw new Error(`${file}: cache sample has ${bytes.length} bytes, expected ${HEADER + 4 * n} for shape [${shape}]`);
  const data = new Float32Array(n);
  if ((bytes.byteOffset + HEADER) % 4 === 0) data.set(new Float32Array(bytes.buffer, bytes.byteOffset + HEADER, n));
  else for (let i = 0; i < n; i++) data[i] = dv.getFloat32(HEADER + 4 * i, true);
  return { frames: { data, shape }, label: dv.getInt32(24, true) };
}

/** Anything that serves frames by index (the loader's input). */
export interface FrameSource {
  readonly length: number;
  label(i: number): number;
  get(i: number): Promise<{ frames: Frames; label: number }>;
}

interface Manifest {
  formatVersion: number;
  key: string;
  params: CacheParams;
  samples: { id: string; label: number; file: string }[];
}

/** A finished cache folder. */
export class CachedFrames implements FrameSource {
  constructor(readonly dir: string, private readonly manifest: Manifest) {}
  get length(): number { return this.manifest.samples.length; }
  get params(): CacheParams { return this.manifest.params; }
  id(i: number): string { return this.sample(i).id; }
  label(i: number): number { return this.sample(i).label; }
  labels(): Int32Array { return Int32Array.from(this.manifest.samples, (s) => s.label); }
  async get(i: number): Promise<{ frames: Frames; label: number }> {
    const s = this.sample(i);
    const path = join(this.dir, s.file);
    return decodeFrameSample(new Uint8Array(await readFile(path)), path);
  }
  private sample(i: number) {
    const s = this.manifest.samples[i];
    if (!s) throw new Error(`CachedFrames(${this.dir}): index ${i} out of range [0, ${this.length})`);
    return s;
  }
}

/** Open a finished cache folder, or `null` if it is missing/unfinished/of another key. */
export async function openFrameCache(dir: string, params?: CacheParams): Promise<CachedFrames | null> {
  const mf = join(dir, "manifest.json");
  if (!existsSync(mf)) return null;
  const m = JSON.parse(await readFile(mf, "utf8")) as Manifest;
  if (m.formatVersion !== CACHE_FORMAT_VERSION) return null;
  if (params && m.key !== cacheKey(params)) return null;
  return new CachedFrames(dir, m);
}

export interface CacheItem {
  id: string;
  label: number;
  build(): Promise<Frames> | Frames;
}

export interface BuildCacheOptions {
  progress?: ProgressOptions | false;
  label?: string;
}

/**
 * Return the cache for `params`, building (or resuming) it from `items` when needed. A failing item
 * aborts the build with its error; no manifest is written, so the folder is never mistaken for done.
 */
export async function buildFrameCache(
  root: string, params: CacheParams, items: readonly CacheItem[], opts: BuildCacheOptions = {},
): Promise<CachedFrames> {
  const dir = cacheDirFor(root, params);
  const hit = await openFrameCache(dir, params);
  if (hit) return hit;
  const bar = opts.progress === false || items.length === 0 ? null
    : new ProgressBar(opts.label ?? `cache ${params.dataset}/${params.split}`, items.length, opts.progress ?? {});
  const samples: Manifest["samples"] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const file = join("samples", `${String(i).padStart(6, "0")}.slf`);
    const path = join(dir, file);
    if (!existsSync(path)) await writeFileAtomic(path, encodeFrameSample(await it.build(), it.label));
    samples.push({ id: it.id, label: it.label, file });
    bar?.tick();
  }
  bar?.finish();
  const manifest: Manifest = { formatVersion: CACHE_FORMAT_VERSION, key: cacheKey(params), params, samples };
  await writeFileAtomic(join(dir, "manifest.json"), JSON.stringify(manifest));
  return new CachedFrames(dir, manifest);
}

/** Frames held in memory (tests, small synthetic sets). */
export class InMemoryFrames implements FrameSource {
  constructor(private readonly items: readonly { frames: Frames; label: number }[]) {}
  get length(): number { return this.items.length; }
  label(i: number): number { return this.items[i]!.label; }
  async get(i: number): Promise<{ frames: Frames; label: number }> {
    const it = this.items[i];
    if (!it) throw new Error(`InMemoryFrames: index ${i} out of range [0, ${this.length})`);
    return it;
  }
}
