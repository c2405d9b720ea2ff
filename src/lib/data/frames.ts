/**
 * Event-to-frame integration with SpikingJelly's rules (events-and-parity §1.6, §3.5, §7 item 6;
 * papers §1.4).
 *
 * A frame is `float32 [2, H, W]` of event **counts** (not binarised): channel = `p ≠ 0`, so channel 0 is
 * OFF. A sample is `[T, 2, H, W]`, time-first, stored flat in a `Float32Array`.
 *
 * Segment boundaries for a fixed number of frames M over N events:
 * - `"number"`: `di = ⌊N/M⌋`, `j_l[i] = i·di`, `j_r[i] = j_l[i] + di`, and `j_r[M−1] = N` (the
 *   remainder goes into the last frame — tonic drops it);
 * - `"time"`: `dt = ⌊(t[N−1] − t[0]) / M⌋`; window i is `[t0 + i·dt, t0 + (i+1)·dt)`, `j_l`/`j_r` are the
 *   first / last+1 positions of the events in it, and `j_r[M−1] = N`. SJ crashes on an empty window;
 *   we throw a clear error by default (`emptyWindows: "error"`) or emit an empty frame (`"empty"`).
 *
 * Time order (issue #20, DECISIONS "Hardening"): the time-based rules (`splitBy: "time"`, fixed duration)
 * need timestamps in non-decreasing order — on unsorted input SJ's first/last rule lets windows overlap or
 * drop events silently. They throw an {@link EventDataError} naming the first event that goes back in time
 * (a recording is time-ordered, so this is corruption or a mistake upstream); `sortEvents` orders events
 * explicitly when that is what is wanted. `splitBy: "number"` is defined on positions and accepts any order.
 * Errors name `source` (the file and window the events came from) when the caller gives it.
 */
import { EventDataError } from "./errors.js";
import type { Events } from "./events.js";

/** Frames `[T, C, H, W]` in a flat float32 buffer. */
export interface Frames {
  data: Float32Array;
  shape: [number, number, number, number];
}

export type SplitBy = "number" | "time";

/** Make a zero-filled {@link Frames}. */
export function zeroFrames(T: number, C: number, H: number, W: number): Frames {
  return { data: new Float32Array(T * C * H * W), shape: [T, C, H, W] };
}

