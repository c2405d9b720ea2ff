/**
 * Firing rates: the fraction of (time step, sample, neuron) entries that spiked, averaged over T,
 * the batch and the neurons (decision papers.md §5d-3), accumulated over batches by a recorder.
 */
import { tf } from "../backend/tf.js";

/** Mean of a 0/1 spike tensor of any shape. */
export function firingRate(spikes: tf.Tensor): number {
  return tf.tidy(() => tf.mean(spikes)).dataSync()[0]!;
}

/** Accumulates per-layer spike counts over many batches; rate = Σ spikes / Σ entries. */
export class FiringRateRecorder {
  private readonly sums = new Map<string, { spikes: number; entries: number }>();

  record(layer: string, spikes: tf.Tensor): void {
    const s = tf.tidy(() => tf.sum(spikes)).dataSync()[0]!;
    const acc = this.sums.get(layer) ?? { spikes: 0, entries: 0 };
    acc.spikes += s;
    acc.entries += spikes.size;
    this.sums.set(layer, acc);
  }

  /** Layer → firing rate in [0, 1], in first-recorded order. */
  rates(): Map<string, number> {
    return new Map([...this.sums].map(([k, v]) => [k, v.entries ? v.spikes / v.entries : 0]));
  }

  reset(): void {
    this.sums.clear();
  }
}
