/**
 * A minimal HDF5 writer for the one thing h5wasm cannot write: 1-D datasets of variable-length numeric sequences
 * (h5wasm writes vlen strings only). It exists so the SHD-layout synthetic data of the smoke scale (and the
 * paper-size timing run) are written by the project itself, read back through the same reader as the real files.
 *
 * Subset of the HDF5 file format specification (v3.0) it emits, all little-endian, 8-byte offsets and lengths:
 * - superblock version 2 (fixed 48 bytes, Jenkins lookup3 checksum);
 * - version-2 object headers ("OHDR", checksummed); groups are "new style" compact groups (Link Info, Group Info
 *   and one Link message per child, hard links);
 * - datasets: Dataspace v2 (simple, rank 1), Datatype v1, Fill Value v3 (undefined, late allocation), Data Layout
 *   v3 contiguous;
 * - element types: unsigned 8/16/32-bit integers, float16/float32, null-padded fixed-length ASCII strings, and
 *   vlen sequences of those numbers, whose elements live in global heap collections ("GCOL").
 * Files written here are read by h5py and h5wasm (test/data/formats/hdf5-writer.test.ts reads them back).
 */
import { writeFileAtomic } from "../../util/fs.js";
import { float32ToFloat16Bits } from "./float16.js";

export type Hdf5Number = "uint8" | "uint16" | "uint32" | "float16" | "float32";

export type Hdf5Node =
  | { kind: "group"; children: Record<string, Hdf5Node> }
  | { kind: "array"; element: Hdf5Number; data: ArrayLike<number> }
  | { kind: "strings"; data: readonly string[] }
  | { kind: "vlen"; element: Hdf5Number; rows: readonly ArrayLike<number>[] };

const UNDEF = 0xffffffffffffffffn;
const GCOL_MIN = 4096;
/** Data bytes per global heap collection before a new one starts (and at most 65 535 objects per collection). */
const GCOL_TARGET = 1 << 20;

const SIZE: Record<Hdf5Number, number> = { uint8: 1, uint16: 2, uint32: 4, float16: 2, float32: 4 };

/** Jenkins lookup3 `hashlittle` (initval 0), HDF5's metadata checksum. */
export function lookup3(k: Uint8Array, initval = 0): number {
  let length = k.length;
  let a = (0xdeadbeef + length + initval) >>> 0, b = a, c = a;
  const rot = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;
  let o = 0;
  const word = (i: number) => (k[i]! | (k[i + 1]! << 8) | (k[i + 2]! << 16) | (k[i + 3]! << 24)) >>> 0;
  while (length > 12) {
    a = (a + word(o)) >>> 0; b = (b + word(o + 4)) >>> 0; c = (c + word(o + 8)) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
    length -= 12; o += 12;
  }
  if (length === 0) return c;
  // Tail: bytes o .. o + length − 1 into a (0-3), b (4-7), c (8-11).
  const add = [0, 0, 0];
  for (let i = 0; i < length; i++) add[i >> 2]! += k[o + i]! * 2 ** (8 * (i & 3));
  a = (a + add[0]!) >>> 0; b = (b + add[1]!) >>> 0; c = (c + add[2]!) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  return c;
}

/** Little-endian byte builder. */
class Bytes {
  private buf = new Uint8Array(1024);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let cap = this.buf.length;
    while (cap < this.length + n) cap *= 2;
    const nb = new Uint8Array(cap);
    nb.set(this.buf.subarray(0, this.length));
    this.buf = nb;
  }
  u8(v: number): this { this.ensure(1); this.buf[this.length++] = v & 0xff; return this; }
  u16(v: number): this { return this.u8(v).u8(v >>> 8); }
  u32(v: number): this { return this.u16(v & 0xffff).u16(v >>> 16); }
  u64(v: number | bigint): this {
    const b = BigInt(v);
    return this.u32(Number(b & 0xffffffffn)).u32(Number((b >> 32n) & 0xffffffffn));
  }
  bytes(b: Uint8Array): this { this.ensure(b.length); this.buf.set(b, this.length); this.length += b.length; return this; }
  zeros(n: number): this { this.ensure(n); this.buf.fill(0, this.length, this.length + n); this.length += n; return this; }
  view(): Uint8Array { return this.buf.subarray(0, this.length); }
}