function checkPositiveInt(v: number, name: string, who: string): void {
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${who}: ${name} must be a positive integer, got ${v}`);
}

/** Index of the first event whose time is earlier than its predecessor's, or -1 if `t` is non-decreasing. */
export function firstOutOfOrder(t: Float64Array): number {
  for (let k = 1; k < t.length; k++) if (t[k]! < t[k - 1]!) return k;
  return -1;
}

/** Throw an {@link EventDataError} unless `t` is non-decreasing (the time-based frame rules need it). */
export function requireTimeOrder(t: Float64Array, rule: string, source = "<events>"): void {
  const k = firstOutOfOrder(t);
  if (k >= 0) {
    throw new EventDataError(source, k, `timestamps in non-decreasing order for ${rule} (sort them with sortEvents if the order does not matter)`,
      `t=${t[k]} µs after t=${t[k - 1]} µs at event ${k - 1}`);
  }
}

/**
 * Count events `[jl, jr)` into `out[offset : offset + 2·H·W]` (SJ `integrate_events_segment_to_frame`).
 * Coordinates outside the canvas throw (SJ's bincount would produce a wrongly-shaped frame).
 */
export function integrateSegment(
  ev: Events, jl: number, jr: number, H: number, W: number, out: Float32Array, offset = 0,
): void {
  const { x, y, p } = ev;
  const HW = H * W;
  for (let i = jl; i < jr; i++) {
    const xi = x[i]!, yi = y[i]!;
    if (xi >= W || yi >= H) {
      throw new Error(`integrateSegment: event ${i} at x=${xi}, y=${yi} lies outside the ${W}×${H} (W×H) canvas`);
    }
    out[offset + (p[i] ? HW : 0) + yi * W + xi]! += 1;
  }
}

export interface Boundaries {
  jl: Int32Array;
  jr: Int32Array;
}

/** SJ's segment boundaries for M frames (see module doc). */
export function frameBoundaries(
  t: Float64Array, splitBy: SplitBy, M: number, opts: { emptyWindows?: "error" | "empty"; source?: string } = {},
): Boundaries {
  checkPositiveInt(M, "frames", "frameBoundaries");
  const N = t.length;
  const jl = new Int32Array(M);
  const jr = new Int32Array(M);
  if (splitBy === "number") {
    const di = Math.floor(N / M);
    for (let i = 0; i < M; i++) { jl[i] = i * di; jr[i] = i * di + di; }
    jr[M - 1] = N;
    return { jl, jr };
  }
  if (splitBy !== "time") throw new Error(`frameBoundaries: splitBy must be 'number' or 'time', got '${String(splitBy)}'`);
  if (N === 0) throw new Error(`frameBoundaries: splitBy 'time' needs at least one event, got 0${opts.source ? ` (${opts.source})` : ""}`);
  requireTimeOrder(t, "splitBy 'time'", opts.source);
  const t0 = t[0]!;
  const dt = Math.floor((t[N - 1]! - t0) / M);
  jl.fill(-1);
  for (let k = 0; k < N; k++) {
    if (dt <= 0) break;
    const d = t[k]! - t0;
    if (d < 0) continue;
    const w = Math.floor(d / dt);
    if (w >= M) continue;
    if (jl[w] === -1) jl[w] = k;
    jr[w] = k + 1;
  }
  for (let i = 0; i < M; i++) {
    if (jl[i] === -1) {
      if ((opts.emptyWindows ?? "error") === "error") {
        throw new Error(`frameBoundaries: time window ${i} of ${M} ([t0 + ${i}·${dt}, t0 + ${i + 1}·${dt}) µs) holds no event ` +
          `(SpikingJelly fails here too); pass emptyWindows: 'empty' or use splitBy 'number'`);
      }
      jl[i] = i === 0 ? 0 : jr[i - 1]!;
      jr[i] = jl[i]!;
    }
  }
  jr[M - 1] = N;
  return { jl, jr };
}

export interface FixedFramesOptions {
  frames: number;
  splitBy: SplitBy;
  height: number;
  width: number;
  emptyWindows?: "error" | "empty";
  /** Where the events come from (file, window), named in errors. */
  source?: string;
}

/** `[M, 2, H, W]` counts with a fixed number of frames (SJ `integrate_events_by_fixed_frames_number`). */
export function integrateFixedFrames(ev: Events, o: FixedFramesOptions): Frames {
  checkPositiveInt(o.height, "height", "integrateFixedFrames");
  checkPositiveInt(o.width, "width", "integrateFixedFrames");
  const { jl, jr } = frameBoundaries(ev.t, o.splitBy, o.frames, { emptyWindows: o.emptyWindows, source: o.source });
  const f = zeroFrames(o.frames, 2, o.height, o.width);
  const step = 2 * o.height * o.width;
  for (let i = 0; i < o.frames; i++) integrateSegment(ev, jl[i]!, jr[i]!, o.height, o.width, f.data, i * step);
  return f;
}

export interface FixedDurationOptions {
  /** Window length in µs. */
  duration: number;
  height: number;
  width: number;
  /**
   * `"head"` (default, SJ@HEAD): grid from `t0`, `T = ⌈(t[N−1] − t0)/duration⌉` (at least 1), frame
   * `⌊(t − t0)/duration⌋`, tail folded into the last frame. `"0.14"` (SJ 0.0.0.0.14): greedy windows,
   * each starting at its first event and extended while `t − t_l ≤ duration`.
   */
  version?: "head" | "0.14";
  /**
   * Most frames one sample may have (default: as many as fit in {@link DEFAULT_MAX_FRAME_BYTES}, 8192 frames
   * of 2×128×128). A corrupt timestamp far in the future otherwise asks for billions of frames.
   */
  maxFrames?: number;
  /** Where the events come from (file, window), named in errors. */
  source?: string;
}

/** Memory budget of one sample's frames behind the default {@link FixedDurationOptions.maxFrames}: 1 GiB of float32. */
export const DEFAULT_MAX_FRAME_BYTES = 2 ** 30;

/**
 * Throw an {@link EventDataError} naming the first event (of time-ordered `t`) later than
 * `t0 + maxFrames·duration`, if any. Both rules stay within `maxFrames` frames below that span: HEAD makes
 * `⌈span/duration⌉`, and each 0.14 window starts more than `duration` after the previous one.
 */
function checkFrameCount(t: Float64Array, duration: number, maxFrames: number, source: string): void {
  const N = t.length, t0 = t[0]!;
  const tMax = t0 + maxFrames * duration;
  if (t[N - 1]! <= tMax) return;
  let lo = 0, hi = N - 1; // first k with t[k] > tMax (binary search: t is sorted)
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! > tMax) hi = mid; else lo = mid + 1;
  }
  throw new EventDataError(source, lo,
    `t ≤ ${tMax} µs (first event t0=${t0} µs + maxFrames ${maxFrames} × duration ${duration} µs; raise maxFrames if the recording is that long)`,
    `t=${t[lo]} µs, ${Math.ceil((t[lo]! - t0) / duration)} frames after t0`);
}

/** Frames of fixed duration; the frame count varies per sample (§1.6). */
export function integrateFixedDuration(ev: Events, o: FixedDurationOptions): Frames {
  if (!(o.duration > 0)) throw new Error(`integrateFixedDuration: duration must be > 0 µs, got ${o.duration}`);
  const { height: H, width: W } = o;
  const N = ev.t.length;
  const step = 2 * H * W;
  if (N === 0) return zeroFrames(0, 2, H, W);
  const t = ev.t;
  const source = o.source ?? "<events>";
  const maxFrames = o.maxFrames ?? Math.max(1, Math.floor(DEFAULT_MAX_FRAME_BYTES / (4 * step)));
  checkPositiveInt(maxFrames, "maxFrames", "integrateFixedDuration");
  requireTimeOrder(t, "fixed-duration frames", source);
  checkFrameCount(t, o.duration, maxFrames, source);
  if ((o.version ?? "head") === "head") {
    const t0 = t[0]!;
    const T = Math.max(1, Math.ceil((t[N - 1]! - t0) / o.duration));
    const f = zeroFrames(T, 2, H, W);
    // counts per frame index, events assumed sorted as in a recording
    let start = 0;
    let cur = Math.min(T - 1, Math.max(0, Math.floor((t[0]! - t0) / o.duration)));
    for (let k = 1; k <= N; k++) {
      const idx = k < N ? Math.min(T - 1, Math.max(0, Math.floor((t[k]! - t0) / o.duration))) : -1;
      if (idx !== cur) {
        integrateSegment(ev, start, k, H, W, f.data, cur * step);
        start = k;
        cur = idx;
      }
    }
    return f;
  }
  // 0.14 greedy
  const segs: [number, number][] = [];
  let l = 0;
  while (l < N) {
    let r = l;
    while (r < N && t[r]! - t[l]! <= o.duration) r++;
    segs.push([l, r]);
    l = r;
  }
  const f = zeroFrames(segs.length, 2, H, W);
  segs.forEach(([a, b], i) => integrateSegment(ev, a, b, H, W, f.data, i * step));
  return f;
}

/** Sum of each frame (all channels and pixels) — handy for checks: no events are lost. */
export function frameSums(f: Frames): number[] {
  const [T] = f.shape;
  const step = f.data.length / Math.max(1, T);
  const out: number[] = [];
  for (let i = 0; i < T; i++) {
    let s = 0;
    for (let j = i * step; j < (i + 1) * step; j++) s += f.data[j]!;
    out.push(s);
  }
  return out;
}
