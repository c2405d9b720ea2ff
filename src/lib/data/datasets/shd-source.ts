/**
 * Batches of SHD (or any {@link ShdSet}) for the trainer: events → optional Table 8 augmentation (training only,
 * seeded by (seed, epoch, sample)) → count frames → time-first `[T, B, C]` float32 tensors.
 *
 * Order: class-interleaved (so `limit` gives a class-balanced subset); training shuffles it per epoch and drops
 * the last partial batch, evaluation keeps the fixed order and every sample.
 */
import { tf } from "../../backend/tf.js";
import type { BatchSource, TrainBatch } from "../../train/trainer.js";
import { Rng } from "../../util/random.js";
import { binChannelEvents, binningShape, type ChannelBinning } from "../channel-frames.js";
import { batchCount, batchIndices, classInterleavedOrder } from "../order.js";
import { augmentShd, type ShdAugmentOptions } from "../transforms/channel-events.js";
import type { ShdSet } from "./shd.js";

export interface ShdSourceOptions {
  batchSize: number;
  binning: ChannelBinning;
  /** Shuffle every epoch with this seed (training); undefined = fixed order (evaluation). */
  shuffleSeed?: number;
  augment?: ShdAugmentOptions;
  /** Use the first `limit` samples of the class-interleaved order. */
  limit?: number;
}

export class ShdSequenceSource implements BatchSource {
  private readonly order: number[];
  /** Spikes after the binning window, summed over every batch built so far. */
  droppedSpikes = 0;

  constructor(private readonly set: Pick<ShdSet, "samples" | "labels">, private readonly opts: ShdSourceOptions) {
    if (!(Number.isInteger(opts.batchSize) && opts.batchSize >= 1)) throw new Error(`ShdSequenceSource: batchSize must be an integer >= 1, got ${opts.batchSize}`);
    binningShape(opts.binning);
    this.order = classInterleavedOrder(set.labels, opts.limit);
  }

  get size(): number {
    return this.order.length;
  }

  get shape(): { T: number; C: number } {
    return binningShape(this.opts.binning);
  }

  batchesPerEpoch(): number {
    return batchCount(this.order.length, this.opts.batchSize, this.opts.shuffleSeed !== undefined);
  }

  batch(epoch: number, index: number): TrainBatch {
    const o = this.opts;
    const idx = batchIndices(this.order, o.batchSize, epoch, index, o.shuffleSeed);
    if (idx.length === 0) throw new Error(`ShdSequenceSource: batch ${index} of epoch ${epoch} is past the end (${this.batchesPerEpoch()} batches)`);
    const { T, C } = this.shape;
    const B = idx.length;
    const x = new Float32Array(T * B * C);
    const labels = new Int32Array(B);
    idx.forEach((j, b) => {
      let ev = this.set.samples[j]!;
      if (o.augment && o.shuffleSeed !== undefined) ev = augmentShd(ev, o.augment, new Rng(((o.shuffleSeed * 1_000_003 + epoch) * 8_191 + j) >>> 0));
      this.droppedSpikes += binChannelEvents(ev, o.binning, x, b * C, B * C);
      labels[b] = this.set.labels[j]!;
    });
    return { x: tf.tensor3d(x, [T, B, C]), labels };
  }
}