function encodeNumbers(element: Hdf5Number, data: ArrayLike<number>, where: string): Uint8Array {
  const n = data.length;
  const out = new Uint8Array(n * SIZE[element]);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = data[i]!;
    if (element === "float32") { dv.setFloat32(4 * i, v, true); continue; }
    if (element === "float16") { dv.setUint16(2 * i, float32ToFloat16Bits(v), true); continue; }
    const max = element === "uint8" ? 0xff : element === "uint16" ? 0xffff : 0xffffffff;
    if (!Number.isInteger(v) || v < 0 || v > max) throw new Error(`${where}: element ${i} = ${v} is not a ${element}`);
    if (element === "uint8") dv.setUint8(i, v);
    else if (element === "uint16") dv.setUint16(2 * i, v, true);
    else dv.setUint32(4 * i, v, true);
  }
  return out;
}

/** Datatype message body (version 1). */
function datatype(t: Hdf5Number | { string: number } | { vlen: Hdf5Number }): Uint8Array {
  const b = new Bytes();
  if (typeof t === "object" && "vlen" in t) {
    b.u8((1 << 4) | 9).u8(0).u8(0).u8(0).u32(16).bytes(datatype(t.vlen)); // sequence; 4 + 8 + 4 byte element
  } else if (typeof t === "object") {
    b.u8((1 << 4) | 3).u8(1).u8(0).u8(0).u32(t.string); // null-padded ASCII
  } else if (t === "float16" || t === "float32") {
    const half = t === "float16";
    const bits = half ? 16 : 32;
    // byte order LE, mantissa normalisation 2 (implied leading 1), sign bit at bits − 1
    b.u8((1 << 4) | 1).u8(0x20).u8(bits - 1).u8(0).u32(bits / 8)
      .u16(0).u16(bits).u8(half ? 10 : 23).u8(half ? 5 : 8).u8(0).u8(half ? 10 : 23).u32(half ? 15 : 127);
  } else {
    b.u8((1 << 4) | 0).u8(0).u8(0).u8(0).u32(SIZE[t]).u16(0).u16(8 * SIZE[t]); // unsigned, LE
  }
  return b.view().slice();
}

interface Message { type: number; body: Uint8Array; flags?: number }

/** A version-2 object header holding `messages`, appended at the current end; returns its address. */
function objectHeader(f: Bytes, messages: Message[]): number {
  const at = f.length;
  const h = new Bytes();
  const size = messages.reduce((s, m) => s + 4 + m.body.length, 0);
  h.bytes(new TextEncoder().encode("OHDR")).u8(2).u8(2).u32(size); // flags: chunk-0 size stored in 4 bytes
  for (const m of messages) h.u8(m.type).u16(m.body.length).u8(m.flags ?? 0).bytes(m.body);
  const body = h.view();
  f.bytes(body).u32(lookup3(body));
  return at;
}

function datasetHeader(f: Bytes, rows: number, type: Uint8Array, dataAt: number | null, dataBytes: number): number {
  const space = new Bytes().u8(2).u8(1).u8(0).u8(1).u64(rows).view().slice();
  const fill = new Bytes().u8(3).u8(2 | (2 << 2)).view().slice(); // late allocation, write fill "if set", undefined
  const layout = new Bytes().u8(3).u8(1).u64(dataAt === null ? UNDEF : dataAt).u64(dataBytes).view().slice();
  return objectHeader(f, [{ type: 1, body: space }, { type: 3, body: type, flags: 1 }, { type: 5, body: fill, flags: 1 }, { type: 8, body: layout }]);
}

