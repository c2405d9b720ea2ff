/**
 * ATIS `.bin` — N-Caltech101 / N-MNIST (events-and-parity §3.3): 5-byte records, 40 bits per event,
 *
 *   x = b0,  y = b1,  p = (b2 & 0x80) >> 7,  t = ((b2 & 0x7F) << 16) | (b3 << 8) | b4   (µs, 23 bits).
 *
 * Overflow handling (`overflow`, §3.3, §7 item 9, §8):
 * - `"none"` (default, SpikingJelly parity): every record is an event, no correction;
 * - `"tonic"`: a record with `y == 240` is an overflow marker: it is dropped and every later timestamp
 *   gets `+2^13` per marker seen so far.
 * Coordinates are not min-shifted (SJ uses a fixed 180×240 H×W canvas); events outside `sensor`
 * (default 240×180 W×H) are rejected with an {@link EventFileError}.
 */
import { writeFileAtomic } from "../../util/fs.js";
import type { Events } from "../events.js";
import { EventFileError } from "../errors.js";
import {
  BlockDecoder, checkSensor, decodeBytes, readFileEvents, streamFile, type DecoderBaseOptions,
} from "./stream.js";

export type AtisOverflow = "none" | "tonic";
/** The `y` value tonic treats as an overflow marker. */
export const ATIS_OVERFLOW_Y = 240;
/** Timestamp increment per tonic overflow marker. */
export const ATIS_OVERFLOW_STEP = 2 ** 13;
export const ATIS_RECORD_BYTES = 5;

export interface AtisOptions extends DecoderBaseOptions {
  overflow?: AtisOverflow;
  /** Canvas for the range check (default N-Caltech101 240×180); `null` disables it. */
  sensor?: { width: number; height: number } | null;
}

function checkOverflow(o: string, who: string): AtisOverflow {
  if (o !== "none" && o !== "tonic") throw new Error(`${who}: overflow must be 'none' or 'tonic', got '${o}'`);
  return o;
}

/** Incremental ATIS decoder. */
export class AtisDecoder extends BlockDecoder {
  private readonly tonic: boolean;
  private readonly width: number;
  private readonly height: number;
  private offsetUs = 0;

  constructor(opts: AtisOptions = {}) {
    super(opts);
    this.tonic = checkOverflow(opts.overflow ?? "none", "AtisDecoder") === "tonic";
    const s = opts.sensor === undefined ? { width: 240, height: 180 } : opts.sensor;
    this.width = s ? s.width : Infinity;
    this.height = s ? s.height : Infinity;
  }

  consume(buf: Uint8Array, base: number): number {
    const end = buf.length - (buf.length % ATIS_RECORD_BYTES);
    if (end === 0) return 0;
    this.room(end, base, ATIS_RECORD_BYTES);
    // x and y are single bytes, so a bound ≥ 256 never rejects: clamping keeps the loop's compares integer
    const W = Math.min(this.width, 256), H = Math.min(this.height, 256);
    // one loop per overflow rule, so the common (SJ parity) loop carries no marker test
    const bad = this.tonic ? this.decodeTonic(buf, end, W, H) : this.decodePlain(buf, end, W, H);
    if (bad >= 0) checkSensor(this.file, base + bad, buf[bad]!, buf[bad + 1]!, this.width, this.height);
    return end;
  }

  /** 5-byte records from the first byte on: in place, placed at the end of the `t` column. */
  protected override inPlaceLayout(): { minBytes: number; alignAt: number } {
    return { minBytes: ATIS_RECORD_BYTES, alignAt: -1 };
  }

  finish(rest: Uint8Array, base: number): void {
    if (rest.length > 0) {
      throw new EventFileError(this.file, base, "a complete 5-byte ATIS record (truncated file)",
        `${rest.length} trailing bytes`);
    }
  }

  /**
   * Decode the records in `u[0, end)` (SJ parity: every record is an event). Returns -1, or the byte
   * position of the first record outside `W × H` (nothing from it on is written).
   */
  private decodePlain(u: Uint8Array, end: number, W: number, H: number): number {
    const out = this.out;
    const { t, x, y, p } = out;
    let k = out.n;
    for (let o = 0; o < end; o += 5) {
      const xi = u[o]!, yi = u[o + 1]!, b2 = u[o + 2]!;
      if (xi >= W || yi >= H) { out.n = k; return o; }
      x[k] = xi;
      y[k] = yi;
      p[k] = b2 >>> 7;
      t[k] = ((b2 & 0x7f) << 16) | (u[o + 3]! << 8) | u[o + 4]!;
      k++;
    }
    out.n = k;
    return -1;
  }

