/**
 * Where the samples a forward pass sees sit in the experiment's batch, and how the parts of one
 * normalisation group talk to each other.
 *
 * The experiment fixes the semantics of a step; how many processes or micro-batches compute it must
 * not change the result. Two things in a forward pass depend on more than one sample:
 *
 * - per-sample random draws (dropout masks, Bernoulli estimates): sample b of the step draws from
 *   (module seed, draw, b) with b its index in the *whole* batch — so a part holding samples
 *   [offset, offset + B_part) needs its offset (see `sample-noise.ts`);
 * - batch-norm statistics: those of the normalisation group (the batch, or the declared micro-batch),
 *   which may be split over several workers; each part computes per-channel sums over its own samples
 *   and `allReduce` sums them over every part of the group, in a fixed order (so each part gets the
 *   bit-identical total and the result depends only on how many parts there are).
 *
 * The shard is a dynamic context, set by whoever runs the forward pass (the trainer's gradient engine,
 * a worker), read by the layers that need it. Outside any context a forward pass is one whole batch.
 */

export interface BatchShard {
  /** Index of this part's first sample in the step's batch (the key of its per-sample draws). */
  offset: number;
  /**
   * Sum `values` element-wise over every part of the normalisation group and return the total (bit-identical
   * in every part). Absent when the part is the whole group.
   */
  allReduce?: (values: Float64Array) => Float64Array;
}

const WHOLE: BatchShard = Object.freeze({ offset: 0 });
let current: BatchShard = WHOLE;

/** The shard the running forward pass computes (offset 0 and no peers outside any context). */
export function currentBatchShard(): BatchShard {
  return current;
}

/** Run `fn` (synchronously) with `shard` as the current shard; restores the previous one after. */
export function withBatchShard<R>(shard: BatchShard, fn: () => R): R {
  if (!(Number.isInteger(shard.offset) && shard.offset >= 0)) {
    throw new Error(`withBatchShard: offset must be a non-negative integer, got ${shard.offset}`);
  }
  const prev = current;
  current = shard;
  try {
    return fn();
  } finally {
    current = prev;
  }
}
