/**
 * AEDAT 2.0 — the original CIFAR10-DVS release (events-and-parity §3.2).
 *
 * Layout: optional header lines starting with `#` (first `#!AER-DAT2.0`), then 8-byte events,
 * **big-endian** `int32 address, int32 timestamp (µs)`. DVS128 address bits: 15 external, 14–8 y,
 * 7–1 x, 0 polarity, origin bottom-left:
 *
 *   x_raw = (a & 0xFE) >> 1,  y_raw = (a & 0x7F00) >> 8,  p_raw = a & 1.
 *
 * Header scan follows SpikingJelly: a line (up to and including `\n`) is header iff it decodes as
 * UTF-8 and, stripped of surrounding whitespace, starts with `#`; the first line that is not is data.
 * A header line with invalid UTF-8 therefore ends the header (SJ treats it as data, §3.2).
 *
 * Orientation (§3.2, §7 item 7), selected by `orientation`:
 * - `"spikingjelly"` (default, parity with SJ `cifar10_dvs.py`): `x = 127 − y_raw, y = 127 − x_raw, p = 1 − p_raw`;
 * - `"events-tfds"`: `x = 127 − x_raw, y = y_raw, p = 1 − p_raw` (the `dat2mat.m`-compatible mapping);
 * - `"raw"`: the address fields as stored.
 */
import { writeFileAtomic } from "../../util/fs.js";
import type { Events } from "../events.js";
import { EventFileError } from "../errors.js";
import {
  BlockDecoder, decodeBytes, readFileEvents, streamFile, type DecoderBaseOptions, type EventColumns,
} from "./stream.js";

export type Aedat2Orientation = "spikingjelly" | "raw" | "events-tfds";
export const AEDAT2_ORIENTATIONS: readonly Aedat2Orientation[] = ["spikingjelly", "raw", "events-tfds"];

export interface Aedat2Options extends DecoderBaseOptions {
  orientation?: Aedat2Orientation;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function isSpace(b: number): boolean {
  return b === 0x20 || (b >= 0x09 && b <= 0x0d);
}

function checkOrientation(o: string, who: string): Aedat2Orientation {
  if (!(AEDAT2_ORIENTATIONS as readonly string[]).includes(o)) {
    throw new Error(`${who}: orientation must be one of ${AEDAT2_ORIENTATIONS.join(", ")}, got '${o}'`);
  }
  return o as Aedat2Orientation;
}

/** Incremental AEDAT 2.0 decoder (see module doc). */
export class Aedat2Decoder extends BlockDecoder {
  private readonly mode: 0 | 1 | 2;
  private inHeader = true;
  private firstLine = true;

  constructor(opts: Aedat2Options = {}) {
    super(opts);
    const o = checkOrientation(opts.orientation ?? "spikingjelly", "Aedat2Decoder");
    this.mode = o === "spikingjelly" ? 0 : o === "raw" ? 1 : 2;
  }

  consume(buf: Uint8Array, base: number): number {
    let pos = 0;
    if (this.inHeader) pos = this.scanHeader(buf, base);
    if (!this.inHeader) pos = this.decode(buf, pos, base);
    return pos;
  }

  /** 8-byte records once the header is done: in place, each record decoded into its own `t` slot. */
  protected override inPlaceLayout(): { minBytes: number; alignAt: number } | "later" {
    return this.inHeader ? "later" : { minBytes: 8, alignAt: -1 };
  }

  finish(rest: Uint8Array, base: number): void {
    let pos = 0;
    if (this.inHeader) {
      // a last line without '\n': SJ's readline() returns it; it is header iff it passes the same test
      let text: string | null;
      try { text = utf8.decode(rest); } catch { text = null; }
      if (rest.length === 0 || (text !== null && text.trim().startsWith("#"))) return;
      this.inHeader = false;
      pos = this.decode(rest, 0, base);
    }
    if (rest.length > pos) {
      throw new EventFileError(this.file, base + pos,
        "a complete 8-byte event (big-endian int32 address + int32 timestamp; truncated file)",
        `${rest.length - pos} trailing bytes`);
    }
  }