  /** As {@link decodePlain} with tonic's rule: `y == 240` records are dropped and add 2^13 µs to later events. */
  private decodeTonic(u: Uint8Array, end: number, W: number, H: number): number {
    const out = this.out;
    const { t, x, y, p } = out;
    let k = out.n;
    let off = this.offsetUs;
    let o = 0;
    for (; o < end; o += 5) {
      const xi = u[o]!, yi = u[o + 1]!, b2 = u[o + 2]!;
      if (yi === ATIS_OVERFLOW_Y) { off += ATIS_OVERFLOW_STEP; continue; }
      if (xi >= W || yi >= H) break;
      x[k] = xi;
      y[k] = yi;
      p[k] = b2 >>> 7;
      t[k] = (((b2 & 0x7f) << 16) | (u[o + 3]! << 8) | u[o + 4]!) + off;
      k++;
    }
    out.n = k;
    this.offsetUs = off;
    return o < end ? o : -1;
  }
}

/** Parse a whole ATIS `.bin` held in memory. */
export function parseAtis(bytes: Uint8Array, opts: AtisOptions = {}): Events {
  return decodeBytes(new AtisDecoder({ totalBytes: bytes.length, ...opts }), bytes);
}

/** Stream an ATIS file as batches of events. */
export function streamAtisFile(path: string, opts: AtisOptions = {}, chunkBytes?: number): AsyncGenerator<Events> {
  return streamFile(path, (b) => new AtisDecoder({ ...opts, ...b }), chunkBytes);
}

/** Read a whole ATIS file. */
export function readAtisFile(path: string, opts: AtisOptions = {}, chunkBytes?: number): Promise<Events> {
  return readFileEvents(path, (b) => new AtisDecoder({ ...opts, ...b }), chunkBytes);
}

/** Encode one record `[x, y, (p<<7) | ((t>>16) & 0x7F), (t>>8) & 0xFF, t & 0xFF]` (§3.3 recipe). */
export function atisRecord(x: number, y: number, p: number, t: number): number[] {
  return [x, y, ((p ? 1 : 0) << 7) | ((t >>> 16) & 0x7f), (t >>> 8) & 0xff, t & 0xff];
}

/**
 * Encode events as ATIS `.bin`. With `overflow: "none"` every `t` must fit 23 bits; with `"tonic"`
 * (events sorted by t) a `y = 240` marker is emitted each time `⌊t / 2^13⌋` grows, and the stored
 * time is `t mod 2^13`, so parsing with `overflow: "tonic"` restores t exactly.
 */
export function writeAtis(ev: Events, opts: { overflow?: AtisOverflow } = {}): Uint8Array {
  const tonic = checkOverflow(opts.overflow ?? "none", "writeAtis") === "tonic";
  const n = ev.t.length;
  let markers = 0;
  if (tonic) {
    for (let i = 0; i < n; i++) {
      if (i > 0 && ev.t[i]! < ev.t[i - 1]!) throw new Error(`writeAtis: overflow 'tonic' needs events sorted by t; event ${i} goes back in time`);
    }
    markers = n > 0 ? Math.floor(ev.t[n - 1]! / ATIS_OVERFLOW_STEP) : 0;
  }
  const out = new Uint8Array((n + markers) * 5);
  let o = 0;
  let k = 0;
  for (let i = 0; i < n; i++) {
    const x = ev.x[i]!, y = ev.y[i]!, t = ev.t[i]!;
    if (x > 255 || y > 255) throw new Error(`writeAtis: event ${i} has x=${x}, y=${y}, expected both ≤ 255 (one byte each)`);
    if (tonic && y === ATIS_OVERFLOW_Y) throw new Error(`writeAtis: event ${i} has y=240, which overflow 'tonic' reserves for markers`);
    if (!(t >= 0) || !Number.isInteger(t)) throw new Error(`writeAtis: event ${i} has t=${t}, expected a non-negative integer µs`);
    let st = t;
    if (tonic) {
      const want = Math.floor(t / ATIS_OVERFLOW_STEP);
      for (; k < want; k++, o += 5) { out[o] = 0; out[o + 1] = ATIS_OVERFLOW_Y; out[o + 2] = 0; out[o + 3] = 0; out[o + 4] = 0; }
      st = t - k * ATIS_OVERFLOW_STEP;
    } else if (t >= 2 ** 23) {
      throw new Error(`writeAtis: event ${i} has t=${t} ≥ 2^23, which needs overflow 'tonic'`);
    }
    out[o] = x; out[o + 1] = y;
    out[o + 2] = ((ev.p[i]! ? 1 : 0) << 7) | ((st >>> 16) & 0x7f);
    out[o + 3] = (st >>> 8) & 0xff; out[o + 4] = st & 0xff;
    o += 5;
  }
  return out.subarray(0, o);
}

/** Write events to an ATIS file atomically. */
export async function writeAtisFile(path: string, ev: Events, opts: { overflow?: AtisOverflow } = {}): Promise<void> {
  await writeFileAtomic(path, writeAtis(ev, opts));
}
