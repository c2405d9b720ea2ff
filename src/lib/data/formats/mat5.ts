/**
 * Minimal MATLAB level-5 MAT-file reader/writer — exactly what the ImageNet devkit's `data/meta.mat` needs
 * (a struct array `synsets` with double and char fields). Little-endian files only.
 *
 * Format (MathWorks "MAT-File Format", level 5): a 128-byte header (116 bytes text, 8 bytes subsystem offset,
 * u16 version 0x0100, endian indicator "IM" = bytes 'I','M' for little-endian), then data elements. An element
 * is an 8-byte tag (u32 type, u32 byte count) + data padded to 8 bytes, or a "small element" packed in 8 bytes
 * when the tag's upper 16 bits are non-zero (u16 type, u16 count, ≤ 4 data bytes). `miCOMPRESSED` (15) holds a
 * zlib stream of further elements; `miMATRIX` (14) holds sub-elements: array flags (class in the low byte),
 * dimensions (int32), name (int8), then by class:
 * - numeric classes: the real part as any numeric element type (MATLAB stores doubles as the smallest type that
 *   holds them, e.g. miUINT8), converted to numbers;
 * - char: UTF-16/UTF-8/uint8 code units in column-major order, returned as the rows' strings;
 * - struct: field-name length (int32), the names (int8, NUL-padded), then one miMATRIX per element per field
 *   (elements column-major, fields in order); cell: one miMATRIX per element. An empty miMATRIX (0 bytes) is [].
 */
import { deflateSync, inflateSync } from "node:zlib";

export type MatValue =
  | { kind: "numeric"; dims: number[]; data: number[] }
  | { kind: "char"; dims: number[]; rows: string[] }
  | { kind: "struct"; dims: number[]; fields: string[]; elements: Record<string, MatValue>[] }
  | { kind: "cell"; dims: number[]; cells: MatValue[] };

const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15, UTF8: 16, UTF16: 17, UTF32: 18 } as const;
const MX = { CELL: 1, STRUCT: 2, OBJECT: 3, CHAR: 4, SPARSE: 5, DOUBLE: 6 } as const;

class MatError extends Error {
  constructor(file: string, offset: number, what: string) { super(`${file}: MAT-file at byte ${offset}: ${what}`); }
}

interface Element { type: number; data: Uint8Array; offset: number }

/** Read the elements of `buf` (one level). */
function elements(buf: Uint8Array, file: string, base: number): Element[] {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: Element[] = [];
  let at = 0;
  while (at + 8 <= buf.length) {
    const first = dv.getUint32(at, true);
    if (first >>> 16 !== 0) { // small data element: u16 type, u16 bytes, data in the next 4 bytes
      const n = first >>> 16;
      if (n > 4) throw new MatError(file, base + at, `small data element with ${n} > 4 bytes`);
      out.push({ type: first & 0xffff, data: buf.subarray(at + 4, at + 4 + n), offset: base + at });
      at += 8;
      continue;
    }
    const n = dv.getUint32(at + 4, true);
    if (at + 8 + n > buf.length) throw new MatError(file, base + at, `element of ${n} bytes runs past the end (${buf.length - at - 8} left): truncated file`);
    out.push({ type: first, data: buf.subarray(at + 8, at + 8 + n), offset: base + at });
    // Compressed elements are not padded; every other element is padded to a multiple of 8 bytes.
    at += 8 + (first === MI.COMPRESSED ? n : Math.ceil(n / 8) * 8);
  }
  return out;
}

function numbers(e: Element, file: string): number[] {
  const dv = new DataView(e.data.buffer, e.data.byteOffset, e.data.byteLength);
  const size: Record<number, number> = { [MI.INT8]: 1, [MI.UINT8]: 1, [MI.INT16]: 2, [MI.UINT16]: 2, [MI.INT32]: 4, [MI.UINT32]: 4, [MI.SINGLE]: 4, [MI.DOUBLE]: 8, [MI.INT64]: 8, [MI.UINT64]: 8, [MI.UTF8]: 1, [MI.UTF16]: 2, [MI.UTF32]: 4 };
  const s = size[e.type];
  if (!s) throw new MatError(file, e.offset, `expected a numeric data element, found type ${e.type}`);
  const out: number[] = [];
  for (let i = 0; i + s <= e.data.length; i += s) {
    switch (e.type) {
      case MI.INT8: out.push(dv.getInt8(i)); break;
      case MI.UINT8: case MI.UTF8: out.push(dv.getUint8(i)); break;
      case MI.INT16: out.push(dv.getInt16(i, true)); break;
      case MI.UINT16: case MI.UTF16: out.push(dv.getUint16(i, true)); break;
      case MI.INT32: out.push(dv.getInt32(i, true)); break;
      case MI.UINT32: case MI.UTF32: out.push(dv.getUint32(i, true)); break;
      case MI.SINGLE: out.push(dv.getFloat32(i, true)); break;
      case MI.DOUBLE: out.push(dv.getFloat64(i, true)); break;
      case MI.INT64: out.push(Number(dv.getBigInt64(i, true))); break;
      default: out.push(Number(dv.getBigUint64(i, true)));
    }
  }
  return out;
}

