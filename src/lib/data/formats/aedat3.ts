/**
 * AEDAT 3.1 — the DVS128 Gesture recordings (events-and-parity §3.1).
 *
 * Layout: ASCII header lines starting with `#` (CRLF), ending with `#!END-HEADER\r\n`; then event
 * packets, little-endian. Each packet is a 28-byte header
 *
 *   off 0 int16 eventType (1 = polarity) · 2 int16 eventSource · 4 int32 eventSize · 8 int32 eventTSOffset
 *   · 12 int32 eventTSOverflow · 16 int32 eventCapacity · 20 int32 eventNumber · 24 int32 eventValid
 *
 * followed by `eventCapacity × eventSize` payload bytes (capacity, not number — as SpikingJelly and
 * tonic read it). A polarity event is `uint32 data, int32 timestamp` with
 * `valid = data & 1, p = (data >> 1) & 1, y = (data >> 2) & 0x7FFF, x = (data >> 17) & 0x7FFF`,
 * and the 64-bit time is `ts64 = ts32 | (eventTSOverflow << 31)` µs (libcaer `TS_OVERFLOW_SHIFT`).
 *
 * SpikingJelly parity (§3.1, §7 item 8): packets whose type ≠ 1 are skipped; the validity bit is ignored;
 * ts32 is read unsigned and OR-ed with the shifted overflow.
 *
 * Times are float64 µs, exact below 2^53 (`Events.t`): `ts64 ≤ overflow·2^31 + 2^31 − 1 ≤ 2^53 − 1` holds for
 * every ts32 iff `overflow < 2^22` (≈ 285 years of recording), so a polarity packet with a larger overflow is rejected
 * rather than decoded into times that collapse onto each other (issue #20).
 */
import { writeFileAtomic } from "../../util/fs.js";
import type { Events } from "../events.js";
import { EventFileError } from "../errors.js";
import {
  BlockDecoder, checkSensor, decodeBytes, describeBytes, readFileEvents, streamFile,
  type DecoderBaseOptions, type EventColumns,
} from "./stream.js";

/** Size of an AEDAT 3.x event-packet header (libcaer `CAER_EVENT_PACKET_HEADER_SIZE`). */
export const AEDAT3_PACKET_HEADER_BYTES = 28;
/** eventType of polarity packets. */
export const AEDAT3_POLARITY_TYPE = 1;
const MAX_HEADER_BYTES = 1 << 20;
const TWO31 = 2 ** 31;
/** Largest eventTSOverflow whose 64-bit times all stay exact float64 integers (see module doc). */
export const AEDAT3_MAX_OVERFLOW = 2 ** 22 - 1;

export interface Aedat3Options extends DecoderBaseOptions {
  /** Reject events outside this canvas (default DVS128: 128×128); `null` disables the check. */
  sensor?: { width: number; height: number } | null;
}

const END_CRLF = "#!END-HEADER\r\n";
const END_LF = "#!END-HEADER\n";

