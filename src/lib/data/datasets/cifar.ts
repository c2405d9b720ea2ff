/**
 * CIFAR-10 / CIFAR-100 from the publisher's "binary version" archives (https://www.cs.toronto.edu/~kriz/cifar.html),
 * for the mul-free paper's sequential and pixel CIFAR tasks (papers.md §4.4, §5b).
 *
 * Record layout (fixed length, no header):
 *   CIFAR-10   [label u8][R 1024][G 1024][B 1024]            3073 bytes; files data_batch_1..5.bin (10 000 records
 *                                                              each) and test_batch.bin, folder cifar-10-batches-bin/
 *   CIFAR-100  [coarse u8][fine u8][R 1024][G 1024][B 1024]  3074 bytes; train.bin (50 000), test.bin (10 000),
 *                                                              folder cifar-100-binary/; the fine label is the target
 * Each colour plane is row-major 32×32. Images stay `uint8` channel-planar `[n, 3, 32, 32]` as stored; the
 * sequence views ({@link CifarSequenceSource}) normalise and lay them out time-first.
 */
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { tf } from "../../backend/tf.js";
import { repeatOverTime } from "../time-repeat.js";
import type { BatchSource, TrainBatch } from "../../train/trainer.js";
import { writeFileAtomic } from "../../util/fs.js";
import { Rng } from "../../util/random.js";
import { EventFileError } from "../errors.js";
import { batchCount, batchIndices, classInterleavedOrder } from "../order.js";
import { randomResizedCropBox } from "../transforms/image.js";

export type CifarVariant = "cifar10" | "cifar100";

export const CIFAR_SIDE = 32;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE * 3;

export const CIFAR10_CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"] as const;

interface VariantInfo {
  folder: string;
  trainFiles: string[];
  testFiles: string[];
  labelBytes: number;
  classes: number;
  /** Per-channel mean/std of the training set (the values torchvision users normalise with). */
  mean: [number, number, number];
  std: [number, number, number];
}