function text(codes: number[]): string {
  return String.fromCharCode(...codes);
}

function matrix(e: Element, file: string): { name: string; value: MatValue } {
  if (e.data.length === 0) return { name: "", value: { kind: "numeric", dims: [0, 0], data: [] } };
  const sub = elements(e.data, file, e.offset + 8);
  const [flags, dimsEl, nameEl] = sub;
  if (!flags || !dimsEl || !nameEl) throw new MatError(file, e.offset, "miMATRIX without array flags, dimensions and name");
  const cls = numbers(flags, file)[0]! & 0xff;
  const complex = (numbers(flags, file)[0]! & 0x0800) !== 0;
  const dims = numbers(dimsEl, file);
  const name = text(numbers(nameEl, file));
  const count = dims.reduce((a, b) => a * b, 1);
  if (cls === MX.CHAR) {
    const codes = sub[3] ? numbers(sub[3], file) : [];
    const [r = 0, c = 0] = dims;
    const rows = Array.from({ length: r }, (_, i) => text(Array.from({ length: c }, (_, j) => codes[j * r + i]!)));
    return { name, value: { kind: "char", dims, rows } };
  }
  if (cls === MX.STRUCT) {
    const len = numbers(sub[3]!, file)[0]!;
    const raw = sub[4]!.data;
    const fields = Array.from({ length: raw.length / len }, (_, i) => text(Array.from(raw.subarray(i * len, (i + 1) * len))).replace(/\0.*$/, ""));
    const elementsOut: Record<string, MatValue>[] = [];
    let k = 5;
    for (let i = 0; i < count; i++) {
      const rec: Record<string, MatValue> = {};
      for (const f of fields) {
        const m = sub[k++];
        if (!m || m.type !== MI.MATRIX) throw new MatError(file, m?.offset ?? e.offset, `expected miMATRIX for field '${f}' of struct element ${i}`);
        rec[f] = matrix(m, file).value;
      }
      elementsOut.push(rec);
    }
    return { name, value: { kind: "struct", dims, fields, elements: elementsOut } };
  }
  if (cls === MX.CELL) return { name, value: { kind: "cell", dims, cells: sub.slice(3, 3 + count).map((m) => matrix(m, file).value) } };
  if (cls === MX.OBJECT || cls === MX.SPARSE || complex) throw new MatError(file, e.offset, `array '${name}' of class ${cls}${complex ? " (complex)" : ""} is not supported (only numeric, char, struct, cell)`);
  return { name, value: { kind: "numeric", dims, data: sub[3] ? numbers(sub[3], file) : [] } };
}

/** Parse a little-endian level-5 MAT-file into its named top-level variables. */
export function readMat5(bytes: Uint8Array, file = "<bytes>"): Record<string, MatValue> {
  if (bytes.length < 128) throw new MatError(file, 0, `expected a 128-byte level-5 header, file has ${bytes.length} bytes`);
  const ver = bytes[124]! | (bytes[125]! << 8);
  const endian = String.fromCharCode(bytes[126]!, bytes[127]!);
  if (endian === "MI") throw new MatError(file, 126, "big-endian MAT-file; only little-endian is supported");
  if (endian !== "IM" || ver !== 0x0100) throw new MatError(file, 124, `expected version 0x0100 and endian 'IM' (a level-5 MAT-file; v7.3 files are HDF5), found 0x${ver.toString(16)} '${endian}'`);
  const out: Record<string, MatValue> = {};
  const visit = (els: Element[]) => {
    for (const e of els) {
      if (e.type === MI.COMPRESSED) {
        let raw: Uint8Array;
        try { raw = new Uint8Array(inflateSync(e.data)); } catch (err) { throw new MatError(file, e.offset, `corrupt miCOMPRESSED zlib stream (${(err as Error).message})`); }
        visit(elements(raw, `${file} (inflated element at ${e.offset})`, 0));
      } else if (e.type === MI.MATRIX) {
        const { name, value } = matrix(e, file);
        out[name] = value;
      } else throw new MatError(file, e.offset, `expected miMATRIX (14) or miCOMPRESSED (15) at top level, found type ${e.type}`);
    }
  };
  visit(elements(bytes.subarray(128), file, 128));
  return out;
}

