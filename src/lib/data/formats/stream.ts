/**
 * Streaming plumbing shared by the three raw-format parsers.
 *
 * Each format is an incremental decoder (`push(chunk) → Events`, `end()`): bytes arrive in chunks
 * of any size, a record split across two chunks is carried over (at most one record or one header
 * line), and absolute byte offsets are tracked for error messages. The same decoder backs the pure
 * in-memory parse (`parseXxx(bytes)`) and the file reader (fixed-size `fs` reads), so a
 * multi-gigabyte recording never has to be in memory at once.
 *
 * Speed (issue #5). The three formats share {@link BlockDecoder}, whose `consume(buf, base)` decodes
 * as many whole records as `buf` holds and reports how many bytes it used. Around it:
 * - the file reader alternates two read buffers and issues the next read before decoding the current
 *   one, so the file system copy overlaps the decode; the few unconsumed bytes are copied in front of
 *   the next read's data (no chunk is ever re-copied to join it with the previous one), placed so
 *   that the offset the decoder names ({@link BlockDecoder.alignHint}) lands on a 4-byte boundary,
 *   which lets AEDAT 3.1 read its payload through a `Uint32Array` view;
 * - whole-file reads (`readXxxFile`) size the output columns once from the file size (records have a
 *   fixed size, so the bytes left bound the events left), and `parseXxx` from the array, instead of
 *   growing them and concatenating per-chunk batches. Each event is written once, into memory touched
 *   once: the first touch of fresh memory is a page fault, which on the 2-core benchmark VM costs about
 *   1 ms per MB, as much as the decoding itself. An upper bound that is not reached costs only address
 *   space, since untouched pages are never faulted in.
 */
import { open, stat } from "node:fs/promises";
import { concatEvents, type Events } from "../events.js";
import { EventFileError } from "../errors.js";

/** An incremental decoder for one file. */
export interface EventDecoder {
  /** Feed the next bytes; returns the events completed by them (possibly none). */
  push(chunk: Uint8Array): Events;
  /** Signal end of file; throws {@link EventFileError} if a record or header is incomplete. */
  end(): Events;
}

/** Options every decoder takes. */
export interface DecoderBaseOptions {
  /** Name used in errors (default `<bytes>`). */
  file?: string;
  /** Total file size when known: lets a packet that cannot fit be reported before reading it. */
  totalBytes?: number;
}

/** Default read size of the file streamers (1 MiB: two such buffers stay in cache; measured faster than 4 and 16 MiB). */
export const DEFAULT_CHUNK_BYTES = 1 << 20;

/** Carry-over helper: joins the undecoded tail of the previous chunk with the next one. */
export class Carry {
  private tail: Uint8Array = new Uint8Array(0);
  /** Absolute file offset of byte 0 of the buffer returned by the last {@link join}. */
  base = 0;
  join(chunk: Uint8Array): Uint8Array {
    if (this.tail.length === 0) return chunk;
    const b = new Uint8Array(this.tail.length + chunk.length);
    b.set(this.tail, 0);
    b.set(chunk, this.tail.length);
    return b;
  }
  /** Keep `buf[pos:]` (copied: the caller may reuse its read buffer) and advance {@link base}. */
  keep(buf: Uint8Array, pos: number): void {
    this.base += pos;
    this.tail = pos >= buf.length ? new Uint8Array(0) : buf.slice(pos);
  }
  get pending(): number {
    return this.tail.length;
  }
}

/**
 * The output columns of a decoder: filled in place by the decode loops (`t[n] = …; n++`), then handed
 * over by {@link take}. Unlike a builder that starts small and doubles, it is sized by the caller
 * from a byte count, so in the common cases it is allocated once and never copied.
 */
export class EventColumns {
  t = new Float64Array(0);
  x = new Uint16Array(0);
  y = new Uint16Array(0);
  p = new Uint8Array(0);
  n = 0;

  /**
   * Set while the memory of `t` doubles as the read buffer of an in-place decode
   * ({@link BlockDecoder.directTarget}): moving it then would lose the bytes being read into it.
   */
  pinned = false;

