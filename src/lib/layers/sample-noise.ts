/**
 * Per-sample uniform noise: the draws of sample b depend only on (seed, b), b its index in the step's
 * whole batch, never on how the batch was split (workers, micro-batches) or on the other samples.
 *
 * `tf.randomUniform(shape, …, seed)` cannot give that: its stream runs over the whole tensor, so the
 * draws of a sample change with the batch size and with its position in a shard. Here element j of
 * sample b is a counter-based hash, u = h(k_b + j·φ) / 2³² truncated to 24 bits (exact in float32,
 * in [0, 1)), with k_b = h(h(seed) ⊕ b·ψ) the sample's key, φ, ψ odd constants and h the lowbias32
 * integer mixer (Wellons' 32-bit avalanche hash). `stream` separates several draws under one seed (a module's
 * k-th draw since its reseed) exactly: folding it into the seed arithmetically (seed·c + k) loses k once the
 * product passes 2⁵³, which the nested seeds of a module tree (seed·31 + i per level) reach.
 */
import { tf } from "../backend/tf.js";
import { currentBatchShard } from "./batch-shard.js";

const mix32 = (x: number): number => {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
};

/** A JS number seed (possibly ≥ 2³², e.g. seed·1 000 003 + call) folded to a 32-bit key. */
function seedKey(seed: number): number {
  if (!Number.isFinite(seed)) throw new Error(`sampleUniform: seed must be a finite number, got ${seed}`);
  const s = Math.trunc(Math.abs(seed));
  const hi = Math.floor(s / 4294967296) >>> 0, lo = s >>> 0;
  return mix32(mix32(lo ^ 0x2545f491) ^ Math.imul(hi, 0x9e3779b1) ^ (seed < 0 ? 0x5bd1e995 : 0));
}

/** Draws of samples [first, first + count) in the layout `[outer, count, inner]`, as a flat array. */
export function sampleUniformValues(seed: number, first: number, count: number, outer: number, inner: number, stream = 0): Float32Array {
  if (!(Number.isInteger(stream) && stream >= 0 && stream < 2 ** 32)) throw new Error(`sampleUniform: stream must be an integer in [0, 2³²), got ${stream}`);
  const key = mix32(seedKey(seed) ^ mix32(stream ^ 0x68e31da4));
  const out = new Float32Array(outer * count * inner);
  for (let b = 0; b < count; b++) {
    const kb = mix32(key ^ Math.imul(first + b + 1, 0x27d4eb2f));
    for (let o = 0; o < outer; o++) {
      const dst = (o * count + b) * inner, j0 = o * inner;
      for (let i = 0; i < inner; i++) {
        out[dst + i] = (mix32((kb + Math.imul(j0 + i, 0x9e3779b9)) >>> 0) >>> 8) * 5.9604644775390625e-8; // 2⁻²⁴
      }
    }
  }
  return out;
}

/**
 * Uniform [0, 1) noise of `shape` whose axis `batchAxis` indexes samples: sample b of this tensor is sample
 * `offset + b` of the step's batch (`currentBatchShard().offset`), and draws what that sample draws in any split.
 * `stream`: which draw under this seed (see the module doc).
 */
export function sampleUniform(shape: readonly number[], batchAxis: number, seed: number, stream = 0): tf.Tensor {
  if (!(Number.isInteger(batchAxis) && batchAxis >= 0 && batchAxis < shape.length)) {
    throw new Error(`sampleUniform: batchAxis ${batchAxis} is not an axis of shape [${shape}]`);
  }
  const outer = shape.slice(0, batchAxis).reduce((a, d) => a * d, 1);
  const inner = shape.slice(batchAxis + 1).reduce((a, d) => a * d, 1);
  const values = sampleUniformValues(seed, currentBatchShard().offset, shape[batchAxis]!, outer, inner, stream);
  return tf.tensor(values, shape as number[], "float32");
}
