/**
 * Minimal tar reader (POSIX ustar + the GNU long-name and pax `path` extensions), so the ImageNet archives can
 * be unpacked in one pass with positioned reads: the 147 GB training tar is never copied or extracted twice,
 * and members already unpacked can be skipped by seeking past them (resumable extraction).
 *
 * Layout: 512-byte headers — name[0,100), size[124,136) octal (or base-256 when the top bit of the first byte
 * is set), checksum[148,156) = sum of the header bytes with the checksum field read as spaces, typeflag[156],
 * magic "ustar" at 257, prefix[345,500) prepended with "/" — each followed by the member's data padded to
 * 512 bytes. Two zero blocks end the archive. Errors name the archive and the byte offset.
 */
import { open, type FileHandle } from "node:fs/promises";

export interface TarMember {
  name: string;
  size: number;
  /** '0' regular file, '5' directory, … (NUL read as '0'). */
  type: string;
  /** Byte offset of the member's data in the archive. */
  dataOffset: number;
}

const BLOCK = 512;

function str(b: Uint8Array, from: number, len: number): string {
  let end = from;
  while (end < from + len && b[end] !== 0) end++;
  return Buffer.from(b.subarray(from, end)).toString("utf8");
}

function octal(b: Uint8Array, from: number, len: number, archive: string, at: number): number {
  if (b[from]! & 0x80) { // GNU base-256 for sizes ≥ 8 GiB
    let v = b[from]! & 0x7f;
    for (let i = from + 1; i < from + len; i++) v = v * 256 + b[i]!;
    return v;
  }
  const s = str(b, from, len).trim();
  if (!/^[0-7]*$/.test(s)) throw new Error(`${archive}: tar header at byte ${at}: expected an octal number, found '${s}' (not a tar archive, or corrupt)`);
  return s === "" ? 0 : parseInt(s, 8);
}

/** Parse one 512-byte header; `null` for an end-of-archive zero block. */
export function parseTarHeader(h: Uint8Array, archive: string, at: number): Omit<TarMember, "dataOffset"> | null {
  if (h.length < BLOCK) throw new Error(`${archive}: tar header at byte ${at}: expected 512 bytes, found ${h.length} (truncated archive)`);
  if (h.every((x) => x === 0)) return null;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i]!;
  const stored = octal(h, 148, 8, archive, at);
  if (stored !== sum) throw new Error(`${archive}: tar header at byte ${at}: checksum ${stored}, computed ${sum} (not a tar archive, or corrupt)`);
  const prefix = str(h, 257, 6) === "ustar" ? str(h, 345, 155) : "";
  const name = str(h, 0, 100);
  return { name: prefix ? `${prefix}/${name}` : name, size: octal(h, 124, 12, archive, at), type: h[156] === 0 ? "0" : String.fromCharCode(h[156]!) };
}

/** A tar archive on disk or in memory, read with positioned reads. */
export interface TarSource { read(offset: number, length: number): Promise<Uint8Array>; close?(): Promise<void> }

export function memoryTar(bytes: Uint8Array): TarSource {
  return { read: async (o, n) => bytes.subarray(o, Math.min(bytes.length, o + n)) };
}

export async function fileTar(path: string): Promise<TarSource & { close(): Promise<void> }> {
  const fh: FileHandle = await open(path, "r");
  return {
    async read(o, n) {
      const buf = new Uint8Array(n);
      const { bytesRead } = await fh.read(buf, 0, n, o);
      return buf.subarray(0, bytesRead);
    },
    close: () => fh.close(),
  };
}

/**
 * Iterate the members (files and directories; extension headers applied and hidden). The caller reads a
 * member's data with `src.read(m.dataOffset, m.size)` or skips it for free.
 */
export async function* tarMembers(src: TarSource, archive: string): AsyncGenerator<TarMember> {
  let at = 0;
  let longName: string | undefined;
  for (;;) {
    const h = await src.read(at, BLOCK);
    if (h.length === 0) return; // archive without the end blocks: accepted, as GNU tar does
    const hdr = parseTarHeader(h, archive, at);
    if (!hdr) return;
    const dataOffset = at + BLOCK;
    at = dataOffset + Math.ceil(hdr.size / BLOCK) * BLOCK;
    if (hdr.type === "L" || hdr.type === "x") {
      const d = await src.read(dataOffset, hdr.size);
      if (d.length < hdr.size) throw new Error(`${archive}: extension header data at byte ${dataOffset}: expected ${hdr.size} bytes (truncated archive)`);
      if (hdr.type === "L") longName = str(d, 0, d.length);
      else {
        const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(Buffer.from(d).toString("utf8"));
        if (m) longName = m[1];
      }
      continue;
    }
    if (hdr.type === "g") continue;
    yield { name: longName ?? hdr.name, size: hdr.size, type: hdr.type, dataOffset };
    longName = undefined;
  }
}

/** Read a member's bytes, failing clearly on a truncated archive. */
export async function readMember(src: TarSource, m: TarMember, archive: string): Promise<Uint8Array> {
  const d = await src.read(m.dataOffset, m.size);
  if (d.length < m.size) throw new Error(`${archive}: member ${m.name}: expected ${m.size} bytes at byte ${m.dataOffset}, found ${d.length} (truncated archive)`);
  return d;
}
