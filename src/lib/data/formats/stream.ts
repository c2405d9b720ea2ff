/**
 * Streaming plumbing shared by the three raw-format parsers.
 *
 * Each format is an incremental decoder (`push(chunk) → Events`, `end()`): bytes arrive in chunks
 * of any size, a record split across two chunks is carried over (at most one record or one header
 * line), and absolute byte offsets are tracked for error messages. The same decoder backs the pure
 * in-memory parse (`parseXxx(bytes)` = one push + end) and the file reader (fixed-size `fs` reads),
 * so a multi-gigabyte recording never has to be in memory at once.
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

/** Default read size of the file streamers (4 MiB). */
export const DEFAULT_CHUNK_BYTES = 4 << 20;

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

/** Printable summary of a few bytes for error messages (`23 21 41 45 …`). */
export function describeBytes(b: Uint8Array, start: number, n = 16): string {
  const end = Math.min(b.length, start + n);
  if (end <= start) return "end of file";
  const hex = Array.from(b.subarray(start, end), (v) => v.toString(16).padStart(2, "0")).join(" ");
  return `bytes ${hex}${end < b.length ? " …" : ""}`;
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
  const size = (await stat(path)).size;
  const dec = makeDecoder({ file: path, totalBytes: size });
  const fh = await open(path, "r");
  try {
    const buf = new Uint8Array(Math.min(chunkBytes, Math.max(64, size)));
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
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

/** Read a whole file through a decoder and concatenate the batches. */
export async function readFileEvents(
  path: string,
  makeDecoder: (base: Required<DecoderBaseOptions>) => EventDecoder,
  chunkBytes?: number,
): Promise<Events> {
  const parts: Events[] = [];
  for await (const ev of streamFile(path, makeDecoder, chunkBytes)) parts.push(ev);
  return parts.length === 0 ? concatEvents([]) : concatEvents(parts);
}

/** Decode an in-memory byte array with a fresh decoder. */
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
