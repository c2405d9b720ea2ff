/**
 * Batch loader: `FrameSource` → batches `{ x: [T, B, C, H, W] float32, y: [B] int32 }` as tf tensors,
 * time-first (CONTRIBUTING: convert at the edges).
 *
 * Determinism: the order of epoch e is a Fisher–Yates shuffle by `Rng(mix(seed, e))`; the augmentation of
 * sample i in epoch e uses `Rng(mix(seed, e, i))`, so batches do not depend on timing or prefetch.
 * Prefetch: while the caller works on batch k, the samples of batch k+1 are already being read and
 * transformed (plain arrays; the tensors are only created when the batch is handed out, so breaking
 * out of the loop leaks no tensors).
 */
import { tf } from "../backend/tf.js";
import { Rng } from "../util/random.js";
import type { FrameSource } from "./cache.js";
import type { Frames } from "./frames.js";
import type { FrameTransform } from "./transforms/types.js";

export interface LoaderOptions {
  batchSize: number;
  shuffle?: boolean;
  seed?: number;
  dropLast?: boolean;
  transform?: FrameTransform;
  prefetch?: boolean;
}

export interface Batch {
  /** `[T, B, C, H, W]` float32. */
  x: tf.Tensor;
  /** `[B]` int32 labels. */
  y: tf.Tensor;
  /** Source indices of the batch, in batch order. */
  indices: number[];
}

/** Integer hash of a few integers (seed mixing). */
export function mixSeed(...xs: number[]): number {
  let h = 0x811c9dc5;
  for (const x of xs) {
    h = Math.imul(h ^ (x & 0xffff), 0x01000193);
    h = Math.imul(h ^ (x >>> 16), 0x01000193);
  }
  return h >>> 0;
}

/** Stack samples `[T, C, H, W]` into `[T, B, C, H, W]` (flat). */
export function stackTimeFirst(samples: readonly Frames[]): { data: Float32Array; shape: [number, number, number, number, number] } {
  if (samples.length === 0) throw new Error("stackTimeFirst: need at least one sample");
  const [T, C, H, W] = samples[0]!.shape;
  const B = samples.length;
  const chw = C * H * W;
  const out = new Float32Array(T * B * chw);
  samples.forEach((s, b) => {
    if (s.shape.join() !== samples[0]!.shape.join()) {
      throw new Error(`stackTimeFirst: sample ${b} has shape [${s.shape}], expected [${samples[0]!.shape}] like sample 0`);
    }
    for (let t = 0; t < T; t++) out.set(s.data.subarray(t * chw, (t + 1) * chw), (t * B + b) * chw);
  });
  return { data: out, shape: [T, B, C, H, W] };
}

/**
 * Also a trainer `BatchSource`: `batch(epoch, k)` returns batch k of an epoch by address (the same
 * batch every time), prefetching batch k + 1, so a resumed run can jump straight to its batch.
 */
export class FrameLoader {
  private ahead: { epoch: number; k: number; p: Promise<{ frames: Frames[]; labels: number[] }> } | null = null;

  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly seed: number;
  readonly dropLast: boolean;
  constructor(readonly source: FrameSource, readonly opts: LoaderOptions) {
    if (!Number.isInteger(opts.batchSize) || opts.batchSize <= 0) {
      throw new Error(`FrameLoader: batchSize must be a positive integer, got ${opts.batchSize}`);
    }
    this.batchSize = opts.batchSize;
    this.shuffle = opts.shuffle ?? false;
    this.seed = opts.seed ?? 0;
    this.dropLast = opts.dropLast ?? false;
  }

  /** Number of batches per epoch. */
  get numBatches(): number {
    const n = this.source.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  batchesPerEpoch(): number {
    return this.numBatches;
  }

  /** Batch `k` of `epoch` as `{ x: [T, B, C, H, W], labels }` (trainer `BatchSource`). */
  async batch(epoch: number, k: number): Promise<{ x: tf.Tensor; labels: Int32Array }> {
    const nb = this.numBatches;
    if (!(Number.isInteger(k) && k >= 0 && k < nb)) throw new Error(`FrameLoader.batch: index ${k} outside [0, ${nb})`);
    const order = this.order(epoch);
    const slice = (i: number) => order.slice(i * this.batchSize, Math.min(order.length, (i + 1) * this.batchSize));
    const hit = this.ahead && this.ahead.epoch === epoch && this.ahead.k === k ? this.ahead.p : null;
    const cur = await (hit ?? this.load(slice(k), epoch));
    this.ahead = (this.opts.prefetch ?? true) && k + 1 < nb ? { epoch, k: k + 1, p: this.load(slice(k + 1), epoch) } : null;
    const st = stackTimeFirst(cur.frames);
    return { x: tf.tensor(st.data, st.shape, "float32"), labels: Int32Array.from(cur.labels) };
  }

  /** Sample order of an epoch. */
  order(epoch: number): number[] {
    const idx = Array.from({ length: this.source.length }, (_, i) => i);
    if (this.shuffle) new Rng(mixSeed(this.seed, epoch)).shuffle(idx);
    return idx;
  }

  private load(indices: number[], epoch: number): Promise<{ frames: Frames[]; labels: number[] }> {
    const p = this.loadNow(indices, epoch);
    p.catch(() => undefined); // a prefetch the caller never awaits (early break) must not become an unhandled rejection
    return p;
  }

  private async loadNow(indices: number[], epoch: number): Promise<{ frames: Frames[]; labels: number[] }> {
    const items = await Promise.all(indices.map((i) => this.source.get(i)));
    const tr = this.opts.transform;
    return {
      frames: items.map((it, k) => (tr ? tr.apply(it.frames, new Rng(mixSeed(this.seed, epoch, indices[k]!, 0x5eed))) : it.frames)),
      labels: items.map((it) => it.label),
    };
  }

  /** Batches of one epoch. The caller owns (and disposes) each batch's tensors. */
  async *epoch(epoch = 0): AsyncGenerator<Batch> {
    const order = this.order(epoch);
    const nb = this.numBatches;
    const slice = (k: number) => order.slice(k * this.batchSize, Math.min(order.length, (k + 1) * this.batchSize));
    const prefetch = this.opts.prefetch ?? true;
    let next = nb > 0 ? this.load(slice(0), epoch) : null;
    for (let k = 0; k < nb; k++) {
      const cur = await next!;
      next = k + 1 < nb ? (prefetch ? this.load(slice(k + 1), epoch) : null) : null;
      const st = stackTimeFirst(cur.frames);
      yield { x: tf.tensor(st.data, st.shape, "float32"), y: tf.tensor1d(cur.labels, "int32"), indices: slice(k) };
      if (!prefetch && k + 1 < nb) next = this.load(slice(k + 1), epoch);
    }
  }
}
