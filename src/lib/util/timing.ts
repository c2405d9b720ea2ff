/**
 * Timing helpers for benchmarks and timing figures.
 *
 * Why interleave: on the shared 2-core VMs this project runs on, the same op sequence alternates between a fast
 * and a several-times-slower phase that lasts for several calls. Measured with the op-by-op LIF at T 4, N 2^16
 * on wasm: 2.5 ms and no page faults per call in the fast phase, 16–18 ms and ≈ 1,300 minor page faults (fresh
 * memory pages touched) in the slow one, in runs of 5–10 calls, while a plain JS loop stays flat. Timing one
 * arm's block of repeats and then the other's lets a phase change land on one arm only and skews their ratio
 * several-fold. Running the arms round-robin (the first arm rotating each round) puts both arms in the same
 * phase, and the median over rounds of the per-round ratio damps what is left.
 */

/** Median; the mean of the two middle values for an even count. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error("median of an empty list");
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Median over rounds of `a[i] / b[i]` (samples taken in the same round, see {@link timeInterleaved}). */
export function medianPairedRatio(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new Error(`medianPairedRatio: ${a.length} vs ${b.length} samples`);
  return median(a.map((v, i) => v / b[i]!));
}

/**
 * Wall time (ms) of each arm over `repeats` rounds: every round calls each arm once, the starting arm rotating
 * from round to round; `warmup` unrecorded rounds come first. Returns the samples per arm, in round order, so
 * sample i of every arm comes from the same round. `onRound` is called after each round, warm-ups included
 * (negative round numbers), e.g. to tick a progress bar. `clock` (ms) defaults to `performance.now`.
 */
export function timeInterleaved<K extends string>(arms: Record<K, () => void>, opts: { repeats: number; warmup?: number; onRound?: (round: number) => void; clock?: () => number }): Record<K, number[]> {
  const names = Object.keys(arms) as K[];
  if (!(Number.isInteger(opts.repeats) && opts.repeats >= 1)) throw new Error(`timeInterleaved: repeats must be a positive integer, got ${opts.repeats}`);
  const samples = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  const warmup = opts.warmup ?? 1;
  const now = opts.clock ?? (() => performance.now());
  for (let round = -warmup; round < opts.repeats; round++) {
    const start = ((round % names.length) + names.length) % names.length;
    for (let j = 0; j < names.length; j++) {
      const name = names[(start + j) % names.length]!;
      const t0 = now();
      arms[name]();
      const ms = now() - t0;
      if (round >= 0) samples[name].push(ms);
    }
    opts.onRound?.(round);
  }
  return samples;
}