function latin1(b: Uint8Array): string {
  let s = "";
  for (let i = 0; i < b.length; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Incremental AEDAT 3.1 decoder (see module doc). */
export class Aedat3Decoder extends BlockDecoder {
  private readonly width: number;
  private readonly height: number;
  private state: "header" | "packet" | "payload" = "header";
  private firstLine = true;
  private pktType = 0;
  private pktStart = 0;
  private pktHigh = 0; // overflow << 31 as a number
  private pktMask = -1; // applied to ts32 before adding pktHigh: 0x7FFFFFFF when the overflow is odd (OR, not add)
  private remaining = 0; // payload bytes left in the current packet
  private nextPacket = 0; // file offset of the next packet header (once the header is done)
  private scratch: Uint32Array | null = null;
  /** Whether typed arrays read little-endian here (a field, not the constant, so tests can take the other path). */
  private readonly littleEndianHost = LITTLE_ENDIAN_HOST;

  constructor(opts: Aedat3Options = {}) {
    super(opts);
    const s = opts.sensor === undefined ? { width: 128, height: 128 } : opts.sensor;
    this.width = s ? s.width : Infinity;
    this.height = s ? s.height : Infinity;
  }

  /**
   * Packet headers are 28 bytes and polarity events 8, so every polarity payload of a packet sequence
   * sits at the same offset mod 4 as the next packet header: aligning that offset lets
   * {@link decodePolarity} view the payload as a `Uint32Array` directly.
   */
  override alignHint(): number {
    return this.state === "header" ? -1 : this.nextPacket;
  }

  /** Packets (28-byte headers, ≥ 1-byte events, 8-byte polarity events) once the header is done. */
  protected override inPlaceLayout(): { minBytes: number; alignAt: number } | "later" {
    return this.state === "header" ? "later" : { minBytes: 8, alignAt: this.nextPacket };
  }

  consume(buf: Uint8Array, base: number): number {
    let pos = 0;
    const len = buf.length;
    for (;;) {
      if (this.state === "header") {
        const nl = buf.indexOf(0x0a, pos);
        if (nl < 0) {
          if (len - pos > 0 && buf[pos] !== 0x23) this.badHeaderLine(buf, pos, base);
          if (base + len > MAX_HEADER_BYTES) {
            throw new EventFileError(this.file, base + pos, `'${END_CRLF.trim()}' within the first ${MAX_HEADER_BYTES} bytes`, "no end-of-header line");
          }
          break;
        }
        if (buf[pos] !== 0x23) this.badHeaderLine(buf, pos, base);
        const line = latin1(buf.subarray(pos, nl + 1));
        if (this.firstLine) {
          this.firstLine = false;
          if (line.startsWith("#!AER-DAT") && !line.startsWith("#!AER-DAT3.")) {
            throw new EventFileError(this.file, base + pos, "an AEDAT 3.x version line '#!AER-DAT3.1'", `'${line.trim()}'`);
          }
        }
        pos = nl + 1;
        if (line === END_CRLF || line === END_LF) {
          this.state = "packet";
          this.nextPacket = base + pos;
        }
      } else if (this.state === "packet") {
        if (len - pos < AEDAT3_PACKET_HEADER_BYTES) break;
        this.readPacketHeader(buf, pos, base + pos);
        pos += AEDAT3_PACKET_HEADER_BYTES;
      } else if (this.pktType === AEDAT3_POLARITY_TYPE) {
        const n = Math.min((len - pos) >>> 3, this.remaining / 8);
        if (n === 0) break;
        this.decodePolarity(buf, pos, n, base + pos);
        pos += n * 8;
        this.remaining -= n * 8;
        if (this.remaining === 0) this.state = "packet";
      } else {
        const k = Math.min(len - pos, this.remaining);
        if (k === 0) break;
        pos += k;
        this.remaining -= k;
        if (this.remaining === 0) this.state = "packet";
      }
    }
    return pos;
  }

  finish(rest: Uint8Array, base: number): void {
    if (this.state === "header") {
      throw new EventFileError(this.file, base, `the end-of-header line '${END_CRLF.trim()}'`, "end of file");
    }
    if (this.state === "packet" && rest.length > 0) {
      throw new EventFileError(this.file, base, `a ${AEDAT3_PACKET_HEADER_BYTES}-byte packet header (truncated file)`,
        `${rest.length} bytes before end of file`);
    }
    if (this.state === "payload") {
      throw new EventFileError(this.file, this.pktStart,
        `${this.remaining} more payload bytes for the packet starting here (truncated file)`, "end of file");
    }
  }

  private badHeaderLine(buf: Uint8Array, pos: number, base: number): never {
    throw new EventFileError(this.file, base + pos,
      `an AEDAT 3.1 header line starting with '#' (the header ends with '${END_CRLF.trim()}')`, describeBytes(buf, pos));
  }

  private readPacketHeader(buf: Uint8Array, o: number, abs: number): void {
    const dv = new DataView(buf.buffer, buf.byteOffset + o, AEDAT3_PACKET_HEADER_BYTES);
    const type = dv.getUint16(0, true);
    const size = dv.getInt32(4, true);
    const overflow = dv.getUint32(12, true);
    const capacity = dv.getInt32(16, true);
    const number = dv.getInt32(20, true);
    if (size <= 0) throw new EventFileError(this.file, abs + 4, "eventSize > 0 in the packet header", `${size}`);
    if (type === AEDAT3_POLARITY_TYPE && size !== 8) {
      throw new EventFileError(this.file, abs + 4, "eventSize 8 for a polarity packet (type 1)", `${size}`);
    }
    if (type === AEDAT3_POLARITY_TYPE && overflow > AEDAT3_MAX_OVERFLOW) {
      throw new EventFileError(this.file, abs + 12,
        `eventTSOverflow ≤ ${AEDAT3_MAX_OVERFLOW} (64-bit timestamps below 2^53 µs, exact as float64)`, `${overflow}`);
    }
    if (capacity < 0 || number < 0 || number > capacity) {
      throw new EventFileError(this.file, abs + 16, "0 ≤ eventNumber ≤ eventCapacity",
        `eventCapacity=${capacity}, eventNumber=${number}`);
    }
    const payload = capacity * size;
    if (this.total !== undefined && abs + AEDAT3_PACKET_HEADER_BYTES + payload > this.total) {
      throw new EventFileError(this.file, abs,
        `a packet whose payload (eventCapacity ${capacity} × eventSize ${size} = ${payload} bytes) fits in the file`,
        `${this.total - abs - AEDAT3_PACKET_HEADER_BYTES} bytes left after the packet header`);
    }
    this.pktType = type;
    this.pktStart = abs;
    this.pktHigh = overflow * TWO31;
    this.pktMask = (overflow & 1) === 1 ? 0x7fffffff : -1;
    this.remaining = payload;
    this.nextPacket = abs + AEDAT3_PACKET_HEADER_BYTES + payload;
    this.state = payload === 0 ? "packet" : "payload";
  }

  /** Decode `n` polarity events at `buf[o]` (file offset `abs`). */
  private decodePolarity(buf: Uint8Array, o: number, n: number, abs: number): void {
    // room for every event the rest of this buffer could hold, so the packets after this one in the
    // same buffer need no reallocation (whole-file mode: for the rest of the file)
    this.room(buf.length - o, abs, 8);
    // x and y are 15-bit fields, so a bound above 2^15 never rejects: clamping keeps the compares integer
    const W = Math.min(this.width, 0x8000), H = Math.min(this.height, 0x8000);
    const start = buf.byteOffset + o;
    let bad: number;
    if (this.littleEndianHost && (start & 3) === 0) {
      // the (data, timestamp) pairs as little-endian words, straight from the read buffer
      bad = polarityWords(new Uint32Array(buf.buffer, start, 2 * n), 0, n, this.out, this.pktHigh, this.pktMask, W, H);
    } else if (this.littleEndianHost) {
      // misaligned (arbitrary chunks given to push(), or the first read after the text header):
      // copy cache-sized blocks into an aligned scratch buffer — still about 2× faster than DataView reads
      const scratch = (this.scratch ??= new Uint32Array(2 * SCRATCH_EVENTS));
      const bytes = new Uint8Array(scratch.buffer);
      bad = -1;
      for (let i = 0; i < n && bad < 0; i += SCRATCH_EVENTS) {
        const m = Math.min(SCRATCH_EVENTS, n - i);
        bytes.set(buf.subarray(o + 8 * i, o + 8 * (i + m)));
        bad = polarityWords(scratch, 0, m, this.out, this.pktHigh, this.pktMask, W, H);
        if (bad >= 0) bad += i;
      }
    } else {
      bad = polarityDataView(new DataView(buf.buffer, start, 8 * n), n, this.out, this.pktHigh, this.pktMask, W, H);
    }
    if (bad >= 0) {
      const d = new DataView(buf.buffer, start + 8 * bad, 4).getUint32(0, true);
      checkSensor(this.file, abs + 8 * bad, (d >>> 17) & 0x7fff, (d >>> 2) & 0x7fff, this.width, this.height);
    }
  }
}

/** Events per block of the misaligned path (64 KiB). */
const SCRATCH_EVENTS = 8192;

/** Typed arrays use the host's byte order; AEDAT 3.1 is little-endian. */
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Decode `n` polarity events from little-endian word pairs `w[j0 …]` into `out`; `t = high + (ts32 & mask)`
 * (see {@link Aedat3Decoder}). Returns -1, or the index of the first event outside `W × H` (nothing
 * from it on is written).
 */
function polarityWords(w: Uint32Array, j0: number, n: number, out: EventColumns, high: number, mask: number, W: number, H: number): number {
  const { t, x, y, p } = out;
  const k0 = out.n;
  for (let i = 0, j = j0; i < n; i++, j += 2) {
    const d = w[j]!;
    const xi = d >>> 17, yi = (d >>> 2) & 0x7fff;
    if (xi >= W || yi >= H) { out.n = k0 + i; return i; }
    x[k0 + i] = xi;
    y[k0 + i] = yi;
    p[k0 + i] = (d >>> 1) & 1;
    t[k0 + i] = high + ((w[j + 1]! & mask) >>> 0);
  }
  out.n = k0 + n;
  return -1;
}

/** {@link polarityWords} for big-endian hosts, through explicit little-endian DataView reads. */
function polarityDataView(dv: DataView, n: number, out: EventColumns, high: number, mask: number, W: number, H: number): number {
  const { t, x, y, p } = out;
  const k0 = out.n;
  for (let i = 0; i < n; i++) {
    const d = dv.getUint32(8 * i, true);
    const xi = d >>> 17, yi = (d >>> 2) & 0x7fff;
    if (xi >= W || yi >= H) { out.n = k0 + i; return i; }
    x[k0 + i] = xi;
    y[k0 + i] = yi;
    p[k0 + i] = (d >>> 1) & 1;
    t[k0 + i] = high + ((dv.getUint32(8 * i + 4, true) & mask) >>> 0);
  }
  out.n = k0 + n;
  return -1;
}

/** Parse a whole AEDAT 3.1 file held in memory. */
export function parseAedat3(bytes: Uint8Array, opts: Aedat3Options = {}): Events {
  return decodeBytes(new Aedat3Decoder({ totalBytes: bytes.length, ...opts }), bytes);
}

/** Stream an AEDAT 3.1 file as batches of events (fixed-size reads). */
export function streamAedat3File(path: string, opts: Aedat3Options = {}, chunkBytes?: number): AsyncGenerator<Events> {
  return streamFile(path, (b) => new Aedat3Decoder({ ...opts, ...b }), chunkBytes);
}

/** Read a whole AEDAT 3.1 file (streamed, then concatenated). */
export function readAedat3File(path: string, opts: Aedat3Options = {}, chunkBytes?: number): Promise<Events> {
  return readFileEvents(path, (b) => new Aedat3Decoder({ ...opts, ...b }), chunkBytes);
}

export interface Aedat3WriteOptions {
  /** Header lines without `#`/CRLF (default: format, source, start time placeholder). */
  headerLines?: string[];
  /** Max events per polarity packet (default 4096). */
  packetEvents?: number;
  /** eventSource field (default 1). */
  source?: number;
}

/**
 * Encode events as AEDAT 3.1 (used for fixtures and the synthetic generator). Packets are split
 * whenever `⌊t / 2^31⌋` changes so each packet carries its own `eventTSOverflow`; the validity bit is set.
 */
export function writeAedat3(ev: Events, opts: Aedat3WriteOptions = {}): Uint8Array {
  const n = ev.t.length;
  const per = opts.packetEvents ?? 4096;
  if (!(per >= 1)) throw new Error(`writeAedat3: packetEvents must be ≥ 1, got ${per}`);
  const lines = ["!AER-DAT3.1", "Format: RAW", "Source 1: DVS128", ...(opts.headerLines ?? []), "!END-HEADER"];
  const header = new TextEncoder().encode(lines.map((l) => `#${l}\r\n`).join(""));
  // plan packets
  const starts: number[] = [];
  for (let i = 0; i < n;) {
    const ov = Math.floor(ev.t[i]! / TWO31);
    let j = i + 1;
    while (j < n && j - i < per && Math.floor(ev.t[j]! / TWO31) === ov) j++;
    starts.push(i);
    i = j;
  }
  starts.push(n);
  const packets = starts.length - 1;
  const out = new Uint8Array(header.length + packets * AEDAT3_PACKET_HEADER_BYTES + n * 8);
  out.set(header, 0);
  const dv = new DataView(out.buffer);
  let o = header.length;
  for (let k = 0; k < packets; k++) {
    const a = starts[k]!, b = starts[k + 1]!;
    const cnt = b - a;
    const ov = Math.floor(ev.t[a]! / TWO31);
    dv.setInt16(o, AEDAT3_POLARITY_TYPE, true);
    dv.setInt16(o + 2, opts.source ?? 1, true);
    dv.setInt32(o + 4, 8, true);
    dv.setInt32(o + 8, 4, true);
    dv.setUint32(o + 12, ov, true);
    dv.setInt32(o + 16, cnt, true);
    dv.setInt32(o + 20, cnt, true);
    dv.setInt32(o + 24, cnt, true);
    o += AEDAT3_PACKET_HEADER_BYTES;
    for (let i = a; i < b; i++, o += 8) {
      const t = ev.t[i]!, x = ev.x[i]!, y = ev.y[i]!;
      if (!(t >= 0) || !Number.isInteger(t)) throw new Error(`writeAedat3: event ${i} has t=${t}, expected a non-negative integer µs`);
      if (x > 0x7fff || y > 0x7fff) throw new Error(`writeAedat3: event ${i} has x=${x}, y=${y}, expected < 32768`);
      dv.setUint32(o, ((x << 17) | (y << 2) | ((ev.p[i]! ? 1 : 0) << 1) | 1) >>> 0, true);
      dv.setUint32(o + 4, t - ov * TWO31, true);
    }
  }
  return out;
}

/** Write events to an AEDAT 3.1 file atomically. */
export async function writeAedat3File(path: string, ev: Events, opts: Aedat3WriteOptions = {}): Promise<void> {
  await writeFileAtomic(path, writeAedat3(ev, opts));
}
