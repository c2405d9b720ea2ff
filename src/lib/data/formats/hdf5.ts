/**
 * Reading HDF5 files with variable-length numeric sequences (the SHD layout, issue #19) through h5wasm, the
 * maintained wasm build of the HDF5 C library.
 *
 * Two gaps of h5wasm are closed here:
 * - h5wasm decodes a dataset through typed arrays and has none for float16 ("Float16 not supported"); the SHD
 *   files store spike times as vlen float16. {@link readVlenSequences} therefore copies the raw `hvl_t` records
 *   (length, pointer) out of the wasm heap and decodes every element itself ({@link float16ToFloat32} for
 *   2-byte floats), then frees HDF5's vlen buffers (h5wasm's own `.value` leaks them for H5T_VLEN datasets).
 * - HDF5 prints a diagnostic stack to stderr and h5wasm then fails with an unrelated message ("name not
 *   defined!") when a file is truncated or not HDF5. {@link openHdf5} checks the superblock signature and the
 *   stored end-of-file address first, so such a file gets an {@link EventFileError} naming it, the offset and
 *   what was expected.
 */
import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { Dataset, File as H5File } from "h5wasm/node";
import { EventFileError } from "../errors.js";
import { float16ToFloat32 } from "./float16.js";

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

type H5Lib = (typeof import("h5wasm/node"))["default"];
type H5Module = Awaited<H5Lib["ready"]>;

/** h5wasm is loaded on first use (its wasm build is a few MB; most users of the package never open HDF5). */
let lib: Promise<H5Lib> | null = null;
const h5wasmLib = () => (lib ??= import("h5wasm/node").then((m) => m.default));

/** Where the superblock says the file ends (bytes), read from its fixed header; throws on a non-HDF5 file. */
export function hdf5StoredEof(head: Uint8Array, file: string): { superblockAt: number; version: number; eof: number } {
  // The superblock sits at 0, 512, 1024, 2048, … (a user block may precede it).
  for (let at = 0; at + 8 <= head.length; at = at === 0 ? 512 : at * 2) {
    if (!SIGNATURE.every((b, i) => head[at + i] === b)) continue;
    const version = head[at + 8]!;
    const dv = new DataView(head.buffer, head.byteOffset, head.byteLength);
    const readOffset = (pos: number, size: number): number => {
      if (pos + size > head.length) throw new EventFileError(file, pos, `a ${size}-byte superblock address`, "the end of the file");
      let v = 0;
      for (let i = size - 1; i >= 0; i--) v = v * 256 + dv.getUint8(pos + i);
      return v;
    };
    let sizeOfOffsets: number, eofAt: number;
    if (version === 0 || version === 1) {
      sizeOfOffsets = head[at + 13]!;
      eofAt = at + (version === 0 ? 24 : 28) + 2 * sizeOfOffsets;
    } else if (version === 2 || version === 3) {
      sizeOfOffsets = head[at + 9]!;
      eofAt = at + 12 + 2 * sizeOfOffsets;
    } else {
      throw new EventFileError(file, at + 8, "HDF5 superblock version 0-3", `version ${version}`);
    }
    if (![2, 4, 8].includes(sizeOfOffsets)) throw new EventFileError(file, at + 9, "size of offsets 2, 4 or 8", String(sizeOfOffsets));
    return { superblockAt: at, version, eof: readOffset(eofAt, sizeOfOffsets) };
  }
  throw new EventFileError(file, 0, "the HDF5 signature \\x89HDF\\r\\n\\x1a\\n (at byte 0, 512, 1024, …)", "no signature: not an HDF5 file");
}

/** An open HDF5 file (read-only); close it with {@link Hdf5Reader.close}. */
export class Hdf5Reader {
  private constructor(readonly path: string, private readonly file: H5File, private readonly m: H5Module) {}

  /** Open `path` after checking its signature and size (clear errors instead of HDF5's stack dump). */
  static async open(path: string): Promise<Hdf5Reader> {
    let size: number;
    try { size = statSync(path).size; } catch { throw new Error(`${path}: no such file`); }
    const head = new Uint8Array(Math.min(size, 4096));
    const fd = openSync(path, "r");
    try { readSync(fd, head, 0, head.length, 0); } finally { closeSync(fd); }
    const sb = hdf5StoredEof(head, path);
    if (sb.superblockAt + sb.eof > size) {
      throw new EventFileError(path, size, `${sb.superblockAt + sb.eof} bytes (the end-of-file address in the superblock)`, `only ${size} bytes: the file is truncated (download or copy it again)`);
    }
    const h5wasm = await h5wasmLib();
    const m = await h5wasm.ready;
    let file: H5File;
    try {
      file = new h5wasm.File(path, "r");
    } catch (e) {
      throw new Error(`${path}: HDF5 could not open the file: ${(e as Error).message ?? String(e)}`);
    }
    if (!(Number(file.file_id) > 0)) throw new Error(`${path}: HDF5 could not open the file (corrupt superblock or root group)`);
    return new Hdf5Reader(path, file, m);
  }

  close(): void {
    this.file.close();
  }

  /** The dataset at `name`, or an error naming the file and the missing path. */
  dataset(name: string): Dataset {
    let obj: unknown;
    try { obj = this.file.get(name); } catch (e) { throw new Error(`${this.path}: reading '${name}' failed: ${(e as Error).message ?? String(e)}`); }
    if (!obj || (obj as { constructor: { name: string } }).constructor.name !== "Dataset") {
      throw new Error(`${this.path}: expected a dataset at '${name}', found ${obj ? (obj as { constructor: { name: string } }).constructor.name : "nothing"}`);
    }
    return obj as Dataset;
  }