  /** Make room for `extra` more events (grows by doubling and copying only when a size hint was too small). */
  ensure(extra: number): void {
    const need = this.n + extra;
    const cap = this.t.length;
    if (need <= cap) return;
    if (this.pinned) throw new Error(`EventColumns: cannot grow from ${cap} to ${need} events during an in-place decode (internal error)`);
    this.realloc(this.n === 0 ? need : Math.max(need, 2 * cap));
  }

  private realloc(c: number): void {
    const n = this.n;
    const t = new Float64Array(c), x = new Uint16Array(c), y = new Uint16Array(c), p = new Uint8Array(c);
    if (n > 0) {
      t.set(this.t.subarray(0, n)); x.set(this.x.subarray(0, n)); y.set(this.y.subarray(0, n)); p.set(this.p.subarray(0, n));
    }
    this.t = t; this.x = x; this.y = y; this.p = p;
  }

  /**
   * The events decoded so far, and reset to empty. The columns are views of the current buffers,
   * which are handed over (the next {@link ensure} allocates new ones), so nothing is copied — except
   * when fewer than half of a large presized buffer was used (an upper bound far from the truth, e.g.
   * AEDAT 3.1 files dominated by non-polarity packets): then the events are compacted, so the caller
   * does not hold (or transfer) a mostly empty buffer.
   */
  take(): Events {
    const n = this.n;
    let out: Events;
    if (n === 0) out = { t: new Float64Array(0), x: new Uint16Array(0), y: new Uint16Array(0), p: new Uint8Array(0) };
    else if (n < this.t.length >>> 1 && this.t.length > 1 << 16) {
      out = { t: this.t.slice(0, n), x: this.x.slice(0, n), y: this.y.slice(0, n), p: this.p.slice(0, n) };
    } else out = { t: this.t.subarray(0, n), x: this.x.subarray(0, n), y: this.y.subarray(0, n), p: this.p.subarray(0, n) };
    this.t = new Float64Array(0); this.x = new Uint16Array(0); this.y = new Uint16Array(0); this.p = new Uint8Array(0);
    this.n = 0;
    this.pinned = false;
    return out;
  }
}

/**
 * Base of the format decoders: a block decoder (`consume` / `finish`) plus the chunk-carrying
 * {@link EventDecoder} interface built on it. Subclasses decode records into {@link out}.
 */
export abstract class BlockDecoder implements EventDecoder {
  protected readonly file: string;
  protected readonly total: number | undefined;
  protected readonly out = new EventColumns();
  private readonly carry = new Carry();
  private collecting = false;

  constructor(opts: DecoderBaseOptions) {
    this.file = opts.file ?? "<bytes>";
    this.total = opts.totalBytes;
  }

  /**
   * Decode the whole records at the start of `buf`, whose byte 0 is at file offset `base`; the events go
   * to the pending output. Returns the number of bytes used: the caller passes the rest again, followed
   * by more bytes, on the next call.
   */
  abstract consume(buf: Uint8Array, base: number): number;
  /** End of input with `rest` (at file offset `base`) left unused: decode it if it is legal, else throw. */
  abstract finish(rest: Uint8Array, base: number): void;
  /** A file offset the caller should place on a 4-byte boundary of its buffer (-1: no preference). */
  alignHint(): number {
    return -1;
  }

  /**
   * Whole-file mode, for a caller that feeds the whole file through {@link consume} and calls
   * {@link take} once at the end: the output is sized at the first record for every record left in
   * the file ({@link DecoderBaseOptions.totalBytes}).
   */
  collectAll(): void {
    this.collecting = true;
  }

  /** Hand over the pending events (see {@link EventColumns.take}). */
  take(): Events {
    return this.out.take();
  }

  /**
   * How the records left can be decoded in place (see {@link directTarget}): `minBytes`, the fewest
   * input bytes per event; `alignAt`, a file offset worth putting on a 4-byte boundary (-1: none);
   * "later" while a text header is being read; `null` when not possible.
   */
  protected inPlaceLayout(): { minBytes: number; alignAt: number } | "later" | null {
    return null;
  }

