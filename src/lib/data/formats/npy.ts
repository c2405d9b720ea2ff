/**
 * NumPy `.npy` files (format versions 1.0, 2.0 and 3.0) with plain or structured dtypes — the format of
 * DVS-Lip's event files, one structured array `[('t', '<i4'), ('x', 'i1'), ('y', 'i1'), ('p', 'i1')]`
 * per sample. The npm `.npy` readers reject structured dtypes, hence this small reader.
 *
 * Layout: magic `\x93NUMPY`, major and minor version bytes, the header length (uint16 LE in v1, uint32 LE
 * in v2/v3), then the header — a Python dict literal `{'descr': …, 'fortran_order': …, 'shape': (…), }`
 * (latin-1 in v1/v2, UTF-8 in v3) padded with spaces and a newline — then the raw array data.
 *
 * Supported: scalar types bool (`|b1`), int/uint of 1, 2, 4, 8 bytes and float32/float64, little- or
 * big-endian (both read correctly); structured dtypes whose fields are such scalars, with `|V` padding
 * fields (named `''`, written by numpy for field-subset views) skipped. Fortran order is handled for
 * arrays of at most one dimension (where it is the same byte layout as C order) and rejected otherwise.
 * Everything else — sub-array or nested fields, titles, strings, objects, float16, datetimes — is rejected
 * with an error naming the file, the byte offset and what was expected; a file shorter or longer than its
 * header says is rejected, never read in part.
 */
import { readFile } from "node:fs/promises";
import { allocEvents, type Events } from "../events.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** numpy pads the whole preamble (magic … newline) to a multiple of this. */
const ARRAY_ALIGN = 64;
/** numpy ≥ 1.23 leaves room for the first axis to grow to 21 digits (`GROWTH_AXIS_MAX_DIGITS`). */
const GROWTH_AXIS_MAX_DIGITS = 21;

export type NpyKind = "bool" | "int" | "uint" | "float";

/** One scalar type of a dtype, e.g. `<i4` → int, 4 bytes, little-endian. */
export interface NpyScalar {
  /** The descr string as numpy writes it (`<i4`, `|i1`, `|b1`, `>f8`). */
  descr: string;
  kind: NpyKind;
  size: 1 | 2 | 4 | 8;
  littleEndian: boolean;
}

/** A field of a structured dtype (a plain array has one field named `""`). */
export interface NpyField {
  name: string;
  type: NpyScalar;
  /** Byte offset inside one item. */
  offset: number;
}

export interface NpyHeader {
  version: [number, number];
  /** True for structured dtypes (a list `descr`). */
  structured: boolean;
  fields: NpyField[];
  /** Bytes per item (fields plus padding). */
  itemSize: number;
  fortranOrder: boolean;
  shape: number[];
  /** Number of items (product of the shape). */
  count: number;
  /** Byte offset of the array data in the file. */
  dataOffset: number;
}

export interface NpyArray {
  header: NpyHeader;
  /** The file's bytes (the data starts at `header.dataOffset`). */
  bytes: Uint8Array;
  file: string;
}

// ---------------------------------------------------------------------------------------------------
// The header literal: a tiny parser for the Python subset numpy writes (dict, list, tuple, str, int,
// True/False/None). `at` is the character index; errors report byte offsets in the file.

type PyValue = string | number | boolean | null | PyValue[] | PyTuple | Map<string, PyValue>;
class PyTuple { constructor(readonly items: PyValue[]) {} }

class HeaderParser {
  private i = 0;
  constructor(private readonly s: string, private readonly fail: (at: number, msg: string) => never) {}

  parseTop(): PyValue {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail(this.i, `unexpected '${this.s[this.i]}' after the header dict`);
    return v;
  }

