/**
 * Firing rates: the fraction of (time step, sample, neuron) entries that spiked, averaged over T,
 * the batch and the neurons (decision papers.md §5d-3), accumulated over batches by a recorder.
 */
import { tf } from "../backend/tf.js";
import { leafModules, resetModule, setTraining, type Module } from "../layers/module.js";

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

/** A tensor counts as spikes when its values are all 0 or 1 (the syops-counter rule, events-and-parity §5). */
export function isSpikeTensor(t: tf.Tensor): boolean {
  return tf.tidy(() => tf.all(tf.logicalOr(tf.equal(t, 0), tf.equal(t, 1)))).dataSync()[0] === 1;
}

/**
 * Per-layer firing rates of a network over a set of batches: every leaf module whose output is a
 * spike tensor is recorded (rate = spikes / (T · batch · neurons)), in evaluation mode.
 */
export function networkFiringRates(model: Module, batches: Iterable<tf.Tensor>): Map<string, number> {
  const rec = new FiringRateRecorder();
  const restore: (() => void)[] = [];
  for (const [name, m] of leafModules(model)) {
    const orig = m.forward.bind(m);
    m.forward = (x: tf.Tensor) => {
      const y = orig(x);
      if (isSpikeTensor(y)) rec.record(name, y);
      return y;
    };
    restore.push(() => { m.forward = orig; });
  }
  try {
    setTraining(model, false);
    for (const x of batches) {
      resetModule(model);
      tf.tidy(() => model.forward(x));
    }
  } finally {
    restore.forEach((r) => r());
    resetModule(model);
    setTraining(model, true);
  }
  return rec.rates();
}
