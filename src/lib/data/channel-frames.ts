/**
 * Binning of channel spike trains (SHD-like: one channel index per spike, no x/y/polarity) into count frames,
 * following the SNN-delays protocol (Hammouamri et al., ICLR 2024, `Thvnvtos/SNN-delays` through SpikingJelly's
 * `integrate_events_by_fixed_duration_shd`; decision in docs/DECISIONS.md, issue #19):
 *
 *   t_ms = 1000·t − t_first             (time origin at the sample's first spike; `alignToFirst`)
 *   frame = ⌊t_ms / dt⌋                  (dt = 10 ms), the last frame also takes t_ms = maxTime exactly
 *   channel = ⌊unit / pool⌋              (pool = SNN-delays' n_bins: 5 → 140 channels; 1 keeps 700)
 *   F[frame][channel] += 1               (counts, not clipped to 1)
 *
 * SNN-delays pads each batch to its longest sample; here T = ⌈maxTime / dt⌉ is fixed so every batch has the same
 * shape, and spikes after maxTime are dropped (counted in the result so callers can report it).
 */
import type { ChannelEvents } from "./datasets/shd.js";

export interface ChannelBinning {
  /** Bin width in milliseconds (SNN-delays: 10). */
  dtMs: number;
  /** Length of the binned window in milliseconds; T = ⌈maxTimeMs / dtMs⌉. */
  maxTimeMs: number;
  /** Sum this many neighbouring channels (1 = none). */
  pool: number;
  /** Number of input channels (SHD: 700); must be divisible by `pool`. */
  channels: number;
  /** Shift times so the first spike is at 0 (SNN-delays), default true. */
  alignToFirst?: boolean;
}

export function binningShape(b: ChannelBinning): { T: number; C: number } {
  if (!(b.dtMs > 0) || !(b.maxTimeMs > 0)) throw new Error(`binning: dtMs and maxTimeMs must be > 0, got ${b.dtMs}, ${b.maxTimeMs}`);
  if (!(Number.isInteger(b.pool) && b.pool >= 1) || b.channels % b.pool !== 0) {
    throw new Error(`binning: pool must be a positive integer dividing ${b.channels} channels, got ${b.pool}`);
  }
  return { T: Math.ceil(b.maxTimeMs / b.dtMs - 1e-9), C: b.channels / b.pool };
}

/**
 * Count frames `[T, C]` (row-major) of one sample written into `out` at `offset` with row stride `stride`
 * (so a batch `[T, B, C]` is filled in place: offset = b·C, stride = B·C). Returns the number of dropped spikes.
 */
export function binChannelEvents(ev: ChannelEvents, b: ChannelBinning, out: Float32Array, offset = 0, stride?: number): number {
  const { T, C } = binningShape(b);
  const rowStride = stride ?? C;
  const n = ev.times.length;
  if (ev.units.length !== n) throw new Error(`binChannelEvents: ${n} times but ${ev.units.length} units`);
  if (n === 0) return 0;
  let t0 = 0;
  if (b.alignToFirst ?? true) {
    t0 = Infinity;
    for (let i = 0; i < n; i++) if (ev.times[i]! < t0) t0 = ev.times[i]!;
  }
  let dropped = 0;
  for (let i = 0; i < n; i++) {
    const tMs = 1000 * (ev.times[i]! - t0);
    if (tMs > b.maxTimeMs) { dropped++; continue; }
    const f = Math.min(Math.floor(tMs / b.dtMs), T - 1);
    const u = ev.units[i]!;
    if (u < 0 || u >= b.channels) throw new Error(`binChannelEvents: unit ${u} outside 0..${b.channels - 1}`);
    out[offset + f * rowStride + Math.floor(u / b.pool)]! += 1;
  }
  return dropped;
}
