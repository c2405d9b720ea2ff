/**
 * On-disk cache of preprocessed frames (events → `[T, 2, H, W]` float32 per sample).
 *
 * Layout: `<root>/<dataset>-<split>-<key>/` with one `samples/NNNNNN.slf` file per sample and a
 * `manifest.json` written **last**; a folder without a manifest is an unfinished build and is resumed
 * (finished sample files are kept, every file is written atomically via temp + rename, so an interrupted
 * or failed build never leaves a half-written file behind; the temp files of a process killed mid-write are
 * removed on resume, and the resume is reported on the progress stream).
 *
 * Verification (issue #20): the manifest stores each sample's shape, label and the CRC32 of its whole file
 * (header + data); every read checks all three, so a flipped byte, an edited header shape of the same element
 * count or a label that disagrees with the manifest is a {@link CacheFileError}, never data. CRC32 costs a
 * small fraction of a sample's read and decode (zlib's, `node:zlib` ≥ 20.15). A manifest that is not complete
 * JSON is an error naming it.
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
import { crc32 } from "node:zlib";
import { removeStaleTempFiles, writeFileAtomic } from "../util/fs.js";
import { ProgressBar, type ProgressOptions } from "../util/progress.js";
import { CacheFileError } from "./errors.js";
import type { Frames } from "./frames.js";

/** Bump when the sample file layout, the manifest or the preprocessing semantics change (2: per-sample shape + CRC32). */
export const CACHE_FORMAT_VERSION = 2;
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
  if (bytes.length < HEADER) throw new CacheFileError(file, "byte 0", `a cache sample with a ${HEADER}-byte header`, `${bytes.length} bytes in all`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) throw new CacheFileError(file, "byte 0", "the cache sample magic 'SLF1'", `0x${dv.getUint32(0, true).toString(16)}`);
  const ver = dv.getUint32(4, true);
  if (ver !== CACHE_FORMAT_VERSION) throw new CacheFileError(file, "byte 4", `cache format version ${CACHE_FORMAT_VERSION}`, `${ver}`);
  const shape: [number, number, number, number] = [dv.getUint32(8, true), dv.getUint32(12, true), dv.getUint32(16, true), dv.getUint32(20, true)];
  const n = shape[0] * shape[1] * shape[2] * shape[3];
  if (bytes.length !== HEADER + 4 * n) {
    throw new CacheFileError(file, "byte 8", `a shape [T, C, H, W] matching the file's ${bytes.length} bytes`, `[${shape}], which needs ${HEADER + 4 * n} bytes`);
  }
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

/** What the manifest records of one sample file, checked on every read. */
export interface ManifestSample {
  id: string;
  label: number;
  file: string;
  shape: [number, number, number, number];
  /** CRC32 (zlib polynomial) of the whole sample file, header and data. */
  crc32: number;
}

interface Manifest {
  formatVersion: number;
  key: string;
  params: CacheParams;
  samples: ManifestSample[];
}

/**
 * Decode sample bytes and check them against their manifest entry: CRC32 of the file, then shape and label
 * (a header edited to another shape of the same element count passes the length check, not this one).
 */
export function verifyFrameSample(bytes: Uint8Array, file: string, want: Omit<ManifestSample, "id" | "file">): { frames: Frames; label: number } {
  const crc = crc32(bytes);
  if (crc !== want.crc32) {
    throw new CacheFileError(file, "the whole file", `CRC32 ${hex32(want.crc32)} recorded in manifest.json`, `CRC32 ${hex32(crc)} (the file changed after it was written)`);
  }
  const s = decodeFrameSample(bytes, file);
  if (s.frames.shape.join() !== want.shape.join()) {
    throw new CacheFileError(file, "byte 8", `shape [${want.shape}] as in manifest.json`, `[${s.frames.shape}]`);
  }
  if (s.label !== want.label) throw new CacheFileError(file, "byte 24", `label ${want.label} as in manifest.json`, `${s.label}`);
  return s;
}

const hex32 = (v: number) => `0x${v.toString(16).padStart(8, "0")}`;