  /** Consume header lines; returns the position of the first data byte (or of an incomplete line). */
  private scanHeader(buf: Uint8Array, base: number): number {
    let pos = 0;
    while (pos < buf.length) {
      // fast path: a line whose first byte is neither whitespace nor '#' cannot be header
      const b0 = buf[pos]!;
      if (b0 !== 0x23 && !isSpace(b0)) { this.inHeader = false; return pos; }
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0) return pos; // need more bytes
      let text: string | null;
      try { text = utf8.decode(buf.subarray(pos, nl + 1)); } catch { text = null; }
      if (text === null || !text.trim().startsWith("#")) { this.inHeader = false; return pos; }
      if (this.firstLine) {
        this.firstLine = false;
        const s = text.trim();
        if (s.startsWith("#!AER-DAT") && !s.startsWith("#!AER-DAT2.")) {
          throw new EventFileError(this.file, base + pos, "an AEDAT 2.x version line '#!AER-DAT2.0'", `'${s}'`);
        }
      }
      pos = nl + 1;
    }
    return pos;
  }

  /** Decode the whole 8-byte records from `buf[pos]` on; returns the position after the last one. */
  private decode(buf: Uint8Array, pos: number, base: number): number {
    const n = Math.floor((buf.length - pos) / 8);
    if (n === 0) return pos;
    this.room(n * 8, base + pos, 8);
    // One loop per orientation, each reading only the bytes it needs: of the big-endian address
    // (b0 b1 b2 b3) the DVS128 fields live in b2 (y_raw = b2 & 0x7F) and b3 (x_raw = b3 >> 1, p_raw = b3 & 1),
    // and the big-endian timestamp is b4·2^24 + (b5 << 16 | b6 << 8 | b7). Byte loads need no alignment and
    // no byte swap, and measured as fast as aligned Uint32Array loads; `127 − v` is `v ^ 0x7F` for 7-bit v.
    if (this.mode === 0) decodeSpikingJelly(buf, pos, n, this.out);
    else if (this.mode === 1) decodeRaw(buf, pos, n, this.out);
    else decodeEventsTfds(buf, pos, n, this.out);
    return pos + n * 8;
  }
}

/** SJ orientation: `x = 127 − y_raw, y = 127 − x_raw, p = 1 − p_raw`. */
function decodeSpikingJelly(u: Uint8Array, pos: number, n: number, out: EventColumns): void {
  const { t, x, y, p } = out;
  const k0 = out.n;
  for (let i = 0, o = pos; i < n; i++, o += 8) {
    const b2 = u[o + 2]!, b3 = u[o + 3]!;
    x[k0 + i] = (b2 & 0x7f) ^ 0x7f;
    y[k0 + i] = (b3 >>> 1) ^ 0x7f;
    p[k0 + i] = (b3 & 1) ^ 1;
    t[k0 + i] = u[o + 4]! * 16777216 + ((u[o + 5]! << 16) | (u[o + 6]! << 8) | u[o + 7]!);
  }
  out.n = k0 + n;
}

/** Raw orientation: the address fields as stored. */
function decodeRaw(u: Uint8Array, pos: number, n: number, out: EventColumns): void {
  const { t, x, y, p } = out;
  const k0 = out.n;
  for (let i = 0, o = pos; i < n; i++, o += 8) {
    const b2 = u[o + 2]!, b3 = u[o + 3]!;
    x[k0 + i] = b3 >>> 1;
    y[k0 + i] = b2 & 0x7f;
    p[k0 + i] = b3 & 1;
    t[k0 + i] = u[o + 4]! * 16777216 + ((u[o + 5]! << 16) | (u[o + 6]! << 8) | u[o + 7]!);
  }
  out.n = k0 + n;
}

