/**
 * safetensors encoding (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, a JSON header of N bytes `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}`
 * and the raw little-endian tensor bytes. Used for shared model weights and for checkpoints.
 */
import { readFileSync } from "node:fs";
import { InputError } from "./errors.js";

export type SafeDtype = "F32" | "I32" | "U8";

export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  data: Float32Array | Int32Array | Uint8Array;
}

const BYTES: Record<SafeDtype, number> = { F32: 4, I32: 4, U8: 1 };

export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors).sort();
  for (const name of names) {
    const t = tensors[name]!;
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new Error(`safetensors: '${name}' has shape [${t.shape}] (${n} values) but ${t.data.length} values`);
    const len = n * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + len] };
    offset += len;
  }
  let json = JSON.stringify(header);
  json += " ".repeat((8 - (json.length % 8)) % 8); // align the data section to 8 bytes
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  const base = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    const [begin] = (header[name] as { data_offsets: [number, number] }).data_offsets;
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), base + begin);
  }
  return out;
}

/**
 * A malformed safetensors file: names the file, where (the header length at byte 0, the JSON header at
 * byte 8 and the tensor, or the tensor's data), what the format requires and what was found.
 */
export class SafetensorsError extends InputError {
  override readonly name = "SafetensorsError";
}

/** Largest header accepted (the reference implementation's limit): a larger length is corruption, not a model. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
const show = (v: unknown): string => {
  const j = JSON.stringify(v);
  return j === undefined ? String(v) : j.length > 60 ? `${j.slice(0, 57)}...` : j;
};

/**
 * Decode safetensors bytes, validating the whole header first (as the reference implementation does):
 * the header is a JSON object; `__metadata__`, if present, maps strings to strings; every other entry is
 * `{dtype, shape, data_offsets}` with a supported dtype (an own key of F32/I32/U8, so `"toString"` is not
 * one), a shape of non-negative integers, `0 ≤ begin ≤ end` integer offsets whose byte count is the
 * shape's element count × the dtype size, and the tensors tile the data section exactly (no gap, no
 * overlap, nothing after the last one). `source` names the file in every {@link SafetensorsError}.
 */
export function decodeSafetensors(bytes: Uint8Array, source = "safetensors data"): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  const fail = (where: string, expected: string, found: string): never => { throw new SafetensorsError(source, where, expected, found); };
  if (bytes.length < 8) fail("byte 0", "the 8-byte little-endian header length", `${bytes.length} bytes in all`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(Math.min(SAFETENSORS_MAX_HEADER_BYTES, bytes.length - 8))) {
    fail("byte 0", `a header length ≤ ${Math.min(SAFETENSORS_MAX_HEADER_BYTES, bytes.length - 8)} (the bytes after the length field, at most ${SAFETENSORS_MAX_HEADER_BYTES})`, `${n64}`);
  }
  const n = Number(n64);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail("byte 8 (header)", `${n} bytes of UTF-8 JSON`, `invalid JSON or UTF-8 (${(e as Error).message})`);
  }
  if (!isObject(header)) fail("byte 8 (header)", "a JSON object {name: {dtype, shape, data_offsets}, ...}", show(header));
  const h = header as Record<string, unknown>;
  const base = 8 + n;
  const dataBytes = bytes.length - base;
  let metadata: Record<string, string> = {};
  const entries: { name: string; dtype: SafeDtype; shape: number[]; b: number; e: number }[] = [];
  for (const name of Object.keys(h)) {
    const info = h[name];
    const at = `byte 8 (header), ${name === "__metadata__" ? "__metadata__" : `tensor '${name}'`}`;
    if (name === "__metadata__") {
      if (!isObject(info) || !Object.values(info).every((v) => typeof v === "string")) fail(at, "an object of string values", show(info));
      metadata = Object.assign(Object.create(null) as Record<string, string>, info);
      continue;
    }
    if (!isObject(info)) fail(at, "an object {dtype, shape, data_offsets}", show(info));
    const { dtype, shape, data_offsets: off } = info as Record<string, unknown>;
    if (typeof dtype !== "string" || !own(BYTES, dtype)) fail(at, "dtype F32, I32 or U8", show(dtype));
    if (!Array.isArray(shape) || !shape.every(isCount)) fail(at, "shape: an array of non-negative integers", show(shape));
    if (!Array.isArray(off) || off.length !== 2 || !off.every(isCount)) fail(at, "data_offsets: [begin, end], non-negative integers", show(off));
    const [b, e] = off as [number, number];
    if (e < b) fail(at, "data_offsets begin ≤ end", show(off));
    const count = (shape as number[]).reduce((x, y) => x * y, 1);
    const size = BYTES[dtype as SafeDtype];
    if (e - b !== count * size) {
      fail(at, `${count} × ${size} = ${count * size} bytes for shape [${shape as number[]}] of ${dtype as string}`, `data_offsets [${b}, ${e}] (${e - b} bytes)`);
    }
    entries.push({ name, dtype: dtype as SafeDtype, shape: shape as number[], b, e });
  }
  // the tensors must tile [0, dataBytes): sorted by offset, each begins where the previous one ended
  entries.sort((x, y) => x.b - y.b || x.e - y.e);
  let end = 0;
  for (const t of entries) {
    if (t.b !== end) {
      fail(`byte 8 (header), tensor '${t.name}'`, `data starting at offset ${end} (tensors tile the data section, no gap or overlap)`, `data_offsets [${t.b}, ${t.e}]`);
    }
    end = t.e;
  }
  if (end !== dataBytes) {
    const last = entries.length ? `the end of tensor '${entries[entries.length - 1]!.name}'` : "no tensors";
    fail(`byte ${base + Math.min(end, dataBytes)}`, `a data section of ${end} bytes (${last})`,
      end > dataBytes ? `${dataBytes} bytes (truncated file)` : `${dataBytes - end} bytes after the last tensor`);
  }
  const tensors = Object.create(null) as Record<string, SafeTensor>; // no prototype: a tensor may be called "__proto__"
  for (const { name, dtype, shape, b, e } of entries) {
    // Copy into a fresh, aligned buffer (Node's Buffer.slice would return a view of the whole file).
    const copy = new Uint8Array(e - b);
    copy.set(bytes.subarray(base + b, base + e));
    const data = dtype === "F32" ? new Float32Array(copy.buffer) : dtype === "I32" ? new Int32Array(copy.buffer) : copy;
    tensors[name] = { dtype, shape, data };
  }
  return { tensors, metadata };
}

/** Read and decode a safetensors file; a read failure (missing file, a directory) names the path too. */
export function readSafetensorsFile(path: string): ReturnType<typeof decodeSafetensors> {
  let bytes: Uint8Array;
  try { bytes = readFileSync(path); } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SafetensorsError(path, "byte 0", "a readable safetensors file", code === "ENOENT" ? "no such file (ENOENT)" : code === "EISDIR" ? "a directory (EISDIR)" : String((e as Error).message), { cause: e });
  }
  return decodeSafetensors(bytes, path);
}
