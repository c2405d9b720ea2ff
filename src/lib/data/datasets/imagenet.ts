/**
 * ImageNet (ILSVRC2012) as an ImageFolder tree: `<root>/train/<wnid>/*.JPEG` and `<root>/val/<wnid>/*.JPEG`
 * (what `data/fetch/imagenet.ts` builds from the publisher's tars and devkit).
 *
 * Class index: torchvision `ImageFolder` convention — the wnid folder names sorted (code-unit order, which for
 * `n01440764`-style names is numeric order), index = position in that list; with a class subset (e.g. an
 * ImageNet-100 list) the index is the position in the sorted subset. Files inside a class are sorted by name;
 * `perClass` keeps the first n of them (a deterministic subset for reduced scales).
 *
 * Images are decoded with `jpeg-js` (pure JS, ~ tens of ms for a full-size photo). The optional cache decodes
 * every image once and stores it resized so its shorter side is `shorterSide` (8-bit RGB) — see
 * {@link buildImageCache}. Batches ({@link ImageNetSource}) are time-first `[T, B, S, S, 3]`: the normalised
 * image repeated over T (direct encoding, as the SEW-ResNet ImageNet study feeds its nets).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { tf } from "../../backend/tf.js";
import type { BatchSource, TrainBatch } from "../../train/trainer.js";
import { Rng } from "../../util/random.js";
import { decodeJpeg, rgbToFrames } from "../formats/jpeg.js";
import type { Frames } from "../frames.js";
import { Compose, type FrameTransform } from "../transforms/types.js";
import { RandomHorizontalFlip } from "../transforms/flip.js";
import { NormalizeImage, RandomResizedCrop, ResizeCenterCrop, evalResizeSide } from "../transforms/image.js";
import { classInterleavedOrder } from "../order.js";
import { buildImageCache, type ImageCacheOptions } from "../image-cache.js";
import { repeatOverTime } from "../time-repeat.js";

export type ImageNetSplit = "train" | "val";

export const IMAGENET_FETCH_HINT = "Fetch it with 'npx tsx data/fetch/imagenet.ts --from <folder with ILSVRC2012_img_train.tar, ILSVRC2012_img_val.tar, ILSVRC2012_devkit_t12.tar.gz>' " +
  "(ImageNet needs a registered download from https://image-net.org; run the command with --help for the steps).";

export interface ImageNetOptions {
  /** Folder holding `train/` and `val/`. */
  root: string;
  split: ImageNetSplit;
  /** Keep only these wnids (e.g. an ImageNet-100 list); default every class folder of the split. */
  classes?: readonly string[];
  /** Keep the first n files (sorted by name) of each class. */
  perClass?: number;
}

export interface ImageRef { id: string; file: string; label: number }

export interface ImageNetIndex {
  root: string;
  split: ImageNetSplit;
  /** Sorted wnids; `classes[label]`. */
  classes: string[];
  samples: ImageRef[];
}

const WNID = /^n\d{8}$/;

/** A class-list file: one wnid per line (anything after the wnid, blank lines and `#` comments ignored). */
export function parseClassList(text: string, file = "<class list>"): string[] {
  const out: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const w = line.replace(/#.*/, "").trim().split(/[\s,]+/)[0];
    if (!w) return;
    if (!WNID.test(w)) throw new Error(`${file}:${i + 1}: expected a WordNet id like n01440764, found '${w}'`);
    out.push(w);
  });
  if (new Set(out).size !== out.length) throw new Error(`${file}: a wnid is listed twice`);
  return out;
}

