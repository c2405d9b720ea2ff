/**
 * Seeded pseudo-random numbers for everything that is not a TF.js op (data shuffling, splits,
 * augmentation parameters). TF.js has no global seed, so tensor ops take explicit seeds instead.
 *
 * The generator is mulberry32: 32-bit state, period 2^32, fast and good enough for shuffling.
 */
export class Rng {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new Error(`Rng: seed must be a finite number, got ${seed}`);
    this.state = (Math.trunc(seed) ^ 0x9e3779b9) >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place; returns the array. */
  shuffle<T>(a: T[]): T[] {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [a[i], a[j]] = [a[j]!, a[i]!];
    }
    return a;
  }

  /** A fresh seed for a sub-stream (e.g. one per epoch), deterministic given this generator. */
  fork(): number {
    return Math.floor(this.next() * 2 ** 31);
  }
}

/**
 * The seed to hand TF.js's Gaussian generators (`tf.randomNormal`, `tf.truncatedNormal`, `tf.randomGamma`): they
 * test the seed for truthiness (`seed ? seed : Math.random()`), so seed 0 silently means "unseeded" and a model
 * built with seed 0 gets a different initialisation in every process. 0 is mapped to −1 (callers use seeds ≥ 0).
 * `tf.randomUniform` checks `seed == null` and needs no mapping.
 */
export function tfNormalSeed(seed: number): number {
  return seed === 0 ? -1 : seed;
}