  /** Whether `name` exists (group or dataset). */
  has(name: string): boolean {
    try { return this.file.get(name) != null; } catch { return false; }
  }

  /** A plain (fixed-size element) dataset decoded by h5wasm: numbers or strings. */
  values(name: string): number[] | string[] {
    const ds = this.dataset(name);
    let v: unknown;
    try { v = ds.value; } catch (e) { throw new Error(`${this.path}: '${name}': ${(e as Error).message ?? String(e)}`); }
    if (typeof v === "string" || typeof v === "number") return [v] as number[] | string[];
    if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number | bigint>, Number);
    if (Array.isArray(v) && v.every((x) => typeof x === "string")) return v as string[];
    throw new Error(`${this.path}: '${name}' is not a 1-D numeric or string dataset`);
  }

  /**
   * Rows [start, start + count) of a 1-D vlen dataset of integers or floats, each decoded:
   * float16/float32/float64 → Float32Array (float64 narrowed), unsigned/signed ints ≤ 32 bit →
   * Int32Array. Reads in one hyperslab and frees HDF5's vlen buffers afterwards.
   */
  readVlenSequences(name: string, start = 0, count?: number): (Float32Array | Int32Array)[] {
    const ds = this.dataset(name);
    const meta = ds.metadata as unknown as { type: number; shape: number[]; vlen_type?: { type: number; size: number; signed: boolean; littleEndian: boolean } };
    const M = this.m;
    const VLEN = M.H5T_class_t.H5T_VLEN.value, FLOAT = M.H5T_class_t.H5T_FLOAT.value, INT = M.H5T_class_t.H5T_INTEGER.value;
    if (meta.type !== VLEN || !meta.vlen_type || meta.shape.length !== 1) {
      throw new Error(`${this.path}: '${name}' must be a 1-D variable-length sequence dataset, found HDF5 class ${meta.type} with shape [${meta.shape}]`);
    }
    const base = meta.vlen_type;
    if (!base.littleEndian) throw new Error(`${this.path}: '${name}': big-endian elements are not supported`);
    const decoder = elementDecoder(base.type === FLOAT ? "float" : base.type === INT ? "int" : "other", base.size, base.signed);
    if (!decoder) throw new Error(`${this.path}: '${name}': element type (class ${base.type}, ${base.size} bytes) is not a supported number type (float 2/4/8, int 1/2/4 bytes)`);
    const total = meta.shape[0]!;
    const n = count ?? total - start;
    if (start < 0 || n < 0 || start + n > total) throw new Error(`${this.path}: '${name}': rows [${start}, ${start + n}) outside the ${total} rows`);
    if (n === 0) return [];
    const recordBytes = 8; // hvl_t in wasm32: size_t length + pointer
    const ptr = M._malloc(n * recordBytes);
    if (!ptr) throw new Error(`${this.path}: '${name}': out of wasm memory for ${n} rows`);
    const countB = [BigInt(n)], offsetB = [BigInt(start)], stridesB = [1n];
    const fail = (why: string) => new Error(`${this.path}: reading rows [${start}, ${start + n}) of '${name}' failed: ${why} (the file is corrupt; download or copy it again)`);
    M.HEAPU8.fill(0, ptr, ptr + n * recordBytes);
    let filled = false;
    try {
      let status: number;
      try {
        status = Number(M.get_dataset_data(this.file.file_id, ds.path, countB, offsetB, stridesB, BigInt(ptr)));
      } catch (e) {
        throw fail((e as Error).message ?? String(e));
      }
      // A damaged global heap makes the C call return −1 (and print to stderr) without throwing.
      if (status < 0) throw fail(`HDF5 status ${status}`);
      filled = true;
      const pairs = new Uint32Array(M.HEAPU8.slice(ptr, ptr + n * recordBytes).buffer);
      const heapEnd = M.HEAPU8.length;
      const out: (Float32Array | Int32Array)[] = [];
      for (let r = 0; r < n; r++) {
        const len = pairs[2 * r]!, at = pairs[2 * r + 1]!;
        if (len > 0 && (at === 0 || at + len * base.size > heapEnd)) throw fail(`row ${start + r} has no readable data (length ${len})`);
        out.push(decoder(M.HEAPU8.slice(at, at + len * base.size), len));
      }
      return out;
    } finally {
      if (filled) M.reclaim_vlen_memory_count(this.file.file_id, ds.path, "", BigInt(ptr), countB);
      M._free(ptr);
    }
  }
}

function elementDecoder(kind: "float" | "int" | "other", size: number, signed: boolean): ((b: Uint8Array, n: number) => Float32Array | Int32Array) | null {
  if (kind === "float" && size === 2) {
    return (b, n) => {
      const u = new Uint16Array(b.buffer, b.byteOffset, n);
      const o = new Float32Array(n);
      for (let i = 0; i < n; i++) o[i] = float16ToFloat32(u[i]!);
      return o;
    };
  }
  if (kind === "float" && size === 4) return (b, n) => new Float32Array(b.buffer, b.byteOffset, n).slice();
  if (kind === "float" && size === 8) return (b, n) => Float32Array.from(new Float64Array(b.buffer, b.byteOffset, n));
  if (kind === "int" && (size === 1 || size === 2 || size === 4)) {
    const Ctor = size === 1 ? (signed ? Int8Array : Uint8Array) : size === 2 ? (signed ? Int16Array : Uint16Array) : Int32Array;
    return (b, n) => {
      if (size === 4 && !signed) {
        const u = new Uint32Array(b.buffer, b.byteOffset, n);
        if (u.some((v) => v > 0x7fffffff)) throw new Error("uint32 values above 2^31 − 1 are not supported");
      }
      return Int32Array.from(new Ctor(b.buffer, b.byteOffset, n));
    };
  }
  return null;
}