/** events-tfds orientation: `x = 127 − x_raw, y = y_raw, p = 1 − p_raw`. */
function decodeEventsTfds(u: Uint8Array, pos: number, n: number, out: EventColumns): void {
  const { t, x, y, p } = out;
  const k0 = out.n;
  for (let i = 0, o = pos; i < n; i++, o += 8) {
    const b2 = u[o + 2]!, b3 = u[o + 3]!;
    x[k0 + i] = (b3 >>> 1) ^ 0x7f;
    y[k0 + i] = b2 & 0x7f;
    p[k0 + i] = (b3 & 1) ^ 1;
    t[k0 + i] = u[o + 4]! * 16777216 + ((u[o + 5]! << 16) | (u[o + 6]! << 8) | u[o + 7]!);
  }
  out.n = k0 + n;
}

/** Parse a whole AEDAT 2.0 file held in memory. */
export function parseAedat2(bytes: Uint8Array, opts: Aedat2Options = {}): Events {
  return decodeBytes(new Aedat2Decoder({ totalBytes: bytes.length, ...opts }), bytes);
}

/** Stream an AEDAT 2.0 file as batches of events. */
export function streamAedat2File(path: string, opts: Aedat2Options = {}, chunkBytes?: number): AsyncGenerator<Events> {
  return streamFile(path, (b) => new Aedat2Decoder({ ...opts, ...b }), chunkBytes);
}

/** Read a whole AEDAT 2.0 file. */
export function readAedat2File(path: string, opts: Aedat2Options = {}, chunkBytes?: number): Promise<Events> {
  return readFileEvents(path, (b) => new Aedat2Decoder({ ...opts, ...b }), chunkBytes);
}

export interface Aedat2WriteOptions {
  /** Orientation the given events are in (inverted on write so parsing with it round-trips). */
  orientation?: Aedat2Orientation;
  /** Extra header lines (without `#`); the version line is always written first. */
  headerLines?: string[];
}

/** Encode events as AEDAT 2.0 / DVS128 (fixtures and the synthetic generator). */
export function writeAedat2(ev: Events, opts: Aedat2WriteOptions = {}): Uint8Array {
  const o = checkOrientation(opts.orientation ?? "spikingjelly", "writeAedat2");
  const lines = ["!AER-DAT2.0", " This is a raw AE data file", ...(opts.headerLines ?? [])];
  const header = new TextEncoder().encode(lines.map((l) => `#${l}\r\n`).join(""));
  const n = ev.t.length;
  const out = new Uint8Array(header.length + 8 * n);
  out.set(header, 0);
  const dv = new DataView(out.buffer);
  let off = header.length;
  for (let i = 0; i < n; i++, off += 8) {
    const x = ev.x[i]!, y = ev.y[i]!, p = ev.p[i]! ? 1 : 0, t = ev.t[i]!;
    if (x > 127 || y > 127) throw new Error(`writeAedat2: event ${i} has x=${x}, y=${y}, expected both < 128 (DVS128)`);
    if (!(t >= 0 && t < 2 ** 32) || !Number.isInteger(t)) {
      throw new Error(`writeAedat2: event ${i} has t=${t}, expected an integer in [0, 2^32) µs`);
    }
    let xr: number, yr: number, pr: number;
    if (o === "spikingjelly") { xr = 127 - y; yr = 127 - x; pr = 1 - p; }
    else if (o === "raw") { xr = x; yr = y; pr = p; }
    else { xr = 127 - x; yr = y; pr = 1 - p; }
    dv.setUint32(off, (yr << 8) | (xr << 1) | pr, false);
    dv.setUint32(off + 4, t, false);
  }
  return out;
}

/** Write events to an AEDAT 2.0 file atomically. */
export async function writeAedat2File(path: string, ev: Events, opts: Aedat2WriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, writeAedat2(ev, opts));
}