  private ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i]!)) this.i++;
  }

  private value(): PyValue {
    this.ws();
    const c = this.s[this.i];
    if (c === undefined) this.fail(this.i, "header ends inside a value");
    if (c === "{") return this.dict();
    if (c === "[") return this.seq("[", "]");
    if (c === "(") {
      const items = this.seq("(", ")");
      return new PyTuple(items);
    }
    if (c === "'" || c === '"') return this.str();
    if (/[-0-9]/.test(c)) return this.int();
    for (const [word, v] of [["True", true], ["False", false], ["None", null]] as const) {
      if (this.s.startsWith(word, this.i)) { this.i += word.length; return v; }
    }
    return this.fail(this.i, `expected a Python literal (dict, list, tuple, string, int, True/False/None), found '${c}'`);
  }

  private seq(open: string, close: string): PyValue[] {
    this.i++; // open
    const items: PyValue[] = [];
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) { this.i++; return items; }
      items.push(this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ",") { this.i++; continue; }
      if (c === close) { this.i++; return items; }
      this.fail(this.i, `expected ',' or '${close}' in a ${open === "[" ? "list" : "tuple"}, found ${c === undefined ? "the end of the header" : `'${c}'`}`);
    }
  }

  private dict(): Map<string, PyValue> {
    this.i++;
    const m = new Map<string, PyValue>();
    for (;;) {
      this.ws();
      if (this.s[this.i] === "}") { this.i++; return m; }
      const at = this.i;
      const k = this.value();
      if (typeof k !== "string") this.fail(at, "header dict keys must be strings");
      this.ws();
      if (this.s[this.i] !== ":") this.fail(this.i, "expected ':' after a header dict key");
      this.i++;
      m.set(k, this.value());
      this.ws();
      const c = this.s[this.i];
      if (c === ",") { this.i++; continue; }
      if (c === "}") { this.i++; return m; }
      this.fail(this.i, `expected ',' or '}' in the header dict, found ${c === undefined ? "the end of the header" : `'${c}'`}`);
    }
  }

  private str(): string {
    const q = this.s[this.i]!;
    const start = this.i++;
    let out = "";
    while (this.i < this.s.length && this.s[this.i] !== q) {
      const c = this.s[this.i++]!;
      if (c !== "\\") { out += c; continue; }
      const e = this.s[this.i++];
      const simple: Record<string, string> = { "\\": "\\", "'": "'", '"': '"', n: "\n", t: "\t", r: "\r", "0": "\0" };
      if (e !== undefined && e in simple) { out += simple[e]; continue; }
      const len = e === "x" ? 2 : e === "u" ? 4 : e === "U" ? 8 : 0;
      const hex = this.s.slice(this.i, this.i + len);
      if (!len || !/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) this.fail(this.i - 2, `unsupported escape '\\${e ?? ""}' in a string`);
      out += String.fromCodePoint(parseInt(hex, 16));
      this.i += len;
    }
    if (this.s[this.i] !== q) this.fail(start, "unterminated string");
    this.i++;
    return out;
  }

  private int(): number {
    const m = /^-?[0-9]+L?/.exec(this.s.slice(this.i));
    if (!m) this.fail(this.i, "expected an integer");
    this.i += m[0].length;
    const v = Number(m[0].replace(/L$/, ""));
    if (!Number.isSafeInteger(v)) this.fail(this.i - m[0].length, `integer ${m[0]} is not exactly representable`);
    return v;
  }
}

// ---------------------------------------------------------------------------------------------------

const SCALAR_RE = /^([<>|=])([biuf])([0-9]+)$/;

