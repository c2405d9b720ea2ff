import { Rng } from "../util/random.js";
/**
 * Class-interleaved sample order: the first sample of every class (ascending class index), then the second
 * of every class, and so on. Its prefixes are class-balanced subsets, which reduced-scale runs use
 * (`limit`); samples keep their dataset order within a class.
 */
export function classInterleavedOrder(labels: ArrayLike<number>, limit?: number): number[] {
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i]!;
    let l = byClass.get(y);
    if (!l) byClass.set(y, (l = []));
    l.push(i);
  }
  const lists = [...byClass.entries()].sort((a, b) => a[0] - b[0]).map(([, l]) => l);
  const out: number[] = [];
  for (let k = 0; out.length < labels.length; k++) for (const l of lists) if (k < l.length) out.push(l[k]!);
  return out.slice(0, limit ?? out.length);
}

/** Batches per epoch: training (shuffled) drops the last partial batch; evaluation (fixed order) keeps every sample. */
export function batchCount(samples: number, batchSize: number, shuffled: boolean): number {
  const n = samples / batchSize;
  return shuffled ? Math.floor(n) : Math.ceil(n);
}

/** Sample indices of batch `index` of `epoch`: `order` itself, or its per-epoch shuffle with `shuffleSeed`. */
export function batchIndices(order: readonly number[], batchSize: number, epoch: number, index: number, shuffleSeed?: number): number[] {
  const o = shuffleSeed === undefined ? [...order] : new Rng(shuffleSeed * 7919 + epoch).shuffle([...order]);
  return o.slice(index * batchSize, (index + 1) * batchSize);
}
