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
 */
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
  t: Float64Array, splitBy: SplitBy, M: number, opts: { emptyWindows?: "error" | "empty" } = {},
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
  if (N === 0) throw new Error("frameBoundaries: splitBy 'time' needs at least one event, got 0");
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
}

/** `[M, 2, H, W]` counts with a fixed number of frames (SJ `integrate_events_by_fixed_frames_number`). */
export function integrateFixedFrames(ev: Events, o: FixedFramesOptions): Frames {
  checkPositiveInt(o.height, "height", "integrateFixedFrames");
  checkPositiveInt(o.width, "width", "integrateFixedFrames");
  const { jl, jr } = frameBoundaries(ev.t, o.splitBy, o.frames, { emptyWindows: o.emptyWindows });
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
}

/** Frames of fixed duration; the frame count varies per sample (§1.6). */
export function integrateFixedDuration(ev: Events, o: FixedDurationOptions): Frames {
  if (!(o.duration > 0)) throw new Error(`integrateFixedDuration: duration must be > 0 µs, got ${o.duration}`);
  const { height: H, width: W } = o;
  const N = ev.t.length;
  const step = 2 * H * W;
  if (N === 0) return zeroFrames(0, 2, H, W);
  const t = ev.t;
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
