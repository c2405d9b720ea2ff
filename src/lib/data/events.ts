/**
 * The columnar event type shared by every format parser, frame integrator and dataset.
 *
 * Events are kept as four parallel typed arrays (structure of arrays) rather than one object per
 * event: parsers fill them without per-event allocation, and frame integration reads them in a
 * tight loop. Units and ranges:
 * - `t`: timestamp in µs as float64 — exact for integers below 2^53, which covers the 64-bit AEDAT 3.1
 *   timestamps `ts32 | overflow << 31` of any real recording (events-and-parity §3.1);
 * - `x`, `y`: pixel column / row (origin top-left after decoding), uint16;
 * - `p`: polarity 0 = OFF, 1 = ON (frame channel = `p ≠ 0`, §1.6).
 */
export interface Events {
  t: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
}

/** Sensor canvas, height first as in SpikingJelly's `get_H_W()`. */
export interface SensorSize {
  height: number;
  width: number;
}

/** Number of events. */
export function eventCount(ev: Events): number {
  return ev.t.length;
}

/** Allocate `n` zeroed events. */
export function allocEvents(n: number): Events {
  return { t: new Float64Array(n), x: new Uint16Array(n), y: new Uint16Array(n), p: new Uint8Array(n) };
}

/** Zero events. */
export function emptyEvents(): Events {
  return allocEvents(0);
}

/**
 * Build events from plain arrays (tests, small fixtures). All four columns must have equal length.
 */
export function makeEvents(cols: {
  t: ArrayLike<number>;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  p: ArrayLike<number>;
}): Events {
  const n = cols.t.length;
  for (const k of ["x", "y", "p"] as const) {
    if (cols[k].length !== n) {
      throw new Error(`makeEvents: column '${k}' has length ${cols[k].length}, expected ${n} (length of 't')`);
    }
  }
  return {
    t: Float64Array.from(cols.t),
    x: Uint16Array.from(cols.x),
    y: Uint16Array.from(cols.y),
    p: Uint8Array.from(cols.p),
  };
}

/** Concatenate event batches in order (copies). */
export function concatEvents(parts: readonly Events[]): Events {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const e of parts) n += e.t.length;
  const out = allocEvents(n);
  let o = 0;
  for (const e of parts) {
    out.t.set(e.t, o);
    out.x.set(e.x, o);
    out.y.set(e.y, o);
    out.p.set(e.p, o);
    o += e.t.length;
  }
  return out;
}

/** Events at positions `[start, end)` (views, no copy). */
export function sliceEvents(ev: Events, start: number, end: number = ev.t.length): Events {
  return {
    t: ev.t.subarray(start, end),
    x: ev.x.subarray(start, end),
    y: ev.y.subarray(start, end),
    p: ev.p.subarray(start, end),
  };
}

/** Events whose index satisfies `keep` (copies). */
export function filterEvents(ev: Events, keep: (i: number) => boolean): Events {
  const n = ev.t.length;
  const idx = new Uint32Array(n);
  let m = 0;
  for (let i = 0; i < n; i++) if (keep(i)) idx[m++] = i;
  const out = allocEvents(m);
  for (let j = 0; j < m; j++) {
    const i = idx[j]!;
    out.t[j] = ev.t[i]!;
    out.x[j] = ev.x[i]!;
    out.y[j] = ev.y[i]!;
    out.p[j] = ev.p[i]!;
  }
  return out;
}

/**
 * Events with `tStart ≤ t < tEnd` — the DVS128 Gesture label rule (§1.6, §7 item 8): an event exactly
 * at `endTime_usec` belongs to no gesture. Implemented as a mask (like SpikingJelly), so it is correct
 * even when timestamps are not sorted.
 */
export function timeWindow(ev: Events, tStart: number, tEnd: number): Events {
  const t = ev.t;
  return filterEvents(ev, (i) => t[i]! >= tStart && t[i]! < tEnd);
}

/**
 * Events in non-decreasing time order, ties kept in their original order (copies). For recordings
 * whose order is known not to matter; the time-based frame rules refuse unsorted input (frames.ts).
 */
export function sortEvents(ev: Events): Events {
  const t = ev.t;
  const idx = Uint32Array.from({ length: t.length }, (_, i) => i).sort((a, b) => t[a]! - t[b]! || a - b);
  const out = allocEvents(idx.length);
  idx.forEach((i, j) => { out.t[j] = t[i]!; out.x[j] = ev.x[i]!; out.y[j] = ev.y[i]!; out.p[j] = ev.p[i]!; });
  return out;
}

/** Deep copy. */
export function cloneEvents(ev: Events): Events {
  return { t: ev.t.slice(), x: ev.x.slice(), y: ev.y.slice(), p: ev.p.slice() };
}

/**
 * Growable columnar buffer used by the streaming decoders: append one event at a time without
 * allocating objects, then `take()` the filled prefix.
 */
export class EventBuilder {
  t: Float64Array;
  x: Uint16Array;
  y: Uint16Array;
  p: Uint8Array;
  n = 0;
  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.t = new Float64Array(c);
    this.x = new Uint16Array(c);
    this.y = new Uint16Array(c);
    this.p = new Uint8Array(c);
  }
  /** Make room for `extra` more events. */
  reserve(extra: number): void {
    const need = this.n + extra;
    if (need <= this.t.length) return;
    let c = this.t.length * 2;
    while (c < need) c *= 2;
    const t = new Float64Array(c); t.set(this.t.subarray(0, this.n)); this.t = t;
    const x = new Uint16Array(c); x.set(this.x.subarray(0, this.n)); this.x = x;
    const y = new Uint16Array(c); y.set(this.y.subarray(0, this.n)); this.y = y;
    const p = new Uint8Array(c); p.set(this.p.subarray(0, this.n)); this.p = p;
  }
  /**
   * The events appended so far, and reset to empty. The returned columns are views of the current
   * buffers, which are handed over (fresh buffers are allocated for later appends), so nothing is copied.
   */
  take(): Events {
    const n = this.n;
    if (n === 0) return { t: new Float64Array(0), x: new Uint16Array(0), y: new Uint16Array(0), p: new Uint8Array(0) };
    const out: Events = { t: this.t.subarray(0, n), x: this.x.subarray(0, n), y: this.y.subarray(0, n), p: this.p.subarray(0, n) };
    const c = Math.max(16, Math.min(this.t.length, 1 << 16));
    this.t = new Float64Array(c);
    this.x = new Uint16Array(c);
    this.y = new Uint16Array(c);
    this.p = new Uint8Array(c);
    this.n = 0;
    return out;
  }
}
