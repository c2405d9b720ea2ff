/**
 * Firing rates: the fraction of (time step, sample, neuron) entries that spiked, averaged over T,
 * the batch and the neurons (decision papers.md §5d-3), accumulated over batches by a recorder.
 */
import { tf } from "../backend/tf.js";
import { withForwardHooks } from "../layers/hooks.js";
import { leafModules, resetModule, setTraining, type Module } from "../layers/module.js";

/** Mean of a 0/1 spike tensor of any shape. */
export function firingRate(spikes: tf.Tensor): number {
  return tf.tidy(() => tf.mean(spikes)).dataSync()[0]!;
}

/** Accumulates per-layer spike counts over many batches; rate = Σ spikes / Σ entries. */
export class FiringRateRecorder {
  private readonly sums = new Map<string, { spikes: number; entries: number }>();

  /** Add a spike tensor (reads its sum back synchronously; `add` takes counts already read). */
  record(layer: string, spikes: tf.Tensor): void {
    this.add(layer, tf.tidy(() => tf.sum(spikes)).dataSync()[0]!, spikes.size);
  }

  /** Add `spikes` spikes out of `entries` (time step, sample, neuron) entries. */
  add(layer: string, spikes: number, entries: number): void {
    const acc = this.sums.get(layer) ?? { spikes: 0, entries: 0 };
    acc.spikes += spikes;
    acc.entries += entries;
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

/** 1 when every value of `t` is 0 or 1 (the syops-counter rule for spikes, events-and-parity §5), else 0. */
function spikeFlag(t: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.all(tf.logicalOr(tf.equal(t, 0), tf.equal(t, 1))));
}

/** A tensor counts as spikes when its values are all 0 or 1 (the syops-counter rule, events-and-parity §5). */
export function isSpikeTensor(t: tf.Tensor): boolean {
  return tf.tidy(() => spikeFlag(t)).dataSync()[0] === 1;
}

/**
 * What forward hooks saw of tensors, kept as small tensors so that a pass reads nothing back: per tensor
 * whether it is spikes, its sum and its size. `add` inside a hook (the scalars survive the surrounding
 * tidy), `read` after the pass (asynchronously, in order, freeing them), `dispose` to drop unread ones.
 */
export class TensorSummaries {
  private pending: { name: string; isSpikes: tf.Tensor; sum: tf.Tensor; size: number }[] = [];

  add(name: string, t: tf.Tensor): void {
    this.pending.push({ name, isSpikes: tf.keep(spikeFlag(t)), sum: tf.keep(tf.tidy(() => tf.sum(t))), size: t.size });
  }

  async read(): Promise<{ name: string; isSpikes: boolean; sum: number; size: number }[]> {
    const taken = this.pending;
    this.pending = [];
    try {
      const out = [];
      for (const p of taken) out.push({ name: p.name, isSpikes: (await p.isSpikes.data())[0] === 1, sum: (await p.sum.data())[0]!, size: p.size });
      return out;
    } finally {
      for (const p of taken) { p.isSpikes.dispose(); p.sum.dispose(); }
    }
  }

  dispose(): void {
    for (const p of this.pending) { p.isSpikes.dispose(); p.sum.dispose(); }
    this.pending = [];
  }
}

/**
 * Evaluation passes over `batches`: eval mode, each batch from a reset state in a `tf.tidy`, then
 * `afterEach()` (where hooks' summaries are read); the state is reset and training mode restored at the end.
 */
export async function evaluationPasses(model: Module, batches: Iterable<tf.Tensor>, afterEach: () => Promise<void>): Promise<void> {
  try {
    setTraining(model, false);
    for (const x of batches) {
      resetModule(model);
      tf.tidy(() => { model.forward(x); });
      await afterEach();
    }
  } finally {
    resetModule(model);
    setTraining(model, true);
  }
}

/**
 * Per-layer firing rates of a network over a set of batches: every leaf module whose output is a
 * spike tensor is recorded (rate = spikes / (T · batch · neurons)), in evaluation mode.
 */
export async function networkFiringRates(model: Module, batches: Iterable<tf.Tensor>): Promise<Map<string, number>> {
  const rec = new FiringRateRecorder();
  const seen = new TensorSummaries();
  try {
    await withForwardHooks(leafModules(model), ({ name, output }) => seen.add(name, output), () =>
      evaluationPasses(model, batches, async () => {
        for (const o of await seen.read()) if (o.isSpikes) rec.add(o.name, o.sum, o.size);
      }));
  } finally {
    seen.dispose(); // what a pass that threw left unread
  }
  return rec.rates();
}