  /**
   * Whole-file mode: where the rest of the file (`left` bytes from file offset `pos`) can be read
   * into the output's own `t` column, to be decoded there in place — `bytes` (the column's memory)
   * and the index `at` for the byte at `pos`; "later" (ask again after more input); `null` (never).
   *
   * Why: the read then writes (and page-faults) the largest column on the thread that does the read,
   * in parallel with the decode, and there is no separate read buffer to copy through. Why it is safe:
   * event k's 8-byte `t` slot is written only after its record is read, and never reaches a record
   * not yet decoded. With records of ≥ 8 bytes (AEDAT) the data starts at slot n = events so far and
   * only ever moves down; with 5-byte ATIS records it is placed to end with the column, which leaves
   * 3 spare bytes per record in front of it, enough as long as `at ≥ 8·n + (8 − 5)·records`.
   */
  directTarget(pos: number, left: number): { bytes: Uint8Array; at: number } | "later" | null {
    // the output bounds below come from the decoder's file size, so it must be the caller's
    if (!this.collecting || this.total !== pos + left) return null;
    const layout = this.inPlaceLayout();
    if (layout === null || layout === "later") return layout;
    const rb = layout.minBytes;
    if (this.out.t.length === 0) {
      // not sized yet (no record so far): size it now, with one spare slot for the ATIS placement below
      this.room(rb >= 8 ? left : left + 8, pos, rb);
      if (!this.collecting) return null; // the bound could not be allocated
    }
    const { t, n } = this.out;
    const cap = t.length;
    const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    let at: number;
    if (rb >= 8) {
      at = 8 * n;
      // shift by up to 3 bytes so that alignAt lands on a 4-byte boundary, if that still fits
      const s = layout.alignAt < 0 ? 0 : (pos - layout.alignAt) & 3;
      if (at + s + left <= 8 * cap) at += s;
      if (at + left > 8 * cap) return null;
    } else {
      at = 8 * cap - left;
      if (at < 8 * n + (8 - rb) * Math.floor(left / rb)) return null;
    }
    this.out.pinned = true;
    return { bytes, at };
  }

  /** End of the in-place phase started by {@link directTarget}: the output may grow again. */
  releaseDirect(): void {
    this.out.pinned = false;
  }

  push(chunk: Uint8Array): Events {
    const buf = this.carry.join(chunk);
    this.carry.keep(buf, this.consume(buf, this.carry.base));
    return this.out.take();
  }

  end(): Events {
    const rest = this.carry.join(new Uint8Array(0));
    const base = this.carry.base;
    this.carry.keep(rest, rest.length);
    this.finish(rest, base);
    return this.out.take();
  }

  /**
   * Size the output before decoding `bufBytes` bytes of `recordBytes`-byte records at file offset `abs`:
   * room for this buffer's records, or, in whole-file mode, for every record left in the file. A
   * bound too large to allocate (a file of many GB) falls back to sizing per buffer.
   */
  protected room(bufBytes: number, abs: number, recordBytes: number): void {
    if (this.collecting && this.total !== undefined) {
      try {
        this.out.ensure(Math.floor(Math.max(bufBytes, this.total - abs) / recordBytes));
        return;
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
        this.collecting = false;
      }
    }
    this.out.ensure(Math.floor(bufBytes / recordBytes));
  }
}

/** Printable summary of a few bytes for error messages (`23 21 41 45 …`). */
export function describeBytes(b: Uint8Array, start: number, n = 16): string {
  const end = Math.min(b.length, start + n);
  if (end <= start) return "end of file";
  const hex = Array.from(b.subarray(start, end), (v) => v.toString(16).padStart(2, "0")).join(" ");
  return `bytes ${hex}${end < b.length ? " …" : ""}`;
}

/**
 * A file-system failure on `path` as an {@link EventFileError} naming the path and the offset of the
 * read (Node's own `EISDIR: illegal operation on a directory, read` names neither).
 */
export function fileReadError(path: string, offset: number, e: unknown): EventFileError {
  if (e instanceof EventFileError) return e;
  const err = e as NodeJS.ErrnoException;
  const what = err.code === "ENOENT" ? "no such file" : err.code === "EISDIR" ? "a directory"
    : err.code === "EACCES" ? "no permission to read it" : (err.message ?? String(e));
  return new EventFileError(path, offset, "a readable event file", `${what}${err.code ? ` (${err.code})` : ""}`, { cause: e });
}