// ---- writer (fixtures) ----

function tag(type: number, data: Uint8Array): Uint8Array {
  if (data.length <= 4 && data.length > 0 && type !== MI.MATRIX) { // small data element
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, ((data.length << 16) | type) >>> 0, true);
    out.set(data, 4);
    return out;
  }
  const out = new Uint8Array(8 + Math.ceil(data.length / 8) * 8);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true); dv.setUint32(4, data.length, true);
  out.set(data, 8);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

function typed(type: number, values: number[]): Uint8Array {
  const s = type === MI.DOUBLE ? 8 : type === MI.INT32 || type === MI.UINT32 ? 4 : type === MI.UINT16 ? 2 : 1;
  const out = new Uint8Array(values.length * s);
  const dv = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (type === MI.DOUBLE) dv.setFloat64(i * s, v, true);
    else if (type === MI.INT32) dv.setInt32(i * s, v, true);
    else if (type === MI.UINT32) dv.setUint32(i * s, v, true);
    else if (type === MI.UINT16) dv.setUint16(i * s, v, true);
    else dv.setUint8(i, v);
  });
  return out;
}

function writeMatrix(name: string, v: MatValue): Uint8Array {
  const cls = v.kind === "numeric" ? MX.DOUBLE : v.kind === "char" ? MX.CHAR : v.kind === "struct" ? MX.STRUCT : MX.CELL;
  const head = [tag(MI.UINT32, typed(MI.UINT32, [cls, 0])), tag(MI.INT32, typed(MI.INT32, v.dims)), tag(MI.INT8, typed(MI.INT8, Array.from(name, (c) => c.charCodeAt(0))))];
  let body: Uint8Array[];
  if (v.kind === "numeric") body = [tag(MI.DOUBLE, typed(MI.DOUBLE, v.data))];
  else if (v.kind === "char") {
    const [r = 0, c = 0] = v.dims;
    const codes: number[] = [];
    for (let j = 0; j < c; j++) for (let i = 0; i < r; i++) codes.push(v.rows[i]!.charCodeAt(j));
    // ASCII as miUTF8 (one byte per character, what scipy and MATLAB write), anything else as miUTF16.
    body = [codes.every((x) => x < 128) ? tag(MI.UTF8, typed(MI.UINT8, codes)) : tag(MI.UTF16, typed(MI.UINT16, codes))];
  } else if (v.kind === "struct") {
    const len = Math.max(...v.fields.map((f) => f.length)) + 1;
    const names = new Uint8Array(len * v.fields.length);
    v.fields.forEach((f, i) => names.set(Array.from(f, (c) => c.charCodeAt(0)), i * len));
    body = [tag(MI.INT32, typed(MI.INT32, [len])), tag(MI.INT8, names), ...v.elements.flatMap((e) => v.fields.map((f) => writeMatrix("", e[f]!)))];
  } else body = v.cells.map((c) => writeMatrix("", c));
  return tag(MI.MATRIX, concat([...head, ...body]));
}

/** Write variables as a little-endian level-5 MAT-file; `compress` wraps each in miCOMPRESSED (zlib). */
export function writeMat5(vars: Record<string, MatValue>, opts: { compress?: boolean; header?: string; headerPad?: "space" | "nul" } = {}): Uint8Array {
  // The header text is padded to 116 bytes: MATLAB pads with spaces, scipy's savemat with NULs.
  const header = new Uint8Array(128).fill(opts.headerPad === "nul" ? 0 : 0x20);
  header.set(Array.from((opts.header ?? "MATLAB 5.0 MAT-file, written by spikelab").slice(0, 116), (c) => c.charCodeAt(0)));
  header.fill(0, 116, 124);
  header.set([0x00, 0x01, 0x49, 0x4d], 124); // version 0x0100, 'I' 'M'
  const els = Object.entries(vars).map(([n, v]) => {
    const m = writeMatrix(n, v);
    if (!opts.compress) return m;
    const z = new Uint8Array(deflateSync(m));
    const t = new Uint8Array(8 + z.length);
    new DataView(t.buffer).setUint32(0, MI.COMPRESSED, true);
    new DataView(t.buffer).setUint32(4, z.length, true);
    t.set(z, 8);
    return t;
  });
  return concat([header, ...els]);
}