/** List the split's classes and files (see the module comment for the index convention). */
export function scanImageNet(o: ImageNetOptions): ImageNetIndex {
  const dir = join(o.root, o.split);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: ImageNet ${o.split} folder not found. ${IMAGENET_FETCH_HINT}`);
  // Hidden folders are unfinished extractions (data/fetch/imagenet.ts), not classes.
  const present = readdirSync(dir).filter((d) => !d.startsWith(".") && statSync(join(dir, d)).isDirectory()).sort();
  let classes = present;
  if (o.classes) {
    const missing = o.classes.filter((c) => !present.includes(c));
    if (missing.length) throw new Error(`${dir}: class folder(s) ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ` and ${missing.length - 5} more` : ""} not found. ${IMAGENET_FETCH_HINT}`);
    classes = [...o.classes].sort();
  }
  if (classes.length === 0) throw new Error(`${dir}: no class folders. ${IMAGENET_FETCH_HINT}`);
  if (o.perClass !== undefined && !(Number.isInteger(o.perClass) && o.perClass >= 1)) throw new Error(`scanImageNet: perClass must be a positive integer, got ${o.perClass}`);
  const samples: ImageRef[] = [];
  classes.forEach((wnid, label) => {
    let files = readdirSync(join(dir, wnid)).filter((f) => !f.startsWith(".")).sort();
    if (o.perClass !== undefined) files = files.slice(0, o.perClass);
    for (const f of files) samples.push({ id: `${wnid}/${f}`, file: join(dir, wnid, f), label });
  });
  return { root: o.root, split: o.split, classes, samples };
}

/** Random access to decoded images `[1, 3, H, W]` (0…255) and their labels. */
export interface ImageStore {
  readonly length: number;
  label(i: number): number;
  labels(): Int32Array;
  get(i: number): Promise<Frames> | Frames;
}

/** Decode straight from the JPEG files on every access (faithful full-resolution crops; slow in JS). */
export class JpegImages implements ImageStore {
  constructor(readonly index: ImageNetIndex) {}
  get length(): number { return this.index.samples.length; }
  label(i: number): number { return this.ref(i).label; }
  labels(): Int32Array { return Int32Array.from(this.index.samples, (s) => s.label); }
  async get(i: number): Promise<Frames> {
    const r = this.ref(i);
    return rgbToFrames(decodeJpeg(new Uint8Array(await readFile(r.file)), r.file));
  }
  private ref(i: number): ImageRef {
    const r = this.index.samples[i];
    if (!r) throw new Error(`JpegImages(${this.index.root}/${this.index.split}): index ${i} out of range [0, ${this.length})`);
    return r;
  }
}

/** Relative paths + sizes of the files: part of the cache key, so replacing an image selects a new cache. */
export function indexFingerprint(index: ImageNetIndex): string[] {
  return index.samples.map((s) => `${relative(index.root, s.file)}:${statSync(s.file).size}`);
}

export interface ImageNetSourceOptions {
  /** Crop side S (train: RandomResizedCrop(S); eval: Resize(round(S·256/224)) + CenterCrop(S)). */
  size: number;
  batchSize: number;
  /** Time steps the static image is repeated over. */
  T: number;
  /** Training: shuffle each epoch with this seed and augment (RRC + HFlip); omit for evaluation order. */
  shuffleSeed?: number;
  /** Keep the first `limit` samples of a class-interleaved order (balanced subsets). */
  limit?: number;
  /** Replace the default transform (before normalisation). */
  transform?: FrameTransform;
}

/** The recipe's transforms: train RRC(S) + HFlip, eval Resize + CenterCrop; then ImageNet normalisation. */
export function imageNetTransform(size: number, train: boolean): FrameTransform {
  return new Compose(train
    ? [new RandomResizedCrop(size), new RandomHorizontalFlip(), new NormalizeImage()]
    : [new ResizeCenterCrop(size, evalResizeSide(size)), new NormalizeImage()]);
}

/** Batches `[T, B, S, S, 3]` (normalised NHWC image tiled over T) with int labels. */
export class ImageNetSource implements BatchSource {
  private readonly order: number[];
  private readonly transform: FrameTransform;

  constructor(private readonly store: ImageStore, private readonly opts: ImageNetSourceOptions) {
    if (!(opts.batchSize >= 1 && Number.isInteger(opts.T) && opts.T >= 1 && opts.size >= 1)) throw new Error(`ImageNetSource: need batchSize ≥ 1, integer T ≥ 1, size ≥ 1, got ${opts.batchSize}, ${opts.T}, ${opts.size}`);
    this.order = classInterleavedOrder(store.labels(), opts.limit);
    this.transform = opts.transform ?? imageNetTransform(opts.size, opts.shuffleSeed !== undefined);
  }

  get size(): number { return this.order.length; }

  /** Training (shuffled) drops the last partial batch; evaluation keeps every sample. */
  batchesPerEpoch(): number {
    const n = this.order.length / this.opts.batchSize;
    return this.opts.shuffleSeed === undefined ? Math.ceil(n) : Math.floor(n);
  }

  async batch(epoch: number, index: number): Promise<TrainBatch> {
    const o = this.opts;
    const order = o.shuffleSeed === undefined ? this.order : new Rng(o.shuffleSeed * 7919 + epoch).shuffle([...this.order]);
    const idx = order.slice(index * o.batchSize, (index + 1) * o.batchSize);
    // One generator per batch, drawn in sample order: the augmentation is a function of (seed, epoch, index).
    const rng = new Rng((o.shuffleSeed ?? 0) * 31 + epoch * 100_003 + index);
    const S = o.size, B = idx.length, plane = S * S;
    const x = new Float32Array(B * plane * 3);
    for (let b = 0; b < B; b++) {
      const f = this.transform.apply(await this.store.get(idx[b]!), rng);
      if (f.shape[1] !== 3 || f.shape[2] !== S || f.shape[3] !== S) throw new Error(`ImageNetSource: transform gave [${f.shape}], expected [1, 3, ${S}, ${S}]`);
      for (let c = 0; c < 3; c++) for (let p = 0; p < plane; p++) x[(b * plane + p) * 3 + c] = f.data[c * plane + p]!;
    }
    const seq = tf.tidy(() => repeatOverTime(tf.tensor4d(x, [B, S, S, 3]), o.T));
    return { x: seq, labels: Int32Array.from(idx, (j) => this.store.label(j)) };
  }
}

export interface LoadImageNetOptions extends ImageNetOptions {
  /** Decode once into this cache folder at this shorter side; omit to decode the JPEGs on every access. */
  cache?: { root: string; shorterSide: number; progress?: ImageCacheOptions["progress"] };
}

/** Scan the split and return its images, through the decode-once cache when `cache` is given. */
export async function loadImageNet(o: LoadImageNetOptions): Promise<ImageStore & { classes: string[] }> {
  const index = scanImageNet(o);
  const jpegs = new JpegImages(index);
  if (!o.cache) return Object.assign(jpegs, { classes: index.classes });
  const params = {
    dataset: "imagenet", split: o.split, classes: index.classes, perClass: o.perClass ?? null,
    shorterSide: o.cache.shorterSide, files: indexFingerprint(index),
  };
  const items = index.samples.map((s, i) => ({ label: s.label, load: () => jpegs.get(i) }));
  const cached = await buildImageCache(o.cache.root, params, items, { progress: o.cache.progress ?? {}, label: `ImageNet ${o.split}: decode + resize (shorter side ${o.cache.shorterSide})` });
  return Object.assign(cached, { classes: index.classes });
}