/** Size of the regular file `path`; anything else (missing, a directory, a device) is an {@link EventFileError}. */
export async function eventFileSize(path: string): Promise<number> {
  let st;
  try { st = await stat(path); } catch (e) { throw fileReadError(path, 0, e); }
  if (!st.isFile()) {
    throw new EventFileError(path, 0, "a regular event file", st.isDirectory() ? "a directory (EISDIR)" : "not a regular file");
  }
  return st.size;
}

/** Room kept in front of each read for the previous read's unconsumed tail (a record, a packet header, a short line). */
const TAIL_ROOM = 4096;

/**
 * Read `path` in `chunkBytes` reads through a block decoder, yielding after each read (the decoder
 * holds the events), then end with {@link BlockDecoder.finish} on whatever is left.
 *
 * Two read buffers alternate, and the next read is issued before the current one is decoded, so the
 * file system copy (on libuv's thread pool) overlaps the decode. Unconsumed bytes are copied in front
 * of the next read's data (no chunk is ever re-copied to join it), and each read is placed so that
 * the decoder's {@link BlockDecoder.alignHint} offset falls on a 4-byte boundary.
 *
 * With `whole` (the decoder collects the whole file), as soon as the decoder allows it
 * ({@link BlockDecoder.directTarget}: after the text header) the rest of the file up to its size at
 * `stat` time is read straight into the output's `t` column and decoded in place, again one read ahead.
 * Whatever follows (a file that grew) goes through the two buffers as above.
 */
async function* pump(path: string, size: number, dec: BlockDecoder, chunkBytes: number, whole: boolean): AsyncGenerator<void> {
  const fh = await open(path, "r").catch((e: unknown) => { throw fileReadError(path, 0, e); });
  const readAt = (b: Uint8Array, off: number, len: number, at: number) =>
    fh.read(b, off, len, at).catch((e: unknown) => { throw fileReadError(path, at, e); });
  const read = Math.min(chunkBytes, Math.max(64, size));
  const bufs = [new Uint8Array(TAIL_ROOM + read), new Uint8Array(TAIL_ROOM + read)];
  /** Index in a buffer where a read starting at file offset `f` goes: TAIL_ROOM − 3 … TAIL_ROOM, aligned per the hint. */
  const placeAt = (f: number): number => {
    const hint = dec.alignHint();
    // (f − hint) mod 4 via & 3: exact for integer offsets below 2^53 (ToInt32 keeps the value mod 2^32)
    return hint < 0 ? TAIL_ROOM : TAIL_ROOM - ((f - hint) & 3);
  };
  let pending: Promise<{ bytesRead: number }> | null = null; // the read in flight, if any
  let fpos = 0; // file offset of the next read
  let tail = new Uint8Array(0); // unconsumed bytes (a view), at file offset pos
  let pos = 0;
  let cur = 0; // the buffer of the read in flight
  let at = 0; // where in it that read goes
  let tryDirect = whole;
  let direct: Uint8Array | null = null; // in-place phase: the t column's bytes
  let start = 0, w = 0, limit = 0; // in-place phase: unconsumed direct[start, w); reads stop at `limit`
  try {
    for (;;) {
      if (tryDirect && !pending) {
        const target = dec.directTarget(pos, size - pos);
        if (target !== "later") tryDirect = false;
        if (target !== null && target !== "later") {
          direct = target.bytes;
          direct.set(tail, target.at);
          start = target.at;
          w = start + tail.length;
          limit = target.at + (size - pos);
        }
      }
      if (direct) {
        if (!pending) {
          if (w >= limit) { tail = direct.subarray(start, w); direct = null; dec.releaseDirect(); continue; }
          pending = readAt(direct, w, Math.min(read, limit - w), fpos);
        }
        const { bytesRead } = await pending;
        pending = null;
        if (bytesRead === 0) { tail = direct.subarray(start, w); direct = null; dec.releaseDirect(); break; }
        w += bytesRead;
        fpos += bytesRead;
        if (w < limit) pending = readAt(direct, w, Math.min(read, limit - w), fpos);
        const used = dec.consume(direct.subarray(start, w), pos);
        start += used;
        pos += used;
        yield;
        continue;
      }
      if (!pending) {
        at = placeAt(fpos);
        pending = readAt(bufs[cur]!, at, read, fpos);
      }
      const { bytesRead } = await pending;
      pending = null;
      if (bytesRead === 0) break;
      let buf = bufs[cur]!;
      let first = at - tail.length;
      if (first >= 0) buf.set(tail, first);
      else { // a tail longer than the room in front (a long header line): join by copying
        const joined = new Uint8Array(tail.length + bytesRead);
        joined.set(tail, 0);
        joined.set(buf.subarray(at, at + bytesRead), tail.length);
        buf = joined;
        first = 0;
      }
      const end = first + tail.length + bytesRead;
      fpos += bytesRead;
      cur ^= 1;
      if (!tryDirect) {
        // start the next read into the other buffer (free: its tail was just copied) before decoding this one
        at = placeAt(fpos);
        pending = readAt(bufs[cur]!, at, read, fpos);
      }
      const used = dec.consume(buf.subarray(first, end), pos);
      tail = buf.subarray(first + used, end);
      pos += used;
      yield;
    }
  } finally {
    // never close under a read in flight (a consumer that stops early, or a decode error)
    if (pending) await pending.catch(() => undefined);
    await fh.close();
  }
  dec.finish(tail.slice(), pos);
}