/** Parse one scalar descr (`<i4`, `|b1`, `?`, …); throws via `fail` on anything unsupported. */
function parseScalar(descr: string, where: string, fail: (msg: string) => never): NpyScalar {
  const d = descr === "?" ? "|b1" : descr;
  const m = SCALAR_RE.exec(d);
  if (!m) {
    const what = /^[<>|=]?[USa]/.test(d) ? "string" : /^[<>|=]?O/.test(d) ? "object" : /^[<>|=]?[mM]/.test(d) ? "datetime" : /^[<>|=]?c/.test(d) ? "complex" : /^\|?V/.test(d) ? "void" : "unknown";
    fail(`${where} has the ${what} type '${descr}'; expected bool, int, uint or float (e.g. '<i4', '|i1', '|b1', '<f8')`);
  }
  const [, order, code, sizeStr] = m;
  const size = Number(sizeStr);
  const kind: NpyKind = code === "b" ? "bool" : code === "i" ? "int" : code === "u" ? "uint" : "float";
  const ok = kind === "bool" ? size === 1 : kind === "float" ? size === 4 || size === 8 : [1, 2, 4, 8].includes(size);
  if (!ok) fail(`${where} has the unsupported type '${descr}' (${kind} of ${size} bytes${kind === "float" && size === 2 ? ", float16" : ""}); expected ${kind === "float" ? "float32 or float64" : kind === "bool" ? "'|b1'" : "1, 2, 4 or 8 bytes"}`);
  if (order === "=") fail(`${where} has native byte order '${descr}'; expected an explicit '<' or '>' (numpy always writes one)`);
  if (order === "|" && size > 1) fail(`${where} has '${descr}' without a byte order; expected '<' or '>' for a ${size}-byte type`);
  return { descr: d, kind, size: size as NpyScalar["size"], littleEndian: order !== ">" };
}

/** Parse the preamble and header of a `.npy` file. */
export function parseNpyHeader(bytes: Uint8Array, file: string): NpyHeader {
  const fail = (offset: number, msg: string): never => { throw new Error(`${file}: offset ${offset}: ${msg}`); };
  if (bytes.length < 10) fail(bytes.length, `file is ${bytes.length} bytes, too short for a .npy preamble (expected at least 10: magic \\x93NUMPY, version, header length)`);
  for (let i = 0; i < MAGIC.length; i++) if (bytes[i] !== MAGIC[i]) fail(i, "not a .npy file: expected the magic string \\x93NUMPY");
  const major = bytes[6]!, minor = bytes[7]!;
  if (![1, 2, 3].includes(major) || minor !== 0) fail(6, `unsupported .npy format version ${major}.${minor}; expected 1.0, 2.0 or 3.0`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lenBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lenBytes) fail(bytes.length, `file ends inside the header length (expected ${lenBytes} bytes at offset 8)`);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = 8 + lenBytes;
  const dataOffset = headerStart + headerLen;
  if (bytes.length < dataOffset) fail(bytes.length, `file is truncated inside the header: the header claims ${headerLen} bytes from offset ${headerStart} (to ${dataOffset}), the file has ${bytes.length}`);
  const raw = bytes.subarray(headerStart, dataOffset);
  let text: string;
  if (major === 3) {
    try { text = new TextDecoder("utf-8", { fatal: true }).decode(raw); } catch { return fail(headerStart, "a v3.0 header must be valid UTF-8"); }
  } else {
    text = Buffer.from(raw).toString("latin1");
  }
  // Byte offset in the file of a character index of the header text.
  const at = (ci: number) => headerStart + (major === 3 ? Buffer.byteLength(text.slice(0, ci), "utf8") : ci);
  const fh = (ci: number, msg: string): never => fail(at(ci), `header: ${msg}`);
  const dict = new HeaderParser(text, fh).parseTop();
  if (!(dict instanceof Map)) return fh(0, "expected a dict {'descr': …, 'fortran_order': …, 'shape': …}");
  const keys = [...dict.keys()].sort().join(",");
  if (keys !== "descr,fortran_order,shape") fh(0, `expected exactly the keys 'descr', 'fortran_order', 'shape', found ${[...dict.keys()].map((k) => `'${k}'`).join(", ")}`);
  const fortranV = dict.get("fortran_order");
  const fortran = typeof fortranV === "boolean" ? fortranV : fh(0, "'fortran_order' must be True or False");
  const shapeV = dict.get("shape");
  if (!(shapeV instanceof PyTuple) || !shapeV.items.every((d) => typeof d === "number" && d >= 0)) return fh(0, "'shape' must be a tuple of non-negative integers");
  const shape = shapeV.items as number[];
  if (fortran && shape.length > 1) fh(0, `Fortran-order (column-major) arrays of ${shape.length} dimensions are not supported; expected C order, or at most one dimension`);

  const descr = dict.get("descr")!;
  const dfail = (msg: string): never => fh(0, `'descr': ${msg}`);
  let fields: NpyField[];
  let itemSize: number;
  let structured: boolean;
  if (typeof descr === "string") {
    structured = false;
    const type = parseScalar(descr, "the array", dfail);
    fields = [{ name: "", type, offset: 0 }];
    itemSize = type.size;
  } else if (Array.isArray(descr)) {
    structured = true;
    fields = [];
    let offset = 0;
    const names = new Set<string>();
    descr.forEach((f, i) => {
      if (!(f instanceof PyTuple)) return dfail(`field ${i} must be a (name, type) tuple`);
      const [name, type, ...rest] = f.items;
      if (typeof name !== "string") return dfail(`field ${i} has a non-string name (titled fields are not supported); expected (name, type)`);
      if (rest.length > 0) return dfail(`field '${name}' is a sub-array field (shape ${JSON.stringify(rest[0] instanceof PyTuple ? rest[0].items : rest[0])}); expected a scalar field (name, type)`);
      if (typeof type !== "string") return dfail(`field '${name}' is a nested structured field; expected a scalar type such as '<i4'`);
      const pad = /^\|V([0-9]+)$/.exec(type);
      if (name === "" && pad) { offset += Number(pad[1]); return; } // padding left by a field-subset view
      if (name === "") return dfail(`field ${i} has an empty name with type '${type}'; expected a named field or a '|Vn' padding field`);
      if (names.has(name)) return dfail(`field '${name}' appears twice`);
      names.add(name);
      const t = parseScalar(type, `field '${name}'`, dfail);
      fields.push({ name, type: t, offset });
      offset += t.size;
    });
    if (fields.length === 0) dfail("a structured dtype without fields");
    itemSize = offset;
  } else {
    return dfail("expected a type string such as '<i4' or a list of (name, type) tuples");
  }
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = dataOffset + count * itemSize;
  if (bytes.length < expected) fail(bytes.length, `file is truncated: shape (${shape.join(", ")}) × ${itemSize} bytes per item needs ${count * itemSize} data bytes from offset ${dataOffset} (file size ${expected}), the file has ${bytes.length}`);
  if (bytes.length > expected) fail(expected, `${bytes.length - expected} unexpected bytes after the array data (expected the file to end at ${expected})`);
  return { version: [major, minor], structured, fields, itemSize, fortranOrder: fortran, shape, count, dataOffset };
}