/** Global heap collections holding `rows` (one object per non-empty row); returns each row's (address, index). */
function globalHeap(f: Bytes, rows: Uint8Array[]): { addr: number; index: number }[] {
  const ids: { addr: number; index: number }[] = [];
  let i = 0;
  while (i < rows.length) {
    const start = i;
    let used = 16;
    while (i < rows.length && i - start < 65534 && (i === start || used + 16 + align8(rows[i]!.length) <= GCOL_TARGET)) {
      used += rows[i]!.length ? 16 + align8(rows[i]!.length) : 0;
      i++;
    }
    const size = Math.max(GCOL_MIN, used + 16);
    const at = f.length;
    f.bytes(new TextEncoder().encode("GCOL")).u8(1).zeros(3).u64(size);
    let index = 0;
    for (let r = start; r < i; r++) {
      const data = rows[r]!;
      if (data.length === 0) { ids.push({ addr: 0, index: 0 }); continue; }
      index++;
      f.u16(index).u16(1).u32(0).u64(data.length).bytes(data).zeros(align8(data.length) - data.length);
      ids.push({ addr: at, index });
    }
    // Object 0: the free space left in the collection (its size counts its own 16-byte header).
    const free = size - used;
    f.u16(0).u16(0).u32(0).u64(free).zeros(free - 16);
  }
  return ids;
}

const align8 = (n: number) => (n + 7) & ~7;

function writeNode(f: Bytes, node: Hdf5Node, where: string): number {
  switch (node.kind) {
    case "group": {
      const links = Object.entries(node.children).map(([name, child]) => {
        if (!/^[^/.][^/]*$/.test(name) || new TextEncoder().encode(name).length > 255) throw new Error(`${where}: invalid child name '${name}'`);
        return { name, addr: writeNode(f, child, `${where}/${name}`) };
      });
      const linkInfo = new Bytes().u8(0).u8(0).u64(UNDEF).u64(UNDEF).view().slice();
      const groupInfo = new Bytes().u8(0).u8(0).view().slice();
      const msgs: Message[] = [{ type: 2, body: linkInfo }, { type: 10, body: groupInfo }];
      for (const l of links) {
        const name = new TextEncoder().encode(l.name);
        msgs.push({ type: 6, body: new Bytes().u8(1).u8(0).u8(name.length).bytes(name).u64(l.addr).view().slice() });
      }
      return objectHeader(f, msgs);
    }
    case "array": {
      const data = encodeNumbers(node.element, node.data, where);
      const at = data.length ? f.length : null;
      f.bytes(data);
      return datasetHeader(f, node.data.length, datatype(node.element), at, data.length);
    }
    case "strings": {
      const enc = node.data.map((s) => {
        const e = new TextEncoder().encode(s);
        if (e.some((c) => c > 0x7f)) throw new Error(`${where}: '${s}' is not ASCII`);
        return e;
      });
      const width = Math.max(1, ...enc.map((e) => e.length));
      const at = enc.length ? f.length : null;
      for (const e of enc) f.bytes(e).zeros(width - e.length);
      return datasetHeader(f, enc.length, datatype({ string: width }), at, enc.length * width);
    }
    case "vlen": {
      const rows = node.rows.map((r, i) => encodeNumbers(node.element, r, `${where}[${i}]`));
      const ids = globalHeap(f, rows);
      const at = rows.length ? f.length : null;
      rows.forEach((r, i) => f.u32(r.length / SIZE[node.element]).u64(ids[i]!.addr).u32(ids[i]!.index));
      return datasetHeader(f, rows.length, datatype({ vlen: node.element }), at, 16 * rows.length);
    }
  }
}

/** The bytes of an HDF5 file whose root group is `root`. */
export function encodeHdf5(root: Extract<Hdf5Node, { kind: "group" }>): Uint8Array {
  const f = new Bytes();
  f.zeros(48); // superblock, filled in below
  const rootAddr = writeNode(f, root, "");
  const out = f.view();
  const sb = new Bytes();
  sb.bytes(new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a])).u8(2).u8(8).u8(8).u8(0)
    .u64(0).u64(UNDEF).u64(out.length).u64(rootAddr);
  const head = sb.view();
  out.set(head, 0);
  new DataView(out.buffer, out.byteOffset).setUint32(44, lookup3(head), true);
  return out;
}

/** Write an HDF5 file atomically (temp file + rename). */
export async function writeHdf5(path: string, root: Extract<Hdf5Node, { kind: "group" }>): Promise<void> {
  await writeFileAtomic(path, encodeHdf5(root));
}
