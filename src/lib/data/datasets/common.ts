/**
 * Shared dataset plumbing: a dataset is a list of {@link SampleRef}s (file + optional time window + label)
 * with a loader for its events; {@link datasetFrames} turns it into a cached `FrameSource`.
 */
import { createHash } from "node:crypto";
import { statSync } from "node:fs";
import { relative } from "node:path";
import { buildFrameCache, type BuildCacheOptions, type CachedFrames } from "../cache.js";
import { EventDataError } from "../errors.js";
import type { Events, SensorSize } from "../events.js";
import { integrateFixedFrames, type Frames, type SplitBy } from "../frames.js";
import { resizeBilinear } from "../transforms/resize.js";
import { Rng } from "../../util/random.js";

export interface SampleRef {
  /** Stable id (e.g. `user24_led_3`, `airplane/cifar10_airplane_7`). */
  id: string;
  /** Absolute path of the raw file. */
  file: string;
  /** Target class index. */
  label: number;
  /** Optional time window `start ≤ t < end` (µs) inside the file. */
  start?: number;
  end?: number;
  /** Where the label comes from (a labels CSV line), named in errors about the window. */
  origin?: { file: string; line: number };
}

/** How errors name a sample: its file, and its window if it has one. */
export function sampleSource(ref: SampleRef): string {
  return ref.start === undefined ? ref.file : `${ref.file} [${ref.start}, ${ref.end ?? "end"}) µs`;
}

/**
 * A labelled sample's events, or an {@link EventDataError} if there are none (DECISIONS "Hardening"): a
 * label promises a recording, so a 0-byte or header-only file, or a window holding no event, is an error
 * for every event dataset rather than an all-zero training sample.
 */
export function requireEvents(ev: Events, ref: SampleRef): Events {
  if (ev.t.length === 0) {
    const from = ref.origin ? ` (label from ${ref.origin.file}: line ${ref.origin.line})` : "";
    throw new EventDataError(sampleSource(ref), -1, `at least one event for sample '${ref.id}'${from}`, "0 events");
  }
  return ev;
}

export interface EventDataset {
  readonly name: string;
  readonly split: string;
  readonly sensor: SensorSize;
  readonly classes: readonly string[];
  readonly samples: readonly SampleRef[];
  /** Decoding parameters that change the events (orientation, overflow rule, …) — part of the cache key. */
  readonly decodeParams: Record<string, unknown>;
  loadEvents(ref: SampleRef): Promise<Events>;
}

/**
 * SpikingJelly's string-sorted target for class folder `i` of `n` (events-and-parity §1.6, §7 item 8):
 * torchvision sorts folder names `"0" … "n−1"` as strings, so for n = 11 folder 10 → target 2,
 * folder 2 → 3, …, folder 9 → 10.
 */
export function spikingjellyStringSortedTargets(n: number): number[] {
  const names = Array.from({ length: n }, (_, i) => String(i));
  const sorted = [...names].sort();
  return names.map((s) => sorted.indexOf(s));
}

/** Fingerprint of the raw files (relative path + size), part of the cache key. */
export function sourceFingerprint(root: string, files: readonly string[]): string {
  const h = createHash("sha256");
  for (const f of [...new Set(files)].sort()) h.update(`${relative(root, f)}\0${statSync(f).size}\n`);
  return h.digest("hex").slice(0, 16);
}

export interface DatasetFramesOptions extends BuildCacheOptions {
  /** Cache root folder. */
  cacheRoot: string;
  /** Number of frames T. */
  frames: number;
  splitBy?: SplitBy;
  /** Optional resize `[H, W]` applied when caching (bilinear). */
  resize?: [number, number];
  antialias?: boolean;
}

/** Integrate one sample's events into frames with the given options; `source` names the sample in errors. */
export function sampleFrames(ev: Events, sensor: SensorSize, o: Omit<DatasetFramesOptions, "cacheRoot">, source?: string): Frames {
  const f = integrateFixedFrames(ev, { frames: o.frames, splitBy: o.splitBy ?? "number", height: sensor.height, width: sensor.width, source });
  return o.resize ? resizeBilinear(f, o.resize[0], o.resize[1], { antialias: o.antialias ?? false }) : f;
}

/**
 * Frames of every sample of `ds`, cached on disk under a key made of every parameter (cache.ts).
 * The first call parses and integrates (with a progress bar); later calls load the cache.
 */
export async function datasetFrames(ds: EventDataset, root: string, o: DatasetFramesOptions): Promise<CachedFrames> {
  const params = {
    dataset: ds.name,
    split: ds.split,
    frames: o.frames,
    splitBy: o.splitBy ?? "number",
    resize: o.resize ?? null,
    antialias: o.antialias ?? false,
    sensor: ds.sensor,
    decode: ds.decodeParams,
    samples: ds.samples.map((s) => [s.id, s.label, s.start ?? null, s.end ?? null]),
    source: sourceFingerprint(root, ds.samples.map((s) => s.file)),
  };
  const items = ds.samples.map((ref) => ({
    id: ref.id,
    label: ref.label,
    build: async () => sampleFrames(await ds.loadEvents(ref), ds.sensor, o, sampleSource(ref)),
  }));
  return buildFrameCache(o.cacheRoot, params, items, { progress: o.progress, label: o.label ?? `frames ${ds.name}/${ds.split}` });
}

/** A one-entry memo so consecutive samples of the same file parse it once. */
export class LastFileMemo {
  private file = "";
  private ev: Promise<Events> | null = null;
  get(file: string, load: (f: string) => Promise<Events>): Promise<Events> {
    if (this.file !== file || !this.ev) {
      this.file = file;
      this.ev = load(file);
      this.ev.catch(() => { if (this.file === file) { this.file = ""; this.ev = null; } });
    }
    return this.ev;
  }
}

/** Parse a split-list JSON `{ "train": [relpath…], "test": [relpath…] }`. */
export function parseSplitList(text: string, file: string): { train: string[]; test: string[] } {
  let j: unknown;
  try { j = JSON.parse(text); } catch (e) { throw new Error(`${file}: split list is not valid JSON (${(e as Error).message}); expected {"train": [...], "test": [...]}`); }
  const o = j as { train?: unknown; test?: unknown };
  const ok = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === "string");
  if (!ok(o.train) || !ok(o.test)) throw new Error(`${file}: split list must have string arrays "train" and "test"`);
  return { train: o.train, test: o.test };
}

/**
 * Seeded per-class split: each class's files are shuffled with one shared {@link Rng}(seed) stream (in
 * class order) and the first ⌊ratio·n⌋ go to training. Our own generator: NumPy's legacy MT19937 shuffle is
 * not reproduced (pass a committed split list for exact parity with the Python code).
 */
export function seededClassSplit(perClass: string[][], seed: number, ratio: number, train: boolean): string[][] {
  const rng = new Rng(seed);
  return perClass.map((fs) => {
    const s = rng.shuffle([...fs]);
    const k = Math.floor(ratio * s.length);
    return train ? s.slice(0, k) : s.slice(k);
  });
}