/** Decode a `.npy` file held in memory (the header is validated; columns are read on demand). */
export function decodeNpy(bytes: Uint8Array, file: string): NpyArray {
  return { header: parseNpyHeader(bytes, file), bytes, file };
}

export async function readNpyFile(path: string): Promise<NpyArray> {
  return decodeNpy(new Uint8Array(await readFile(path)), path);
}

/** Names of the fields (`[""]` for a plain array). */
export function npyFieldNames(a: NpyArray): string[] {
  return a.header.fields.map((f) => f.name);
}

/**
 * One field of every item, in file order, as numbers. 64-bit integers beyond ±2^53 cannot be represented
 * exactly and raise an error naming the item's offset; bools read as 0/1 (numpy's `?` is "≠ 0").
 */
export function npyColumn(a: NpyArray, name: string): Float64Array {
  const { header, bytes, file } = a;
  const field = header.fields.find((f) => f.name === name);
  if (!field) throw new Error(`${file}: no field '${name}' (fields: ${header.fields.map((f) => `'${f.name}'`).join(", ")})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(header.count);
  const { kind, size, littleEndian: le } = field.type;
  let o = header.dataOffset + field.offset;
  const step = header.itemSize;
  for (let i = 0; i < out.length; i++, o += step) {
    let v: number;
    if (kind === "bool") v = view.getUint8(o) !== 0 ? 1 : 0;
    else if (kind === "float") v = size === 4 ? view.getFloat32(o, le) : view.getFloat64(o, le);
    else if (size === 1) v = kind === "int" ? view.getInt8(o) : view.getUint8(o);
    else if (size === 2) v = kind === "int" ? view.getInt16(o, le) : view.getUint16(o, le);
    else if (size === 4) v = kind === "int" ? view.getInt32(o, le) : view.getUint32(o, le);
    else {
      const big = kind === "int" ? view.getBigInt64(o, le) : view.getBigUint64(o, le);
      v = Number(big);
      if (!Number.isSafeInteger(v)) throw new Error(`${file}: offset ${o}: field '${name}' of item ${i} is ${big}, beyond ±2^53 (not exactly representable as a number)`);
    }
    out[i] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Writer (synthetic DVS-Lip files, tests): 1-D structured arrays with numpy's header layout, so the bytes
// equal what `np.save` writes for the same array.

export interface NpyFieldSpec {
  name: string;
  /** A supported scalar descr, e.g. `<i4`, `|i1`, `|b1`, `>f8`. */
  descr: string;
}

function pyRepr(s: string): string {
  // numpy's field names are reprs of Python str; plain identifiers need no escapes.
  if (!/^[A-Za-z0-9_ ]*$/.test(s)) throw new Error(`encodeNpy: field name ${JSON.stringify(s)}: only letters, digits, '_' and spaces are supported`);
  return `'${s}'`;
}

/** The header dict text numpy writes (before padding). */
function headerText(fields: NpyFieldSpec[], count: number): string {
  const descr = `[${fields.map((f) => `(${pyRepr(f.name)}, '${f.descr}')`).join(", ")}]`;
  return `{'descr': ${descr}, 'fortran_order': False, 'shape': (${count},), }`;
}

/**
 * Encode a 1-D structured array. `columns[name]` holds each field's values (equal lengths); integer fields
 * must hold integers in range, bool fields are written as 0/1 (non-zero → 1). Version 1.0 unless the
 * header needs more than 65 535 bytes (then 2.0), as numpy does for ASCII names.
 */
export function encodeNpy(fields: NpyFieldSpec[], columns: Record<string, ArrayLike<number>>): Uint8Array {
  if (fields.length === 0) throw new Error("encodeNpy: at least one field is required");
  const fail = (msg: string): never => { throw new Error(`encodeNpy: ${msg}`); };
  const types = fields.map((f) => parseScalar(f.descr === "?" ? "|b1" : f.descr, `field '${f.name}'`, fail));
  const n = columns[fields[0]!.name]?.length ?? fail(`no column for field '${fields[0]!.name}'`);
  for (const f of fields) {
    const c = columns[f.name];
    if (!c) fail(`no column for field '${f.name}'`);
    if (c!.length !== n) fail(`column '${f.name}' has ${c!.length} values, expected ${n} (length of '${fields[0]!.name}')`);
  }
  const itemSize = types.reduce((s, t) => s + t.size, 0);
  let text = headerText(fields.map((f, i) => ({ name: f.name, descr: types[i]!.descr })), n);
  text += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(n).length);
  let version = 1;
  let pre = 10;
  if (text.length + 1 + pre > 0xffff) { version = 2; pre = 12; }
  const pad = ARRAY_ALIGN - ((pre + text.length + 1) % ARRAY_ALIGN);
  text += " ".repeat(pad === ARRAY_ALIGN ? 0 : pad) + "\n";
  const headerBytes = Buffer.from(text, "latin1");
  const out = new Uint8Array(pre + headerBytes.length + n * itemSize);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, pre);
  let off = pre + headerBytes.length;
  const cols = fields.map((f) => columns[f.name]!);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < fields.length; j++) {
      const t = types[j]!;
      const v = cols[j]![i]!;
      const le = t.littleEndian;
      if (t.kind === "bool") view.setUint8(off, v !== 0 ? 1 : 0);
      else if (t.kind === "float") { if (t.size === 4) view.setFloat32(off, v, le); else view.setFloat64(off, v, le); }
      else {
        const bits = t.size * 8;
        const lo = t.kind === "int" ? -(2 ** (bits - 1)) : 0;
        const hi = t.kind === "int" ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
        if (!Number.isInteger(v) || v < lo || v > hi) fail(`column '${fields[j]!.name}' item ${i} is ${v}, not an integer in [${lo}, ${hi}] ('${t.descr}')`);
        if (t.size === 1) { if (t.kind === "int") view.setInt8(off, v); else view.setUint8(off, v); }
        else if (t.size === 2) { if (t.kind === "int") view.setInt16(off, v, le); else view.setUint16(off, v, le); }
        else if (t.size === 4) { if (t.kind === "int") view.setInt32(off, v, le); else view.setUint32(off, v, le); }
        else if (t.kind === "int") view.setBigInt64(off, BigInt(v), le);
        else view.setBigUint64(off, BigInt(v), le);
      }
      off += t.size;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Events from a structured array with fields x, y, p, t (any order, any supported integer/bool/float
// types): DVS-Lip's `[('t', '<i4'), ('x', 'i1'), ('y', 'i1'), ('p', 'i1')]`, tonic's
// `[('x', '<i2'), ('y', '<i2'), ('p', '?'), ('t', '<i8')]`.

/** Events of a 1-D structured `.npy` array; `p` becomes `p ≠ 0`, `t` is taken as µs (no rescaling). */
export function npyEvents(a: NpyArray): Events {
  const { header, file } = a;
  if (!header.structured) throw new Error(`${file}: expected a structured array with fields x, y, p, t, found a plain '${header.fields[0]!.type.descr}' array of shape (${header.shape.join(", ")})`);
  if (header.shape.length !== 1) throw new Error(`${file}: expected a 1-D array of events, found shape (${header.shape.join(", ")})`);
  const names = npyFieldNames(a);
  const missing = ["x", "y", "p", "t"].filter((n) => !names.includes(n));
  if (missing.length) throw new Error(`${file}: missing event field(s) ${missing.map((m) => `'${m}'`).join(", ")}; found ${names.map((m) => `'${m}'`).join(", ")}, expected x, y, p, t`);
  const ev = allocEvents(header.count);
  ev.t.set(npyColumn(a, "t"));
  for (const k of ["x", "y"] as const) {
    const col = npyColumn(a, k);
    const field = header.fields.find((f) => f.name === k)!;
    for (let i = 0; i < col.length; i++) {
      const v = col[i]!;
      if (!Number.isInteger(v) || v < 0 || v > 0xffff) {
        throw new Error(`${file}: offset ${header.dataOffset + i * header.itemSize + field.offset}: event ${i} has ${k} = ${v}; expected a pixel index in [0, 65535]`);
      }
      ev[k][i] = v;
    }
  }
  const p = npyColumn(a, "p");
  for (let i = 0; i < p.length; i++) ev.p[i] = p[i] !== 0 ? 1 : 0;
  return ev;
}

/** Read the events of one `.npy` file. */
export async function readNpyEventsFile(path: string): Promise<Events> {
  return npyEvents(await readNpyFile(path));
}

/** DVS-Lip's on-disk event dtype (SpikingJelly's DVSLip notes): t int32 µs, x/y/p int8. */
export const DVS_LIP_NPY_FIELDS: readonly NpyFieldSpec[] = [
  { name: "t", descr: "<i4" }, { name: "x", descr: "|i1" }, { name: "y", descr: "|i1" }, { name: "p", descr: "|i1" },
];

/** Encode events as a 1-D structured `.npy` array with the given fields (default DVS-Lip's dtype). */
export function encodeNpyEvents(ev: Events, fields: readonly NpyFieldSpec[] = DVS_LIP_NPY_FIELDS): Uint8Array {
  return encodeNpy([...fields], { t: ev.t, x: ev.x, y: ev.y, p: ev.p });
}
