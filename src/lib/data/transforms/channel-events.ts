/**
 * Augmentations of channel spike trains (SHD), the four of the mul-free paper's Table 8 (papers.md §4.4), as pure
 * functions of (events, parameters, Rng). Semantics follow tonic's transforms of the same names (reimplemented):
 *
 * - {@link spatialJitter}: unit → round(unit + N(0, variance)); spikes pushed outside 0..C−1 are dropped
 *   (tonic's `clip_outliers`); SHD units are integers, so the jittered position is rounded (decision, issue #19);
 * - {@link uniformNoise}: add `n` spikes, channel uniform in 0..C−1, time uniform in [t_min, t_max] of the sample,
 *   then sort by time;
 * - {@link dropEvent}: remove ⌊p·N + 0.5⌋ spikes chosen uniformly without replacement (tonic's exact count);
 * - {@link dropChunk}: with probability p, remove the spikes in one time window of length r·(t_max − t_min),
 *   r ~ U(0, maxLength), placed uniformly in the sample (tonic `DropEventByTime` with a duration-ratio range).
 *
 * {@link augmentShd} applies them in the order Table 8 lists them.
 */
import type { Rng } from "../../util/random.js";
import type { ChannelEvents } from "../datasets/shd.js";

function keep(ev: ChannelEvents, mask: (i: number) => boolean): ChannelEvents {
  let n = 0;
  for (let i = 0; i < ev.times.length; i++) if (mask(i)) n++;
  const times = new Float32Array(n), units = new Int32Array(n);
  let j = 0;
  for (let i = 0; i < ev.times.length; i++) if (mask(i)) { times[j] = ev.times[i]!; units[j++] = ev.units[i]!; }
  return { times, units };
}

export function spatialJitter(ev: ChannelEvents, variance: number, channels: number, rng: Rng): ChannelEvents {
  if (!(variance >= 0)) throw new Error(`spatialJitter: variance must be >= 0, got ${variance}`);
  const sd = Math.sqrt(variance);
  const moved = Int32Array.from(ev.units, (u) => Math.round(u + sd * rng.normal()));
  return keep({ times: ev.times, units: moved }, (i) => moved[i]! >= 0 && moved[i]! < channels);
}

export function uniformNoise(ev: ChannelEvents, n: number, channels: number, rng: Rng): ChannelEvents {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`uniformNoise: n must be an integer >= 0, got ${n}`);
  const N = ev.times.length;
  if (N === 0 || n === 0) return { times: ev.times.slice(), units: ev.units.slice() };
  let lo = Infinity, hi = -Infinity;
  for (const t of ev.times) { if (t < lo) lo = t; if (t > hi) hi = t; }
  const idx = Array.from({ length: N + n }, (_, i) => i);
  const times = new Float32Array(N + n), units = new Int32Array(N + n);
  times.set(ev.times); units.set(ev.units);
  for (let i = N; i < N + n; i++) { times[i] = rng.uniform(lo, hi); units[i] = rng.int(channels); }
  idx.sort((a, b) => times[a]! - times[b]! || a - b);
  return { times: Float32Array.from(idx, (i) => times[i]!), units: Int32Array.from(idx, (i) => units[i]!) };
}

export function dropEvent(ev: ChannelEvents, p: number, rng: Rng): ChannelEvents {
  if (!(p >= 0 && p <= 1)) throw new Error(`dropEvent: p must be in [0, 1], got ${p}`);
  const N = ev.times.length;
  const k = Math.floor(p * N + 0.5);
  const order = rng.shuffle(Array.from({ length: N }, (_, i) => i));
  const drop = new Uint8Array(N);
  for (let i = 0; i < k; i++) drop[order[i]!] = 1;
  return keep(ev, (i) => !drop[i]);
}

export function dropChunk(ev: ChannelEvents, p: number, maxLength: number, rng: Rng): ChannelEvents {
  if (!(p >= 0 && p <= 1) || !(maxLength >= 0 && maxLength <= 1)) throw new Error(`dropChunk: p and maxLength must be in [0, 1], got ${p}, ${maxLength}`);
  if (ev.times.length === 0 || rng.next() >= p) return { times: ev.times.slice(), units: ev.units.slice() };
  let lo = Infinity, hi = -Infinity;
  for (const t of ev.times) { if (t < lo) lo = t; if (t > hi) hi = t; }
  const len = rng.uniform(0, maxLength) * (hi - lo);
  const start = lo + rng.uniform(0, 1) * (hi - lo - len);
  return keep(ev, (i) => !(ev.times[i]! >= start && ev.times[i]! < start + len));
}

export interface ShdAugmentOptions {
  /** Spatial jitter variance (Table 8: 0.55). */
  jitterVariance: number;
  /** Uniform noise spikes added (Table 8: 35). */
  noiseEvents: number;
  /** Drop-event fraction (Table 8: 0.05). */
  dropEventP: number;
  /** Drop-chunk probability and maximal relative length (Table 8: 0.3, 0.02). */
  dropChunkP: number;
  dropChunkMaxLength: number;
  channels: number;
}

export const SHD_TABLE8_AUGMENT: ShdAugmentOptions = { jitterVariance: 0.55, noiseEvents: 35, dropEventP: 0.05, dropChunkP: 0.3, dropChunkMaxLength: 0.02, channels: 700 };

/** Table 8's four augmentations in order: jitter → noise → drop event → drop chunk. */
export function augmentShd(ev: ChannelEvents, o: ShdAugmentOptions, rng: Rng): ChannelEvents {
  let out = spatialJitter(ev, o.jitterVariance, o.channels, rng);
  out = uniformNoise(out, o.noiseEvents, o.channels, rng);
  out = dropEvent(out, o.dropEventP, rng);
  return dropChunk(out, o.dropChunkP, o.dropChunkMaxLength, rng);
}
