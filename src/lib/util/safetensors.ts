/**
 * safetensors encoding (https://huggingface.co/docs/safetensors): an 8-byte little-endian header
 * length N, a JSON header of N bytes `{name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?}`
 * and the raw little-endian tensor bytes. Used for shared model weights and for checkpoints.
 */
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

export function decodeSafetensors(bytes: Uint8Array, source = "safetensors data"): { tensors: Record<string, SafeTensor>; metadata: Record<string, string> } {
  if (bytes.length < 8) throw new Error(`${source}: ${bytes.length} bytes, expected at least the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = Number(dv.getBigUint64(0, true));
  if (8 + n > bytes.length) throw new Error(`${source}: header length ${n} at byte 0 runs past the end (${bytes.length} bytes)`);
  let header: Record<string, { dtype: SafeDtype; shape: number[]; data_offsets: [number, number] } | Record<string, string>>;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    throw new Error(`${source}: header at byte 8 is not valid JSON (${(e as Error).message})`);
  }
  const base = 8 + n;
  const tensors: Record<string, SafeTensor> = {};
  let metadata: Record<string, string> = {};
  for (const [name, info] of Object.entries(header)) {
    if (name === "__metadata__") { metadata = info as Record<string, string>; continue; }
    const { dtype, shape, data_offsets: [b, e] } = info as { dtype: SafeDtype; shape: number[]; data_offsets: [number, number] };
    if (!(dtype in BYTES)) throw new Error(`${source}: tensor '${name}' has unsupported dtype ${dtype}; expected F32, I32 or U8`);
    if (base + e > bytes.length) throw new Error(`${source}: tensor '${name}' data [${b}, ${e}) runs past the end of the file (truncated?)`);
    // Copy into a fresh, aligned buffer (Node's Buffer.slice would return a view of the whole file).
    const copy = new Uint8Array(e - b);
    copy.set(bytes.subarray(base + b, base + e));
    const data = dtype === "F32" ? new Float32Array(copy.buffer) : dtype === "I32" ? new Int32Array(copy.buffer) : copy;
    if (data.length !== shape.reduce((x, y) => x * y, 1)) throw new Error(`${source}: tensor '${name}' byte range does not match shape [${shape}]`);
    tensors[name] = { dtype, shape, data };
  }
  return { tensors, metadata };
}