/** A finished cache folder. */
export class CachedFrames implements FrameSource {
  constructor(readonly dir: string, private readonly manifest: Manifest) {}
  get length(): number { return this.manifest.samples.length; }
  get params(): CacheParams { return this.manifest.params; }
  id(i: number): string { return this.sample(i).id; }
  label(i: number): number { return this.sample(i).label; }
  labels(): Int32Array { return Int32Array.from(this.manifest.samples, (s) => s.label); }
  /** Sample `i`, verified against the manifest ({@link verifyFrameSample}). */
  async get(i: number): Promise<{ frames: Frames; label: number }> {
    const s = this.sample(i);
    const path = join(this.dir, s.file);
    let bytes: Uint8Array;
    try { bytes = new Uint8Array(await readFile(path)); } catch (e) {
      throw new CacheFileError(path, "byte 0", "the sample file listed in manifest.json", (e as NodeJS.ErrnoException).code ?? String(e), { cause: e });
    }
    return verifyFrameSample(bytes, path, s);
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
  const m = await readManifestJson(mf) as Manifest;
  if (typeof m !== "object" || m === null || m.formatVersion !== CACHE_FORMAT_VERSION) return null;
  if (params && m.key !== cacheKey(params)) return null;
  checkManifestSamples(m.samples, mf);
  return new CachedFrames(dir, m);
}

/** Parse a cache's `manifest.json`; text that is not complete JSON is a {@link CacheFileError} naming the file. */
export async function readManifestJson(mf: string): Promise<unknown> {
  const text = await readFile(mf, "utf8");
  try { return JSON.parse(text) as unknown; } catch (e) {
    throw new CacheFileError(mf, "the whole file", "a complete JSON manifest (it is written atomically, so it was truncated or edited later)",
      `${text.length} bytes: ${(e as Error).message}`, { cause: e });
  }
}

/** The manifest's sample list must have every field {@link verifyFrameSample} checks against. */
function checkManifestSamples(samples: unknown, mf: string): void {
  if (!Array.isArray(samples)) throw new CacheFileError(mf, "key 'samples'", "an array of samples", typeof samples);
  samples.forEach((s: Partial<ManifestSample>, i) => {
    const ok = typeof s === "object" && s !== null && typeof s.id === "string" && typeof s.file === "string"
      && Number.isInteger(s.label) && Number.isInteger(s.crc32) && Array.isArray(s.shape) && s.shape.length === 4
      && s.shape.every((d) => Number.isInteger(d) && d >= 0);
    if (!ok) throw new CacheFileError(mf, `samples[${i}]`, "{id, label, file, shape: [T, C, H, W], crc32}", JSON.stringify(s)?.slice(0, 80) ?? String(s));
  });
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
  const label = opts.label ?? `cache ${params.dataset}/${params.split}`;
  const note = (line: string) => {
    const p = opts.progress === false ? null : opts.progress ?? {};
    if (p && !(p.quiet ?? process.env.SPIKELAB_QUIET === "1")) (p.stream ?? process.stderr).write(`${label}: ${line}\n`); // as ProgressBar
  };
  const stale = [...await removeStaleTempFiles(join(dir, "samples")), ...await removeStaleTempFiles(dir)];
  const kept = existsSync(join(dir, "samples")) ? items.filter((_, i) => existsSync(join(dir, sampleFile(i)))).length : 0;
  if (kept > 0 || stale.length > 0) {
    note(`resuming the unfinished build in ${dir}: ${kept} of ${items.length} samples kept, ${stale.length} stale temp files removed`);
  }
  const bar = opts.progress === false || items.length === 0 ? null : new ProgressBar(label, items.length, opts.progress ?? {});
  const samples: Manifest["samples"] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i]!;
    const file = sampleFile(i);
    const path = join(dir, file);
    // a kept file that does not decode or carries another label is one this build cannot vouch for: rebuilt
    let s = existsSync(path) ? keptSample(new Uint8Array(await readFile(path)), path, it.label) : null;
    if (!s) {
      let frames: Frames;
      try {
        frames = await it.build();
      } catch (e) {
        note(`sample ${i} ('${it.id}') failed; ${i} sample files are kept in ${dir} (no manifest), and the next build resumes from them`);
        throw e;
      }
      s = { bytes: encodeFrameSample(frames, it.label), shape: frames.shape };
      await writeFileAtomic(path, s.bytes);
    }
    samples.push({ id: it.id, label: it.label, file, shape: s.shape, crc32: crc32(s.bytes) });
    bar?.tick();
  }
  bar?.finish();
  const manifest: Manifest = { formatVersion: CACHE_FORMAT_VERSION, key: cacheKey(params), params, samples };
  await writeFileAtomic(join(dir, "manifest.json"), JSON.stringify(manifest));
  return new CachedFrames(dir, manifest);
}

function sampleFile(i: number): string {
  return join("samples", `${String(i).padStart(6, "0")}.slf`);
}

/** A sample file kept from an unfinished build, if it decodes and carries the item's label (else `null`). */
function keptSample(bytes: Uint8Array, path: string, label: number): { bytes: Uint8Array; shape: Frames["shape"] } | null {
  try {
    const d = decodeFrameSample(bytes, path);
    return d.label === label ? { bytes, shape: d.frames.shape } : null;
  } catch (e) {
    if (e instanceof CacheFileError) return null;
    throw e;
  }
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