/**
 * Stream a file through a decoder in fixed-size reads, yielding each non-empty batch of events.
 * `makeDecoder` receives the file name and size (for error messages and fit checks).
 */
export async function* streamFile(
  path: string,
  makeDecoder: (base: Required<DecoderBaseOptions>) => EventDecoder,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): AsyncGenerator<Events> {
  if (!(chunkBytes >= 64)) throw new Error(`streamFile: chunkBytes must be ≥ 64, got ${chunkBytes}`);
  const size = await eventFileSize(path);
  const dec = makeDecoder({ file: path, totalBytes: size });
  if (dec instanceof BlockDecoder) {
    for await (const _ of pump(path, size, dec, chunkBytes, false)) {
      const ev = dec.take();
      if (ev.t.length > 0) yield ev;
    }
    const last = dec.take();
    if (last.t.length > 0) yield last;
    return;
  }
  // any other EventDecoder: plain fixed-size reads through push()
  const fh = await open(path, "r").catch((e: unknown) => { throw fileReadError(path, 0, e); });
  try {
    const buf = new Uint8Array(Math.min(chunkBytes, Math.max(64, size)));
    for (let at = 0; ;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null).catch((e: unknown) => { throw fileReadError(path, at, e); });
      at += bytesRead;
      if (bytesRead === 0) break;
      const ev = dec.push(buf.subarray(0, bytesRead));
      if (ev.t.length > 0) yield ev;
    }
  } finally {
    await fh.close();
  }
  const last = dec.end();
  if (last.t.length > 0) yield last;
}

/**
 * Read a whole file through a decoder. With a {@link BlockDecoder} the events are decoded straight
 * into one output sized from the file size (whole-file mode); other decoders are streamed and concatenated.
 */
export async function readFileEvents(
  path: string,
  makeDecoder: (base: Required<DecoderBaseOptions>) => EventDecoder,
  chunkBytes: number = DEFAULT_CHUNK_BYTES,
): Promise<Events> {
  if (!(chunkBytes >= 64)) throw new Error(`streamFile: chunkBytes must be ≥ 64, got ${chunkBytes}`);
  const size = await eventFileSize(path);
  const dec = makeDecoder({ file: path, totalBytes: size });
  if (dec instanceof BlockDecoder) {
    dec.collectAll();
    for await (const _ of pump(path, size, dec, chunkBytes, true));
    return dec.take();
  }
  const parts: Events[] = [];
  for await (const ev of streamFile(path, () => dec, chunkBytes)) parts.push(ev);
  return concatEvents(parts);
}

/**
 * Decode an in-memory byte array with a fresh decoder. (A {@link BlockDecoder} sizes its output for
 * the whole array at once, since the array arrives as one chunk.)
 */
export function decodeBytes(dec: EventDecoder, bytes: Uint8Array): Events {
  const a = dec.push(bytes);
  const b = dec.end();
  return b.t.length === 0 ? a : concatEvents([a, b]);
}

/** Throw if an event lies outside the sensor canvas. */
export function checkSensor(
  file: string, offset: number, x: number, y: number, width: number, height: number,
): void {
  if (x >= width || y >= height) {
    throw new EventFileError(file, offset, `an event inside the ${width}×${height} (W×H) sensor`, `x=${x}, y=${y}`);
  }
}
