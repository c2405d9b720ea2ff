/**
 * Polarity and time transforms, on events and on frames.
 * - `flipPolarity`: `p → 1 − p` (swaps the two frame channels);
 * - `mergePolarities`: all events to p = 0 (one channel);
 * - `timeReverse`: `t → t_max + t_min − t`, event order reversed so t stays non-decreasing, and
 *   polarity flipped (a reversed brightness increase is a decrease);
 * - `cropTime`: keep `t0 ≤ t < t1`;
 * - `hflipEvents`: `x → W − 1 − x`;
 * - `reverseFrames` / `flipFrameChannels`: the frame-level counterparts.
 */
import type { Rng } from "../../util/random.js";
import { allocEvents, timeWindow, type Events } from "../events.js";
import type { Frames } from "../frames.js";
import { checkFrames, type FrameTransform } from "./types.js";

export function flipPolarity(ev: Events): Events {
  return { t: ev.t.slice(), x: ev.x.slice(), y: ev.y.slice(), p: ev.p.map((v) => (v ? 0 : 1)) };
}

export function mergePolarities(ev: Events): Events {
  return { t: ev.t.slice(), x: ev.x.slice(), y: ev.y.slice(), p: new Uint8Array(ev.p.length) };
}

export function timeReverse(ev: Events): Events {
  const n = ev.t.length;
  const out = allocEvents(n);
  if (n === 0) return out;
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < n; i++) { const t = ev.t[i]!; if (t < lo) lo = t; if (t > hi) hi = t; }
  for (let i = 0; i < n; i++) {
    const j = n - 1 - i;
    out.t[i] = hi + lo - ev.t[j]!;
    out.x[i] = ev.x[j]!;
    out.y[i] = ev.y[j]!;
    out.p[i] = ev.p[j] ? 0 : 1;
  }
  return out;
}

export function cropTime(ev: Events, t0: number, t1: number): Events {
  return timeWindow(ev, t0, t1);
}

export function hflipEvents(ev: Events, width: number): Events {
  const x = new Uint16Array(ev.x.length);
  for (let i = 0; i < x.length; i++) {
    if (ev.x[i]! >= width) throw new Error(`hflipEvents: event ${i} has x=${ev.x[i]} ≥ width ${width}`);
    x[i] = width - 1 - ev.x[i]!;
  }
  return { t: ev.t.slice(), x, y: ev.y.slice(), p: ev.p.slice() };
}

/** Reverse the T axis of frames. */
export function reverseFrames(f: Frames): Frames {
  checkFrames(f, "reverseFrames");
  const [T] = f.shape;
  const step = f.data.length / Math.max(1, T);
  const out = new Float32Array(f.data.length);
  for (let i = 0; i < T; i++) out.set(f.data.subarray((T - 1 - i) * step, (T - i) * step), i * step);
  return { data: out, shape: [...f.shape] };
}

/** Swap the two polarity channels of `[T, 2, H, W]` frames. */
export function flipFrameChannels(f: Frames): Frames {
  checkFrames(f, "flipFrameChannels");
  const [T, C, H, W] = f.shape;
  if (C !== 2) throw new Error(`flipFrameChannels: expected 2 channels, got ${C}`);
  const out = new Float32Array(f.data.length);
  const HW = H * W;
  for (let i = 0; i < T; i++) {
    out.set(f.data.subarray((2 * i + 1) * HW, (2 * i + 2) * HW), 2 * i * HW);
    out.set(f.data.subarray(2 * i * HW, (2 * i + 1) * HW), (2 * i + 1) * HW);
  }
  return { data: out, shape: [T, C, H, W] };
}

/** Random polarity flip on frames (probability p). */
export class RandomFlipPolarity implements FrameTransform {
  constructor(readonly p = 0.5) {}
  apply(f: Frames, rng: Rng): Frames { return rng.next() < this.p ? flipFrameChannels(f) : f; }
}

/** Random time reversal on frames: reversed T axis and swapped polarity channels (probability p). */
export class RandomTimeReversal implements FrameTransform {
  constructor(readonly p = 0.5) {}
  apply(f: Frames, rng: Rng): Frames { return rng.next() < this.p ? flipFrameChannels(reverseFrames(f)) : f; }
}