export const CIFAR_VARIANTS: Record<CifarVariant, VariantInfo> = {
  cifar10: {
    folder: "cifar-10-batches-bin", trainFiles: [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`), testFiles: ["test_batch.bin"], labelBytes: 1, classes: 10,
    mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616],
  },
  cifar100: {
    folder: "cifar-100-binary", trainFiles: ["train.bin"], testFiles: ["test.bin"], labelBytes: 2, classes: 100,
    mean: [0.5071, 0.4865, 0.4409], std: [0.2673, 0.2564, 0.2762],
  },
};

export interface CifarSet {
  variant: CifarVariant;
  /** `[n, 3, 32, 32]` uint8, channel-planar as stored. */
  images: Uint8Array;
  /** Target (CIFAR-100: the fine label). */
  labels: Int32Array;
  /** CIFAR-100 only: the 20 super-classes. */
  coarse?: Int32Array;
}

function recordBytes(variant: CifarVariant): number {
  return CIFAR_VARIANTS[variant].labelBytes + CIFAR_PIXELS;
}

/** Decode one binary batch file held in memory. Errors name the file, byte offset and the rule broken. */
export function decodeCifarBinary(bytes: Uint8Array, variant: CifarVariant, file = "<bytes>"): CifarSet {
  const info = CIFAR_VARIANTS[variant];
  const rec = recordBytes(variant);
  if (bytes.length === 0 || bytes.length % rec !== 0) {
    const whole = Math.floor(bytes.length / rec) * rec;
    throw new EventFileError(file, whole, `${variant} records of ${rec} bytes (file size a positive multiple of ${rec})`, `${bytes.length} bytes (${bytes.length - whole} trailing bytes: truncated or not a ${variant} binary batch)`);
  }
  const n = bytes.length / rec;
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = new Int32Array(n);
  const coarse = info.labelBytes === 2 ? new Int32Array(n) : undefined;
  for (let i = 0; i < n; i++) {
    const at = i * rec;
    const fine = bytes[at + info.labelBytes - 1]!;
    if (fine >= info.classes) throw new EventFileError(file, at + info.labelBytes - 1, `a ${variant} label < ${info.classes}`, `${fine}`);
    if (coarse) {
      if (bytes[at]! >= 20) throw new EventFileError(file, at, "a CIFAR-100 coarse label < 20", `${bytes[at]}`);
      coarse[i] = bytes[at]!;
    }
    labels[i] = fine;
    images.set(bytes.subarray(at + info.labelBytes, at + rec), i * CIFAR_PIXELS);
  }
  return { variant, images, labels, ...(coarse ? { coarse } : {}) };
}

/** Encode images + labels in the publisher's binary layout (fixtures, synthetic data). */
export function encodeCifarBinary(set: CifarSet): Uint8Array {
  const info = CIFAR_VARIANTS[set.variant];
  const n = set.labels.length;
  if (set.images.length !== n * CIFAR_PIXELS) throw new Error(`encodeCifarBinary: ${n} labels need ${n * CIFAR_PIXELS} image bytes, got ${set.images.length}`);
  const rec = recordBytes(set.variant);
  const out = new Uint8Array(n * rec);
  for (let i = 0; i < n; i++) {
    const y = set.labels[i]!;
    if (!(Number.isInteger(y) && y >= 0 && y < info.classes)) throw new Error(`encodeCifarBinary: label ${i} = ${y} is not in [0, ${info.classes})`);
    if (info.labelBytes === 2) out[i * rec] = set.coarse?.[i] ?? 0;
    out[i * rec + info.labelBytes - 1] = y;
    out.set(set.images.subarray(i * CIFAR_PIXELS, (i + 1) * CIFAR_PIXELS), i * rec + info.labelBytes);
  }
  return out;
}

function concatSets(parts: CifarSet[], variant: CifarVariant): CifarSet {
  const n = parts.reduce((s, p) => s + p.labels.length, 0);
  const images = new Uint8Array(n * CIFAR_PIXELS);
  const labels = new Int32Array(n);
  const coarse = variant === "cifar100" ? new Int32Array(n) : undefined;
  let at = 0;
  for (const p of parts) {
    images.set(p.images, at * CIFAR_PIXELS);
    labels.set(p.labels, at);
    if (coarse && p.coarse) coarse.set(p.coarse, at);
    at += p.labels.length;
  }
  return { variant, images, labels, ...(coarse ? { coarse } : {}) };
}

/**
 * Load the official train or test split from `root`, the folder that holds `cifar-10-batches-bin/` or
 * `cifar-100-binary/` (what `data/fetch/cifar.ts` extracts). A missing folder names the fetch command.
 */
export function loadCifar(root: string, variant: CifarVariant, train: boolean): CifarSet {
  const info = CIFAR_VARIANTS[variant];
  const dir = join(root, info.folder);
  const files = train ? info.trainFiles : info.testFiles;
  const parts = files.map((f) => {
    const path = join(dir, f);
    try {
      statSync(path);
    } catch {
      throw new Error(`${path}: not found. Fetch ${variant} with 'npx tsx data/fetch/cifar.ts --variant ${variant === "cifar10" ? 10 : 100}' ` +
        `(or pass --from <the downloaded ${variant === "cifar10" ? "cifar-10" : "cifar-100"}-binary.tar.gz>).`);
    }
    return decodeCifarBinary(readFileSync(path), variant, path);
  });
  return concatSets(parts, variant);
}

/** Write a set into `root` in the official layout, split into the official file names (for tests and smoke runs). */
export async function writeCifarFolder(root: string, train: CifarSet, test: CifarSet): Promise<void> {
  const info = CIFAR_VARIANTS[train.variant];
  const write = async (set: CifarSet, files: string[]) => {
    const n = set.labels.length;
    for (let f = 0; f < files.length; f++) {
      const lo = Math.floor((f * n) / files.length), hi = Math.floor(((f + 1) * n) / files.length);
      const part: CifarSet = {
        variant: set.variant, images: set.images.subarray(lo * CIFAR_PIXELS, hi * CIFAR_PIXELS), labels: set.labels.subarray(lo, hi),
        ...(set.coarse ? { coarse: set.coarse.subarray(lo, hi) } : {}),
      };
      await writeFileAtomic(join(root, info.folder, files[f]!), encodeCifarBinary(part));
    }
  };
  await write(train, info.trainFiles);
  await write(test, info.testFiles);
}

/**
 * How an image becomes a sequence (papers.md §4.4, §5b):
 * - "column": T = 32 steps, step t = image column t, i.e. `[32, B, 32 (rows), 1, 3]` for `seqCifarNet`;
 * - "pixel": T = H·W steps, one pixel (3 channels) per step in row-major order, `[H·W, B, 3]`;
 * - "image": the static image repeated over `repeat` steps (direct encoding), `[T, B, 32, 32, 3]`.
 */
export type CifarSequenceLayout = "column" | "pixel" | "image";

export interface CifarSequenceOptions {
  layout: CifarSequenceLayout;
  batchSize: number;
  /** Shuffle per epoch with this seed (training); omit for a fixed order (evaluation). */
  shuffleSeed?: number;
  /** Random horizontal flip with p = 0.5 (training augmentation; for "column" it reverses time). */
  hflip?: boolean;
  /** Keep the first `limit` samples of a class-interleaved order (balanced subsets for reduced scales). */
  limit?: number;
  /** "pixel" only: average-pool the image by this integer factor first (1 = the paper's 32×32, T = 1024). */
  downsample?: number;
  /** "image" only: number of time steps T the image is repeated over. */
  repeat?: number;
  /**
   * "image" only: RandomResizedCrop back to 32² with area fraction in [lo, hi] (the IMP CIFAR recipe uses
   * [0.875, 1]) and aspect ratio in [3/4, 4/3] (torchvision's defaults), drawn per sample; bilinear
   * (`resizedCropBox`).
   */
  resizedCrop?: [number, number];
}

/** Random-access batches of a CIFAR set as normalised time-first sequences. */
export class CifarSequenceSource implements BatchSource {
  private readonly order: number[];

  constructor(private readonly set: CifarSet, private readonly opts: CifarSequenceOptions) {
    if (!(opts.batchSize >= 1)) throw new Error(`CifarSequenceSource: batchSize must be >= 1, got ${opts.batchSize}`);
    const ds = opts.downsample ?? 1;
    if (!(Number.isInteger(ds) && ds >= 1 && CIFAR_SIDE % ds === 0)) throw new Error(`CifarSequenceSource: downsample must be an integer divisor of 32, got ${ds}`);
    if (!["column", "pixel", "image"].includes(opts.layout)) throw new Error(`CifarSequenceSource: layout must be "column", "pixel" or "image", got ${JSON.stringify(opts.layout)}`);
    if (opts.layout === "image" && !(Number.isInteger(opts.repeat) && opts.repeat! >= 1)) throw new Error(`CifarSequenceSource: layout "image" needs repeat (T) >= 1, got ${opts.repeat}`);
    const rc = opts.resizedCrop;
    if (rc && !(opts.layout === "image" && rc[0] > 0 && rc[0] <= rc[1] && rc[1] <= 1)) throw new Error(`CifarSequenceSource: resizedCrop needs layout "image" and 0 < lo <= hi <= 1, got ${JSON.stringify(rc)}`);
    this.order = classInterleavedOrder(set.labels, opts.limit);
  }

  get size(): number {
    return this.order.length;
  }

  /** Sequence length T of this layout. */
  get T(): number {
    const side = CIFAR_SIDE / (this.opts.downsample ?? 1);
    if (this.opts.layout === "image") return this.opts.repeat!;
    return this.opts.layout === "column" ? CIFAR_SIDE : side * side;
  }

  /** Training (shuffled) drops the last partial batch; evaluation (fixed order) keeps every sample. */
  batchesPerEpoch(): number {
    return batchCount(this.order.length, this.opts.batchSize, this.opts.shuffleSeed !== undefined);
  }

  batch(epoch: number, index: number): TrainBatch {
    const o = this.opts;
    const idx = batchIndices(this.order, o.batchSize, epoch, index, o.shuffleSeed);
    const flipRng = new Rng((o.shuffleSeed ?? 0) * 31 + epoch * 100_003 + index);
    const { mean, std } = CIFAR_VARIANTS[this.set.variant];
    const B = idx.length;
    const ds = o.downsample ?? 1;
    const side = CIFAR_SIDE / ds;
    const T = this.T;
    if (o.layout === "image") return this.imageBatch(idx, flipRng);
    // Column layout [T = column, B, row, 1, channel]; pixel layout [T = row·side + col, B, channel].
    const x = new Float32Array(T * B * (o.layout === "column" ? CIFAR_SIDE * 3 : 3));
    idx.forEach((j, b) => {
      const img = this.set.images.subarray(j * CIFAR_PIXELS, (j + 1) * CIFAR_PIXELS);
      const flip = o.hflip === true && flipRng.next() < 0.5;
      for (let c = 0; c < 3; c++) {
        for (let r = 0; r < side; r++) {
          for (let col = 0; col < side; col++) {
            let sum = 0;
            for (let dr = 0; dr < ds; dr++) for (let dc = 0; dc < ds; dc++) sum += img[c * 1024 + (r * ds + dr) * CIFAR_SIDE + col * ds + dc]!;
            const v = (sum / (ds * ds) / 255 - mean[c]) / std[c];
            const srcCol = flip ? side - 1 - col : col;
            if (o.layout === "column") x[((srcCol * B + b) * CIFAR_SIDE + r) * 3 + c] = v;
            else x[((r * side + srcCol) * B + b) * 3 + c] = v;
          }
        }
      }
    });
    const shape = o.layout === "column" ? [T, B, CIFAR_SIDE, 1, 3] : [T, B, 3];
    return { x: tf.tensor(x, shape), labels: Int32Array.from(idx.map((j) => this.set.labels[j]!)) };
  }

  /** Normalised NHWC images `[B, 32, 32, 3]` (optionally flipped) repeated over T. */
  private imageBatch(idx: number[], flipRng: Rng): TrainBatch {
    const { mean, std } = CIFAR_VARIANTS[this.set.variant];
    const B = idx.length, S = CIFAR_SIDE;
    const x = new Float32Array(B * S * S * 3);
    idx.forEach((j, b) => {
      const img = this.set.images.subarray(j * CIFAR_PIXELS, (j + 1) * CIFAR_PIXELS);
      const flip = this.opts.hflip === true && flipRng.next() < 0.5;
      for (let c = 0; c < 3; c++) for (let r = 0; r < S; r++) for (let col = 0; col < S; col++) {
        x[((b * S + r) * S + (flip ? S - 1 - col : col)) * 3 + c] = (img[c * 1024 + r * S + col]! / 255 - mean[c]) / std[c];
      }
    });
    const T = this.opts.repeat!;
    const rc = this.opts.resizedCrop;
    const seq = tf.tidy(() => {
      let img = tf.tensor4d(x, [B, S, S, 3]);
      if (rc) img = tf.image.cropAndResize(img, tf.tensor2d(idx.flatMap(() => resizedCropBox(flipRng, rc)), [B, 4]), tf.range(0, B, 1, "int32") as tf.Tensor1D, [S, S], "bilinear");
      return repeatOverTime(img, T);
    });
    return { x: seq, labels: Int32Array.from(idx.map((j) => this.set.labels[j]!)) };
  }
}

/**
 * One RandomResizedCrop box on the 32² grid (torchvision's sampling, `randomResizedCropBox`) as
 * `cropAndResize`'s normalised [y1, x1, y2, x2], whose end points are the first and last sampled pixel
 * centres (pixel p ↦ p/31): rows top … top + h − 1 are resampled onto 32 rows, corner-aligned
 * (torchvision samples at half-pixel centres; the crops here are upscaled, so no antialiasing is involved).
 */
function resizedCropBox(rng: Rng, scale: [number, number]): number[] {
  const S = CIFAR_SIDE;
  const b = randomResizedCropBox(S, S, rng, { scale });
  return [b.top / (S - 1), b.left / (S - 1), (b.top + b.height - 1) / (S - 1), (b.left + b.width - 1) / (S - 1)];
}
